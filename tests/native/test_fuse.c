/*
 * test_fuse.c: runs the FUSE Z80 core test suite (tests.in / tests.expected
 * from fuse-emulator 1.6.0) against core/z80.c and compares, per test, the
 * full bus event list, the final registers and the changed memory, in the
 * textual form of FUSE's coretest.c.
 *
 * Usage: test_fuse [DIR]   (DIR holds tests.in and tests.expected; default
 * $FUSE_TESTS_DIR or build/deps/fuse-tests)
 *
 * Harness semantics (coretest.c): 64K flat RAM filled with DE AD BE EF,
 * the test's bytes on top; run whole instructions while tstates < end;
 * port reads return the port's high byte; a port is "contended" when its
 * high byte is 0x40-0x7F (there is no contention delay).
 */
#include "z80.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_MAX (1 << 20)

static uint8_t mem[0x10000], mem0[0x10000];
static char out[OUT_MAX];
static size_t out_len;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
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

/* Reads a whole file into a NUL-terminated buffer. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(buf); return NULL; }
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* Reads one test from tests.in at *p; returns 0 at the end. */
static int read_test(char **p, char *name, size_t name_n, z80_t *c, uint32_t *end) {
    char *s = *p;
    while (*s == '\n' || *s == '\r' || *s == ' ') s++;
    if (!*s) return 0;
    size_t i = 0;
    while (*s && *s != '\n' && i + 1 < name_n) name[i++] = *s++;
    while (i && (name[i - 1] == '\r' || name[i - 1] == ' ')) i--;
    name[i] = 0;
    unsigned r[13], i_, r_, iff1, iff2, im, halted, t;
    int n = 0;
    if (sscanf(s, "%x %x %x %x %x %x %x %x %x %x %x %x %x%n", &r[0], &r[1], &r[2], &r[3], &r[4],
               &r[5], &r[6], &r[7], &r[8], &r[9], &r[10], &r[11], &r[12], &n) != 13)
        return -1;
    s += n;
    if (sscanf(s, "%x %x %u %u %u %u %u%n", &i_, &r_, &iff1, &iff2, &im, &halted, &t, &n) != 7) return -1;
    s += n;
    c->af.w = (uint16_t)r[0]; c->bc.w = (uint16_t)r[1]; c->de.w = (uint16_t)r[2]; c->hl.w = (uint16_t)r[3];
    c->af_.w = (uint16_t)r[4]; c->bc_.w = (uint16_t)r[5]; c->de_.w = (uint16_t)r[6]; c->hl_.w = (uint16_t)r[7];
    c->ix.w = (uint16_t)r[8]; c->iy.w = (uint16_t)r[9]; c->sp = (uint16_t)r[10]; c->pc = (uint16_t)r[11];
    c->wz = (uint16_t)r[12];
    c->i = (uint8_t)i_; c->r = (uint8_t)r_; c->iff1 = (uint8_t)iff1; c->iff2 = (uint8_t)iff2;
    c->im = (uint8_t)im; c->halted = (uint8_t)halted;
    *end = t;
    for (;;) {
        int addr;
        if (sscanf(s, "%x%n", (unsigned *)&addr, &n) != 1) return -1;
        s += n;
        if (addr < 0 || addr >= 0x10000) {
            /* "-1" parses as a huge unsigned with %x */
            break;
        }
        for (;;) {
            unsigned b;
            if (sscanf(s, "%x%n", &b, &n) != 1) return -1;
            s += n;
            if (b >= 0x100) break;
            mem[addr++ & 0xffff] = (uint8_t)b;
        }
    }
    *p = s;
    return 1;
}

/* Next block of tests.expected (lines up to a blank line). */
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

/* Compares line by line with whitespace runs collapsed; on a mismatch
 * writes "line N: expected '...' got '...'" into why. */
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

static int compare(const char *exp, const char *got, char *why, size_t whyn) {
    int line = 1;
    for (;;) {
        if (!*exp && !*got) return 1;
        const char *e_nl = strchr(exp, '\n'), *g_nl = strchr(got, '\n');
        size_t en = e_nl ? (size_t)(e_nl - exp) : strlen(exp);
        size_t gn = g_nl ? (size_t)(g_nl - got) : strlen(got);
        char a[128], b[128];
        norm_line(exp, en, a, sizeof a);
        norm_line(got, gn, b, sizeof b);
        if (strcmp(a, b) != 0) {
            snprintf(why, whyn, "line %d: expected '%s' got '%s'", line, a, b);
            return 0;
        }
        exp += en + (e_nl ? 1 : 0);
        got += gn + (g_nl ? 1 : 0);
        line++;
    }
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : getenv("FUSE_TESTS_DIR");
    if (!dir) dir = "build/deps/fuse-tests";
    char path_in[1024], path_exp[1024];
    snprintf(path_in, sizeof path_in, "%s/tests.in", dir);
    snprintf(path_exp, sizeof path_exp, "%s/tests.expected", dir);
    char *in = slurp(path_in), *exp = slurp(path_exp);
    if (!in || !exp) {
        printf("FAIL fuse_tests_present: cannot read %s or %s\n", path_in, path_exp);
        return 1;
    }
    char *pin = in, *pexp = exp;
    int passed = 0, failed = 0;
    for (;;) {
        z80_t cpu;
        z80_init(&cpu);
        for (unsigned i = 0; i < 0x10000; i += 4) {
            mem[i] = 0xde; mem[i + 1] = 0xad; mem[i + 2] = 0xbe; mem[i + 3] = 0xef;
        }
        char name[80];
        uint32_t end;
        int rc = read_test(&pin, name, sizeof name, &cpu, &end);
        if (rc == 0) break;
        if (rc < 0) { printf("FAIL parse: tests.in corrupt after %d tests\n", passed + failed); failed++; break; }
        memcpy(mem0, mem, sizeof mem);
        for (int p = 0; p < 4; p++) cpu.read_page[p] = cpu.write_page[p] = mem + p * 0x4000;
        cpu.contended_pages = 1u << 1; /* port PC events for 0x4000-0x7FFF */
        cpu.trace = trace;
        cpu.port_in = port_in;
        out_len = 0;
        out[0] = 0;
        emit("%s\n", name);
        z80_run(&cpu, end);
        emit("%04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x %04x\n", cpu.af.w, cpu.bc.w,
             cpu.de.w, cpu.hl.w, cpu.af_.w, cpu.bc_.w, cpu.de_.w, cpu.hl_.w, cpu.ix.w, cpu.iy.w, cpu.sp,
             cpu.pc, cpu.wz);
        emit("%02x %02x %d %d %d %d %u\n", cpu.i, cpu.r, cpu.iff1, cpu.iff2, cpu.im, cpu.halted, cpu.tstates);
        for (unsigned i = 0; i < 0x10000; i++) {
            if (mem[i] == mem0[i]) continue;
            emit("%04x ", i);
            while (i < 0x10000 && mem[i] != mem0[i]) emit("%02x ", mem[i++]);
            emit("-1\n");
        }
        out_len = out_len && out[out_len - 1] == '\n' ? out_len - 1 : out_len;
        out[out_len] = 0;
        char *block = next_block(&pexp);
        char why[400];
        if (!block) {
            printf("FAIL %s: no expected block\n", name);
            failed++;
            continue;
        }
        if (compare(block, out, why, sizeof why)) {
            printf("PASS %s\n", name);
            passed++;
        } else {
            printf("FAIL %s: %s\n", name, why);
            failed++;
        }
    }
    fprintf(stderr, "fuse: %d passed, %d failed\n", passed, failed);
    free(in);
    free(exp);
    return failed ? 1 : 0;
}
