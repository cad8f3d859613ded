/*
 * jit.c: the dispatcher (jit_run) and compile requests.
 *
 * Entry rule: compiled code runs only when no /INT or NMI can be accepted
 * while it runs (IFF1 clear, or T past the /INT window, no NMI pending) —
 * instructions that change that (EI, DI, RETI/RETN) end blocks. Each block
 * checks its own worst-case length against `until` and returns
 * WB_Z80_EXIT_DEADLINE when it might overrun; the interpreter then finishes
 * the frame, instruction for instruction as z80_run would.
 *
 * Hotness is counted only at block starts (after a jump, an interrupt, or a
 * compiled exit): those are where compiled entries pay off, and counting
 * every interpreted instruction would compile overlapping regions.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime in native builds */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jit/jit_host.h"
#include "jit/jit_internal.h"
#include "jit/z80/jit_z80_request.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

jit_t *jit_active;

static double _jit_now_ms(void) {
#ifdef __EMSCRIPTEN__
    return emscripten_get_now();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
#endif
}

jit_t *jit_create(const jit_config_t *cfg) {
    jit_t *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    if (cfg) j->cfg = *cfg;
    if (!j->cfg.batch) j->cfg.batch = 8;
    if (j->cfg.batch > 64) j->cfg.batch = 64;
    if (!j->cfg.max_slots) j->cfg.max_slots = 4096;
    if (!j->cfg.max_bytes) j->cfg.max_bytes = 16u << 20;
    j->pool = calloc(j->cfg.max_slots, sizeof *j->pool);
    if (!j->pool) { free(j); return NULL; }
    for (uint32_t i = 0; i < j->cfg.max_slots; i++) {
        j->pool[i].state = JIT_FREE;
        j->pool[i].next = j->free_list;
        j->free_list = &j->pool[i];
    }
    j->free_entries = j->cfg.max_slots;
    j->enabled = !j->cfg.disabled;
    j->lockstep = j->cfg.lockstep;
    for (unsigned i = 0; i < 256; i++) {
        unsigned p = i;
        p ^= p >> 4; p ^= p >> 2; p ^= p >> 1;
        uint8_t par = (p & 1) ? 0 : Z80_PF;
        uint8_t sz53 = (uint8_t)((i & (Z80_SF | Z80_YF | Z80_XF)) | (i ? 0 : Z80_ZF));
        j->tables[i] = sz53;
        j->tables[256 + i] = sz53 | par;
        j->tables[512 + i] = par;
    }
    return j;
}

void jit_destroy(jit_t *j) {
    if (!j) return;
    jit_cache_flush(j);
    for (int p = 0; p < 256; p++) free(j->pages[p].v);
    if (jit_active == j) jit_active = NULL;
    free(j->pool);
    free(j);
}

void jit_flush(jit_t *j) {
    j->resume_mid_block = false; /* the guest may have been rewritten, PC too */
    j->stats.evictions += j->live_slots;
    jit_cache_flush(j);
}

void jit_set_lockstep(jit_t *j, bool on) { j->lockstep = on; }
bool jit_get_lockstep(const jit_t *j) { return j->lockstep; }
void jit_set_enabled(jit_t *j, bool on) { j->enabled = on; }
const jit_stats_t *jit_get_stats(const jit_t *j) { return &j->stats; }
const char *jit_lockstep_report(const jit_t *j) { return j->report; }

/* The machine wiring the cache was built for; a change flushes it. */
static void _jit_check_machine(jit_t *j, z80_t *cpu) {
    jit_machine_t m;
    memset(&m, 0, sizeof m);
    memcpy(m.read_page, cpu->read_page, sizeof m.read_page);
    memcpy(m.write_page, cpu->write_page, sizeof m.write_page);
    m.contention = cpu->contention;
    m.contention_len = cpu->contention_len;
    m.contended_pages = cpu->contended_pages;
    m.hooked_pages = cpu->write_hook == jit_write_hook ? j->chain_pages : cpu->hooked_pages;
    m.trap_pc = cpu->trap_pc;
    if (j->machine_known && memcmp(&m, &j->machine, sizeof m) == 0) return;
    if (j->machine_known) jit_flush(j);
    j->machine = m;
    j->machine_known = true;
}

/* Pages with compiled code are hooked so that interpreted stores into them
 * invalidate; the machine's own hook is chained. zx_run_frame re-wires the
 * CPU every frame, hence the check on every call. */
