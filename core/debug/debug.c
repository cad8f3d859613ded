/*
 * debug.c: the debugger (debug.h): points and their maps, the stop
 * decision asked before each instruction, the watch trace, frames run in
 * pieces, steps, registers, the call stack guess.
 */
#include "debug/debug.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/z80/z80_decode.h"
#include "jit/z80/jit_z80.h"
#include "machine/zx/zx_internal.h"

static const char *const _dbg_kind_names[ZXDBG_KINDS] = {"pc", "read", "write", "in", "out"};
static const char *const _dbg_reason_names[] = {"none", "breakpoint", "watch", "step", "target", "pause"};

/* The debugger whose run is under way: the CPU's trace callback gets the
 * machine's user pointer (chained by the dynarec), not the debugger. Runs
 * never nest. */
static zxdbg_t *_dbg_running;

static inline bool _dbg_bit(const uint8_t *map, uint32_t i) { return (map[i >> 3] >> (i & 7)) & 1; }

static jit_t *_dbg_jit(const zxdbg_t *d) { return d->zx->run_cpu == jit_run ? d->zx->run_cpu_ctx : NULL; }

/* Offset in zx_t.mem of the bank's first byte, or -1 for a bank the model lacks. */
static int32_t _dbg_bank_base(const zxdbg_t *d, int bank) {
    zx_t *zx = d->zx;
    if (bank >= 0 && bank < ZX_RAM_BANKS) {
        if (zx->timing.paging == ZX_PAGING_NONE && bank != 0 && bank != 2 && bank != 5) return -1;
        return (int32_t)(zx_bank(zx, bank) - zx->mem);
    }
    if (bank >= ZXDBG_ROM_BANK && bank < ZXDBG_ROM_BANK + zx->timing.rom_count)
        return (int32_t)(zx_rom(zx, bank - ZXDBG_ROM_BANK) - zx->mem);
    return -1;
}

/* Physical address (offset in zx_t.mem) addr reads from now. */
static uint32_t _dbg_phys(const zxdbg_t *d, uint16_t addr) {
    return (uint32_t)(d->zx->cpu.read_page[addr >> 14] - d->zx->mem) + (addr & 0x3fff);
}

int zxdbg_bank_at(zxdbg_t *d, uint16_t addr) {
    uint32_t page = _dbg_phys(d, addr) & ~(uint32_t)0x3fff;
    for (int b = 0; b < ZX_RAM_BANKS; b++)
        if (_dbg_bank_base(d, b) == (int32_t)page) return b;
    for (int r = 0; r < d->zx->timing.rom_count; r++)
        if (_dbg_bank_base(d, ZXDBG_ROM_BANK + r) == (int32_t)page) return ZXDBG_ROM_BANK + r;
    return ZXDBG_ANY_BANK;
}

/* Whether an address (read from physical phys) lies in a PC/READ/WRITE point. */
static bool _dbg_point_has(const zxdbg_t *d, const zxdbg_point_t *p, uint16_t addr, uint32_t phys) {
    if (addr < p->lo || addr > p->hi) return false;
    if (p->bank == ZXDBG_ANY_BANK) return true;
    int32_t base = _dbg_bank_base(d, p->bank);
    return base >= 0 && phys == (uint32_t)base + (addr & 0x3fff);
}

/* ---- points */

static void _dbg_rebuild(zxdbg_t *d) {
    memset(d->logical, 0, sizeof d->logical);
    memset(d->physical, 0, sizeof d->physical);
    d->armed_pc = d->armed_mem = d->armed_port = 0;
    for (int i = 0; i < ZXDBG_MAX_POINTS; i++) {
        const zxdbg_point_t *p = &d->points[i];
        if (!p->id || !p->enabled) continue;
        if (p->kind == ZXDBG_READ || p->kind == ZXDBG_WRITE) d->armed_mem++;
        if (p->kind == ZXDBG_IN || p->kind == ZXDBG_OUT) d->armed_port++;
        if (p->kind != ZXDBG_PC) continue;
        d->armed_pc++;
        for (uint32_t a = p->lo; a <= p->hi; a++) {
            if (p->bank == ZXDBG_ANY_BANK) {
                d->logical[a >> 3] |= (uint8_t)(1u << (a & 7));
            } else {
                uint32_t phys = (uint32_t)_dbg_bank_base(d, p->bank) + (a & 0x3fff);
                d->physical[phys >> 3] |= (uint8_t)(1u << (phys & 7));
            }
        }
    }
    if (d->target_pc >= 0) d->logical[d->target_pc >> 3] |= (uint8_t)(1u << (d->target_pc & 7));
    d->jd.gen++;
    if (!d->jd.gen) d->jd.gen = 1;
}

