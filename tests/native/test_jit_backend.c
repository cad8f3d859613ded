/*
 * test_jit_backend.c: the Z80 translator built natively against Debian's
 * libbinaryen: every opcode of every group, alone and in small regions,
 * becomes a module that passes Binaryen's validation, in both the plain and
 * the TRACE flavour, with and without contention and hooked pages. (The
 * generated code only runs under Node: tests/node/jit*.test.mjs.) The
 * compile request goes through the core's encoder and the compiler's
 * decoder: the region the compiler rebuilds from the request's blocks must
 * be exactly the one the core discovered, and a damaged request is refused
 * with a message that says why. The load form (operands read from guest
 * memory at run time) is built for every opcode too, with every operand
 * byte it can load loaded. Every module built (in the compiler's IR,
 * wasm-backend/wb_ir.h) is rebuilt in Binaryen, validated there, and our
 * writer's bytes (wasm-backend/wb_write.c) are compared byte for byte with
 * Binaryen's writer's; batches of functions, a reducible and an
 * irreducible control flow (wasm-backend/wb_flow.c: how it renders) are
 * built too.
 *
 * Usage: test_jit_backend [-p HEXBYTES]   (-p: print the module for the bytes)
 */
#include <binaryen-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/z80/jit_region.h"
#include "jit_request.h"
#include "wb_flow.h"
#include "wb_ir_binaryen.h"
#include "wb_write.h"
#include "z80/wb_z80.h"
#include "jit/z80/jit_z80_request.h"
#include "cpu/z80/z80.h"

static int failures, checks;

static void expect(bool ok, const char *what, const char *detail) {
    checks++;
    if (ok) {
        printf("PASS %s\n", what);
    } else {
        printf("FAIL %s: %s\n", what, detail);
        failures++;
    }
}

/* The module built for a request: rebuilt in Binaryen (the reference,
 * wasm-backend/wb_ir_binaryen.h) it passes Binaryen's validation, and our
 * writer's bytes are Binaryen's writer's, byte for byte (wb_write.h).
 * print: Binaryen's text of it on stdout. False with a message in detail. */
static int writer_checks;
static bool built_ok(const uint8_t *req, size_t len, char *detail, size_t dlen, bool print) {
    wb_mod_t *ir = len ? wb_z80_build(req, len, detail, dlen) : NULL;
    if (!ir) return false;
    BinaryenModuleRef m = wb_ir_binaryen(ir);
    bool ok = wb_mod_functions(ir) > 0;
    if (ok && !BinaryenModuleValidate(m)) {
        snprintf(detail, dlen, "invalid module");
        ok = false;
    }
    ok = ok && wb_ir_binaryen_same_bytes(ir, m, detail, dlen);
    writer_checks++;
    if (print) BinaryenModulePrint(m);
    BinaryenModuleDispose(m);
    wb_mod_dispose(ir);
    return ok;
}

static bool same_insn(const z80_insn_t *a, const z80_insn_t *b) {
    return a->pc == b->pc && a->length == b->length && a->group == b->group && a->opcode == b->opcode &&
           a->prefixes == b->prefixes && a->r_incr == b->r_incr && a->disp == b->disp && a->imm8 == b->imm8 &&
           a->imm16 == b->imm16 && a->target == b->target && a->tstates == b->tstates &&
           a->tstates_taken == b->tstates_taken && a->flags_read == b->flags_read &&
           a->flags_written == b->flags_written && a->regs_read == b->regs_read &&
           a->regs_written == b->regs_written && a->attrs == b->attrs && a->mnemonic == b->mnemonic;
}

static bool same_region(const jit_region_t *a, const jit_region_t *b) {
    if (a->entry != b->entry || a->n_insns != b->n_insns || a->n_blocks != b->n_blocks || a->lo != b->lo ||
        a->hi != b->hi || memcmp(a->covered, b->covered, sizeof a->covered) != 0 || a->n_loaded != b->n_loaded ||
        memcmp(a->loaded, b->loaded, sizeof a->loaded) != 0 ||
        memcmp(a->blocks, b->blocks, sizeof a->blocks) != 0)
        return false;
    for (int i = 0; i < a->n_insns; i++)
        if (!same_insn(&a->insns[i], &b->insns[i])) return false;
    return true;
}

/* Core side: discover and encode; compiler side: decode and rebuild. The
 * two regions must match field for field. */
