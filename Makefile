# Top-level build. The two commands a newcomer needs:
#   make run    set up what is missing, build, serve index.html on 127.0.0.1
#   make test   set up what is missing, build, run every test
# Native objects go to build/native, Wasm outputs to build/wasm (emcc.mk).

SHELL := bash
CC ?= gcc
BUILD := build
NATIVE := $(BUILD)/native

# Every C file under core/ is the emulator core (CPU, machines, media, the
# dynarec runtime, the Wasm exports); wasm-backend/ is the compiler.
CORE_SRC := $(sort $(shell find core -name '*.c'))
BACKEND_SRC := $(sort $(shell find wasm-backend -name '*.c'))
CORE_HDR := $(sort $(shell find core wasm-backend -name '*.h'))
# Test harness code shared by the native tests and the Wasm test build (emcc.mk).
TEST_COMMON_SRC := $(sort $(wildcard tests/common/*.c))

WARN := -Wall -Wextra -Werror -Wno-unused-parameter
# Native test build: sanitizers on, optimised enough to run the suites quickly.
TEST_CFLAGS := -std=c11 -O1 -g $(WARN) -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Icore -Iwasm-backend -Ibuild/gen -Itests/common
# Native benchmark build: no sanitizers.
BENCH_CFLAGS := -std=c11 -O2 $(WARN) -Icore -Iwasm-backend -Ibuild/gen
LIBS := -lm

NATIVE_TESTS := $(patsubst tests/native/%.c,$(NATIVE)/%,$(sort $(wildcard tests/native/test_*.c)))
NATIVE_BENCH := $(patsubst bench/%.c,$(NATIVE)/%,$(sort $(wildcard bench/bench_*.c)))

.PHONY: all setup native run test test-native test-node test-browser bench clean wasm
all: native wasm

setup:
	@bash scripts/setup.sh

native: $(NATIVE_TESTS) $(NATIVE_BENCH)

# The sources shared by every native test are compiled once (sanitized
# objects under build/native/obj) and linked into each test program.
NATIVE_OBJ := $(patsubst %.c,$(NATIVE)/obj/%.o,$(TEST_COMMON_SRC) $(CORE_SRC) $(BACKEND_SRC))
.SECONDARY: $(NATIVE_OBJ)

$(NATIVE)/obj/%.o: %.c $(CORE_HDR) $(wildcard tests/common/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

# The Z80 decoder's tables, generated from the instruction-set description
# (never committed); z80_decode.c includes them.
Z80_OPS_TABLES := $(BUILD)/gen/z80_ops_tables.h
$(Z80_OPS_TABLES): core/cpu/z80/z80_ops.tab tools/gen_z80_tables.mjs
	node tools/gen_z80_tables.mjs $< $@
$(NATIVE)/obj/core/cpu/z80/z80_decode.o $(NATIVE_BENCH): $(Z80_OPS_TABLES)

$(NATIVE)/test_%: tests/native/test_%.c $(wildcard tests/native/*.h tests/common/*.h) $(NATIVE_OBJ) $(CORE_HDR) | $(NATIVE)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(NATIVE_OBJ) -lbinaryen $(LIBS)

$(NATIVE)/bench_%: bench/bench_%.c $(CORE_SRC) $(BACKEND_SRC) $(CORE_HDR) | $(NATIVE)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(CORE_SRC) $(BACKEND_SRC) -lbinaryen $(LIBS)

$(NATIVE):
	@mkdir -p $@

include emcc.mk

# The project's own guest programs: tests/z80src/*.asm -> build/z80/*.bin
# (pasmo, tools/assemble.sh), and hello.bin as a loadable TAP for the
# headless runner's tests (tests/node/headless-*.test.mjs). Built with native.
Z80_SRC := $(sort $(wildcard tests/z80src/*.asm tests/z80src/*.inc))
.PHONY: z80bin
z80bin: $(BUILD)/z80/hello.tap
native: z80bin

$(BUILD)/z80/.assembled: $(Z80_SRC) tools/assemble.sh
	bash tools/assemble.sh
	@touch $@

$(BUILD)/z80/hello.tap: $(BUILD)/z80/.assembled tools/mktap.mjs
	node tools/mktap.mjs $(BUILD)/z80/hello.bin $@ --org 32768 --name hello

test-native: native
	@bash tests/run-native.sh $(NATIVE_TESTS)

# The interpreter's speed natively and as Wasm under Node, on the same
# workloads (tests/z80src/*.asm). BENCH_MTS: million T-states per workload.
# Then the whole 48K machine, interpreter against dynarec (bench_machine.mjs;
# BENCH_MACHINE: its options, e.g. "--only game-smc --repeat 3").
BENCH_MTS ?= 1000
BENCH_MACHINE ?=
bench: $(NATIVE)/bench_z80 wasm-test wasm-node
	bash tools/assemble.sh
	@echo "native (gcc -O2):"
	$(NATIVE)/bench_z80 $(BENCH_MTS)
	node bench/bench_z80_wasm.mjs $(BENCH_MTS)
	node bench/bench_machine.mjs $(BENCH_MACHINE)

clean:
	rm -rf $(NATIVE) $(BUILD)/wasm $(BUILD)/gen

# The playable page for delivery (tools/bundle.mjs): its module graphs in
# a few files and the Wasm programs, under content-hashed names in
# build/dist/, precompressed; web/serve.mjs serves build/dist/index.html.
.PHONY: bundle
bundle: wasm-web
	@node tools/bundle.mjs
	@node tools/precompress.mjs $(BUILD)/dist
wasm: bundle

PORT ?= 8080
run: setup
	@$(MAKE) --no-print-directory bundle
	@node web/serve.mjs --port $(PORT)

test:
	@bash tests/run-all.sh