int zxdbg_add(zxdbg_t *d, int kind, uint16_t lo, uint16_t hi, int bank) {
    if (kind < 0 || kind >= ZXDBG_KINDS) return 0;
    bool ports = kind == ZXDBG_IN || kind == ZXDBG_OUT;
    if (!ports) {
        if (lo > hi) return 0;
        if (bank != ZXDBG_ANY_BANK && _dbg_bank_base(d, bank) < 0) return 0;
        /* one bank's addresses lie in one 16K page */
        if (bank != ZXDBG_ANY_BANK && (lo >> 14) != (hi >> 14)) return 0;
    }
    for (int i = 0; i < ZXDBG_MAX_POINTS; i++) {
        zxdbg_point_t *p = &d->points[i];
        if (p->id) continue;
        *p = (zxdbg_point_t){.id = ++d->next_id, .kind = (uint8_t)kind, .enabled = true, .lo = lo, .hi = hi,
                             .bank = (int16_t)(ports ? ZXDBG_ANY_BANK : bank)};
        _dbg_rebuild(d);
        return p->id;
    }
    return 0;
}

static zxdbg_point_t *_dbg_find(zxdbg_t *d, int id) {
    for (int i = 0; id > 0 && i < ZXDBG_MAX_POINTS; i++)
        if (d->points[i].id == id) return &d->points[i];
    return NULL;
}

bool zxdbg_remove(zxdbg_t *d, int id) {
    zxdbg_point_t *p = _dbg_find(d, id);
    if (!p) return false;
    memset(p, 0, sizeof *p);
    _dbg_rebuild(d);
    return true;
}

bool zxdbg_enable(zxdbg_t *d, int id, bool on) {
    zxdbg_point_t *p = _dbg_find(d, id);
    if (!p) return false;
    p->enabled = on;
    _dbg_rebuild(d);
    return true;
}

void zxdbg_clear(zxdbg_t *d) {
    memset(d->points, 0, sizeof d->points);
    _dbg_rebuild(d);
}

const char *zxdbg_points_json(zxdbg_t *d) {
    size_t n = 0, cap = sizeof d->json;
    n += (size_t)snprintf(d->json + n, cap - n, "[");
    bool first = true;
    for (int i = 0; i < ZXDBG_MAX_POINTS; i++) {
        const zxdbg_point_t *p = &d->points[i];
        if (!p->id) continue;
        n += (size_t)snprintf(d->json + n, cap - n, "%s{\"id\":%d,\"kind\":\"%s\",\"lo\":%u,\"hi\":%u,\"bank\":%d,\"enabled\":%s,\"hits\":%u}",
                              first ? "" : ",", p->id, _dbg_kind_names[p->kind], p->lo, p->hi, p->bank,
                              p->enabled ? "true" : "false", p->hits);
        first = false;
    }
    snprintf(d->json + n, cap - n, "]");
    return d->json;
}

/* ---- the stop decision and the watch trace */

static void _dbg_set_stop(zxdbg_t *d, uint8_t reason, const zxdbg_point_t *p, uint16_t address, uint8_t value, uint32_t t) {
    d->stop = (zxdbg_stop_t){.reason = reason, .id = p ? p->id : 0, .kind = p ? p->kind : 0, .pc = d->zx->cpu.pc,
                             .address = address, .value = value, .t = t, .frame = d->zx->frame_count};
}

static uint8_t _dbg_peek(void *user, uint16_t addr) { return z80_peek(user, addr); }

/* Asked before each instruction (the dispatcher's jit_debug_t.stop, and
 * the interpreter's loop below). */
