/*
 * fuse_runner.c: parsing, running and checking the FUSE Z80 tests (see
 * fuse_runner.h). The output format and the comparison are those of the
 * original tests/native/test_fuse.c, so verdicts are unchanged.
 */
#include "fuse_runner.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for the longest test's event log with a wide margin (the longest in
 * fuse 1.6.0 is a few KB); zero-initialised, so it costs no file size. */
#define OUT_MAX (1 << 20)

static uint8_t mem[0x10000], mem0[0x10000];
static char out[OUT_MAX];
static size_t out_len;
/* The expected block as compared (FUSE's, or amended: see _amend_repeat_step)
 * and what the amendment changed ("" when nothing). */
static char expected_amended[1 << 16];
static char amendment[160];

const char *fuse_last_amendment(void) { return amendment; }

uint8_t *fuse_memory(void) { return mem; }
const char *fuse_last_output(void) { return out; }

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + out_len, OUT_MAX - out_len, fmt, ap);
    va_end(ap);
    if (n > 0 && out_len + (size_t)n < OUT_MAX) out_len += (size_t)n;
}

static void trace(void *user, int kind, uint16_t addr, uint8_t value, uint32_t t) {
    static const char *names[] = {"MC", "MR", "MW", "PC", "PR", "PW"};
    (void)user;
    if (kind == Z80_EV_MR || kind == Z80_EV_MW || kind == Z80_EV_PR || kind == Z80_EV_PW)
        emit("%5u %s %04x %02x\n", t, names[kind], addr, value);
    else
        emit("%5u %s %04x\n", t, names[kind], addr);
}

static uint8_t port_in(void *user, uint16_t port, uint32_t t) {
    (void)user; (void)t;
    return (uint8_t)(port >> 8);
}

/* One number in `base`; strtoul rather than sscanf because glibc's sscanf
 * measures the whole remaining text on every call (quadratic on tests.in).
 * "-1" (the end marker) reads as ULONG_MAX, which callers treat as "past". */
static bool num(const char **p, int base, unsigned long *v) {
    char *end;
    *v = strtoul(*p, &end, base);
    if (end == *p) return false;
    *p = end;
    return true;
}

/* Parses a test body (after its name line) into cpu, and its memory blocks
 * into m (NULL: just skip them). Returns the end T-state, or -1 if corrupt;
 * *p moves past the body. */
static long parse_setup(const char **p, z80_t *c, uint8_t *m) {
    unsigned long r[13], x[7];
    for (int i = 0; i < 13; i++)
        if (!num(p, 16, &r[i])) return -1;
    for (int i = 0; i < 7; i++) /* I R (hex), IFF1 IFF2 IM halted end (decimal) */
        if (!num(p, i < 2 ? 16 : 10, &x[i])) return -1;
    c->af.w = (uint16_t)r[0]; c->bc.w = (uint16_t)r[1]; c->de.w = (uint16_t)r[2]; c->hl.w = (uint16_t)r[3];
    c->af_.w = (uint16_t)r[4]; c->bc_.w = (uint16_t)r[5]; c->de_.w = (uint16_t)r[6]; c->hl_.w = (uint16_t)r[7];
    c->ix.w = (uint16_t)r[8]; c->iy.w = (uint16_t)r[9]; c->sp = (uint16_t)r[10]; c->pc = (uint16_t)r[11];
    c->wz = (uint16_t)r[12];
    c->i = (uint8_t)x[0]; c->r = (uint8_t)x[1]; c->iff1 = (uint8_t)x[2]; c->iff2 = (uint8_t)x[3];
    c->im = (uint8_t)x[4]; c->halted = (uint8_t)x[5];
    for (;;) { /* "ADDR bytes... -1" blocks, ended by a lone "-1" */
        unsigned long addr, b;
        if (!num(p, 16, &addr)) return -1;
        if (addr >= 0x10000) break;
        for (;;) {
            if (!num(p, 16, &b)) return -1;
            if (b >= 0x100) break;
            if (m) m[addr & 0xffff] = (uint8_t)b;
            addr++;
        }
    }
    return (long)x[6];
}

