/*
 * jit.c: the guest-neutral runtime's instance, mapping view and compile
 * requests. The dispatcher itself is jit_dispatch.h (inlined into each
 * front end's entry point, such as the Z80's jit_run).
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime in native builds */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jit/jit_host.h"
#include "jit/jit_internal.h"
#include "platform/profile.h"

#define XXH_INLINE_ALL
#include "xxhash.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

static double _jit_now_ms(void) {
#ifdef __EMSCRIPTEN__
    return emscripten_get_now();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
#endif
}

/* Every live instance: an asynchronous result names only its ticket. */
static jit_t *_jit_instances;
#ifdef __EMSCRIPTEN__
static uint32_t _jit_next_ticket = 1;
#endif

jit_t *jit_create(const jit_config_t *cfg) {
    jit_t *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    if (cfg) j->cfg = *cfg;
    if (!j->cfg.batch) j->cfg.batch = 8;
    if (j->cfg.batch > 64) j->cfg.batch = 64;
    if (!j->cfg.batch_wait) j->cfg.batch_wait = 1;
    if (!j->cfg.max_slots) j->cfg.max_slots = 4096;
    if (!j->cfg.max_bytes) j->cfg.max_bytes = 16u << 20;
    if (!j->cfg.profile_exits) j->cfg.profile_exits = JIT_PROFILE_EXITS;
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
    j->next_instance = _jit_instances;
    _jit_instances = j;
    return j;
}

void jit_bind(jit_t *j, const jit_guest_t *g) {
    if (j->guest == g) return;
    if (j->guest) abort(); /* one guest per instance */
    j->guest = g;
    j->guest_state = calloc(1, g->state_size ? g->state_size : 1);
    if (!j->guest_state) abort();
    g->init(j);
}

void jit_destroy(jit_t *j) {
    if (!j) return;
    jit_cache_flush(j); /* forgets the requests in flight too */
    for (jit_t **link = &_jit_instances; *link; link = &(*link)->next_instance)
        if (*link == j) {
            *link = j->next_instance;
            break;
        }
    for (uint32_t p = 0; p < j->n_pages; p++) free(j->pages[p].v);
    free(j->pages);
    free(j->guest_state);
    free(j->spots);
    free(j->patched_operands);
    free(j->inval_map);
    free(j->pool);
    free(j->shadow.mem);
    free(j->shadow.dirty);
    free(j->shadow.list);
    free(j);
}

/* Drops all compiled code; what was learnt about self-modifying code stays
 * (the cache's own flushes: full, or out of configurations). */
static void _jit_flush_code(jit_t *j) {
    j->resume_mid_block = false; /* the guest may have been rewritten, PC too */
    j->stats.evictions += j->live_slots;
    jit_cache_flush(j);
}

void jit_flush(jit_t *j) {
    _jit_flush_code(j);
    jit_cache_forget_spots(j);
}

void jit_set_lockstep(jit_t *j, bool on) {
    j->lockstep = on;
    j->shadow.stale = true;
    /* Lockstep sees every store through the code map (jit_shadow_t); the
     * hooks follow at the next run's start. */
    if (j->guest && j->view_known) jit_cache_derive_code_map(j);
}
bool jit_get_lockstep(const jit_t *j) { return j->lockstep; }
void jit_set_enabled(jit_t *j, bool on) { j->enabled = on; }
void jit_set_chaining(jit_t *j, bool on) { j->no_chain = !on; }
void jit_set_debug(jit_t *j, jit_debug_t *d) { j->debug = d; }

bool jit_debug_covers(jit_t *j, jit_entry_t *e) {
    const jit_debug_t *d = j->debug;
    if (e->debug_gen == d->gen) return e->debug_covers;
    bool covers = false;
    for (uint32_t off = 0; off < JIT_WINDOW && !covers; off++) {
        if (!(e->covered[off >> 3] & (1u << (off & 7)))) continue;
        uint16_t logical = (uint16_t)(e->base + off);
        uint32_t phys = e->window + off;
        covers = (d->logical && (d->logical[logical >> 3] & (1u << (logical & 7)))) ||
                 (d->physical && phys < d->physical_size && (d->physical[phys >> 3] & (1u << (phys & 7))));
    }
    e->debug_gen = d->gen;
    e->debug_covers = covers;
    return covers;
}
void jit_set_profile(jit_t *j, struct prof *prof) { j->prof = prof; }
const jit_stats_t *jit_get_stats(const jit_t *j) { return &j->stats; }
const char *jit_lockstep_report(const jit_t *j) { return j->reports; }

