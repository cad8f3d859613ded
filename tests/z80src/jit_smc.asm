; jit_smc.asm: self-modifying code, block instructions and hot loops under
; interrupts, for the dynarec's lockstep test (tests/node/jit.test.mjs runs
; it on the 48K machine, IM 1 with interrupts on, JIT on and off).
; 8003h: passes done (word); 8005h: running checksum (word).
        ORG 8000h
        JP start
passes: DW 0
sum:    DW 0

start:  LD SP,0FF00h
        IM 1
        EI
main:
        ; a store into the running block: the loop patches its own operand
        LD B,200
l1:     LD A,0
op1     EQU $-1
        INC A
        LD (op1),A
        DJNZ l1
        CALL acc
        ; a patched opcode: INC C <-> DEC C every iteration
        LD B,101
l2:     INC C
        LD A,(l2)
        XOR 1
        LD (l2),A
        DJNZ l2
        LD A,C
        CALL acc
        ; code copied to RAM, run, patched, run again
        LD HL,tpl
        LD DE,0C000h
        LD BC,tpl_end-tpl
        LDIR
        CALL 0C000h
        LD A,(0C001h)
        ADD A,3
        LD (0C001h),A
        CALL 0C000h
        LD A,C
        CALL acc
        ; block instructions
        LD HL,9000h
        LD DE,9001h
        LD BC,0FFh
        LD (HL),7
        LDIR
        LD HL,90FFh
        LD DE,91FFh
        LD BC,100h
        LDDR
        LD HL,9100h
        LD BC,100h
        LD A,7
        CPIR
        LD A,C
        CALL acc
        ; a hot loop that interrupts arrive in
        LD DE,2000
        LD IX,0
l5:     ADD IX,DE
        LD A,IXH
        XOR E
        RRCA
        DEC DE
        LD A,D
        OR E
        JR NZ,l5
        LD A,IXL
        CALL acc
        LD HL,(passes)
        INC HL
        LD (passes),HL
        JP main

acc:    LD HL,(sum)             ; sum = sum * 2 + A (mod 65536)
        ADD HL,HL
        LD E,A
        LD D,0
        ADD HL,DE
        LD (sum),HL
        RET

tpl:    LD A,5
        ADD A,C
        LD C,A
        RET
tpl_end:
