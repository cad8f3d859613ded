; keyword_editor.asm: a 16K test ROM with a Sinclair-style keyword-entry
; line editor, so the typer's keyword entry (web/key-typer.mjs) is tested
; without the Sinclair/Amstrad ROM (which may not be put in the repo).
; Written here from the documented behaviour of the 48K ROM (The Complete
; Spectrum ROM Disassembly: KEYBOARD, K-DECODE, KEY-INPUT, ADD-CHAR,
; OUT-CHAR, OUT-CURS); none of its code is used. What it shares with it:
;   - the token table at 0095h (how web/keyword-keys.mjs recognises a
;     keyword-entry ROM), token codes A5h-FFh and the key tables' contents;
;   - the system variables the typer reads, at their addresses: LAST-K
;     5C08h, FLAGS 5C3Bh (bit 3: 0 = K mode; bit 5: a key waits), TV_FLAG
;     5C3Ch (bit 3: reprint the line, which works out the mode), MODE 5C41h
;     (0 K/L/C, 1 E, 2 G), FLAGS2 5C6Ah (bit 3: caps lock);
;   - the K/L decision: K at the start of the line, after THEN and after ':'
;     outside quotes; digits and spaces keep the mode; anything else gives
;     L. CAPS+SYMBOL toggles E mode, CAPS+9 G mode, CAPS+2 caps lock, and a
;     character added ends E mode;
;   - the keyboard wait loop at 10A8h (KEY-INPUT), where the typer expects
;     an idle editor.
; Simplifications: a key registers when it goes down (no auto-repeat), the
; line is not shown on the screen (only a banner, in a made-up font at
; 3D00h), the cursor is always at the end of the line, DELETE removes the
; last character.
; Each line entered with ENTER is appended, with a 0Dh after it, to the log
; at 7000h; LOGPTR (5F02h) points past its end. tests/node/typing.test.mjs
; types into it and reads the log.

LAST_K  equ 5C08h
PREVKEY equ 5C00h       ; the key (or FEh: CAPS+SYMBOL) down at the last scan, FFh none
LINELEN equ 5F00h
SLOW    equ 5F10h       ; frames each reprint takes (0: at once); set by tests
LOGPTR  equ 5F02h
LINEBUF equ 6000h
LOG     equ 7000h
LINEMAX equ 250

        org 0000h
        di
        jp init

        defs 0038h-$
; IM 1 interrupt, 50 times a second: scan and decode the keyboard.
        push af
        push bc
        push de
        push hl
        call keyboard
        pop hl
        pop de
        pop bc
        pop af
        ei
        ret

        defs 0066h-$
        retn

        defs 0095h-$
