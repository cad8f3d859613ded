/*
 * jit_exports.c: the core functions that generated code calls (through the
 * core's function table, at the slots jit_z80_core_calls names; see
 * jit/z80/jit_z80_request.h, JIT_Z80_CALL_*). They are the
 * interpreter's own bus slow paths, so traced, hooked and contended
 * accesses made from compiled code are the interpreter's, event for event.
 * The T-state counter travels through cpu->tstates; the dynarec running
 * the CPU is cpu->jit (set for the length of jit_run).
 */
#include "jit/jit_internal.h"
#include "cpu/z80/z80_internal.h"
#include "jit/z80/jit_z80_internal.h"

JIT_EXPORT int32_t jit_mem_read(z80_t *c, int32_t addr) { return z80i_read_slow(c, (uint16_t)addr); }

JIT_EXPORT int32_t jit_mem_fetch(z80_t *c, int32_t addr) {
    uint16_t pc = c->pc;
    c->pc = (uint16_t)addr;
    uint8_t v = z80i_fetch_slow(c);
    c->pc = pc;
    return v;
}

/* Returns 1 when the store invalidated the running function. */
JIT_EXPORT int32_t jit_mem_write(z80_t *c, int32_t addr, int32_t v) {
    jit_t *j = c->jit;
    if (j) {
        j->smc_hit = 0;
        j->stats.core_writes++;
    }
    z80i_write_slow(c, (uint16_t)addr, (uint8_t)v);
    return j ? j->smc_hit : 0;
}

JIT_EXPORT void jit_mem_idle(z80_t *c, int32_t addr, int32_t n) { z80i_idle_slow(c, (uint16_t)addr, (unsigned)n); }
JIT_EXPORT void jit_mem_contend(z80_t *c, int32_t addr, int32_t n) { z80i_contend_only_slow(c, (uint16_t)addr, (unsigned)n); }
JIT_EXPORT int32_t jit_port_in(z80_t *c, int32_t port) { return z80i_port_in(c, (uint16_t)port); }
/* Returns 1 when the write changed the memory map: compiled code leaves
 * after the OUT, since what follows it (and the mapping baked into it) may
 * no longer be what the CPU sees. */
JIT_EXPORT int32_t jit_port_out(z80_t *c, int32_t port, int32_t v) {
    jit_t *j = c->jit;
    if (j) j->view_changed = 0;
    z80i_port_out(c, (uint16_t)port, (uint8_t)v);
    return j ? j->view_changed : 0;
}

/* A plain-RAM store from compiled code landed in a page with code (the
 * logical code map said so): invalidates what covers the physical byte. */
JIT_EXPORT int32_t jit_smc(z80_t *c, int32_t addr) {
    jit_t *j = c->jit;
    return j && jit_cache_store(j, (uint16_t)addr) ? 1 : 0;
}

void jit_z80_core_calls(uint32_t calls[JIT_Z80_CALLS]) {
    calls[JIT_Z80_CALL_READ] = (uint32_t)(uintptr_t)jit_mem_read;
    calls[JIT_Z80_CALL_FETCH] = (uint32_t)(uintptr_t)jit_mem_fetch;
    calls[JIT_Z80_CALL_WRITE] = (uint32_t)(uintptr_t)jit_mem_write;
    calls[JIT_Z80_CALL_IDLE] = (uint32_t)(uintptr_t)jit_mem_idle;
    calls[JIT_Z80_CALL_CONTEND] = (uint32_t)(uintptr_t)jit_mem_contend;
    calls[JIT_Z80_CALL_IN] = (uint32_t)(uintptr_t)jit_port_in;
    calls[JIT_Z80_CALL_OUT] = (uint32_t)(uintptr_t)jit_port_out;
    calls[JIT_Z80_CALL_SMC] = (uint32_t)(uintptr_t)jit_smc;
    calls[JIT_Z80_CALL_CHAIN] = (uint32_t)(uintptr_t)jit_chain;
}