/* Reads a test's name line at *p into name; returns false at the end. */
static bool parse_name(const char **p, char *name, size_t name_n) {
    const char *s = *p;
    while (*s == '\n' || *s == '\r' || *s == ' ') s++;
    if (!*s) return false;
    size_t i = 0;
    for (; *s && *s != '\n'; s++)
        if (i + 1 < name_n) name[i++] = *s;
    while (i && (name[i - 1] == '\r' || name[i - 1] == ' ')) i--;
    name[i] = 0;
    *p = s;
    return true;
}

/* Next block of tests.expected (lines up to a blank line), cut in place. */
static char *next_block(char **p) {
    char *s = *p;
    while (*s == '\n') s++;
    if (!*s) return NULL;
    char *start = s;
    for (;;) {
        char *nl = strchr(s, '\n');
        if (!nl) { s += strlen(s); break; }
        if (nl[1] == '\n' || nl[1] == 0) { *nl = 0; s = nl + 1; break; }
        s = nl + 1;
    }
    *p = s;
    return start;
}

static char *dup_text(const char *t, size_t n) {
    char *d = malloc(n + 1);
    if (d) { memcpy(d, t, n); d[n] = 0; }
    return d;
}

bool fuse_suite_load(fuse_suite_t *s, const char *in, size_t in_len, const char *exp, size_t exp_len) {
    memset(s, 0, sizeof *s);
    s->in_text = dup_text(in, in_len);
    s->exp_text = dup_text(exp, exp_len);
    if (!s->in_text || !s->exp_text) { fuse_suite_free(s); return false; }
    const char *pin = s->in_text;
    char *pexp = s->exp_text;
    int cap = 0;
    for (;;) {
        fuse_test_t t;
        if (!parse_name(&pin, t.name, sizeof t.name)) break;
        t.setup = pin;
        z80_t scratch;
        if (parse_setup(&pin, &scratch, NULL) < 0) { s->parse_error = true; break; }
        t.expected = next_block(&pexp); /* paired by position, as coretest.c writes them */
        if (s->count == cap) {
            cap = cap ? cap * 2 : 1024;
            fuse_test_t *grown = realloc(s->tests, (size_t)cap * sizeof *grown);
            if (!grown) { fuse_suite_free(s); return false; }
            s->tests = grown;
        }
        s->tests[s->count++] = t;
    }
    return true;
}

void fuse_suite_free(fuse_suite_t *s) {
    free(s->in_text);
    free(s->exp_text);
    free(s->tests);
    memset(s, 0, sizeof *s);
}

int fuse_suite_find(const fuse_suite_t *s, const char *name) {
    for (int i = 0; i < s->count; i++)
        if (strcmp(s->tests[i].name, name) == 0) return i;
    return -1;
}

/* One line with whitespace runs collapsed and trailing space dropped. */
static void norm_line(const char *s, size_t n, char *dst, size_t dn) {
    size_t j = 0;
    int space = 1;
    for (size_t i = 0; i < n && j + 1 < dn; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\r') {
            if (!space) dst[j++] = ' ';
            space = 1;
        } else {
            dst[j++] = ch;
            space = 0;
        }
    }
    while (j && dst[j - 1] == ' ') j--;
    dst[j] = 0;
}

/* Line-by-line comparison; on a mismatch writes
 * "line N: expected '...' got '...'" into why. */
