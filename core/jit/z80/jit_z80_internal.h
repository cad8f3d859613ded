/*
 * jit_z80_internal.h: shared by the Z80 front end's files (jit_z80.c, the
 * guest interface; jit_z80_lockstep.c).
 */
#ifndef JIT_Z80_INTERNAL_H
#define JIT_Z80_INTERNAL_H

#include "cpu/z80/z80.h"
#include "jit/jit_internal.h"

/* jit_guest_t.lockstep: runs fn on cpu and the interpreter on a copy
 * (state and physical memory), compares registers, T-states, memory and
 * I/O and hooked-store events. */
bool jit_z80_lockstep(jit_t *j, const jit_entry_t *e, jit_fn_t fn, void *cpu, uint32_t until, int32_t *code,
                      char *report, size_t report_size);

#endif
