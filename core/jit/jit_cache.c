/*
 * jit_cache.c: the code cache. Entries are keyed by (pc, bank, trace) in a
 * per-pc chain; each remembers which guest bytes its function was built
 * from (a bitmap over its window) and their xxHash32. A per-256-byte-page
 * count of such entries is the "code map": generated stores and the
 * dynarec's write hook consult it, and a store into covered bytes
 * invalidates the entry. An invalidated entry keeps its function: when its
 * pc is reached again and the bytes hash the same (code patched and patched
 * back, or rewritten with the same bytes), it is reused without compiling.
 * After JIT_MAX_INVALIDATIONS genuine changes an entry is left to the
 * interpreter for good (DESIGN.md: thrashing on self-modifying code).
 */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include "xxhash.h"

#include "jit/jit_host.h"
#include "jit/jit_internal.h"

/* Each 256-byte page lists the entries built from it. */
static void _jit_map_add(jit_t *j, jit_entry_t *e, int delta) {
    if (e->hi < e->lo) return;
    for (unsigned p = e->lo >> 8; p <= (unsigned)(e->hi >> 8); p++) {
        jit_page_t *pg = &j->pages[p];
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
        j->code_map[p] = pg->n != 0;
    }
}

jit_entry_t *jit_cache_lookup(jit_t *j, uint16_t pc, uintptr_t bank, uint8_t trace) {
    for (jit_entry_t *e = j->by_pc[pc]; e; e = e->next)
        if (e->bank == bank && e->trace == trace) return e;
    return NULL;
}

jit_entry_t *jit_cache_insert(jit_t *j, uint16_t pc, uintptr_t bank, uint8_t trace) {
    if (!j->free_list) jit_cache_make_room(j, 0, 0);
    jit_entry_t *e = j->free_list;
    if (!e) return NULL;
    j->free_list = e->next;
    j->free_entries--;
    memset(e, 0, sizeof *e);
    e->pc = pc;
    e->bank = bank;
    e->trace = trace;
    e->slot = -1;
    e->used = 1;
    e->hi = 0;
    e->lo = 1; /* empty span */
    e->next = j->by_pc[pc];
    j->by_pc[pc] = e;
    return e;
}

static uint32_t _jit_hash(const jit_entry_t *e, const z80_t *cpu) {
    uint8_t buf[JIT_REGION_WINDOW];
    size_t n = 0;
    for (int off = 0; off < JIT_REGION_WINDOW; off++)
        if (e->covered[off >> 3] & (1u << (off & 7))) buf[n++] = z80_peek(cpu, (uint16_t)(e->base + off));
    return XXH32(buf, n, e->pc);
}

void jit_cache_set_coverage(jit_t *j, jit_entry_t *e, const jit_region_t *r, uint16_t base, const z80_t *cpu) {
    e->base = base;
    memcpy(e->covered, r->covered, sizeof e->covered);
    e->lo = r->lo;
    e->hi = r->hi;
    e->blocks = (uint8_t)r->n_blocks;
    e->hash = _jit_hash(e, cpu);
    _jit_map_add(j, e, 1);
}

bool jit_cache_revalidate(jit_t *j, jit_entry_t *e, const z80_t *cpu) {
    if (_jit_hash(e, cpu) != e->hash) return false;
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
 * stay. Two turns of the hand at most. */
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

bool jit_cache_invalidate(jit_t *j, uint16_t addr) {
    bool hit_running = false;
    jit_page_t *pg = &j->pages[addr >> 8];
    for (uint32_t i = 0; i < pg->n; i++) {
        jit_entry_t *e = pg->v[i];
        if (e->state != JIT_COMPILED || addr < e->lo || addr > e->hi) continue;
        uint16_t off = (uint16_t)(addr - e->base);
        if (off >= JIT_REGION_WINDOW || !(e->covered[off >> 3] & (1u << (off & 7)))) continue;
        e->state = JIT_INVALID;
        j->stats.invalidations++;
        if (e == j->running) hit_running = true;
    }
    return hit_running;
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
    for (int p = 0; p < 256; p++) j->pages[p].n = 0;
    memset(j->code_map, 0, sizeof j->code_map);
    j->nqueue = 0;
    j->stats.flushes++;
}

/* Stores by the interpreter (and hooked stores from compiled code) pass
 * here: pages with compiled code are hooked while the dynarec runs. */
void jit_write_hook(void *user, uint16_t addr, uint8_t value, uint32_t t) {
    jit_t *j = jit_active;
    if (j) {
        if (j->code_map[addr >> 8] && jit_cache_invalidate(j, addr)) j->smc_hit = 1;
        if (((j->chain_pages >> (addr >> 14)) & 1) && j->chain_hook) j->chain_hook(user, addr, value, t);
    }
}