static bool _dbg_should_stop(zxdbg_t *d, const z80_t *c, uint32_t phys) {
    if (d->watch_hit) {
        d->watch_hit = false;
        d->stop.pc = c->pc; /* set when the access was seen; the instruction has ended since */
        return true;
    }
    if (d->armed_mem) {
        z80_insn_t in;
        d->insn_pc = c->pc;
        d->insn_len = (uint16_t)z80_decode_peek(_dbg_peek, (void *)c, c->pc, &in);
    }
    if (c->halted) return false; /* a HALT repeating is not a new instruction */
    if (d->skip && c->pc == d->skip_pc && c->tstates == d->skip_t) return false;
    if (d->target_pc >= 0 && c->pc == (uint16_t)d->target_pc && c->sp >= d->target_sp) {
        _dbg_set_stop(d, d->target_reason, NULL, c->pc, 0, c->tstates);
        d->target_pc = -1;
        _dbg_rebuild(d);
        return true;
    }
    if (!_dbg_bit(d->logical, c->pc) && !(phys < ZX_MEM_SIZE && _dbg_bit(d->physical, phys))) return false;
    for (int i = 0; i < ZXDBG_MAX_POINTS; i++) {
        zxdbg_point_t *p = &d->points[i];
        if (!p->id || !p->enabled || p->kind != ZXDBG_PC || !_dbg_point_has(d, p, c->pc, phys)) continue;
        p->hits++;
        _dbg_set_stop(d, ZXDBG_STOP_BREAKPOINT, p, c->pc, 0, c->tstates);
        return true;
    }
    return false; /* a run-to target of another SP */
}

static bool _dbg_jit_stop(jit_debug_t *jd, const void *cpu, uint32_t phys) {
    zxdbg_t *d = (zxdbg_t *)((char *)jd - offsetof(zxdbg_t, jd));
    return _dbg_should_stop(d, cpu, phys);
}

static void _dbg_trace(void *user, int kind, uint16_t addr, uint8_t value, uint32_t t) {
    (void)user;
    zxdbg_t *d = _dbg_running;
    if (!d || d->watch_hit) return;
    int want;
    switch (kind) {
    case Z80_EV_MR: want = ZXDBG_READ; break;
    case Z80_EV_MW: want = ZXDBG_WRITE; break;
    case Z80_EV_PR: want = ZXDBG_IN; break;
    case Z80_EV_PW: want = ZXDBG_OUT; break;
    default: return;
    }
    if (want == ZXDBG_READ && (uint16_t)(addr - d->insn_pc) < d->insn_len) return; /* its own bytes */
    uint32_t phys = want <= ZXDBG_WRITE ? _dbg_phys(d, addr) : 0;
    for (int i = 0; i < ZXDBG_MAX_POINTS; i++) {
        zxdbg_point_t *p = &d->points[i];
        if (!p->id || !p->enabled || p->kind != want) continue;
        bool hit = want <= ZXDBG_WRITE ? _dbg_point_has(d, p, addr, phys) : ((addr ^ p->lo) & p->hi) == 0;
        if (!hit) continue;
        p->hits++;
        _dbg_set_stop(d, ZXDBG_STOP_WATCH, p, addr, value, t);
        d->watch_hit = true;
        return;
    }
}

/* The interpreter's loop while debugging (a machine without the dynarec). */
static bool _dbg_interpret(zxdbg_t *d, z80_t *c, uint32_t until) {
    while (c->tstates < until && (int32_t)c->pc != c->trap_pc) {
        if (_dbg_should_stop(d, c, _dbg_phys(d, c->pc))) return true;
        z80_step(c);
    }
    return false;
}

/* ---- runs */

zxdbg_t *zxdbg_create(zx_t *zx) {
    zxdbg_t *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->zx = zx;
    d->target_pc = -1;
    d->jd.logical = d->logical;
    d->jd.physical = d->physical;
    d->jd.physical_size = ZX_MEM_SIZE;
    d->jd.stop = _dbg_jit_stop;
    _dbg_rebuild(d);
    return d;
}

void zxdbg_destroy(zxdbg_t *d) { free(d); }

void zxdbg_machine_changed(zxdbg_t *d) {
    d->mid_frame = false;
    d->skip = false;
    d->watch_hit = false;
    d->target_pc = -1;
    _dbg_rebuild(d);
}

static bool _dbg_armed(const zxdbg_t *d) { return d->armed_pc || d->armed_mem || d->armed_port || d->target_pc >= 0; }

/* Runs the frame under way (begun here if none is) until T-state `until`
 * (at most the frame's end) or a stop; a frame that reaches its end is
 * ended. Returns whether it stopped. */
