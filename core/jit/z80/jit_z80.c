/*
 * jit_z80.c: the Z80 front end of the guest-neutral dynarec runtime
 * (jit_guest_t, core/jit/jit_internal.h) and its entry point jit_run.
 *
 * What it knows that the runtime does not: the Z80's pc, clock and
 * instruction count; when an interrupt could be accepted (compiled code
 * never runs then); which instructions end blocks; how z80_t's pages map
 * onto the machine's physical memory (z80_t.mem_phys) and which machine
 * settings generated code bakes in (its configuration); the compile
 * request; lockstep (jit_z80_lockstep.c).
 *
 * While the dynarec runs a CPU it routes the CPU's callbacks through itself:
 * cpu->user is the front end's state (cpu->jit finds the instance, as the
 * exports do), the machine's own user, write hook and port and trace
 * callbacks are chained.
 * Stores into slots with compiled code reach the cache (invalidation); a
 * port write may page, so the mapping is re-read after each one.
 */
#include <stdlib.h>
#include <string.h>

#include "jit/jit_dispatch.h"
#include "jit/jit_internal.h"
#include "jit/z80/jit_region.h"
#include "jit/z80/jit_z80.h"
#include "jit/z80/jit_z80_internal.h"
#include "jit/z80/jit_z80_request.h"

/* (ints: the enums are distinct types) */
_Static_assert((int)JIT_REGION_WINDOW == (int)JIT_WINDOW, "an entry's coverage bitmap spans a region window");
_Static_assert((int)JIT_Z80_REQUEST_MAX_ENTRIES == (int)JIT_MAX_BATCH, "a request holds a batch");

enum { _JZ_SLOT_BITS = 14, _JZ_SLOT = 1 << _JZ_SLOT_BITS };

/* What a compiled function bakes in beyond its own bytes (the request
 * header's machine fields): code compiled under one configuration never
 * runs under another. */
typedef struct {
    const uint8_t *contention;
    uint32_t contention_len;
    uint32_t mem_base;
    int32_t trap_pc;
    uint8_t rom_pages, contended_pages, hooked_pages, trace, mreq_only, hook_window;
} _jz_config_t;
_Static_assert(sizeof(_jz_config_t) <= JIT_CONFIG_BYTES, "a configuration fits its key");

/* The CPU's wiring that the view is derived from: compared after each port
 * write, so that the view is re-read only when something moved. */
typedef struct {
    uint8_t *read_page[4], *write_page[4];
    const uint8_t *contention;
    uint32_t contention_len;
    int32_t trap_pc;
    uint8_t contended_pages, hooked_pages, mreq_only;
} _jz_wiring_t;

typedef struct {
    /* While the dynarec runs the CPU, cpu->user points here: the callbacks
     * below reach the instance, the CPU and the machine's own callbacks in
     * one step (stores into hooked pages pass here on every write). */
    jit_t *j;
    z80_t *cpu;
    /* the machine's own callbacks, chained while the dynarec runs */
    void *user;
    z80_write_hook_t hook;
    z80_port_in_t in;
    z80_port_out_t out;
    z80_trace_t trace;
    uint8_t hooked_set; /* cpu->hooked_pages as the dynarec last set it */
    _jz_wiring_t wiring;
    z80_t queued;       /* the CPU as the queued entries were found under (mapping, configuration) */
    uint32_t queued_chain; /* the machine's hooked pages then (paging moves them: the 128K's screen bank) */
} _jz_state_t;


/* ---- the compile request (core/jit/z80/jit_z80_request.h) */

static uint32_t _jit_contiguous_base(const z80_t *cpu) {
    for (int i = 0; i < 4; i++) {
        if (cpu->read_page[i] != cpu->read_page[0] + i * 0x4000) return 0;
        if (cpu->write_page[i] && cpu->write_page[i] != cpu->read_page[i]) return 0;
    }
    uintptr_t b = (uintptr_t)cpu->read_page[0];
    return b == (uint32_t)b ? (uint32_t)b : 0;
}

