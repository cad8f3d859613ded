/*
 * jit_internal.h: shared by the dynarec's guest-neutral runtime (jit.c:
 * dispatcher, compile queue; jit_cache.c: entries, code map, invalidation)
 * and its guest front ends (core/jit/z80/), which implement jit_guest_t.
 *
 * Physical memory: the machine's ROM and RAM banks as one host block; a
 * physical address is an offset in it. The guest's 64K logical space is cut
 * into mapping slots (2^slot_bits bytes each; the Z80: four 16K pages),
 * each mapped to a physical address for reads and one for writes (a view,
 * jit_view_t). Compiled code is keyed by (logical pc, physical address of
 * the entry, configuration); coverage and the per-page entry lists are on
 * physical 256-byte pages. Generated code reads a byte per LOGICAL 256-byte
 * page (code_map): it is re-derived from the physical lists whenever the
 * mapping changes, so generated code never needs to know about banks.
 *
 * Self-modifying code (jit_cache.c): stores into covered bytes are noted
 * per entry as operand bytes the load form can read at run time
 * (`loadable`, from the front end) or not. An entry whose bytes really
 * changed is compiled again: at once, in the load form once its operands
 * were patched JIT_SMC_LOAD_AFTER times, after an exponential back-off in
 * executions once its other bytes changed JIT_BACKOFF_AFTER times, never
 * after JIT_GIVE_UP_AFTER. What is learnt about a spot is kept in a
 * bounded table (jit_spot_t) that eviction and the cache's own flushes do
 * not clear, so a given-up or load-form spot comes back as it was.
 */
#ifndef JIT_INTERNAL_H
#define JIT_INTERNAL_H

#include <stddef.h>

#include "jit/jit.h"
#include "jit/jit_request.h"

/* Functions the host or generated code calls by their export name. */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define JIT_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define JIT_EXPORT
#endif

enum { JIT_EMPTY, JIT_HOT, JIT_COMPILED, JIT_INVALID, JIT_UNCOMPILABLE, JIT_QUEUED, JIT_FREE /* in the free list */ };
/* jit_entry_t.profile: its indirect jumps' profile */
enum {
    JIT_PROFILE_RECORDING, /* exits recorded (jit_cache_note_target) */
    JIT_PROFILE_READY,     /* enough: compiled again when the dispatcher next reaches it (jit_cache_retier) */
    JIT_PROFILE_DONE,      /* compiled with its targets (or none took a fair share); no longer recorded */
};
enum {
    JIT_SMC_LOAD_AFTER = 2,     /* changes of loadable operand bytes before the load form */
    JIT_BACKOFF_AFTER = 3,      /* changes of other bytes compiled again at once */
    JIT_BACKOFF_BASE = 64,      /* executions waited after the first backed-off change (then doubling) */
    JIT_GIVE_UP_AFTER = 8,      /* changes of other bytes before the spot is left to the interpreter */
    JIT_SMC_MAX_PATCHED = 64,   /* patched operand bytes remembered per entry; more count as other bytes
                                 * (16 was too few: an unrolled tile blitter patches 21, game_smc.asm) */
    JIT_SPOTS = 4096,           /* spots remembered (jit_spot_t) */
    JIT_SPOT_PROBES = 8,        /* places a spot may take in the table (the least learnt is replaced) */
    JIT_PATCHED_OPERANDS = 1024, /* operand bytes known to be patched (by physical address), remembered */
};

enum {
    JIT_LOGICAL_PAGES = 256,  /* 256-byte pages of the 64K logical space: the code map's size */
    JIT_WINDOW = 1024,        /* bytes of guest code one function is built from, at most */
    JIT_MAX_SLOTS = 16,       /* mapping slots of the logical space */
    JIT_CONFIG_BYTES = 48,    /* a configuration key (what a guest bakes into its code) */
    JIT_MAX_CONFIGS = 32,     /* configurations remembered; passing it flushes */
    JIT_MAX_BATCH = 64,
    JIT_MAX_FLIGHTS = 4,      /* asynchronous requests in flight at once, per instance */
    JIT_PROFILE_TARGETS = 8,  /* targets of indirect jumps recorded per entry (jit_entry_t.targets) */
    /* Indirect-jump exits seen before an entry is compiled with its targets
     * (jit_config_t.profile_exits' default): 2^20, about half a minute of
     * game_logic's jump table. At 256 (its first few frames) the recompile
     * made game-logic's first 1,500 frames ~1.4x slower and its warm ones no
     * faster, since batches leave out the blocks other regions hold
     * (README, Benchmarks); jitOptions.profileExits sets it. */
    JIT_PROFILE_EXITS = 1u << 20,
    JIT_COVERED_FACTOR = 8, /* jit_cache_covered_wait: how much longer a re-entered block waits */
    JIT_REENTRY_RATE = 4,   /* ... when reached at most this many times a run on average */
};
#define JIT_UNMAPPED 0xffffffffu