; The token table, as the 48K ROM lays it out.
        defb '?'+80h
        defb "RN",'D'+80h            ; A5h RND
        defb "INKEY",'$'+80h         ; A6h INKEY$
        defb "P",'I'+80h             ; A7h PI
        defb "F",'N'+80h             ; A8h FN
        defb "POIN",'T'+80h          ; A9h POINT
        defb "SCREEN",'$'+80h        ; AAh SCREEN$
        defb "ATT",'R'+80h           ; ABh ATTR
        defb "A",'T'+80h             ; ACh AT
        defb "TA",'B'+80h            ; ADh TAB
        defb "VAL",'$'+80h           ; AEh VAL$
        defb "COD",'E'+80h           ; AFh CODE
        defb "VA",'L'+80h            ; B0h VAL
        defb "LE",'N'+80h            ; B1h LEN
        defb "SI",'N'+80h            ; B2h SIN
        defb "CO",'S'+80h            ; B3h COS
        defb "TA",'N'+80h            ; B4h TAN
        defb "AS",'N'+80h            ; B5h ASN
        defb "AC",'S'+80h            ; B6h ACS
        defb "AT",'N'+80h            ; B7h ATN
        defb "L",'N'+80h             ; B8h LN
        defb "EX",'P'+80h            ; B9h EXP
        defb "IN",'T'+80h            ; BAh INT
        defb "SQ",'R'+80h            ; BBh SQR
        defb "SG",'N'+80h            ; BCh SGN
        defb "AB",'S'+80h            ; BDh ABS
        defb "PEE",'K'+80h           ; BEh PEEK
        defb "I",'N'+80h             ; BFh IN
        defb "US",'R'+80h            ; C0h USR
        defb "STR",'$'+80h           ; C1h STR$
        defb "CHR",'$'+80h           ; C2h CHR$
        defb "NO",'T'+80h            ; C3h NOT
        defb "BI",'N'+80h            ; C4h BIN
        defb "O",'R'+80h             ; C5h OR
        defb "AN",'D'+80h            ; C6h AND
        defb "<",'='+80h             ; C7h <=
        defb ">",'='+80h             ; C8h >=
        defb "<",'>'+80h             ; C9h <>
        defb "LIN",'E'+80h           ; CAh LINE
        defb "THE",'N'+80h           ; CBh THEN
        defb "T",'O'+80h             ; CCh TO
        defb "STE",'P'+80h           ; CDh STEP
        defb "DEF F",'N'+80h         ; CEh DEF FN
        defb "CA",'T'+80h            ; CFh CAT
        defb "FORMA",'T'+80h         ; D0h FORMAT
        defb "MOV",'E'+80h           ; D1h MOVE
        defb "ERAS",'E'+80h          ; D2h ERASE
        defb "OPEN ",'#'+80h         ; D3h OPEN #
        defb "CLOSE ",'#'+80h        ; D4h CLOSE #
        defb "MERG",'E'+80h          ; D5h MERGE
        defb "VERIF",'Y'+80h         ; D6h VERIFY
        defb "BEE",'P'+80h           ; D7h BEEP
        defb "CIRCL",'E'+80h         ; D8h CIRCLE
        defb "IN",'K'+80h            ; D9h INK
        defb "PAPE",'R'+80h          ; DAh PAPER
        defb "FLAS",'H'+80h          ; DBh FLASH
        defb "BRIGH",'T'+80h         ; DCh BRIGHT
        defb "INVERS",'E'+80h        ; DDh INVERSE
        defb "OVE",'R'+80h           ; DEh OVER
        defb "OU",'T'+80h            ; DFh OUT
        defb "LPRIN",'T'+80h         ; E0h LPRINT
        defb "LLIS",'T'+80h          ; E1h LLIST
        defb "STO",'P'+80h           ; E2h STOP
        defb "REA",'D'+80h           ; E3h READ
        defb "DAT",'A'+80h           ; E4h DATA
        defb "RESTOR",'E'+80h        ; E5h RESTORE
        defb "NE",'W'+80h            ; E6h NEW
        defb "BORDE",'R'+80h         ; E7h BORDER
        defb "CONTINU",'E'+80h       ; E8h CONTINUE
        defb "DI",'M'+80h            ; E9h DIM
        defb "RE",'M'+80h            ; EAh REM
        defb "FO",'R'+80h            ; EBh FOR
        defb "GO T",'O'+80h          ; ECh GO TO
        defb "GO SU",'B'+80h         ; EDh GO SUB
        defb "INPU",'T'+80h          ; EEh INPUT
        defb "LOA",'D'+80h           ; EFh LOAD
        defb "LIS",'T'+80h           ; F0h LIST
        defb "LE",'T'+80h            ; F1h LET
        defb "PAUS",'E'+80h          ; F2h PAUSE
        defb "NEX",'T'+80h           ; F3h NEXT
        defb "POK",'E'+80h           ; F4h POKE
        defb "PRIN",'T'+80h          ; F5h PRINT
        defb "PLO",'T'+80h           ; F6h PLOT
        defb "RU",'N'+80h            ; F7h RUN
        defb "SAV",'E'+80h           ; F8h SAVE
        defb "RANDOMIZ",'E'+80h      ; F9h RANDOMIZE
        defb "I",'F'+80h             ; FAh IF
        defb "CL",'S'+80h            ; FBh CLS
        defb "DRA",'W'+80h           ; FCh DRAW
        defb "CLEA",'R'+80h          ; FDh CLEAR
        defb "RETUR",'N'+80h         ; FEh RETURN
        defb "COP",'Y'+80h           ; FFh COPY

        defs 0300h-$
