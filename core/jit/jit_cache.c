/*
 * jit_cache.c: the code cache, on physical memory (jit_internal.h). Entries
 * are keyed by (logical pc, physical address, configuration) in a per-pc
 * chain; each remembers which physical bytes its function was built from (a
 * bitmap over its window) and their xxHash32. Each physical 256-byte page
 * lists the entries built from it; the logical code map (a byte per logical
 * page, read by generated code and the write hooks) is derived from those
 * lists through the current mapping. A store into covered bytes, through
 * whichever logical address maps them, invalidates the entry. An
 * invalidated entry keeps its function: when its pc is reached again and
 * the bytes hash the same (code patched and patched back, or rewritten with
 * the same bytes), it is reused without compiling.
 *
 * Self-modifying code without storms (DESIGN.md): a store into covered
 * bytes is noted as one into an operand the load form can read at run time
 * (the front end's `loadable` bytes) or into other bytes. When an
 * invalidated entry's bytes really changed:
 *   - operands only: compiled again at once; from the JIT_SMC_LOAD_AFTER-th
 *     such change in the load form, where the patched operand bytes are
 *     read from guest memory when their instruction runs and are not
 *     covered, so patching them no longer invalidates anything; those
 *     bytes are then known by physical address, and any other entry
 *     compiled over them loads them from the start;
 *   - other bytes (opcodes, operands the load form cannot read): compiled
 *     again at once JIT_BACKOFF_AFTER times, then only after waiting
 *     JIT_BACKOFF_BASE executions, doubling with each change (a storm
 *     costs O(log executions) compiles), and left to the interpreter
 *     after JIT_GIVE_UP_AFTER.
 * What was learnt is kept per spot (pc, physical address, configuration)
 * in a bounded table that eviction and the cache's own flushes leave
 * alone: an evicted entry that comes back is given up, backed off or in
 * the load form as before (a program rewriting many routines once made
 * the cache compile given-up entries again after every eviction).
 */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include "xxhash.h"

#include "jit/jit_host.h"
#include "jit/jit_internal.h"

/* The logical pages through which stores reach physical page p get p's state. */
static void _jit_map_page_changed(jit_t *j, uint32_t p) {
    unsigned bits = j->guest->slot_bits;
    uint32_t slot_pages = 1u << (bits - 8), n_slots = JIT_LOGICAL_PAGES / slot_pages;
    for (uint32_t s = 0; s < n_slots; s++) {
        uint32_t w = j->view.write[s];
        if (w == JIT_UNMAPPED || p < (w >> 8) || p >= (w >> 8) + slot_pages) continue;
        j->code_map[s * slot_pages + (p - (w >> 8))] = j->lockstep || j->pages[p].n != 0;
    }
}

void jit_cache_derive_code_map(jit_t *j) {
    unsigned bits = j->guest->slot_bits;
    uint32_t slot_pages = 1u << (bits - 8);
    for (uint32_t lp = 0; lp < JIT_LOGICAL_PAGES; lp++) {
        uint32_t w = j->view.write[lp / slot_pages];
        uint32_t p = w == JIT_UNMAPPED ? 0 : (w >> 8) + lp % slot_pages;
        j->code_map[lp] = j->lockstep || (w != JIT_UNMAPPED && p < j->n_pages && j->pages[p].n != 0);
    }
}

/* Each physical 256-byte page lists the entries built from it. */
static void _jit_map_add(jit_t *j, jit_entry_t *e, int delta) {
    if (e->hi < e->lo) return;
    for (uint32_t p = e->lo >> 8; p <= e->hi >> 8; p++) {
        jit_page_t *pg = &j->pages[p];
        uint32_t before = pg->n;
        if (delta > 0) {
            if (pg->n == pg->cap) {
                pg->cap = pg->cap ? pg->cap * 2 : 8;
                pg->v = realloc(pg->v, pg->cap * sizeof *pg->v);
                if (!pg->v) abort();
            }
            pg->v[pg->n++] = e;
        } else {
            for (uint32_t i = 0; i < pg->n; i++)
                if (pg->v[i] == e) { pg->v[i] = pg->v[--pg->n]; break; }
        }
        if ((before != 0) != (pg->n != 0)) _jit_map_page_changed(j, p);
    }
}

jit_entry_t *jit_cache_lookup(jit_t *j, uint16_t pc, uint32_t phys, uint8_t config) {
    for (jit_entry_t *e = j->by_pc[pc]; e; e = e->next)
        if (e->phys == phys && e->config == config) return e;
    return NULL;
}