/* A compiled function: i32 f(cpu, until). */
typedef int32_t (*jit_fn_t)(void *cpu, uint32_t until);

typedef struct jit_entry {
    struct jit_entry *next;  /* chain of entries at the same logical pc */
    uint32_t phys;           /* physical address of the entry */
    uint32_t window;         /* physical address of the window (the entry's bytes are within it) */
    uint32_t lo, hi;         /* covered span, physical; lo > hi: none */
    uint16_t pc;             /* the logical address it was compiled at (code bakes addresses in) */
    uint16_t base;           /* logical address of the window */
    uint8_t config;          /* index in jit_t.configs */
    uint8_t trace;           /* built for a traced CPU (also in its configuration) */
    uint8_t state;
    uint8_t blocks;
    uint8_t used;            /* looked up since the eviction sweep last passed */
    /* self-modifying code (jit_cache.c) */
    uint8_t operand_changes; /* real changes where only loadable operand bytes were stored to */
    uint8_t other_changes;   /* real changes where other bytes were */
    uint8_t other_hit;       /* since it was compiled: a store hit a covered byte not loadable */
    uint8_t load_form;       /* compile its patched operand bytes as loads */
    uint8_t n_patched;
    uint16_t n_loaded;       /* bytes its function loads at run time */
    int16_t patched[JIT_SMC_MAX_PATCHED]; /* loadable operand bytes stored to, from phys */
    /* The profile of its indirect jumps (JP (HL) & co: where they went
     * when no prediction matched, recorded by the guest's chaining;
     * jit_cache_note_target). Once cfg.profile_exits such exits were seen
     * it is compiled again with the targets that took a fair share of
     * them followed inside the function (`profile`: JIT_PROFILE_*). */
    uint16_t targets[JIT_PROFILE_TARGETS];
    uint32_t target_hits[JIT_PROFILE_TARGETS];
    uint32_t indirect_exits; /* recorded, the unlisted ones included */
    uint8_t n_targets;
    uint8_t profile;
    uint32_t hold;           /* executions to wait, beyond the threshold, before compiling (back-off) */
    uint32_t born;           /* jit_t.runs when it was inserted: how often it is reached is hits / age */
    uint32_t hits;
    uint32_t hash;           /* xxHash32 of the covered bytes */
    int32_t slot;            /* table index (function pointer) or -1 */
    uint32_t bytes;          /* its share of its module's bytes while it holds a slot */
    uint32_t ticket;         /* QUEUED and sent: the asynchronous request compiling it (jit_flight_t) */
    uint8_t covered[JIT_WINDOW / 8];
    uint8_t loadable[JIT_WINDOW / 8]; /* covered operand bytes the load form could read at run time */
    /* the debugger (jit_debug_t): gen its answer was found under (0: none), and the answer */
    uint32_t debug_gen;
    uint8_t debug_covers;     /* a byte it was built from is marked: never entered while debugging */
    /* the inspector's counters (jit_inspect.c), from insertion on: kept
     * when the entry is compiled again, cleared when it is evicted */
    uint32_t runs;           /* compiled runs (jit_run_entry) */
    uint32_t exits[JIT_EXIT_COUNT]; /* ... by the exit they took */
    uint32_t invalidations;  /* stores that invalidated it */
    uint32_t compiles;       /* times compiled */
    uint32_t request;        /* the compile request it was last built in (jit_stats_t.requests then) */
    float compile_ms;        /* that request's time (shared by its functions) */
    double ms;               /* time in its code while the frame profile is on */
} jit_entry_t;

/* What the cache learnt about a spot: an entry (logical pc, physical
 * address, configuration by the hash of its key, which outlives the
 * configuration table). */
