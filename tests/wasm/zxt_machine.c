/*
 * zxt_machine.c: test-only access to a whole machine made by the real API
 * (zxw_create_model): its CPU's registers by index (zxt_regs.h), so a Node
 * test can start our own Z80 programs on any model without a snapshot.
 *
 *     zxt_zx_set(zx, ZXT_PC, 0x8000);  zxt_zx_get(zx, ZXT_SP)
 */
#include <emscripten.h>

#include "machine/zx/zx.h"
#include "zxt_regs.h"

EMSCRIPTEN_KEEPALIVE uint32_t zxt_zx_get(zx_t *zx, int reg) { return zxt_reg_get(&zx->cpu, reg); }
EMSCRIPTEN_KEEPALIVE void zxt_zx_set(zx_t *zx, int reg, uint32_t v) { zxt_reg_set(&zx->cpu, reg, v); }
EMSCRIPTEN_KEEPALIVE uint32_t zxt_zx_tstates(zx_t *zx) { return zx->cpu.tstates; }
