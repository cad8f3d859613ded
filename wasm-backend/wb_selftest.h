/*
 * wb_selftest.h: the smallest end-to-end proof of the dynarec's risky path.
 *
 * wb_build_selftest_module() builds, with Binaryen's C API, a module that
 * imports the core's memory ("env" "memory") and function table ("env"
 * "__indirect_function_table"), calls one of the core's own functions
 * (helper: i32 -> i32) through the table at the slot the request names, as
 * generated code calls the core (jit/z80/jit_z80_request.h,
 * JIT_Z80_CALL_*), and exports (as "f0")
 *     f(p) = { v = helper(i32.load(p)) * 2 + 1; i32.store(p + 4, v); return v; }
 * The core instantiates it at run time, installs f in its function table and
 * calls it through a C function pointer.
 */
#ifndef WB_SELFTEST_H
#define WB_SELFTEST_H

#include <stddef.h>
#include <stdint.h>

/* Returns module bytes (malloc'd; the caller frees) and their length in *len,
 * or NULL when Binaryen's validator rejects the module. */
uint8_t *wb_build_selftest_module(uint32_t helper_slot, size_t *len);

#endif
