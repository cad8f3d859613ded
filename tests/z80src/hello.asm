; hello.asm: the headless runner's tape-loading test program (loaded from a
; TAP that tools/mktap.mjs builds around it). It proves that the code was
; loaded whole and ran: it prints a fixed message and a sum it computes
; (1 + 2 + ... + 100 = 5050) through the ROM's RST 16 on the upper screen,
; sets the border to red, and returns to BASIC.
        org 0x8000

CHAN_OPEN equ 0x1601        ; ROM: open the stream in A
BORDCR    equ 23624         ; system variable: border colour * 8 | attributes

start:
        ld a, 2             ; stream 2: the upper screen
        call CHAN_OPEN
        ld hl, message
        call print_string

        ld hl, 0            ; HL = 1 + 2 + ... + 100
        ld de, 1
        ld b, 100
sum:    add hl, de
        inc de
        djnz sum
        call print_decimal

        ld a, 2             ; red border, kept by the ROM through BORDCR
        out (254), a
        ld a, 2 * 8 + 7
        ld (BORDCR), a
        ret                 ; back to BASIC: "0 OK"

; Prints the 0-terminated string at HL.
print_string:
        ld a, (hl)
        or a
        ret z
        call putc
        inc hl
        jr print_string

; Prints HL (0-65535) in decimal without leading zeros.
print_decimal:
        ld c, 0             ; set once a digit has been printed
        ld de, -10000
        call digit
        ld de, -1000
        call digit
        ld de, -100
        call digit
        ld de, -10
        call digit
        ld a, l             ; units: always printed
        add a, '0'
        jr putc

; Prints the digit of HL for the power of ten -DE and leaves the remainder.
digit:
        ld a, '0' - 1
dloop:  inc a
        add hl, de
        jr c, dloop
        sbc hl, de          ; carry is clear here: undo the last add
        cp '0'
        jr nz, dprint
        bit 0, c
        ret z               ; leading zero: skip
dprint: ld c, 1
        ; fall through

; Prints the character in A through the ROM (RST 16 may change BC, DE, HL).
putc:
        push bc
        push de
        push hl
        rst 16
        pop hl
        pop de
        pop bc
        ret

message:
        defm "HELLO FROM Z80 "
        defb 0
