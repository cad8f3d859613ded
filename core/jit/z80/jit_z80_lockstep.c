/*
 * jit_z80_lockstep.c: lockstep checking for the Z80 (jit_guest_t.lockstep).
 * Before a compiled function runs, the CPU state and the machine's physical
 * memory are copied (pages outside it: the 16K page itself), so a bank seen
 * at two addresses is one bank in the copy too; the function runs on the
 * real machine with its port reads, port writes and hooked stores recorded;
 * then the interpreter runs the same number of instructions on the copy
 * (port reads replay the recorded values) and the two are compared:
 * registers, flags, T-states, physical memory (and pages outside it) and
 * the I/O and hooked-store events. The runtime keeps the first divergence's report
 * (both states and the disassembly of the compiled region) and counts the
 * rest. A port write that pages is replayed on the copy: after its own
 * matching write the twin takes the mapping the real CPU had after that one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/z80/jit_z80_internal.h"
#include "cpu/z80/z80_disasm.h"

enum { _LS_MAX_EV = 4096 };

typedef struct {
    uint8_t kind; /* 0 in, 1 out, 2 hooked store */
    uint16_t addr;
    uint8_t value;
    uint32_t t;
} _ls_ev_t;

static struct {
    _ls_ev_t real[_LS_MAX_EV], twin[_LS_MAX_EV];
    int nreal, ntwin, replay;
    bool mismatch;
    z80_port_in_t in;
    z80_port_out_t out;
    z80_write_hook_t hook;
    const jit_t *j;
    z80_t *real_cpu, *twin_cpu;
    z80_t start;         /* the real CPU before the run */
    uint8_t *twin_read0[4], *twin_write0[4]; /* the twin's pages before it runs */
    /* the real CPU's mapping after each of its port writes, in the twin's memory */
    struct { uint8_t *read_page[4], *write_page[4]; uint8_t contended_pages; } maps[_LS_MAX_EV];
    int nmaps, twin_outs;
    uint8_t *twin_phys;  /* copy of the machine's physical memory */
    uint32_t twin_phys_size;
    uint8_t twin_mem[4][0x4000]; /* copies of pages outside it */
} _ls;

static void _ls_log(_ls_ev_t *v, int *n, int kind, uint16_t addr, uint8_t value, uint32_t t) {
    if (*n >= _LS_MAX_EV) return;
    memset(&v[*n], 0, sizeof v[*n]); /* padding too: events are compared with memcmp */
    v[*n].kind = (uint8_t)kind;
    v[*n].addr = addr;
    v[*n].value = value;
    v[*n].t = t;
    (*n)++;
}

static uint8_t _ls_real_in(void *user, uint16_t port, uint32_t t) {
    uint8_t v = _ls.in ? _ls.in(user, port, t) : 0xff;
    _ls_log(_ls.real, &_ls.nreal, 0, port, v, t);
    return v;
}
/* Where the twin sees what the real CPU sees at page pointer p. */
static uint8_t *_ls_twin_page(const uint8_t *p) {
    if (!p) return NULL;
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)_ls.j->phys;
    if (_ls.j->phys && a >= b && a - b < _ls.j->phys_size) return _ls.twin_phys + (a - b);
    for (int q = 0; q < 4; q++) {
        if (p == _ls.start.read_page[q]) return _ls.twin_read0[q];
        if (p == _ls.start.write_page[q]) return _ls.twin_write0[q];
    }
    return (uint8_t *)p; /* a page the copy does not hold: shared */
}