static bool _dbg_run(zxdbg_t *d, uint32_t until) {
    zx_t *zx = d->zx;
    z80_t *c = &zx->cpu;
    uint32_t frame_t = zx->timing.frame_t;
    if (!d->mid_frame) {
        zx_frame_begin(zx);
        d->mid_frame = true;
    }
    if (until > frame_t) until = frame_t;
    bool armed = _dbg_armed(d) || until < frame_t; /* a step is always watched */
    bool watching = d->armed_mem || d->armed_port;
    jit_t *jit = _dbg_jit(d);
    uint32_t t0 = c->tstates;
    d->watch_hit = false;
    d->insn_len = 0;
    if (armed) {
        _dbg_running = d;
        if (watching) c->trace = _dbg_trace;
        d->jd.interpret = watching;
        if (jit) jit_set_debug(jit, &d->jd);
    }
    bool stopped = false;
    while (c->tstates < until) {
        PROF_PUSH(zx->prof, PROF_INTERPRETER);
        if (!armed || jit) {
            zx->run_cpu(zx->run_cpu_ctx, c, until);
            stopped = armed && d->jd.stopped;
        } else {
            stopped = _dbg_interpret(d, c, until);
        }
        PROF_POP(zx->prof);
        if (stopped) break;
        if (c->trap_pc >= 0 && c->pc == (uint16_t)c->trap_pc && c->tstates < until) zx_tape_on_trap(zx);
    }
    if (armed) {
        if (jit) jit_set_debug(jit, NULL);
        c->trace = NULL;
        _dbg_running = NULL;
        /* the last instruction of the run made a watched access */
        if (!stopped && d->watch_hit) {
            d->watch_hit = false;
            d->stop.pc = c->pc;
            stopped = true;
        }
    }
    if (c->tstates != t0) d->skip = false;
    if (c->tstates >= frame_t) {
        zx_frame_end(zx);
        d->mid_frame = false;
    }
    if (stopped) {
        d->stopped = true;
        d->skip = true;
        d->skip_pc = c->pc;
        d->skip_t = c->tstates;
    }
    return stopped;
}

bool zxdbg_run_frame(zxdbg_t *d) {
    if (!d->mid_frame && !_dbg_armed(d)) {
        zx_run_frame(d->zx);
        d->skip = false;
        return false;
    }
    return _dbg_run(d, d->zx->timing.frame_t);
}

void zxdbg_step(zxdbg_t *d) {
    z80_t *c = &d->zx->cpu;
    d->skip = true; /* a step runs the instruction even on a breakpoint */
    d->skip_pc = c->pc;
    d->skip_t = c->tstates;
    int32_t target = d->target_pc;
    d->target_pc = -1;
    if (target >= 0) _dbg_rebuild(d);
    if (c->tstates >= d->zx->timing.frame_t && d->mid_frame) { /* overshoot: end the frame first */
        zx_frame_end(d->zx);
        d->mid_frame = false;
    }
    bool watched = _dbg_run(d, c->tstates + 1);
    if (!watched) _dbg_set_stop(d, ZXDBG_STOP_STEP, NULL, c->pc, 0, c->tstates);
    d->stopped = true;
    d->skip = true;
    d->skip_pc = c->pc;
    d->skip_t = c->tstates;
}

void zxdbg_run_to(zxdbg_t *d, uint16_t addr, uint32_t sp_min) {
    d->target_pc = addr;
    d->target_sp = sp_min;
    d->target_reason = ZXDBG_STOP_TARGET;
    _dbg_rebuild(d);
}

void zxdbg_cancel_target(zxdbg_t *d) {
    if (d->target_pc < 0) return;
    d->target_pc = -1;
    _dbg_rebuild(d);
}

void zxdbg_pause_here(zxdbg_t *d) {
    z80_t *c = &d->zx->cpu;
    _dbg_set_stop(d, ZXDBG_STOP_USER, NULL, c->pc, 0, c->tstates);
    d->stopped = true;
    d->skip = true;
    d->skip_pc = c->pc;
    d->skip_t = c->tstates;
}

/* The length of the instruction at pc when stepping over it runs more than
 * itself (a call, RST, DJNZ, repeating block instruction or HALT), else 0. */
static int _dbg_over_length(const z80_t *c, uint16_t pc) {
    uint8_t op = z80_peek(c, pc);
    if (op == 0xcd || (op & 0xc7) == 0xc4) return 3; /* CALL nn, CALL cc,nn */
    if ((op & 0xc7) == 0xc7) return 1;               /* RST */
    if (op == 0x10) return 2;                        /* DJNZ */
    if (op == 0x76) return 1;                        /* HALT */
    if (op == 0xed) {
        uint8_t op2 = z80_peek(c, (uint16_t)(pc + 1));
        if ((op2 & 0xf4) == 0xb0) return 2; /* LDIR CPIR INIR OTIR LDDR CPDR INDR OTDR */
    }
    return 0;
}

