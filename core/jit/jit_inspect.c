/*
 * jit_inspect.c: the JIT inspector's view of the code cache (read only).
 *
 * What it reads is kept by the runtime at almost no cost: per entry
 * (jit_entry_t) its compiled runs, the exits they took, the stores that
 * invalidated it, its compile request and that request's time (each
 * bumped once per run or event), the time in its code only while the frame
 * profile is on (jit_dispatch.h); per physical byte the stores that
 * invalidated code there (jit_t.inval_map). Everything else (coverage,
 * state, self-modifying code history) is the cache's own bookkeeping.
 *
 *   jit_inspect_functions_json(j)   every entry the cache holds, as a JSON array
 *   jit_inspect_function_json(j, id) one entry with its covered ranges and the
 *                                   guest bytes it was built from
 *   jit_inspect_map(j, ...)         the 64K logical space as it is mapped now:
 *                                   hotness, compiled coverage, invalidations
 *
 * The Emscripten build exports them for the machine (zxw_jit_inspect_*,
 * used by web/jit-inspect.mjs), with physical addresses named as the
 * Spectrum's ROMs and RAM banks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit_inspect.h"
#include "jit/jit_internal.h"

/* A growable string. */
typedef struct {
    char *s;
    size_t len, cap;
    bool failed;
} _ji_buf_t;

static void _ji_printf(_ji_buf_t *b, const char *fmt, ...) {
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) { b->failed = true; return; }
        if (b->s && b->len + (size_t)n < b->cap) { b->len += (size_t)n; return; }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + (size_t)n + 1) cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) { b->failed = true; return; }
        b->s = s;
        b->cap = cap;
    }
}

static const char *_ji_state(const jit_t *j, const jit_entry_t *e) {
    switch (e->state) {
    case JIT_COMPILED: return e->n_loaded ? "load-form" : "compiled";
    case JIT_INVALID: return "invalidated";
    case JIT_QUEUED: return "queued";
    case JIT_UNCOMPILABLE: return e->other_changes >= JIT_GIVE_UP_AFTER ? "given-up" : "uncompilable";
    case JIT_HOT: case JIT_EMPTY: return e->hold > 0 && e->hits <= j->cfg.threshold + e->hold ? "backing-off" : "counting";
    default: return "free";
    }
}

/* Whether the entry is the one the dispatcher would find at its pc now
 * (its physical address mapped there, under the current configuration). */
static bool _ji_visible(const jit_t *j, const jit_entry_t *e) {
    return j->guest && j->view_known && e->config == j->config_now && jit_phys_read(j, j->guest, e->pc) == e->phys;
}

/* The covered span as logical addresses (false: none). */
static bool _ji_span(const jit_entry_t *e, uint16_t *lo, uint16_t *hi) {
    if (e->hi < e->lo) return false;
    *lo = (uint16_t)(e->base + (e->lo - e->window));
    *hi = (uint16_t)(e->base + (e->hi - e->window));
    return true;
}

static void _ji_entry(const jit_t *j, const jit_entry_t *e, _ji_buf_t *b) {
    uint16_t lo = 0, hi = 0;
    bool span = _ji_span(e, &lo, &hi);
    _ji_printf(b,
               "{\"id\":%u,\"pc\":%u,\"phys\":%u,\"state\":\"%s\",\"visible\":%s,\"lo\":%d,\"hi\":%d,\"blocks\":%u,"
               "\"bytes\":%u,\"compiles\":%u,\"request\":%u,\"compileMs\":%.4f,\"runs\":%u,\"ms\":%.4f,\"hits\":%u,"
               "\"exits\":{\"normal\":%u,\"deadline\":%u,\"smc\":%u,\"paged\":%u},\"invalidations\":%u,"
               "\"operandChanges\":%u,\"otherChanges\":%u,\"loadForm\":%s,\"loaded\":%u,\"hold\":%u,\"slot\":%d,"
               "\"config\":%u,\"trace\":%u,\"indirectExits\":%u,\"profile\":\"%s\",\"targets\":[",
               (unsigned)(e - j->pool), e->pc, e->phys, _ji_state(j, e), _ji_visible(j, e) ? "true" : "false",
               span ? lo : -1, span ? hi : -1, e->blocks, e->bytes, e->compiles, e->request, (double)e->compile_ms,
               e->runs, e->ms, e->hits, e->exits[JIT_EXIT_NORMAL], e->exits[JIT_EXIT_DEADLINE],
               e->exits[JIT_EXIT_SMC], e->exits[JIT_EXIT_PAGED], e->invalidations, e->operand_changes,
               e->other_changes, e->load_form ? "true" : "false", e->n_loaded, e->hold, e->slot, e->config, e->trace,
               e->indirect_exits, e->profile == JIT_PROFILE_DONE ? "compiled" : e->profile == JIT_PROFILE_READY ? "ready" : "recording");
    for (int k = 0; k < e->n_targets; k++) _ji_printf(b, "%s%u", k ? "," : "", e->targets[k]);
    _ji_printf(b, "]}");
}

