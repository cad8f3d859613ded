/*
 * jit_z80_lockstep.c: lockstep checking for the Z80 (jit_guest_t.lockstep).
 *
 * The compiled function runs on the real machine with its port reads,
 * port writes and hooked stores recorded; then the interpreter (the twin)
 * runs the same number of instructions from a copy of the CPU state taken
 * before, on the runtime's shadow of physical memory (jit_shadow_t in
 * core/jit/jit_internal.h: kept level with memory, so nothing is copied per
 * check but the 256-byte pages stored to), with port reads replaying the
 * recorded values. The two are compared: every field of the CPU state, the
 * I/O and hooked-store events, and the memory pages either side stored to
 * (pages outside physical memory, rare, are copied and compared whole). A
 * port write that pages is replayed on the twin: after its own matching
 * write the twin takes the mapping the real CPU had after that one.
 *
 * A divergence report is one JSON object (jit_lockstep_report() gathers the
 * first JIT_LOCKSTEP_REPORTS in an array; numbers are plain JSON numbers):
 *   entry          logical address of the function's entry
 *   tstates        T-state at entry; until: the deadline it ran against
 *   exit           how the function left: "normal", "deadline", "smc" or "paged"
 *   instructions   instructions it retired (the interpreter ran as many)
 *   differences    what differs, each with both values:
 *                    {field, compiled, interpreter}            a CPU field (names
 *                      as in `before`); for F, F' and Q also `bits`, the flag
 *                      bits that differ: S Z Y(5) H X(3) PV N C
 *                    {field: "memory", address, physical, compiled, interpreter}
 *                      a byte (address: logical under the final mapping, null
 *                      when paged out; physical: offset in physical memory)
 *                    {field: "event", index, compiled, interpreter}
 *                      the index-th I/O or hooked-store event of each side,
 *                      {kind: "in"|"out"|"store", port|address, value, t} or
 *                      null when that side had fewer
 *                    {field: "portReads"}  the interpreter read a port the
 *                      compiled run had not (its value was unknown)
 *   memoryDifferences, eventDifferences  totals (the list holds the first
 *                  _LS_MAX_MEMORY / _LS_MAX_EVENTS of them)
 *   before, compiled, interpreter  the three CPU states: A F B C D E H L,
 *                  A' F' B' C' D' E' H' L', IX IY SP PC WZ I R, IFF1 IFF2 IM,
 *                  halted, eiDelay (the instruction before was EI), Q,
 *                  nmiPending, intData, iff2Read (the instruction before was
 *                  LD A,I/R), T, intUntil, instructions
 *   region         [{pc, text}]: the compiled function's instructions (the
 *                  bytes it was built from as memory holds them after the run)
 *   interpreted    [{pc, text}]: the instructions the interpreter ran, the
 *                  first _LS_MAX_TRACE of them; interpretedCount: all
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/z80/jit_z80_internal.h"
#include "cpu/z80/z80_disasm.h"

enum {
    _LS_MAX_EV = 4096,    /* events kept per side (more are counted) */
    _LS_MAX_TRACE = 64,   /* interpreted instructions shown */
    _LS_MAX_REGION = 96,  /* compiled instructions shown */
    _LS_MAX_MEMORY = 16,  /* differing bytes listed */
    _LS_MAX_EVENTS = 4,   /* differing events listed */
};

enum { _LS_IN, _LS_OUT, _LS_STORE };

typedef struct {
    uint8_t kind, value;
    uint16_t addr; /* port, or store address */
    uint32_t t;
} _ls_ev_t;

typedef struct {
    _ls_ev_t v[_LS_MAX_EV];
    int n; /* all of them, also beyond _LS_MAX_EV */
} _ls_log_t;