bool zxdbg_step_over(zxdbg_t *d) {
    z80_t *c = &d->zx->cpu;
    int len = c->halted ? 1 : _dbg_over_length(c, c->pc);
    if (!len) {
        zxdbg_step(d);
        return false;
    }
    zxdbg_run_to(d, (uint16_t)(c->pc + len), c->sp);
    return true;
}

/* Whether the word at stack slot sp is a return address: the bytes before
 * it hold a CALL (3 bytes) or an RST (1). *call, *target: that instruction. */
static bool _dbg_return_address(const z80_t *c, uint16_t ret, uint16_t *call, uint16_t *target) {
    uint16_t at = (uint16_t)(ret - 3);
    uint8_t op = z80_peek(c, at);
    if (op == 0xcd || (op & 0xc7) == 0xc4) {
        *call = at;
        *target = (uint16_t)(z80_peek(c, (uint16_t)(at + 1)) | z80_peek(c, (uint16_t)(at + 2)) << 8);
        return true;
    }
    at = (uint16_t)(ret - 1);
    op = z80_peek(c, at);
    if ((op & 0xc7) == 0xc7) {
        *call = at;
        *target = op & 0x38;
        return true;
    }
    return false;
}

enum { _DBG_STACK_WORDS = 128 }; /* how far up the stack the guess looks */

bool zxdbg_step_out(zxdbg_t *d) {
    z80_t *c = &d->zx->cpu;
    for (uint32_t i = 0; i < _DBG_STACK_WORDS; i++) {
        uint32_t slot = c->sp + 2 * i;
        if (slot > 0xfffe) break;
        uint16_t ret = (uint16_t)(z80_peek(c, (uint16_t)slot) | z80_peek(c, (uint16_t)(slot + 1)) << 8), call, target;
        if (!_dbg_return_address(c, ret, &call, &target)) continue;
        zxdbg_run_to(d, ret, slot + 2);
        return true;
    }
    return false;
}

const char *zxdbg_calls_json(zxdbg_t *d) {
    z80_t *c = &d->zx->cpu;
    size_t n = 0, cap = sizeof d->json;
    n += (size_t)snprintf(d->json, cap, "[");
    int found = 0;
    for (uint32_t i = 0; i < _DBG_STACK_WORDS && found < ZXDBG_CALLS; i++) {
        uint32_t slot = c->sp + 2 * i;
        if (slot > 0xfffe) break;
        uint16_t ret = (uint16_t)(z80_peek(c, (uint16_t)slot) | z80_peek(c, (uint16_t)(slot + 1)) << 8), call, target;
        if (!_dbg_return_address(c, ret, &call, &target)) continue;
        n += (size_t)snprintf(d->json + n, cap - n, "%s{\"sp\":%u,\"ret\":%u,\"call\":%u,\"target\":%u}", found ? "," : "",
                              slot, ret, call, target);
        found++;
    }
    snprintf(d->json + n, cap - n, "]");
    return d->json;
}

/* ---- state */

const char *zxdbg_stop_json(zxdbg_t *d) {
    const zxdbg_stop_t *s = &d->stop;
    snprintf(d->json, sizeof d->json,
             "{\"reason\":\"%s\",\"id\":%d,\"kind\":\"%s\",\"pc\":%u,\"address\":%u,\"value\":%u,\"t\":%u,\"frame\":%llu}",
             _dbg_reason_names[s->reason], s->id, s->id ? _dbg_kind_names[s->kind] : "", s->pc, s->address, s->value,
             s->t, (unsigned long long)s->frame);
    return d->json;
}