static void check_round_trip(const uint8_t *code, size_t n, uint32_t flags, const char *what) {
    static jit_z80_request_t sent, got;
    static jit_region_t discovered, rebuilt;
    static uint8_t req[4096];
    char err[256] = "", name[96];
    snprintf(name, sizeof name, "round trip %s", what);
    if (!jit_request_fill(&sent, &discovered, code, n, flags, 0)) {
        expect(false, name, "not compilable");
        return;
    }
    size_t len = jit_z80_request_encode(&sent, req, sizeof req);
    bool ok = len > 0 && jit_z80_request_decode(req, len, &got, err, sizeof err) &&
              jit_z80_request_region(&got, 0, &rebuilt, err, sizeof err);
    expect(ok && same_region(&discovered, &rebuilt), name, err[0] ? err : "regions differ");
}

/* A damaged request is refused with a message naming the damage. */
static void check_refused(const uint8_t *req, size_t len, const char *want, const char *what) {
    static jit_z80_request_t got;
    char err[256] = "", name[96];
    snprintf(name, sizeof name, "refused %s", what);
    bool decoded = jit_z80_request_decode(req, len, &got, err, sizeof err);
    static jit_region_t region;
    if (decoded) decoded = jit_z80_request_region(&got, 0, &region, err, sizeof err);
    expect(!decoded && strstr(err, want) != NULL, name, decoded ? "accepted" : err);
}

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void check_damaged_requests(void) {
    /* LD B,10; l: DEC B; JR NZ,l; RET: two blocks */
    static const uint8_t loop[] = {0x06, 0x0a, 0x05, 0x20, 0xfd, 0xc9};
    static uint8_t good[4096], bad[4096];
    size_t len = jit_request(good, sizeof good, loop, sizeof loop, 0, 0);
    expect(len == JIT_Z80_REQUEST_HEADER_BYTES + 5 * 4 + 3 * 2 * 4 + 64, "request length",
           "header, entry words, 3 blocks, window");
    bool all_refused = true;
    for (size_t cut = 0; cut < len; cut++) {
        static jit_z80_request_t got;
        char err[256] = "";
        if (jit_z80_request_decode(good, cut, &got, err, sizeof err) ||
            !(strstr(err, "truncated") || strstr(err, "too short"))) {
            printf("  cut at %zu: %s\n", cut, err[0] ? err : "accepted");
            all_refused = false;
        }
    }
    expect(all_refused, "every truncation refused", "see above");
    const size_t entry = JIT_Z80_REQUEST_HEADER_BYTES;
    struct {
        size_t at;
        uint32_t value;
        const char *want, *what;
    } damage[] = {
        {0, 7, "not a Z80 request", "kind"},
        {4, 1, "version 1", "version"},
        {12, 4, "layout mismatch", "cpu_size"},
        {56, 0, "without the table slot of core function 0", "a core function's slot missing"},
        {56 + 4 * JIT_Z80_CALL_CHAIN, 0, "without the table slot of core function 8", "jit_chain's slot missing"},
        {entry - 4, 0, "with 0 functions", "no entries"},
        {entry - 4, 65, "with 65 functions", "too many entries"},
        {entry + 8, JIT_REGION_WINDOW + 1, "out of range", "window too long"},
        {entry + 12, 0, "nothing to compile", "no blocks"},
        {entry + 12, JIT_REGION_MAX_BLOCKS + 1, "blocks", "too many blocks"},
        {entry + 16, JIT_Z80_REQUEST_MAX_LOADED + 1, "loaded bytes", "too many loaded bytes"},
        {entry + 16, 1, "outside its 64-byte window", "loaded byte outside the window"},
        {entry + 20, 0x8001, "first block", "first block not at the entry"},
        {entry + 24, 0, "out of range", "empty block"},
        {entry + 24, JIT_REGION_MAX_INSNS + 1, "out of range", "too many instructions"},
        {entry + 28, 0x9000, "nothing to compile", "block outside the window"},
        {entry + 32, 80, "nothing to compile", "block running out of the window"},
    };
    memcpy(bad, good, len);
    put32(bad + len, 0);
    check_refused(bad, len + 4, "after its last entry", "trailing bytes");
    for (size_t i = 0; i < sizeof damage / sizeof damage[0]; i++) {
        memcpy(bad, good, len);
        put32(bad + damage[i].at, damage[i].value);
        check_refused(bad, len, damage[i].want, damage[i].what);
    }
}

/* Predicted targets of indirect jumps: followed from JP (HL) (and only
 * from indirect jumps), flagged, carried through the request, and the
 * module builds and validates. */