/* ---- spots: what is learnt about self-modifying code, kept across eviction */

static uint32_t _jit_spot_home(uint32_t phys, uint16_t pc, uint32_t config_hash) {
    uint32_t h = phys * 0x9e3779b1u ^ (uint32_t)pc * 0x85ebca6bu ^ config_hash;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h % JIT_SPOTS;
}

/* How much a spot's record is worth keeping (the least is replaced). */
static unsigned _jit_spot_worth(const jit_spot_t *s) {
    if (!s->phys1) return 0;
    return s->given_up ? 1024u : 1u + s->operand_changes + s->other_changes;
}

/* The entry's spot; with `make`, created (replacing the least learnt of
 * its possible places) when missing. */
static jit_spot_t *_jit_spot(jit_t *j, const jit_entry_t *e, bool make) {
    if (!j->spots) {
        if (!make) return NULL;
        j->spots = calloc(JIT_SPOTS, sizeof *j->spots);
        if (!j->spots) abort();
    }
    uint32_t cfg = j->config_hash[e->config], home = _jit_spot_home(e->phys, e->pc, cfg);
    jit_spot_t *victim = NULL;
    for (uint32_t k = 0; k < JIT_SPOT_PROBES; k++) {
        jit_spot_t *s = &j->spots[(home + k) % JIT_SPOTS];
        if (s->phys1 == e->phys + 1 && s->pc == e->pc && s->config_hash == cfg) return s;
        if (!victim || _jit_spot_worth(s) < _jit_spot_worth(victim)) victim = s;
    }
    if (!make) return NULL;
    memset(victim, 0, sizeof *victim);
    victim->phys1 = e->phys + 1;
    victim->pc = e->pc;
    victim->config_hash = cfg;
    return victim;
}

static void _jit_spot_save(jit_t *j, const jit_entry_t *e) {
    jit_spot_t *s = _jit_spot(j, e, true);
    s->given_up = e->state == JIT_UNCOMPILABLE;
    s->operand_changes = e->operand_changes;
    s->other_changes = e->other_changes;
    s->n_patched = e->n_patched;
    memcpy(s->patched, e->patched, sizeof s->patched);
}

void jit_cache_forget_spots(jit_t *j) {
    if (j->spots) memset(j->spots, 0, JIT_SPOTS * sizeof *j->spots);
    if (j->patched_operands) memset(j->patched_operands, 0, JIT_PATCHED_OPERANDS * sizeof *j->patched_operands);
}

/* The entry's patched operand bytes become known to every entry (a small
 * direct-mapped set: a newer byte takes an older one's place). */
static void _jit_publish_patched(jit_t *j, const jit_entry_t *e) {
    if (!j->patched_operands) {
        j->patched_operands = calloc(JIT_PATCHED_OPERANDS, sizeof *j->patched_operands);
        if (!j->patched_operands) abort();
    }
    for (uint32_t i = 0; i < e->n_patched; i++) {
        uint32_t phys = e->phys + (uint32_t)(int32_t)e->patched[i];
        j->patched_operands[(phys * 0x9e3779b1u >> 20) % JIT_PATCHED_OPERANDS] = phys + 1;
    }
}

bool jit_cache_patched_operands(const jit_t *j, uint32_t phys, uint32_t len, uint8_t *bits) {
    bool any = false;
    if (!j->patched_operands) return false;
    for (uint32_t i = 0; i < JIT_PATCHED_OPERANDS; i++) {
        uint32_t off = j->patched_operands[i] - 1 - phys;
        if (j->patched_operands[i] && off < len) {
            bits[off >> 3] |= (uint8_t)(1u << (off & 7));
            any = true;
        }
    }
    return any;
}

/* How the entry is compiled next, from what is known of it: the load
 * form, a back-off, or not at all. */
static void _jit_smc_policy(jit_entry_t *e) {
    e->load_form = e->operand_changes >= JIT_SMC_LOAD_AFTER;
    e->hold = 0;
    if (e->other_changes >= JIT_GIVE_UP_AFTER) {
        e->state = JIT_UNCOMPILABLE;
    } else if (e->other_changes >= JIT_BACKOFF_AFTER) {
        e->hold = (uint32_t)JIT_BACKOFF_BASE << (e->other_changes - JIT_BACKOFF_AFTER);
    }
}

