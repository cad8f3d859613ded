; zx_timing.asm: the instruction sequences test_zx.c times; each is run on
; its own from a chosen address and T-state. Assemble with
; pasmo --bin zx_timing.asm out.bin; test_zx.c embeds the bytes.
        org 0x8000
ld_abs: ld a, (0x4000)      ; 13 T: pc:4, pc+1:3, pc+2:3, nn:3 (memory read at +10)
nops:   nop                 ; 8 x 4 T, each an M1 fetch contended on its address
        nop
        nop
        nop
        nop
        nop
        nop
        nop
in_ff:  in a, (0xff)        ; 11 T: pc:4, pc+1:3, I/O from +7 (data latched in its last T, +10)
out_fe: out (0xfe), a       ; 11 T: pc:4, pc+1:3, I/O (port write 1 T into the I/O cycle)
ei_halt: ei
        halt
kbd:    ld bc, 0xfdfe       ; half-row A-G
        in a, (c)
kemp:   in a, (0x1f)
