; smc_blitter.asm: a self-modifying blitter, as games of the era wrote them:
; the loops keep their addresses, masks and counters in their own
; instructions' operands and patch them every iteration (LD HL,nn / LD DE,nn
; source and destination, LD (nn),A plot address, XOR n / ADD A,n / CP n
; immediates, a CALL nn and a JP nn whose targets are rewritten). Opcode
; bytes never change. For the dynarec's self-modifying-code tests
; (tests/node/jit-smc.test.mjs) and benchmark (bench/bench_jit.mjs): such
; code should run compiled, in the load form, without invalidation storms.
; Flat 64K machine, no interrupts needed.
; 8003h: passes done (word); 8005h: running checksum (word).
        ORG 8000h
        JP start
passes: DW 0
sum:    DW 0

ROWS    EQU 16
WIDTH   EQU 16
src     EQU 9000h               ; ROWS x WIDTH bytes of sprite
dst     EQU 0A000h              ; a 32-byte-wide screen
plots   EQU 0C000h

start:  LD SP,0FF00h
        DI
        LD HL,src               ; a sprite: byte = its offset
        LD B,0
fill:   LD (HL),L
        INC HL
        DJNZ fill
main:
        ; the blit: source and destination live in LD HL,nn / LD DE,nn
        LD HL,src
        LD (srcop),HL
        LD HL,dst
        LD (dstop),HL
        LD A,(passes)
        LD (maskop),A
        LD B,ROWS
row:    LD HL,0                 ; source row (patched)
srcop   EQU $-2
        LD DE,0                 ; destination row (patched)
dstop   EQU $-2
        LD C,WIDTH
col:    LD A,(HL)
        XOR 0                   ; mask (patched per pass)
maskop  EQU $-1
        ADD A,0                 ; shift (patched per row)
addop   EQU $-1
        LD (DE),A
        INC HL
        INC DE
        DEC C
        JR NZ,col
        LD (srcop),HL           ; next source row
        LD HL,(dstop)           ; next screen row
        LD DE,32
        ADD HL,DE
        LD (dstop),HL
        LD A,(addop)
        ADD A,3
        LD (addop),A
        DJNZ row
        ; plots: LD (nn),A whose address, and CP n whose immediate, move
        LD HL,plots
        LD (plotop),HL
        LD B,64
plot:   LD A,B
        LD (0),A                ; plot address (patched)
plotop  EQU $-2
        CP 0                    ; threshold (patched)
cpop    EQU $-1
        JR C,plot1
        LD HL,cpop
        INC (HL)
plot1:  LD HL,(plotop)
        INC HL
        INC HL
        LD (plotop),HL
        DJNZ plot
        ; a dispatcher through a patched CALL and a patched JP
        LD A,(passes)
        AND 3
        ADD A,A
        LD E,A
        LD D,0
        LD HL,handlers
        ADD HL,DE
        LD A,(HL)
        INC HL
        LD H,(HL)
        LD L,A
        LD (callop),HL
        LD (jpop),HL
        CALL 0                  ; patched
callop  EQU $-2
        JP 0                    ; patched: the same handler, which returns to main2
jpop    EQU $-2
main2:  CALL checksum
        LD HL,(passes)
        INC HL
        LD (passes),HL
        JP main

; Each handler adds to C; entered by CALL it returns, by JP it jumps to main2.
handlers:
        DW h0,h1,h2,h3
h0:     LD A,C
        ADD A,1
        JR hret
h1:     LD A,C
        ADD A,7
        JR hret
h2:     LD A,C
        XOR 55h
        JR hret
h3:     LD A,C
        SUB 3
hret:   LD C,A
        LD HL,(hdepth)          ; first entry: by CALL (return); second: by JP
        INC HL
        LD (hdepth),HL
        BIT 0,L
        RET NZ
        JP main2
hdepth: DW 0

; sum = sum * 2 + (the screen rows' bytes, C and the plots) (mod 65536)
checksum:
        LD HL,dst
        LD DE,0
        LD B,0
ck1:    LD A,(HL)
        ADD A,E
        LD E,A
        LD A,D
        ADC A,0
        LD D,A
        INC HL
        DJNZ ck1
        LD A,(plots + 40)
        ADD A,C
        ADD A,E
        LD E,A
        LD HL,(sum)
        ADD HL,HL
        ADD HL,DE
        LD (sum),HL
        RET
