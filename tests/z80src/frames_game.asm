; frames_game.asm: a small game-like program for the frame-cost benchmark
; (bench/bench_frames.mjs): a 16x16 sprite moving over a static patterned
; background, drawn and erased with XOR at any pixel offset, over raster
; bars in the top border (an OUT every 39 T for the first 52 lines), a
; keyboard read and a frame counter shown as two bitmap bytes, once per
; frame after HALT (IM 1). One FLASH cell in the top-left corner.
; Most of the picture is the same from frame to frame, as in real games.
; 8003h: frames done (word).
        ORG 8000h
        JP start
frames: DW 0
sx:     DB 40
sy:     DB 30
dx:     DB 2
dy:     DB 1

start:  DI
        LD SP,0FF00h
        IM 1
        ; background: a pattern that varies with the address
        LD HL,4000h
        LD BC,1800h
bg:     LD A,L
        XOR H
        AND 55h
        LD (HL),A
        INC HL
        DEC BC
        LD A,B
        OR C
        JR NZ,bg
        ; attributes: paper bands by column, blue ink
        LD HL,5800h
        LD BC,0300h
at:     LD A,L
        RRCA
        AND 38h
        OR 01h
        LD (HL),A
        INC HL
        DEC BC
        LD A,B
        OR C
        JR NZ,at
        LD A,0C7h               ; FLASH, BRIGHT, white ink
        LD (5800h),A
        CALL xspr               ; the sprite's first appearance
        EI

main:   HALT
        ; raster bars: 300 x 39 T from just after the interrupt
        LD A,(frames)
        LD B,0
        LD C,0FEh
        LD E,150
bars:   OUT (C),A               ; 12
        INC A                   ; 4
        AND 7                   ; 7
        DEC E                   ; 4
        JR NZ,bars              ; 12 (39 T a turn over 150 turns)
        LD E,150
bars2:  OUT (C),A
        INC A
        AND 7
        DEC E
        JR NZ,bars2
        LD A,1                  ; blue border for the rest of the frame
        OUT (0FEh),A
        ; keyboard (the result is not used: the sprite moves by itself)
        LD A,0FEh
        IN A,(0FEh)
        ; move: erase, step with bounces, draw
        CALL xspr
        LD A,(sx)
        LD B,A
        LD A,(dx)
        ADD A,B
        CP 240
        JR C,xok
        LD A,(dx)
        NEG
        LD (dx),A
        ADD A,B
xok:    LD (sx),A
        LD A,(sy)
        LD B,A
        LD A,(dy)
        ADD A,B
        CP 176
        JR C,yok
        LD A,(dy)
        NEG
        LD (dy),A
        ADD A,B
yok:    LD (sy),A
        CALL xspr
        ; the frame counter, shown in the top row's bitmap
        LD HL,(frames)
        INC HL
        LD (frames),HL
        LD A,L
        LD (4010h),A
        LD A,H
        LD (4011h),A
        JR main

; XOR the 16x16 sprite at (sx, sy): 16 rows of 3 bytes (2 shifted by sx & 7)
xspr:   LD A,(sy)
        LD C,A
        LD IX,sprite
        LD B,16
row:    PUSH BC
        ; screen address of (sx / 8, C): 010 y7 y6 y2 y1 y0 | y5 y4 y3 x4..x0
        LD A,C
        AND 07h
        OR 40h
        LD H,A
        LD A,C
        RRCA
        RRCA
        RRCA
        AND 18h
        OR H
        LD H,A
        LD A,C
        RLCA
        RLCA
        AND 0E0h
        LD L,A
        LD A,(sx)
        RRCA
        RRCA
        RRCA
        AND 1Fh
        OR L
        LD L,A
        LD D,(IX+0)
        LD E,(IX+1)
        LD C,0
        LD A,(sx)
        AND 07h
        JR Z,noshift
        LD B,A
shift:  SRL D
        RR E
        RR C
        DJNZ shift
noshift:LD A,(HL)
        XOR D
        LD (HL),A
        INC L
        LD A,(HL)
        XOR E
        LD (HL),A
        INC L
        LD A,(HL)
        XOR C
        LD (HL),A
        INC IX
        INC IX
        POP BC
        INC C
        DJNZ row
        RET

sprite: DW 0C003h, 0F00Fh, 0F81Fh, 0FC3Fh, 0FE7Fh, 0FFFFh, 0FFFFh, 0E7E7h
        DW 0E7E7h, 0FFFFh, 0FFFFh, 0FE7Fh, 0FC3Fh, 0F81Fh, 0F00Fh, 0C003h