init:
        ld sp,0FF00h
        ld hl,4000h             ; clear screen, system variables, buffers
        ld de,4001h
        ld bc,3FFFh
        ld (hl),0
        ldir
        ld hl,5800h             ; black ink on white paper
        ld de,5801h
        ld bc,02FFh
        ld (hl),38h
        ldir
        ld iy,5C3Ah
        ld hl,LOG
        ld (LOGPTR),hl
        ld a,0FFh
        ld (PREVKEY),a
        ld hl,banner            ; a line of text, so that runners that wait
        ld de,4000h             ; for the ROM's first words (--type) see one
pr_char:
        ld a,(hl)
        or a
        jr z,pr_done
        push hl
        push de
        ld l,a                  ; glyph at 3C00h + 8 * code (CHARS + 256 = 3D00h for ' ')
        ld h,0
        add hl,hl
        add hl,hl
        add hl,hl
        ld bc,3C00h
        add hl,bc
        ld b,8
pr_row:
        ld a,(hl)
        ld (de),a
        inc hl
        inc d                   ; next pixel row of the cell
        djnz pr_row
        pop de
        pop hl
        inc hl
        inc e
        jr pr_char
pr_done:
        ld hl,3C00h             ; CHARS, as the 48K ROM sets it
        ld (5C36h),hl
        set 3,(iy+2)            ; work out the mode before the first key
        im 1
        ei
        jp keyinput

; ---- keyboard: called from the interrupt
; Scans the eight half-rows; key code = half-row * 8 + bit, as the
; emulator's KEYS (CAPS 0, SYMBOL 57). H: bit 0 CAPS, bit 1 SYMBOL down;
; D: the other key; L: how many other keys.
keyboard:
        ld c,0FEh
        ld b,0FEh
        ld e,0
        ld d,0FFh
        ld hl,0
kb_row:
        in a,(c)
        cpl
        and 1Fh
        push bc
        ld b,e
kb_bit:
        or a
        jr z,kb_rowdone
        rra
        jr nc,kb_next
        push af
        ld a,b
        or a
        jr nz,kb_notcaps
        set 0,h
        jr kb_keydone
kb_notcaps:
        cp 57
        jr nz,kb_notsym
        set 1,h
        jr kb_keydone
kb_notsym:
        ld d,a
        inc l
kb_keydone:
        pop af
kb_next:
        inc b
        jr kb_bit
kb_rowdone:
        pop bc
        ld a,e
        add a,8
        ld e,a
        rlc b
        jr c,kb_row
        ld a,l
        cp 2
        ret nc                  ; several keys: wait for fewer
        ld a,d
        cp 0FFh
        jr nz,kb_have
        ld a,h
        cp 3
        jr nz,kb_none
        ld a,0FEh               ; CAPS+SYMBOL alone
        jr kb_have
kb_none:
        ld a,0FFh
        ld (PREVKEY),a
        ret
kb_have:
        ld b,a
        ld a,(PREVKEY)
        cp b
        ret z                   ; still held: nothing new
        ld a,b
        ld (PREVKEY),a
        call decode
        or a
        ret z
        ld (LAST_K),a
        set 5,(iy+1)
        ret

; ---- decode: A = key code (or FEh), H = shifts -> A = the code, 0 for none
decode:
        cp 0FEh
        jr nz,dc_key
        ld a,0Eh                ; EXTEND MODE
        ret
dc_key:
        push hl
        ld e,a
        ld d,0
        ld hl,keychars
        add hl,de
        ld a,(hl)
        pop hl
        or a
        ret z                   ; a shift
        cp '0'
        ret c                   ; SPACE, ENTER
        cp ':'
        jr c,dc_digit
        ld e,a                  ; a letter A-Z
        ld a,(iy+7)             ; MODE
        cp 2
        jr nz,dc_notg
        ld a,e
        add a,4Fh               ; graphics mode: user-defined graphics 90h-A4h
        ret
dc_notg:
        cp 1
        jr nz,dc_klc
        ld a,h                  ; E mode
        or a
        ld a,e
        ld bc,table_b-'A'
        jr z,lookup
        ld bc,table_c-'A'
        jr lookup
