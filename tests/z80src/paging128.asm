; paging128.asm: pages every RAM bank and ROM of a 128K-family machine and
; records what it sees, for tests/native/test_zx128.c (and the dynarec's
; differential runs of the same program).
;
; The test pokes the model family into MODEL (0: 128K/+2/Pentagon paging,
; 1: +2A/+3 paging) and runs from START with interrupts off. Each RAM bank b
; gets the signature 0xA0+b in its last byte (offset 0x3FFF); the test's
; ROMs carry 0xE0+n in theirs. Results, from RESULTS:
;   +0..+7   the signature read at 0xFFFF with bank 0..7 paged at 0xC000
;   +8, +9   0x7FFF and 0xBFFF (banks 5 and 2, always there)
;   +10      0x4100 after 0x55 was stored at 0xC100 with bank 5 at 0xC000
;   +11, +12 0x3FFF with 7FFD bit 4 clear, then set (ROM 0, ROM 1)
;   +13..+16 (+2A/+3) 0x3FFF for ROM 0..3 selected by 1FFD bit 2 and 7FFD bit 4
;   +17..+36 (+2A/+3) for each all-RAM configuration 0..3 (1FFD = 1, 3,
;            5, 7): the signatures at 0x3FFF, 0x7FFF, 0xBFFF, 0xFFFF, then
;            the bank the probe's code after its OUT ran from (2 or 6: the
;            probe pages the memory under itself; its copy in bank 6 differs
;            from bank 2's in that one byte)
;   +37      0xFFFF after locking with bank 3 paged and trying to page 4
;   +38      0x3FFF after locking, then writing 1 to 0x1FFD (ROM 1 stays)
;   +39      0xAA: the program finished
; With MODEL 0 the +2A/+3 sections are skipped: +37..+39 are then at +13..+15.
; With bit 7 of MODEL set the program never locks: it counts passes at
; PASSES and starts again, for runs under the dynarec.
; The last 7FFD value written is 0x3B: locked, ROM 1, shadow screen (bank 7).

MODEL   equ 0x8fff
RESULTS     equ 0x9000
CONFIG  equ 0x9100          ; loop variable of the all-RAM section
SPEC    equ 0x8800          ; the all-RAM probe, also copied into bank 6
PASSES  equ 0x9080

        org 0x8000
START:  di
        ld sp,0xbf00
        ld bc,0x7ffd
        ld e,0
wrsig:  ld a,e              ; page bank e at 0xC000 (ROM 1)
        or 0x10
        out (c),a
        ld a,e
        or 0xa0
        ld (0xffff),a
        inc e
        ld a,e
        cp 8
        jr nz,wrsig

        ld hl,RESULTS
        ld e,0
rdsig:  ld a,e
        or 0x10
        out (c),a
        ld a,(0xffff)
        ld (hl),a
        inc hl
        inc e
        ld a,e
        cp 8
        jr nz,rdsig
        ld a,(0x7fff)
        ld (hl),a
        inc hl
        ld a,(0xbfff)
        ld (hl),a
        inc hl

        ld a,0x15           ; bank 5 at 0xC000 too: one bank, two addresses
        out (c),a
        ld a,0x55
        ld (0xc100),a
        ld a,(0x4100)
        ld (hl),a
        inc hl

        xor a               ; ROM 0
        out (c),a
        ld a,(0x3fff)
        ld (hl),a
        inc hl
        ld a,0x10           ; ROM 1
        out (c),a
        ld a,(0x3fff)
        ld (hl),a
        inc hl

        ld a,(MODEL)
        and 0x7f
        jp z,lock

        ; +2A/+3: ROMs 0-3 (ROM = 1FFD bit 2 : 7FFD bit 4)
        ld d,0
romsel: ld a,d
        and 1
        rlca
        rlca
        rlca
        rlca
        ld bc,0x7ffd
        out (c),a
        ld a,d
        and 2
        rlca
        ld bc,0x1ffd
        out (c),a
        ld a,(0x3fff)
        ld (hl),a
        inc hl
        inc d
        ld a,d
        cp 4
        jr nz,romsel
        xor a
        ld bc,0x1ffd
        out (c),a
        ld a,0x10
        ld bc,0x7ffd
        out (c),a

        ; copy the probe into bank 6 at the same offset: in the all-RAM
        ; configurations 0x8000 is bank 2 (configuration 0) or bank 6
        ld a,0x16
        out (c),a
        push hl
        ld hl,SPEC
        ld de,SPEC+0x4000
        ld bc,probeend-SPEC
        ldir
        ld a,6              ; bank 6's copy of the probe says 6
        ld (mark+1+0x4000),a
        pop hl
        ld a,0x10
        ld bc,0x7ffd
        out (c),a

        ld a,0
        ld (CONFIG),a
allram: ld a,(CONFIG)
        rlca
        or 1
        jp SPEC
specret:
        ld (hl),d
        inc hl
        ld (hl),e
        inc hl
        ld (hl),b
        inc hl
        ld (hl),c
        inc hl
        ld a,iyl
        ld (hl),a
        inc hl
        ld a,(CONFIG)
        inc a
        ld (CONFIG),a
        cp 4
        jr nz,allram

lock:   ld a,(MODEL)
        bit 7,a
        jr z,lockit
        ld hl,(PASSES)
        inc hl
        ld (PASSES),hl
        jp START
lockit: ld a,0x3b           ; lock, ROM 1, shadow screen, bank 3
        ld bc,0x7ffd
        out (c),a
        ld a,0x14           ; ignored
        out (c),a
        ld a,(0xffff)
        ld (hl),a
        inc hl
        ld a,1              ; ignored too (on a 128K 0x1FFD decodes as 0x7FFD)
        ld bc,0x1ffd
        out (c),a
        ld a,(0x3fff)
        ld (hl),a
        inc hl
        ld (hl),0xaa
done:   halt
        jr done

; The probe: selects all-RAM configuration A (1FFD), notes which copy runs
; after that in IYL, reads the four signatures into D, E, B, C without
; touching the stack, and returns to the normal mapping. It runs from
; 0x8800 of bank 2 or bank 6.
        org SPEC
probe:  ld bc,0x1ffd
        out (c),a
mark:   ld a,2              ; patched to 6 in bank 6's copy
        ld iyl,a
        ld a,(0x3fff)
        ld d,a
        ld a,(0x7fff)
        ld e,a
        ld a,(0xbfff)
        ld ixh,a
        ld a,(0xffff)
        ld ixl,a
        xor a
        out (c),a
        ld b,ixh
        ld c,ixl
        jp specret
probeend:
