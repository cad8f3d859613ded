; flow_shapes.asm: control flow of every shape the dynarec's structuring
; (wasm-backend/wb_flow.c) meets, for tests/node/jit-lockstep.test.mjs,
; which runs it on the 48K machine with every compiled run checked against
; the interpreter. Each pass waits for the frame with HALT, then calls:
;   diamond:  two paths that join again (a merge block)
;   nested:   a loop in a loop, the inner one left at two places
;   inside:   a loop entered in the middle as well as at its top: not
;             reducible, so its function is rendered by the Relooper
;   chain:    a run of forward jumps over each other, several joining
; each folding what it computes into a checksum. A delay that differs from
; pass to pass moves the frame's end (the compiled code's deadline)
; through all of them.
; 8003h: passes done (word); 8005h: checksum (word).
        ORG 8000h
        JP start
passes: DW 0
sum:    DW 0

start:  LD SP,0FF00h
        IM 1
        EI
main:   HALT
        LD A,(passes)
        LD B,A
        INC B
delay:  DJNZ delay
        LD C,0
        LD B,40
loop:   LD A,B
        CALL diamond
        CALL nested
        LD A,B
        AND 7
        CALL inside
        LD A,B
        CALL chain
        DJNZ loop
        LD HL,(passes)
        INC HL
        LD (passes),HL
        JP main

; A: the value; adds 1 or 3 to the checksum, then a common tail
diamond:
        RRCA
        JR C,odd
        LD DE,1
        JR join
odd:    LD DE,3
join:   LD HL,(sum)
        ADD HL,DE
        LD (sum),HL
        RET

; an inner loop of 1-4 turns in an outer loop of 3, the inner one left
; early when its count and C agree
nested: PUSH BC
        LD B,3
outer:  LD A,B
        AND 3
        INC A
        LD E,A
inner:  INC C
        LD A,C
        AND 0Fh
        CP E
        JR Z,early
        DEC E
        JR NZ,inner
early:  DJNZ outer
        LD HL,(sum)
        LD A,C
        ADD A,L
        LD L,A
        LD (sum),HL
        POP BC
        RET

; A: 0-7. Zero enters the loop at `bottom`, anything else at `top`: two
; ways into one cycle.
inside: PUSH BC
        LD B,A
        OR A
        JR Z,bottom
top:    LD A,(sum)
        XOR B
        LD (sum),A
bottom: INC C
        LD A,C
        AND 3
        JR NZ,top
        POP BC
        RET

; A: the value; forward jumps over each other, joining at `last`
chain:  LD D,A
        BIT 0,D
        JR Z,c1
        INC C
c1:     BIT 1,D
        JR NZ,c3
        BIT 2,D
        JR Z,last
        INC C
        JR last
c3:     DEC C
last:   LD A,(sum+1)
        ADD A,C
        LD (sum+1),A
        RET