/* The window of guest bytes sent for an entry: within its 16K page. */
static void _jit_window(uint16_t pc, uint16_t *base, uint16_t *len) {
    uint32_t page_lo = pc & 0xc000u, page_hi = page_lo + 0x4000u;
    uint32_t lo = pc >= page_lo + 256 ? pc - 256u : page_lo;
    uint32_t hi = lo + JIT_REGION_WINDOW;
    if (hi > page_hi) hi = page_hi;
    *base = (uint16_t)lo;
    *len = (uint16_t)(hi - lo);
}

/* The load form: the bytes of the entry's window to read at run time, as
 * a bitmap over it: its own patched operand bytes once it is in the load
 * form (from its physical address, which is its pc's), and those any entry
 * learnt are patched. Returns whether there are any. */
static bool _jz_load_bytes(const jit_t *j, const jit_entry_t *e, uint16_t base, uint16_t len, uint8_t *load) {
    memset(load, 0, JIT_REGION_WINDOW / 8);
    bool any = false;
    for (uint32_t i = 0; e->load_form && i < e->n_patched; i++) {
        uint16_t off = (uint16_t)(e->pc + e->patched[i] - base);
        if (off < len) {
            load[off >> 3] |= (uint8_t)(1u << (off & 7));
            any = true;
        }
    }
    return jit_cache_patched_operands(j, e->phys - (uint16_t)(e->pc - base), len, load) || any;
}

static jit_z80_request_t _jit_rq;
static uint8_t _jit_req[JIT_Z80_REQUEST_MAX_BYTES];

/* Adds e to the request (_jit_rq), its region in *region: its window of
 * guest bytes, the bytes it loads, and once profiled (jit_cache_retier)
 * its indirect jumps' targets. */
static bool _jz_add_entry(const jit_t *j, const z80_t *cpu, const jit_entry_t *e, jit_region_t *region) {
    uint16_t base, len;
    uint8_t window[JIT_REGION_WINDOW];
    _jit_window(e->pc, &base, &len);
    memcpy(window, cpu->read_page[base >> 14] + (base & 0x3fff), len); /* the window lies in one page */
    uint8_t load[JIT_REGION_WINDOW / 8];
    bool loads = _jz_load_bytes(j, e, base, len, load);
    return jit_z80_request_add_profiled(&_jit_rq, e->pc, base, len, window, loads ? load : NULL, e->targets,
                                        e->profile == JIT_PROFILE_DONE ? e->n_targets : 0, region);
}

/* Compile what runs on its own. The interpreter counts every block start
 * it passes, so the blocks of one hot loop reach their threshold together
 * and land in one batch, each the entry of a region that holds the others:
 * compiled, all but one would never be entered (the loop runs inside the
 * first). keep[i]: whether queued entry i is not a block of another kept
 * entry's region. The largest regions are kept first; an entry compiled
 * before (invalidated, profiled, or in the load form) is always kept. One
 * left out counts from zero again: it is compiled only if the dispatcher
 * reaches it on its own (an exit or a return lands there) as often as the
 * threshold asks. Kept hot instead, it was queued at its first such visit
 * (a frame's deadline exit lands on any block of a loop, now and then),
 * and game_logic's first 1,500 frames compiled 38 functions, 15 of which
 * were entered fewer than 100 times; now 23 (README, Benchmarks). */
