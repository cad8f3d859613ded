/*
 * jit_z80_internal.h: shared by the Z80 front end's files (jit_z80.c, the
 * guest interface; jit_z80_lockstep.c).
 */
#ifndef JIT_Z80_INTERNAL_H
#define JIT_Z80_INTERNAL_H

#include "cpu/z80/z80.h"
#include "jit/jit_internal.h"
#include "jit/z80/jit_z80_request.h"

/* jit_guest_t.lockstep: runs fn on cpu and the interpreter on a copy
 * (state and physical memory), compares registers, T-states, memory and
 * I/O and hooked-store events. */
bool jit_z80_lockstep(jit_t *j, const jit_entry_t *e, jit_fn_t fn, void *cpu, uint32_t until, int32_t *code,
                      char *report, size_t report_size);

/* The table slots of the core functions generated code calls
 * (JIT_Z80_CALL_*, jit_exports.c and jit_chain): a C function pointer in
 * the Wasm core is its slot. Natively (tests) the numbers are only
 * carried, never called. */
void jit_z80_core_calls(uint32_t calls[JIT_Z80_CALLS]);
int32_t jit_chain(z80_t *cpu, int32_t until, int32_t how);

#endif