static struct {
    _ls_log_t real, twin;
    int replay;     /* next recorded port read to hand the twin */
    bool starved;   /* the twin read a port the real run had not */
    z80_port_in_t in;
    z80_port_out_t out;
    z80_write_hook_t hook;
    jit_t *j;
    z80_t *real_cpu, *twin_cpu;
    z80_t start;    /* the real CPU before the run */
    uint8_t *twin_read0[4], *twin_write0[4]; /* the twin's pages before it runs */
    /* the real CPU's mapping after each of its port writes, in the twin's memory */
    /* ... and the machine's own hooked pages then (paging moves the screen's hook) */
    struct { uint8_t *read_page[4], *write_page[4]; uint8_t contended_pages; uint32_t chain_pages; } maps[_LS_MAX_EV];
    uint32_t twin_chain; /* the machine's hooked pages as the twin stands */
    int nmaps, twin_outs;
    uint8_t outside_pages;          /* bit n: the twin's page n is a copy in outside[n] */
    const uint8_t *outside_real[4]; /* of this real page */
    uint8_t outside[4][0x4000];
    struct { uint16_t pc; uint8_t bytes[4]; } trace[_LS_MAX_TRACE];
} _ls;

static void _ls_log(_ls_log_t *log, int kind, uint16_t addr, uint8_t value, uint32_t t) {
    if (log->n < _LS_MAX_EV) log->v[log->n] = (_ls_ev_t){(uint8_t)kind, value, addr, t};
    log->n++;
}

/* ---- the real run's callbacks */

static uint8_t _ls_real_in(void *user, uint16_t port, uint32_t t) {
    uint8_t v = _ls.in ? _ls.in(user, port, t) : 0xff;
    _ls_log(&_ls.real, _LS_IN, port, v, t);
    return v;
}

/* Where the twin sees what the real CPU sees at page pointer p. */
static uint8_t *_ls_twin_page(const uint8_t *p) {
    if (!p) return NULL;
    const jit_t *j = _ls.j;
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)j->phys;
    if (j->phys && a >= b && a - b < j->phys_size) return j->shadow.mem + (a - b);
    for (int q = 0; q < 4; q++) {
        if (p == _ls.start.read_page[q]) return _ls.twin_read0[q];
        if (p == _ls.start.write_page[q]) return _ls.twin_write0[q];
    }
    return (uint8_t *)p; /* a page the copy does not hold: shared */
}

/* A port write may page: the twin pages the same way at its own write. */
static void _ls_real_out(void *user, uint16_t port, uint8_t v, uint32_t t) {
    _ls_log(&_ls.real, _LS_OUT, port, v, t);
    if (_ls.out) _ls.out(user, port, v, t);
    if (_ls.nmaps < _LS_MAX_EV) {
        const z80_t *c = _ls.real_cpu;
        for (int q = 0; q < 4; q++) {
            _ls.maps[_ls.nmaps].read_page[q] = _ls_twin_page(c->read_page[q]);
            _ls.maps[_ls.nmaps].write_page[q] = _ls_twin_page(c->write_page[q]);
        }
        _ls.maps[_ls.nmaps].contended_pages = c->contended_pages;
        _ls.maps[_ls.nmaps].chain_pages = _ls.j->chain_pages;
        _ls.nmaps++;
    }
}

/* A store into the machine's hooked pages is an event when the machine's
 * write-hook window could want it (z80.h hook_window) at its T-state. The
 * compiled run's mark is held at 0 (below), so its code calls for every
 * store that passes the window's first half; the twin, an interpreter,
 * calls for every store: both sides log the same ones. */
static bool _ls_store_event(uint32_t chain, const uint32_t *window, uint16_t addr, uint32_t t) {
    if (!((chain >> (addr >> 14)) & 1)) return false; /* the other hooks are the dynarec's */
    return !window || window[2 * (addr & 0x3fff)] < t;
}

static void _ls_real_hook(void *user, uint16_t addr, uint8_t v, uint32_t t) {
    if (_ls_store_event(_ls.j->chain_pages, _ls.real_cpu->hook_window, addr, t)) _ls_log(&_ls.real, _LS_STORE, addr, v, t);
    if (_ls.hook) _ls.hook(user, addr, v, t);
}

/* ---- the twin's callbacks */