typedef struct {
    uint32_t phys1;          /* physical address + 1; 0: free */
    uint32_t config_hash;
    uint16_t pc;
    uint8_t given_up;        /* left to the interpreter for good */
    uint8_t operand_changes, other_changes;
    uint8_t n_patched;
    int16_t patched[JIT_SMC_MAX_PATCHED];
} jit_spot_t;

typedef struct {
    jit_entry_t **v;
    uint32_t n, cap;
} jit_page_t;

typedef struct {
    uint8_t bytes[JIT_CONFIG_BYTES];
} jit_config_key_t;

/* What the guest's CPU looks like to the cache right now. */
typedef struct {
    const uint8_t *phys;               /* physical memory, or NULL: none (nothing compiles) */
    uint32_t phys_size;
    uint32_t read[JIT_MAX_SLOTS];      /* physical address of each slot (JIT_UNMAPPED: outside */
    uint32_t write[JIT_MAX_SLOTS];     /* physical memory, or stores dropped) */
    jit_config_key_t config;           /* zero-padded */
    uint8_t trace;
} jit_view_t;

/* Lockstep's copy of physical memory, on which the interpreter replays
 * each compiled run (a guest's lockstep, such as jit_z80_lockstep.c). It
 * is kept equal to physical memory instead of being copied before every
 * check: while lockstep is on every store the guest makes, compiled or
 * interpreted, reaches jit_cache_store (the code map reads "code here"
 * everywhere, so compiled stores call the core and every slot is hooked),
 * which marks its physical 256-byte page dirty. A check first copies the
 * dirty pages (all of memory when `stale`: at each run's start, since the
 * machine may have written memory between runs), runs both sides, compares
 * only the pages either side stored to, and copies them again. */
typedef struct {
    uint8_t *mem;
    uint32_t size;
    bool stale;       /* copy everything at the next sync */
    uint8_t *dirty;   /* per physical 256-byte page: stored to since the last sync */
    uint32_t *list;   /* the dirty pages, in the order first stored to */
    uint32_t n;
} jit_shadow_t;

enum {
    JIT_LOCKSTEP_REPORTS = 8,               /* divergences kept in full (the rest are counted) */
    JIT_LOCKSTEP_REPORT_BYTES = 16384,      /* one report's JSON, at most */
    JIT_LOCKSTEP_REPORTS_BYTES = 65536,     /* all of them, as one JSON array */
};

/* An asynchronous request in flight (jit.c): the entries it was built for
 * stay QUEUED (the interpreter runs them, they are not queued again, nor
 * evicted) with their coverage and its hash set, until the compiled module
 * comes back and each is installed or dropped. */
typedef struct {
    uint32_t ticket;          /* 0: free */
    int n;
    double t_sent;            /* ms */
    jit_entry_t *e[JIT_MAX_BATCH];
} jit_flight_t;

typedef struct jit_t jit_t;

/* A guest front end. `cpu` is the guest's CPU state (the Z80: z80_t). */
typedef struct {
    size_t state_size;    /* the front end's per-instance state (jit_t.guest_state, zeroed) */
    unsigned slot_bits;   /* log2 of a mapping slot's size */
    void (*init)(jit_t *j);                          /* once: fills jit_t.tables */
    /* A run's start and end: the front end routes the CPU's stores, port
     * writes etc. through itself (its hooks find the instance from cpu). */
    void (*attach)(jit_t *j, void *cpu);
    void (*detach)(jit_t *j, void *cpu);
    void (*view)(jit_t *j, const void *cpu, jit_view_t *out);
    /* Stores into these slots must reach jit_cache_store (bit n: slot n). */
    void (*hook_slots)(jit_t *j, void *cpu, uint32_t code_slots);
    uint32_t (*pc)(const void *cpu);
    uint64_t (*retired)(const void *cpu);       /* instructions run */
    /* Interprets until compiled code may be entered at a block start, or
     * the clock reaches `until`, or the CPU is at the machine's trap
     * address. Compiled code may be entered when no interrupt can be
     * accepted while it runs and the CPU is not halted; *block_start says
     * whether the CPU is at a block start (control went elsewhere, an
     * interrupt was taken, an interrupt window closed) and is kept up to
     * date. Returns true when stopped at a block start where compiled code
     * may run, false when the run is over. `interpret_only`: the dynarec is
     * disabled (same dispatch, nothing entered). */
    bool (*interpret)(void *cpu, uint32_t until, bool interpret_only, bool *block_start);
    /* Interprets one instruction (whatever may be pending); returns whether
     * the next one is a block start. */
    bool (*step)(void *cpu, uint32_t until);
    /* The guest's clock, in the unit of `until` (the debugger's loop). */
    uint32_t (*clock)(const void *cpu);
    /* The first entry of a request was queued: keep what the request is
     * built against (entries are queued under one mapping). */
    void (*queue_begin)(jit_t *j, const void *cpu);
    /* Builds the request for the n entries queued (j->queue): sets the coverage of the
     * entries it sends (jit_cache_cover), marks the others UNCOMPILABLE,
     * returns how many it sends (*req, *len: the request). */
    int (*encode)(jit_t *j, int n, jit_entry_t **sent, const uint8_t **req, uint32_t *len);
    /* Runs fn on cpu and the interpreter on a copy, compares; on a
     * divergence returns true and writes a report (when report != NULL): one
     * JSON object naming what differs (the front end's documentation says
     * which fields). */
    bool (*lockstep)(jit_t *j, const jit_entry_t *e, jit_fn_t fn, void *cpu, uint32_t until, int32_t *code,
                     char *report, size_t report_size);
} jit_guest_t;