/* Every entry (not the free ones) as a JSON array; malloc'd, NULL when out
 * of memory. */
char *jit_inspect_functions_json(const jit_t *j) {
    _ji_buf_t b = {0};
    _ji_printf(&b, "[");
    bool first = true;
    for (uint32_t i = 0; i < j->cfg.max_slots; i++) {
        const jit_entry_t *e = &j->pool[i];
        if (e->state == JIT_FREE) continue;
        if (!first) _ji_printf(&b, ",");
        first = false;
        _ji_entry(j, e, &b);
    }
    _ji_printf(&b, "]");
    if (b.failed) { free(b.s); return NULL; }
    return b.s;
}

/* One entry (pool index id) with "ranges": the covered bytes as logical
 * [first, last] runs, "base" and "code": the window's bytes from base on
 * (hex, as far as the last covered byte), which are what it was built
 * from while it is compiled. Malloc'd; NULL for a free or unknown id. */
char *jit_inspect_function_json(const jit_t *j, uint32_t id) {
    if (id >= j->cfg.max_slots || j->pool[id].state == JIT_FREE) return NULL;
    const jit_entry_t *e = &j->pool[id];
    _ji_buf_t b = {0};
    _ji_entry(j, e, &b);
    if (b.failed) { free(b.s); return NULL; }
    b.len--; /* reopen the object */
    _ji_printf(&b, ",\"base\":%u,\"ranges\":[", e->base);
    int last = -1;
    bool first = true;
    for (int off = 0; off <= JIT_WINDOW; off++) {
        bool in = off < JIT_WINDOW && (e->covered[off >> 3] & (1u << (off & 7)));
        if (in && (off == 0 || !(e->covered[(off - 1) >> 3] & (1u << ((off - 1) & 7))))) {
            _ji_printf(&b, "%s[%u,", first ? "" : ",", (uint16_t)(e->base + off));
            first = false;
        }
        if (!in && off > 0 && (e->covered[(off - 1) >> 3] & (1u << ((off - 1) & 7))))
            _ji_printf(&b, "%u]", (uint16_t)(e->base + off - 1));
        if (in) last = off;
    }
    _ji_printf(&b, "],\"code\":\"");
    if (last >= 0 && j->phys && e->window + (uint32_t)last < j->phys_size)
        for (int off = 0; off <= last; off++) _ji_printf(&b, "%02x", j->phys[e->window + (uint32_t)off]);
    _ji_printf(&b, "\"}");
    if (b.failed) { free(b.s); return NULL; }
    return b.s;
}

/* The 64K logical space as mapped now (entries of other mappings or
 * configurations are left out):
 *   heat[a]  executions: at an entry's pc its interpreted block starts
 *            (hotness counted before it was compiled) plus its compiled
 *            runs; on the other bytes a compiled function covers, its runs
 *            (the largest figure where functions overlap)
 *   cover[a] 0 nothing, 1 compiled, 2 compiled in the load form,
 *            3 invalidated (compiled code waiting to be checked again),
 *            4 queued, 5 uncompilable or given up (at its pc),
 *            6 an entry counting hotness (at its pc)
 *   inval[a] stores that invalidated code at the physical byte read there
 *            (saturating at 65535) */
