; lockstep_game.asm: a game-like main loop for the dynarec's lockstep tests
; (tests/node/jit-lockstep.test.mjs runs it on the 48K machine for thousands
; of frames, IM 1 with interrupts on, every compiled run checked against the
; interpreter). Each pass waits for the frame with HALT as games do, then:
; an ALU sweep folding every result and its flags into a checksum (ADD,
; ADC, SUB, SBC, AND, XOR, OR, CP, INC, DEC, DAA, CPL, NEG, rotates and
; shifts, BIT, 16-bit ADC/SBC), random numbers from LD A,R and LD A,I (the
; instruction after them starts a block and is entered with their /INT
; latch set), short EI/DI sections (the instruction after EI is entered
; with the EI delay set), attribute and bitmap writes to the contended
; screen (LDIR and stores), a keyboard read and a border write per pass,
; and a stack-heavy "sprite" loop. The loops are long, and a delay
; varies from pass to pass, so frame ends (the compiled code's deadline)
; land everywhere in them.
; 8003h: passes done (word); 8005h: running checksum (word).
        ORG 8000h
        JP start
passes: DW 0
sum:    DW 0

start:  LD SP,0FF00h
        LD A,3Fh
        LD I,A
        IM 1
        EI
main:   HALT
        ; a delay that differs from pass to pass (0-255 DJNZ turns), so
        ; that frame ends fall at ever other points of the loops below
        LD A,(passes)
        LD B,A
        INC B
dly:    DJNZ dly
        ; the ALU sweep: B = data byte, C = A's start value
        LD BC,0
        LD HL,(sum)
alu:    LD A,C
        ADD A,B
        CALL fold
        LD A,C
        SCF
        ADC A,B
        CALL fold
        LD A,C
        SUB B
        CALL fold
        LD A,C
        SCF
        SBC A,B
        CALL fold
        LD A,C
        AND B
        CALL fold
        LD A,C
        XOR B
        CALL fold
        LD A,C
        OR B
        CALL fold
        LD A,C
        CP B
        CALL fold
        LD A,B
        INC A
        CALL fold
        LD A,B
        DEC A
        CALL fold
        LD A,B
        ADD A,C
        DAA
        CALL fold
        LD A,B
        CPL
        CALL fold
        LD A,B
        NEG
        CALL fold
        LD A,B
        RLA
        RRCA
        CALL fold
        LD A,B
        SRA A
        SLA C
        RL C
        CALL fold
        BIT 3,B
        LD A,C
        CALL fold
        LD D,B
        LD E,C
        ADC HL,DE
        SBC HL,BC
        INC C
        INC C
        INC C
        DJNZ alu
        LD (sum),HL

        ; random numbers: LD A,R / LD A,I, each followed by a block
        LD B,120
rnd:    LD A,R
        AND 1Fh
        LD E,A
        LD D,58h
        LD A,(DE)
        XOR E
        LD (DE),A
        LD A,I
        ADD A,E
        LD E,A
        LD HL,(sum)
        ADD HL,DE
        LD (sum),HL
        DJNZ rnd

        ; EI/DI sections: the instruction after EI is entered with the EI delay set
        LD B,100
        LD HL,5800h
eil:    DI
        LD A,(HL)
        INC A
        EI
        AND 7
        LD (HL),A
        INC HL
        LD DE,(sum)
        ADD A,E
        LD E,A
        LD (sum),DE
        DJNZ eil

        ; the screen: attributes by LDIR, bitmap by stores
        LD HL,5800h
        LD DE,5801h
        LD BC,767
        LD A,(passes)
        AND 38h
        LD (HL),A
        LDIR
        LD HL,4000h
        LD B,0
scr:    LD A,B
        XOR (HL)
        LD (HL),A
        INC HL
        DJNZ scr

        ; the keyboard and the border
        LD A,7Fh
        IN A,(0FEh)
        LD HL,(sum)
        XOR L
        LD L,A
        LD (sum),HL
        LD A,(passes)
        AND 7
        OUT (0FEh),A

        ; a stack-heavy "sprite" loop
        LD B,64
spr:    PUSH BC
        LD HL,4800h
        LD A,B
        ADD A,L
        LD L,A
        LD DE,0AA55h
        PUSH DE
        POP BC
        LD (HL),C
        INC H
        LD (HL),B
        POP BC
        DJNZ spr

        LD HL,(passes)
        INC HL
        LD (passes),HL
        JP main

; Folds A and F into HL: HL = HL rotated left + AF.
fold:   PUSH AF
        ADD HL,HL
        JR NC,f1
        INC L
f1:     POP DE
        ADD HL,DE
        RET