struct jit_t {
    jit_config_t cfg;
    jit_stats_t stats;
    bool enabled, lockstep;
    bool no_chain;            /* compiled code returns to the dispatcher after every function (jit_chain) */
    uint32_t irq_return;      /* 1 + the pc an interrupt taken mid-code will return to, 0: none (jit_dispatch_at) */
    struct prof *prof;        /* the frame profile (platform/profile.h), NULL: off */
    const jit_guest_t *guest; /* bound by the first run */
    void *guest_state;
    jit_entry_t *by_pc[65536];
    jit_entry_t *pool;        /* cfg.max_slots entries */
    jit_entry_t *free_list;
    uint32_t free_entries;
    uint32_t hand;            /* the eviction sweep's position in the pool */
    uint32_t live_slots;
    uint32_t runs;            /* runs (frames) begun: entries' ages (jit_entry_t.born) */
    /* physical memory and how it is mapped now */
    const uint8_t *phys;
    uint32_t phys_size;
    jit_page_t *pages;        /* per physical 256-byte page: entries (valid or not) built from it */
    uint32_t n_pages;
    jit_view_t view;          /* the current view (valid when view_known) */
    bool view_known;
    uint32_t map_gen;         /* bumped whenever the mapping or configuration changes */
    jit_config_key_t configs[JIT_MAX_CONFIGS];
    uint32_t config_hash[JIT_MAX_CONFIGS]; /* xxHash32 of each key (spots are keyed by it) */
    uint32_t n_configs;
    jit_spot_t *spots;        /* JIT_SPOTS, allocated on first use */
    uint16_t *inval_map;      /* per physical byte: stores that invalidated code there (saturating), for the
                                 inspector; allocated at the first invalidation */
    uint32_t *patched_operands; /* JIT_PATCHED_OPERANDS physical addresses + 1 (0: none), allocated on first use:
                                   any function built over them loads them */
    uint8_t config_now;       /* index of view.config */
    uint8_t code_map[JIT_LOGICAL_PAGES]; /* nonzero: the physical page stored to there has code (lockstep: all
                                            nonzero); read by generated code */
    uint8_t tables[768];      /* constant tables generated code reads (the Z80: sz53, sz53p, parity) */
    uint32_t chain_pages;     /* slots the machine itself hooks (stores there reach its own write hook) */
    jit_entry_t *running;     /* entry whose code runs now */
    uint16_t resume_pc;       /* where the last run stopped, */
    bool resume_mid_block;    /* and whether that was inside a block */
    int smc_hit;              /* the running entry was invalidated */
    int view_changed;         /* a port write moved the view (paging): compiled code must leave */
    jit_entry_t *queue[JIT_MAX_BATCH];
    int nqueue;
    uint32_t queue_gen;       /* map_gen the queued entries were found under */
    uint32_t queue_runs;      /* run ends the queued entries have waited through (jit_config_t.batch_wait) */
    /* asynchronous compiles (jit.c) */
    jit_flight_t flights[JIT_MAX_FLIGHTS];
    uint32_t n_flights;
    uint32_t pending_functions; /* functions of the requests in flight */
    bool waited;              /* this run compiled synchronously */
    struct jit_t *next_instance; /* every live instance (a result finds its instance by its ticket) */
    /* lockstep */
    jit_shadow_t shadow;
    uint32_t reports_kept;
    size_t reports_len;
    char reports[JIT_LOCKSTEP_REPORTS_BYTES]; /* JSON array of the first divergences ("" if none) */
    char report[JIT_LOCKSTEP_REPORT_BYTES];   /* the one being written */
    jit_debug_t *debug;       /* a debugger's hold (jit.h), NULL: none */
};