void jit_inspect_map(const jit_t *j, uint32_t *heat, uint8_t *cover, uint16_t *inval) {
    memset(heat, 0, 65536 * sizeof *heat);
    memset(cover, 0, 65536);
    memset(inval, 0, 65536 * sizeof *inval);
    if (!j->guest || !j->view_known) return;
    for (uint32_t i = 0; i < j->cfg.max_slots; i++) {
        const jit_entry_t *e = &j->pool[i];
        if (e->state == JIT_FREE || !_ji_visible(j, e)) continue;
        uint8_t c = 0;
        switch (e->state) {
        case JIT_COMPILED: c = e->n_loaded ? 2 : 1; break;
        case JIT_INVALID: c = 3; break;
        case JIT_QUEUED: c = 4; break;
        case JIT_UNCOMPILABLE: c = 5; break;
        default: c = 6; break;
        }
        if ((e->state == JIT_COMPILED || e->state == JIT_INVALID) && e->hi >= e->lo) {
            for (uint32_t off = 0; off < JIT_WINDOW; off++) {
                if (!(e->covered[off >> 3] & (1u << (off & 7)))) continue;
                uint16_t a = (uint16_t)(e->base + off);
                if (!cover[a] || c < cover[a] || cover[a] >= 4) cover[a] = c;
                if (e->runs > heat[a]) heat[a] = e->runs;
            }
        } else if (!cover[e->pc] || cover[e->pc] >= 4) {
            cover[e->pc] = c;
        }
        uint64_t h = (uint64_t)e->hits + e->runs;
        if (h > heat[e->pc]) heat[e->pc] = h > UINT32_MAX ? UINT32_MAX : (uint32_t)h;
    }
    if (j->inval_map)
        for (uint32_t a = 0; a < 65536; a++) {
            uint32_t phys = jit_phys_read(j, j->guest, (uint16_t)a);
            if (phys != JIT_UNMAPPED && phys < j->phys_size) inval[a] = j->inval_map[phys];
        }
}

#ifdef __EMSCRIPTEN__
/* ---- the machine's exports (web/jit-inspect.mjs) */
#include <emscripten.h>

#include "cpu/z80/z80_disasm.h"
#include "jit/z80/jit_z80.h"
#include "machine/zx/zx.h"

static jit_t *_ji_jit(zx_t *zx) { return zx->run_cpu == jit_run ? zx->run_cpu_ctx : NULL; }

/* JSON strings (malloc'd: the caller frees them with free()), NULL when
 * the machine has no dynarec, the id is unknown, or out of memory. */
EMSCRIPTEN_KEEPALIVE char *zxw_jit_inspect_functions(zx_t *zx) {
    return _ji_jit(zx) ? jit_inspect_functions_json(_ji_jit(zx)) : NULL;
}
EMSCRIPTEN_KEEPALIVE char *zxw_jit_inspect_function(zx_t *zx, uint32_t id) {
    return _ji_jit(zx) ? jit_inspect_function_json(_ji_jit(zx), id) : NULL;
}

/* Fills heat (65536 u32), cover (65536 u8) and inval (65536 u16); 0 when
 * the machine has no dynarec. */
EMSCRIPTEN_KEEPALIVE int zxw_jit_inspect_map(zx_t *zx, uint32_t *heat, uint8_t *cover, uint16_t *inval) {
    if (!_ji_jit(zx)) return 0;
    jit_inspect_map(_ji_jit(zx), heat, cover, inval);
    return 1;
}

/* Whether lockstep is on (zxw_jit_lockstep sets it); -1 without a dynarec. */
EMSCRIPTEN_KEEPALIVE int zxw_jit_inspect_lockstep(zx_t *zx) { return _ji_jit(zx) ? jit_get_lockstep(_ji_jit(zx)) : -1; }

/* A physical address as the Spectrum names it: the ROM (0-3) or RAM bank
 * (0-7) holding it, and the offset in it: kind 0 ROM, 1 RAM, -1 none.
 * Returns kind * 0x1000000 + number * 0x10000 + offset, or -1. */
EMSCRIPTEN_KEEPALIVE int32_t zxw_jit_inspect_phys_name(zx_t *zx, uint32_t phys) {
    if (phys >= ZX_MEM_SIZE) return -1;
    const uint8_t *p = zx->mem + phys;
    for (int b = 0; b < ZX_RAM_BANKS; b++) {
        const uint8_t *bank = zx_bank_const(zx, b);
        if (p >= bank && p < bank + ZX_PAGE_SIZE) return 0x1000000 + b * 0x10000 + (int32_t)(p - bank);
    }
    for (int r = 0; r < (int)zx->timing.rom_count; r++) {
        const uint8_t *rom = zx_rom(zx, r);
        if (p >= rom && p < rom + ZX_PAGE_SIZE) return r * 0x10000 + (int32_t)(p - rom);
    }
    return -1;
}

/* The core's own disassembler (core/cpu/z80/z80_disasm.c) over bytes[0..n)
 * at pc: the text into out (cap bytes), returns the instruction's length.
 * tests/node/z80-disasm.test.mjs checks web/z80-disasm.mjs against it. */
EMSCRIPTEN_KEEPALIVE int zxw_z80_disasm(const uint8_t *bytes, int n, int pc, char *out, int cap) {
    return z80_disasm((uint16_t)pc, bytes, n, out, (size_t)cap);
}
#endif
