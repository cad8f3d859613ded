; zx_tapeload.asm: calls the ROM's LD-BYTES (0x0556) to load 256 bytes
; with flag 0xFF at 0x8000, then stores AF at 0x9100 and halts for good.
; test_zx.c embeds the assembled bytes (pasmo --bin zx_tapeload.asm out.bin).
        org 0x9000
        ld ix, 0x8000
        ld de, 256
        ld a, 0xff
        scf                 ; carry set: LOAD, not VERIFY
        call 0x0556         ; LD-BYTES
        di
        push af
        pop bc
        ld (0x9100), bc     ; C holds F: bit 0 = success
        halt                ; interrupts off: stays here
