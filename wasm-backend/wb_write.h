/*
 * wb_write.h: a module's bytes written straight from Binaryen IR, the same
 * bytes Binaryen's own writer (BinaryenModuleAllocateAndWrite) writes, at a
 * fraction of its cost.
 *
 * Binaryen 108's writer walks each function three more times than it
 * writes it (the type census, a tuple search, a branch search per named
 * block in an arm or loop body, which is quadratic in the Relooper's
 * nesting) and maps every local through a std::map on every access; it was
 * the largest part of a compile (bench/bench_compile.mjs, "write"). This
 * writer walks each function twice (one census of its types and branch
 * targets, then the bytes) through the C API's getters.
 *
 * It covers what generated modules hold: i32/i64 functions and imports, one
 * imported memory, imported funcref tables, function exports, and the
 * expressions Block, If, Loop, Break, Switch, Call, CallIndirect (both also
 * as tail calls), LocalGet, LocalSet/Tee, Const (i32, i64), Load, Store,
 * Unary, Binary (integer), Select, Drop, Return, Nop and Unreachable. It
 * follows Binaryen's writer rule for rule (type order by use count, locals
 * grouped by type, unnamed or untargeted blocks in arms and loop bodies
 * written as their contents, nothing written after an unreachable child, an
 * `unreachable` after an unreachable structure), so the bytes are identical:
 * tests/native/test_jit_backend.c and test_jit_golden.c compare the two
 * writers on every module they build. Anything else (a global, a data
 * segment, a float) is refused with a message, never written wrong; the
 * caller then uses Binaryen's writer (wb_module.c).
 *
 * Binaryen interns names, so names compare as pointers.
 */
#ifndef WB_WRITE_H
#define WB_WRITE_H

#include <binaryen-c.h>
#include <stddef.h>
#include <stdint.h>

/* The memory a module imports: Binaryen 108's C API cannot read it back,
 * so the one who made it (wb_module.c) says. */
typedef struct {
    const char *module, *base;
    uint32_t initial; /* pages; no maximum, not shared */
} wb_memory_import_t;

/* m's bytes (malloc'd, *out_len of them); NULL with a message in err when m
 * holds something this writer does not cover (m is untouched). mem: the
 * memory m imports, NULL for none. */
uint8_t *wb_write_module(BinaryenModuleRef m, const wb_memory_import_t *mem, size_t *out_len, char *err, size_t errlen);

#endif
