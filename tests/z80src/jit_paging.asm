; jit_paging.asm: bank switching under the dynarec (tests/node/jit-paging.test.mjs
; and tests/native/test_jit_phys.c run it on a banked machine: four 16K slots
; over eight 16K RAM banks, slot 0 = bank 3, slot 1 = bank 5, slot 2 = bank 2,
; slot 3 = the bank last written to port 0FDh).
;
; Phase A (once): bank 5 is seen at 4000h and at C000h, and the same routine
; is called through both addresses; then patched through one address and
; called through the other (the result shows whether the new code ran).
; Phase B (forever): banks 6 and 7 are paged in and out of slot 3 and each
; one's routine at C000h called; bank 5 comes back and its routine is called
; through both addresses.
BANKPORT EQU 0FDh
        ORG 8000h
        JP start
passes: DW 0            ; 8003h: phase B passes
res1:   DB 0            ; 8005h: patched through C101h, called at 4100h (10)
res2:   DB 0            ; 8006h: patched through 4101h, called at C100h (100)
res3:   DB 0            ; 8007h: C after phase A's first loop (40)
sum:    DW 0            ; 8008h: checksum of phase B

start:  LD SP,0BF00h
        LD HL,tpl               ; bank 5, offset 100h: C += 1
        LD DE,4100h
        LD BC,tpl_len
        LDIR
        LD A,6                  ; bank 6, offset 0: C += 3
        OUT (BANKPORT),A
        LD HL,tpl6
        LD DE,0C000h
        LD BC,tpl_len
        LDIR
        LD A,7                  ; bank 7, offset 0: C += 5
        OUT (BANKPORT),A
        LD HL,tpl7
        LD DE,0C000h
        LD BC,tpl_len
        LDIR

        ; phase A: one bank at two addresses
        LD A,5
        OUT (BANKPORT),A
        LD C,0
        LD B,20
a1:     CALL 4100h
        CALL 0C100h
        DJNZ a1
        LD A,C
        LD (res3),A
        LD A,10                 ; LD A,1 -> LD A,10, stored through C000h
        LD (0C101h),A
        LD C,0
        CALL 4100h
        LD A,C
        LD (res1),A
        LD B,20
a2:     CALL 4100h
        CALL 0C100h
        DJNZ a2
        LD A,100                ; LD A,10 -> LD A,100, stored through 4000h
        LD (4101h),A
        LD C,0
        CALL 0C100h
        LD A,C
        LD (res2),A

        ; phase B: paging back and forth
loop:   LD C,0
        LD A,6
        OUT (BANKPORT),A
        CALL 0C000h
        LD A,7
        OUT (BANKPORT),A
        CALL 0C000h
        LD A,5
        OUT (BANKPORT),A
        CALL 0C100h
        CALL 4100h
        LD A,C                  ; 3 + 5 + 100 + 100
        LD HL,(sum)             ; sum = sum * 2 + A (mod 65536)
        ADD HL,HL
        LD E,A
        LD D,0
        ADD HL,DE
        LD (sum),HL
        LD HL,(passes)
        INC HL
        LD (passes),HL
        JP loop

tpl:    LD A,1
        ADD A,C
        LD C,A
        RET
tpl_len EQU $-tpl
tpl6:   LD A,3
        ADD A,C
        LD C,A
        RET
tpl7:   LD A,5
        ADD A,C
        LD C,A
        RET