static uint8_t _ls_twin_in(void *user, uint16_t port, uint32_t t) {
    (void)user;
    /* replay the value the real run read at this point */
    while (_ls.replay < _ls.real.n && _ls.replay < _LS_MAX_EV && _ls.real.v[_ls.replay].kind != _LS_IN) _ls.replay++;
    uint8_t v = 0xff;
    if (_ls.replay < _ls.real.n && _ls.replay < _LS_MAX_EV) v = _ls.real.v[_ls.replay++].value;
    else _ls.starved = true;
    _ls_log(&_ls.twin, _LS_IN, port, v, t);
    return v;
}

static void _ls_twin_out(void *user, uint16_t port, uint8_t v, uint32_t t) {
    (void)user;
    _ls_log(&_ls.twin, _LS_OUT, port, v, t);
    if (_ls.twin_outs < _ls.nmaps) {
        z80_t *c = _ls.twin_cpu;
        memcpy(c->read_page, _ls.maps[_ls.twin_outs].read_page, sizeof c->read_page);
        memcpy(c->write_page, _ls.maps[_ls.twin_outs].write_page, sizeof c->write_page);
        c->contended_pages = _ls.maps[_ls.twin_outs].contended_pages;
        _ls.twin_chain = _ls.maps[_ls.twin_outs].chain_pages;
    }
    _ls.twin_outs++;
}

/* Every page is hooked on the twin: its stores mark the shadow's pages. */
static void _ls_twin_hook(void *user, uint16_t addr, uint8_t v, uint32_t t) {
    (void)user;
    jit_t *j = _ls.j;
    if (_ls_store_event(_ls.twin_chain, _ls.real_cpu->hook_window, addr, t)) _ls_log(&_ls.twin, _LS_STORE, addr, v, t);
    const uint8_t *page = _ls.twin_cpu->write_page[addr >> 14];
    if (!page) return;
    uintptr_t a = (uintptr_t)(page + (addr & 0x3fff)), b = (uintptr_t)j->shadow.mem;
    if (a >= b && a - b < j->shadow.size) jit_shadow_mark(j, (uint32_t)(a - b));
}

/* ---- the twin's memory */

/* Each page points into the shadow where the real one points into
 * physical memory; a page outside it is copied. */
static void _ls_twin_memory(const jit_t *j, const z80_t *cpu, z80_t *twin) {
    _ls.outside_pages = 0;
    for (int p = 0; p < 4; p++) {
        uint32_t r = j->view.read[p], w = j->view.write[p];
        if (r != JIT_UNMAPPED) {
            twin->read_page[p] = j->shadow.mem + r;
        } else {
            twin->read_page[p] = memcpy(_ls.outside[p], cpu->read_page[p], 0x4000);
            _ls.outside_real[p] = cpu->read_page[p];
            _ls.outside_pages |= (uint8_t)(1u << p);
        }
        if (!cpu->write_page[p]) {
            twin->write_page[p] = NULL;
        } else if (w != JIT_UNMAPPED) {
            twin->write_page[p] = j->shadow.mem + w;
        } else if (cpu->write_page[p] == cpu->read_page[p]) {
            twin->write_page[p] = twin->read_page[p];
        } else {
            /* written outside, read inside: the copy is of the written page */
            twin->write_page[p] = memcpy(_ls.outside[p], cpu->write_page[p], 0x4000);
            _ls.outside_real[p] = cpu->write_page[p];
            _ls.outside_pages |= (uint8_t)(1u << p);
        }
    }
}


/* ---- comparing */

static bool _ls_ev_equal(const _ls_ev_t *a, const _ls_ev_t *b) {
    return a->kind == b->kind && a->addr == b->addr && a->value == b->value && a->t == b->t;
}

static bool _ls_state_differs(const z80_t *a, const z80_t *b) {
    return memcmp(a, b, offsetof(z80_t, tstates)) != 0 || a->tstates != b->tstates || a->int_until != b->int_until ||
           a->instructions != b->instructions;
}