dc_klc:
        ld a,e
        bit 1,h
        ld bc,table_e-'A'
        jr nz,lookup            ; SYMBOL + letter
        bit 3,(iy+1)
        jr nz,dc_l
        add a,0A5h              ; K mode: the keyword, 'A' + A5h
        ret
dc_l:
        bit 3,(iy+30h)          ; caps lock
        ret nz
        bit 0,h                 ; CAPS SHIFT
        ret nz
        add a,20h
        ret
dc_digit:
        ld e,a
        ld a,(iy+7)
        cp 2
        jr nz,dc_dnotg
        ld a,e
        cp '9'
        ld a,0Fh                ; GRAPHICS again leaves G mode
        ret z
        xor a
        ret
dc_dnotg:
        cp 1
        jr nz,dc_dklc
        bit 1,h
        jr z,dc_nothing         ; E mode colour codes: not used here
        ld a,e
        ld bc,table_f-'0'
        jr lookup
dc_nothing:
        xor a
        ret
dc_dklc:
        ld a,e
        bit 1,h
        ld bc,table_sd-'0'
        jr nz,lookup
        bit 0,h
        ret z                   ; a digit
        ld bc,table_d-'0'
lookup:                         ; A = (BC + A)
        push hl
        ld l,a
        ld h,0
        add hl,bc
        ld a,(hl)
        pop hl
        ret

; ---- keyproc: the editor's answer to the code in A (KEY-INPUT, ADD-CHAR)
keyproc:
        cp 0Dh
        jr z,kp_enter
        cp 0Ch
        jr z,kp_delete
        cp 06h
        jr z,kp_capslock
        cp 0Eh
        jr z,kp_mode
        cp 0Fh
        jr z,kp_mode
        cp 20h
        ret c
        ld c,a
        ld a,(LINELEN)
        cp LINEMAX
        ret nc
        ld e,a
        inc a
        ld (LINELEN),a
        ld d,0
        ld hl,LINEBUF
        add hl,de
        ld (hl),c
        res 0,(iy+7)            ; a character ends E mode
kp_flag:
        set 3,(iy+2)
        ret
kp_mode:
        sub 0Dh                 ; E: 1, G: 2
        ld hl,5C41h
        cp (hl)
        ld (hl),a
        jr nz,kp_flag
        ld (hl),0               ; the same mode again: back to K/L/C
        jr kp_flag
kp_capslock:
        ld a,(iy+30h)
        xor 08h
        ld (iy+30h),a
        jr kp_flag
kp_delete:
        ld a,(LINELEN)
        or a
        jr z,kp_flag
        dec a
        ld (LINELEN),a
        jr kp_flag
kp_enter:
        ld de,(LOGPTR)
        ld a,(LINELEN)
        or a
        jr z,kp_empty
        ld c,a
        ld b,0
        ld hl,LINEBUF
        ldir
kp_empty:
        ld a,0Dh
        ld (de),a
        inc de
        ld (LOGPTR),de
        xor a
        ld (LINELEN),a
        ld (iy+7),a
        jr kp_flag

; ---- edcopy: works out the cursor's mode as printing the line would
; (OUT-CHAR, OUT-CURS): FLAGS bit 2 as each character goes by, bit 3 at
; the cursor (the end of the line), unless in E or G mode.
edcopy:
        res 3,(iy+2)
        ld a,(SLOW)             ; a slow reprint (a long line on the real
        or a                    ; ROM): SLOW frames pass before the mode is
        jr z,ec_start           ; known, as tests of the typer's waiting want
        ld b,a
ec_slow:
        ei
        halt
        djnz ec_slow
ec_start:
        res 2,(iy+1)
        res 2,(iy+30h)          ; not in quotes
        ld a,(LINELEN)
        or a
        jr z,ec_cursor
        ld b,a
        ld hl,LINEBUF
ec_loop:
        ld a,(hl)
        inc hl
        cp 21h
        jr c,ec_next            ; space and controls keep the mode
        cp '0'
        jr c,ec_char
        cp ':'
        jr c,ec_next            ; digits keep the mode
