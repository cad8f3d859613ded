/*
 * jit_z80.h: the Z80 front end of the dynarec (core/jit/jit.h): its entry
 * point, and what the guest-neutral runtime asks of a Z80 (jit_z80.c).
 *
 * HOWTO
 *     jit_t *jit = jit_create(&(jit_config_t){ .threshold = 20 });
 *     zx_init(&zx, &(zx_desc_t){ ..., .run_cpu = jit_run, .run_cpu_ctx = jit });
 */
#ifndef JIT_Z80_H
#define JIT_Z80_H

#include "cpu/z80/z80.h"
#include "jit/jit.h"

/* zx_run_cpu_t: runs cpu until cpu->tstates >= until (or trap_pc). */
void jit_run(void *jit, z80_t *cpu, uint32_t until);

#endif