/* A port write may page: the twin pages the same way at its own write. */
static void _ls_real_out(void *user, uint16_t port, uint8_t v, uint32_t t) {
    _ls_log(_ls.real, &_ls.nreal, 1, port, v, t);
    if (_ls.out) _ls.out(user, port, v, t);
    if (_ls.nmaps < _LS_MAX_EV) {
        const z80_t *c = _ls.real_cpu;
        for (int q = 0; q < 4; q++) {
            _ls.maps[_ls.nmaps].read_page[q] = _ls_twin_page(c->read_page[q]);
            _ls.maps[_ls.nmaps].write_page[q] = _ls_twin_page(c->write_page[q]);
        }
        _ls.maps[_ls.nmaps].contended_pages = c->contended_pages;
        _ls.nmaps++;
    }
}
static void _ls_real_hook(void *user, uint16_t addr, uint8_t v, uint32_t t) {
    /* only the machine's own hooked pages are events; code-page hooks are the dynarec's */
    if ((_ls.j->chain_pages >> (addr >> 14)) & 1) _ls_log(_ls.real, &_ls.nreal, 2, addr, v, t);
    if (_ls.hook) _ls.hook(user, addr, v, t);
}
static uint8_t _ls_twin_in(void *user, uint16_t port, uint32_t t) {
    (void)user;
    _ls_log(_ls.twin, &_ls.ntwin, 0, port, 0, t);
    /* replay the value the real run read at this point */
    while (_ls.replay < _ls.nreal && _ls.real[_ls.replay].kind != 0) _ls.replay++;
    if (_ls.replay < _ls.nreal) {
        uint8_t v = _ls.real[_ls.replay++].value;
        _ls.twin[_ls.ntwin - 1].value = v;
        return v;
    }
    _ls.mismatch = true;
    return 0xff;
}
static void _ls_twin_out(void *user, uint16_t port, uint8_t v, uint32_t t) {
    (void)user;
    _ls_log(_ls.twin, &_ls.ntwin, 1, port, v, t);
    if (_ls.twin_outs < _ls.nmaps) {
        z80_t *c = _ls.twin_cpu;
        memcpy(c->read_page, _ls.maps[_ls.twin_outs].read_page, sizeof c->read_page);
        memcpy(c->write_page, _ls.maps[_ls.twin_outs].write_page, sizeof c->write_page);
        c->contended_pages = _ls.maps[_ls.twin_outs].contended_pages;
    }
    _ls.twin_outs++;
}
static void _ls_twin_hook(void *user, uint16_t addr, uint8_t v, uint32_t t) {
    (void)user;
    _ls_log(_ls.twin, &_ls.ntwin, 2, addr, v, t);
}

static int _ls_state(char *out, size_t n, const char *who, const z80_t *c) {
    return snprintf(out, n,
                    "%s: AF=%04x BC=%04x DE=%04x HL=%04x AF'=%04x BC'=%04x DE'=%04x HL'=%04x IX=%04x IY=%04x SP=%04x "
                    "PC=%04x WZ=%04x I=%02x R=%02x IFF=%d%d IM=%d Q=%02x EI=%d T=%u N=%llu\n",
                    who, c->af.w, c->bc.w, c->de.w, c->hl.w, c->af_.w, c->bc_.w, c->de_.w, c->hl_.w, c->ix.w, c->iy.w,
                    c->sp, c->pc, c->wz, c->i, c->r, c->iff1, c->iff2, c->im, c->q, c->ei_delay, c->tstates,
                    (unsigned long long)c->instructions);
}

static uint8_t _ls_peek(void *user, uint16_t addr) { return z80_peek((const z80_t *)user, addr); }

static void _ls_report(char *r, size_t n, const jit_entry_t *e, const z80_t *before, const z80_t *real,
                       const z80_t *twin, const char *what) {
    size_t k = 0;
    k += (size_t)snprintf(r + k, n - k, "lockstep divergence (%s) in the function at %04x\n", what, e->pc);
    k += (size_t)_ls_state(r + k, n - k, "before", before);
    k += (size_t)_ls_state(r + k, n - k, "jit   ", real);
    k += (size_t)_ls_state(r + k, n - k, "interp", twin);
    uint16_t pc = e->pc;
    for (int i = 0; i < 24 && k < n - 64; i++) {
        char text[64];
        int len = z80_disasm_peek(_ls_peek, (void *)real, pc, text, sizeof text);
        k += (size_t)snprintf(r + k, n - k, "  %04x  %s\n", pc, text);
        pc = (uint16_t)(pc + (len > 0 ? len : 1));
    }
    fputs(r, stderr);
}

