/*
 * check.h: the native tests' case protocol (tests/run-native.sh counts it):
 * one line per case, "PASS name" or "FAIL name: why"; `failures` counts the
 * failed cases so main() can exit non-zero.
 */
#ifndef TESTS_NATIVE_CHECK_H
#define TESTS_NATIVE_CHECK_H

#include <stdio.h>

static int failures;
#define CHECK(name, cond, ...)                                  \
    do {                                                        \
        if (cond) printf("PASS %s\n", name);                    \
        else {                                                  \
            printf("FAIL %s: ", name);                          \
            printf(__VA_ARGS__);                                \
            printf("\n");                                       \
            failures++;                                         \
        }                                                       \
    } while (0)

#endif
