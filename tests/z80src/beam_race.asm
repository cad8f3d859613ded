; beam_race.asm: stores into the screen racing the beam, for
; tests/node/jit-hook-window.test.mjs (the write-hook window, z80.h
; hook_window: a store must reach the renderer first exactly when a cell
; latched before it and not yet drawn reads the byte). Two kinds of frame:
; - even frames (sweep): after a delay that moves by 1 T from frame to frame
;   (0-3 extra LD A,n of 7 T and 1-16 DJNZ rounds of 13 T), 1,000 stores
;   into the bitmap and attributes in address order from an offset that
;   moves every frame, wrapping at 5B00h, about 60 T apart;
; - odd frames (chase): after a delay that moves by 1 T every other frame,
;   one store per screen line into column 16 of that line, 225 T apart:
;   the store drifts 1 T a line against the beam, so in some frames it
;   reaches the column's fetch just as the ULA latches it (a contended store
;   starts before the latch and lands after it: the cell must show the old
;   byte).
; Runs forever, deterministic. 8003h: frames (byte).
        ORG 8000h
        JP start
frame:  DB 0

LTAB    EQU 0C000h      ; 192 words

start:  DI
        LD SP,0FD00h
        INCLUDE "im2_vectors.inc"
        EI

        LD IX,LTAB      ; the address of column 16 of each screen line
        LD B,192
        LD HL,4010h
mkl:    LD (IX+0),L
        LD (IX+1),H
        INC IX
        INC IX
        INC H           ; next line: down one pixel row ...
        LD A,H
        AND 7
        JR NZ,mkl2
        LD A,L          ; ... or one character row
        ADD A,32
        LD L,A
        JR C,mkl2       ; next third
        LD A,H
        SUB 8
        LD H,A
mkl2:   DJNZ mkl

loop:   HALT
        LD A,(frame)
        INC A
        LD (frame),A
        LD C,A
        RRCA
        JP C,chase
        LD A,C
        AND 3           ; 0-3 extra 7-T loads: with 4-T steps, any phase
        ADD A,A
        LD E,A
        LD D,0
        LD HL,fine+6
        AND A
        SBC HL,DE
        JP (HL)
fine:   LD A,0
        LD A,0
        LD A,0
        LD A,C          ; coarse: (frame >> 2) & 15 rounds, + 1
        RRCA
        RRCA
        AND 15
        INC A
        LD B,A
coarse: DJNZ coarse
        LD A,C          ; start: 4000h + (frame * 37) mod 1B00h, roughly
        LD L,A
        LD H,0
        LD D,H
        LD E,L
        ADD HL,HL
        ADD HL,HL
        ADD HL,HL
        ADD HL,DE       ; * 9
        ADD HL,HL
        ADD HL,HL       ; * 36
        ADD HL,DE       ; * 37 (< 9435)
        LD A,H
cut:    CP 1Bh
        JR C,cutok
        SUB 1Bh
        JR cut
cutok:  ADD A,40h
        LD H,A
        LD D,C          ; the first value
        LD BC,1000
sweep:  LD (HL),D
        INC HL
        LD A,H
        CP 5Bh
        JR NZ,nowrap
        LD H,40h
nowrap: LD A,D
        ADD A,L
        RRCA
        XOR 5Ah
        LD D,A
        DEC BC
        LD A,B
        OR C
        JR NZ,sweep
        JR loop

; odd frames: wait to about the top of the screen, then one store a line
chase:  LD A,C          ; fine: (frame >> 1) & 3 extra 7-T loads
        RRCA
        AND 3
        ADD A,A
        LD E,A
        LD D,0
        LD HL,cfine+6
        AND A
        SBC HL,DE
        JP (HL)
cfine:  LD A,0
        LD A,0
        LD A,0
        LD A,C          ; coarse: (frame >> 3) & 15 rounds of 13 T, + 1
        RRCA
        RRCA
        RRCA
        AND 15
        INC A
        LD B,A
ccoar:  DJNZ ccoar
        LD B,4          ; 13,451 T: near the top of the screen
cwait:  PUSH BC
        LD B,0
cwait2: DJNZ cwait2
        POP BC
        DJNZ cwait
        LD B,40         ; 522 T more: the first store lands 150 T before
cwait3: DJNZ cwait3     ; to 60 T after column 16's fetch on line 0
        LD IX,LTAB
        LD L,C          ; the frame, folded into the values stored
        LD H,192        ; lines to go
cline:  LD E,(IX+0)     ; 19
        LD D,(IX+1)     ; 19
        LD A,H          ; 4
        XOR L           ; 4
        LD (DE),A       ; 7, and the screen's contention
        INC IX          ; 10
        INC IX          ; 10
        NOP             ; 4
        LD B,10         ; 7
cpad:   DJNZ cpad       ; 125
        DEC H           ; 4
        JR NZ,cline     ; 12: 225 T a line
        JP loop

isr:    EI
        RETI
