/*
 * fuse_runner.h: the FUSE Z80 core test suite (tests.in / tests.expected
 * from fuse-emulator 1.6.0), independent of where its files come from and of
 * what executes the code.
 *
 * Shared by the native test (tests/native/test_fuse.c, files from disk) and
 * the Wasm test build (tests/wasm/, text handed over from JS), so both check
 * the same thing the same way. The "run" callback is the seam for the
 * dynarec: the interpreter (z80_run) is the default, and compiled code must
 * produce the very same bus events, registers and memory.
 *
 * Harness semantics (FUSE's coretest.c): 64K flat RAM filled with DE AD BE EF,
 * the test's bytes on top; run whole instructions while tstates < end; port
 * reads return the port's high byte; a port is "contended" when its high byte
 * is 0x40-0x7F (there is no contention delay). Every bus event, the final
 * registers and the changed memory are printed in coretest.c's text form and
 * compared line by line (whitespace runs collapsed) with tests.expected.
 *
 * HOWTO
 *     fuse_suite_t s;
 *     if (!fuse_suite_load(&s, in_text, in_len, exp_text, exp_len)) ... s.error
 *     for (int i = 0; i < s.count; i++) {
 *         char line[512];
 *         bool ok = fuse_run_test(&s, i, NULL, NULL, line, sizeof line);  // NULL: z80_run
 *         puts(line);                        // "PASS name" or "FAIL name: why"
 *     }
 *     if (s.parse_error) ...                 // tests.in was corrupt after s.count tests
 *     fuse_suite_free(&s);
 *
 * Not reentrant: the 64K test memory and the event log are static (one test
 * runs at a time, in a single-threaded program).
 */
#ifndef FUSE_RUNNER_H
#define FUSE_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/z80/z80.h"

/* Executes cpu until cpu->tstates >= until, at whole-instruction granularity,
 * exactly like z80_run (which is what a NULL callback means). The cpu arrives
 * fully wired (memory pages, trace, port_in); ctx is the caller's. Every test
 * reuses the same 64K memory (fuse_memory()), rewritten between tests, so a
 * dynarec must drop code compiled for a previous test. */
typedef void (*fuse_run_fn)(void *ctx, z80_t *cpu, uint32_t until);

typedef struct {
    char name[40];        /* the test's name, e.g. "ed b0" */
    const char *setup;    /* its body in tests.in (after the name line) */
    const char *expected; /* its block of tests.expected, or NULL if missing */
} fuse_test_t;

typedef struct {
    char *in_text, *exp_text; /* owned copies (the expected blocks are cut in place) */
    fuse_test_t *tests;
    int count;                /* tests parsed successfully */
    bool parse_error;         /* tests.in is corrupt after `count` tests */
} fuse_suite_t;

/* Indexes the suite from the two files' contents (copied; the caller's
 * buffers need not outlive the call). Returns false only when out of memory;
 * a corrupt tests.in keeps the tests before the damage and sets parse_error. */
bool fuse_suite_load(fuse_suite_t *s, const char *in, size_t in_len, const char *exp, size_t exp_len);
void fuse_suite_free(fuse_suite_t *s);

/* Index of the test called `name`, or -1. */
int fuse_suite_find(const fuse_suite_t *s, const char *name);

/* Runs test i through run(ctx, ...) (NULL: z80_run) and compares. Writes
 * "PASS name" or "FAIL name: why" (no newline) to line; returns the verdict. */
bool fuse_run_test(const fuse_suite_t *s, int i, fuse_run_fn run, void *ctx, char *line, size_t line_n);

/* The last run test's full output (events, registers, changed memory), for
 * diagnosing a failure beyond its first differing line. */
const char *fuse_last_output(void);

/* What the last run test's expected final state was amended by ("" if
 * nothing): FUSE 1.6.0 predates the 2018 findings on the repeat step of the
 * block instructions, see fuse_runner.c. */
const char *fuse_last_amendment(void);

/* The 64K memory the tests run in. */
uint8_t *fuse_memory(void);

#endif
