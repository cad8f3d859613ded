// The C core's constants for JavaScript: key codes (KEYS), Kempston bits
// (JOY), file format names by zx_format_t (FORMATS), zxw_create flags
// (CREATE_FLAGS) and the machine's figures (MACHINE: clock, frame length,
// frame-buffer size, ROM and RAM sizes...), the core functions compiled
// code calls through the function table (JIT_CORE_CALLS) and why compiled
// code returns (JIT_EXITS).
//
// They are not written here: tools/gen_constants.c, built and run by
// `make wasm-web` / `make wasm-node`, includes the C headers and writes
// build/gen/zx-constants.mjs, so JS and C cannot disagree. This file only
// says where the build puts it; an embedder self-hosting the emulator serves
// build/gen/ next to web/ as the repository lays them out. Importable before
// any Wasm has loaded (the page's UI uses it on the main thread).
export { KEYS, JOY, FORMATS, CREATE_FLAGS, MACHINE, JIT_CORE_CALLS, JIT_EXITS } from '../build/gen/zx-constants.mjs';
