# The Emscripten build (included by the top-level Makefile). Two programs:
#   zxcore  the emulator core (core/): small, loads first, no Binaryen
#   zxjit   the compiler (wasm-backend/ + Binaryen): pure request -> module bytes
# each as an ES module for browsers (build/wasm/web/*.mjs) and a CommonJS
# module for Node (build/wasm/node/*.cjs). Objects are shared by both links
# and rebuilt only when their sources change; a core-only change relinks only
# the small core.

EMCC ?= emcc
WASM := $(BUILD)/wasm
DEPS := $(BUILD)/deps
GEN := $(BUILD)/gen
BINARYEN_WASM := $(DEPS)/binaryen-wasm
# Debian's emcc needs its JS optimiser's acorn module from Debian's node path.
EMENV := NODE_PATH=/usr/share/nodejs

WASM_CFLAGS := -std=c11 -O2 $(WARN) -Icore -Iwasm-backend -I$(GEN) -I$(BINARYEN_WASM)/include -I$(DEPS)/include
CORE_WASM_OBJ := $(patsubst %.c,$(WASM)/obj/%.o,$(CORE_SRC) $(GEN)/rom_opense.c)
# The compiler shares the core's pure decoder and region discovery (the same
# region on both sides: see core/jit/z80/jit_region.h).
JIT_WASM_OBJ := $(patsubst %.c,$(WASM)/obj/%.o,$(BACKEND_SRC) core/cpu/z80/z80_decode.c core/jit/z80/jit_region.c core/jit/z80/jit_z80_request.c)
WASM_LDFLAGS := -O2 -sMODULARIZE=1 -sALLOW_MEMORY_GROWTH=1 -sFILESYSTEM=0 -sEXIT_RUNTIME=0 \
    -sEXPORTED_FUNCTIONS=_malloc,_free
CORE_LDFLAGS := $(WASM_LDFLAGS) -sEXPORT_NAME=createZxCore -sALLOW_TABLE_GROWTH=1 \
    -sEXPORTED_RUNTIME_METHODS=addFunction,removeFunction,UTF8ToString,stringToUTF8 \
    --js-library core/jit/jit_host.js
JIT_LDFLAGS := $(WASM_LDFLAGS) -sEXPORT_NAME=createZxJit -sEXPORTED_RUNTIME_METHODS=UTF8ToString \
    $(BINARYEN_WASM)/lib/libbinaryen.a
WEB_FLAGS := -sENVIRONMENT=web,worker -sEXPORT_ES6=1
NODE_FLAGS := -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0
# A library must not own the process: without these, Emscripten's Node glue
# installs uncaughtException/unhandledRejection handlers that turn any error
# of the user's script into a dump of the glue's source and exit status 7.
# (Not in NODE_FLAGS, which the compiler's slow link depends on: zxjit gets
# the same effect from web/node/load-core.mjs until its next relink.)
CORE_NODE_FLAGS := $(NODE_FLAGS) -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0
# The compiler's link depends on its own flags, not on this whole file: a
# stamp rewritten only when they change (editing the core's flags here must
# not relink zxjit).
JIT_FLAGS_STAMP := $(WASM)/zxjit-link-flags
JIT_LINK_FLAGS_NOW := $(JIT_LDFLAGS) | $(WEB_FLAGS) | $(NODE_FLAGS)
$(shell mkdir -p $(WASM) && { [ "$$(cat $(JIT_FLAGS_STAMP) 2>/dev/null)" = '$(JIT_LINK_FLAGS_NOW)' ] || echo '$(JIT_LINK_FLAGS_NOW)' > $(JIT_FLAGS_STAMP); })

# What the page downloads from the build, precompressed (.br, .gz beside
# each file) for web/serve.mjs; the tool skips files already done.
WEB_DELIVERED := $(addprefix $(WASM)/web/,zxcore.mjs zxcore.wasm zxjit.mjs zxjit.wasm) $(GEN)/zx-constants.mjs

.PHONY: wasm wasm-web wasm-node
wasm: wasm-web wasm-node wasm-test
wasm-web: $(WASM)/web/zxcore.mjs $(WASM)/web/zxjit.mjs $(GEN)/zx-constants.mjs
	@node tools/precompress.mjs $(WEB_DELIVERED)
wasm-node: $(WASM)/node/zxcore.cjs $(WASM)/node/zxjit.cjs $(GEN)/zx-constants.mjs

# Each object depends on the headers it really includes (-MMD: the .d files
# beside the objects), so a core header edit does not rebuild the compiler's
# objects and relink zxjit (a link of ~10 minutes) unless they include it.
$(WASM)/obj/%.o: %.c | $(BINARYEN_WASM)/lib/libbinaryen.a
	@mkdir -p $(dir $@)
	$(EMENV) $(EMCC) $(WASM_CFLAGS) -MMD -MP -c $< -o $@
-include $(shell find $(WASM)/obj -name '*.d' 2>/dev/null)