void jit_lockstep_keep(jit_t *j) {
    size_t n = strlen(j->report);
    /* "[" report "]", or the last "]" becomes "," report "]" */
    if (!n || j->reports_len + n + 2 >= sizeof j->reports) return;
    if (j->reports_len) j->reports[j->reports_len - 1] = ',';
    else j->reports[j->reports_len++] = '[';
    memcpy(j->reports + j->reports_len, j->report, n);
    j->reports_len += n;
    j->reports[j->reports_len++] = ']';
    j->reports[j->reports_len] = 0;
    j->reports_kept++;
}

void jit_shadow_sync(jit_t *j) {
    jit_shadow_t *sh = &j->shadow;
    if (sh->size != j->phys_size || !sh->mem) {
        free(sh->mem);
        free(sh->dirty);
        free(sh->list);
        uint32_t pages = (j->phys_size + 255) / 256;
        sh->mem = malloc(j->phys_size ? j->phys_size : 1);
        sh->dirty = calloc(pages ? pages : 1, 1);
        sh->list = malloc((pages ? pages : 1) * sizeof *sh->list);
        if (!sh->mem || !sh->dirty || !sh->list) abort();
        sh->size = j->phys_size;
        sh->n = 0;
        sh->stale = true;
    }
    if (sh->stale) {
        if (sh->size) memcpy(sh->mem, j->phys, sh->size);
        for (uint32_t i = 0; i < sh->n; i++) sh->dirty[sh->list[i]] = 0;
        sh->n = 0;
        sh->stale = false;
        return;
    }
    for (uint32_t i = 0; i < sh->n; i++) {
        uint32_t p = sh->list[i], off = p << 8;
        memcpy(sh->mem + off, j->phys + off, sh->size - off < 256 ? sh->size - off : 256);
        sh->dirty[p] = 0;
    }
    sh->n = 0;
}

void jit_update_hooks(jit_t *j, void *cpu) {
    uint32_t slot_pages = 1u << (j->guest->slot_bits - 8), code_slots = 0;
    for (uint32_t p = 0; p < JIT_LOGICAL_PAGES; p++)
        if (j->code_map[p]) code_slots |= 1u << (p / slot_pages);
    j->guest->hook_slots(j, cpu, code_slots);
}

/* The configuration's index, interned; a full table starts over with a flush. */
static uint8_t _jit_config_index(jit_t *j, const jit_config_key_t *key) {
    for (uint32_t i = 0; i < j->n_configs; i++)
        if (memcmp(&j->configs[i], key, sizeof *key) == 0) return (uint8_t)i;
    if (j->n_configs == JIT_MAX_CONFIGS) {
        _jit_flush_code(j);
        j->n_configs = 0;
    }
    j->configs[j->n_configs] = *key;
    j->config_hash[j->n_configs] = XXH32(key, sizeof *key, 0);
    return (uint8_t)j->n_configs++;
}

void jit_view_update(jit_t *j, void *cpu) {
    jit_view_t v;
    memset(&v, 0, sizeof v);
    j->guest->view(j, cpu, &v);
    if (j->view_known && memcmp(&v, &j->view, sizeof v) == 0) return;
    if (v.phys != j->phys || v.phys_size != j->phys_size) {
        /* Another machine's memory (compiled code is keyed by offsets in it). */
        j->resume_mid_block = false;
        jit_cache_set_phys(j, v.phys, v.phys_size);
    }
    j->view = v;
    j->view_known = true;
    j->config_now = _jit_config_index(j, &v.config);
    j->map_gen++;
    jit_cache_derive_code_map(j);
    jit_update_hooks(j, cpu);
}

