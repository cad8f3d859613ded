/*
 * zx.c: the machine: models and their memory maps, paging, ULA and AY
 * ports, keyboard, frame loop.
 */
#include "machine/zx/zx_internal.h"

#include <stddef.h>
#include <string.h>

/* ---- models
 *
 * 48K: World of Spectrum FAQ "ZX Spectrum 48K timings"; libspectrum 1.5
 *   timings.c (timings_frame_ferranti_5c_6c).
 * 128K/+2: 3.5469 MHz, 228 T x 311 lines, /INT for 36 T, top-left pixel at
 *   T=14362 (so contention from 14361 and the first floating-bus byte at
 *   14364): World of Spectrum FAQ "128K timings"; libspectrum timings.c
 *   (timings_frame_ferranti_7c); odd banks contended: FUSE 1.6
 *   machines/spec128.c; AY clock 1.7734 MHz (half the CPU's).
 * +2A/+3: the same frame, /INT for 32 T, top-left pixel at 14365, the gate
 *   array's 1,0,7,6,5,4,3,2 pattern from 14361 on banks 4-7, memory cycles
 *   only, no contended I/O, no floating bus in the 48K's form:
 *   libspectrum timings.c (timings_frame_amstrad_asic); FUSE 1.6
 *   machines/specplus3.c.
 * Pentagon 128: 224 T x 320 lines (71,680 T), /INT for 36 T, top-left
 *   pixel at 17988, no contention, no floating bus: libspectrum timings.c
 *   (timings_frame_pentagon); FUSE machines/pentagon.c. The clock is the
 *   board's 3.5 MHz (14 MHz crystal / 4), giving 48.8 frames/s; libspectrum
 *   runs it at 3.584 MHz instead so that frames come at exactly 50 Hz
 *   (libspectrum ChangeLog: "Fix Pentagon and Scorpion CPU speeds to give
 *   them 50Hz frame rates"). AY at 1.75 MHz.
 */
static const zx_timing_t _zx_models[ZX_MODEL_COUNT] = {
    [ZX_MODEL_48K] = {"48k", "ZX Spectrum 48K", 3500000, 0, 224, 312, 69888, 32, 14336,
                      ZX_CONTEND_ULA, 1u << 5, ZX_PAGING_NONE, 1, true},
    [ZX_MODEL_128K] = {"128k", "ZX Spectrum 128K", 3546900, 1773400, 228, 311, 70908, 36, 14362,
                       ZX_CONTEND_ULA, 0xaa, ZX_PAGING_128, 2, true},
    [ZX_MODEL_PLUS2] = {"plus2", "ZX Spectrum +2", 3546900, 1773400, 228, 311, 70908, 36, 14362,
                        ZX_CONTEND_ULA, 0xaa, ZX_PAGING_128, 2, true},
    [ZX_MODEL_PLUS2A] = {"plus2a", "ZX Spectrum +2A", 3546900, 1773400, 228, 311, 70908, 32, 14365,
                         ZX_CONTEND_GATE_ARRAY, 0xf0, ZX_PAGING_PLUS3, 4, false},
    [ZX_MODEL_PLUS3] = {"plus3", "ZX Spectrum +3", 3546900, 1773400, 228, 311, 70908, 32, 14365,
                        ZX_CONTEND_GATE_ARRAY, 0xf0, ZX_PAGING_PLUS3, 4, false},
    [ZX_MODEL_PENTAGON] = {"pentagon", "Pentagon 128", 3500000, 1750000, 224, 320, 71680, 36, 17988,
                           ZX_CONTEND_NONE, 0, ZX_PAGING_128, 2, false},
};

const zx_timing_t *zx_model_timing(zx_model_t model) {
    return (unsigned)model < ZX_MODEL_COUNT ? &_zx_models[model] : NULL;
}

int zx_model_from_id(const char *id) {
    if (!id) return -1;
    for (int m = 0; m < ZX_MODEL_COUNT; m++) {
        const char *a = _zx_models[m].id, *b = id;
        while (*a && (*b | 0x20) == *a) a++, b++;
        if (!*a && !*b) return m;
    }
    return -1;
}

