; copy.asm: block copies, repeated forever: LDIR, 16x unrolled LDI, and a
; hand-written byte loop, then a checksum of the result.
; Result: 8003h = 16-bit byte sum of the copy (0F800h), 8005h = passes done.
N       EQU 4096
SRC     EQU 0A000h
DST     EQU 0C000h
TMP     EQU 0E000h

        ORG 8000h
        JP start
sum:    DW 0
iters:  DW 0

start:  LD SP,0FF00h
        LD HL,SRC               ; source: byte i = 3 + 7*i
        LD BC,N
        LD A,3
fill:   LD (HL),A
        ADD A,7
        INC HL
        DEC BC
        LD E,A
        LD A,B
        OR C
        LD A,E
        JR NZ,fill
pass:   LD HL,SRC               ; 1: LDIR
        LD DE,DST
        LD BC,N
        LDIR
        LD HL,DST               ; 2: unrolled LDI
        LD DE,TMP
        LD BC,N
ldi_l:  LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        LDI
        JP PE,ldi_l             ; P/V stays set while BC <> 0
        LD HL,TMP               ; 3: hand-written loop
        LD DE,DST
        LD BC,N
hand:   LD A,(HL)
        LD (DE),A
        INC HL
        INC DE
        DEC BC
        LD A,B
        OR C
        JR NZ,hand
        LD HL,DST               ; checksum
        LD BC,N
        LD DE,0
cs:     LD A,(HL)
        ADD A,E
        LD E,A
        JR NC,cs1
        INC D
cs1:    INC HL
        DEC BC
        LD A,B
        OR C
        JR NZ,cs
        LD (sum),DE
        LD HL,(iters)
        INC HL
        LD (iters),HL
        JP pass
