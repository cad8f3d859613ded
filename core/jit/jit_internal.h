/*
 * jit_internal.h: shared by the dynarec's core files: jit.c (dispatcher,
 * compile requests), jit_cache.c (entries, code map, invalidation),
 * jit_exports.c (what generated code calls) and jit_lockstep.c.
 */
#ifndef JIT_INTERNAL_H
#define JIT_INTERNAL_H

#include <stddef.h>

#include "jit/jit.h"
#include "jit/z80/jit_region.h"

enum { JIT_EMPTY, JIT_HOT, JIT_COMPILED, JIT_INVALID, JIT_UNCOMPILABLE, JIT_QUEUED, JIT_FREE /* in the free list */ };
enum { JIT_MAX_INVALIDATIONS = 4 };

typedef int32_t (*jit_fn_t)(z80_t *cpu, uint32_t until);

typedef struct jit_entry {
    struct jit_entry *next;  /* chain of entries at the same pc */
    uintptr_t bank;          /* read_page of the entry's 16K page */
    uint16_t pc;
    uint8_t trace;
    uint8_t state;
    uint8_t invalidations;
    uint8_t blocks;
    uint16_t base, lo, hi;   /* window start; covered span */
    uint8_t used;            /* looked up since the eviction sweep last passed */
    uint32_t hits;
    uint32_t hash;           /* xxHash32 of the covered bytes */
    int32_t slot;            /* table index (function pointer) or -1 */
    uint32_t bytes;          /* its share of its module's bytes while it holds a slot */
    uint8_t covered[JIT_REGION_WINDOW / 8];
} jit_entry_t;

typedef struct {
    uint8_t *read_page[4], *write_page[4];
    const uint8_t *contention;
    uint32_t contention_len;
    uint8_t contended_pages, hooked_pages;
    int32_t trap_pc;
} jit_machine_t;

typedef struct {
    jit_entry_t **v;
    uint32_t n, cap;
} jit_page_t;

struct jit_t {
    jit_config_t cfg;
    jit_stats_t stats;
    bool enabled, lockstep;
    jit_entry_t *by_pc[65536];
    jit_entry_t *pool;        /* cfg.max_slots entries */
    jit_entry_t *free_list;
    uint32_t free_entries;
    uint32_t hand;            /* the eviction sweep's position in the pool */
    uint32_t live_slots;
    jit_page_t pages[256];    /* entries (valid or not) built from each 256-byte page */
    uint8_t code_map[256];    /* map_count != 0, read by generated code */
    uint8_t tables[768];      /* sz53, sz53p, parity for generated code */
    jit_machine_t machine;    /* what the cache was built for */
    bool machine_known;
    jit_entry_t *running;     /* entry whose code runs now */
    uint16_t resume_pc;       /* where the last jit_run stopped, */
    bool resume_mid_block;    /* and whether that was inside a block */
    int smc_hit;              /* the running entry was invalidated */
    z80_write_hook_t chain_hook;
    uint8_t chain_pages;      /* the machine's own hooked pages */
    jit_entry_t *queue[64];
    int nqueue;
    char report[8192];        /* first lockstep divergence */
};

extern jit_t *jit_active; /* the instance inside jit_run (exports use it) */

/* jit_cache.c */
jit_entry_t *jit_cache_lookup(jit_t *j, uint16_t pc, uintptr_t bank, uint8_t trace);
jit_entry_t *jit_cache_insert(jit_t *j, uint16_t pc, uintptr_t bank, uint8_t trace);
void jit_cache_set_coverage(jit_t *j, jit_entry_t *e, const jit_region_t *r, uint16_t base, const z80_t *cpu);
bool jit_cache_revalidate(jit_t *j, jit_entry_t *e, const z80_t *cpu);
void jit_cache_release(jit_t *j, jit_entry_t *e); /* back to EMPTY, slot freed */
/* Evicts entries that were not used lately until `slots` more functions and
 * `bytes` more module bytes fit under the bounds with an eighth to spare,
 * and an eighth of the entries are free; false if that was not reached. */
bool jit_cache_make_room(jit_t *j, uint32_t slots, uint64_t bytes);
/* Invalidates entries covering addr; returns true if the running one was among them. */
bool jit_cache_invalidate(jit_t *j, uint16_t addr);
void jit_cache_flush(jit_t *j);
void jit_write_hook(void *user, uint16_t addr, uint8_t value, uint32_t t);

/* jit_lockstep.c: runs fn on cpu and the interpreter on a copy; compares. */
int32_t jit_lockstep_call(jit_t *j, jit_entry_t *e, jit_fn_t fn, z80_t *cpu, uint32_t until);

#endif