/* ---- memory */

/* Where each RAM bank sits among the banks in zx_t.mem (see zx.h). */
static const uint8_t _zx_bank_slot[ZX_RAM_BANKS] = {2, 3, 1, 4, 5, 0, 6, 7};

uint8_t *zx_rom(zx_t *zx, int n) {
    return zx->mem + (ZX_ROM_SLOTS - zx->timing.rom_count + n) * ZX_PAGE_SIZE;
}

uint8_t *zx_bank(zx_t *zx, int bank) {
    return zx->mem + (ZX_ROM_SLOTS + _zx_bank_slot[bank & 7]) * ZX_PAGE_SIZE;
}

const uint8_t *zx_bank_const(const zx_t *zx, int bank) {
    return zx->mem + (ZX_ROM_SLOTS + _zx_bank_slot[bank & 7]) * ZX_PAGE_SIZE;
}

int zx_screen_bank(const zx_t *zx) {
    return zx->timing.paging != ZX_PAGING_NONE && (zx->port_7ffd & 0x08) ? 7 : 5;
}

/* The +2A/+3's all-RAM configurations (1FFD bit 0 set, bits 1-2 select):
 * World of Spectrum FAQ "+3 memory"; FUSE machines/specplus3.c. */
static const uint8_t _zx_special_maps[4][4] = {{0, 1, 2, 3}, {4, 5, 6, 7}, {4, 5, 6, 3}, {4, 7, 6, 3}};

/* The ROM number paged at 0x0000, or -1 when RAM is (a +2A/+3 special mode). */
static int _zx_rom_paged(const zx_t *zx) {
    switch (zx->timing.paging) {
    case ZX_PAGING_128: return (zx->port_7ffd >> 4) & 1;
    case ZX_PAGING_PLUS3:
        if (zx->port_1ffd & 1) return -1;
        return ((zx->port_1ffd >> 1) & 2) | ((zx->port_7ffd >> 4) & 1);
    default: return 0;
    }
}

/* With one ROM in every slot (rom_fallback) each ROM slot holds the 48
 * BASIC, so the tape trap applies whichever is paged. */
bool zx_basic_rom_paged(const zx_t *zx) {
    int rom = _zx_rom_paged(zx);
    return rom == zx->timing.rom_count - 1 || (zx->rom_fallback && rom >= 0);
}

/* The RAM banks at 0x0000 (or -1: ROM), 0x4000, 0x8000 and 0xC000. */
static void _zx_banks_mapped(const zx_t *zx, int banks[4]) {
    if (zx->timing.paging == ZX_PAGING_PLUS3 && (zx->port_1ffd & 1)) {
        for (int i = 0; i < 4; i++) banks[i] = _zx_special_maps[(zx->port_1ffd >> 1) & 3][i];
        return;
    }
    banks[0] = -1;
    banks[1] = 5;
    banks[2] = 2;
    banks[3] = zx->timing.paging == ZX_PAGING_NONE ? 0 : zx->port_7ffd & 7;
}

/* The CPU's pages and contended pages from the paging registers. */
static void _zx_map(zx_t *zx) {
    z80_t *c = &zx->cpu;
    int banks[4];
    _zx_banks_mapped(zx, banks);
    c->contended_pages = 0;
    for (int i = 0; i < 4; i++) {
        if (banks[i] < 0) {
            c->read_page[i] = zx_rom(zx, _zx_rom_paged(zx));
            c->write_page[i] = NULL;
            continue;
        }
        c->read_page[i] = c->write_page[i] = zx_bank(zx, banks[i]);
        if ((zx->timing.contended_banks >> banks[i]) & 1) c->contended_pages |= (uint8_t)(1u << i);
    }
    /* the screen's bank, wherever it is mapped: stores into it redraw */
    c->hooked_pages = 0;
    for (int i = 0; i < 4; i++)
        if (banks[i] == 5 || banks[i] == 7) c->hooked_pages |= (uint8_t)(1u << i);
}

