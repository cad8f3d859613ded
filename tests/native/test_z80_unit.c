/*
 * test_z80_unit.c: what the FUSE suite covers poorly: interrupts (IM 0/1/2,
 * NMI, HALT wake-up, EI delay), R counting, RETN, LD A,I, trap_pc, write
 * hooks, ROM writes, memory and I/O contention, z80_run's stop rule, HALT
 * fast-forward, decoder/interpreter agreement for every opcode, and the
 * disassembler.
 */
#include "cpu/z80/z80.h"
#include "cpu/z80/z80_decode.h"
#include "cpu/z80/z80_disasm.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static char why[256];

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            snprintf(why, sizeof why, __VA_ARGS__);        \
            return 0;                                      \
        }                                                  \
    } while (0)

static void report(const char *name, int ok) {
    if (ok) printf("PASS %s\n", name);
    else { printf("FAIL %s: %s\n", name, why); failures++; }
}

static uint8_t mem[0x10000];
static z80_t cpu;

/* 64K flat RAM, code at 0x8000, SP 0xF000. */
static void setup(const uint8_t *code, size_t n) {
    memset(mem, 0, sizeof mem);
    memcpy(mem + 0x8000, code, n);
    z80_init(&cpu);
    for (int p = 0; p < 4; p++) cpu.read_page[p] = cpu.write_page[p] = mem + p * 0x4000;
    cpu.pc = 0x8000;
    cpu.sp = 0xf000;
}

static uint16_t stack_word(void) { return (uint16_t)(mem[cpu.sp] | (mem[(uint16_t)(cpu.sp + 1)] << 8)); }

/* ---- interrupts ---------------------------------------------------- */

static int t_im1(void) {
    static const uint8_t code[] = {0x00};
    setup(code, 1);
    cpu.iff1 = cpu.iff2 = 1; cpu.im = 1; cpu.int_until = 32;
    uint32_t t = z80_step(&cpu);
    CHECK(t == 13, "IM1 took %u T", t);
    CHECK(cpu.pc == 0x0038 && cpu.sp == 0xeffe && stack_word() == 0x8000, "pc %04x sp %04x", cpu.pc, cpu.sp);
    CHECK(!cpu.iff1 && !cpu.iff2 && cpu.r == 1, "iff %d %d r %d", cpu.iff1, cpu.iff2, cpu.r);
    return 1;
}

static int t_im2(void) {
    static const uint8_t code[] = {0x00};
    setup(code, 1);
    cpu.iff1 = cpu.iff2 = 1; cpu.im = 2; cpu.int_until = 32; cpu.i = 0x90; cpu.int_data = 0xff;
    mem[0x90ff] = 0x34; mem[0x9100] = 0x12;
    uint32_t t = z80_step(&cpu);
    CHECK(t == 19, "IM2 took %u T", t);
    CHECK(cpu.pc == 0x1234 && stack_word() == 0x8000, "pc %04x", cpu.pc);
    return 1;
}

static int t_im0(void) {
    static const uint8_t code[] = {0x00};
    setup(code, 1);
    cpu.iff1 = cpu.iff2 = 1; cpu.im = 0; cpu.int_until = 32; cpu.int_data = 0xff;
    uint32_t t = z80_step(&cpu);
    CHECK(t == 13 && cpu.pc == 0x0038 && stack_word() == 0x8000, "t %u pc %04x", t, cpu.pc);
    setup(code, 1);
    cpu.iff1 = cpu.iff2 = 1; cpu.im = 0; cpu.int_until = 32; cpu.int_data = 0xd7; /* RST 10 */
    t = z80_step(&cpu);
    CHECK(t == 13 && cpu.pc == 0x0010, "RST 10: t %u pc %04x", t, cpu.pc);
    return 1;
}

static int t_int_not_after_window(void) {
    static const uint8_t code[] = {0x00, 0x00};
    setup(code, 2);
    cpu.iff1 = cpu.iff2 = 1; cpu.im = 1; cpu.int_until = 32; cpu.tstates = 32;
    uint32_t t = z80_step(&cpu);
    CHECK(t == 4 && cpu.pc == 0x8001, "interrupt taken after /INT went high");
    return 1;
}

static int t_nmi(void) {
    static const uint8_t code[] = {0x00};
    setup(code, 1);
    cpu.iff1 = cpu.iff2 = 1;
    z80_nmi(&cpu);
    uint32_t t = z80_step(&cpu);
    CHECK(t == 11 && cpu.pc == 0x0066 && stack_word() == 0x8000, "t %u pc %04x", t, cpu.pc);
    CHECK(cpu.iff1 == 0 && cpu.iff2 == 1, "iff1 %d iff2 %d", cpu.iff1, cpu.iff2);
    return 1;
}