const char *zxdbg_state_json(zxdbg_t *d) {
    const zx_t *zx = d->zx;
    const z80_t *c = &zx->cpu;
    uint32_t t = c->tstates, line_t = zx->timing.line_t;
    snprintf(d->json, sizeof d->json,
             "{\"AF\":%u,\"BC\":%u,\"DE\":%u,\"HL\":%u,\"AF'\":%u,\"BC'\":%u,\"DE'\":%u,\"HL'\":%u,"
             "\"IX\":%u,\"IY\":%u,\"SP\":%u,\"PC\":%u,\"WZ\":%u,\"I\":%u,\"R\":%u,\"IFF1\":%u,\"IFF2\":%u,\"IM\":%u,"
             "\"halted\":%u,\"frame\":%llu,\"t\":%u,\"line\":%u,\"lineT\":%u,\"frameT\":%u,\"lineTStates\":%u,"
             "\"firstScreenLine\":%u,\"midFrame\":%s,\"bank0\":%d,\"bank1\":%d,\"bank2\":%d,\"bank3\":%d}",
             c->af.w, c->bc.w, c->de.w, c->hl.w, c->af_.w, c->bc_.w, c->de_.w, c->hl_.w, c->ix.w, c->iy.w, c->sp,
             c->pc, c->wz, c->i, c->r, c->iff1, c->iff2, c->im, c->halted, (unsigned long long)zx->frame_count, t,
             t / line_t, t % line_t, zx->timing.frame_t, line_t, zx->timing.top_left_pixel / line_t,
             d->mid_frame ? "true" : "false", zxdbg_bank_at(d, 0), zxdbg_bank_at(d, 0x4000),
             zxdbg_bank_at(d, 0x8000), zxdbg_bank_at(d, 0xc000));
    return d->json;
}

bool zxdbg_set_reg(zxdbg_t *d, const char *name, uint32_t v) {
    z80_t *c = &d->zx->cpu;
    struct { const char *name; uint16_t *w; uint8_t *b; } regs[] = {
        {"AF", &c->af.w, NULL}, {"BC", &c->bc.w, NULL}, {"DE", &c->de.w, NULL}, {"HL", &c->hl.w, NULL},
        {"AF'", &c->af_.w, NULL}, {"BC'", &c->bc_.w, NULL}, {"DE'", &c->de_.w, NULL}, {"HL'", &c->hl_.w, NULL},
        {"IX", &c->ix.w, NULL}, {"IY", &c->iy.w, NULL}, {"SP", &c->sp, NULL}, {"PC", &c->pc, NULL},
        {"WZ", &c->wz, NULL},
        {"A", NULL, &c->af.b.h}, {"F", NULL, &c->af.b.l}, {"B", NULL, &c->bc.b.h}, {"C", NULL, &c->bc.b.l},
        {"D", NULL, &c->de.b.h}, {"E", NULL, &c->de.b.l}, {"H", NULL, &c->hl.b.h}, {"L", NULL, &c->hl.b.l},
        {"IXH", NULL, &c->ix.b.h}, {"IXL", NULL, &c->ix.b.l}, {"IYH", NULL, &c->iy.b.h}, {"IYL", NULL, &c->iy.b.l},
        {"I", NULL, &c->i}, {"R", NULL, &c->r},
    };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        if (strcmp(regs[i].name, name) != 0) continue;
        if (regs[i].w) *regs[i].w = (uint16_t)v;
        else *regs[i].b = (uint8_t)v;
        if (regs[i].w == &c->pc) {
            c->halted = 0;
            d->skip_pc = c->pc; /* a run from a stop still runs the instruction it starts on */
        }
        return true;
    }
    if (!strcmp(name, "IFF1")) c->iff1 = v != 0;
    else if (!strcmp(name, "IFF2")) c->iff2 = v != 0;
    else if (!strcmp(name, "IM") && v <= 2) c->im = (uint8_t)v;
    else if (!strcmp(name, "halted")) c->halted = v != 0;
    else return false;
    return true;
}

/* ---- memory */

void zxdbg_read(zxdbg_t *d, uint16_t addr, uint8_t *out, uint32_t len) {
    for (uint32_t i = 0; i < len; i++) out[i] = z80_peek(&d->zx->cpu, (uint16_t)(addr + i));
}

void zxdbg_write(zxdbg_t *d, uint16_t addr, const uint8_t *bytes, uint32_t len) {
    z80_t *c = &d->zx->cpu;
    jit_t *jit = _dbg_jit(d);
    for (uint32_t i = 0; i < len; i++) {
        uint16_t a = (uint16_t)(addr + i);
        uint8_t *page = c->write_page[a >> 14];
        if (!page) continue;
        page[a & 0x3fff] = bytes[i];
        if (jit) jit_invalidate_phys(jit, (uint32_t)(page - d->zx->mem) + (a & 0x3fff), 1);
    }
}