/* jit.c, for the dispatcher (jit_dispatch.h) */
/* The first run binds the instance to its guest. */
void jit_bind(jit_t *j, const jit_guest_t *g);
/* Slots with code get hooked so that interpreted stores into them
 * invalidate (the front end chains the machine's own hook). */
void jit_update_hooks(jit_t *j, void *cpu);
/* Compiles the queued entries in one request. */
void jit_compile_queue(jit_t *j);
/* A run's start (installs the asynchronous results that arrived) and end
 * (counts a run that waited on a compile). */
void jit_run_begin(jit_t *j);
void jit_run_end(jit_t *j);
/* Forgets the requests in flight (the cache is flushed: their entries are
 * gone); their results are dropped when they arrive. */
void jit_async_forget(jit_t *j);
/* Re-reads the view (guest->view) and, when the mapping or configuration
 * moved, re-derives the logical code map and the hooked slots. Front ends
 * call it after anything that may page (a port write). */
void jit_view_update(jit_t *j, void *cpu);

/* A store landed on physical address phys (lockstep on). */
static inline void jit_shadow_mark(jit_t *j, uint32_t phys) {
    uint32_t p = phys >> 8;
    jit_shadow_t *sh = &j->shadow;
    if (phys < sh->size && !sh->dirty[p]) {
        sh->dirty[p] = 1;
        sh->list[sh->n++] = p;
    }
}
/* Brings the shadow level with physical memory (the dirty pages, or all
 * of it when stale) and clears the marks. */
void jit_shadow_sync(jit_t *j);
/* Keeps the report just written in j->report (while fewer than
 * JIT_LOCKSTEP_REPORTS are kept and it fits). */
void jit_lockstep_keep(jit_t *j);

/* jit.c: whether the entry was built over a byte the debugger marks */
bool jit_debug_covers(jit_t *j, jit_entry_t *e);

/* jit_cache.c */
jit_entry_t *jit_cache_lookup(jit_t *j, uint16_t pc, uint32_t phys, uint8_t config);
jit_entry_t *jit_cache_insert(jit_t *j, uint16_t pc, uint32_t phys, uint8_t config, uint8_t trace);
/* The bytes the entry's function is built from: `covered` marks window
 * offsets from logical address `base` (the window lies in the entry's slot,
 * so it is physically contiguous); [lo, hi] their logical span. `loadable`
 * (NULL: none) marks the covered operand bytes the load form could read at
 * run time; n_loaded bytes the function loads so (not covered). */
void jit_cache_cover(jit_t *j, jit_entry_t *e, uint16_t base, const uint8_t *covered, uint16_t lo, uint16_t hi,
                     uint8_t blocks, const uint8_t *loadable, uint16_t n_loaded);
bool jit_cache_revalidate(jit_t *j, jit_entry_t *e);
/* An invalidated entry was reached again: reused if its bytes hash the
 * same, else released to be compiled again (at once, in the load form, or
 * after a back-off: e->hold) or given up, as its history says. */
void jit_cache_reconsider(jit_t *j, jit_entry_t *e);
/* An asynchronous result for e arrived but the bytes it was built from
 * changed meanwhile: released, and the change learnt as an invalidated
 * entry's would be. */
void jit_cache_drop_changed(jit_t *j, jit_entry_t *e);
/* xxHash32 of the bytes e covers now (equal to e->hash: unchanged). */
uint32_t jit_cache_hash(const jit_t *j, const jit_entry_t *e);
/* The entry cannot be compiled (under its configuration): UNCOMPILABLE,
 * and remembered as such. */
void jit_cache_give_up(jit_t *j, jit_entry_t *e);
/* Sets the window offsets (bits over [phys, phys + len)) of operand bytes
 * that some entry learnt are patched: an entry compiled over them loads
 * them in the load form from the start. Returns whether any was set. */
