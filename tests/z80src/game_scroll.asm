; game_scroll.asm: a full-screen attribute and pixel scroller, for
; bench/bench_machine.mjs. Each step scrolls all 192 pixel lines one pixel
; left (32 x RL (HL) per line, unrolled, a new pixel from a pattern coming
; in at the right) and, every eighth step, the 24 attribute rows one
; column left (LDIR) with a new column of colours at the right. A step
; takes longer than a frame, as full-screen pixel scrollers do; after it,
; HALT (IM 2; the handler counts frames). Runs forever, deterministic.
; 8003h: steps done (word); 8005h: interrupts (word).
        ORG 8000h
        JP start
steps:  DW 0
ticks:  DW 0


start:  DI
        LD SP,0FD00h
        INCLUDE "im2_vectors.inc"
        EI

step:   CALL pixels
        LD A,(steps)
        AND 7
        CALL Z,attrs
        LD HL,(steps)
        INC HL
        LD (steps),HL
        HALT
        JR step

isr:    PUSH HL
        LD HL,(ticks)
        INC HL
        LD (ticks),HL
        POP HL
        EI
        RETI

; every pixel line one pixel left; the new pixel at the right of line y is
; bit ((y + steps) & 7) of the pattern byte for ((y + steps) >> 3)
pixels: LD HL,401Fh     ; the last byte of line 0
        LD C,0          ; y
px1:    PUSH HL
        LD A,(steps)
        ADD A,C
        LD B,A
        RRCA
        RRCA
        RRCA
        AND 7
        LD E,A
        LD D,0
        LD A,B
        AND 7
        INC A
        LD B,A
        PUSH HL
        LD HL,pat
        ADD HL,DE
        LD A,(HL)
        POP HL
px2:    RLCA            ; a bit of the pattern byte into carry
        DJNZ px2
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        DEC L
        RL (HL)
        POP HL
        ; the next pixel line down
        INC H
        LD A,H
        AND 7
        JR NZ,px3
        LD A,L
        ADD A,32
        LD L,A
        JR C,px3
        LD A,H
        SUB 8
        LD H,A
px3:    INC C
        LD A,C
        CP 192
        JP NZ,px1
        RET

; the attributes one column left, a new column at the right
attrs:  LD HL,5801h
        LD DE,5800h
        LD B,24
at1:    PUSH BC
        LD BC,31
        LDIR
        LD A,(steps+1)
        XOR B
        ADD A,E
        LD C,A
        LD A,(steps)
        RRCA
        RRCA
        RRCA
        ADD A,C
        AND 3Fh         ; paper and ink, no flash, no bright
        LD (DE),A
        INC HL
        INC DE
        POP BC
        DJNZ at1
        RET

pat:    DB 18h,3Ch,7Eh,0DBh,0FFh,24h,5Ah,0A5h