void zx_page_write(zx_t *zx, uint16_t port, uint8_t value) {
    if (zx->timing.paging == ZX_PAGING_NONE || (zx->port_7ffd & 0x20)) return; /* bit 5 locks until reset */
    if (port == 0x7ffd) zx->port_7ffd = value;
    else if (port == 0x1ffd && zx->timing.paging == ZX_PAGING_PLUS3) zx->port_1ffd = value;
    else return;
    _zx_map(zx);
    zx_tape_update_trap(zx);
}

/* ---- ports */

static void _zx_default_run_cpu(void *ctx, z80_t *cpu, uint32_t until) {
    (void)ctx;
    z80_run(cpu, until);
}

/* A store into a screen bank: the picture up to now must show the old
 * byte. Only the displayed bank's display file matters. */
static void _zx_write_hook(void *user, uint16_t addr, uint8_t value, uint32_t t) {
    (void)value;
    zx_t *zx = user;
    uint32_t o = addr & 0x3fff;
    if (o >= 0x1b00) return;
    const uint32_t *w = zx->cpu.hook_window;
    if (w && !(w[2 * o] < t && w[2 * o + 1] >= zx->hook_mark)) return; /* nothing to draw from this byte yet */
    if (zx->cpu.write_page[addr >> 14] == zx_bank(zx, zx_screen_bank(zx))) zx_video_render_to(zx, t);
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
    if (zx->timing.ay_hz) {
        /* AY register port: A15, A14 high, A1 low (FUSE peripherals/ay.c,
         * mask 0xC002); the +2A/+3 also answer on the data port 0xBFFD */
        if ((port & 0xc002) == 0xc000 || (zx->timing.paging == ZX_PAGING_PLUS3 && (port & 0xc002) == 0x8000)) {
            zx_audio_advance(zx, t);
            return ay_read(&zx->ay);
        }
    }
    if (!zx->timing.floating_bus) return 0xff;
    /* The first bitmap fetch as the data latch sees it. FUSE 1.6 puts it at
     * T=14338 on the 48K and 14364 on the 128K (top-left pixel + 2), for a
     * read sampled one T into the I/O cycle, and that placement is the one
     * checked against real games (its spectrum.c: Arkanoid, Sidewize). The
     * latch is two T later in an uncontended cycle, so the same fetch is
     * seen there at top-left pixel + 4: uncontended reads return exactly
     * FUSE's bytes, and reads of contended ports (which FUSE never lets see
     * the screen) get the late latch's (docs/MACHINE.md "Floating bus"). */
    uint32_t first_fetch = zx->timing.top_left_pixel + 4;
    return zx_video_floating_bus(zx_bank_const(zx, zx_screen_bank(zx)), _zx_port_latch_t(zx, port, t), first_fetch,
                                 zx->timing.line_t);
}

static void _zx_port_out(void *user, uint16_t port, uint8_t value, uint32_t t) {
    zx_t *zx = user;
    if (!(port & 1)) {
        zx_video_render_to(zx, t);
        zx_tape_advance(zx, t); /* keep audio events in time order */
        zx_audio_advance(zx, t);
        zx->border = value & 7;
        zx->last_fe = value;
    }
    if (zx->timing.ay_hz && (port & 0x8002) == 0x8000) { /* 0xFFFD select, 0xBFFD data (mask 0xC002) */
        zx_audio_advance(zx, t);
        if (port & 0x4000) ay_select(&zx->ay, value);
        else ay_write(&zx->ay, value);
    }
    /* Paging ports (FUSE machines/machines_periph.c): 128K and Pentagon
     * 0x7FFD decoded by A15 and A1 low; +2A/+3 0x7FFD by A15 low, A14 high,
     * A1 low, and 0x1FFD by A15-A12 = 0001, A1 low. */
    uint16_t page_port = 0;
    if (zx->timing.paging == ZX_PAGING_128 && (port & 0x8002) == 0) page_port = 0x7ffd;
    if (zx->timing.paging == ZX_PAGING_PLUS3) {
        if ((port & 0xc002) == 0x4000) page_port = 0x7ffd;
        else if ((port & 0xf002) == 0x1000) page_port = 0x1ffd;
    }
    if (page_port) {
        if (page_port == 0x7ffd && ((value ^ zx->port_7ffd) & 0x08) && !(zx->port_7ffd & 0x20))
            zx_video_render_to(zx, t); /* the picture so far shows the old screen */
        zx_page_write(zx, page_port, value);
    }
}