static void check_indirect_targets(void) {
    /* 8000: LD HL,8008; JP (HL); NOP; NOP; NOP; NOP
     * 8008: INC A; RET   800a: DEC A; RET   800c: JP (IX) */
    static const uint8_t code[] = {0x21, 0x08, 0x80, 0xe9, 0, 0, 0, 0, 0x3c, 0xc9, 0x3d, 0xc9, 0xdd, 0xe9};
    static jit_z80_request_t sent, got;
    static jit_region_t plain, profiled, rebuilt;
    static uint8_t req[4096];
    char err[256] = "";
    uint8_t window[64] = {0};
    memcpy(window, code, sizeof code);
    jit_request_fill(&sent, &plain, code, sizeof code, 0, 0);
    expect(plain.n_blocks == 1 && plain.blocks[0].flags == 0, "indirect: no profile, one block", "");
    /* 8008 and 800a as seen; 9000 outside the window; 8001 inside an instruction */
    const uint16_t targets[] = {0x8008, 0x800a, 0x9000, 0x8001};
    sent.count = 0;
    bool ok = jit_z80_request_add_profiled(&sent, 0x8000, 0x8000, sizeof window, window, NULL, targets, 4, &profiled);
    int flagged = 0, at8008 = jit_region_block_at(&profiled, 0x8008), at800a = jit_region_block_at(&profiled, 0x800a);
    for (int b = 0; b < profiled.n_blocks; b++) flagged += (profiled.blocks[b].flags & JIT_BLOCK_INDIRECT) != 0;
    expect(ok && profiled.n_blocks == 3 && flagged == 2 && at8008 > 0 && at800a > 0 &&
               (profiled.blocks[at8008].flags & JIT_BLOCK_INDIRECT) && (profiled.blocks[at800a].flags & JIT_BLOCK_INDIRECT),
           "indirect: JP (HL) follows the targets in its window, flagged", "");
    size_t len = jit_z80_request_encode(&sent, req, sizeof req);
    ok = len > 0 && jit_z80_request_decode(req, len, &got, err, sizeof err) &&
         jit_z80_request_region(&got, 0, &rebuilt, err, sizeof err);
    expect(ok && same_region(&profiled, &rebuilt), "indirect: flags survive the request", err);
    size_t out = 0;
    uint8_t *bytes = len ? wb_z80_compile(req, len, &out, err, sizeof err) : NULL;
    expect(bytes != NULL && out > 0, "indirect: the profiled module builds and validates", err);
    free(bytes);
    /* the entry at 800c: JP (IX) takes them too; a RET does not */
    sent.count = 0;
    ok = jit_z80_request_add_profiled(&sent, 0x800c, 0x8000, sizeof window, window, NULL, targets, 2, &profiled);
    expect(ok && profiled.n_blocks == 3, "indirect: JP (IX) follows them too", "");
    sent.count = 0;
    ok = jit_z80_request_add_profiled(&sent, 0x8008, 0x8000, sizeof window, window, NULL, targets + 1, 1, &profiled);
    expect(ok && profiled.n_blocks == 1, "indirect: RET does not take them", "");
    /* unknown block flags are refused */
    static uint8_t bad[4096];
    len = jit_z80_request_encode(&sent, bad, sizeof bad);
    put32(bad + JIT_Z80_REQUEST_HEADER_BYTES + 24, 2u << 16 | 2);
    check_refused(bad, len, "unknown flags", "unknown block flags");
}

static void check(const uint8_t *code, size_t n, uint32_t flags, int contended, const char *what, bool print) {
    static uint8_t req[4096];
    size_t len = jit_request(req, sizeof req, code, n, flags, contended);
    char err[256] = "";
    if (!print) check_round_trip(code, n, flags, what);
    expect(built_ok(req, len, err, sizeof err, print), what, err);
}

/* The load form: the request for `code` with every operand byte the
 * translator can read at run time loaded. Round trip (the loaded bytes
 * travel, are not covered) and a valid module. Returns how many bytes were
 * loaded (-1: not compilable). */
static int check_load_form(const uint8_t *code, size_t n, uint32_t flags, int contended, const char *what) {
    static jit_z80_request_t sent, got;
    static jit_region_t discovered, rebuilt;
    static uint8_t req[4096];
    char err[256] = "", name[96];
    snprintf(name, sizeof name, "load form %s", what);
    if (!jit_request_fill(&sent, &discovered, code, n, flags, contended)) return -1;
    uint8_t all[JIT_REGION_WINDOW / 8];
    memset(all, 0xff, sizeof all);
    sent.count = 0;
    if (!jit_z80_request_add_loading(&sent, 0x8000, 0x8000, sent.entries[0].len, sent.entries[0].window, all,
                                     &discovered)) {
        expect(false, name, "not compilable in the load form");
        return -1;
    }
    bool uncovered = true;
    for (int off = 0; off < JIT_REGION_WINDOW; off++)
        if (jit_region_bit(discovered.loaded, off) && jit_region_bit(discovered.covered, off)) uncovered = false;
    size_t len = jit_z80_request_encode(&sent, req, sizeof req);
    bool ok = len > 0 && jit_z80_request_decode(req, len, &got, err, sizeof err) &&
              jit_z80_request_region(&got, 0, &rebuilt, err, sizeof err) && same_region(&discovered, &rebuilt);
    ok = ok && uncovered && built_ok(req, len, err, sizeof err, false);
    expect(ok, name, err[0] ? err : !uncovered ? "a loaded byte is covered" : "regions differ");
    return discovered.n_loaded;
}