ec_char:
        res 2,(iy+1)
        cp 0CBh
        jr z,ec_next            ; THEN: K
        cp ':'
        jr nz,ec_notcolon
        bit 2,(iy+30h)
        jr z,ec_next            ; ':' outside quotes: K
        jr ec_l
ec_notcolon:
        cp '"'
        jr nz,ec_l
        ld a,(iy+30h)
        xor 04h
        ld (iy+30h),a
ec_l:
        set 2,(iy+1)
ec_next:
        djnz ec_loop
ec_cursor:
        ld a,(iy+7)
        or a
        ret nz
        res 3,(iy+1)
        bit 2,(iy+1)
        ret z
        set 3,(iy+1)
        ret

banner:
        defm "keyword editor test ROM"
        defb 0

; Character of each key code (half-row * 8 + bit); 0: a shift or no key.
keychars:
        defb 0,'Z','X','C','V',0,0,0
        defb 'A','S','D','F','G',0,0,0
        defb 'Q','W','E','R','T',0,0,0
        defb '1','2','3','4','5',0,0,0
        defb '0','9','8','7','6',0,0,0
        defb 'P','O','I','U','Y',0,0,0
        defb 0Dh,'L','K','J','H',0,0,0
        defb ' ',0,'M','N','B',0,0,0

; Key tables (their contents as in the 48K ROM): E mode letters alone (b),
; E mode letters with a shift (c), CAPS + digit (d), SYMBOL + letter (e),
; E mode SYMBOL + digit (f), SYMBOL + digit.
table_b:
        defb 0E3h,0C4h,0E0h,0E4h,0B4h,0BCh,0BDh,0BBh,0AFh,0B0h,0B1h,0C0h,0A7h
        defb 0A6h,0BEh,0ADh,0B2h,0BAh,0E5h,0A5h,0C2h,0E1h,0B3h,0B9h,0C1h,0B8h
table_c:
        defb 7Eh,0DCh,0DAh,5Ch,0B7h,7Bh,7Dh,0D8h,0BFh,0AEh,0AAh,0ABh,0DDh
        defb 0DEh,0DFh,7Fh,0B5h,0D6h,7Ch,0D5h,5Dh,0DBh,0B6h,0D9h,5Bh,0D7h
table_d:
        defb 0Ch,07h,06h,04h,05h,08h,0Ah,0Bh,09h,0Fh
table_e:
        defb 0E2h,'*','?',0CDh,0C8h,0CCh,0CBh,'^',0ACh,'-','+','=','.'
        defb ',',';','"',0C7h,'<',0C3h,'>',0C5h,'/',0C9h,60h,0C6h,':'
table_f:
        defb 0D0h,0CEh,0A8h,0CAh,0D3h,0D4h,0D1h,0D2h,0A9h,0CFh
table_sd:
        defb '_','!','@','#','$','%','&',27h,'(',')'

        defs 10A8h-$
; KEY-INPUT's place: the editor's wait for a key.
keyinput:
        bit 3,(iy+2)
        call nz,edcopy
        bit 5,(iy+1)
        jr z,keyinput
        ld a,(LAST_K)
        res 5,(iy+1)
        call keyproc
        jr keyinput


