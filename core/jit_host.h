/*
 * jit_host.h: installing run-time generated Wasm modules (Wasm builds only).
 *
 * Implemented in JS (web/jit-glue.js): the module is compiled and
 * instantiated against the core's own memory, with its function imports
 * resolved to the core's own exports of the same name, and the named export
 * is put in the core's function table. The returned index is a C function
 * pointer value: cast it to the function's type and call it.
 */
#ifndef JIT_HOST_H
#define JIT_HOST_H

#include <stdint.h>

#ifdef __EMSCRIPTEN__
int32_t jit_host_install(const uint8_t *bytes, uint32_t len, const char *export_name);
void jit_host_release(int32_t index);
#endif

#endif
