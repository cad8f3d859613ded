/*
 * debug_wasm.c: the debugger's exports to JavaScript (web/debugger.mjs is
 * the wrapper over them). A debugger is a handle of its own over a
 * machine's handle (core/platform/wasm_api.c); destroy it before the
 * machine. JSON strings live in the debugger until its next call.
 *
 * Only the Emscripten build compiles this file's body.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include "debug/debug.h"

#define API EMSCRIPTEN_KEEPALIVE

API zxdbg_t *zxw_debug_create(zx_t *zx) { return zxdbg_create(zx); }
API void zxw_debug_destroy(zxdbg_t *d) { zxdbg_destroy(d); }

/* ---- points: kind 0 pc, 1 read, 2 write, 3 in, 4 out (zxdbg_kind_t) */
API int zxw_debug_add(zxdbg_t *d, int kind, int lo, int hi, int bank) {
    return zxdbg_add(d, kind, (uint16_t)lo, (uint16_t)hi, bank);
}
API int zxw_debug_remove(zxdbg_t *d, int id) { return zxdbg_remove(d, id); }
API int zxw_debug_enable(zxdbg_t *d, int id, int on) { return zxdbg_enable(d, id, on != 0); }
API void zxw_debug_clear(zxdbg_t *d) { zxdbg_clear(d); }
API const char *zxw_debug_points(zxdbg_t *d) { return zxdbg_points_json(d); }

/* ---- running: 1 stopped, 0 the frame ended */
API int zxw_debug_run_frame(zxdbg_t *d) { return zxdbg_run_frame(d); }
API void zxw_debug_step(zxdbg_t *d) { zxdbg_step(d); }
API int zxw_debug_step_over(zxdbg_t *d) { return zxdbg_step_over(d); }
API int zxw_debug_step_out(zxdbg_t *d) { return zxdbg_step_out(d); }
API void zxw_debug_run_to(zxdbg_t *d, int addr, int sp_min) { zxdbg_run_to(d, (uint16_t)addr, (uint32_t)sp_min); }
API void zxw_debug_cancel_target(zxdbg_t *d) { zxdbg_cancel_target(d); }
API void zxw_debug_pause_here(zxdbg_t *d) { zxdbg_pause_here(d); }
API void zxw_debug_machine_changed(zxdbg_t *d) { zxdbg_machine_changed(d); }
API int zxw_debug_mid_frame(zxdbg_t *d) { return d->mid_frame; }

/* ---- state */
API const char *zxw_debug_stop(zxdbg_t *d) { return zxdbg_stop_json(d); }
API const char *zxw_debug_state(zxdbg_t *d) { return zxdbg_state_json(d); }
API int zxw_debug_set_reg(zxdbg_t *d, const char *name, int value) { return zxdbg_set_reg(d, name, (uint32_t)value); }
API const char *zxw_debug_calls(zxdbg_t *d) { return zxdbg_calls_json(d); }
API void zxw_debug_read(zxdbg_t *d, int addr, uint8_t *out, int len) { zxdbg_read(d, (uint16_t)addr, out, (uint32_t)len); }
API void zxw_debug_write(zxdbg_t *d, int addr, const uint8_t *bytes, int len) {
    zxdbg_write(d, (uint16_t)addr, bytes, (uint32_t)len);
}
API int zxw_debug_bank_at(zxdbg_t *d, int addr) { return zxdbg_bank_at(d, (uint16_t)addr); }
#endif