static int t_halt_wake(void) {
    static const uint8_t code[] = {0x76, 0x00};
    setup(code, 2);
    cpu.iff1 = cpu.iff2 = 1; cpu.im = 1;
    z80_step(&cpu);
    CHECK(cpu.halted && cpu.pc == 0x8000, "after HALT: halted %d pc %04x", cpu.halted, cpu.pc);
    uint32_t t = z80_step(&cpu);
    CHECK(t == 4 && cpu.halted && cpu.pc == 0x8000 && cpu.r == 2, "halted step t %u r %d", t, cpu.r);
    cpu.int_until = cpu.tstates + 32;
    t = z80_step(&cpu);
    CHECK(t == 13 && !cpu.halted && cpu.pc == 0x0038 && stack_word() == 0x8001, "wake: t %u ret %04x", t, stack_word());
    return 1;
}

static int t_ei_delay(void) {
    static const uint8_t code[] = {0xfb, 0x00, 0x00};
    setup(code, 3);
    cpu.im = 1; cpu.int_until = 1000;
    z80_step(&cpu); /* EI */
    CHECK(cpu.pc == 0x8001 && cpu.iff1, "EI");
    z80_step(&cpu); /* NOP: no interrupt before it */
    CHECK(cpu.pc == 0x8002, "interrupt taken right after EI (pc %04x)", cpu.pc);
    uint32_t t = z80_step(&cpu);
    CHECK(t == 13 && cpu.pc == 0x0038 && stack_word() == 0x8002, "no interrupt after EI;NOP");
    return 1;
}

static int t_di(void) {
    static const uint8_t code[] = {0xf3, 0x00};
    setup(code, 2);
    cpu.iff1 = cpu.iff2 = 1; cpu.im = 1; cpu.tstates = 100; cpu.int_until = 0;
    z80_step(&cpu);
    cpu.int_until = 1000;
    z80_step(&cpu);
    CHECK(cpu.pc == 0x8002 && !cpu.iff1 && !cpu.iff2, "DI did not mask /INT");
    return 1;
}

/* ---- registers ----------------------------------------------------- */