static void _jit_install_hook(jit_t *j, z80_t *cpu) {
    if (cpu->write_hook != jit_write_hook) {
        j->chain_hook = cpu->write_hook;
        j->chain_pages = cpu->hooked_pages;
        cpu->write_hook = jit_write_hook;
    }
    uint8_t code_pages = 0;
    for (int p = 0; p < 256; p++)
        if (j->code_map[p]) code_pages |= (uint8_t)(1u << (p >> 6));
    cpu->hooked_pages = j->chain_pages | code_pages;
}

static void _jit_restore_hook(jit_t *j, z80_t *cpu) {
    cpu->write_hook = j->chain_hook;
    cpu->hooked_pages = j->chain_pages;
}

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

static jit_z80_request_t _jit_rq;
static uint8_t _jit_req[JIT_Z80_REQUEST_MAX_BYTES];

/* Compiles the queued entries in one request. */
static void _jit_compile_queue(jit_t *j, z80_t *cpu) {
    static jit_region_t region;
    int n = j->nqueue;
    j->nqueue = 0;
    if (n == 0) return;
    /* The module's size is known only afterwards: reckon with the average. */
    uint64_t est = j->stats.functions ? j->stats.bytes_generated / j->stats.functions * (uint64_t)n : 0;
    if ((j->live_slots + (uint32_t)n > j->cfg.max_slots || j->stats.code_bytes + est > j->cfg.max_bytes) &&
        !jit_cache_make_room(j, (uint32_t)n, est)) {
        /* Nothing cold enough to evict: a clean flush (v86 does the same);
         * hot code comes back quickly. */
        jit_entry_t *keep[64];
        memcpy(keep, j->queue, sizeof(jit_entry_t *) * (size_t)n);
        uint16_t pcs[64]; uintptr_t banks[64]; uint8_t tr[64];
        for (int i = 0; i < n; i++) { pcs[i] = keep[i]->pc; banks[i] = keep[i]->bank; tr[i] = keep[i]->trace; }
        jit_flush(j);
        for (int i = 0; i < n; i++) {
            j->queue[i] = jit_cache_insert(j, pcs[i], banks[i], tr[i]);
            if (!j->queue[i]) return;
        }
    }
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
    rq->flags = (trace ? WB_Z80_F_TRACE : 0) | (j->cfg.single_block ? WB_Z80_F_SINGLE_BLOCK : 0);
    rq->cpu_size = (uint32_t)sizeof(z80_t);
    rq->mem_base = _jit_contiguous_base(cpu);
    rq->rom_pages = rom_pages;
    rq->contended_pages = cpu->contended_pages;
    rq->hooked_pages = j->chain_pages;
    rq->contention = (uint32_t)(uintptr_t)cpu->contention;
    rq->contention_len = cpu->contention ? cpu->contention_len : 0;
    rq->max_delay = max_delay;
    rq->code_map = (uint32_t)(uintptr_t)j->code_map;
    rq->tables = (uint32_t)(uintptr_t)j->tables;
    rq->trap_pc = cpu->trap_pc;
    jit_entry_t *sent[64];
    int ns = 0;
    for (int i = 0; i < n; i++) {
        jit_entry_t *e = j->queue[i];
        uint16_t base, len;
        uint8_t window[JIT_REGION_WINDOW];
        _jit_window(e->pc, &base, &len);
        for (int k = 0; k < len; k++) window[k] = z80_peek(cpu, (uint16_t)(base + k));
        if (!jit_z80_request_add(rq, e->pc, base, len, window, &region)) {
            e->state = JIT_UNCOMPILABLE;
            j->stats.uncompilable++;
            continue;
        }
        jit_cache_set_coverage(j, e, &region, base, cpu);
        sent[ns++] = e;
    }
    if (ns == 0) return;
    size_t req_len = jit_z80_request_encode(rq, _jit_req, sizeof _jit_req);
    int32_t slots[64];
    jit_host_cost_t cost = {0};
    double t0 = _jit_now_ms();
    int32_t got = -1;
#ifdef __EMSCRIPTEN__
    got = jit_host_compile(_jit_req, (uint32_t)req_len, slots, (uint32_t)ns, &cost);
#else
    (void)slots;
    (void)req_len;
#endif
    if (got == JIT_HOST_NOT_READY) {
        /* The compiler is still loading: not a request, not a failure. */
        for (int i = 0; i < ns; i++) jit_cache_release(j, sent[i]); /* retried when hot again */
        return;
    }
    j->stats.compile_ms += _jit_now_ms() - t0;
    j->stats.build_ms += cost.build_ms;
    j->stats.write_ms += cost.write_ms;
    j->stats.wasm_compile_ms += cost.compile_ms;
    j->stats.instantiate_ms += cost.instantiate_ms;
    j->stats.requests++;
    if (got != ns) {
        j->stats.compile_failures++;
        for (int i = 0; i < ns; i++) jit_cache_release(j, sent[i]); /* retried when hot again */
        return;
    }
    j->stats.bytes_generated += cost.bytes;
    j->stats.code_bytes += cost.bytes;
    for (int i = 0; i < ns; i++) {
        jit_entry_t *e = sent[i];
        e->slot = slots[i];
        e->state = JIT_COMPILED;
        e->bytes = cost.bytes / (uint32_t)ns + (i == 0 ? cost.bytes % (uint32_t)ns : 0);
        j->live_slots++;
        j->stats.functions++;
        if (e->blocks > 1) { j->stats.regions++; j->stats.region_blocks += e->blocks; }
        else j->stats.blocks++;
    }
    j->stats.live_functions = j->live_slots;
    /* The module came out bigger than reckoned: evict down to the bound now. */
    if (j->stats.code_bytes > j->cfg.max_bytes && !jit_cache_make_room(j, 0, 0)) jit_flush(j);
}

