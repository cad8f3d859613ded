/*
 * zx.c: the 48K machine: memory map, ULA ports, keyboard, frame loop.
 */
#include "machine/zx/zx_internal.h"

#include <stddef.h>
#include <string.h>

static void _zx_default_run_cpu(void *ctx, z80_t *cpu, uint32_t until) {
    (void)ctx;
    z80_run(cpu, until);
}

/* A screen-memory store: the picture up to now must show the old byte. */
static void _zx_write_hook(void *user, uint16_t addr, uint8_t value, uint32_t t) {
    (void)value;
    if (addr < 0x5b00) zx_video_render_to((zx_t *)user, t);
}

/* Port 0xFE read (any even port): A8-A15 select keyboard half-rows (low =
 * selected), bits 0-4 are the keys (low = pressed), bit 6 is EAR. With no
 * tape signal, an issue 3 board reads back the EAR output (bit 4 of the
 * last OUT), an issue 2 board EAR or MIC (World of Spectrum "Ports"). */
static uint8_t _zx_read_ula(zx_t *zx, uint16_t port, uint32_t t) {
    uint8_t keys = 0;
    for (int row = 0; row < 8; row++)
        if (!(port & (0x100 << row))) keys |= zx->keys[row];
    uint8_t v = (uint8_t)(0xbf & ~keys); /* bits 5 and 7 float high */
    bool ear;
    zx_tape_advance(zx, t);
    if (zx->tape.playing) ear = zx->tape.level != 0;
    else if (zx->issue2) ear = (zx->last_fe & 0x18) != 0;
    else ear = (zx->last_fe & 0x10) != 0;
    return ear ? (uint8_t)(v | 0x40) : v;
}

/* The T-state in which an odd port's read latches the data bus. The CPU
 * calls port_in one T-state into the I/O cycle (after the first contention
 * point, as FUSE logs it), but the Z80 samples the data in the cycle's last
 * T-state (Zilog Z80 CPU User Manual, input cycle: T1 T2 TW T3, data read in
 * T3; Ramsoft: "in the last cycle of the I/O transaction"). Uncontended,
 * that is 2 T later; with the high byte in a contended page the ULA holds
 * each of the remaining three T-states like a memory access (WoS "Contended
 * I/O": C:1, C:1, C:1, C:1), so the wait is replayed from the CPU's own
 * contention table, the one its port_post will apply. */
static uint32_t _zx_port_latch_t(const zx_t *zx, uint16_t port, uint32_t t) {
    const z80_t *c = &zx->cpu;
    if (!((c->contended_pages >> (port >> 14)) & 1) || !c->contention) return t + 2;
    for (int i = 0; i < 2; i++) {
        if (t < c->contention_len) t += c->contention[t];
        t += 1;
    }
    if (t < c->contention_len) t += c->contention[t];
    return t;
}

static uint8_t _zx_port_in(void *user, uint16_t port, uint32_t t) {
    zx_t *zx = user;
    if (!(port & 1)) return _zx_read_ula(zx, port, t);
    /* Kempston interface decodes A5 low on odd ports (FUSE: mask 0x00E0) */
    if (zx->kempston && (port & 0xe0) == 0) return zx->joystick & 0x1f;
    /* 48K, early timing: first bitmap fetch at T=14338 (Sinclair Wiki
     * "Floating bus"; FUSE 1.6 spectrum.c) */
    enum { ZX48_FIRST_FETCH_T = 14338 };
    return zx_video_floating_bus(zx->ram, _zx_port_latch_t(zx, port, t), ZX48_FIRST_FETCH_T, ZX_LINE_T);
}

static void _zx_port_out(void *user, uint16_t port, uint8_t value, uint32_t t) {
    zx_t *zx = user;
    if (port & 1) return;
    zx_video_render_to(zx, t);
    zx_tape_advance(zx, t); /* keep audio events in time order */
    zx_audio_advance(zx, t);
    zx->border = value & 7;
    zx->last_fe = value;
}

/* Pointers into the struct are re-derived each frame, so a struct copy of a
 * zx_t (save state, lockstep twin) runs on its own memory. */
_Static_assert(offsetof(zx_t, ram) == offsetof(zx_t, rom) + ZX_ROM_SIZE, "zx_wire_cpu describes rom+ram as one block");

void zx_wire_cpu(zx_t *zx) {
    z80_t *c = &zx->cpu;
    c->read_page[0] = zx->rom;
    c->write_page[0] = NULL;
    for (int i = 1; i < 4; i++) c->read_page[i] = c->write_page[i] = zx->ram + (i - 1) * 0x4000;
    /* rom[] and ram[] are adjacent in zx_t: one physical block for the dynarec */
    c->mem_phys = zx->rom;
    c->mem_phys_size = (uint32_t)(sizeof zx->rom + sizeof zx->ram);
    c->contention = zx->contention;
    c->contention_len = ZX_FRAME_T;
    c->contended_pages = 1u << 1;
    c->hooked_pages = 1u << 1;
    c->user = zx;
    c->write_hook = _zx_write_hook;
    c->port_in = _zx_port_in;
    c->port_out = _zx_port_out;
    c->int_until = ZX_INT_T;
    c->int_data = 0xff; /* nothing drives the data bus during IM 2 acknowledge */
    zx_tape_update_trap(zx);
}