/* The twin's memory: the physical block copied once, each page pointed
 * into the copy where the real one points into the block. */
static void _ls_twin_memory(const jit_t *j, const z80_t *cpu, z80_t *twin) {
    if (j->phys_size > _ls.twin_phys_size) {
        free(_ls.twin_phys);
        _ls.twin_phys = malloc(j->phys_size);
        if (!_ls.twin_phys) abort();
        _ls.twin_phys_size = j->phys_size;
    }
    if (j->phys_size) memcpy(_ls.twin_phys, j->phys, j->phys_size);
    for (int p = 0; p < 4; p++) {
        uint32_t r = j->view.read[p], w = j->view.write[p];
        if (r != JIT_UNMAPPED) twin->read_page[p] = _ls.twin_phys + r;
        else twin->read_page[p] = memcpy(_ls.twin_mem[p], cpu->read_page[p], 0x4000);
        if (!cpu->write_page[p]) twin->write_page[p] = NULL;
        else if (w != JIT_UNMAPPED) twin->write_page[p] = _ls.twin_phys + w;
        else twin->write_page[p] = cpu->write_page[p] == cpu->read_page[p] ? twin->read_page[p] : _ls.twin_mem[p];
    }
}

bool jit_z80_lockstep(jit_t *j, const jit_entry_t *e, jit_fn_t fn, void *cpu_, uint32_t until, int32_t *code,
                      char *report, size_t report_size) {
    z80_t *cpu = cpu_;
    z80_t before = *cpu;
    z80_t twin = before;
    _ls_twin_memory(j, cpu, &twin);
    _ls.j = j;
    _ls.real_cpu = cpu;
    _ls.twin_cpu = &twin;
    _ls.start = before;
    memcpy(_ls.twin_read0, twin.read_page, sizeof _ls.twin_read0);
    memcpy(_ls.twin_write0, twin.write_page, sizeof _ls.twin_write0);
    _ls.nmaps = _ls.twin_outs = 0;
    _ls.nreal = _ls.ntwin = _ls.replay = 0;
    _ls.mismatch = false;
    _ls.in = cpu->port_in;
    _ls.out = cpu->port_out;
    _ls.hook = cpu->write_hook;
    cpu->port_in = _ls_real_in;
    cpu->port_out = _ls_real_out;
    cpu->write_hook = _ls_real_hook;
    *code = fn(cpu, until);
    cpu->port_in = _ls.in;
    cpu->port_out = _ls.out;
    cpu->write_hook = _ls.hook;

    /* The twin: the interpreter on copies of the state and memory. */
    twin.port_in = _ls_twin_in;
    twin.port_out = _ls_twin_out;
    twin.write_hook = _ls_twin_hook;
    twin.hooked_pages = (uint8_t)j->chain_pages;
    twin.trace = NULL;
    twin.jit = NULL;
    uint64_t steps = cpu->instructions - before.instructions;
    for (uint64_t s = 0; s < steps; s++) z80_step(&twin);

    const char *what = NULL;
    z80_t a = *cpu, b = twin;
    if (memcmp(&a, &b, offsetof(z80_t, tstates)) != 0 || a.tstates != b.tstates) what = "registers or T-states";
    if (!what && j->phys_size && memcmp(j->phys, _ls.twin_phys, j->phys_size) != 0) what = "memory";
    for (int p = 0; p < 4 && !what; p++) /* pages outside physical memory */
        if (j->view.read[p] == JIT_UNMAPPED && memcmp(cpu->read_page[p], twin.read_page[p], 0x4000) != 0)
            what = "memory";
    if (!what && (_ls.mismatch || _ls.nreal != _ls.ntwin || memcmp(_ls.real, _ls.twin, sizeof(_ls_ev_t) * (size_t)_ls.nreal) != 0))
        what = "I/O or hooked-store events";
    if (what && report) _ls_report(report, report_size, e, &before, cpu, &twin, what);
    return what != NULL;
}