static bool _ls_events_differ(void) {
    if (_ls.starved || _ls.real.n != _ls.twin.n) return true;
    int n = _ls.real.n < _LS_MAX_EV ? _ls.real.n : _LS_MAX_EV;
    for (int i = 0; i < n; i++)
        if (!_ls_ev_equal(&_ls.real.v[i], &_ls.twin.v[i])) return true;
    return false;
}

static uint32_t _ls_page_len(const jit_shadow_t *sh, uint32_t p) {
    uint32_t off = p << 8;
    return sh->size - off < 256 ? sh->size - off : 256;
}

static bool _ls_memory_differs(const jit_t *j) {
    const jit_shadow_t *sh = &j->shadow;
    for (uint32_t i = 0; i < sh->n; i++) {
        uint32_t p = sh->list[i];
        if (memcmp(j->phys + (p << 8), sh->mem + (p << 8), _ls_page_len(sh, p)) != 0) return true;
    }
    for (int p = 0; p < 4; p++)
        if (((_ls.outside_pages >> p) & 1) && memcmp(_ls.outside_real[p], _ls.outside[p], 0x4000) != 0)
            return true;
    return false;
}

/* ---- the report */

typedef struct {
    char *p;
    size_t n, k;
} _ls_out_t;

__attribute__((format(printf, 2, 3))) static void _ls_put(_ls_out_t *o, const char *fmt, ...) {
    if (o->k >= o->n) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(o->p + o->k, o->n - o->k, fmt, ap);
    va_end(ap);
    o->k = w < 0 || (size_t)w >= o->n - o->k ? o->n : o->k + (size_t)w;
}

/* The CPU state's fields, named as in the report. */
typedef struct {
    const char *name;
    uint16_t offset;
    uint8_t size;
    bool flags;
} _ls_field_t;

#define _LS_F(name, field, extra, size, flags) {name, (uint16_t)(offsetof(z80_t, field) + (extra)), size, flags}
static const _ls_field_t _ls_fields[] = {
    _LS_F("A", af, 1, 1, false),   _LS_F("F", af, 0, 1, true),    _LS_F("B", bc, 1, 1, false),
    _LS_F("C", bc, 0, 1, false),   _LS_F("D", de, 1, 1, false),   _LS_F("E", de, 0, 1, false),
    _LS_F("H", hl, 1, 1, false),   _LS_F("L", hl, 0, 1, false),   _LS_F("A'", af_, 1, 1, false),
    _LS_F("F'", af_, 0, 1, true),  _LS_F("B'", bc_, 1, 1, false), _LS_F("C'", bc_, 0, 1, false),
    _LS_F("D'", de_, 1, 1, false), _LS_F("E'", de_, 0, 1, false), _LS_F("H'", hl_, 1, 1, false),
    _LS_F("L'", hl_, 0, 1, false), _LS_F("IX", ix, 0, 2, false),  _LS_F("IY", iy, 0, 2, false),
    _LS_F("SP", sp, 0, 2, false),  _LS_F("PC", pc, 0, 2, false),  _LS_F("WZ", wz, 0, 2, false),
    _LS_F("I", i, 0, 1, false),    _LS_F("R", r, 0, 1, false),    _LS_F("IFF1", iff1, 0, 1, false),
    _LS_F("IFF2", iff2, 0, 1, false), _LS_F("IM", im, 0, 1, false), _LS_F("halted", halted, 0, 1, false),
    _LS_F("eiDelay", ei_delay, 0, 1, false), _LS_F("Q", q, 0, 1, true),
    _LS_F("nmiPending", nmi_pending, 0, 1, false), _LS_F("intData", int_data, 0, 1, false),
    _LS_F("iff2Read", iff2_read, 0, 1, false), _LS_F("T", tstates, 0, 4, false),
    _LS_F("intUntil", int_until, 0, 4, false), _LS_F("instructions", instructions, 0, 8, false),
};