/* Several functions to a module (as the core batches them), with calls,
 * returns to predicted call sites, an indirect jump, loops, port and block
 * instructions, in every flavour: both writers make the same bytes. */
static void check_batches(void) {
    static const uint8_t code[] = {
        0x21, 0x00, 0x90, 0x06, 0x08,       /* 8000 LD HL,9000; LD B,8 */
        0x7e, 0xcd, 0x20, 0x80, 0x77, 0x23, /* 8005 LD A,(HL); CALL 8020; LD (HL),A; INC HL */
        0x10, 0xf8,                         /* 800b DJNZ 8005 */
        0x21, 0x30, 0x80, 0xe9,             /* 800d LD HL,8030; JP (HL) */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x87, 0xd0, 0x3c, 0xc9,             /* 8020 ADD A,A; RET NC; INC A; RET */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xd3, 0xfe, 0xed, 0xb0, 0xc9,       /* 8030 OUT (FE),A; LDIR; RET */
    };
    static const uint16_t entries[] = {0x8005, 0x8020, 0x8030};
    static const uint32_t flavours[] = {0, JIT_Z80_F_TRACE, JIT_Z80_F_HOOK_WINDOW, JIT_Z80_F_SINGLE_BLOCK};
    for (int f = 0; f < 4; f++)
        for (int contended = 0; contended < 2; contended++) {
            static jit_z80_request_t rq;
            static jit_region_t region;
            static uint8_t req[8192];
            char what[96], err[256] = "";
            snprintf(what, sizeof what, "writers: a batch of 4, flags %x, contended %d", flavours[f], contended);
            bool ok = jit_request_fill(&rq, &region, code, sizeof code, flavours[f], contended);
            uint8_t window[64] = {0};
            memcpy(window, code, sizeof code);
            for (int e = 0; e < 3 && ok; e++) ok = jit_z80_request_add(&rq, entries[e], 0x8000, sizeof window, window, &region);
            size_t len = ok ? jit_z80_request_encode(&rq, req, sizeof req) : 0;
            ok = built_ok(req, len, err, sizeof err, false);
            expect(ok && rq.count == 4, what, err[0] ? err : "not built");
        }
}

/* Control flow (wasm-backend/wb_flow.c): a reducible region is structured
 * as blocks and loops, a loop entered in the middle becomes a dispatch
 * loop; both build valid modules the writers agree on. */
static void check_flow_shapes(void) {
    static const uint8_t loops[] = {
        0x06, 0x0a,       /* 8000 LD B,10 */
        0x0d,             /* 8002 l: DEC C */
        0x28, 0x01,       /* 8003 JR Z,+1 */
        0x3c,             /* 8005 INC A */
        0x10, 0xf9,       /* 8006 DJNZ l (two paths join at 8006) */
        0xc9,             /* 8008 RET */
    };
    static const uint8_t entered_inside[] = {
        0x28, 0x02, /* 8000 JR Z,b */
        0x3c,       /* 8002 a: INC A */
        0x04,       /* 8003 INC B */
        0x0d,       /* 8004 b: DEC C */
        0x20, 0xfb, /* 8005 JR NZ,a: the cycle a-b is entered at a and at b */
        0xc9,       /* 8007 RET */
    };
    const struct { const uint8_t *code; size_t n; bool dispatched; const char *what; } shapes[] = {
        {loops, sizeof loops, false, "flow: a loop with a join inside, structured"},
        {entered_inside, sizeof entered_inside, true, "flow: a loop entered in the middle, a dispatch loop"},
    };
    for (int s = 0; s < 2; s++) {
        static uint8_t req[4096];
        char err[256] = "";
        size_t len = jit_request(req, sizeof req, shapes[s].code, shapes[s].n, 0, 1);
        unsigned before = wb_flow_dispatched;
        bool ok = built_ok(req, len, err, sizeof err, false);
        char detail[300];
        snprintf(detail, sizeof detail, "%s (dispatch loops: %u)", err[0] ? err : "not built", wb_flow_dispatched - before);
        expect(ok && (wb_flow_dispatched != before) == shapes[s].dispatched, shapes[s].what, detail);
    }
}

