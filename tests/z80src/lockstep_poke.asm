; lockstep_poke.asm: a hot loop whose immediate operand the lockstep test
; (tests/node/jit-lockstep.test.mjs) rewrites directly in memory, behind
; the dynarec's back (no flush), once the loop runs compiled: the compiled
; function keeps the old operand, the interpreter replaying it reads the
; new one, and lockstep must name every consequence: A and the flag bits
; of F, the byte stored to 9000h, the OUT's port and value.
        ORG 8000h
        DI
        LD SP,0FF00h
loop:   LD A,11h        ; 8004h; the operand at 8005h is rewritten
        ADD A,A
        LD (9000h),A
        OUT (0FEh),A
        JR loop