static bool compare(const char *exp, const char *got, char *why, size_t whyn) {
    for (int line = 1;; line++) {
        if (!*exp && !*got) return true;
        const char *e_nl = strchr(exp, '\n'), *g_nl = strchr(got, '\n');
        size_t en = e_nl ? (size_t)(e_nl - exp) : strlen(exp);
        size_t gn = g_nl ? (size_t)(g_nl - got) : strlen(got);
        char a[128], b[128];
        norm_line(exp, en, a, sizeof a);
        norm_line(got, gn, b, sizeof b);
        if (strcmp(a, b) != 0) {
            snprintf(why, whyn, "line %d: expected '%s' got '%s'", line, a, b);
            return false;
        }
        exp += en + (e_nl ? 1 : 0);
        got += gn + (g_nl ? 1 : 0);
    }
}

/* The final state in coretest.c's form: registers, then changed memory runs. */
static void emit_state(const z80_t *c) {
    emit("%04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x\n", c->af.w, c->bc.w, c->de.w,
         c->hl.w, c->af_.w, c->bc_.w, c->de_.w, c->hl_.w, c->ix.w, c->iy.w, c->sp, c->pc, c->wz);
    emit("%02x %02x %d %d %d %d %u\n", c->i, c->r, c->iff1, c->iff2, c->im, c->halted, c->tstates);
    for (unsigned i = 0; i < 0x10000; i++) {
        if (mem[i] == mem0[i]) continue;
        emit("%04x ", i);
        while (i < 0x10000 && mem[i] != mem0[i]) emit("%02x ", mem[i++]);
        emit("-1\n");
    }
}

/* Even parity of v: Z80_PF or 0 (the Z80's P flag convention). */
static unsigned _even_parity(unsigned v) {
    v &= 0xff;
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return (v & 1) ? 0 : Z80_PF;
}

/* FUSE 1.6.0's tests.expected predates David Banks's 2018 findings on the
 * repeat step of the block instructions (when PC moves back by 2, F bits 5
 * and 3 come from bits 13 and 11 of that PC, MEMPTR becomes PC + 1, and
 * INIR/INDR/OTIR/OTDR recompute H and P/V: "Undocumented Z80 Flags" rev.
 * 1.0, github.com/hoglet67/Z80Decoder/wiki/Undocumented-Flags; MAME z80.cpp
 * block_io_interrupted_flags(); redcode/Z80 INXR_OTXR_COMMON). The core
 * implements them, so for a test that ends on a repeat step of ED B0-B3 or
 * B8-BB (its expected PC is the instruction's own address) the expected
 * AF and MEMPTR are rewritten here from FUSE's own values by that published
 * rule; every other register, every bus event, T-state and memory byte is
 * compared exactly as FUSE recorded it. In fuse 1.6.0 this changes
 * edb2_1, edb3_1, edb9_2, edba_1 and edbb_1 (tests/native/test_fuse.c
 * checks that list); edb0_1-style repeats whose PC has bits 13 and 11 clear
 * come out unchanged. Returns the block to compare. */