/* Pointers into the struct are re-derived each frame, so a struct copy of a
 * zx_t (save state, lockstep twin) runs on its own memory. */
void zx_wire_cpu(zx_t *zx) {
    z80_t *c = &zx->cpu;
    _zx_map(zx);
    /* every ROM and bank is one physical block for the dynarec */
    c->mem_phys = zx->mem;
    c->mem_phys_size = (uint32_t)sizeof zx->mem;
    c->contention = zx->timing.contend == ZX_CONTEND_NONE ? NULL : zx->contention;
    c->contention_len = zx->timing.frame_t;
    c->contend_mreq_only = zx->timing.contend == ZX_CONTEND_GATE_ARRAY;
    c->user = zx;
    c->write_hook = _zx_write_hook;
    c->hook_window = zx_video_hook_window(&zx->timing);
    c->hook_mark = &zx->hook_mark;
    zx_video_set_mark(zx); /* fast_forward may have changed */
    c->port_in = _zx_port_in;
    c->port_out = _zx_port_out;
    c->int_until = zx->timing.int_len;
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
    const zx_timing_t *tm = desc ? zx_model_timing(desc->model) : NULL;
    if (!tm || !desc->rom) return false;
    if (desc->rom_size != ZX_ROM_SIZE && desc->rom_size != (size_t)tm->rom_count * ZX_ROM_SIZE) return false;
    zx->model = desc->model;
    zx->timing = *tm;
    for (int n = 0; n < tm->rom_count; n++) {
        size_t from = desc->rom_size == ZX_ROM_SIZE ? 0 : (size_t)n * ZX_ROM_SIZE;
        memcpy(zx_rom(zx, n), desc->rom + from, ZX_ROM_SIZE);
    }
    zx->rom_fallback = tm->rom_count > 1 && desc->rom_size == ZX_ROM_SIZE;
    zx->run_cpu = desc->run_cpu ? desc->run_cpu : _zx_default_run_cpu;
    zx->run_cpu_ctx = desc->run_cpu_ctx;
    zx->kempston = !desc->no_kempston;
    zx->issue2 = desc->issue2;
    zx->tape_traps = !desc->no_tape_traps;
    zx->tape_rom_ok = _zx_rom_has_ld_bytes(zx_rom(zx, tm->rom_count - 1));
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
    zx->port_7ffd = 0;
    zx->port_1ffd = 0;
    zx->flash_on = false;
    zx->render_cell = 0;
    zx_video_set_mark(zx);
    zx_audio_reset(zx);
    zx_tape_rewind(zx);
    zx_wire_cpu(zx);
}

void zx_frame_begin(zx_t *zx) {
    PROF_FRAME_BEGIN(zx->prof);
    zx_wire_cpu(zx);
    zx_audio_begin_frame(zx);
}

void zx_run_frame(zx_t *zx) {
    uint32_t frame_t = zx->timing.frame_t;
    zx_frame_begin(zx);
    while (zx->cpu.tstates < frame_t) {
        PROF_PUSH(zx->prof, PROF_INTERPRETER); /* the dynarec's dispatcher re-marks its own time */
        zx->run_cpu(zx->run_cpu_ctx, &zx->cpu, frame_t);
        PROF_POP(zx->prof);
        if (zx->cpu.trap_pc >= 0 && zx->cpu.pc == (uint16_t)zx->cpu.trap_pc && zx->cpu.tstates < frame_t)
            zx_tape_on_trap(zx);
    }
    zx_frame_end(zx);
}

void zx_frame_end(zx_t *zx) {
    uint32_t frame_t = zx->timing.frame_t;
    zx_video_end_frame(zx);
    zx_tape_end_frame(zx);
    zx_audio_end_frame(zx);
    zx->cpu.tstates -= frame_t;
    zx->frame_count++;
    if (zx->frame_count % 16 == 0) zx->flash_on = !zx->flash_on; /* FLASH: 16 frames on, 16 off */
    PROF_FRAME_END(zx->prof);
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
