; game_sprites.asm: a masked sprite blitter driven by an IM 2 interrupt
; handler, for bench/bench_machine.mjs. The main loop plays "game logic"
; (a 16-bit LFSR folded into a checksum) and never waits; each interrupt
; the handler erases four 16x16 sprites (restoring the checkered
; background), moves them (bouncing off the edges) and draws each one
; masked (screen AND mask OR data) at any pixel x, shifting its rows at
; run time as games without pre-shifted copies do. Runs forever and is
; deterministic (the interrupt lands where the machine's timing puts it).
; 8003h: interrupts handled (word); 8005h: main-loop checksum (word).
        ORG 8000h
        JP start
frames: DW 0
sum:    DW 0
seed:   DW 0ACE1h

NSPR    EQU 4
YTAB    EQU 0C000h      ; 192 words: the address of each pixel line

start:  DI
        LD SP,0FD00h
        CALL mkytab
        CALL backgr
        INCLUDE "im2_vectors.inc"
        EI
main:   LD HL,(seed)
        LD B,64
ml:     SRL H           ; Galois LFSR, taps 0B400h
        RR L
        JR NC,ml1
        LD A,H
        XOR 0B4h
        LD H,A
ml1:    DJNZ ml
        LD (seed),HL
        LD DE,(sum)
        ADD HL,DE
        LD (sum),HL
        JR main

; YTAB[y] = 4000h | (y & 0C0h) << 5 | (y & 7) << 8 | (y & 38h) << 2
mkytab: LD HL,4000h
        LD DE,YTAB
        LD B,192
mky:    EX DE,HL
        LD (HL),E
        INC HL
        LD (HL),D
        INC HL
        EX DE,HL
        INC H           ; the next pixel line down
        LD A,H
        AND 7
        JR NZ,mky1
        LD A,L
        ADD A,32
        LD L,A
        JR C,mky1
        LD A,H
        SUB 8
        LD H,A
mky1:   DJNZ mky
        RET

; the background: 0AAh on even lines, 55h on odd ones; bright attributes
backgr: LD HL,YTAB
        LD C,192
        LD A,0AAh
bg1:    LD E,(HL)
        INC HL
        LD D,(HL)
        INC HL
        LD B,32
bg2:    LD (DE),A
        INC E
        DJNZ bg2
        RLCA
        DEC C
        JR NZ,bg1
        LD HL,5800h
        LD DE,5801h
        LD BC,767
        LD (HL),47h
        LDIR
        RET

isr:    PUSH AF
        PUSH BC
        PUSH DE
        PUSH HL
        PUSH IX
        PUSH IY
        EX AF,AF'
        PUSH AF
        LD IX,sprs
        LD B,NSPR
ie:     PUSH BC
        CALL erase
        CALL move
        LD DE,4
        ADD IX,DE
        POP BC
        DJNZ ie
        LD IX,sprs
        LD B,NSPR
id:     PUSH BC
        CALL draw
        LD DE,4
        ADD IX,DE
        POP BC
        DJNZ id
        LD HL,(frames)
        INC HL
        LD (frames),HL
        POP AF
        EX AF,AF'
        POP IY
        POP IX
        POP HL
        POP DE
        POP BC
        POP AF
        EI
        RETI

; HL -> YTAB entry of line (IX+1)
rowof:  LD L,(IX+1)
        LD H,0
        ADD HL,HL
        LD DE,YTAB
        ADD HL,DE
        RET

; the column byte of x (IX+0)
colof:  LD A,(IX+0)
        RRCA
        RRCA
        RRCA
        AND 31
        RET

; restores the background under sprite IX (3 bytes x 16 lines)
erase:  CALL rowof
        CALL colof
        LD C,A
        LD A,(IX+1)
        RRCA
        LD A,0AAh
        JR NC,er0
        LD A,55h
er0:    EX AF,AF'
        LD B,16
er1:    LD E,(HL)
        INC HL
        LD D,(HL)
        INC HL
        EX DE,HL
        LD A,L
        ADD A,C
        LD L,A
        EX AF,AF'
        LD (HL),A
        INC L
        LD (HL),A
        INC L
        LD (HL),A
        RLCA
        EX AF,AF'
        EX DE,HL
        DJNZ er1
        RET

; x += dx in 0..224, y += dy in 0..176, bouncing
move:   LD A,(IX+0)
        ADD A,(IX+2)
        CP 225
        JR C,mv1
        LD A,(IX+2)
        NEG
        LD (IX+2),A
        ADD A,(IX+0)
mv1:    LD (IX+0),A
        LD A,(IX+1)
        ADD A,(IX+3)
        CP 177
        JR C,mv2
        LD A,(IX+3)
        NEG
        LD (IX+3),A
        ADD A,(IX+1)
mv2:    LD (IX+1),A
        RET

; draws sprite IX masked: each row's mask and data shifted right by x & 7
draw:   CALL rowof
        LD (rowptr),HL
        CALL colof
        LD (col),A
        LD A,(IX+0)
        AND 7
        LD (shift),A
        LD IY,ball
        LD A,16
        LD (rows),A
dr1:    LD B,(IY+0)     ; mask
        LD C,(IY+1)
        LD D,(IY+2)     ; data
        LD E,(IY+3)
        LD HL,0FF00h    ; the third byte: H mask, L data
        LD A,(shift)
        OR A
        JR Z,dr3
dr2:    SCF
        RR B
        RR C
        RR H
        SRL D
        RR E
        RR L
        DEC A
        JR NZ,dr2
dr3:    LD (mk),BC
        LD (dt),DE
        LD (th),HL
        LD HL,(rowptr)
        LD E,(HL)
        INC HL
        LD D,(HL)
        INC HL
        LD (rowptr),HL
        LD A,(col)
        ADD A,E
        LD L,A
        LD H,D
        LD BC,(mk)
        LD DE,(dt)
        LD A,(HL)
        AND B
        OR D
        LD (HL),A
        INC L
        LD A,(HL)
        AND C
        OR E
        LD (HL),A
        INC L
        LD BC,(th)
        LD A,(HL)
        AND B
        OR C
        LD (HL),A
        LD BC,4
        ADD IY,BC
        LD A,(rows)
        DEC A
        LD (rows),A
        JR NZ,dr1
        RET

rowptr: DW 0
col:    DB 0
shift:  DB 0
rows:   DB 0
mk:     DW 0
dt:     DW 0
th:     DW 0

; x, y, dx, dy
sprs:   DB 10,20,1,1
        DB 60,100,2,255
        DB 120,40,255,2
        DB 200,150,254,254

; 16 rows of mask (2 bytes) and data (2 bytes): a shaded ball
ball:   DB 0F0h,00Fh,001h,080h
        DB 0E0h,007h,00Fh,0F0h
        DB 0C0h,003h,01Fh,0F8h
        DB 080h,001h,03Fh,0FCh
        DB 000h,000h,07Fh,0FEh
        DB 000h,000h,07Fh,0FEh
        DB 000h,000h,07Fh,0FEh
        DB 000h,000h,0FFh,0FDh
        DB 000h,000h,0FFh,0FAh
        DB 000h,001h,07Fh,0F4h
        DB 000h,000h,07Fh,0EAh
        DB 000h,001h,07Fh,0D4h
        DB 080h,003h,03Fh,0A8h
        DB 0C0h,007h,01Fh,050h
        DB 0E0h,00Fh,00Eh,0A0h
        DB 0F0h,05Fh,001h,000h
