/*
 * zx_tape.c: the tape deck: real-time playback as EAR edges, and instant
 * loading through a trap in the ROM's LD-BYTES.
 *
 * Playback is lazy: the EAR level is only needed when the CPU reads port
 * 0xFE, so the player catches up to that T-state (and to the frame end)
 * rather than ticking. Every event is "set or toggle the level at T, then
 * hold it for N T-states".
 */
#include "machine/zx/zx_internal.h"

#include <stdlib.h>
#include <string.h>

enum { ST_START, ST_PILOT, ST_SYNC1, ST_SYNC2, ST_DATA, ST_PULSES, ST_DIRECT, ST_PAUSE, ST_NEXT };

static void _zx_tape_next_block(zx_tape_player_t *p) {
    p->block++;
    p->stage = ST_START;
}

/* Whether the data bit pointer is past the block's last bit. */
static bool _zx_tape_bits_done(const zx_tape_player_t *p, const tape_block_t *b) {
    if (p->byte >= b->data_len) return true;
    if (p->byte == b->data_len - 1) {
        uint8_t last_mask = (uint8_t)(0x80 >> (b->used_bits - 1));
        return p->mask < last_mask;
    }
    return false;
}

static void _zx_tape_advance_bit(zx_tape_player_t *p) {
    p->mask >>= 1;
    if (!p->mask) {
        p->mask = 0x80;
        p->byte++;
    }
}

/* Applies the next event's level change and returns its length in *dur;
 * false when the tape stops (end of tape, stop block). */
static bool _zx_tape_step(zx_t *zx, uint32_t *dur) {
    zx_tape_player_t *p = &zx->tape;
    const tape_t *tape = p->tape;
    for (;;) {
        if (!tape || p->block >= tape->block_count) return false;
        const tape_block_t *b = &tape->blocks[p->block];
        const uint8_t *data = tape->data + b->data_off;
        switch (p->stage) {
        case ST_START:
            p->byte = 0;
            p->mask = 0x80;
            p->bit_half = 0;
            switch (b->kind) {
            case TAPE_DATA:
                p->count = b->count;
                p->stage = b->count ? ST_PILOT : ST_DATA;
                continue;
            case TAPE_TONE: p->count = b->count; p->stage = ST_PILOT; continue;
            case TAPE_PULSES: p->stage = ST_PULSES; continue;
            case TAPE_DIRECT: p->stage = ST_DIRECT; continue;
            case TAPE_PAUSE:
                if (b->pause_ms == 0) { /* "pause 0" means stop the tape */
                    _zx_tape_next_block(p);
                    return false;
                }
                p->stage = ST_PAUSE;
                continue;
            case TAPE_STOP_48K: _zx_tape_next_block(p); return false;
            case TAPE_LOOP_START:
                p->loop_active = 1;
                p->loop_block = p->block + 1;
                p->loop_left = b->count;
                _zx_tape_next_block(p);
                continue;
            case TAPE_LOOP_END:
                if (p->loop_active && p->loop_left > 1) {
                    p->loop_left--;
                    p->block = p->loop_block;
                    p->stage = ST_START;
                } else {
                    p->loop_active = 0;
                    _zx_tape_next_block(p);
                }
                continue;
            case TAPE_SET_LEVEL: p->level = b->level; _zx_tape_next_block(p); continue;
            default: _zx_tape_next_block(p); continue; /* TAPE_INFO */
            }
        case ST_PILOT:
            if (p->count) {
                p->count--;
                p->level ^= 1;
                *dur = b->pilot;
                return true;
            }
            p->stage = b->kind == TAPE_TONE ? ST_NEXT : ST_SYNC1;
            continue;
        case ST_SYNC1:
            p->stage = ST_SYNC2;
            p->level ^= 1;
            *dur = b->sync1;
            return true;
        case ST_SYNC2:
            p->stage = ST_DATA;
            p->level ^= 1;
            *dur = b->sync2;
            return true;
        case ST_DATA: {
            if (_zx_tape_bits_done(p, b)) {
                p->stage = ST_PAUSE;
                continue;
            }
            bool one = (data[p->byte] & p->mask) != 0;
            p->level ^= 1;
            *dur = one ? b->one : b->zero;
            if (p->bit_half) _zx_tape_advance_bit(p); /* two pulses per bit */
            p->bit_half ^= 1;
            return true;
        }
        case ST_PULSES:
            if (p->byte < b->count && 2 * p->byte + 1 < b->data_len) {
                p->level ^= 1;
                *dur = (uint32_t)(data[2 * p->byte] | data[2 * p->byte + 1] << 8);
                p->byte++;
                return true;
            }
            p->stage = ST_NEXT;
            continue;
        case ST_DIRECT:
            if (_zx_tape_bits_done(p, b)) {
                p->stage = ST_PAUSE;
                continue;
            }
            p->level = (data[p->byte] & p->mask) ? 1 : 0;
            *dur = b->zero; /* T-states per sample */
            _zx_tape_advance_bit(p);
            return true;
        case ST_PAUSE:
            p->stage = ST_NEXT;
            if (b->pause_ms == 0) continue;
            p->level = 0; /* TZX: the signal is low during a pause */
            *dur = b->pause_ms * (uint32_t)TAPE_T_PER_MS;
            return true;
        default: /* ST_NEXT */
            _zx_tape_next_block(p);
            continue;
        }
    }
}

