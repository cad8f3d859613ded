/*
 * jit_dispatch.h: the guest-neutral dispatcher, for a guest front end's
 * entry point (the Z80's jit_run in core/jit/z80/jit_z80.c):
 *
 *     void jit_run(void *jit, z80_t *cpu, uint32_t until) {
 *         jit_dispatch(jit, &_jz_guest, cpu, until);
 *     }
 *
 * It is inline so that each front end gets its own copy with its
 * jit_guest_t as a constant: the compiler then calls the guest's functions
 * (pc, instruction count, the interpreter loop, a step) directly and inlines
 * them, as the dispatcher did when it was written against the Z80. Through
 * function pointers the whole machine on ROM BASIC ran ~6% slower.
 *
 * Entry rule: compiled code runs only when no interrupt can be accepted
 * while it runs (the front end's interpreter loop stops only where code may
 * be entered; for the Z80: IFF1 clear, or T past the /INT window, no NMI
 * pending, not right after EI or LD A,I/R) — instructions that change that
 * end blocks. Each block checks its own worst-case length against `until`
 * and returns JIT_EXIT_DEADLINE when it might overrun; the interpreter then
 * finishes the frame, instruction for instruction.
 *
 * Hotness is counted only at block starts (after a jump, an interrupt, or a
 * compiled exit): those are where compiled entries pay off, and counting
 * every interpreted instruction would compile overlapping regions.
 *
 * Frame profile (core/platform/profile.h): with j->prof set, the time in
 * here is split into dispatcher, interpreter, compiled code and compiling;
 * off, each mark is one branch on a pointer held in a register.
 */
#ifndef JIT_DISPATCH_H
#define JIT_DISPATCH_H

#include "jit/jit_internal.h"
#include "platform/profile.h"

/* Returns the exit code. */
static inline int32_t jit_run_entry(jit_t *j, const jit_guest_t *g, jit_entry_t *e, void *cpu, uint32_t until) {
    jit_fn_t fn = (jit_fn_t)(uintptr_t)e->slot;
    uint64_t n0 = g->retired(cpu);
    j->running = e;
    j->smc_hit = 0;
    int32_t code;
    if (j->lockstep) {
        j->stats.lockstep_checks++;
        bool keep = j->reports_kept < JIT_LOCKSTEP_REPORTS;
        if (g->lockstep(j, e, fn, cpu, until, &code, keep ? j->report : NULL, sizeof j->report)) {
            j->stats.lockstep_divergences++;
            if (keep) jit_lockstep_keep(j);
        }
    } else if (j->prof) {
        /* the inspector's time per function, only while profiling */
        prof_push(j->prof, PROF_COMPILED);
        double t0 = j->prof->since;
        code = fn(cpu, until);
        prof_pop(j->prof);
        e->ms += j->prof->since - t0;
    } else {
        code = fn(cpu, until);
    }
    /* The exit is the one of the function running last (the same one
     * unless compiled code went on into another without the dispatcher). */
    jit_entry_t *last = j->running ? j->running : e;
    j->running = NULL;
    e->runs++;
    if (code >= 0 && code < JIT_EXIT_COUNT) {
        j->stats.exits[code]++;
        last->exits[code]++;
    }
    j->stats.insns_compiled += g->retired(cpu) - n0;
    return code;
}

/* The guest's interpreter loop and single step, charged to the interpreter. */
static inline bool jit_interpret(prof_t *prof, const jit_guest_t *g, void *cpu, uint32_t until, bool interpret_only,
                                 bool *block_start) {
    if (!prof) return g->interpret(cpu, until, interpret_only, block_start);
    prof_push(prof, PROF_INTERPRETER);
    bool more = g->interpret(cpu, until, interpret_only, block_start);
    prof_pop(prof);
    return more;
}

static inline bool jit_step(prof_t *prof, const jit_guest_t *g, void *cpu, uint32_t until) {
    if (!prof) return g->step(cpu, until);
    prof_push(prof, PROF_INTERPRETER);
    bool block_start = g->step(cpu, until);
    prof_pop(prof);
    return block_start;
}

/* At a block start where compiled code may run (pc at physical address
 * phys): runs the entry compiled there, or counts the entry's executions,
 * compiles it when hot, and interprets one instruction. `debug`: the
 * debugger's loop (never enters a function over a marked byte); NULL in
 * the normal loop, where it is a constant after inlining. */