static void _jz_covered_in_batch(const jit_t *j, const z80_t *cpu, int n, bool *keep) {
    static jit_region_t region;
    jit_z80_request_t *rq = &_jit_rq;
    int order[JIT_MAX_BATCH], blocks[JIT_MAX_BATCH], slot[JIT_MAX_BATCH];
    rq->count = 0;
    for (int i = 0; i < n; i++) {
        keep[i] = true;
        order[i] = i;
        blocks[i] = 0;
        slot[i] = -1;
        if (j->cfg.single_block) continue;
        if (_jz_add_entry(j, cpu, j->queue[i], &region)) {
            slot[i] = (int)rq->count - 1;
            blocks[i] = region.n_blocks;
        }
    }
    if (j->cfg.single_block) return;
    for (int a = 1; a < n; a++) /* insertion sort: most blocks first, then queue order */
        for (int b = a; b > 0 && blocks[order[b]] > blocks[order[b - 1]]; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    bool kept[JIT_MAX_BATCH] = {false};
    for (int a = 0; a < n; a++) {
        int i = order[a];
        const jit_entry_t *e = j->queue[i];
        bool fresh = !e->compiles && !e->load_form && e->profile == JIT_PROFILE_RECORDING;
        for (int k = 0; fresh && k < n && keep[i]; k++) {
            if (!kept[k] || slot[k] < 0) continue;
            const jit_z80_request_entry_t *r = &rq->entries[slot[k]];
            for (int b = 0; b < r->n_blocks; b++)
                if (r->blocks[b].start == e->pc) {
                    keep[i] = false;
                    break;
                }
        }
        kept[i] = keep[i];
    }
    rq->count = 0;
}

/* Builds the request for the n queued entries against cpu (the CPU as they
 * were found): discovers each entry's region, hands its coverage to the
 * cache, and encodes the entries that can be compiled into _jit_req. */
static void _jz_encode_request(jit_t *j, const z80_t *cpu, uint32_t chain_pages, int n, jit_entry_t **sent_out, int *ns_out,
                               size_t *req_len) {
    static jit_region_t region;
    *ns_out = 0;
    *req_len = 0;
    uint8_t trace = j->queue[0]->trace;
    uint8_t max_delay = 0;
    if (cpu->contention)
        for (uint32_t t = 0; t < cpu->contention_len; t++)
            if (cpu->contention[t] > max_delay) max_delay = cpu->contention[t];
    uint8_t rom_pages = 0;
    for (int i = 0; i < 4; i++)
        if (!cpu->write_page[i]) rom_pages |= (uint8_t)(1u << i);
    jit_z80_request_t *rq = &_jit_rq;
    rq->count = 0; /* the request is large: fields set one by one, not through a temporary */
    rq->flags = (trace ? JIT_Z80_F_TRACE : 0) | (j->cfg.single_block ? JIT_Z80_F_SINGLE_BLOCK : 0) |
                (cpu->contend_mreq_only ? JIT_Z80_F_MREQ_ONLY : 0) | (cpu->hook_window ? JIT_Z80_F_HOOK_WINDOW : 0);
    rq->cpu_size = (uint32_t)sizeof(z80_t);
    rq->mem_base = _jit_contiguous_base(cpu);
    rq->rom_pages = rom_pages;
    rq->contended_pages = cpu->contended_pages;
    rq->hooked_pages = chain_pages; /* the configuration's, not the present one's */
    rq->contention = (uint32_t)(uintptr_t)cpu->contention;
    rq->contention_len = cpu->contention ? cpu->contention_len : 0;
    rq->max_delay = max_delay;
    rq->code_map = (uint32_t)(uintptr_t)j->code_map;
    rq->tables = (uint32_t)(uintptr_t)j->tables;
    rq->trap_pc = cpu->trap_pc;
    jit_z80_core_calls(rq->calls);
    bool keep[JIT_MAX_BATCH];
    _jz_covered_in_batch(j, cpu, n, keep);
    int ns = 0;
    for (int i = 0; i < n; i++) {
        jit_entry_t *e = j->queue[i];
        if (!keep[i]) {
            jit_cache_release(j, e); /* hot again only by its own visits */
            j->stats.batch_covered++;
            continue;
        }
        if (!_jz_add_entry(j, cpu, e, &region)) {
            jit_cache_give_up(j, e);
            continue;
        }
        jit_cache_cover(j, e, region.base, region.covered, region.lo, region.hi, (uint8_t)region.n_blocks,
                        region.loadable, (uint16_t)region.n_loaded);
        sent_out[ns++] = e;
    }
    if (ns == 0) return;
    *ns_out = ns;
    *req_len = jit_z80_request_encode(rq, _jit_req, sizeof _jit_req);
}

static int _jz_encode(jit_t *j, int n, jit_entry_t **sent, const uint8_t **req, uint32_t *len) {
    _jz_state_t *s = j->guest_state;
    int ns;
    size_t req_len;
    _jz_encode_request(j, &s->queued, s->queued_chain, n, sent, &ns, &req_len);
    *req = _jit_req;
    *len = (uint32_t)req_len;
    return ns;
}

static void _jz_queue_begin(jit_t *j, const void *cpu) {
    _jz_state_t *s = j->guest_state;
    s->queued = *(const z80_t *)cpu;
    s->queued_chain = j->chain_pages;
}

/* ---- the machine: physical memory, mapping, configuration */

/* Offset of a 16K page in physical memory, or JIT_UNMAPPED when it lies
 * outside it (or off the 256-byte grid the code map works on). */
static uint32_t _jz_phys_of(const uint8_t *phys, uint32_t size, const uint8_t *page) {
    if (!phys || !page) return JIT_UNMAPPED;
    uintptr_t p = (uintptr_t)page, b = (uintptr_t)phys;
    if (p < b || p - b > size || size - (p - b) < _JZ_SLOT || ((p - b) & 255)) return JIT_UNMAPPED;
    return (uint32_t)(p - b);
}

static void _jz_view(jit_t *j, const void *c, jit_view_t *v) {
    const z80_t *cpu = c;
    const uint8_t *phys = cpu->mem_phys;
    uint32_t size = cpu->mem_phys_size;
    if (!phys) {
        /* Undescribed memory: a flat 64K block is its own physical memory;
         * anything else stays interpreted. */
        bool flat = true;
        for (int i = 1; i < 4; i++) flat = flat && cpu->read_page[i] == cpu->read_page[0] + i * _JZ_SLOT;
        phys = flat ? cpu->read_page[0] : NULL;
        size = flat ? 4 * _JZ_SLOT : 0;
    }
    v->phys = phys;
    v->phys_size = size;
    for (int i = 0; i < JIT_MAX_SLOTS; i++) v->read[i] = v->write[i] = JIT_UNMAPPED;
    for (int i = 0; i < 4; i++) {
        v->read[i] = _jz_phys_of(phys, size, cpu->read_page[i]);
        v->write[i] = _jz_phys_of(phys, size, cpu->write_page[i]);
    }
    _jz_config_t k;
    memset(&k, 0, sizeof k);
    k.contention = cpu->contention;
    k.contention_len = cpu->contention_len;
    k.mem_base = _jit_contiguous_base(cpu);
    k.trap_pc = cpu->trap_pc;
    for (int i = 0; i < 4; i++)
        if (!cpu->write_page[i]) k.rom_pages |= (uint8_t)(1u << i);
    k.contended_pages = cpu->contended_pages;
    k.hooked_pages = (uint8_t)j->chain_pages;
    k.trace = cpu->trace != NULL;
    k.mreq_only = cpu->contend_mreq_only;
    k.hook_window = cpu->hook_window != NULL;
    memcpy(v->config.bytes, &k, sizeof k);
    v->trace = k.trace;
}

static void _jz_wiring(const z80_t *cpu, _jz_wiring_t *w) {
    memset(w, 0, sizeof *w);
    memcpy(w->read_page, cpu->read_page, sizeof w->read_page);
    memcpy(w->write_page, cpu->write_page, sizeof w->write_page);
    w->contention = cpu->contention;
    w->contention_len = cpu->contention_len;
    w->trap_pc = cpu->trap_pc;
    w->contended_pages = cpu->contended_pages;
    w->hooked_pages = cpu->hooked_pages;
    w->mreq_only = cpu->contend_mreq_only;
}

/* After a port write: the machine may have paged, or changed its hooks. */
static void _jz_check(jit_t *j, z80_t *cpu) {
    _jz_state_t *s = j->guest_state;
    _jz_wiring_t w;
    _jz_wiring(cpu, &w);
    if (memcmp(&w, &s->wiring, sizeof w) == 0) return;
    if (cpu->hooked_pages != s->hooked_set) j->chain_pages = cpu->hooked_pages; /* the machine set its own */
    j->view_changed = 1;
    jit_view_update(j, cpu);
    _jz_wiring(cpu, &s->wiring);
}

static void _jz_hook_slots(jit_t *j, void *c, uint32_t code_slots) {
    z80_t *cpu = c;
    _jz_state_t *s = j->guest_state;
    s->hooked_set = (uint8_t)(j->chain_pages | code_slots);
    cpu->hooked_pages = s->hooked_set;
    s->wiring.hooked_pages = cpu->hooked_pages;
}

/* ---- the CPU's callbacks while the dynarec runs it (cpu->user is its _jz_state_t) */

static void _jz_write_hook(void *user, uint16_t addr, uint8_t value, uint32_t t) {
    _jz_state_t *s = user;
    jit_t *j = s->j;
    if (j->code_map[addr >> 8] && jit_cache_store(j, addr)) j->smc_hit = 1;
    if (((j->chain_pages >> (addr >> 14)) & 1) && s->hook) s->hook(s->user, addr, value, t);
}

static uint8_t _jz_port_in(void *user, uint16_t port, uint32_t t) {
    _jz_state_t *s = user;
    return s->in ? s->in(s->user, port, t) : 0xff;
}

static void _jz_port_out(void *user, uint16_t port, uint8_t value, uint32_t t) {
    _jz_state_t *s = user;
    if (s->out) s->out(s->user, port, value, t);
    _jz_check(s->j, s->cpu);
}

static void _jz_trace(void *user, int kind, uint16_t addr, uint8_t value, uint32_t t) {
    _jz_state_t *s = user;
    s->trace(s->user, kind, addr, value, t);
}

static void _jz_attach(jit_t *j, void *c) {
    z80_t *cpu = c;
    _jz_state_t *s = j->guest_state;
    s->j = j;
    s->cpu = cpu;
    s->user = cpu->user;
    s->hook = cpu->write_hook;
    s->in = cpu->port_in;
    s->out = cpu->port_out;
    s->trace = cpu->trace;
    j->chain_pages = cpu->hooked_pages;
    s->hooked_set = cpu->hooked_pages;
    cpu->user = s;
    cpu->jit = j;
    cpu->write_hook = _jz_write_hook;
    cpu->port_in = _jz_port_in;
    cpu->port_out = _jz_port_out;
    cpu->trace = s->trace ? _jz_trace : NULL;
    _jz_wiring(cpu, &s->wiring);
}

static void _jz_detach(jit_t *j, void *c) {
    z80_t *cpu = c;
    _jz_state_t *s = j->guest_state;
    cpu->user = s->user;
    cpu->write_hook = s->hook;
    cpu->port_in = s->in;
    cpu->port_out = s->out;
    cpu->trace = s->trace;
    cpu->hooked_pages = (uint8_t)j->chain_pages;
    cpu->jit = NULL;
}

/* ---- stepping */

/* Whether an instruction ends a block, by its first two bytes: for each
 * unprefixed opcode, 0 when it never ends a block, else its length
 * (_JZ_PREFIX for CB, DD, ED and FD); for those prefixes the same by the
 * second byte. A DD/FD chain or DD/FD before ED (rare) takes the whole
 * decode (_JZ_DECODE). The tables are the decoder's own facts
 * (Z80_INSN_ENDS_BLOCK), read once. */
enum { _JZ_PREFIX = 0xfe, _JZ_DECODE = 0xff };
static uint8_t _jz_ends[256], _jz_ends2[4][256]; /* [0] CB, [1] DD, [2] ED, [3] FD */
static bool _jz_ends_ready;

static int _jz_prefix_index(uint8_t op) {
    switch (op) {
    case 0xcb: return 0;
    case 0xdd: return 1;
    case 0xed: return 2;
    case 0xfd: return 3;
    default: return -1;
    }
}

static void _jz_init_ends(void) {
    for (int op = 0; op < 256; op++) {
        uint8_t b[4] = {(uint8_t)op, 0, 0, 0};
        z80_insn_t in;
        z80_decode(b, 4, 0, &in);
        int k = _jz_prefix_index((uint8_t)op);
        _jz_ends[op] = k >= 0 ? _JZ_PREFIX : (in.attrs & Z80_INSN_ENDS_BLOCK) ? (uint8_t)in.length : 0;
        if (k < 0) continue;
        for (int op2 = 0; op2 < 256; op2++) {
            b[1] = (uint8_t)op2;
            z80_decode(b, 4, 0, &in);
            bool chain = k != 0 && k != 2 && (op2 == 0xdd || op2 == 0xfd || op2 == 0xed);
            _jz_ends2[k][op2] = chain ? _JZ_DECODE : (in.attrs & Z80_INSN_ENDS_BLOCK) ? (uint8_t)in.length : 0;
        }
    }
    _jz_ends_ready = true;
}

/* The length of the instruction at pc (whose first byte is op) if it ends
 * a block (control flow, HALT, interrupt state, ...), else 0. */
static inline int _jz_block_end_length(const z80_t *cpu, uint16_t pc, uint8_t op) {
    uint8_t e = _jz_ends[op];
    if (e != _JZ_PREFIX) return e;
    e = _jz_ends2[_jz_prefix_index(op)][z80_peek(cpu, (uint16_t)(pc + 1))];
    if (e != _JZ_DECODE) return e;
    uint8_t b[4];
    for (int i = 0; i < 4; i++) b[i] = z80_peek(cpu, (uint16_t)(pc + i));
    z80_insn_t in;
    z80_decode(b, 4, pc, &in);
    return (in.attrs & Z80_INSN_ENDS_BLOCK) ? in.length : 0;
}

/* Interprets one instruction (or accepts an interrupt); a HALT with nothing
 * able to end it before `until` is fast-forwarded. */
static uint64_t _jz_halted_insns; /* counted here, added to the statistics by jit_run */

static inline void _jz_step_plain(z80_t *cpu, uint32_t until) {
    if (!cpu->halted) {
        z80_step(cpu);
        return;
    }
    uint64_t n0 = cpu->instructions;
    if (!cpu->nmi_pending && !(cpu->iff1 && cpu->tstates < cpu->int_until)) z80_run(cpu, until);
    else z80_step(cpu);
    /* Still halted: every instruction counted was the HALT's (an accepted
     * interrupt counts none; what ran after one, rarely, is not counted). */
    if (cpu->halted) _jz_halted_insns += cpu->instructions - n0;
}

/* Interprets one instruction (or accepts an interrupt) and returns whether
 * the next instruction is a block start: this one took an interrupt, or is
 * a block-ending instruction that did not fall through (a jump, call,
 * return or RST taken, a repeating LDIR & co, HALT), or it closed the /INT
 * window it ran in. The instruction's facts are read from a table only
 * when how far PC moved leaves a doubt (1-4 bytes, or a DD/FD chain):
 * this is the interpreter's inner loop under the dynarec. Entries only
 * decide what gets compiled, never what runs, so reading a prefixed
 * instruction's second byte after the step is harmless. */
static bool _jz_step(void *c, uint32_t until) {
    z80_t *cpu = c;
    bool in_window = cpu->nmi_pending || (cpu->iff1 && cpu->tstates < cpu->int_until);
    if (cpu->halted) {
        _jz_step_plain(cpu, until);
        return true;
    }
    bool accepts = cpu->nmi_pending || (in_window && !cpu->ei_delay);
    uint16_t pc0 = cpu->pc;
    uint8_t op = z80_peek(cpu, pc0);
    z80_step(cpu);
    if (accepts && cpu->jit) ((jit_t *)cpu->jit)->irq_return = pc0 + 1u; /* not halted: mid-code */
    if (accepts || (in_window && cpu->tstates >= cpu->int_until)) return true;
    uint16_t moved = (uint16_t)(cpu->pc - pc0);
    if (moved == 0) return true; /* a repeat (LDIR & co) or a jump to itself */
    if (moved > 4 && op != 0xdd && op != 0xfd) return true; /* only a jump moves PC that far */
    int len = _jz_block_end_length(cpu, pc0, op);
    return len && moved != len;
}

/* No interrupt can be accepted while compiled code runs, not halted, and
 * no one-instruction latch is set: the EI delay and the LD A,I / LD A,R
 * P/V latch (ei_delay, iff2_read) belong to the instruction after them,
 * which the interpreter runs. Compiled code writes both latches back at
 * every exit as its last instruction left them; entered with one set, a
 * function that stopped at its deadline before its first instruction
 * (a frame end) would clear it without having run anything. */
static inline bool _jz_may_enter(const z80_t *cpu) {
    return !cpu->halted && !cpu->nmi_pending && !(cpu->iff1 && cpu->tstates < cpu->int_until) && !cpu->ei_delay &&
           !cpu->iff2_read;
}

/* The dispatcher's interpreted path, instruction for instruction as z80_run. */
__attribute__((always_inline)) static inline bool _jz_interpret(void *c, uint32_t until, bool interpret_only, bool *block_start) {
    z80_t *cpu = c;
    bool at = *block_start;
    while (cpu->tstates < until && (int32_t)cpu->pc != cpu->trap_pc) {
        if (interpret_only || !_jz_may_enter(cpu)) {
            if (at) _jz_step_plain(cpu, until); /* already at a block start: nothing to find out */
            else at = _jz_step(cpu, until);
        } else if (!at) {
            at = _jz_step(cpu, until);
        } else {
            *block_start = true;
            return true;
        }
    }
    *block_start = at;
    return false;
}

static uint32_t _jz_pc(const void *c) { return ((const z80_t *)c)->pc; }
static uint64_t _jz_retired(const void *c) { return ((const z80_t *)c)->instructions; }
static uint32_t _jz_clock(const void *c) { return ((const z80_t *)c)->tstates; }

/* The flag tables generated code reads: sz53, sz53p, parity. */
static void _jz_init(jit_t *j) {
    if (!_jz_ends_ready) _jz_init_ends();
    for (unsigned i = 0; i < 256; i++) {
        unsigned p = i;
        p ^= p >> 4; p ^= p >> 2; p ^= p >> 1;
        uint8_t par = (p & 1) ? 0 : Z80_PF;
        uint8_t sz53 = (uint8_t)((i & (Z80_SF | Z80_YF | Z80_XF)) | (i ? 0 : Z80_ZF));
        j->tables[i] = sz53;
        j->tables[256 + i] = sz53 | par;
        j->tables[512 + i] = par;
    }
}

static const jit_guest_t _jz_guest = {
    .state_size = sizeof(_jz_state_t),
    .slot_bits = _JZ_SLOT_BITS,
    .init = _jz_init,
    .attach = _jz_attach,
    .detach = _jz_detach,
    .view = _jz_view,
    .hook_slots = _jz_hook_slots,
    .pc = _jz_pc,
    .retired = _jz_retired,
    .interpret = _jz_interpret,
    .step = _jz_step,
    .clock = _jz_clock,
    .queue_begin = _jz_queue_begin,
    .encode = _jz_encode,
    .lockstep = jit_z80_lockstep,
};

/* Chaining (called by generated code as JIT_Z80_CALL_CHAIN; the shared
 * exit calls it after a normal exit, with the state written back). An
 * indirect jump's exit (how: JIT_Z80_CHAIN_INDIRECT) is first recorded in
 * the running entry's profile, whatever happens next. Then the
 * dispatcher's own decision for the new pc, taken only where it would call
 * compiled code at once: no interrupt can be accepted, before the deadline,
 * not at the trap, a compiled entry for the pc under this mapping and
 * configuration. Anything else (hotness counting, revalidation, compiling,
 * the interpreter) is the dispatcher's: 0 sends the function back to it.
 * Off under lockstep (each run is checked alone). Returns the entry's
 * table slot; it becomes the running entry (stores into it leave). */
JIT_EXPORT int32_t jit_chain(z80_t *cpu, int32_t until, int32_t how) {
    jit_t *j = cpu->jit;
    if (!j) return 0;
    if ((how & JIT_Z80_CHAIN_INDIRECT) && j->running) jit_cache_note_target(j, j->running, cpu->pc);
    if (j->no_chain || j->lockstep || !j->enabled || j->debug) return 0; /* a debugger: its loop decides each entry */
    if (cpu->tstates >= (uint32_t)until || (int32_t)cpu->pc == cpu->trap_pc || !_jz_may_enter(cpu)) return 0;
    uint16_t pc = cpu->pc;
    uint32_t phys = jit_phys_read(j, &_jz_guest, pc);
    if (phys == JIT_UNMAPPED) return 0;
    jit_entry_t *e = jit_cache_lookup(j, pc, phys, j->config_now);
    if (!e || e->state != JIT_COMPILED || e->profile == JIT_PROFILE_READY) return 0; /* a recompile: the dispatcher's */
    e->used = 1;
    e->runs++; /* the inspector's (its exits are counted where the run leaves) */
    j->stats.cache_hits++;
    j->stats.chained++;
    j->running = e;
    j->smc_hit = 0;
    return e->slot;
}

void jit_run(void *ctx, z80_t *cpu, uint32_t until) {
    jit_dispatch(ctx, &_jz_guest, cpu, until);
    ((jit_t *)ctx)->stats.insns_halted += _jz_halted_insns;
    _jz_halted_insns = 0;
}