/* ---- Asynchronous compiles
 *
 * With a compiler running beside the emulation (a Worker in the page, a
 * worker_threads worker under Node: core/jit/jit_host.js), a request is
 * sent and the run goes on: its entries stay QUEUED, so the interpreter
 * runs them and they are neither queued again nor evicted. The entries'
 * coverage and its xxHash32 are set when the request is built (from the
 * same bytes it carries). When the module comes back the host instantiates
 * it and calls jit_async_install: each entry still waiting for that ticket
 * whose covered bytes hash as they did is installed; one whose bytes
 * changed is dropped (and the change learnt, as an invalidated entry's);
 * a flush in between forgets the request and everything in it is dropped.
 * Installs happen only between guest instructions (a run's start, or when
 * the requests in flight are at their bound), so a result never lands
 * under running code, and what runs stays exactly the interpreter's:
 * compiled or not, the machine's results are the same in both modes. */

static jit_flight_t *_jit_flight(uint32_t ticket, jit_t **owner) {
    if (!ticket) return NULL;
    for (jit_t *j = _jit_instances; j; j = j->next_instance)
        for (int i = 0; i < JIT_MAX_FLIGHTS; i++)
            if (j->flights[i].ticket == ticket) {
                *owner = j;
                return &j->flights[i];
            }
    return NULL;
}

static void _jit_flight_done(jit_t *j, jit_flight_t *f) {
    j->n_flights--;
    j->pending_functions -= (uint32_t)f->n;
    j->stats.in_flight = j->n_flights;
    f->ticket = 0;
    f->n = 0;
}

void jit_async_forget(jit_t *j) {
    for (int i = 0; i < JIT_MAX_FLIGHTS; i++) {
        if (!j->flights[i].ticket) continue;
        j->stats.dropped_results += (uint64_t)j->flights[i].n;
        j->flights[i].ticket = 0;
        j->flights[i].n = 0;
    }
    j->n_flights = 0;
    j->pending_functions = 0;
    j->stats.in_flight = 0;
}

/* Is entry i of the flight still waiting for it? */
static bool _jit_flight_owns(const jit_flight_t *f, int i) {
    return f->e[i]->state == JIT_QUEUED && f->e[i]->ticket == f->ticket;
}

/* The host: is the result for `ticket` still wanted? Returns how many
 * functions its module must have (instantiate it and call
 * jit_async_install), or 0: drop it (nothing in it can be installed; the
 * request is over). */
JIT_EXPORT int32_t jit_async_accept(uint32_t ticket) {
    jit_t *j;
    jit_flight_t *f = _jit_flight(ticket, &j);
    if (!f) return 0;
    for (int i = 0; i < f->n; i++)
        if (_jit_flight_owns(f, i) && jit_cache_hash(j, f->e[i]) == f->e[i]->hash) return f->n;
    for (int i = 0; i < f->n; i++) {
        jit_entry_t *e = f->e[i];
        if (!_jit_flight_owns(f, i)) continue;
        e->ticket = 0;
        jit_cache_drop_changed(j, e);
    }
    j->stats.dropped_results += (uint64_t)f->n;
    _jit_flight_done(j, f);
    return 0;
}

/* The host installed the module of `ticket`: slots[0..got-1] are its
 * functions' table slots (got < 0: the compile failed). Each entry still
 * waiting with unchanged bytes takes its slot; the other slots are freed. */