void zx_tape_advance(zx_t *zx, uint32_t t) {
    zx_tape_player_t *p = &zx->tape;
    while (p->playing && p->next_edge <= (int64_t)t) {
        int64_t at = p->next_edge;
        if (at > 0) zx_audio_advance(zx, (uint32_t)at); /* the old level sounds until the edge */
        uint32_t dur = 0;
        if (!_zx_tape_step(zx, &dur)) {
            p->playing = 0;
            zx_tape_update_trap(zx);
            break;
        }
        /* Tape timings count 3.5 MHz T-states (TZX specification); a
         * 128K's 3.5469 MHz CPU sees proportionally more of its own. */
        uint64_t scaled = (uint64_t)dur * zx->timing.cpu_hz + p->scale_rem;
        p->scale_rem = (uint32_t)(scaled % 3500000u);
        dur = (uint32_t)(scaled / 3500000u);
        p->next_edge = at + dur;
        p->played_t += dur;
    }
}

void zx_tape_end_frame(zx_t *zx) {
    zx_tape_advance(zx, zx->timing.frame_t);
    if (zx->tape.playing) zx->tape.next_edge -= zx->timing.frame_t;
}

void zx_tape_update_trap(zx_t *zx) {
    /* only while the 48 BASIC ROM is paged in (128K models: ROM 1, +2A/+3: ROM 3) */
    bool armed = zx->tape.tape && !zx->tape.playing && zx->tape_traps && zx->tape_rom_ok && zx_basic_rom_paged(zx);
    zx->cpu.trap_pc = armed ? ZX_TAPE_TRAP_PC : -1;
}

/* Runs the instruction at the trap address without trapping. */
static void _zx_tape_step_over(zx_t *zx) {
    int32_t trap = zx->cpu.trap_pc;
    zx->cpu.trap_pc = -1;
    z80_step(&zx->cpu);
    zx->cpu.trap_pc = trap;
}

/* LD-BYTES contract (48K ROM disassembly, 0x0556): on entry A' = expected
 * flag byte, carry' = LOAD (set) or VERIFY (reset), IX = address, DE =
 * length. On return carry is set on success; IX and DE have advanced past
 * the bytes handled. We return through the RET the ROM would reach, by
 * popping SA/LD-RET (pushed at 0x0561) off the stack. */
