/*
 * test_fuse.c: runs the FUSE Z80 core test suite (tests.in / tests.expected
 * from fuse-emulator 1.6.0) against core/cpu/z80/z80.c and compares, per test, the
 * full bus event list, the final registers and the changed memory, in the
 * textual form of FUSE's coretest.c. The parsing, harness and comparison are
 * in tests/common/fuse_runner.c (shared with the Wasm test build); this file
 * only reads the files and prints one PASS/FAIL line per test.
 *
 * Usage: test_fuse [DIR]   (DIR holds tests.in and tests.expected; default
 * $FUSE_TESTS_DIR or build/deps/fuse-tests)
 */
#include "fuse_runner.h"

#include <stdio.h>
#include <stdlib.h>

/* Reads a whole file; returns NULL on failure. */
static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(buf); return NULL; }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : getenv("FUSE_TESTS_DIR");
    if (!dir) dir = "build/deps/fuse-tests";
    char path_in[1024], path_exp[1024];
    snprintf(path_in, sizeof path_in, "%s/tests.in", dir);
    snprintf(path_exp, sizeof path_exp, "%s/tests.expected", dir);
    size_t in_len = 0, exp_len = 0;
    char *in = slurp(path_in, &in_len), *exp = slurp(path_exp, &exp_len);
    fuse_suite_t s;
    if (!in || !exp) {
        printf("FAIL fuse_tests_present: cannot read %s or %s\n", path_in, path_exp);
        return 1;
    }
    if (!fuse_suite_load(&s, in, in_len, exp, exp_len)) {
        printf("FAIL fuse_load: out of memory\n");
        return 1;
    }
    free(in);
    free(exp);
    int passed = 0, failed = 0;
    for (int i = 0; i < s.count; i++) {
        char line[512];
        if (fuse_run_test(&s, i, NULL, NULL, line, sizeof line)) passed++;
        else failed++;
        printf("%s\n", line);
    }
    if (s.parse_error) {
        printf("FAIL parse: tests.in corrupt after %d tests\n", s.count);
        failed++;
    }
    fprintf(stderr, "fuse: %d passed, %d failed\n", passed, failed);
    fuse_suite_free(&s);
    return failed ? 1 : 0;
}
