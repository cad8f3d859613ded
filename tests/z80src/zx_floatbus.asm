; zx_floatbus.asm: beam synchronisation through the floating bus, the way
; games do it (Arkanoid, Cobra, Sidewize: Ramsoft, "The floating bus
; explained"). Run from 8000h on a 48K (all code, data and stack above
; 8000h, so nothing here is contended but the ports it is told to use).
; tests/native/test_zx.c checks the results against the documented ULA
; fetch pattern; tests/node/floating-bus.test.mjs runs it with the dynarec
; on and off.
;
; Frame 0 fills the screen: every bitmap byte is its address's low 7 bits
; (00h-7Fh) and every attribute is 80h + its column (80h-9Fh), so a byte
; read from the floating bus says whether it was a bitmap or an attribute
; fetch, and which column. Nothing on screen is FFh, the idle bus value.
; Then each frame, entered through an IM 2 interrupt, runs one phase:
;   A: poll IN A,(0FFh) (port 00FFh) until it reads a screen byte; then 32
;      reads IN E,(C) 39 T apart (39 = -1 mod 8: the sample point walks
;      back across the 8-T fetch pattern), then INIR of 16 ports 10FFh down
;      to 01FFh, 21 T apart; then count until the next interrupt
;   B: poll IN E,(C) (port 00FFh) until a screen byte; count
;   C: poll IN A,(0FFh) with A=40h: port 40FFh, whose high byte is in
;      contended memory, so the I/O cycle waits at each of its four T-states
;      (WoS "Contended I/O": C:1, C:1, C:1, C:1); count
; The counters (INC HL; JP, 16 T a pass) tell how far the frame's end was.
        ORG 8000h
        JP start
res_a:          DB 0FFh         ; 8003h: byte phase A's poll read
res_a_polls:    DW 0            ; 8004h: its IN A,(0FFh) count
res_a_count:    DW 0            ; 8006h: passes of its counter until /INT
res_b:          DB 0FFh         ; 8008h
res_b_polls:    DW 0            ; 8009h
res_b_count:    DW 0            ; 800Bh
res_c:          DB 0FFh         ; 800Dh
res_c_polls:    DW 0            ; 800Eh
res_c_count:    DW 0            ; 8010h
res_done:       DB 0            ; 8012h: rounds of phases A-C done
walk_buf:       DS 32           ; 8013h: phase A's IN E,(C) samples
inir_buf:       DS 16           ; 8033h: phase A's INIR samples
next:           DW 0            ; the phase the next interrupt starts
count:          DW 0            ; HL when it came

start:  DI
        LD SP,0F000h
        INCLUDE "im2_vectors.inc"
        LD HL,4000h
fill_bitmap:
        LD A,L
        AND 7Fh
        LD (HL),A
        INC HL
        LD A,H
        CP 58h
        JR NZ,fill_bitmap
fill_attr:
        LD A,L
        AND 1Fh
        OR 80h
        LD (HL),A
        INC HL
        LD A,H
        CP 5Bh
        JR NZ,fill_attr
        LD HL,phase_a
        LD (next),HL
        EI
        HALT

; IM 2 acknowledge 19 T, JP at FDFDh 10 T, then 46 T here: a phase starts
; 75 T after the interrupt was accepted.
isr:    POP DE                  ; 10: drop the interrupted PC
        LD (count),HL           ; 16: the counter of the phase that ended
        LD HL,(next)            ; 16
        JP (HL)                 ; 4

phase_a:
        LD HL,phase_b           ; 10
        LD (next),HL            ; 16
        LD HL,0                 ; 10
        XOR A                   ; 4: A=0: port 00FFh
poll_a: INC HL                  ; 6
        IN A,(0FFh)             ; 11: I/O cycle from +7, data latched at +10
        INC A                   ; 4: FFh (idle) -> 0: port 00FFh again
        JR Z,poll_a             ; 12 taken: 33 T a poll
        DEC A                   ; 4
        LD (res_a),A            ; 13
        LD (res_a_polls),HL     ; 16
        LD BC,00FFh             ; 10
        LD HL,walk_buf          ; 10
        LD D,32                 ; 7
walk_a: IN E,(C)                ; 12: I/O cycle from +8, data latched at +11
        LD (HL),E               ; 7
        INC HL                  ; 6
        DEC D                   ; 4
        JP NZ,walk_a            ; 10: 39 T a read
        LD BC,10FFh             ; 10: HL is inir_buf
        INIR                    ; 21 T a repeat: I/O cycle from +9, latched at +12
        EI
        LD HL,0
count_a:
        INC HL
        JP count_a

phase_b:
        LD HL,(count)
        LD (res_a_count),HL
        LD HL,phase_c
        LD (next),HL
        LD BC,00FFh
        LD HL,0
poll_b: INC HL                  ; 6
        IN E,(C)                ; 12: latched at +11
        INC E                   ; 4
        JR Z,poll_b             ; 12: 34 T a poll
        DEC E
        LD A,E
        LD (res_b),A
        LD (res_b_polls),HL
        EI
        LD HL,0
count_b:
        INC HL
        JP count_b

phase_c:
        LD HL,(count)
        LD (res_b_count),HL
        LD HL,phase_done
        LD (next),HL
        LD HL,0
        EI                      ; a poll that never succeeds ends at /INT
poll_c: INC HL                  ; 6
        LD A,40h                ; 7: port 40FFh, contended
        IN A,(0FFh)             ; 11 + contention
        CP 0FFh                 ; 7
        JR Z,poll_c             ; 12
        LD (res_c),A
        LD (res_c_polls),HL
        LD HL,0
count_c:
        INC HL
        JP count_c

; Three rounds, so that a dynarec has compiled every loop by the last.
phase_done:
        LD HL,(count)
        LD (res_c_count),HL
        LD HL,res_done
        INC (HL)
        LD A,(HL)
        CP 3
        JR NC,stop
        LD HL,phase_a
        LD (next),HL
        EI
        LD HL,0
count_d:
        INC HL
        JP count_d
stop:   DI
        HALT