/* A new entry takes up what its spot learnt before it was evicted or flushed. */
static void _jit_spot_recall(jit_t *j, jit_entry_t *e) {
    const jit_spot_t *s = _jit_spot(j, e, false);
    if (!s) return;
    e->operand_changes = s->operand_changes;
    e->other_changes = s->other_changes;
    e->n_patched = s->n_patched;
    memcpy(e->patched, s->patched, sizeof e->patched);
    _jit_smc_policy(e);
    if (s->given_up) e->state = JIT_UNCOMPILABLE;
    j->stats.spots_recalled++;
}

void jit_cache_give_up(jit_t *j, jit_entry_t *e) {
    e->state = JIT_UNCOMPILABLE;
    j->stats.uncompilable++;
    _jit_spot_save(j, e);
}

jit_entry_t *jit_cache_insert(jit_t *j, uint16_t pc, uint32_t phys, uint8_t config, uint8_t trace) {
    if (!j->free_list) jit_cache_make_room(j, 0, 0);
    jit_entry_t *e = j->free_list;
    if (!e) return NULL;
    j->free_list = e->next;
    j->free_entries--;
    memset(e, 0, sizeof *e);
    e->pc = pc;
    e->phys = phys;
    e->config = config;
    e->trace = trace;
    e->slot = -1;
    e->used = 1;
    e->born = j->runs;
    e->hi = 0;
    e->lo = 1; /* empty span */
    e->next = j->by_pc[pc];
    j->by_pc[pc] = e;
    _jit_spot_recall(j, e);
    return e;
}

static uint32_t _jit_hash(const jit_t *j, const jit_entry_t *e) {
    uint8_t buf[JIT_WINDOW];
    size_t n = 0;
    for (uint32_t off = 0; off < JIT_WINDOW; off++)
        if (e->covered[off >> 3] & (1u << (off & 7))) buf[n++] = j->phys[e->window + off];
    return XXH32(buf, n, e->pc);
}

void jit_cache_cover(jit_t *j, jit_entry_t *e, uint16_t base, const uint8_t *covered, uint16_t lo, uint16_t hi,
                     uint8_t blocks, const uint8_t *loadable, uint16_t n_loaded) {
    e->base = base;
    e->window = e->phys - (uint16_t)(e->pc - base);
    memcpy(e->covered, covered, sizeof e->covered);
    if (loadable) memcpy(e->loadable, loadable, sizeof e->loadable);
    else memset(e->loadable, 0, sizeof e->loadable);
    e->n_loaded = n_loaded;
    e->other_hit = 0;
    e->lo = e->window + (uint16_t)(lo - base);
    e->hi = e->window + (uint16_t)(hi - base);
    e->blocks = blocks;
    e->hash = _jit_hash(j, e);
    e->debug_gen = 0; /* new coverage: the debugger's answer is asked again */
    _jit_map_add(j, e, 1);
}

bool jit_cache_revalidate(jit_t *j, jit_entry_t *e) {
    if (_jit_hash(j, e) != e->hash) return false;
    e->state = JIT_COMPILED;
    e->other_hit = 0;
    j->stats.revalidations++;
    return true;
}

/* The entry's bytes really changed since it was compiled: counted, and
 * what it means for its next compile decided and remembered in its spot. */
static void _jit_learn_change(jit_t *j, jit_entry_t *e) {
    bool other = e->other_hit || !e->n_patched;
    if (other) {
        if (e->other_changes < 255) e->other_changes++;
        j->stats.smc_other_changes++;
    } else {
        if (e->operand_changes < 255) e->operand_changes++;
        j->stats.smc_operand_changes++;
    }
    e->other_hit = 0;
    _jit_smc_policy(e);
    if (e->load_form) _jit_publish_patched(j, e);
    if (e->state == JIT_UNCOMPILABLE) {
        j->stats.uncompilable++;
        j->stats.given_up++;
    } else if (e->hold) {
        j->stats.backoffs++;
    }
    _jit_spot_save(j, e);
}

uint32_t jit_cache_hash(const jit_t *j, const jit_entry_t *e) { return _jit_hash(j, e); }

void jit_cache_drop_changed(jit_t *j, jit_entry_t *e) {
    jit_cache_release(j, e);
    _jit_learn_change(j, e);
}

void jit_cache_reconsider(jit_t *j, jit_entry_t *e) {
    if (jit_cache_revalidate(j, e)) return;
    jit_cache_release(j, e);
    _jit_learn_change(j, e);
}

