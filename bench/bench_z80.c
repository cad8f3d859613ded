/*
 * bench_z80.c: emulated MHz of the Z80 interpreter on CPU-bound workloads
 * (the tests/z80src/ sources, assembled by tools/assemble.sh into build/z80/).
 * Each workload is loaded at 0x8000 into a flat, uncontended 64K machine
 * and run for a fixed number of T-states; its result word (0x8003) is
 * checked against a C computation so the figures come from real work.
 *
 * Usage: bench_z80 [MEGA_TSTATES (default 1000)] [BINDIR (default build/z80)]
 */
#define _POSIX_C_SOURCE 199309L
#include "cpu/z80/z80.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint8_t mem[0x10000];

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Expected results, computed the way the Z80 programs do. */
static unsigned sieve_expected(void) {
    static uint8_t f[8192];
    unsigned n = 0;
    memset(f, 1, sizeof f);
    for (unsigned i = 2; i < 8192; i++) {
        if (!f[i]) continue;
        n++;
        for (unsigned j = 2 * i; j < 8192; j += i) f[j] = 0;
    }
    return n;
}

static unsigned copy_expected(void) {
    unsigned s = 0;
    for (unsigned i = 0; i < 4096; i++) s += (uint8_t)(3 + 7 * i);
    return s & 0xffff;
}

static unsigned crc_expected(void) {
    unsigned crc = 0xffff;
    for (unsigned i = 0; i < 4096; i++) {
        crc ^= (unsigned)(uint8_t)(3 + 7 * i) << 8;
        for (int b = 0; b < 8; b++) crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc;
}

static uint8_t zero_contention[70000 + Z80_CONTENTION_PAD];

/* contended: wire a (zero-delay) contention table, as a Spectrum does, so
 * every access takes the interpreter's checked path. */
static int run(const char *dir, const char *name, unsigned expected, uint64_t total, int contended) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.bin", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("%-8s missing %s (run tools/assemble.sh)\n", name, path);
        return 1;
    }
    memset(mem, 0, sizeof mem);
    size_t n = fread(mem + 0x8000, 1, 0x8000, f);
    fclose(f);
    (void)n;
    z80_t cpu;
    z80_init(&cpu);
    for (int p = 0; p < 4; p++) cpu.read_page[p] = cpu.write_page[p] = mem + p * 0x4000;
    cpu.pc = 0x8000;
    if (contended) {
        cpu.contention = zero_contention;
        cpu.contention_len = sizeof zero_contention - Z80_CONTENTION_PAD;
        cpu.contended_pages = 1u << 1;
    }
    /* Run in frame-sized slices of 100 ms emulated as a machine would,
     * rebasing the counter so it never wraps. */
    const uint32_t slice = 350000;
    uint64_t done = 0;
    uint64_t insns0 = cpu.instructions;
    double t0 = now();
    while (done < total) {
        z80_run(&cpu, slice);
        done += cpu.tstates;
        cpu.tstates = 0;
    }
    double secs = now() - t0;
    unsigned result = mem[0x8003] | (mem[0x8004] << 8);
    unsigned passes = mem[0x8005] | (mem[0x8006] << 8);
    int ok = result == expected && passes > 0;
    printf("%-8s%s %8.1f MHz  %6.1f M insn/s  (%llu T in %.3f s)  result %u (%s), passes %u\n", name,
           contended ? " (contention table)" : "", done / secs / 1e6,
           (double)(cpu.instructions - insns0) / secs / 1e6, (unsigned long long)done, secs, result,
           ok ? "ok" : "WRONG", passes);
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    uint64_t total = (uint64_t)(argc > 1 ? atof(argv[1]) : 1000.0) * 1000000u;
    const char *dir = argc > 2 ? argv[2] : "build/z80";
    int bad = 0;
    bad += run(dir, "sieve", sieve_expected(), total, 0);
    bad += run(dir, "copy", copy_expected(), total, 0);
    bad += run(dir, "crc", crc_expected(), total, 0);
    bad += run(dir, "sieve", sieve_expected(), total, 1);
    return bad ? 1 : 0;
}
