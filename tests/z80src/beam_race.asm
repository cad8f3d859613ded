; beam_race.asm: stores into the screen racing the beam, for
; tests/node/jit-hook-window.test.mjs. Each frame, after HALT, it waits a
; delay that changes by 1 T from frame to frame (0-3 extra LD A,n of 7 T and
; 0-15 DJNZ rounds of 13 T), then stores 1,000 bytes into the bitmap and
; attributes in address order from an offset that moves every frame,
; wrapping at 5B00h. About 60 T per store: the stores meet the cells the
; ULA latches at every phase, just before, at and after each latch, so the
; picture is right only if every store that a latched, undrawn cell reads
; reaches the renderer first (the write-hook window, z80.h hook_window).
; Runs forever, deterministic. 8003h: frames (byte).
        ORG 8000h
        JP start
frame:  DB 0

VEC     EQU 0FE00h

start:  DI
        LD SP,0FD00h
        LD HL,VEC
        LD DE,VEC+1
        LD BC,256
        LD (HL),0FDh
        LDIR
        LD A,0C3h
        LD (0FDFDh),A
        LD HL,isr
        LD (0FDFEh),HL
        LD A,0FEh
        LD I,A
        IM 2
        EI

loop:   HALT
        LD A,(frame)
        INC A
        LD (frame),A
        LD C,A
        AND 3           ; 0-3 extra 7-T loads: with 4-T steps, any phase
        ADD A,A
        LD E,A
        LD D,0
        LD HL,fine+6
        AND A
        SBC HL,DE
        JP (HL)
fine:   LD A,0
        LD A,0
        LD A,0
        LD A,C          ; coarse: (frame >> 2) & 15 rounds, + 1
        RRCA
        RRCA
        AND 15
        INC A
        LD B,A
coarse: DJNZ coarse
        LD A,C          ; start: 4000h + (frame * 37) mod 1B00h, roughly
        LD L,A
        LD H,0
        LD D,H
        LD E,L
        ADD HL,HL
        ADD HL,HL
        ADD HL,HL
        ADD HL,DE       ; * 9
        ADD HL,HL
        ADD HL,HL       ; * 36
        ADD HL,DE       ; * 37 (< 9435)
        LD A,H
cut:    CP 1Bh
        JR C,cutok
        SUB 1Bh
        JR cut
cutok:  ADD A,40h
        LD H,A
        LD D,C          ; the first value
        LD BC,1000
sweep:  LD (HL),D
        INC HL
        LD A,H
        CP 5Bh
        JR NZ,nowrap
        LD H,40h
nowrap: LD A,D
        ADD A,L
        RRCA
        XOR 5Ah
        LD D,A
        DEC BC
        LD A,B
        OR C
        JR NZ,sweep
        JR loop

isr:    EI
        RETI