static uint64_t _ls_value(const z80_t *c, const _ls_field_t *f) {
    const uint8_t *p = (const uint8_t *)c + f->offset;
    uint64_t v = 0;
    for (int i = f->size - 1; i >= 0; i--) v = (v << 8) | p[i]; /* little-endian, as both hosts are */
    return v;
}

static void _ls_state_json(_ls_out_t *o, const char *key, const z80_t *c) {
    _ls_put(o, ",\"%s\":{", key);
    for (size_t i = 0; i < sizeof _ls_fields / sizeof _ls_fields[0]; i++)
        _ls_put(o, "%s\"%s\":%llu", i ? "," : "", _ls_fields[i].name, (unsigned long long)_ls_value(c, &_ls_fields[i]));
    _ls_put(o, "}");
}

static const char *const _ls_flag_names[8] = {"C", "N", "PV", "X", "H", "Y", "Z", "S"};

static void _ls_event_json(_ls_out_t *o, const _ls_log_t *log, int i) {
    if (i >= log->n || i >= _LS_MAX_EV) {
        _ls_put(o, "null");
        return;
    }
    const _ls_ev_t *e = &log->v[i];
    static const char *const kinds[] = {"in", "out", "store"};
    _ls_put(o, "{\"kind\":\"%s\",\"%s\":%u,\"value\":%u,\"t\":%u}", kinds[e->kind], e->kind == _LS_STORE ? "address" : "port",
            e->addr, e->value, e->t);
}

/* Logical address of physical offset `phys` under the CPU's current mapping (-1: not mapped). */
static int _ls_logical(const jit_t *j, uint32_t phys) {
    for (int p = 0; p < 4; p++) {
        uint32_t w = j->view.write[p] != JIT_UNMAPPED ? j->view.write[p] : j->view.read[p];
        if (w != JIT_UNMAPPED && phys >= w && phys - w < 0x4000) return p * 0x4000 + (int)(phys - w);
    }
    return -1;
}

static int _ls_cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void _ls_memory_json(_ls_out_t *o, const jit_t *j, bool *first, uint32_t *total) {
    const jit_shadow_t *sh = &j->shadow;
    uint32_t *pages = malloc((sh->n ? sh->n : 1) * sizeof *pages);
    if (!pages) abort();
    memcpy(pages, sh->list, sh->n * sizeof *pages);
    qsort(pages, sh->n, sizeof *pages, _ls_cmp_u32);
    for (uint32_t i = 0; i < sh->n; i++) {
        uint32_t base = pages[i] << 8, len = _ls_page_len(sh, pages[i]);
        for (uint32_t k = 0; k < len; k++) {
            uint8_t a = j->phys[base + k], b = sh->mem[base + k];
            if (a == b) continue;
            if ((*total)++ >= _LS_MAX_MEMORY) continue;
            int logical = _ls_logical(j, base + k);
            _ls_put(o, "%s{\"field\":\"memory\",\"address\":", *first ? "" : ",");
            if (logical < 0) _ls_put(o, "null");
            else _ls_put(o, "%d", logical);
            _ls_put(o, ",\"physical\":%u,\"compiled\":%u,\"interpreter\":%u}", base + k, a, b);
            *first = false;
        }
    }
    free(pages);
    for (int p = 0; p < 4; p++) {
        if (!((_ls.outside_pages >> p) & 1)) continue;
        const uint8_t *real = _ls.outside_real[p];
        for (int k = 0; k < 0x4000; k++) {
            if (real[k] == _ls.outside[p][k]) continue;
            if ((*total)++ >= _LS_MAX_MEMORY) continue;
            _ls_put(o, "%s{\"field\":\"memory\",\"address\":%d,\"physical\":null,\"compiled\":%u,\"interpreter\":%u}",
                    *first ? "" : ",", p * 0x4000 + k, real[k], _ls.outside[p][k]);
            *first = false;
        }
    }
}