/* LD-BYTES as both the 48K ROM and OpenSE BASIC have it: RET NZ at 0x056B
 * then CALL LD-EDGE-1 at 0x056C, after LD HL,SA/LD-RET at 0x055E and PUSH HL
 * at 0x0561. */
static bool _zx_rom_has_ld_bytes(const uint8_t *rom) {
    return rom[0x056b] == 0xc0 && rom[0x056c] == 0xcd && rom[0x055e] == 0x21 && rom[0x0561] == 0xe5;
}

bool zx_init(zx_t *zx, const zx_desc_t *desc) {
    memset(zx, 0, sizeof *zx);
    if (!desc || desc->model != ZX_MODEL_48K || !desc->rom || desc->rom_size != ZX_ROM_SIZE) return false;
    zx->model = desc->model;
    memcpy(zx->rom, desc->rom, ZX_ROM_SIZE);
    zx->run_cpu = desc->run_cpu ? desc->run_cpu : _zx_default_run_cpu;
    zx->run_cpu_ctx = desc->run_cpu_ctx;
    zx->kempston = !desc->no_kempston;
    zx->issue2 = desc->issue2;
    zx->tape_traps = !desc->no_tape_traps;
    zx->tape_rom_ok = _zx_rom_has_ld_bytes(zx->rom);
    zx_video_init(zx);
    zx_audio_init(zx, desc->audio_sample_rate);
    zx_reset(zx);
    return true;
}

void zx_discard(zx_t *zx) {
    zx_tape_eject(zx);
}

void zx_reset(zx_t *zx) {
    z80_init(&zx->cpu);
    z80_reset(&zx->cpu);
    zx->cpu.tstates = 0;
    zx->border = 0;
    zx->last_fe = 0;
    zx->flash_on = false;
    zx->render_cell = 0;
    zx_tape_rewind(zx);
    zx_wire_cpu(zx);
}

void zx_run_frame(zx_t *zx) {
    zx_wire_cpu(zx);
    zx_audio_begin_frame(zx);
    while (zx->cpu.tstates < ZX_FRAME_T) {
        zx->run_cpu(zx->run_cpu_ctx, &zx->cpu, ZX_FRAME_T);
        if (zx->cpu.trap_pc >= 0 && zx->cpu.pc == (uint16_t)zx->cpu.trap_pc && zx->cpu.tstates < ZX_FRAME_T)
            zx_tape_on_trap(zx);
    }
    zx_video_end_frame(zx);
    zx_tape_end_frame(zx);
    zx_audio_end_frame(zx);
    zx->cpu.tstates -= ZX_FRAME_T;
    zx->frame_count++;
    if (zx->frame_count % 16 == 0) zx->flash_on = !zx->flash_on; /* FLASH: 16 frames on, 16 off */
}

void zx_key_down(zx_t *zx, int key) {
    if (key >= 0 && key < 64 && (key & 7) < 5) zx->keys[key >> 3] |= (uint8_t)(1u << (key & 7));
}

void zx_key_up(zx_t *zx, int key) {
    if (key >= 0 && key < 64 && (key & 7) < 5) zx->keys[key >> 3] &= (uint8_t)~(1u << (key & 7));
}

void zx_keys_clear(zx_t *zx) {
    memset(zx->keys, 0, sizeof zx->keys);
}

void zx_joystick(zx_t *zx, uint8_t bits) {
    zx->joystick = bits & 0x1f;
}

int zx_keys_for_char(int ch, uint8_t keys[2]) {
    static const char *rows[8] = {"#zxcv", "asdfg", "qwert", "12345", "09876", "poiuy", "\nlkjh", " #mnb"};
    if (ch >= 'A' && ch <= 'Z') {
        uint8_t lower[2];
        if (zx_keys_for_char(ch - 'A' + 'a', lower) != 1) return 0;
        keys[0] = ZX_KEY_CAPS;
        keys[1] = lower[0];
        return 2;
    }
    for (int row = 0; row < 8; row++)
        for (int bit = 0; bit < 5; bit++)
            if (rows[row][bit] == ch && ch != '#') {
                keys[0] = (uint8_t)(row * 8 + bit);
                return 1;
            }
    /* Symbol shift punctuation, as printed on the 48K keyboard in red. */
    static const struct { char ch; uint8_t key; } sym[] = {
        {'!', ZX_KEY_1}, {'@', ZX_KEY_2}, {'#', ZX_KEY_3}, {'$', ZX_KEY_4}, {'%', ZX_KEY_5},
        {'&', ZX_KEY_6}, {'\'', ZX_KEY_7}, {'(', ZX_KEY_8}, {')', ZX_KEY_9}, {'_', ZX_KEY_0},
        {'<', ZX_KEY_R}, {'>', ZX_KEY_T}, {';', ZX_KEY_O}, {'"', ZX_KEY_P}, {'^', ZX_KEY_H},
        {'-', ZX_KEY_J}, {'+', ZX_KEY_K}, {'=', ZX_KEY_L}, {':', ZX_KEY_Z}, {'?', ZX_KEY_C},
        {'/', ZX_KEY_V}, {'*', ZX_KEY_B}, {',', ZX_KEY_N}, {'.', ZX_KEY_M},
    };
    for (size_t i = 0; i < sizeof sym / sizeof sym[0]; i++)
        if (sym[i].ch == ch) {
            keys[0] = ZX_KEY_SYMBOL;
            keys[1] = sym[i].key;
            return 2;
        }
    return 0;
}