static void _jit_free_slot(jit_t *j, jit_entry_t *e) {
    if (e->slot < 0) return;
#ifdef __EMSCRIPTEN__
    jit_host_release(e->slot);
#endif
    e->slot = -1;
    j->live_slots--;
    j->stats.live_functions = j->live_slots;
    j->stats.code_bytes -= e->bytes;
    e->bytes = 0;
}

/* Whether e was built from physical byte p (one of its covered bytes). */
static bool _jit_covers(const jit_entry_t *e, uint32_t p) {
    uint32_t off = p - e->window;
    return p >= e->lo && p <= e->hi && off < JIT_WINDOW && (e->covered[off >> 3] & (1u << (off & 7)));
}

bool jit_cache_covered_wait(const jit_t *j, const jit_entry_t *e) {
    if (e->hits > JIT_COVERED_FACTOR * (uint64_t)(j->cfg.threshold + e->hold) || (e->phys >> 8) >= j->n_pages ||
        e->hits > JIT_REENTRY_RATE * (uint64_t)(j->runs - e->born + 1))
        return false;
    const jit_page_t *pg = &j->pages[e->phys >> 8];
    for (uint32_t i = 0; i < pg->n; i++) {
        const jit_entry_t *f = pg->v[i];
        if (f != e && f->state == JIT_COMPILED && f->config == e->config && f->trace == e->trace && _jit_covers(f, e->phys))
            return true;
    }
    return false;
}

void jit_cache_release(jit_t *j, jit_entry_t *e) {
    _jit_free_slot(j, e);
    _jit_map_add(j, e, -1);
    e->lo = 1;
    e->hi = 0;
    e->state = JIT_EMPTY;
    e->hits = 0;
}

void jit_cache_release_hot(jit_t *j, jit_entry_t *e) {
    jit_cache_release(j, e);
    e->hits = j->cfg.threshold + e->hold;
}

bool jit_cache_retier(jit_t *j, jit_entry_t *e) {
    e->profile = JIT_PROFILE_DONE;
    int n = 0;
    for (int k = 0; k < e->n_targets; k++)
        if ((uint32_t)e->target_hits[k] * 8 >= e->indirect_exits) {
            e->targets[n] = e->targets[k];
            e->target_hits[n++] = e->target_hits[k];
        }
    e->n_targets = (uint8_t)n;
    if (!n) return false;
    jit_cache_release_hot(j, e);
    j->stats.retiered++;
    return true;
}

static void _jit_to_free_list(jit_t *j, jit_entry_t *e) {
    e->state = JIT_FREE;
    e->next = j->free_list;
    j->free_list = e;
    j->free_entries++;
}

/* Drops an entry altogether: its function, its place in the code map and
 * its chain, and its hotness. */
static void _jit_evict(jit_t *j, jit_entry_t *e) {
    /* An invalidated entry evicted before it was reached again: the change
     * is learnt now, or a program whose routines change faster than they
     * stay in the cache would be compiled again and again. */
    if (e->state == JIT_INVALID && _jit_hash(j, e) != e->hash) _jit_learn_change(j, e);
    jit_cache_release(j, e);
    jit_entry_t **link = &j->by_pc[e->pc];
    while (*link != e) link = &(*link)->next;
    *link = e->next;
    _jit_to_free_list(j, e);
    j->stats.evictions++;
}

static bool _jit_room(const jit_t *j, uint32_t slots, uint64_t bytes) {
    uint32_t max = j->cfg.max_slots;
    return j->free_entries >= (max + 7) / 8 && j->live_slots + slots <= max - max / 8 &&
           j->stats.code_bytes + bytes <= j->cfg.max_bytes - j->cfg.max_bytes / 8;
}

/* A second-chance ("clock") sweep over the pool: an entry looked up since
 * the hand last passed is spared once. Queued entries and the running one
 * stay. Two turns of the hand at most. Entries of other mappings and
 * configurations are swept like any other: they are not looked up while
 * their mapping is away. */
bool jit_cache_make_room(jit_t *j, uint32_t slots, uint64_t bytes) {
    uint32_t max = j->cfg.max_slots;
    for (uint32_t step = 0; step < 2 * max && !_jit_room(j, slots, bytes); step++) {
        jit_entry_t *e = &j->pool[j->hand];
        j->hand = (j->hand + 1) % max;
        if (e->state == JIT_FREE || e->state == JIT_QUEUED || e == j->running) continue;
        if (e->used) {
            e->used = 0;
            continue;
        }
        _jit_evict(j, e);
    }
    return _jit_room(j, slots, bytes);
}