; A font where the 48K ROM has one (3D00h), made up: each glyph's top row
; is its code (space is blank), enough for a screen reader to tell them apart.
        defs 3D00h-$
        defb 00h,00h,00h,00h,00h,00h,00h,00h        ; ' '
        defb 21h,42h,42h,7Eh,42h,42h,42h,00h        ; '!'
        defb 22h,42h,42h,7Eh,42h,42h,42h,00h        ; '"'
        defb 23h,42h,42h,7Eh,42h,42h,42h,00h        ; '#'
        defb 24h,42h,42h,7Eh,42h,42h,42h,00h        ; '$'
        defb 25h,42h,42h,7Eh,42h,42h,42h,00h        ; '%'
        defb 26h,42h,42h,7Eh,42h,42h,42h,00h        ; '&'
        defb 27h,42h,42h,7Eh,42h,42h,42h,00h        ; '''
        defb 28h,42h,42h,7Eh,42h,42h,42h,00h        ; '('
        defb 29h,42h,42h,7Eh,42h,42h,42h,00h        ; ')'
        defb 2Ah,42h,42h,7Eh,42h,42h,42h,00h        ; '*'
        defb 2Bh,42h,42h,7Eh,42h,42h,42h,00h        ; '+'
        defb 2Ch,42h,42h,7Eh,42h,42h,42h,00h        ; ','
        defb 2Dh,42h,42h,7Eh,42h,42h,42h,00h        ; '-'
        defb 2Eh,42h,42h,7Eh,42h,42h,42h,00h        ; '.'
        defb 2Fh,42h,42h,7Eh,42h,42h,42h,00h        ; '/'
        defb 30h,42h,42h,7Eh,42h,42h,42h,00h        ; '0'
        defb 31h,42h,42h,7Eh,42h,42h,42h,00h        ; '1'
        defb 32h,42h,42h,7Eh,42h,42h,42h,00h        ; '2'
        defb 33h,42h,42h,7Eh,42h,42h,42h,00h        ; '3'
        defb 34h,42h,42h,7Eh,42h,42h,42h,00h        ; '4'
        defb 35h,42h,42h,7Eh,42h,42h,42h,00h        ; '5'
        defb 36h,42h,42h,7Eh,42h,42h,42h,00h        ; '6'
        defb 37h,42h,42h,7Eh,42h,42h,42h,00h        ; '7'
        defb 38h,42h,42h,7Eh,42h,42h,42h,00h        ; '8'
        defb 39h,42h,42h,7Eh,42h,42h,42h,00h        ; '9'
        defb 3Ah,42h,42h,7Eh,42h,42h,42h,00h        ; ':'
        defb 3Bh,42h,42h,7Eh,42h,42h,42h,00h        ; ';'
        defb 3Ch,42h,42h,7Eh,42h,42h,42h,00h        ; '<'
        defb 3Dh,42h,42h,7Eh,42h,42h,42h,00h        ; '='
        defb 3Eh,42h,42h,7Eh,42h,42h,42h,00h        ; '>'
        defb 3Fh,42h,42h,7Eh,42h,42h,42h,00h        ; '?'
        defb 40h,42h,42h,7Eh,42h,42h,42h,00h        ; '@'
        defb 41h,42h,42h,7Eh,42h,42h,42h,00h        ; 'A'
        defb 42h,42h,42h,7Eh,42h,42h,42h,00h        ; 'B'
        defb 43h,42h,42h,7Eh,42h,42h,42h,00h        ; 'C'
        defb 44h,42h,42h,7Eh,42h,42h,42h,00h        ; 'D'
        defb 45h,42h,42h,7Eh,42h,42h,42h,00h        ; 'E'
        defb 46h,42h,42h,7Eh,42h,42h,42h,00h        ; 'F'
        defb 47h,42h,42h,7Eh,42h,42h,42h,00h        ; 'G'
        defb 48h,42h,42h,7Eh,42h,42h,42h,00h        ; 'H'
        defb 49h,42h,42h,7Eh,42h,42h,42h,00h        ; 'I'
        defb 4Ah,42h,42h,7Eh,42h,42h,42h,00h        ; 'J'
        defb 4Bh,42h,42h,7Eh,42h,42h,42h,00h        ; 'K'
        defb 4Ch,42h,42h,7Eh,42h,42h,42h,00h        ; 'L'
        defb 4Dh,42h,42h,7Eh,42h,42h,42h,00h        ; 'M'
        defb 4Eh,42h,42h,7Eh,42h,42h,42h,00h        ; 'N'
        defb 4Fh,42h,42h,7Eh,42h,42h,42h,00h        ; 'O'
        defb 50h,42h,42h,7Eh,42h,42h,42h,00h        ; 'P'
        defb 51h,42h,42h,7Eh,42h,42h,42h,00h        ; 'Q'
        defb 52h,42h,42h,7Eh,42h,42h,42h,00h        ; 'R'
        defb 53h,42h,42h,7Eh,42h,42h,42h,00h        ; 'S'
        defb 54h,42h,42h,7Eh,42h,42h,42h,00h        ; 'T'
        defb 55h,42h,42h,7Eh,42h,42h,42h,00h        ; 'U'
        defb 56h,42h,42h,7Eh,42h,42h,42h,00h        ; 'V'
        defb 57h,42h,42h,7Eh,42h,42h,42h,00h        ; 'W'
        defb 58h,42h,42h,7Eh,42h,42h,42h,00h        ; 'X'
        defb 59h,42h,42h,7Eh,42h,42h,42h,00h        ; 'Y'
        defb 5Ah,42h,42h,7Eh,42h,42h,42h,00h        ; 'Z'
        defb 5Bh,42h,42h,7Eh,42h,42h,42h,00h        ; '['
        defb 5Ch,42h,42h,7Eh,42h,42h,42h,00h        ; '\'
        defb 5Dh,42h,42h,7Eh,42h,42h,42h,00h        ; ']'
        defb 5Eh,42h,42h,7Eh,42h,42h,42h,00h        ; '^'
        defb 5Fh,42h,42h,7Eh,42h,42h,42h,00h        ; '_'
        defb 60h,42h,42h,7Eh,42h,42h,42h,00h        ; '`'
        defb 61h,42h,42h,7Eh,42h,42h,42h,00h        ; 'a'
        defb 62h,42h,42h,7Eh,42h,42h,42h,00h        ; 'b'
        defb 63h,42h,42h,7Eh,42h,42h,42h,00h        ; 'c'
        defb 64h,42h,42h,7Eh,42h,42h,42h,00h        ; 'd'
        defb 65h,42h,42h,7Eh,42h,42h,42h,00h        ; 'e'
        defb 66h,42h,42h,7Eh,42h,42h,42h,00h        ; 'f'
        defb 67h,42h,42h,7Eh,42h,42h,42h,00h        ; 'g'
        defb 68h,42h,42h,7Eh,42h,42h,42h,00h        ; 'h'
        defb 69h,42h,42h,7Eh,42h,42h,42h,00h        ; 'i'
        defb 6Ah,42h,42h,7Eh,42h,42h,42h,00h        ; 'j'
        defb 6Bh,42h,42h,7Eh,42h,42h,42h,00h        ; 'k'
        defb 6Ch,42h,42h,7Eh,42h,42h,42h,00h        ; 'l'
        defb 6Dh,42h,42h,7Eh,42h,42h,42h,00h        ; 'm'
        defb 6Eh,42h,42h,7Eh,42h,42h,42h,00h        ; 'n'
        defb 6Fh,42h,42h,7Eh,42h,42h,42h,00h        ; 'o'
        defb 70h,42h,42h,7Eh,42h,42h,42h,00h        ; 'p'
        defb 71h,42h,42h,7Eh,42h,42h,42h,00h        ; 'q'
        defb 72h,42h,42h,7Eh,42h,42h,42h,00h        ; 'r'
        defb 73h,42h,42h,7Eh,42h,42h,42h,00h        ; 's'
        defb 74h,42h,42h,7Eh,42h,42h,42h,00h        ; 't'
        defb 75h,42h,42h,7Eh,42h,42h,42h,00h        ; 'u'
        defb 76h,42h,42h,7Eh,42h,42h,42h,00h        ; 'v'
        defb 77h,42h,42h,7Eh,42h,42h,42h,00h        ; 'w'
        defb 78h,42h,42h,7Eh,42h,42h,42h,00h        ; 'x'
        defb 79h,42h,42h,7Eh,42h,42h,42h,00h        ; 'y'
        defb 7Ah,42h,42h,7Eh,42h,42h,42h,00h        ; 'z'
        defb 7Bh,42h,42h,7Eh,42h,42h,42h,00h        ; '{'
        defb 7Ch,42h,42h,7Eh,42h,42h,42h,00h        ; '|'
        defb 7Dh,42h,42h,7Eh,42h,42h,42h,00h        ; '}'
        defb 7Eh,42h,42h,7Eh,42h,42h,42h,00h        ; '~'
        defb 7Fh,42h,42h,7Eh,42h,42h,42h,00h        ; 7Fh

        defs 4000h-$