/* Steps the interpreter once; returns whether control went somewhere other
 * than the next instruction (a block start), a repeating block instruction
 * (LDIR & co.) included. */
static bool _jit_step(z80_t *cpu) {
    uint16_t pc0 = cpu->pc;
    z80_step(cpu);
    return (uint16_t)(cpu->pc - pc0) > 4 || cpu->pc == pc0;
}

/* Returns the exit code. */
static int32_t _jit_run_entry(jit_t *j, jit_entry_t *e, z80_t *cpu, uint32_t until) {
    jit_fn_t fn = (jit_fn_t)(uintptr_t)e->slot;
    uint64_t n0 = cpu->instructions;
    j->running = e;
    j->smc_hit = 0;
    int32_t code = j->lockstep ? jit_lockstep_call(j, e, fn, cpu, until) : fn(cpu, until);
    j->running = NULL;
    if (code >= 0 && code < 4) j->stats.exits[code]++;
    j->stats.insns_compiled += cpu->instructions - n0;
    return code;
}

void jit_run(void *ctx, z80_t *cpu, uint32_t until) {
    jit_t *j = ctx;
    jit_t *outer = jit_active;
    jit_active = j;
    _jit_check_machine(j, cpu);
    _jit_install_hook(j, cpu);
    uint64_t n_start = cpu->instructions;
    /* A run that resumes where the last one stopped mid-block (its T-state
     * budget ran out there) is not at a block start: counting that pc would
     * compile an entry at wherever each frame happens to end. */
    bool block_start = !(j->resume_mid_block && cpu->pc == j->resume_pc);
    uint8_t trace = cpu->trace != NULL;
    while (cpu->tstates < until) {
        if ((int32_t)cpu->pc == cpu->trap_pc) break;
        if (cpu->halted) {
            if (cpu->nmi_pending || (cpu->iff1 && cpu->tstates < cpu->int_until)) z80_step(cpu);
            else z80_run(cpu, until); /* fast-forwards HALT: nothing can end it before until */
            block_start = true;
            continue;
        }
        if (cpu->nmi_pending || (cpu->iff1 && cpu->tstates < cpu->int_until) || !j->enabled) {
            bool jumped = _jit_step(cpu);
            block_start = block_start || jumped || cpu->tstates >= cpu->int_until;
            continue;
        }
        if (!block_start) {
            block_start = _jit_step(cpu);
            continue;
        }
        uintptr_t bank = (uintptr_t)cpu->read_page[cpu->pc >> 14];
        jit_entry_t *e = jit_cache_lookup(j, cpu->pc, bank, trace);
        if (e) e->used = 1;
        if (e && e->state == JIT_INVALID) {
            if (!jit_cache_revalidate(j, e, cpu)) {
                uint8_t inv = e->invalidations + 1;
                jit_cache_release(j, e);
                e->invalidations = inv;
                if (inv >= JIT_MAX_INVALIDATIONS) {
                    e->state = JIT_UNCOMPILABLE;
                    j->stats.uncompilable++;
                }
            }
            _jit_install_hook(j, cpu);
        }
        if (e && e->state == JIT_COMPILED) {
            j->stats.cache_hits++;
            /* After a deadline exit the interpreter takes the next
             * instruction (the block did not fit; it may not loop back here). */
            block_start = _jit_run_entry(j, e, cpu, until) != WB_Z80_EXIT_DEADLINE;
            continue;
        }
        if (e && (e->state == JIT_UNCOMPILABLE || e->state == JIT_QUEUED)) {
            block_start = _jit_step(cpu) || e->state == JIT_UNCOMPILABLE;
            continue;
        }
        j->stats.cache_misses++;
        if (!e) e = jit_cache_insert(j, cpu->pc, bank, trace);
        if (e && ++e->hits > j->cfg.threshold) {
            if (j->nqueue && j->queue[0]->trace != trace) _jit_compile_queue(j, cpu);
            e->state = JIT_QUEUED;
            j->queue[j->nqueue++] = e;
            if ((uint32_t)j->nqueue >= j->cfg.batch) {
                _jit_compile_queue(j, cpu);
                _jit_install_hook(j, cpu);
                if (e->state == JIT_COMPILED) continue;
            }
        }
        block_start = _jit_step(cpu);
    }
    /* A chunk's end (a frame) compiles what is queued, so hot code found in
     * this frame runs compiled in the next. */
    if (j->nqueue) _jit_compile_queue(j, cpu);
    j->resume_pc = cpu->pc;
    j->resume_mid_block = !block_start;
    j->stats.insns_total += cpu->instructions - n_start;
    _jit_restore_hook(j, cpu);
    jit_active = outer;
}

