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
 * the same bytes), it is reused without compiling. After
 * JIT_MAX_INVALIDATIONS genuine changes an entry is left to the interpreter
 * for good (DESIGN.md: thrashing on self-modifying code).
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
    e->hi = 0;
    e->lo = 1; /* empty span */
    e->next = j->by_pc[pc];
    j->by_pc[pc] = e;
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
                     uint8_t blocks) {
    e->base = base;
    e->window = e->phys - (uint16_t)(e->pc - base);
    memcpy(e->covered, covered, sizeof e->covered);
    e->lo = e->window + (uint16_t)(lo - base);
    e->hi = e->window + (uint16_t)(hi - base);
    e->blocks = blocks;
    e->hash = _jit_hash(j, e);
    _jit_map_add(j, e, 1);
}

bool jit_cache_revalidate(jit_t *j, jit_entry_t *e) {
    if (_jit_hash(j, e) != e->hash) return false;
    e->state = JIT_COMPILED;
    j->stats.revalidations++;
    return true;
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

void jit_cache_release(jit_t *j, jit_entry_t *e) {
    _jit_free_slot(j, e);
    _jit_map_add(j, e, -1);
    e->lo = 1;
    e->hi = 0;
    e->state = JIT_EMPTY;
    e->hits = 0;
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

bool jit_cache_invalidate(jit_t *j, uint32_t phys) {
    if (phys >= j->phys_size) return false;
    bool hit_running = false;
    jit_page_t *pg = &j->pages[phys >> 8];
    for (uint32_t i = 0; i < pg->n; i++) {
        jit_entry_t *e = pg->v[i];
        if (e->state != JIT_COMPILED || phys < e->lo || phys > e->hi) continue;
        uint32_t off = phys - e->window;
        if (off >= JIT_WINDOW || !(e->covered[off >> 3] & (1u << (off & 7)))) continue;
        e->state = JIT_INVALID;
        j->stats.invalidations++;
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
            _jit_free_slot(j, e);
            _jit_to_free_list(j, e);
            e = next;
        }
        j->by_pc[pc] = NULL;
    }
    for (uint32_t p = 0; p < j->n_pages; p++) j->pages[p].n = 0;
    memset(j->code_map, j->lockstep, sizeof j->code_map);
    j->nqueue = 0;
    j->stats.flushes++;
}

void jit_cache_set_phys(jit_t *j, const uint8_t *phys, uint32_t size) {
    if (j->phys_size) jit_cache_flush(j);
    for (uint32_t p = 0; p < j->n_pages; p++) free(j->pages[p].v);
    free(j->pages);
    j->phys = phys;
    j->phys_size = size;
    j->shadow.stale = true;
    j->n_pages = (size + 255) / 256;
    j->pages = j->n_pages ? calloc(j->n_pages, sizeof *j->pages) : NULL;
    if (j->n_pages && !j->pages) abort();
}