static inline void jit_dispatch_at(jit_t *j, const jit_guest_t *g, void *cpu, uint32_t until, uint16_t pc,
                                   uint32_t phys, bool *block_start, jit_debug_t *debug) {
    prof_t *prof = j->prof;
    jit_entry_t *e = jit_cache_lookup(j, pc, phys, j->config_now);
    if (e) e->used = 1;
    if (e && e->state == JIT_INVALID) {
        jit_cache_reconsider(j, e);
        jit_update_hooks(j, cpu);
    }
    /* Its indirect jumps' profile is ready: compiled again with it. */
    if (e && e->state == JIT_COMPILED && e->profile == JIT_PROFILE_READY && jit_cache_retier(j, e)) jit_update_hooks(j, cpu);
    if (e && e->state == JIT_COMPILED && !(debug && jit_debug_covers(j, e))) {
        j->stats.cache_hits++;
        /* After a deadline exit the interpreter takes the next
         * instruction (the block did not fit; it may not loop back here). */
        *block_start = jit_run_entry(j, g, e, cpu, until) != JIT_EXIT_DEADLINE;
        return;
    }
    if (e && (e->state == JIT_COMPILED || e->state == JIT_UNCOMPILABLE || e->state == JIT_QUEUED)) {
        *block_start = jit_step(prof, g, cpu, until) || e->state == JIT_UNCOMPILABLE;
        return;
    }
    if (j->irq_return == pc + 1u) {
        /* Where an interrupt taken mid-code returns: not counted. The
         * interrupt strikes wherever the frame's end falls, so those spots
         * are the instructions of whatever loop runs then; counted, each
         * that came back ~200 times became a function of its own (a
         * blitter interrupted mid-loop left seven, entered 3-4 times each
         * once compiled). After a HALT the return is a block start like
         * any other (_jz_step records only interrupts taken mid-code). */
        j->irq_return = 0;
        *block_start = jit_step(prof, g, cpu, until);
        return;
    }
    j->stats.cache_misses++;
    if (!e) e = jit_cache_insert(j, pc, phys, j->config_now, j->view.trace);
    if (e && jit_cache_hot(j, e) && !jit_cache_covered_wait(j, e)) {
        /* One request is built against one mapping and configuration. */
        if (j->nqueue && j->queue_gen != j->map_gen) jit_compile_queue(j);
        if (!j->nqueue) {
            g->queue_begin(j, cpu);
            j->queue_gen = j->map_gen;
        }
        e->state = JIT_QUEUED;
        j->queue[j->nqueue++] = e;
        if ((uint32_t)j->nqueue >= j->cfg.batch) {
            jit_compile_queue(j);
            jit_update_hooks(j, cpu);
            if (e->state == JIT_COMPILED) return;
        }
    }
    *block_start = jit_step(prof, g, cpu, until);
}

/* The debugger's loop (jit.h, jit_debug_t): one instruction or one
 * compiled run at a time, d->stop asked before each. The interpreter's
 * loop is given a deadline one clock tick away, so it either stops at a
 * block start where compiled code may run, having run nothing, or runs
 * exactly one instruction; having run nothing and stopped elsewhere, the
 * machine's trap is due (the guest stops there). */
static inline bool jit_dispatch_debug(jit_t *j, const jit_guest_t *g, void *cpu, uint32_t until, bool block_start) {
    jit_debug_t *d = j->debug;
    prof_t *prof = j->prof;
    d->stopped = false;
    for (;;) {
        uint32_t t = g->clock(cpu);
        if (t >= until) break;
        uint16_t pc = (uint16_t)g->pc(cpu);
        uint32_t phys = jit_phys_read(j, g, pc);
        if (d->stop(d, cpu, phys)) {
            d->stopped = true;
            break;
        }
        if (!jit_interpret(prof, g, cpu, t + 1, !j->enabled || d->interpret, &block_start)) {
            if (g->clock(cpu) == t) break; /* the trap */
            continue;
        }
        if (phys == JIT_UNMAPPED) {
            block_start = jit_step(prof, g, cpu, until);
            continue;
        }
        jit_dispatch_at(j, g, cpu, until, pc, phys, &block_start, d);
    }
    return block_start;
}

static inline void jit_dispatch(jit_t *j, const jit_guest_t *g, void *cpu, uint32_t until) {
    prof_t *prof = j->prof;
    PROF_PUSH(prof, PROF_DISPATCHER);
    jit_bind(j, g);
    /* Memory may have been written between runs (loaders, traps, pokes). */
    j->shadow.stale = true;
    g->attach(j, cpu);
    jit_view_update(j, cpu);
    jit_run_begin(j); /* installs asynchronous results that arrived */
    jit_update_hooks(j, cpu);
    uint64_t n_start = g->retired(cpu);
    /* A run that resumes where the last one stopped mid-block (its T-state
     * budget ran out there) is not at a block start: counting that pc would
     * compile an entry at wherever each frame happens to end. */
    bool block_start = !(j->resume_mid_block && g->pc(cpu) == j->resume_pc);
    if (j->debug) {
        block_start = jit_dispatch_debug(j, g, cpu, until, block_start);
    } else {
        while (jit_interpret(prof, g, cpu, until, !j->enabled, &block_start)) {
            uint16_t pc = (uint16_t)g->pc(cpu);
            uint32_t phys = jit_phys_read(j, g, pc);
            if (phys == JIT_UNMAPPED) { /* not in physical memory: never compiled */
                block_start = jit_step(prof, g, cpu, until);
                continue;
            }
            jit_dispatch_at(j, g, cpu, until, pc, phys, &block_start, NULL);
        }
    }
    /* A chunk's end (a frame) compiles what is queued, so hot code found in
     * this frame runs compiled in the next; or, with batch_wait, a few
     * frames later in a fuller request. */
    if (j->nqueue && ++j->queue_runs >= j->cfg.batch_wait) jit_compile_queue(j);
    j->resume_pc = (uint16_t)g->pc(cpu);
    j->resume_mid_block = !block_start;
    j->stats.insns_total += g->retired(cpu) - n_start;
    jit_run_end(j);
    g->detach(j, cpu);
    PROF_POP(prof);
}

#endif
