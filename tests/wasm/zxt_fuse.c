/*
 * zxt_fuse.c: the FUSE Z80 test suite as exports for JavaScript (the Wasm
 * test build, build/wasm/node/zxtest.*). JS has no file system in this build
 * (-sFILESYSTEM=0), so it reads tests.in / tests.expected itself and hands
 * their text over; the suite runs in C exactly as the native test does
 * (tests/common/fuse_runner.c), through the runner of the chosen mode.
 *
 * JS usage (tests/node/zxtest-helpers.mjs wraps this):
 *     zxt_fuse_load(inPtr, inLen, expPtr, expLen) -> tests indexed, or -1
 *     zxt_fuse_run_all(mode) -> failures (0: all passed), or -1
 *     zxt_fuse_passed(), zxt_fuse_failed(), zxt_fuse_failures() (text)
 *     zxt_fuse_run_one(index, mode), zxt_fuse_line(), zxt_fuse_output()
 */
#include <emscripten.h>
#include <stdio.h>
#include <string.h>

#include "fuse_runner.h"
#include "zxt_modes.h"

#define API EMSCRIPTEN_KEEPALIVE

/* The first failures are kept verbatim (enough to diagnose, bounded so a
 * totally broken engine does not produce megabytes of text). */
#define FAILURES_MAX 50

static fuse_suite_t suite;
static bool loaded;
static int passed, failed;
static char line[512];
static char failures[FAILURES_MAX * 512];
static size_t failures_len;

API int zxt_fuse_load(const char *in, uint32_t in_len, const char *exp, uint32_t exp_len) {
    if (loaded) fuse_suite_free(&suite);
    loaded = fuse_suite_load(&suite, in, in_len, exp, exp_len);
    return loaded ? suite.count : -1;
}

API int zxt_fuse_count(void) { return loaded ? suite.count : 0; }
API int zxt_fuse_parse_error(void) { return loaded && suite.parse_error; }
API const char *zxt_fuse_name(int i) { return loaded && i >= 0 && i < suite.count ? suite.tests[i].name : ""; }
API int zxt_fuse_find(const char *name) { return loaded ? fuse_suite_find(&suite, name) : -1; }
API int zxt_fuse_passed(void) { return passed; }
API int zxt_fuse_failed(void) { return failed; }
API const char *zxt_fuse_failures(void) { return failures; }
/* The last test's "PASS name" / "FAIL name: why" and its full output. */
API const char *zxt_fuse_line(void) { return line; }
API const char *zxt_fuse_output(void) { return fuse_last_output(); }

static void note_failure(const char *text) {
    failed++;
    if (failed > FAILURES_MAX) return;
    int n = snprintf(failures + failures_len, sizeof failures - failures_len, "%s\n", text);
    if (n > 0 && failures_len + (size_t)n < sizeof failures) failures_len += (size_t)n;
}

static int run_one(int i, const zxt_runner_t *r) {
    zxt_runner_flush(r); /* the test rewrites all 64K */
    bool ok = fuse_run_test(&suite, i, r->run, r->ctx, line, sizeof line);
    if (ok) passed++;
    else note_failure(line);
    return ok;
}

static bool begin(int mode, zxt_runner_t *r) {
    passed = failed = 0;
    failures_len = 0;
    failures[0] = 0;
    line[0] = 0;
    if (!loaded) { snprintf(line, sizeof line, "FAIL fuse: no suite loaded (zxt_fuse_load)"); return false; }
    if (!zxt_runner_for(mode, r)) { snprintf(line, sizeof line, "FAIL fuse: mode %d is not available", mode); return false; }
    return true;
}

/* Runs test i; returns 1 (pass), 0 (fail) or -1 (no suite / unknown mode). */
API int zxt_fuse_run_one(int i, int mode) {
    zxt_runner_t r;
    if (!begin(mode, &r)) return -1;
    return run_one(i, &r);
}

/* Runs every test; returns the number of failures (a corrupt tests.in counts
 * as one), or -1 (no suite / unknown mode). */
API int zxt_fuse_run_all(int mode) {
    zxt_runner_t r;
    if (!begin(mode, &r)) return -1;
    for (int i = 0; i < suite.count; i++) run_one(i, &r);
    if (suite.parse_error) {
        snprintf(line, sizeof line, "FAIL parse: tests.in corrupt after %d tests", suite.count);
        note_failure(line);
    }
    return failed;
}