static void _ls_insn_json(_ls_out_t *o, bool first, uint16_t pc, const uint8_t *bytes, int nbytes, int *len) {
    char text[64];
    *len = z80_disasm(pc, bytes, nbytes, text, sizeof text);
    _ls_put(o, "%s{\"pc\":%u,\"text\":\"%s\"}", first ? "" : ",", pc, text);
}

/* The compiled function's instructions: its covered bytes, in window order. */
static void _ls_region_json(_ls_out_t *o, const jit_t *j, const jit_entry_t *e) {
    _ls_put(o, ",\"region\":[");
    int shown = 0;
    for (uint32_t off = 0; off < JIT_WINDOW && shown < _LS_MAX_REGION;) {
        if (!(e->covered[off >> 3] & (1u << (off & 7))) || e->window + off >= j->phys_size) {
            off++;
            continue;
        }
        uint8_t bytes[4] = {0};
        for (uint32_t k = 0; k < 4 && e->window + off + k < j->phys_size; k++) bytes[k] = j->phys[e->window + off + k];
        int len;
        _ls_insn_json(o, shown == 0, (uint16_t)(e->base + off), bytes, 4, &len);
        shown++;
        off += len > 0 ? (uint32_t)len : 1;
    }
    _ls_put(o, "]");
}

static void _ls_report(_ls_out_t *o, const jit_t *j, const jit_entry_t *e, uint32_t until, int32_t code,
                       const z80_t *before, const z80_t *real, const z80_t *twin, uint64_t steps) {
    static const char *const exits[] = {"normal", "deadline", "smc", "paged"};
    _Static_assert(sizeof exits / sizeof exits[0] == JIT_EXIT_COUNT, "a name for every JIT_EXIT_*");
    _ls_put(o, "{\"entry\":%u,\"tstates\":%u,\"until\":%u,\"exit\":", e->pc, before->tstates, until);
    if (code >= 0 && code < JIT_EXIT_COUNT) _ls_put(o, "\"%s\"", exits[code]);
    else _ls_put(o, "%d", (int)code);
    _ls_put(o, ",\"instructions\":%llu,\"differences\":[", (unsigned long long)steps);
    bool first = true;
    for (size_t i = 0; i < sizeof _ls_fields / sizeof _ls_fields[0]; i++) {
        const _ls_field_t *f = &_ls_fields[i];
        uint64_t a = _ls_value(real, f), b = _ls_value(twin, f);
        if (a == b) continue;
        _ls_put(o, "%s{\"field\":\"%s\",\"compiled\":%llu,\"interpreter\":%llu", first ? "" : ",", f->name,
                (unsigned long long)a, (unsigned long long)b);
        if (f->flags) {
            _ls_put(o, ",\"bits\":[");
            bool fb = true;
            for (int bit = 7; bit >= 0; bit--)
                if (((a ^ b) >> bit) & 1) {
                    _ls_put(o, "%s\"%s\"", fb ? "" : ",", _ls_flag_names[bit]);
                    fb = false;
                }
            _ls_put(o, "]");
        }
        _ls_put(o, "}");
        first = false;
    }
    if (first && memcmp(real, twin, offsetof(z80_t, tstates)) != 0) {
        _ls_put(o, "{\"field\":\"state\"}"); /* bytes no field names (cannot happen unless z80_t grows) */
        first = false;
    }
    uint32_t mem_total = 0;
    _ls_memory_json(o, j, &first, &mem_total);
    uint32_t ev_total = 0;
    int nev = _ls.real.n > _ls.twin.n ? _ls.real.n : _ls.twin.n;
    if (nev > _LS_MAX_EV) nev = _LS_MAX_EV;
    for (int i = 0; i < nev; i++) {
        bool both = i < _ls.real.n && i < _ls.twin.n;
        if (both && _ls_ev_equal(&_ls.real.v[i], &_ls.twin.v[i])) continue;
        if (ev_total++ >= _LS_MAX_EVENTS) continue;
        _ls_put(o, "%s{\"field\":\"event\",\"index\":%d,\"compiled\":", first ? "" : ",", i);
        _ls_event_json(o, &_ls.real, i);
        _ls_put(o, ",\"interpreter\":");
        _ls_event_json(o, &_ls.twin, i);
        _ls_put(o, "}");
        first = false;
    }
    if (_ls.starved) {
        _ls_put(o, "%s{\"field\":\"portReads\"}", first ? "" : ",");
        first = false;
    }
    _ls_put(o, "],\"memoryDifferences\":%u,\"eventDifferences\":%u,\"events\":{\"compiled\":%d,\"interpreter\":%d}",
            mem_total, ev_total, _ls.real.n, _ls.twin.n);
    _ls_state_json(o, "before", before);
    _ls_state_json(o, "compiled", real);
    _ls_state_json(o, "interpreter", twin);
    _ls_region_json(o, j, e);
    _ls_put(o, ",\"interpreted\":[");
    for (uint64_t s = 0; s < steps && s < _LS_MAX_TRACE; s++) {
        int len;
        _ls_insn_json(o, s == 0, _ls.trace[s].pc, _ls.trace[s].bytes, 4, &len);
    }
    _ls_put(o, "],\"interpretedCount\":%llu}", (unsigned long long)steps);
}