static void _zx_tape_trap_load(zx_t *zx, const tape_block_t *b) {
    z80_t *c = &zx->cpu;
    const uint8_t *d = zx->tape.tape->data + b->data_off;
    uint32_t len = b->data_len;
    uint8_t flag = c->af_.b.h;
    bool load = (c->af_.b.l & Z80_CF) != 0;
    bool ok = false;
    uint32_t done = 0;
    uint8_t parity = 0, last = 0;
    /* the bytes land now: the cells latched so far show memory before them */
    if (load) zx_video_render_to(zx, c->tstates);
    if (len > 0 && d[0] == flag) {
        parity = d[0];
        uint32_t want = c->de.w;
        ok = true;
        for (; done < want; done++) {
            if (1 + done >= len) { ok = false; break; } /* block too short: the ROM would time out */
            uint8_t v = d[1 + done];
            uint16_t addr = (uint16_t)(c->ix.w + done);
            if (load) z80_poke(c, addr, v);
            else if (z80_peek(c, addr) != v) { ok = false; break; }
            parity ^= v;
            last = v;
        }
        if (ok) {
            if (1 + done >= len) ok = false; /* no checksum byte */
            else parity ^= d[1 + done];
            if (parity != 0) ok = false;
        }
        c->ix.w = (uint16_t)(c->ix.w + done);
        c->de.w = (uint16_t)(c->de.w - done);
        c->hl.b.l = last;
        c->hl.b.h = parity;
    }
    /* Success leaves A=0 after the ROM's final "CP 1" (flags 0x93: S H N C);
     * failure clears carry. */
    if (ok) {
        c->af.b.h = 0;
        c->af.b.l = 0x93;
    } else {
        c->af.b.l = (uint8_t)(c->af.b.l & ~Z80_CF);
    }
    uint16_t sp = c->sp;
    c->pc = (uint16_t)(z80_peek(c, sp) | z80_peek(c, (uint16_t)(sp + 1)) << 8);
    c->sp = (uint16_t)(sp + 2);
    zx->tape_loads++;
}

void zx_tape_on_trap(zx_t *zx) {
    zx_tape_player_t *p = &zx->tape;
    if (zx->cpu.trap_pc != ZX_TAPE_TRAP_PC || !p->tape || p->playing) {
        _zx_tape_step_over(zx);
        return;
    }
    /* Blocks without data (pauses, text, groups, ...) pass by in an instant. */
    while (p->block < p->tape->block_count && p->tape->blocks[p->block].kind != TAPE_DATA) _zx_tape_next_block(p);
    if (p->block >= p->tape->block_count) { /* end of tape: let the ROM wait, as for a real one */
        _zx_tape_step_over(zx);
        return;
    }
    const tape_block_t *b = &p->tape->blocks[p->block];
    if (!b->rom_std || p->stage != ST_START) {
        zx_tape_play(zx); /* custom timings: play it for real */
        _zx_tape_step_over(zx);
        return;
    }
    _zx_tape_trap_load(zx, b);
    _zx_tape_next_block(p);
}

/* ---- public tape control */

bool zx_tape_insert(zx_t *zx, const uint8_t *data, size_t len, const char *name_hint, char *err, size_t errlen) {
    tape_t parsed;
    if (!tape_parse(&parsed, data, len, name_hint, err, errlen)) return false;
    tape_t *t = malloc(sizeof *t);
    if (!t) {
        tape_free(&parsed);
        if (err && errlen) { strncpy(err, "out of memory", errlen - 1); err[errlen - 1] = 0; }
        return false;
    }
    *t = parsed;
    zx_tape_eject(zx);
    zx->tape.tape = t;
    zx_tape_update_trap(zx);
    return true;
}

void zx_tape_eject(zx_t *zx) {
    if (zx->tape.tape) {
        tape_free(zx->tape.tape);
        free(zx->tape.tape);
    }
    memset(&zx->tape, 0, sizeof zx->tape);
    zx_tape_update_trap(zx);
}

void zx_tape_play(zx_t *zx) {
    zx_tape_player_t *p = &zx->tape;
    if (!p->tape || p->playing) return;
    if (p->block >= p->tape->block_count) return;
    p->playing = 1;
    p->next_edge = zx->cpu.tstates;
    zx_tape_update_trap(zx);
}

void zx_tape_stop(zx_t *zx) {
    zx_tape_advance(zx, zx->cpu.tstates);
    zx->tape.playing = 0;
    zx_tape_update_trap(zx);
}

void zx_tape_rewind(zx_t *zx) {
    tape_t *t = zx->tape.tape;
    memset(&zx->tape, 0, sizeof zx->tape);
    zx->tape.tape = t;
    zx_tape_update_trap(zx);
}

bool zx_tape_playing(const zx_t *zx) { return zx->tape.playing != 0; }
bool zx_tape_wants_fast_forward(const zx_t *zx) { return zx->tape.playing != 0; }
uint32_t zx_tape_block(const zx_t *zx) { return zx->tape.block; }
uint32_t zx_tape_block_count(const zx_t *zx) { return zx->tape.tape ? zx->tape.tape->block_count : 0; }