const char *jit_stats_json(const jit_t *j) {
    static char buf[1536];
    const jit_stats_t *s = &j->stats;
    double share = s->insns_total ? (double)s->insns_compiled / (double)s->insns_total : 0;
    snprintf(buf, sizeof buf,
             "{\"functions\":%llu,\"blocks\":%llu,\"regions\":%llu,\"regionBlocks\":%llu,\"requests\":%llu,"
             "\"compileFailures\":%llu,\"compileMs\":%.3f,\"buildMs\":%.3f,\"writeMs\":%.3f,"
             "\"wasmCompileMs\":%.3f,\"instantiateMs\":%.3f,\"cacheHits\":%llu,\"cacheMisses\":%llu,"
             "\"invalidations\":%llu,\"revalidations\":%llu,\"evictions\":%llu,\"flushes\":%llu,"
             "\"uncompilable\":%llu,\"insnsTotal\":%llu,\"insnsCompiled\":%llu,\"compiledShare\":%.6f,"
             "\"exits\":{\"normal\":%llu,\"deadline\":%llu,\"smc\":%llu},"
             "\"lockstepChecks\":%llu,\"lockstepDivergences\":%llu,\"liveFunctions\":%u,"
             "\"codeBytes\":%llu,\"bytesGenerated\":%llu,\"maxFunctions\":%u,\"maxBytes\":%u}",
             (unsigned long long)s->functions, (unsigned long long)s->blocks, (unsigned long long)s->regions,
             (unsigned long long)s->region_blocks, (unsigned long long)s->requests,
             (unsigned long long)s->compile_failures, s->compile_ms, s->build_ms, s->write_ms, s->wasm_compile_ms,
             s->instantiate_ms, (unsigned long long)s->cache_hits, (unsigned long long)s->cache_misses,
             (unsigned long long)s->invalidations, (unsigned long long)s->revalidations,
             (unsigned long long)s->evictions, (unsigned long long)s->flushes, (unsigned long long)s->uncompilable,
             (unsigned long long)s->insns_total, (unsigned long long)s->insns_compiled, share,
             (unsigned long long)s->exits[0], (unsigned long long)s->exits[1],
             (unsigned long long)s->exits[2], (unsigned long long)s->lockstep_checks,
             (unsigned long long)s->lockstep_divergences, s->live_functions, (unsigned long long)s->code_bytes,
             (unsigned long long)s->bytes_generated, j->cfg.max_slots, j->cfg.max_bytes);
    return buf;
}