/* ---- the check */

bool jit_z80_lockstep(jit_t *j, const jit_entry_t *e, jit_fn_t fn, void *cpu_, uint32_t until, int32_t *code,
                      char *report, size_t report_size) {
    z80_t *cpu = cpu_;
    jit_shadow_sync(j); /* the shadow is memory as it is now */
    z80_t before = *cpu;
    z80_t twin = before;
    _ls.j = j;
    _ls_twin_memory(j, cpu, &twin);
    _ls.real_cpu = cpu;
    _ls.twin_cpu = &twin;
    _ls.start = before;
    memcpy(_ls.twin_read0, twin.read_page, sizeof _ls.twin_read0);
    memcpy(_ls.twin_write0, twin.write_page, sizeof _ls.twin_write0);
    _ls.nmaps = _ls.twin_outs = 0;
    _ls.twin_chain = j->chain_pages; /* as the compiled run starts */
    _ls.real.n = _ls.twin.n = _ls.replay = 0;
    _ls.starved = false;

    /* The compiled run, on the machine. */
    _ls.in = cpu->port_in;
    _ls.out = cpu->port_out;
    _ls.hook = cpu->write_hook;
    cpu->port_in = _ls_real_in;
    cpu->port_out = _ls_real_out;
    cpu->write_hook = _ls_real_hook;
    static const uint32_t no_mark = 0;
    const uint32_t *mark = cpu->hook_mark;
    if (cpu->hook_window) cpu->hook_mark = &no_mark;
    *code = fn(cpu, until);
    cpu->hook_mark = mark;
    cpu->port_in = _ls.in;
    cpu->port_out = _ls.out;
    cpu->write_hook = _ls.hook;

    /* The twin: the interpreter on the copy of the state and the shadow. */
    twin.port_in = _ls_twin_in;
    twin.port_out = _ls_twin_out;
    twin.write_hook = _ls_twin_hook;
    twin.hooked_pages = 0x0f;
    twin.trace = NULL;
    twin.jit = NULL;
    uint64_t steps = cpu->instructions - before.instructions;
    for (uint64_t s = 0; s < steps; s++) {
        if (s < _LS_MAX_TRACE) {
            _ls.trace[s].pc = twin.pc;
            for (int k = 0; k < 4; k++) _ls.trace[s].bytes[k] = z80_peek(&twin, (uint16_t)(twin.pc + k));
        }
        z80_step(&twin);
    }

    bool differs = _ls_state_differs(cpu, &twin) || _ls_events_differ() || _ls_memory_differs(j);
    if (differs && report) {
        _ls_out_t o = {report, report_size, 0};
        _ls_report(&o, j, e, until, *code, &before, cpu, &twin, steps);
        if (o.k >= o.n) report[0] = 0; /* did not fit: counted, not kept */
    }
    jit_shadow_sync(j); /* the pages either side stored to, level again */
    return differs;
}