JIT_EXPORT void jit_async_install(uint32_t ticket, const int32_t *slots, int32_t got, const jit_host_cost_t *cost) {
    jit_t *j;
    jit_flight_t *f = _jit_flight(ticket, &j);
    if (!f) {
#ifdef __EMSCRIPTEN__
        for (int32_t i = 0; i < got; i++) jit_host_release(slots[i]);
#endif
        return;
    }
    double now = _jit_now_ms();
    j->stats.build_ms += cost->build_ms;
    j->stats.write_ms += cost->write_ms;
    j->stats.wasm_compile_ms += cost->compile_ms;
    j->stats.instantiate_ms += cost->instantiate_ms;
    j->stats.compile_ms += cost->instantiate_ms; /* what the emulation's thread spent on it */
    j->stats.worker_ms += cost->build_ms + cost->write_ms + cost->compile_ms;
    if (got != f->n) {
        j->stats.compile_failures++;
#ifdef __EMSCRIPTEN__
        for (int32_t i = 0; i < got; i++) jit_host_release(slots[i]);
#endif
        for (int i = 0; i < f->n; i++)
            if (_jit_flight_owns(f, i)) {
                f->e[i]->ticket = 0;
                jit_cache_release(j, f->e[i]); /* retried when hot again */
            }
        _jit_flight_done(j, f);
        return;
    }
    double latency = now - f->t_sent;
    j->stats.async_latency_ms += latency;
    if (latency > j->stats.async_latency_max_ms) j->stats.async_latency_max_ms = latency;
    j->stats.bytes_generated += cost->bytes;
    int kept = 0;
    for (int i = 0; i < f->n; i++) kept += _jit_flight_owns(f, i) && jit_cache_hash(j, f->e[i]) == f->e[i]->hash;
    for (int i = 0; i < f->n; i++) {
        jit_entry_t *e = f->e[i];
        bool owned = _jit_flight_owns(f, i);
        if (!owned || jit_cache_hash(j, e) != e->hash) {
#ifdef __EMSCRIPTEN__
            jit_host_release(slots[i]);
#endif
            j->stats.dropped_results++;
            if (owned) {
                e->ticket = 0;
                jit_cache_drop_changed(j, e);
            }
            continue;
        }
        e->ticket = 0;
        e->slot = slots[i];
        e->state = JIT_COMPILED;
        e->other_hit = 0; /* stores that left the bytes as they were (as a revalidation) */
        e->bytes = cost->bytes / (uint32_t)kept;
        j->stats.code_bytes += e->bytes;
        j->live_slots++;
        j->stats.functions++;
        j->stats.async_installed++;
        if (e->blocks > 1) { j->stats.regions++; j->stats.region_blocks += e->blocks; }
        else j->stats.blocks++;
        if (e->n_loaded) j->stats.smc_load_functions++;
        e->compiles++;                      /* the inspector's (jit_inspect.c) */
        e->request = (uint32_t)j->stats.requests;
        e->compile_ms = (float)(cost->build_ms + cost->write_ms + cost->compile_ms + cost->instantiate_ms);
    }
    j->stats.live_functions = j->live_slots;
    _jit_flight_done(j, f);
    /* Bigger than reckoned: evict down to the bound (no flush here; the
     * next request flushes if that finds nothing). */
    if (j->stats.code_bytes > j->cfg.max_bytes) jit_cache_make_room(j, 0, 0);
    j->stats.compile_ms += _jit_now_ms() - now;
}

void jit_run_begin(jit_t *j) {
    j->waited = false;
    j->runs++;
#ifdef __EMSCRIPTEN__
    if (j->n_flights) jit_host_poll();
#endif
}

void jit_run_end(jit_t *j) {
    if (j->waited) j->stats.runs_waited++;
}

#ifdef __EMSCRIPTEN__
/* Entries queued but not sent: back to counting, one execution short of
 * their threshold (they are queued again when next reached). */
static void _jit_defer(jit_t *j, int n) {
    for (int i = 0; i < n; i++) {
        jit_entry_t *e = j->queue[i];
        e->state = JIT_EMPTY;
        e->hits = j->cfg.threshold + e->hold;
    }
    j->stats.async_deferred += (uint64_t)n;
}
#endif

/* Sends the request built for the entries sent[0..ns-1]; false when no
 * compiler runs beside the emulation (the caller compiles synchronously). */
static bool _jit_send_async(jit_t *j, jit_entry_t **sent, int ns, const uint8_t *req, uint32_t req_len, double t0) {
#ifdef __EMSCRIPTEN__
    jit_flight_t *f = NULL;
    for (int i = 0; i < JIT_MAX_FLIGHTS && !f; i++)
        if (!j->flights[i].ticket) f = &j->flights[i];
    if (!f) abort(); /* the caller made sure of a free one */
    uint32_t ticket = _jit_next_ticket++;
    if (!_jit_next_ticket) _jit_next_ticket = 1;
    int32_t r = jit_host_compile_async(req, req_len, ticket);
    if (r == JIT_HOST_SYNC) return false;
    if (r != 0) {
        /* Not sent (the compiler went away): retried when hot again. */
        for (int i = 0; i < ns; i++) jit_cache_release(j, sent[i]);
        return true;
    }
    f->ticket = ticket;
    f->n = ns;
    f->t_sent = t0;
    for (int i = 0; i < ns; i++) {
        f->e[i] = sent[i];
        sent[i]->ticket = ticket;
    }
    j->n_flights++;
    j->pending_functions += (uint32_t)ns;
    j->stats.in_flight = j->n_flights;
    j->stats.requests++;
    j->stats.async_requests++;
    j->stats.compile_ms += _jit_now_ms() - t0;
    return true;
#else
    (void)j; (void)sent; (void)ns; (void)req; (void)req_len; (void)t0;
    return false;
#endif
}

