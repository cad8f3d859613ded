; game_smc.asm: a self-modifying blitter, for bench/bench_machine.mjs. An
; unrolled routine draws one 16x8 tile with LD (HL),n: its screen address
; (LD HL,nn), its sixteen pixel bytes (the n of each LD (HL),n) and its
; attribute address and colour are operands that the game rewrites before
; every call, as speed-minded Spectrum games do. Each game frame 40 tiles
; are drawn (their graphics rotated by the frame count, their places
; walking over the screen), so the routine's operands change 40 times a
; frame while its opcodes stay. Then HALT (IM 2; the handler counts
; frames). Runs forever and is deterministic.
; 8003h: game frames done (word); 8005h: interrupts (word).
        ORG 8000h
        JP start
gframes: DW 0
ticks:  DW 0
tile:   DB 0        ; the next tile's place: 0..255 over a 32x8 grid of 2x1 cells

NTILE   EQU 40

start:  DI
        LD SP,0FD00h
        INCLUDE "im2_vectors.inc"
        EI

frame:  LD B,NTILE
tl:     PUSH BC
        CALL patch
        CALL blit
        POP BC
        DJNZ tl
        LD HL,(gframes)
        INC HL
        LD (gframes),HL
        HALT
        JR frame

isr:    PUSH HL
        LD HL,(ticks)
        INC HL
        LD (ticks),HL
        POP HL
        EI
        RETI

; Writes the next tile's operands into blit.
patch:  LD A,(tile)
        LD C,A
        INC A
        LD (tile),A
        ; cell (column 2 * (c & 15), row (c >> 4) & 15 ... within 24 rows)
        LD A,C
        AND 15
        ADD A,A
        LD E,A          ; column 0..30
        LD A,C
        RRCA
        RRCA
        RRCA
        RRCA
        AND 15
        LD D,A          ; character row 0..15
        ; screen address: 4000h | (row & 18h) << 8 | (row & 7) << 5 | column
        LD A,D
        AND 18h
        OR 40h
        LD H,A
        LD A,D
        AND 7
        RRCA
        RRCA
        RRCA
        OR E
        LD L,A
        LD (blit+1),HL
        ; attribute address: 5800h + row * 32 + column
        LD A,D
        RRCA
        RRCA
        RRCA
        LD H,A
        AND 0E0h
        OR E
        LD L,A
        LD A,H
        AND 3
        OR 58h
        LD H,A
        LD (battr+1),HL
        LD A,C
        AND 7
        RLCA
        RLCA
        RLCA
        OR 41h
        LD (bink+1),A
        ; the sixteen pixel bytes: the graphic rotated by the frame count
        LD A,(gframes)
        AND 7
        LD B,A
        LD HL,gfx
        LD IX,imms
        LD C,16
pt1:    LD A,(HL)
        INC HL
        INC B
        JR pt3
pt2:    RLCA
pt3:    DJNZ pt2
        LD B,A          ; keep the byte, find the count again
        LD A,(gframes)
        AND 7
        LD D,A
        LD A,B
        LD B,D
        LD E,(IX+0)
        LD D,(IX+1)
        LD (DE),A
        INC IX
        INC IX
        DEC C
        JR NZ,pt1
        RET

; where each LD (HL),n keeps its n
imms:   DW i0+1,i1+1,i2+1,i3+1,i4+1,i5+1,i6+1,i7+1
        DW i8+1,i9+1,i10+1,i11+1,i12+1,i13+1,i14+1,i15+1

; the patched routine: 8 pixel lines of two bytes, then the two attributes
blit:   LD HL,4000h
i0:     LD (HL),0
        INC L
i1:     LD (HL),0
        DEC L
        INC H
i2:     LD (HL),0
        INC L
i3:     LD (HL),0
        DEC L
        INC H
i4:     LD (HL),0
        INC L
i5:     LD (HL),0
        DEC L
        INC H
i6:     LD (HL),0
        INC L
i7:     LD (HL),0
        DEC L
        INC H
i8:     LD (HL),0
        INC L
i9:     LD (HL),0
        DEC L
        INC H
i10:    LD (HL),0
        INC L
i11:    LD (HL),0
        DEC L
        INC H
i12:    LD (HL),0
        INC L
i13:    LD (HL),0
        DEC L
        INC H
i14:    LD (HL),0
        INC L
i15:    LD (HL),0
battr:  LD HL,5800h
bink:   LD A,47h
        LD (HL),A
        INC L
        LD (HL),A
        RET

gfx:    DB 03h,0C0h,0Fh,0F0h,3Ch,3Ch,0F3h,0CFh
        DB 0F3h,0CFh,3Ch,3Ch,0Fh,0F0h,03h,0C0h
