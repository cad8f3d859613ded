; crc.asm: bitwise CRC-16-CCITT (poly 1021h, init 0FFFFh) over 4096
; bytes (byte i = 3 + 7*i), repeated forever: shifts, DJNZ, PUSH/POP.
; Result: 8003h = CRC of the last pass, 8005h = passes done.
N       EQU 4096
BUF     EQU 0A000h

        ORG 8000h
        JP start
crc:    DW 0
iters:  DW 0

start:  LD SP,0FF00h
        LD HL,BUF
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
pass:   LD HL,BUF
        LD BC,N
        LD DE,0FFFFh            ; the CRC
crcbyte:   LD A,(HL)
        XOR D
        LD D,A
        PUSH BC
        LD B,8
crcbit: SLA E
        RL D
        JR NC,nox
        LD A,D
        XOR 10h
        LD D,A
        LD A,E
        XOR 21h
        LD E,A
nox:    DJNZ crcbit
        POP BC
        INC HL
        DEC BC
        LD A,B
        OR C
        JR NZ,crcbyte
        LD (crc),DE
        LD HL,(iters)
        INC HL
        LD (iters),HL
        JP pass