static void _jit_compile_queue(jit_t *j) {
    int n = j->nqueue;
    if (n == 0) return;
#ifdef __EMSCRIPTEN__
    int32_t mode = jit_host_mode();
    if (mode == JIT_HOST_ASYNC && j->n_flights == JIT_MAX_FLIGHTS) {
        jit_host_poll(); /* results that arrived meanwhile free their places */
        if (j->n_flights == JIT_MAX_FLIGHTS) {
            j->nqueue = 0;
            _jit_defer(j, n);
            return;
        }
    }
#endif
    j->nqueue = 0;
    /* The module's size is known only afterwards: reckon with the average. */
    uint64_t est = j->stats.functions ? j->stats.bytes_generated / j->stats.functions * (uint64_t)n : 0;
    uint32_t slots_wanted = (uint32_t)n + j->pending_functions;
    if ((j->live_slots + slots_wanted > j->cfg.max_slots || j->stats.code_bytes + est > j->cfg.max_bytes) &&
        !jit_cache_make_room(j, slots_wanted, est)) {
        /* Nothing cold enough to evict: a clean flush (v86 does the same);
         * hot code comes back quickly. */
        jit_entry_t *keep[JIT_MAX_BATCH];
        memcpy(keep, j->queue, sizeof(jit_entry_t *) * (size_t)n);
        uint16_t pcs[JIT_MAX_BATCH]; uint32_t phys[JIT_MAX_BATCH]; uint8_t cfgs[JIT_MAX_BATCH], tr[JIT_MAX_BATCH];
        for (int i = 0; i < n; i++) { pcs[i] = keep[i]->pc; phys[i] = keep[i]->phys; cfgs[i] = keep[i]->config; tr[i] = keep[i]->trace; }
        _jit_flush_code(j);
        for (int i = 0; i < n; i++) {
            j->queue[i] = jit_cache_insert(j, pcs[i], phys[i], cfgs[i], tr[i]);
            if (!j->queue[i]) return;
            j->queue[i]->state = JIT_QUEUED;
        }
    }
    jit_entry_t *sent[JIT_MAX_BATCH];
    const uint8_t *req = NULL;
    uint32_t req_len = 0;
    double t_encode = _jit_now_ms();
    int ns = j->guest->encode(j, n, sent, &req, &req_len);
    if (ns == 0) return;
    if (_jit_send_async(j, sent, ns, req, req_len, t_encode)) return;
    double t0 = _jit_now_ms();
    int32_t slots[64];
    jit_host_cost_t cost = {0};
    int32_t got = -1;
#ifdef __EMSCRIPTEN__
    got = jit_host_compile(req, req_len, slots, (uint32_t)ns, &cost);
#else
    (void)slots;
    (void)req;
    (void)req_len;
#endif
    if (got == JIT_HOST_NOT_READY) {
        /* The compiler is still loading: not a request, not a failure. */
        for (int i = 0; i < ns; i++) jit_cache_release(j, sent[i]); /* retried when hot again */
        return;
    }
    j->waited = true;
    j->stats.blocking_compiles++;
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
        e->compiles++;                      /* the inspector's (jit_inspect.c) */
        e->request = (uint32_t)j->stats.requests;
        e->compile_ms = (float)(cost.build_ms + cost.write_ms + cost.compile_ms + cost.instantiate_ms);
        j->live_slots++;
        j->stats.functions++;
        if (e->blocks > 1) { j->stats.regions++; j->stats.region_blocks += e->blocks; }
        else j->stats.blocks++;
        if (e->n_loaded) j->stats.smc_load_functions++;
    }
    j->stats.live_functions = j->live_slots;
    /* The module came out bigger than reckoned: evict down to the bound now. */
    if (j->stats.code_bytes > j->cfg.max_bytes && !jit_cache_make_room(j, 0, 0)) _jit_flush_code(j);
}