/* A store hit covered byte phys (window offset off) of e: an operand the
 * load form could read (remembered), or another byte. */
static void _jit_note_store(jit_entry_t *e, uint32_t phys, uint32_t off) {
    if (!(e->loadable[off >> 3] & (1u << (off & 7)))) {
        e->other_hit = 1;
        return;
    }
    int16_t rel = (int16_t)(int32_t)(phys - e->phys);
    for (uint32_t i = 0; i < e->n_patched; i++)
        if (e->patched[i] == rel) return;
    if (e->n_patched == JIT_SMC_MAX_PATCHED) {
        e->other_hit = 1;
        return;
    }
    e->patched[e->n_patched++] = rel;
}

/* Where stores invalidated code, per physical byte (the inspector's map). */
static void _jit_note_inval(jit_t *j, uint32_t phys) {
    if (!j->inval_map) {
        j->inval_map = calloc(j->phys_size ? j->phys_size : 1, sizeof *j->inval_map);
        if (!j->inval_map) return; /* only the inspector's map is missing then */
    }
    if (j->inval_map[phys] != UINT16_MAX) j->inval_map[phys]++;
}

bool jit_cache_invalidate(jit_t *j, uint32_t phys) {
    if (phys >= j->phys_size) return false;
    bool hit_running = false;
    jit_page_t *pg = &j->pages[phys >> 8];
    for (uint32_t i = 0; i < pg->n; i++) {
        jit_entry_t *e = pg->v[i];
        /* (a QUEUED entry with coverage is in an asynchronous request: the
         * store is noted for when its result arrives) */
        if ((e->state != JIT_COMPILED && e->state != JIT_INVALID && e->state != JIT_QUEUED) || !_jit_covers(e, phys))
            continue;
        _jit_note_store(e, phys, phys - e->window);
        if (e->state != JIT_COMPILED) continue;
        e->state = JIT_INVALID;
        j->stats.invalidations++;
        e->invalidations++;
        _jit_note_inval(j, phys);
        if (e == j->running) hit_running = true;
    }
    return hit_running;
}

bool jit_cache_store(jit_t *j, uint16_t addr) {
    uint32_t phys = jit_phys_write(j, addr);
    if (phys == JIT_UNMAPPED) return false;
    if (j->lockstep) jit_shadow_mark(j, phys);
    return jit_cache_invalidate(j, phys);
}

void jit_cache_flush(jit_t *j) {
    for (int pc = 0; pc < 65536; pc++) {
        jit_entry_t *e = j->by_pc[pc];
        while (e) {
            jit_entry_t *next = e->next;
            if (e->state == JIT_INVALID && _jit_hash(j, e) != e->hash) _jit_learn_change(j, e); /* as _jit_evict */
            _jit_free_slot(j, e);
            _jit_to_free_list(j, e);
            e = next;
        }
        j->by_pc[pc] = NULL;
    }
    for (uint32_t p = 0; p < j->n_pages; p++) j->pages[p].n = 0;
    memset(j->code_map, j->lockstep, sizeof j->code_map);
    j->nqueue = 0;
    jit_async_forget(j);
    j->stats.flushes++;
}

void jit_cache_set_phys(jit_t *j, const uint8_t *phys, uint32_t size) {
    if (j->phys_size) jit_cache_flush(j);
    jit_cache_forget_spots(j); /* physical addresses of another memory */
    for (uint32_t p = 0; p < j->n_pages; p++) free(j->pages[p].v);
    free(j->pages);
    free(j->inval_map);
    j->inval_map = NULL;
    j->phys = phys;
    j->phys_size = size;
    j->shadow.stale = true;
    j->n_pages = (size + 255) / 256;
    j->pages = j->n_pages ? calloc(j->n_pages, sizeof *j->pages) : NULL;
    if (j->n_pages && !j->pages) abort();
}

void jit_invalidate_phys(jit_t *j, uint32_t phys, uint32_t len) {
    for (uint32_t p = phys; p - phys < len && p < j->phys_size; p++) {
        jit_page_t *pg = &j->pages[p >> 8];
        for (uint32_t i = 0; i < pg->n;) {
            jit_entry_t *e = pg->v[i];
            if (!_jit_covers(e, p) || (e->state != JIT_COMPILED && e->state != JIT_INVALID) || e == j->running) {
                i++;
                continue;
            }
            jit_cache_release(j, e); /* takes e out of this page's list: v[i] is another entry now */
            j->stats.invalidations++;
        }
    }
}
