; sieve.asm: Sieve of Eratosthenes over 0..8191, repeated forever.
; Result: 8003h = primes found in the last pass (1028), 8005h = passes done.
; A CPU-bound benchmark workload for bench/bench_z80.c.
SIZE    EQU 8192
FLAGS   EQU 0A000h

        ORG 8000h
        JP start
count:  DW 0
iters:  DW 0

start:  LD SP,0FF00h
pass:   LD HL,FLAGS             ; every flag = 1
        LD (HL),1
        LD DE,FLAGS+1
        LD BC,SIZE-1
        LDIR
        XOR A                   ; 0 and 1 are not prime
        LD (FLAGS),A
        LD (FLAGS+1),A
        LD IX,0                 ; primes found
        LD BC,2                 ; candidate i
loop_i: LD A,B
        CP SIZE/256
        JR NC,done
        LD HL,FLAGS
        ADD HL,BC
        LD A,(HL)
        OR A
        JR Z,next_i
        INC IX
        LD D,B                  ; step = i
        LD E,C
        ADD HL,DE               ; first multiple: 2i
mark:   LD A,H
        CP (FLAGS+SIZE)/256
        JR NC,next_i
        LD (HL),0
        ADD HL,DE
        JR mark
next_i: INC BC
        JR loop_i
done:   LD (count),IX
        LD HL,(iters)
        INC HL
        LD (iters),HL
        JR pass