/* Appends members to the JSON object in buf (which ends at buf[len - 1]
 * with its closing brace): fmt starts with a comma and ends with the brace. */
static void _jit_json_append(char *buf, size_t cap, const char *fmt, ...) {
    size_t len = strlen(buf);
    if (len == 0 || buf[len - 1] != '}') return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len - 1, cap - (len - 1), fmt, ap);
    va_end(ap);
}

/* The self-modifying code counters, appended to the statistics' JSON. */
static void _jit_smc_stats_json(const jit_stats_t *s, char *buf, size_t cap) {
    _jit_json_append(buf, cap,
             ",\"smcLoadFunctions\":%llu,\"smcOperandChanges\":%llu,\"smcOtherChanges\":%llu,\"backoffs\":%llu,"
             "\"givenUp\":%llu,\"spotsRecalled\":%llu,\"insnsHalted\":%llu,\"chained\":%llu,\"coreWrites\":%llu,"
             "\"retiered\":%llu,\"batchCovered\":%llu}",
             (unsigned long long)s->smc_load_functions, (unsigned long long)s->smc_operand_changes,
             (unsigned long long)s->smc_other_changes, (unsigned long long)s->backoffs,
             (unsigned long long)s->given_up, (unsigned long long)s->spots_recalled,
             (unsigned long long)s->insns_halted, (unsigned long long)s->chained,
             (unsigned long long)s->core_writes, (unsigned long long)s->retiered,
             (unsigned long long)s->batch_covered);
}

/* The asynchronous compile counters, appended the same way. */
static void _jit_async_stats_json(const jit_stats_t *s, char *buf, size_t cap) {
    _jit_json_append(buf, cap,
             ",\"asyncRequests\":%llu,\"asyncInstalled\":%llu,\"droppedResults\":%llu,\"asyncDeferred\":%llu,"
             "\"blockingCompiles\":%llu,\"runsWaited\":%llu,\"inFlight\":%u,\"asyncLatencyMs\":%.3f,"
             "\"asyncLatencyMaxMs\":%.3f,\"workerMs\":%.3f}",
             (unsigned long long)s->async_requests, (unsigned long long)s->async_installed,
             (unsigned long long)s->dropped_results, (unsigned long long)s->async_deferred,
             (unsigned long long)s->blocking_compiles, (unsigned long long)s->runs_waited, s->in_flight,
             s->async_latency_ms, s->async_latency_max_ms, s->worker_ms);
}

/* The frame profile's compile category covers the whole request. */
void jit_compile_queue(jit_t *j) {
    j->queue_runs = 0;
    PROF_PUSH(j->prof, PROF_COMPILE);
    _jit_compile_queue(j);
    PROF_POP(j->prof);
}

const char *jit_stats_json(const jit_t *j) {
    static char buf[3072];
    const jit_stats_t *s = &j->stats;
    double share = s->insns_total ? (double)s->insns_compiled / (double)s->insns_total : 0;
    snprintf(buf, sizeof buf,
             "{\"functions\":%llu,\"blocks\":%llu,\"regions\":%llu,\"regionBlocks\":%llu,\"requests\":%llu,"
             "\"compileFailures\":%llu,\"compileMs\":%.3f,\"buildMs\":%.3f,\"writeMs\":%.3f,"
             "\"wasmCompileMs\":%.3f,\"instantiateMs\":%.3f,\"cacheHits\":%llu,\"cacheMisses\":%llu,"
             "\"invalidations\":%llu,\"revalidations\":%llu,\"evictions\":%llu,\"flushes\":%llu,"
             "\"uncompilable\":%llu,\"insnsTotal\":%llu,\"insnsCompiled\":%llu,\"compiledShare\":%.6f,"
             "\"exits\":{\"normal\":%llu,\"deadline\":%llu,\"smc\":%llu,\"paged\":%llu},"
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
             (unsigned long long)s->exits[2], (unsigned long long)s->exits[3], (unsigned long long)s->lockstep_checks,
             (unsigned long long)s->lockstep_divergences, s->live_functions, (unsigned long long)s->code_bytes,
             (unsigned long long)s->bytes_generated, j->cfg.max_slots, j->cfg.max_bytes);
    _jit_smc_stats_json(s, buf, sizeof buf);
    _jit_async_stats_json(s, buf, sizeof buf);
    return buf;
}
