# The Emscripten build of the core (included by the top-level Makefile).
#   build/wasm/web/zxcore.mjs + zxcore.wasm   ES module for browsers
#   build/wasm/node/zxcore.cjs + zxcore.wasm  CommonJS module for Node
# Objects are shared by both links and rebuilt only when their sources change.
# Binaryen (compiled with Emscripten by scripts/setup.sh, cached outside the
# clone) and xxHash (header-only) are linked in.

EMCC ?= emcc
WASM := $(BUILD)/wasm
DEPS := $(BUILD)/deps
BINARYEN_WASM := $(DEPS)/binaryen-wasm
# Debian's emcc needs its JS optimiser's acorn module from Debian's node path.
EMENV := NODE_PATH=/usr/share/nodejs

WASM_CFLAGS := -std=c11 -O2 $(WARN) -Icore -Iwasm-backend -I$(BUILD)/gen -I$(BINARYEN_WASM)/include -I$(DEPS)/include
WASM_OBJ := $(patsubst %.c,$(WASM)/obj/%.o,$(CORE_SRC) $(BACKEND_SRC))
WASM_LDFLAGS := -O2 -sMODULARIZE=1 -sEXPORT_NAME=createZxCore \
    -sALLOW_MEMORY_GROWTH=1 -sALLOW_TABLE_GROWTH=1 -sFILESYSTEM=0 -sEXIT_RUNTIME=0 \
    -sEXPORTED_RUNTIME_METHODS=addFunction,removeFunction \
    -sEXPORTED_FUNCTIONS=_malloc,_free \
    --js-library web/jit-glue.js \
    $(BINARYEN_WASM)/lib/libbinaryen.a

.PHONY: wasm wasm-web wasm-node
wasm: wasm-web wasm-node
wasm-web: $(WASM)/web/zxcore.mjs
wasm-node: $(WASM)/node/zxcore.cjs

$(WASM)/obj/%.o: %.c $(CORE_HDR) | $(BINARYEN_WASM)/lib/libbinaryen.a
	@mkdir -p $(dir $@)
	$(EMENV) $(EMCC) $(WASM_CFLAGS) -c $< -o $@

$(WASM)/web/zxcore.mjs: $(WASM_OBJ) web/jit-glue.js emcc.mk
	@mkdir -p $(dir $@)
	$(EMENV) em++ $(WASM_OBJ) $(WASM_LDFLAGS) -sENVIRONMENT=web,worker -sEXPORT_ES6=1 -o $@

$(WASM)/node/zxcore.cjs: $(WASM_OBJ) web/jit-glue.js emcc.mk
	@mkdir -p $(dir $@)
	$(EMENV) em++ $(WASM_OBJ) $(WASM_LDFLAGS) -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0 -o $@

$(BINARYEN_WASM)/lib/libbinaryen.a:
	@echo "Binaryen's Emscripten build is missing: run 'make setup' (or 'make test', which sets up first)." >&2
	@exit 1
