; game_logic.asm: CALL/RET-heavy game logic with a jump table, for
; bench/bench_machine.mjs. 48 entities of 4 bytes (type, x, y, timer); each
; game frame the player moves and every entity is dispatched through a
; jump table on its type to one of 8 behaviours (walker, bouncer, chaser,
; shooter, shape-shifter, sleeper, orbiter, spawner), which call small
; subroutines (a random number, clamping, distance to the player, moving
; a step towards it, adding to a BCD score, a collision check), nested
; two or three deep as game code is. Four passes over the entities make a
; game frame; then HALT until the next interrupt (IM 2; the handler counts
; frames) and a border colour from the score. Runs forever, deterministic.
; 8003h: game frames done (word); 8005h: score (BCD, word); 8007h: ticks.
        ORG 8000h
        JP start
gframes: DW 0
score:  DW 0
ticks:  DW 0
seed:   DW 1234h
px:     DB 128
py:     DB 96
hits:   DB 0

NENT    EQU 48

start:  DI
        LD SP,0FD00h
        INCLUDE "im2_vectors.inc"
        ; entities: type = i & 7, x = i * 5, y = i * 3, timer = i
        LD IX,ents
        LD B,NENT
        LD C,0
init:   LD A,C
        AND 7
        LD (IX+0),A
        LD A,C
        ADD A,A
        ADD A,A
        ADD A,C
        LD (IX+1),A
        LD A,C
        ADD A,A
        ADD A,C
        LD (IX+2),A
        LD (IX+3),C
        INC C
        LD DE,4
        ADD IX,DE
        DJNZ init
        EI

frame:  LD B,4
pass:   PUSH BC
        CALL player
        LD IX,ents
        LD B,NENT
ent:    PUSH BC
        CALL dispatch
        LD DE,4
        ADD IX,DE
        POP BC
        DJNZ ent
        POP BC
        DJNZ pass
        LD HL,(gframes)
        INC HL
        LD (gframes),HL
        LD A,(score)
        AND 7
        OUT (0FEh),A
        HALT
        JR frame

isr:    PUSH HL
        LD HL,(ticks)
        INC HL
        LD (ticks),HL
        POP HL
        EI
        RETI

dispatch:
        LD A,(IX+0)
        AND 7
        ADD A,A
        LD E,A
        LD D,0
        LD HL,jtab
        ADD HL,DE
        LD E,(HL)
        INC HL
        LD D,(HL)
        EX DE,HL
        JP (HL)

jtab:   DW walker,bouncer,chaser,shooter,shifter,sleeper,orbiter,spawner

; the player wanders: a random step in x and y
player: CALL rnd
        AND 3
        DEC A
        DEC A
        LD HL,px
        ADD A,(HL)
        CALL clampx
        LD (HL),A
        CALL rnd
        AND 3
        DEC A
        DEC A
        LD HL,py
        ADD A,(HL)
        CALL clampy
        LD (HL),A
        RET

walker: LD A,(IX+1)
        INC A
        CALL clampx
        LD (IX+1),A
        JP collide

bouncer:
        CALL rnd
        AND 7
        SUB 4
        ADD A,(IX+2)
        CALL clampy
        LD (IX+2),A
        CALL rnd
        AND 3
        SUB 2
        ADD A,(IX+1)
        CALL clampx
        LD (IX+1),A
        RET

chaser: CALL stepto
        CALL dist
        CP 16
        RET NC
        LD A,1
        JP addscore

shooter:
        LD A,(IX+3)
        INC A
        LD (IX+3),A
        AND 15
        RET NZ
        CALL dist
        CP 64
        RET NC
        LD A,5
        CALL addscore
        JP collide

shifter:
        CALL rnd
        AND 31
        RET NZ
        CALL rnd
        AND 7
        LD (IX+0),A
        RET

sleeper:
        LD A,(IX+3)
        DEC A
        LD (IX+3),A
        RET NZ
        LD (IX+0),2     ; wakes up as a chaser
        RET

orbiter:
        LD A,(IX+3)
        ADD A,8
        LD (IX+3),A
        AND 40h
        LD A,(IX+1)
        JR Z,orb1
        ADD A,2
        JR orb2
orb1:   SUB 2
orb2:   CALL clampx
        LD (IX+1),A
        JP stepto

spawner:
        CALL rnd
        AND 63
        RET NZ
        LD A,(px)
        LD (IX+1),A
        LD A,(py)
        LD (IX+2),A
        LD (IX+0),5     ; becomes a sleeper
        LD (IX+3),40
        RET

; one step of (IX+1, IX+2) towards the player
stepto: LD A,(px)
        LD B,(IX+1)
        CALL towards
        LD (IX+1),A
        LD A,(py)
        LD B,(IX+2)
        CALL towards
        LD (IX+2),A
        RET

; A = B moved one step towards A
towards:
        CP B
        LD A,B
        RET Z
        JR C,tw1
        INC A
        RET
tw1:    DEC A
        RET

; A = |px - x| + |py - y| (saturating at 255)
dist:   LD A,(px)
        SUB (IX+1)
        CALL absa
        LD C,A
        LD A,(py)
        SUB (IX+2)
        CALL absa
        ADD A,C
        RET NC
        LD A,255
        RET

absa:   RET NC
        NEG
        RET

; on the player's square: a hit, the entity is thrown back
collide:
        CALL dist
        CP 4
        RET NC
        LD HL,hits
        INC (HL)
        LD A,(IX+1)
        XOR 80h
        LD (IX+1),A
        LD A,10h
        JP addscore

; score += A (BCD)
addscore:
        LD HL,score
        ADD A,(HL)
        DAA
        LD (HL),A
        INC HL
        LD A,(HL)
        ADC A,0
        DAA
        LD (HL),A
        RET

clampx: CP 248
        RET C
        CP 252
        LD A,247
        RET C
        XOR A
        RET

clampy: CP 184
        RET C
        CP 220
        LD A,183
        RET C
        XOR A
        RET

; A = a pseudo-random byte (16-bit xorshift); keeps HL
rnd:    PUSH HL
        LD HL,(seed)
        LD A,H
        RRA
        LD A,L
        RRA
        XOR H
        LD H,A
        LD A,L
        RRA
        LD A,H
        RRA
        XOR L
        LD L,A
        XOR H
        LD H,A
        LD (seed),HL
        POP HL
        RET

ents:   DS NENT*4