/* A malformed module (a front-end bug) is refused by the writer with a
 * message, never written: a branch to a label outside it, a local out of
 * range. */
static void check_writer_refuses(void) {
    char err[256] = "";
    size_t len = 0;
    wb_mod_t *m = wb_mod_create();
    wbx_t body[2] = {wbi_br(m, 7, NULL), wbi_i32(m, 0)};
    wb_mod_add_function(m, "f", 0, 0, wbi_block(m, 3, body, 2), false);
    uint8_t *a = wb_mod_write(m, &len, err, sizeof err);
    expect(a == NULL && strstr(err, "label 7") != NULL, "writer: a branch out of nowhere is refused with a message", err);
    free(a);
    wb_mod_dispose(m);
    m = wb_mod_create();
    wb_mod_add_function(m, "f", 1, 1, wbi_get(m, 2), false);
    a = wb_mod_write(m, &len, err, sizeof err);
    expect(a == NULL && strstr(err, "local 2 of 2") != NULL, "writer: a local out of range is refused with a message", err);
    free(a);
    wb_mod_dispose(m);
}

static int hexval(int ch) { return ch <= '9' ? ch - '0' : (ch | 32) - 'a' + 10; }

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "-p")) {
        uint8_t code[32];
        size_t n = 0;
        for (const char *s = argv[2]; s[0] && s[1] && n < sizeof code; s += 2) code[n++] = (uint8_t)(hexval(s[0]) * 16 + hexval(s[1]));
        check(code, n, 0, 0, argv[2], true);
        return failures != 0;
    }
    static const uint8_t prefixes[][2] = {{0}, {0xcb}, {0xed}, {0xdd}, {0xfd}, {0xdd, 0xcb}, {0xfd, 0xcb}};
    static const int plen[] = {0, 1, 1, 1, 1, 2, 2};
    int loadable_ops = 0;
    for (int g = 0; g < 7; g++) {
        for (int op = 0; op < 256; op++) {
            uint8_t code[8];
            size_t n = 0;
            for (int i = 0; i < plen[g]; i++) code[n++] = prefixes[g][i];
            if (g >= 5) code[n++] = 0x05; /* d */
            code[n++] = (uint8_t)op;
            code[n++] = 0x12;
            code[n++] = 0x34;
            code[n++] = 0x00;
            char what[64];
            for (int variant = 0; variant < 4; variant++) {
                snprintf(what, sizeof what, "group %d op %02x variant %d", g, op, variant);
                check(code, n, variant & 1 ? JIT_Z80_F_TRACE : 0, variant >> 1, what, false);
                int loaded = check_load_form(code, n, variant & 1 ? JIT_Z80_F_TRACE : 0, variant >> 1, what);
                if (loaded > 0) loadable_ops++;
            }
        }
    }
    /* a loop: LD B,10; l: DEC B; JR NZ,l; LDIR; RET */
    static const uint8_t loop[] = {0x06, 0x0a, 0x05, 0x20, 0xfd, 0xed, 0xb0, 0xc9};
    check(loop, sizeof loop, 0, 1, "loop", false);
    check(loop, sizeof loop, JIT_Z80_F_SINGLE_BLOCK, 0, "loop, single blocks", false);
    check_damaged_requests();
    check_indirect_targets();
    check_batches();
    check_flow_shapes();
    check_writer_refuses();
    /* Base: 7 LD r,n + LD (HL),n, 4 LD rr,nn, 4 LD (nn)/(nn) forms, 8 ALU n, 9 JP (cc,)nn,
     * 9 CALL (cc,)nn, OUT/IN (n) = 44; ED: 8 LD (nn),rr / rr,(nn); DD and FD: the
     * same 44 (index halves, IX/IY, ignored prefixes) but LD (IX+d),n. Four variants each. */
    char loaded_ops[64];
    snprintf(loaded_ops, sizeof loaded_ops, "%d opcode variants", loadable_ops);
    expect(loadable_ops == 4 * (44 + 8 + 2 * 43), "load form: loadable opcodes", loaded_ops);
    char compared[64];
    snprintf(compared, sizeof compared, "%d modules", writer_checks);
    expect(writer_checks > 14000, "writers: compared on every module built", compared);
    printf("%d checks, %d failures\n", checks, failures);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures != 0;
}