bool jit_cache_patched_operands(const jit_t *j, uint32_t phys, uint32_t len, uint8_t *bits);
/* Forgets every spot and patched operand (guest memory was rewritten: another program). */
void jit_cache_forget_spots(jit_t *j);
/* The dispatcher reached a compilable entry that is not compiled: counts
 * the execution; true when it is hot enough to compile (past the
 * threshold, and past its back-off). */
static inline bool jit_cache_hot(const jit_t *j, jit_entry_t *e) {
    return e->state != JIT_UNCOMPILABLE && ++e->hits > j->cfg.threshold + e->hold;
}
/* A hot entry inside the code of a compiled function, reached at most
 * JIT_REENTRY_RATE times a run (frame) on average, waits until
 * JIT_COVERED_FACTOR times the threshold before it is compiled. That is a
 * block of a loop running compiled, where the interpreter came back after
 * a frame's deadline exit or an interrupt's return and runs on into the
 * function within an iteration: compiled at once, it was the function's
 * region again from another block (game_scroll's 101-instruction loop
 * three times). Entries reached more often (ROM BASIC's, inside other
 * routines' code) are ways in used all the time and compile as before.
 * Cost: entries of BASIC's editor, reached rarely while a program is
 * typed, wait too, and compile after RUN instead of before (README,
 * Benchmarks: that window is 7-14% slower cold). */
bool jit_cache_covered_wait(const jit_t *j, const jit_entry_t *e);
void jit_cache_release(jit_t *j, jit_entry_t *e); /* back to EMPTY, slot freed */
/* The same, and hot: queued the next time the dispatcher counts it. */
void jit_cache_release_hot(jit_t *j, jit_entry_t *e);
/* Compiled code of e left through an indirect jump to pc that no
 * prediction matched: recorded in e's profile, which may ask for a
 * recompile (JIT_PROFILE_READY; the dispatcher does it when it next
 * reaches e: jit_cache_retier). */
static inline void jit_cache_note_target(const jit_t *j, jit_entry_t *e, uint16_t pc) {
    if (e->profile != JIT_PROFILE_RECORDING) return;
    for (int k = 0; k < e->n_targets; k++)
        if (e->targets[k] == pc) {
            e->target_hits[k]++;
            goto seen;
        }
    if (e->n_targets < JIT_PROFILE_TARGETS) {
        e->targets[e->n_targets] = pc;
        e->target_hits[e->n_targets++] = 1;
    }
seen:
    if (++e->indirect_exits >= j->cfg.profile_exits) e->profile = JIT_PROFILE_READY;
}
/* The dispatcher reached e with its profile READY: keeps the targets that
 * took at least an eighth of its recorded exits and releases its function
 * to be compiled again at once with them (or, if none did, keeps it and
 * stops recording). Returns whether it was released. */
bool jit_cache_retier(jit_t *j, jit_entry_t *e);
/* Evicts entries that were not used lately until `slots` more functions and
 * `bytes` more module bytes fit under the bounds with an eighth to spare,
 * and an eighth of the entries are free; false if that was not reached. */
bool jit_cache_make_room(jit_t *j, uint32_t slots, uint64_t bytes);
/* Invalidates entries covering physical address phys; returns true if the running one was among them. */
bool jit_cache_invalidate(jit_t *j, uint32_t phys);
/* A store to logical address addr: invalidates what covers the physical
 * byte it lands on under the current mapping; true if it hit the running entry. */
bool jit_cache_store(jit_t *j, uint16_t addr);
void jit_cache_flush(jit_t *j);
/* Physical memory changed (another machine): drops everything, resizes the page lists. */
void jit_cache_set_phys(jit_t *j, const uint8_t *phys, uint32_t size);
/* Recomputes code_map[] from the physical page lists and the current view. */
void jit_cache_derive_code_map(jit_t *j);

/* Physical address that logical addr reads from now (JIT_UNMAPPED: none). */
static inline uint32_t jit_phys_read(const jit_t *j, const jit_guest_t *g, uint16_t addr) {
    unsigned bits = g->slot_bits;
    uint32_t base = j->view.read[addr >> bits];
    return base == JIT_UNMAPPED ? JIT_UNMAPPED : base + (addr & ((1u << bits) - 1));
}
static inline uint32_t jit_phys_write(const jit_t *j, uint16_t addr) {
    unsigned bits = j->guest->slot_bits;
    uint32_t base = j->view.write[addr >> bits];
    return base == JIT_UNMAPPED ? JIT_UNMAPPED : base + (addr & ((1u << bits) - 1));
}

#endif
