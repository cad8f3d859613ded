; smc_routines.asm: a program that rewrites many distinct routines, one
; after another, every pass: NROUT routines built in RAM from a template,
; each called CALLS times through a patched CALL nn and then rewritten (an
; opcode flipped: INC C <-> DEC C), so none of them stays the same for long. With a
; small code cache the routines are evicted and come back again and again:
; what the dynarec learnt about them (given up, backed off) must survive
; eviction, or it compiles them again every time (a storm the issue
; measured on a real program: 41,436 compiles in 20,000 frames). For
; tests/node/jit-smc.test.mjs and bench/bench_jit.mjs. Flat 64K machine.
; 8003h: passes done (word); 8005h: running checksum (word).
        ORG 8000h
        JP start
passes: DW 0
sum:    DW 0

NROUT   EQU 64
RSIZE   EQU 16
CALLS   EQU 4                   ; calls of a routine before it is rewritten
routs   EQU 0A000h              ; NROUT routines of RSIZE bytes

start:  LD SP,0FF00h
        DI
        ; build the routines from the template, each with its own constant
        LD DE,routs
        LD B,NROUT
build:  PUSH BC
        LD HL,tpl
        LD BC,tpl_end-tpl
        LDIR
        POP BC
        LD HL,-(tpl_end-tpl)+2  ; the template's ADD A,n operand
        ADD HL,DE
        LD (HL),B
        LD HL,RSIZE-(tpl_end-tpl)
        ADD HL,DE
        EX DE,HL
        DJNZ build
main:
        LD HL,routs
        LD B,NROUT
call1:  LD (callop),HL
        PUSH HL
        PUSH BC
        LD B,CALLS
call2:  PUSH BC
        CALL 0                  ; patched: routine HL
callop  EQU $-2
        POP BC
        DJNZ call2
        POP BC
        POP HL
        PUSH HL                 ; rewrite it: INC C <-> DEC C
        LD DE,tpl_flip-tpl
        ADD HL,DE
        LD A,(HL)
        XOR 1
        LD (HL),A
        POP HL
        LD DE,RSIZE
        ADD HL,DE
        DJNZ call1
        LD HL,(sum)             ; sum = sum * 2 + C (mod 65536)
        ADD HL,HL
        LD E,C
        LD D,0
        ADD HL,DE
        LD (sum),HL
        LD HL,(passes)
        INC HL
        LD (passes),HL
        JP main

; the template: A = C + n, C = A, C +/- 1, a little work
tpl:    LD A,C
        ADD A,0                 ; n: the routine's own constant
        LD C,A
tpl_flip:
        INC C                   ; flipped with DEC C after each call
        RLCA
        XOR C
        LD C,A
        RET
tpl_end:
