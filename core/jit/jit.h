/*
 * jit.h: the dynarec's dispatcher and code cache (guest-neutral; a guest's
 * entry point is in its front end: jit_run() in core/jit/z80/jit_z80.h).
 *
 * The Z80's jit_run() replaces z80_run() (zx_desc_t.run_cpu, or a FUSE run
 * callback): it interprets cold code, counts executions of block entries, compiles hot
 * ones (a region of blocks per entry, several per compile request) through
 * the compiler program (core/jit/jit_host.h, wasm-backend/), and calls compiled
 * code when no interrupt can be accepted while it runs. Results are
 * identical to the interpreter's: registers, memory, T-states, bus events.
 *
 * Only Wasm builds compile; natively jit_run interprets (with the same
 * dispatch), which keeps the core's native tests meaningful.
 *
 * Compiled code is keyed by physical memory (the machine describes its ROM
 * and RAM banks as one block: z80_t.mem_phys), the logical address it was
 * compiled at and the machine configuration baked into it. Paging a bank in
 * or out flushes nothing: code compiled under another mapping stays, and
 * runs again when that mapping comes back. A store invalidates the code
 * built from the physical byte it hits, through whichever address.
 *
 * Guest memory written behind the CPU's back (snapshot loaders, test
 * harnesses) must be followed by jit_flush(): stores made by the CPU are
 * tracked (code map, write hooks), direct pokes are not.
 *
 * HOWTO
 *     jit_t *jit = jit_create(&(jit_config_t){ .threshold = 20 });
 *     zx_init(&zx, &(zx_desc_t){ ..., .run_cpu = jit_run, .run_cpu_ctx = jit });
 *     ... zx_run_frame(&zx) ...
 *     const jit_stats_t *s = jit_get_stats(jit);
 *     jit_destroy(jit);
 */
#ifndef JIT_H
#define JIT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint32_t threshold;  /* executions of an entry before it is compiled (0: at once) */
    uint32_t batch;      /* entries per compile request (0: 8; 1: compile at once) */
    /* Runs (frames) a batch that is not full may wait for more entries:
     * it is compiled at the end of the batch_wait-th run since its first
     * entry was queued (0 or 1: at the end of that same run). A request's
     * cost is mostly per module (the engine's compile and instantiate), so
     * fuller batches cost less per function; the entries run interpreted
     * meanwhile. */
    uint32_t batch_wait;
    /* Bounds of the code cache. When a compile would pass one, entries not
     * used lately are evicted (a second-chance sweep) down to 7/8 of it; a
     * clean full flush only when that finds nothing. A module's size is
     * known after it is built: room is made before a compile for the
     * average size, and again after it if the module came out bigger.
     * max_slots also bounds the entries that count hotness. */
    uint32_t max_slots;  /* compiled functions alive (0: 4096) */
    uint32_t max_bytes;  /* generated module bytes alive (0: 16 MB) */
    /* Exits through an indirect jump (JP (HL) & co) whose address no
     * prediction matched, recorded per function before it is compiled
     * again with the targets seen (0: 2^20, JIT_PROFILE_EXITS; jit_internal.h, jit_cache_note_target). */
    uint32_t profile_exits;
    bool single_block;   /* basic blocks only, no regions */
    bool lockstep;       /* check every compiled run against the interpreter */
    bool disabled;       /* interpret everything (same dispatch) */
} jit_config_t;

typedef struct {
    uint64_t functions;        /* compiled functions (blocks + regions) */
    uint64_t blocks;           /* functions of one basic block */
    uint64_t regions;          /* functions of several blocks */
    uint64_t region_blocks;    /* basic blocks inside regions */
    uint64_t requests;         /* compile requests (modules) */
    uint64_t compile_failures;
    double compile_ms;         /* whole requests, as seen from C (the four parts below and glue) */
    double build_ms;           /* the compiler: building the module (its IR, control flow) */
    double write_ms;           /* the compiler: writing the module bytes, and copying them out */
    double wasm_compile_ms;    /* the engine: WebAssembly.Module */
    double instantiate_ms;     /* the engine: WebAssembly.Instance + table installs */
    uint64_t cache_hits, cache_misses;
    uint64_t invalidations, revalidations, evictions, flushes, uncompilable;
    uint64_t insns_total;      /* guest instructions run under jit_run */
    uint64_t insns_compiled;   /* of those, by compiled code */
    uint64_t insns_halted;     /* of those, a HALT waiting for an interrupt (interpreted, nothing to compile) */
    uint64_t exits[4];         /* by JIT_EXIT_* (jit_request.h) */
    uint64_t chained;          /* normal exits that went on in compiled code without the dispatcher */
    uint64_t retiered;         /* functions compiled again with the targets their indirect jumps took */
    uint64_t batch_covered;    /* queued entries left out of a batch: blocks of another entry's region in it */
    uint64_t core_writes;      /* stores compiled code made through the core (hooked pages, traced CPU) */
    uint64_t lockstep_checks, lockstep_divergences;
    uint32_t live_functions;
    uint64_t code_bytes;       /* module bytes alive (each function's share of its module) */
    uint64_t bytes_generated;  /* module bytes generated in all */
    /* self-modifying code (core/jit/jit_cache.c) */
    uint64_t smc_load_functions;  /* functions compiled in the load form (patched operands read at run time) */
    uint64_t smc_operand_changes; /* invalidated entries whose patched bytes were all loadable operands */
    uint64_t smc_other_changes;   /* ... and whose opcodes (or other bytes) changed */
    uint64_t backoffs;            /* recompiles deferred by an exponential back-off */
    uint64_t given_up;            /* entries left to the interpreter after repeated changes */
    uint64_t spots_recalled;      /* entries that came back after eviction or a flush as they were learnt */
    /* compiling off the frame (core/jit/jit.c, "Asynchronous compiles") */
    uint64_t async_requests;      /* requests sent to a compiler running beside the emulation */
    uint64_t async_installed;     /* functions installed from them */
    uint64_t dropped_results;     /* functions that arrived but were dropped: their bytes changed meanwhile,
                                     or the cache was flushed */
    uint64_t async_deferred;      /* hot entries put back because JIT_MAX_FLIGHTS requests were in flight */
    uint64_t blocking_compiles;   /* requests compiled synchronously inside a run (the run waited on them) */
    uint64_t runs_waited;         /* runs (frames) that waited on at least one compile */
    uint32_t in_flight;           /* requests in flight now */
    double async_latency_ms;      /* from sending to installing, summed over the requests installed */
    double async_latency_max_ms;
    double worker_ms;             /* the compiler's own time beside the emulation (build, write, Wasm compile) */
} jit_stats_t;

typedef struct jit_t jit_t;

jit_t *jit_create(const jit_config_t *cfg);
void jit_destroy(jit_t *jit);
/* Drops all compiled code and what was learnt about self-modifying code
 * (e.g. after guest memory was rewritten directly: another program). */
void jit_flush(jit_t *jit);
void jit_set_lockstep(jit_t *jit, bool on);
bool jit_get_lockstep(const jit_t *jit);
void jit_set_enabled(jit_t *jit, bool on);
/* Chaining (on by default): compiled code continues into compiled code
 * through the core's jit_chain(), without returning to the dispatcher. */
void jit_set_chaining(jit_t *jit, bool on);
/* The frame profile (core/platform/profile.h) the dispatcher charges its
 * time to: dispatcher, interpreter, compiled code, compiling. NULL: off. */
struct prof;
void jit_set_profile(jit_t *jit, struct prof *prof);
const jit_stats_t *jit_get_stats(const jit_t *jit);
/* The statistics as one JSON object (static buffer). */
const char *jit_stats_json(const jit_t *jit);
/* The first lockstep divergences (JIT_LOCKSTEP_REPORTS of them; the rest
 * are counted in jit_stats_t) as a JSON array of report objects, "" if
 * none. The Z80's report fields are listed in core/jit/z80/jit_z80_lockstep.c. */
const char *jit_lockstep_report(const jit_t *jit);

/* ---- the debugger's hold on the dispatcher (core/debug/debug.h)
 *
 * While a jit_debug_t is set, jit_run runs the debugger's loop
 * (jit_dispatch.h, jit_dispatch_debug): before each instruction it asks
 * d->stop, which may end the run there; between those questions it runs
 * one interpreted instruction or one compiled function, and never enters a
 * function built over a byte marked in d->logical (by its logical address)
 * or d->physical (by its offset in the machine's physical memory), so
 * compiled code never runs over a breakpoint. With d->interpret nothing
 * compiled runs at all (watchpoints want every access seen at once).
 * d->gen must change whenever a map does (entries remember their answer). */
typedef struct jit_debug jit_debug_t;
struct jit_debug {
    const uint8_t *logical;   /* bit per logical address (64K), or NULL */
    const uint8_t *physical;  /* bit per physical byte, or NULL */
    uint32_t physical_size;   /* bytes of physical memory the map covers */
    uint32_t gen;             /* nonzero; changed with the maps */
    bool interpret;
    /* Asked before each instruction, with the physical address of pc
     * (0xFFFFFFFF: unmapped); true stops the run before it. */
    bool (*stop)(jit_debug_t *d, const void *cpu, uint32_t phys);
    bool stopped;             /* set when a run ended on stop() */
};
/* NULL: the normal loop. */
void jit_set_debug(jit_t *jit, jit_debug_t *d);
/* Drops the compiled functions built over physical bytes [phys, phys+len)
 * (a debugger's poke): they compile again when hot, and nothing is learnt
 * as self-modifying code. */
void jit_invalidate_phys(jit_t *jit, uint32_t phys, uint32_t len);

#endif