static const char *_amend_repeat_step(const char *expected, uint16_t pc0) {
    amendment[0] = 0;
    uint8_t op = mem0[(uint16_t)(pc0 + 1)];
    if (mem0[pc0] != 0xed || (op & 0xf4) != 0xb0) return expected; /* B0-B3, B8-BB */
    /* The register line: the first with 13 four-digit hex words. */
    const char *line = expected;
    unsigned w[13];
    for (;;) {
        const char *nl = strchr(line, '\n');
        if (!nl) return expected;
        line = nl + 1;
        int used = 0;
        if (sscanf(line, "%4x %4x %4x %4x %4x %4x %4x %4x %4x %4x %4x %4x %4x%n", &w[0], &w[1], &w[2], &w[3],
                   &w[4], &w[5], &w[6], &w[7], &w[8], &w[9], &w[10], &w[11], &w[12], &used) == 13 &&
            used >= 13 * 5 - 1)
            break;
    }
    unsigned pc = w[11];
    if (pc != pc0) return expected; /* the last step ended the repetition */
    unsigned af = w[0], f = af & 0xff, b = w[1] >> 8;
    unsigned nf = (f & ~(unsigned)(Z80_YF | Z80_XF)) | ((pc >> 8) & (Z80_YF | Z80_XF));
    if (op & 0x02) { /* INIR/INDR/OTIR/OTDR: the byte moved is the last port event's value */
        unsigned moved = 0;
        const char *ev = expected;
        while ((ev = strchr(ev, 'P')) != NULL) {
            unsigned port, value;
            if ((ev[1] == 'R' || ev[1] == 'W') && sscanf(ev + 2, "%4x %2x", &port, &value) == 2) moved = value;
            ev++;
        }
        unsigned term;
        nf &= ~(unsigned)(Z80_HF | Z80_PF);
        if (f & Z80_CF) {
            if (moved & 0x80) {
                term = (b - 1) & 7;
                if ((b & 0x0f) == 0x00) nf |= Z80_HF;
            } else {
                term = (b + 1) & 7;
                if ((b & 0x0f) == 0x0f) nf |= Z80_HF;
            }
        } else {
            term = b & 7;
        }
        /* P/V keeps its value when the term has even parity, else toggles */
        if (((f & Z80_PF) != 0) == (_even_parity(term) != 0)) nf |= Z80_PF;
    }
    unsigned new_af = (af & 0xff00) | nf, new_wz = (pc + 1) & 0xffff;
    if (new_af == af && new_wz == w[12]) return expected;
    snprintf(amendment, sizeof amendment, "repeat step (Banks 2018): AF %04x -> %04x, MEMPTR %04x -> %04x", af,
             new_af, w[12], new_wz);
    size_t head = (size_t)(line - expected);
    const char *tail = strchr(line, '\n');
    int n = snprintf(expected_amended, sizeof expected_amended, "%.*s%04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x%s",
                     (int)head, expected, new_af, w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11],
                     new_wz, tail ? tail : "");
    if (n < 0 || (size_t)n >= sizeof expected_amended) return expected;
    return expected_amended;
}

bool fuse_run_test(const fuse_suite_t *s, int i, fuse_run_fn run, void *ctx, char *line, size_t line_n) {
    if (i < 0 || i >= s->count) {
        snprintf(line, line_n, "FAIL #%d: no such test (the suite has %d)", i, s->count);
        return false;
    }
    const fuse_test_t *t = &s->tests[i];
    z80_t cpu;
    z80_init(&cpu);
    for (unsigned a = 0; a < 0x10000; a += 4) {
        mem[a] = 0xde; mem[a + 1] = 0xad; mem[a + 2] = 0xbe; mem[a + 3] = 0xef;
    }
    const char *p = t->setup;
    long end = parse_setup(&p, &cpu, mem); /* cannot fail: checked by fuse_suite_load */
    memcpy(mem0, mem, sizeof mem);
    uint16_t pc0 = cpu.pc;
    amendment[0] = 0;
    for (int pg = 0; pg < 4; pg++) cpu.read_page[pg] = cpu.write_page[pg] = mem + pg * 0x4000;
    cpu.contended_pages = 1u << 1; /* port PC events for 0x4000-0x7FFF */
    cpu.trace = trace;
    cpu.port_in = port_in;
    out_len = 0;
    out[0] = 0;
    emit("%s\n", t->name);
    if (run) run(ctx, &cpu, (uint32_t)end);
    else z80_run(&cpu, (uint32_t)end);
    emit_state(&cpu);
    if (out_len && out[out_len - 1] == '\n') out_len--;
    out[out_len] = 0;
    char why[400];
    if (!t->expected) {
        snprintf(line, line_n, "FAIL %s: no expected block", t->name);
        return false;
    }
    if (!compare(_amend_repeat_step(t->expected, pc0), out, why, sizeof why)) {
        snprintf(line, line_n, "FAIL %s: %s", t->name, why);
        return false;
    }
    snprintf(line, line_n, "PASS %s", t->name);
    return true;
}