# The renderer's 4-pixel vectors (core/machine/zx/zx_video.c) as Wasm SIMD
# (Node 16.4+, Chrome 91+, Firefox 89+, Safari 16.4+): a full screen redraw
# costs about two thirds of the plain 32-bit build's.
$(WASM)/obj/core/machine/zx/zx_video.o: WASM_CFLAGS += -msimd128

# Both the core and the compiler link the decoder (its tables: Makefile).
$(WASM)/obj/core/cpu/z80/z80_decode.o: $(Z80_OPS_TABLES)

# The embedded default ROM (OpenSE BASIC, copied from Debian's opense-basic
# by scripts/setup.sh) becomes a C array; it is never committed.
$(GEN)/rom_opense.c: $(DEPS)/opense.rom tools/bin2c.mjs
	@mkdir -p $(dir $@)
	node tools/bin2c.mjs $< zx_rom_opense > $@

# The C constants JS needs (key codes, formats, zxw_create flags, the
# machine's figures) as an ES module, written by a host program that includes
# the real headers (tools/gen_constants.c); web/zx-constants.mjs re-exports it.
# Never committed.
$(GEN)/zx-constants.mjs: tools/gen_constants.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) -Icore -o $(GEN)/gen_constants $<
	$(GEN)/gen_constants > $@.tmp && mv $@.tmp $@

$(DEPS)/opense.rom:
	@echo "The OpenSE ROM is missing: run 'make setup'." >&2; exit 1

$(WASM)/web/zxcore.mjs: $(CORE_WASM_OBJ) core/jit/jit_host.js emcc.mk
	@mkdir -p $(dir $@)
	$(EMENV) $(EMCC) $(CORE_WASM_OBJ) $(CORE_LDFLAGS) $(WEB_FLAGS) -o $@

$(WASM)/node/zxcore.cjs: $(CORE_WASM_OBJ) core/jit/jit_host.js emcc.mk
	@mkdir -p $(dir $@)
	$(EMENV) $(EMCC) $(CORE_WASM_OBJ) $(CORE_LDFLAGS) $(CORE_NODE_FLAGS) -o $@

$(WASM)/web/zxjit.mjs: $(JIT_WASM_OBJ) $(JIT_FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(EMENV) em++ $(JIT_WASM_OBJ) $(JIT_LDFLAGS) $(WEB_FLAGS) -o $@

$(WASM)/node/zxjit.cjs: $(JIT_WASM_OBJ) $(JIT_FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(EMENV) em++ $(JIT_WASM_OBJ) $(JIT_LDFLAGS) $(NODE_FLAGS) -o $@

$(BINARYEN_WASM)/lib/libbinaryen.a:
	@echo "Binaryen's Emscripten build is missing: run 'make setup' (or 'make test', which sets up first)." >&2
	@exit 1

# The Wasm test build (Node only): the core's objects plus the test harness
# (tests/common/, tests/wasm/: the FUSE suite and a flat 64K machine as
# exports), linked with the core's own flags and JS glue so the dynarec can be
# attached to it exactly as to zxcore. Used by tests/node/fuse.test.mjs and
# bench/bench_z80_wasm.mjs; loaded by loadTestProgram() (web/node/load-core.mjs).
ZXTEST_WASM_OBJ := $(patsubst %.c,$(WASM)/obj/%.o,$(TEST_COMMON_SRC) $(sort $(wildcard tests/wasm/*.c)))
$(ZXTEST_WASM_OBJ): WASM_CFLAGS += -Itests/common -Itests/wasm
$(ZXTEST_WASM_OBJ): $(wildcard tests/common/*.h tests/wasm/*.h)

# Test-only exports (the shared dynarec instance, the dynarec self-test) live
# in tests/wasm/ and are linked only here, never into zxcore. A web flavour
# serves the browser's self-test page (tests/browser/selftest.html).
.PHONY: wasm-test
wasm-test: $(WASM)/node/zxtest.cjs $(WASM)/web/zxtest.mjs $(GEN)/zx-constants.mjs

$(WASM)/node/zxtest.cjs: $(CORE_WASM_OBJ) $(ZXTEST_WASM_OBJ) core/jit/jit_host.js emcc.mk
	@mkdir -p $(dir $@)
	$(EMENV) $(EMCC) $(CORE_WASM_OBJ) $(ZXTEST_WASM_OBJ) $(CORE_LDFLAGS) $(CORE_NODE_FLAGS) -sEXPORT_NAME=createZxTest -o $@

$(WASM)/web/zxtest.mjs: $(CORE_WASM_OBJ) $(ZXTEST_WASM_OBJ) core/jit/jit_host.js emcc.mk
	@mkdir -p $(dir $@)
	$(EMENV) $(EMCC) $(CORE_WASM_OBJ) $(ZXTEST_WASM_OBJ) $(CORE_LDFLAGS) $(WEB_FLAGS) -sEXPORT_NAME=createZxTest -o $@