static int t_r_counting(void) {
    static const struct { uint8_t code[4]; int n, dr; } cases[] = {
        {{0x00}, 1, 1},
        {{0xdd, 0x21, 0x34, 0x12}, 4, 2},
        {{0xcb, 0x00}, 2, 2},
        {{0xed, 0x44}, 2, 2},
        {{0xdd, 0xcb, 0x05, 0x06}, 4, 2},
        {{0xdd, 0xfd, 0x00}, 3, 3},
        {{0xfd, 0xed, 0x44}, 3, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup(cases[i].code, (size_t)cases[i].n);
        cpu.r = 0x7f;
        z80_step(&cpu);
        int want = (0x7f + cases[i].dr) & 0x7f;
        CHECK(cpu.r == want, "case %zu: r %02x want %02x (bit 7 must stay clear)", i, cpu.r, want);
        setup(cases[i].code, (size_t)cases[i].n);
        cpu.r = 0xff;
        z80_step(&cpu);
        CHECK(cpu.r == (0x80 | ((0xff + cases[i].dr) & 0x7f)), "case %zu: bit 7 lost (r %02x)", i, cpu.r);
    }
    return 1;
}

static int t_retn(void) {
    static const uint8_t code[] = {0xed, 0x45};
    setup(code, 2);
    cpu.iff1 = 0; cpu.iff2 = 1; cpu.sp = 0xeffe; mem[0xeffe] = 0x00; mem[0xefff] = 0x90;
    uint32_t t = z80_step(&cpu);
    CHECK(t == 14 && cpu.pc == 0x9000 && cpu.iff1 == 1, "t %u pc %04x iff1 %d", t, cpu.pc, cpu.iff1);
    return 1;
}

static int t_ld_a_i_r(void) {
    static const uint8_t code[] = {0xed, 0x57, 0xed, 0x5f};
    setup(code, 4);
    cpu.i = 0x80; cpu.iff2 = 1; cpu.af.b.l = 0;
    uint32_t t = z80_step(&cpu);
    CHECK(t == 9 && cpu.af.b.h == 0x80 && (cpu.af.b.l & Z80_PF) && (cpu.af.b.l & Z80_SF), "LD A,I: t %u f %02x", t, cpu.af.b.l);
    cpu.iff2 = 0;
    z80_step(&cpu);
    CHECK(!(cpu.af.b.l & Z80_PF) && cpu.af.b.h == 4, "LD A,R: a %02x f %02x", cpu.af.b.h, cpu.af.b.l);
    return 1;
}

/* ---- machine wiring ------------------------------------------------ */

static int t_trap_pc(void) {
    static const uint8_t code[] = {0x00, 0x00, 0x00, 0x00};
    setup(code, 4);
    cpu.trap_pc = 0x8002;
    z80_run(&cpu, 1000);
    CHECK(cpu.pc == 0x8002 && cpu.tstates == 8, "pc %04x t %u", cpu.pc, cpu.tstates);
    return 1;
}

static struct { uint16_t addr; uint8_t value, old; uint32_t t; int calls; } hook;
static void write_hook(void *user, uint16_t addr, uint8_t value, uint32_t t) {
    (void)user;
    hook.addr = addr; hook.value = value; hook.t = t; hook.calls++;
    hook.old = mem[addr];
}

static int t_write_hook(void) {
    static const uint8_t code[] = {0x77}; /* LD (HL),A */
    setup(code, 1);
    memset(&hook, 0, sizeof hook);
    cpu.hl.w = 0x4000; cpu.af.b.h = 0x5a; mem[0x4000] = 0x11;
    cpu.hooked_pages = 1u << 1; cpu.write_hook = write_hook; cpu.tstates = 100;
    z80_step(&cpu);
    CHECK(hook.calls == 1 && hook.addr == 0x4000 && hook.value == 0x5a, "calls %d addr %04x", hook.calls, hook.addr);
    CHECK(hook.old == 0x11 && mem[0x4000] == 0x5a, "hook did not run before the store");
    CHECK(hook.t == 107, "hook tstates %u, want 107", hook.t);
    return 1;
}

static int t_rom_write(void) {
    static const uint8_t code[] = {0x32, 0x10, 0x00}; /* LD ($0010),A */
    setup(code, 3);
    cpu.write_page[0] = NULL; mem[0x10] = 0x77; cpu.af.b.h = 0x12;
    uint32_t t = z80_step(&cpu);
    CHECK(t == 13 && mem[0x10] == 0x77, "t %u mem %02x", t, mem[0x10]);
    return 1;
}

static uint8_t ula_table[70000];

static int t_mem_contention(void) {
    /* 48K pattern 6,5,4,3,2,1,0,0 from t=14335 (WoS "Contended memory") */
    memset(ula_table, 0, sizeof ula_table);
    for (int line = 0; line < 192; line++)
        for (int x = 0; x < 128; x++) {
            static const uint8_t pat[8] = {6, 5, 4, 3, 2, 1, 0, 0};
            ula_table[14335 + line * 224 + x] = pat[x & 7];
        }
    static const uint8_t code[] = {0x3a, 0x00, 0x40}; /* LD A,($4000) */
    setup(code, 3);
    cpu.contention = ula_table; cpu.contention_len = sizeof ula_table; cpu.contended_pages = 1u << 1;
    cpu.tstates = 14335 - 10; /* the read of $4000 starts at 14335 */
    uint32_t t = z80_step(&cpu);
    CHECK(t == 13 + 6, "LD A,($4000) at the first contended cycle: %u T", t);
    setup(code, 3);
    cpu.contention = ula_table; cpu.contention_len = sizeof ula_table; cpu.contended_pages = 1u << 1;
    cpu.tstates = 14335 - 10 + 6;
    t = z80_step(&cpu);
    CHECK(t == 13, "no delay at pattern slot 6: %u T", t);
    /* code in contended memory: each fetch/read is delayed */
    setup(code, 0);
    memcpy(mem + 0x6000, code, 3);
    cpu.pc = 0x6000;
    cpu.contention = ula_table; cpu.contention_len = sizeof ula_table; cpu.contended_pages = 1u << 1;
    cpu.tstates = 14335;
    t = z80_step(&cpu);
    /* fetch at 14335 (+6) -> 14345; read at 14345 (slot 2: +4) -> 14352;
     * read at 14352 (slot 1: +5) -> 14360; read $4000 at 14360 (slot 1: +5) */
    CHECK(t == 13 + 6 + 4 + 5 + 5, "contended code: %u T", t);
    return 1;
}

static uint8_t ones[1000];

static int t_io_contention(void) {
    /* With a constant 1 T delay, the number of contention points shows
     * the pattern: C:1,C:3 = 2; C:1,C:1,C:1,C:1 = 4; N:1,C:3 = 1; N:4 = 0 */
    static const struct { uint8_t a, n; int extra; } cases[] = {
        {0x40, 0xfe, 2}, {0x40, 0xff, 4}, {0x80, 0xfe, 1}, {0x80, 0xff, 0},
    };
    memset(ones, 1, sizeof ones);
    for (size_t i = 0; i < 4; i++) {
        for (int dir = 0; dir < 2; dir++) {
            uint8_t code[2] = {dir ? 0xdb : 0xd3, cases[i].n};
            setup(code, 2);
            cpu.contention = ones; cpu.contention_len = sizeof ones; cpu.contended_pages = 1u << 1;
            cpu.af.b.h = cases[i].a;
            uint32_t t = z80_step(&cpu);
            CHECK(t == 11u + (unsigned)cases[i].extra, "%s port %02x%02x: %u T, want %d", dir ? "IN" : "OUT", cases[i].a,
                  cases[i].n, t, 11 + cases[i].extra);
        }
    }
    return 1;
}

static int t_run_until(void) {
    static const uint8_t code[] = {0x00, 0x00, 0x00, 0x00, 0x00};
    setup(code, 5);
    z80_run(&cpu, 10);
    CHECK(cpu.tstates == 12 && cpu.pc == 0x8003, "t %u pc %04x", cpu.tstates, cpu.pc);
    return 1;
}

static void null_trace(void *u, int k, uint16_t a, uint8_t v, uint32_t t) { (void)u; (void)k; (void)a; (void)v; (void)t; }

static int t_halt_fast_forward(void) {
    static const uint8_t code[] = {0x76};
    for (uint32_t until = 997; until <= 1001; until++) {
        setup(code, 1);
        cpu.r = 0xf0;
        z80_run(&cpu, until);
        z80_t fast = cpu;
        setup(code, 1);
        cpu.r = 0xf0;
        cpu.trace = null_trace; /* forces instruction stepping */
        z80_run(&cpu, until);
        CHECK(fast.tstates == cpu.tstates && fast.r == cpu.r && fast.pc == cpu.pc && fast.halted,
              "until %u: fast t %u r %02x, stepped t %u r %02x", until, fast.tstates, fast.r, cpu.tstates, cpu.r);
    }
    /* and an interrupt still wakes it at the right time */
    setup(code, 1);
    cpu.iff1 = 1; cpu.im = 1; cpu.tstates = 100; cpu.int_until = 0;
    z80_run(&cpu, 2000);
    cpu.int_until = cpu.tstates + 32;
    z80_run(&cpu, cpu.tstates + 1);
    CHECK(cpu.pc == 0x0038 && stack_word() == 0x8001, "wake after fast-forward: pc %04x", cpu.pc);
    return 1;
}

/* ---- decoder vs interpreter ---------------------------------------- */

static uint8_t dec_peek(void *user, uint16_t addr) { (void)user; return mem[addr]; }

/* Runs one instruction under several register presets and checks that
 * each T-state count is the decoder's tstates or tstates_taken (and that
 * both occur for conditional ones), the length and the R increment. */
static int check_opcode(const uint8_t *bytes, int n, char *name, size_t name_n) {
    static const struct { uint8_t f; uint16_t bc; } presets[] = {
        {0x00, 0x0001}, {0xff, 0x0001}, {0x00, 0x0202}, {0xff, 0x0202}, {0x00, 0x0101}, {0xff, 0x0000},
    };
    z80_insn_t in;
    int seen_base = 0, seen_taken = 0;
    for (size_t k = 0; k < sizeof presets / sizeof presets[0]; k++) {
        setup(bytes, (size_t)n);
        for (int i = 0; i < 0x8000; i++) mem[i] = 0x55;
        memset(mem + 0x8000 + n, 0x55, 0x100);
        z80_decode_peek(dec_peek, NULL, 0x8000, &in);
        snprintf(name, name_n, "%s", in.mnemonic);
        cpu.af.b.l = presets[k].f; cpu.bc.w = presets[k].bc; cpu.af.b.h = 0x00;
        cpu.hl.w = 0x4000; cpu.de.w = 0x5000; cpu.ix.w = cpu.iy.w = 0x4000;
        cpu.r = 0;
        uint32_t t = z80_step(&cpu);
        CHECK(t == in.tstates || t == in.tstates_taken, "%s: interpreter %u T, decoder %u/%u", in.mnemonic, t, in.tstates,
              in.tstates_taken);
        if (t == in.tstates) seen_base = 1;
        if (t == in.tstates_taken) seen_taken = 1;
        uint32_t flow = Z80_INSN_JUMP | Z80_INSN_CALL | Z80_INSN_RET | Z80_INSN_HALT;
        if (!(in.attrs & flow) && t == in.tstates)
            CHECK(cpu.pc == (uint16_t)(0x8000 + in.length), "%s: length %d, pc moved %d", in.mnemonic, in.length, cpu.pc - 0x8000);
        if (!(in.group == Z80_GROUP_ED && in.opcode == 0x4f))
            CHECK((cpu.r & 0x7f) == in.r_incr, "%s: R +%d, decoder says %d", in.mnemonic, cpu.r, in.r_incr);
    }
    if (in.tstates != in.tstates_taken)
        CHECK(seen_base && seen_taken, "%s: only one of %u/%u T seen", in.mnemonic, in.tstates, in.tstates_taken);
    return 1;
}

static int t_decoder_tstates(void) {
    char name[64];
    for (int g = 0; g < 7; g++) {
        for (int op = 0; op < 256; op++) {
            uint8_t b[8];
            int n = 0;
            switch (g) {
            case Z80_GROUP_BASE:
                if (op == 0xcb || op == 0xdd || op == 0xed || op == 0xfd) continue;
                break;
            case Z80_GROUP_CB: b[n++] = 0xcb; break;
            case Z80_GROUP_ED: b[n++] = 0xed; break;
            case Z80_GROUP_DD: b[n++] = 0xdd; if (op == 0xcb || op == 0xdd || op == 0xed || op == 0xfd) continue; break;
            case Z80_GROUP_FD: b[n++] = 0xfd; if (op == 0xcb || op == 0xdd || op == 0xed || op == 0xfd) continue; break;
            case Z80_GROUP_DDCB: b[n++] = 0xdd; b[n++] = 0xcb; b[n++] = 0x05; break;
            default: b[n++] = 0xfd; b[n++] = 0xcb; b[n++] = 0x05; break;
            }
            b[n++] = (uint8_t)op;
            b[n++] = 0x05; /* operands: small, so JR/JP stay in RAM */
            b[n++] = 0x90;
            if (!check_opcode(b, n, name, sizeof name)) {
                char w2[sizeof why];
                memcpy(w2, why, sizeof w2);
                snprintf(why, sizeof why, "group %d op %02x: %.200s", g, op, w2);
                return 0;
            }
        }
    }
    return 1;
}

static int t_decoder_flags(void) {
    /* A few exact masks the dynarec relies on. */
    z80_insn_t in;
    uint8_t b1[] = {0x37}; /* SCF */
    z80_decode(b1, 1, 0, &in);
    CHECK(in.flags_written == (Z80_CF | Z80_NF | Z80_HF | Z80_XF | Z80_YF) && (in.regs_read & Z80_REG_Q) &&
          (in.flags_read & (Z80_XF | Z80_YF)) == (Z80_XF | Z80_YF), "SCF masks %02x %02x", in.flags_read, in.flags_written);
    uint8_t b2[] = {0x04}; /* INC B: C kept */
    z80_decode(b2, 1, 0, &in);
    CHECK(!(in.flags_written & Z80_CF) && in.flags_read == 0, "INC B masks");
    uint8_t b3[] = {0xed, 0xa0}; /* LDI: S Z C kept */
    z80_decode(b3, 2, 0, &in);
    CHECK(in.flags_written == (Z80_NF | Z80_PF | Z80_XF | Z80_HF | Z80_YF), "LDI written %02x", in.flags_written);
    uint8_t b4[] = {0x8e}; /* ADC A,(HL) */
    z80_decode(b4, 1, 0, &in);
    CHECK(in.flags_read == Z80_CF && (in.attrs & Z80_INSN_MEM_READ), "ADC A,(HL)");
    uint8_t b5[] = {0x20, 0xfe}; /* JR NZ,$ */
    z80_decode(b5, 2, 0x1000, &in);
    CHECK(in.flags_read == Z80_ZF && in.target == 0x1000 && (in.attrs & Z80_INSN_ENDS_BLOCK), "JR NZ target %04x", in.target);
    uint8_t b6[] = {0xcb, 0x46}; /* BIT 0,(HL): reads WZ */
    z80_decode(b6, 2, 0, &in);
    CHECK((in.regs_read & Z80_REG_WZ) && !(in.flags_written & Z80_CF), "BIT 0,(HL)");
    return 1;
}

/* Runs the instruction in `bytes` from a given state; returns the state after. */
/* The memory image run_from starts from (before the instruction bytes). */
static const uint8_t *noise_image(void) {
    static uint8_t noise[0x10000];
    static int noise_ready;
    if (!noise_ready) {
        uint32_t seed = 12345;
        for (int i = 0; i < 0x10000; i++) { seed = seed * 1103515245u + 12345u; noise[i] = (uint8_t)(seed >> 16); }
        noise_ready = 1;
    }
    return noise;
}

static z80_t run_from(const z80_t *start, const uint8_t *bytes, int n, uint8_t *mem_out) {
    memcpy(mem, noise_image(), sizeof mem);
    memcpy(mem + 0x8000, bytes, (size_t)n);
    z80_t saved = *start;
    for (int p = 0; p < 4; p++) saved.read_page[p] = saved.write_page[p] = mem + p * 0x4000;
    cpu = saved;
    z80_step(&cpu);
    if (mem_out) memcpy(mem_out, mem, 0x10000);
    return cpu;
}

static uint8_t mem_a[0x10000], mem_b[0x10000];

/* The masks must describe the interpreter: bits outside flags_written keep
 * their value, and flipping an input bit outside flags_read changes nothing
 * but (if it is kept) that bit itself. */
static int t_decoder_flags_empirical(void) {
    for (int g = 0; g < 7; g++) {
        for (int op = 0; op < 256; op++) {
            uint8_t b[8];
            int n = 0;
            static const uint8_t pre[7][3] = {{0}, {0xcb}, {0xed}, {0xdd}, {0xfd}, {0xdd, 0xcb, 0x03}, {0xfd, 0xcb, 0xfd}};
            static const int pre_n[7] = {0, 1, 1, 1, 1, 3, 3};
            if ((g == 0 || g == 3 || g == 4) && (op == 0xcb || op == 0xdd || op == 0xed || op == 0xfd)) continue;
            memcpy(b, pre[g], (size_t)pre_n[g]);
            n = pre_n[g];
            b[n++] = (uint8_t)op; b[n++] = 0x34; b[n++] = 0x92;
            z80_insn_t in;
            z80_decode(b, n, 0x8000, &in);
            for (int trial = 0; trial < 6; trial++) {
                z80_t s0;
                memset(&s0, 0, sizeof s0);
                uint32_t seed = (uint32_t)(trial * 7919 + op * 31 + g);
                uint16_t w[12];
                for (int i = 0; i < 12; i++) { seed = seed * 1103515245u + 12345u; w[i] = (uint16_t)(seed >> 12); }
                s0.af.w = w[0]; s0.bc.w = trial < 2 ? (uint16_t)(w[1] & 0x0303) : w[1]; s0.de.w = w[2]; s0.hl.w = w[3];
                s0.ix.w = w[4]; s0.iy.w = w[5]; s0.sp = (uint16_t)(0xc000 | w[6]); s0.wz = w[7];
                s0.pc = 0x8000; s0.i = (uint8_t)w[8]; s0.r = (uint8_t)w[9]; s0.iff1 = s0.iff2 = trial & 1;
                s0.trap_pc = -1;
                z80_t r0 = run_from(&s0, b, n, mem_a);
                uint8_t kept = (uint8_t)~in.flags_written;
                CHECK(((r0.af.b.l ^ s0.af.b.l) & kept) == 0, "%s: changed F bits %02x outside flags_written %02x", in.mnemonic,
                      (r0.af.b.l ^ s0.af.b.l) & kept, in.flags_written);
                for (int bit = 0; bit < 8; bit++) {
                    uint8_t m = (uint8_t)(1u << bit);
                    if (in.flags_read & m) continue;
                    z80_t s1 = s0;
                    s1.af.b.l ^= m;
                    z80_t r1 = run_from(&s1, b, n, mem_b);
                    uint8_t fdiff = (uint8_t)((r0.af.b.l ^ r1.af.b.l) & ~(kept & m));
                    CHECK(fdiff == 0 && r0.af.b.h == r1.af.b.h && r0.bc.w == r1.bc.w && r0.de.w == r1.de.w &&
                          r0.hl.w == r1.hl.w && r0.pc == r1.pc && r0.sp == r1.sp && r0.ix.w == r1.ix.w &&
                          r0.iy.w == r1.iy.w && r0.wz == r1.wz && r0.tstates == r1.tstates &&
                          memcmp(mem_a, mem_b, sizeof mem_a) == 0,
                          "%s (group %d op %02x): input F bit %02x is used but not in flags_read %02x", in.mnemonic, g, op, m,
                          in.flags_read);
                }
            }
        }
    }
    return 1;
}

/* One piece of CPU state as the decoder's register masks name it. */
typedef struct {
    const char *name;
    uint32_t mask;   /* Z80_REG_* */
    size_t offset;   /* in z80_t */
    uint8_t size;    /* bytes */
} reg_slot_t;

#define SLOT(name, mask, field) {name, mask, offsetof(z80_t, field), sizeof(((z80_t *)0)->field)}
static const reg_slot_t reg_slots[] = {
    SLOT("A", Z80_REG_A, af.b.h), SLOT("B", Z80_REG_B, bc.b.h), SLOT("C", Z80_REG_C, bc.b.l),
    SLOT("D", Z80_REG_D, de.b.h), SLOT("E", Z80_REG_E, de.b.l), SLOT("H", Z80_REG_H, hl.b.h),
    SLOT("L", Z80_REG_L, hl.b.l), SLOT("IXH", Z80_REG_IXH, ix.b.h), SLOT("IXL", Z80_REG_IXL, ix.b.l),
    SLOT("IYH", Z80_REG_IYH, iy.b.h), SLOT("IYL", Z80_REG_IYL, iy.b.l), SLOT("SP", Z80_REG_SP, sp),
    SLOT("I", Z80_REG_I, i), SLOT("WZ", Z80_REG_WZ, wz), SLOT("AF'", Z80_REG_AF_, af_.w),
    SLOT("BC'", Z80_REG_BC_, bc_.w), SLOT("DE'", Z80_REG_DE_, de_.w), SLOT("HL'", Z80_REG_HL_, hl_.w),
    SLOT("IFF1", Z80_REG_IFF, iff1), SLOT("IFF2", Z80_REG_IFF, iff2), SLOT("IM", Z80_REG_IM, im),
    SLOT("Q", Z80_REG_Q, q),
};
#undef SLOT

static uint32_t slot_get(const z80_t *c, const reg_slot_t *s) {
    const uint8_t *p = (const uint8_t *)c + s->offset;
    return s->size == 1 ? p[0] : (uint32_t)(p[0] | (p[1] << 8));
}

static void slot_flip(z80_t *c, const reg_slot_t *s) {
    uint8_t *p = (uint8_t *)c + s->offset;
    if (s->mask == Z80_REG_IFF) p[0] ^= 1;
    else if (s->mask == Z80_REG_IM) p[0] = (uint8_t)((p[0] + 1) % 3);
    else for (int i = 0; i < s->size; i++) p[i] ^= 0x5a;
}

/* The register masks must describe the interpreter too: state outside
 * regs_written keeps its value (PC moves only by the instruction's length
 * unless PC is written), memory changes only with MEM_WRITE, and changing
 * an input outside regs_read changes no other output. R (always counted)
 * and F (the flag masks' business) are left out. */
static int t_decoder_regs_empirical(void) {
    static const uint8_t pre[7][3] = {{0}, {0xcb}, {0xed}, {0xdd}, {0xfd}, {0xdd, 0xcb, 0x03}, {0xfd, 0xcb, 0xfd}};
    static const int pre_n[7] = {0, 1, 1, 1, 1, 3, 3};
    const size_t n_slots = sizeof reg_slots / sizeof reg_slots[0];
    for (int g = 0; g < 7; g++) {
        for (int op = 0; op < 256; op++) {
            if ((g == 0 || g == 3 || g == 4) && (op == 0xcb || op == 0xdd || op == 0xed || op == 0xfd)) continue;
            uint8_t b[8];
            int n = pre_n[g];
            memcpy(b, pre[g], (size_t)n);
            b[n++] = (uint8_t)op; b[n++] = 0x34; b[n++] = 0x92;
            z80_insn_t in;
            z80_decode(b, n, 0x8000, &in);
            for (int trial = 0; trial < 4; trial++) {
                z80_t s0;
                memset(&s0, 0, sizeof s0);
                uint32_t seed = (uint32_t)(trial * 104729 + op * 131 + g * 7);
                uint16_t w[16];
                for (int i = 0; i < 16; i++) { seed = seed * 1103515245u + 12345u; w[i] = (uint16_t)(seed >> 12); }
                s0.af.w = w[0]; s0.bc.w = trial < 2 ? (uint16_t)(w[1] & 0x0303) : w[1]; s0.de.w = w[2]; s0.hl.w = w[3];
                s0.ix.w = w[4]; s0.iy.w = w[5]; s0.sp = (uint16_t)(0xc000 | w[6]); s0.wz = w[7];
                s0.af_.w = w[10]; s0.bc_.w = w[11]; s0.de_.w = w[12]; s0.hl_.w = w[13];
                s0.pc = 0x8000; s0.i = (uint8_t)w[8]; s0.r = (uint8_t)w[9]; s0.iff1 = s0.iff2 = trial & 1;
                s0.im = (uint8_t)(trial % 3); s0.q = (uint8_t)w[14];
                s0.trap_pc = -1;
                z80_t r0 = run_from(&s0, b, n, mem_a);
                for (size_t k = 0; k < n_slots; k++) {
                    const reg_slot_t *sl = &reg_slots[k];
                    if (in.regs_written & sl->mask) continue;
                    CHECK(slot_get(&r0, sl) == slot_get(&s0, sl), "%s (group %d op %02x): changed %s, not in regs_written",
                          in.mnemonic, g, op, sl->name);
                }
                if (!(in.regs_written & Z80_REG_PC) && !(in.attrs & Z80_INSN_HALT))
                    CHECK(r0.pc == (uint16_t)(0x8000 + in.length), "%s (group %d op %02x): PC moved to %04x, not written",
                          in.mnemonic, g, op, r0.pc);
                if (!(in.attrs & Z80_INSN_MEM_WRITE)) {
                    const uint8_t *start = noise_image();
                    CHECK(memcmp(mem_a, start, 0x8000) == 0 && memcmp(mem_a + 0x8000, b, (size_t)n) == 0 &&
                              memcmp(mem_a + 0x8000 + n, start + 0x8000 + n, 0x8000 - (size_t)n) == 0,
                          "%s (group %d op %02x): wrote memory without MEM_WRITE", in.mnemonic, g, op);
                }
                for (size_t k = 0; k < n_slots; k++) {
                    const reg_slot_t *sl = &reg_slots[k];
                    if (in.regs_read & sl->mask) continue;
                    z80_t s1 = s0;
                    slot_flip(&s1, sl);
                    z80_t r1 = run_from(&s1, b, n, mem_b);
                    /* the flipped state itself is overwritten with the same value,
                     * or passes through both runs (written only on some paths,
                     * like WZ by a JR not taken) */
                    CHECK(slot_get(&r1, sl) == slot_get(&r0, sl) ||
                              (slot_get(&r0, sl) == slot_get(&s0, sl) && slot_get(&r1, sl) == slot_get(&s1, sl)),
                          "%s (group %d op %02x): input %s changes %s but is not in regs_read", in.mnemonic, g, op, sl->name,
                          sl->name);
                    for (size_t j = 0; j < n_slots; j++) {
                        if (j == k) continue;
                        CHECK(slot_get(&r0, &reg_slots[j]) == slot_get(&r1, &reg_slots[j]),
                              "%s (group %d op %02x): input %s changes %s but is not in regs_read", in.mnemonic, g, op,
                              sl->name, reg_slots[j].name);
                    }
                    CHECK(r0.af.b.l == r1.af.b.l && r0.pc == r1.pc && r0.tstates == r1.tstates &&
                              memcmp(mem_a, mem_b, sizeof mem_a) == 0,
                          "%s (group %d op %02x): input %s changes F, PC, T-states or memory but is not in regs_read",
                          in.mnemonic, g, op, sl->name);
                }
            }
        }
    }
    return 1;
}

static int t_disasm(void) {
    static const struct { uint8_t b[5]; int n; const char *text; } cases[] = {
        {{0x3e, 0x12}, 2, "LD A,$12"},
        {{0x21, 0x34, 0x12}, 3, "LD HL,$1234"},
        {{0x20, 0xfe}, 2, "JR NZ,$8000"},
        {{0xdd, 0x7e, 0x05}, 3, "LD A,(IX+5)"},
        {{0xfd, 0x36, 0xfd, 0x99}, 4, "LD (IY-3),$99"},
        {{0xdd, 0xcb, 0x05, 0x00}, 4, "LD B,RLC (IX+5)"},
        {{0xfd, 0xcb, 0x02, 0x46}, 4, "BIT 0,(IY+2)"},
        {{0xcb, 0x30}, 2, "SLL B"},
        {{0xdd, 0x7c}, 2, "LD A,IXH"},
        {{0xfd, 0x65}, 2, "LD IYH,IYL"},
        {{0xed, 0x70}, 2, "IN (C)"},
        {{0xed, 0x71}, 2, "OUT (C),0"},
        {{0xed, 0xb0}, 2, "LDIR"},
        {{0xdd, 0xe9}, 2, "JP (IX)"},
        {{0xff}, 1, "RST $38"},
        {{0xed, 0x00}, 2, "NOP*"},
        {{0xcd, 0x00, 0x90}, 3, "CALL $9000"},
        {{0xd3, 0xfe}, 2, "OUT ($FE),A"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        int len = z80_disasm(0x8000, cases[i].b, cases[i].n, out, sizeof out);
        CHECK(len == cases[i].n && strcmp(out, cases[i].text) == 0, "got '%s' (%d bytes), want '%s' (%d)", out, len,
              cases[i].text, cases[i].n);
    }
    return 1;
}

int main(void) {
    report("im1_accept_13T", t_im1());
    report("im2_vector_19T", t_im2());
    report("im0_rst_on_bus", t_im0());
    report("int_only_while_asserted", t_int_not_after_window());
    report("nmi_11T_keeps_iff2", t_nmi());
    report("halt_wake_by_int", t_halt_wake());
    report("ei_delay", t_ei_delay());
    report("di_masks_int", t_di());
    report("r_counting_prefixes", t_r_counting());
    report("retn_restores_iff1", t_retn());
    report("ld_a_i_r_pv_iff2", t_ld_a_i_r());
    report("trap_pc", t_trap_pc());
    report("write_hook_before_store", t_write_hook());
    report("rom_write_dropped", t_rom_write());
    report("memory_contention", t_mem_contention());
    report("io_contention_patterns", t_io_contention());
    report("run_stops_at_until", t_run_until());
    report("halt_fast_forward_exact", t_halt_fast_forward());
    report("decoder_tstates_all_opcodes", t_decoder_tstates());
    report("decoder_flag_masks", t_decoder_flags());
    report("decoder_flag_masks_match_interpreter", t_decoder_flags_empirical());
    report("decoder_register_masks_match_interpreter", t_decoder_regs_empirical());
    report("disassembler", t_disasm());
    return failures ? 1 : 0;
}
