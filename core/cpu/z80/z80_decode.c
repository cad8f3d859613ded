/*
 * z80_decode.c: builds the decoder's per-opcode tables from a compact
 * description and decodes instructions with them.
 *
 * Description: opcodes are split as x = op>>6, y = (op>>3)&7, z = op&7,
 * p = y>>1, q = y&1 (Cristian Dinu, "Decoding Z80 opcodes"); each (x, z)
 * family below gives mnemonic, T-states, registers and flags once, for
 * the HL, IX and IY forms at the same time (`mode`).
 *
 * T-states are FUSE 1.6.0's (opcodes_*.dat / z80.pl), which agree with
 * Zilog's UM0080 and Sean Young's "The Undocumented Z80 Documented";
 * test_z80_unit checks every entry against the interpreter.
 */
#include "cpu/z80/z80_decode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { OPS_NONE, OPS_N, OPS_NN, OPS_E, OPS_D, OPS_DN };

typedef struct {
    const char *mn;
    uint8_t t, tt;     /* T-states after the prefix bytes' own M1s are added */
    uint8_t fr, fw;
    uint8_t operands;  /* OPS_* */
    uint8_t uses_index;/* DD/FD table: the prefix changes this opcode */
    uint32_t rr, rw, attrs;
} opinfo_t;

static opinfo_t tab[7][256]; /* by enum z80_group */
static int tables_ready;

/* ---- string pool for composed mnemonics ---------------------------- */
static char pool[64 * 1024];
static size_t pool_used;
static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    char *dst = pool + pool_used;
    int n = vsnprintf(dst, sizeof pool - pool_used, f, ap);
    va_end(ap);
    if (n < 0 || pool_used + (size_t)n + 1 > sizeof pool) return "?";
    pool_used += (size_t)n + 1;
    return dst;
}

/* ---- operand tables ------------------------------------------------ */
#define ALLF 0xff
enum { FC = 0x01, FN = 0x02, FP = 0x04, FX = 0x08, FH = 0x10, FY = 0x20, FZ = 0x40, FS = 0x80 };

static const char *const r8name[3][8] = {
    {"B", "C", "D", "E", "H", "L", "(HL)", "A"},
    {"B", "C", "D", "E", "IXH", "IXL", "(IX@d)", "A"},
    {"B", "C", "D", "E", "IYH", "IYL", "(IY@d)", "A"},
};
static const uint32_t r8mask[3][8] = {
    {Z80_REG_B, Z80_REG_C, Z80_REG_D, Z80_REG_E, Z80_REG_H, Z80_REG_L, 0, Z80_REG_A},
    {Z80_REG_B, Z80_REG_C, Z80_REG_D, Z80_REG_E, Z80_REG_IXH, Z80_REG_IXL, 0, Z80_REG_A},
    {Z80_REG_B, Z80_REG_C, Z80_REG_D, Z80_REG_E, Z80_REG_IYH, Z80_REG_IYL, 0, Z80_REG_A},
};
static const char *const hlname[3] = {"HL", "IX", "IY"};
static const uint32_t hlmask[3] = {
    Z80_REG_H | Z80_REG_L, Z80_REG_IXH | Z80_REG_IXL, Z80_REG_IYH | Z80_REG_IYL};
static const char *const rpname[4] = {"BC", "DE", "HL", "SP"};
static const uint32_t rpmask[4] = {Z80_REG_B | Z80_REG_C, Z80_REG_D | Z80_REG_E, Z80_REG_H | Z80_REG_L, Z80_REG_SP};
static const char *const ccname[8] = {"NZ", "Z", "NC", "C", "PO", "PE", "P", "M"};
static const uint8_t ccflag[8] = {FZ, FZ, FC, FC, FP, FP, FS, FS};
static const char *const aluname[8] = {"ADD A,", "ADC A,", "SUB ", "SBC A,", "AND ", "XOR ", "OR ", "CP "};
static const char *const rotname[8] = {"RLC", "RRC", "RL", "RR", "SLA", "SRA", "SLL", "SRL"};

static const char *rp_name(int p, int mode) { return p == 2 ? hlname[mode] : rpname[p]; }
static uint32_t rp_mask(int p, int mode) { return p == 2 ? hlmask[mode] : rpmask[p]; }

static void set(opinfo_t *o, const char *mn, int t, int tt, uint32_t rr, uint32_t rw, int fr, int fw, uint32_t attrs) {
    o->mn = mn;
    o->t = (uint8_t)t;
    o->tt = (uint8_t)(tt ? tt : t);
    o->rr = rr;
    o->rw = rw;
    o->fr = (uint8_t)fr;
    o->fw = (uint8_t)fw;
    o->attrs = attrs | (fw ? Z80_INSN_SETS_Q : 0);
}

/* ALU operation k on an operand: flags read/written. */
static void alu_flags(int k, uint8_t *fr, uint8_t *fw) {
    *fr = (k == 1 || k == 3) ? FC : 0;
    *fw = ALLF;
}

/* ---- unprefixed opcodes, in HL (mode 0) or IX/IY (mode 1/2) form ----- */
static void build_base(int op, int mode, opinfo_t *o) {
    int x = op >> 6, y = (op >> 3) & 7, z = op & 7, p = y >> 1, q = y & 1;
    const uint32_t M_R = Z80_INSN_MEM_READ, M_W = Z80_INSN_MEM_WRITE, END = Z80_INSN_ENDS_BLOCK;
    const uint32_t HLm = hlmask[mode];
    const char *X = hlname[mode];
    int ix = mode != 0; /* T-states below are for the HL form; index forms add their own */
    memset(o, 0, sizeof *o);
    o->operands = OPS_NONE;

    /* (HL) operand: memory at HL, or at IX+d (d read + 5 internal T). */
#define MEMOP_T (ix ? 12 : 0) /* extra T of (IX+d) over (HL): d + 5 internal */
#define MEMOP_RR (HLm)
#define MEMOP_RW (ix ? Z80_REG_WZ : 0)
    switch (x) {
    case 0:
        switch (z) {
        case 0:
            if (y == 0) set(o, "NOP", 4, 0, 0, 0, 0, 0, 0);
            else if (y == 1) {
                set(o, "EX AF,AF'", 4, 0, Z80_REG_A | Z80_REG_F | Z80_REG_AF_, Z80_REG_A | Z80_REG_F | Z80_REG_AF_, ALLF, ALLF, 0);
                o->attrs &= ~(uint32_t)Z80_INSN_SETS_Q; /* an exchange, not a flag result */
            }
            else if (y == 2) { set(o, "DJNZ @j", 8, 13, Z80_REG_B | Z80_REG_R | Z80_REG_I | Z80_REG_PC, Z80_REG_B | Z80_REG_PC | Z80_REG_WZ, 0, 0, END | Z80_INSN_JUMP | Z80_INSN_CONDITIONAL | Z80_INSN_HAS_TARGET); o->operands = OPS_E; }
            else if (y == 3) { set(o, "JR @j", 12, 0, Z80_REG_PC, Z80_REG_PC | Z80_REG_WZ, 0, 0, END | Z80_INSN_JUMP | Z80_INSN_HAS_TARGET); o->operands = OPS_E; }
            else { set(o, fmt("JR %s,@j", ccname[y - 4]), 7, 12, Z80_REG_F | Z80_REG_PC, Z80_REG_PC | Z80_REG_WZ, ccflag[y - 4], 0, END | Z80_INSN_JUMP | Z80_INSN_CONDITIONAL | Z80_INSN_HAS_TARGET); o->operands = OPS_E; }
            break;
        case 1:
            if (q == 0) { set(o, fmt("LD %s,@w", rp_name(p, mode)), ix ? 10 : 10, 0, 0, rp_mask(p, mode), 0, 0, 0); o->operands = OPS_NN; o->uses_index = p == 2; }
            else { set(o, fmt("ADD %s,%s", X, rp_name(p, mode)), 11, 0, HLm | rp_mask(p, mode) | Z80_REG_I | Z80_REG_R, HLm | Z80_REG_F | Z80_REG_WZ, 0, FC | FN | FH | FX | FY, 0); o->uses_index = 1; }
            break;
        case 2: {
            static const char *const n[8] = {"LD (BC),A", "LD A,(BC)", "LD (DE),A", "LD A,(DE)", "LD (@w),%s", "LD %s,(@w)", "LD (@w),A", "LD A,(@w)"};
            switch (y) {
            case 0: set(o, n[0], 7, 0, Z80_REG_A | rpmask[0], Z80_REG_WZ, 0, 0, M_W); break;
            case 1: set(o, n[1], 7, 0, rpmask[0], Z80_REG_A | Z80_REG_WZ, 0, 0, M_R); break;
            case 2: set(o, n[2], 7, 0, Z80_REG_A | rpmask[1], Z80_REG_WZ, 0, 0, M_W); break;
            case 3: set(o, n[3], 7, 0, rpmask[1], Z80_REG_A | Z80_REG_WZ, 0, 0, M_R); break;
            case 4: set(o, fmt(n[4], X), 16, 0, HLm, Z80_REG_WZ, 0, 0, M_W); o->operands = OPS_NN; o->uses_index = 1; break;
            case 5: set(o, fmt(n[5], X), 16, 0, 0, HLm | Z80_REG_WZ, 0, 0, M_R); o->operands = OPS_NN; o->uses_index = 1; break;
            case 6: set(o, n[6], 13, 0, Z80_REG_A, Z80_REG_WZ, 0, 0, M_W); o->operands = OPS_NN; break;
            default: set(o, n[7], 13, 0, 0, Z80_REG_A | Z80_REG_WZ, 0, 0, M_R); o->operands = OPS_NN; break;
            }
            break;
        }
        case 3:
            set(o, fmt("%s %s", q ? "DEC" : "INC", rp_name(p, mode)), 6, 0, rp_mask(p, mode) | Z80_REG_I | Z80_REG_R, rp_mask(p, mode), 0, 0, 0);
            o->uses_index = p == 2;
            break;
        case 4: case 5: {
            const char *name = z == 4 ? "INC" : "DEC";
            uint8_t fw = FS | FZ | FY | FH | FX | FP | FN; /* C kept */
            if (y == 6) {
                set(o, fmt("%s %s", name, r8name[mode][6]), 11 + MEMOP_T, 0, MEMOP_RR, MEMOP_RW, 0, fw, M_R | M_W);
                if (ix) o->operands = OPS_D;
            } else {
                uint32_t m = r8mask[mode][y];
                set(o, fmt("%s %s", name, r8name[mode][y]), 4, 0, m, m, 0, fw, 0);
            }
            o->uses_index = y == 4 || y == 5 || y == 6;
            break;
        }
        case 6:
            if (y == 6) {
                /* LD (IX+d),n: d, n, 2 internal T: 19 T (FUSE) */
                set(o, fmt("LD %s,@n", r8name[mode][6]), ix ? 19 : 10, 0, MEMOP_RR, MEMOP_RW, 0, 0, M_W);
                o->operands = ix ? OPS_DN : OPS_N;
            } else {
                set(o, fmt("LD %s,@n", r8name[mode][y]), 7, 0, 0, r8mask[mode][y], 0, 0, 0);
                o->operands = OPS_N;
            }
            o->uses_index = y == 4 || y == 5 || y == 6;
            break;
        default: {
            static const char *const n[8] = {"RLCA", "RRCA", "RLA", "RRA", "DAA", "CPL", "SCF", "CCF"};
            switch (y) {
            case 0: case 1: set(o, n[y], 4, 0, Z80_REG_A, Z80_REG_A | Z80_REG_F, 0, FC | FN | FH | FX | FY, 0); break;
            case 2: case 3: set(o, n[y], 4, 0, Z80_REG_A | Z80_REG_F, Z80_REG_A | Z80_REG_F, FC, FC | FN | FH | FX | FY, 0); break;
            case 4: set(o, n[y], 4, 0, Z80_REG_A | Z80_REG_F, Z80_REG_A | Z80_REG_F, FC | FH | FN, ALLF & ~FN, 0); break;
            case 5: set(o, n[y], 4, 0, Z80_REG_A, Z80_REG_A | Z80_REG_F, 0, FN | FH | FX | FY, 0); break;
            case 6: set(o, n[y], 4, 0, Z80_REG_A | Z80_REG_F | Z80_REG_Q, Z80_REG_F, FX | FY, FC | FN | FH | FX | FY, 0); break;
            default: set(o, n[y], 4, 0, Z80_REG_A | Z80_REG_F | Z80_REG_Q, Z80_REG_F, FC | FX | FY, FC | FN | FH | FX | FY, 0); break;
            }
            break;
        }
        }
        break;
    case 1:
        if (op == 0x76) {
            set(o, "HALT", 4, 0, 0, 0, 0, 0, END | Z80_INSN_HALT);
        } else if (y == 6 || z == 6) {
            /* memory forms use the real H and L for the register operand */
            if (y == 6) set(o, fmt("LD %s,%s", r8name[mode][6], r8name[0][z]), 7 + MEMOP_T, 0, MEMOP_RR | r8mask[0][z], MEMOP_RW, 0, 0, M_W);
            else set(o, fmt("LD %s,%s", r8name[0][y], r8name[mode][6]), 7 + MEMOP_T, 0, MEMOP_RR, MEMOP_RW | r8mask[0][y], 0, 0, M_R);
            if (ix) o->operands = OPS_D;
            o->uses_index = 1;
        } else {
            set(o, fmt("LD %s,%s", r8name[mode][y], r8name[mode][z]), 4, 0, r8mask[mode][z], r8mask[mode][y], 0, 0, 0);
            o->uses_index = y == 4 || y == 5 || z == 4 || z == 5;
        }
        break;
    case 2: {
        uint8_t fr, fw;
        alu_flags(y, &fr, &fw);
        uint32_t rw = y == 7 ? Z80_REG_F : Z80_REG_A | Z80_REG_F;
        uint32_t rr = Z80_REG_A | (fr ? Z80_REG_F : 0);
        if (z == 6) {
            set(o, fmt("%s%s", aluname[y], r8name[mode][6]), 7 + MEMOP_T, 0, rr | MEMOP_RR, rw | MEMOP_RW, fr, fw, M_R);
            if (ix) o->operands = OPS_D;
        } else {
            set(o, fmt("%s%s", aluname[y], r8name[mode][z]), 4, 0, rr | r8mask[mode][z], rw, fr, fw, 0);
        }
        o->uses_index = z == 4 || z == 5 || z == 6;
        break;
    }
    default:
        switch (z) {
        case 0:
            set(o, fmt("RET %s", ccname[y]), 5, 11, Z80_REG_F | Z80_REG_SP | Z80_REG_I | Z80_REG_R, Z80_REG_SP | Z80_REG_PC | Z80_REG_WZ, ccflag[y], 0,
                M_R | END | Z80_INSN_RET | Z80_INSN_CONDITIONAL | Z80_INSN_INDIRECT);
            break;
        case 1:
            if (q == 0) {
                uint32_t m = p == 3 ? (Z80_REG_A | Z80_REG_F) : rp_mask(p, mode);
                set(o, fmt("POP %s", p == 3 ? "AF" : rp_name(p, mode)), 10, 0, Z80_REG_SP, m | Z80_REG_SP, 0, p == 3 ? ALLF : 0, M_R);
                o->attrs &= ~(uint32_t)Z80_INSN_SETS_Q; /* POP AF does not set Q */
                o->uses_index = p == 2;
            } else if (p == 0) {
                set(o, "RET", 10, 0, Z80_REG_SP, Z80_REG_SP | Z80_REG_PC | Z80_REG_WZ, 0, 0, M_R | END | Z80_INSN_RET | Z80_INSN_INDIRECT);
            } else if (p == 1) {
                uint32_t m = Z80_REG_B | Z80_REG_C | Z80_REG_D | Z80_REG_E | Z80_REG_H | Z80_REG_L | Z80_REG_BC_ | Z80_REG_DE_ | Z80_REG_HL_;
                set(o, "EXX", 4, 0, m, m, 0, 0, 0);
            } else if (p == 2) {
                set(o, fmt("JP (%s)", X), 4, 0, HLm, Z80_REG_PC, 0, 0, END | Z80_INSN_JUMP | Z80_INSN_INDIRECT);
                o->uses_index = 1;
            } else {
                set(o, fmt("LD SP,%s", X), 6, 0, HLm | Z80_REG_I | Z80_REG_R, Z80_REG_SP, 0, 0, 0);
                o->uses_index = 1;
            }
            break;
        case 2:
            set(o, fmt("JP %s,@w", ccname[y]), 10, 10, Z80_REG_F, Z80_REG_PC | Z80_REG_WZ, ccflag[y], 0, END | Z80_INSN_JUMP | Z80_INSN_CONDITIONAL | Z80_INSN_HAS_TARGET);
            o->operands = OPS_NN;
            break;
        case 3:
            switch (y) {
            case 0: set(o, "JP @w", 10, 0, 0, Z80_REG_PC | Z80_REG_WZ, 0, 0, END | Z80_INSN_JUMP | Z80_INSN_HAS_TARGET); o->operands = OPS_NN; break;
            case 1: set(o, "(CB prefix)", 4, 0, 0, 0, 0, 0, 0); break;
            case 2: set(o, "OUT (@n),A", 11, 0, Z80_REG_A, Z80_REG_WZ, 0, 0, Z80_INSN_IO_OUT); o->operands = OPS_N; break;
            case 3: set(o, "IN A,(@n)", 11, 0, Z80_REG_A, Z80_REG_A | Z80_REG_WZ, 0, 0, Z80_INSN_IO_IN); o->operands = OPS_N; break;
            case 4: set(o, fmt("EX (SP),%s", X), 19, 0, Z80_REG_SP | HLm, HLm | Z80_REG_WZ, 0, 0, M_R | M_W); o->uses_index = 1; break;
            case 5: set(o, "EX DE,HL", 4, 0, Z80_REG_D | Z80_REG_E | Z80_REG_H | Z80_REG_L, Z80_REG_D | Z80_REG_E | Z80_REG_H | Z80_REG_L, 0, 0, 0); break;
            /* DI/EI change what may interrupt the next instruction: end the block. */
            case 6: set(o, "DI", 4, 0, 0, Z80_REG_IFF, 0, 0, END); break;
            default: set(o, "EI", 4, 0, 0, Z80_REG_IFF, 0, 0, END); break;
            }
            break;
        case 4:
            set(o, fmt("CALL %s,@w", ccname[y]), 10, 17, Z80_REG_F | Z80_REG_SP | Z80_REG_PC, Z80_REG_SP | Z80_REG_PC | Z80_REG_WZ, ccflag[y], 0,
                M_W | END | Z80_INSN_CALL | Z80_INSN_CONDITIONAL | Z80_INSN_HAS_TARGET);
            o->operands = OPS_NN;
            break;
        case 5:
            if (q == 0) {
                uint32_t m = p == 3 ? (Z80_REG_A | Z80_REG_F) : rp_mask(p, mode);
                set(o, fmt("PUSH %s", p == 3 ? "AF" : rp_name(p, mode)), 11, 0, m | Z80_REG_SP | Z80_REG_I | Z80_REG_R, Z80_REG_SP, p == 3 ? ALLF : 0, 0, M_W);
                o->uses_index = p == 2;
            } else if (p == 0) {
                set(o, "CALL @w", 17, 0, Z80_REG_SP | Z80_REG_PC, Z80_REG_SP | Z80_REG_PC | Z80_REG_WZ, 0, 0, M_W | END | Z80_INSN_CALL | Z80_INSN_HAS_TARGET);
                o->operands = OPS_NN;
            } else {
                set(o, "(prefix)", 4, 0, 0, 0, 0, 0, 0);
            }
            break;
        case 6: {
            uint8_t fr, fw;
            alu_flags(y, &fr, &fw);
            set(o, fmt("%s@n", aluname[y]), 7, 0, Z80_REG_A | (fr ? Z80_REG_F : 0), (y == 7 ? 0 : Z80_REG_A) | Z80_REG_F, fr, fw, 0);
            o->operands = OPS_N;
            break;
        }
        default:
            set(o, fmt("RST $%02X", y * 8), 11, 0, Z80_REG_SP | Z80_REG_PC | Z80_REG_I | Z80_REG_R, Z80_REG_SP | Z80_REG_PC | Z80_REG_WZ, 0, 0,
                M_W | END | Z80_INSN_CALL | Z80_INSN_HAS_TARGET);
            break;
        }
        break;
    }
    /* Undocumented: the IXH/IXL/IYH/IYL forms. */
    if (ix && o->uses_index && (strstr(o->mn, "IXH") || strstr(o->mn, "IXL") || strstr(o->mn, "IYH") || strstr(o->mn, "IYL"))) {
        o->attrs |= Z80_INSN_UNDOC;
    }
    /* IX/IY forms take one more M1 (the prefix): 4 T, except the (IX+d)
     * families whose extra T are already in MEMOP_T. */
    if (ix) {
        int mem = strstr(o->mn, "@d") != NULL;
        if (!mem) { o->t += 4; o->tt += 4; }
        else o->tt = o->t;
    }
#undef MEMOP_T
#undef MEMOP_RR
#undef MEMOP_RW
}

/* ---- CB and DD CB / FD CB ------------------------------------------- */
static void build_cb(int op, int mode, opinfo_t *o) {
    int x = op >> 6, y = (op >> 3) & 7, z = op & 7;
    memset(o, 0, sizeof *o);
    const uint32_t M_R = Z80_INSN_MEM_READ, M_W = Z80_INSN_MEM_WRITE;
    uint8_t fr = 0, fw = 0;
    if (x == 0) { fr = (y == 2 || y == 3) ? FC : 0; fw = ALLF; }
    else if (x == 1) { fw = ALLF & ~FC; }
    char opname[16];
    if (x == 0) snprintf(opname, sizeof opname, "%s", rotname[y]);
    else snprintf(opname, sizeof opname, "%s %d,", x == 1 ? "BIT" : x == 2 ? "RES" : "SET", y);
    const char *sep = x == 0 ? " " : "";
    uint32_t undoc = (x == 0 && y == 6) ? Z80_INSN_UNDOC : 0;
    uint32_t fregs = (fr ? Z80_REG_F : 0), fout = fw ? Z80_REG_F : 0;
    if (mode == 0) {
        if (z == 6) {
            uint32_t rr = Z80_REG_H | Z80_REG_L | fregs | (x == 1 ? Z80_REG_WZ : 0);
            set(o, fmt("%s%s(HL)", opname, sep), x == 1 ? 12 : 15, 0, rr, fout, fr, fw, M_R | (x == 1 ? 0 : M_W) | undoc);
        } else {
            uint32_t m = r8mask[0][z];
            set(o, fmt("%s%s%s", opname, sep, r8name[0][z]), 8, 0, m | fregs, (x == 1 ? 0 : m) | fout, fr, fw, undoc);
        }
        return;
    }
    /* DD CB d op: 4 + 4 + 3 (d) + 5 (op + 2 internal) + read 4 + write 3. */
    const char *mem = r8name[mode][6];
    uint32_t rr = hlmask[mode] | fregs;
    uint32_t rw = fout | Z80_REG_WZ;
    if (x == 1) {
        set(o, fmt("BIT %d,%s", y, mem), 20, 0, rr, rw, fr, fw, M_R | (z != 6 ? Z80_INSN_UNDOC : 0));
    } else if (z == 6) {
        set(o, fmt("%s%s%s", opname, sep, mem), 23, 0, rr, rw, fr, fw, M_R | M_W | undoc);
    } else {
        set(o, fmt("LD %s,%s%s%s", r8name[0][z], opname, sep, mem), 23, 0, rr, rw | r8mask[0][z], fr, fw, M_R | M_W | Z80_INSN_UNDOC);
    }
    o->operands = OPS_D;
    o->uses_index = 1;
}

/* ---- ED ------------------------------------------------------------- */
static void build_ed(int op, opinfo_t *o) {
    int x = op >> 6, y = (op >> 3) & 7, z = op & 7, p = y >> 1, q = y & 1;
    const uint32_t M_R = Z80_INSN_MEM_READ, M_W = Z80_INSN_MEM_WRITE, END = Z80_INSN_ENDS_BLOCK, U = Z80_INSN_UNDOC;
    const uint32_t BCm = Z80_REG_B | Z80_REG_C, DEm = Z80_REG_D | Z80_REG_E, HLm = Z80_REG_H | Z80_REG_L;
    memset(o, 0, sizeof *o);
    set(o, "NOP*", 8, 0, 0, 0, 0, 0, U); /* undefined: 8 T NOP */
    if (x == 1) {
        switch (z) {
        case 0:
            if (y == 6) set(o, "IN (C)", 12, 0, BCm, Z80_REG_F | Z80_REG_WZ, 0, ALLF & ~FC, Z80_INSN_IO_IN | U);
            else set(o, fmt("IN %s,(C)", r8name[0][y]), 12, 0, BCm, r8mask[0][y] | Z80_REG_F | Z80_REG_WZ, 0, ALLF & ~FC, Z80_INSN_IO_IN);
            break;
        case 1:
            if (y == 6) set(o, "OUT (C),0", 12, 0, BCm, Z80_REG_WZ, 0, 0, Z80_INSN_IO_OUT | U);
            else set(o, fmt("OUT (C),%s", r8name[0][y]), 12, 0, BCm | r8mask[0][y], Z80_REG_WZ, 0, 0, Z80_INSN_IO_OUT);
            break;
        case 2:
            set(o, fmt("%s HL,%s", q ? "ADC" : "SBC", rpname[p]), 15, 0, HLm | rpmask[p] | Z80_REG_F | Z80_REG_I | Z80_REG_R, HLm | Z80_REG_F | Z80_REG_WZ, FC, ALLF, 0);
            break;
        case 3:
            if (q == 0) set(o, fmt("LD (@w),%s", rpname[p]), 20, 0, rpmask[p], Z80_REG_WZ, 0, 0, M_W | (p == 2 ? U : 0));
            else set(o, fmt("LD %s,(@w)", rpname[p]), 20, 0, 0, rpmask[p] | Z80_REG_WZ, 0, 0, M_R | (p == 2 ? U : 0));
            o->operands = OPS_NN;
            break;
        case 4:
            set(o, "NEG", 8, 0, Z80_REG_A, Z80_REG_A | Z80_REG_F, 0, ALLF, y ? U : 0);
            break;
        case 5:
            set(o, y == 1 ? "RETI" : "RETN", 14, 0, Z80_REG_SP | Z80_REG_IFF, Z80_REG_SP | Z80_REG_PC | Z80_REG_WZ | Z80_REG_IFF, 0, 0,
                M_R | END | Z80_INSN_RET | Z80_INSN_INDIRECT | (y > 1 ? U : 0));
            break;
        case 6: {
            static const int im[8] = {0, 0, 1, 2, 0, 0, 1, 2};
            /* ED 4E/6E: IM 0/1 on real chips; FUSE (and this core) set IM 0 */
            set(o, fmt("IM %d", im[y]), 8, 0, 0, Z80_REG_IM, 0, 0, END | ((y == 1 || y >= 4) ? U : 0));
            break;
        }
        default:
            switch (y) {
            case 0: set(o, "LD I,A", 9, 0, Z80_REG_A | Z80_REG_I | Z80_REG_R, Z80_REG_I, 0, 0, END); break;
            case 1: set(o, "LD R,A", 9, 0, Z80_REG_A | Z80_REG_I | Z80_REG_R, Z80_REG_R, 0, 0, END); break;
            /* LD A,I/R: P/V = IFF2, and an /INT right after clears it: end the block */
            case 2: set(o, "LD A,I", 9, 0, Z80_REG_I | Z80_REG_R | Z80_REG_IFF, Z80_REG_A | Z80_REG_F, 0, ALLF & ~FC, END); break;
            case 3: set(o, "LD A,R", 9, 0, Z80_REG_I | Z80_REG_R | Z80_REG_IFF, Z80_REG_A | Z80_REG_F, 0, ALLF & ~FC, END); break;
            case 4: set(o, "RRD", 18, 0, Z80_REG_A | HLm, Z80_REG_A | Z80_REG_F | Z80_REG_WZ, 0, ALLF & ~FC, M_R | M_W); break;
            case 5: set(o, "RLD", 18, 0, Z80_REG_A | HLm, Z80_REG_A | Z80_REG_F | Z80_REG_WZ, 0, ALLF & ~FC, M_R | M_W); break;
            default: break;
            }
            break;
        }
        return;
    }
    if (x == 2 && z <= 3 && y >= 4) {
        static const char *const n[4][4] = {
            {"LDI", "CPI", "INI", "OUTI"}, {"LDD", "CPD", "IND", "OUTD"},
            {"LDIR", "CPIR", "INIR", "OTIR"}, {"LDDR", "CPDR", "INDR", "OTDR"}};
        int rep = y >= 6;
        uint32_t a = rep ? (END | Z80_INSN_REPEAT | Z80_INSN_CONDITIONAL) : 0;
        uint32_t rrep = rep ? Z80_REG_PC : 0, wrep = rep ? Z80_REG_PC : 0;
        const char *mn = n[y - 4][z];
        switch (z) {
        case 0: /* LDI: S, Z, C kept */
            set(o, mn, 16, rep ? 21 : 0, Z80_REG_A | BCm | DEm | HLm | rrep, BCm | DEm | HLm | Z80_REG_F | wrep | (rep ? Z80_REG_WZ : 0), 0,
                FN | FP | FX | FH | FY, M_R | M_W | a);
            break;
        case 1: /* CPI: C kept */
            set(o, mn, 16, rep ? 21 : 0, Z80_REG_A | BCm | HLm | Z80_REG_WZ | rrep, BCm | HLm | Z80_REG_F | Z80_REG_WZ | wrep, 0, ALLF & ~FC,
                M_R | a);
            break;
        case 2: /* INI */
            set(o, mn, 16, rep ? 21 : 0, BCm | HLm | Z80_REG_I | Z80_REG_R | rrep, Z80_REG_B | HLm | Z80_REG_F | Z80_REG_WZ | wrep, 0, ALLF,
                M_W | Z80_INSN_IO_IN | a);
            break;
        default: /* OUTI */
            set(o, mn, 16, rep ? 21 : 0, BCm | HLm | Z80_REG_I | Z80_REG_R | rrep, Z80_REG_B | HLm | Z80_REG_F | Z80_REG_WZ | wrep, 0, ALLF,
                M_R | Z80_INSN_IO_OUT | a);
            break;
        }
        return;
    }
    (void)p;
}

void z80_decode_init(void) {
    if (tables_ready) return;
    for (int op = 0; op < 256; op++) {
        build_base(op, 0, &tab[Z80_GROUP_BASE][op]);
        build_cb(op, 0, &tab[Z80_GROUP_CB][op]);
        build_ed(op, &tab[Z80_GROUP_ED][op]);
        for (int mode = 1; mode <= 2; mode++) {
            int g = mode == 1 ? Z80_GROUP_DD : Z80_GROUP_FD;
            build_base(op, mode, &tab[g][op]);
            if (!tab[g][op].uses_index || op == 0xeb) {
                /* the prefix is ignored: the unprefixed opcode, one M1 later */
                tab[g][op] = tab[Z80_GROUP_BASE][op];
                tab[g][op].t += 4;
                tab[g][op].tt += 4;
                tab[g][op].attrs |= Z80_INSN_IGNORED_PREFIX | Z80_INSN_UNDOC;
                tab[g][op].uses_index = 0;
            }
            build_cb(op, mode, &tab[mode == 1 ? Z80_GROUP_DDCB : Z80_GROUP_FDCB][op]);
        }
    }
    tables_ready = 1;
}

/* ---- decoding ------------------------------------------------------- */

int z80_decode_peek(z80_peek_fn peek, void *user, uint16_t pc, z80_insn_t *out) {
    z80_decode_init();
    memset(out, 0, sizeof *out);
    out->pc = pc;
    int off = 0, extra_prefixes = 0, m1 = 1;
#define NEXT() peek(user, (uint16_t)(pc + off++))
    uint8_t op = NEXT();
    int group = Z80_GROUP_BASE;
    if (op == 0xdd || op == 0xfd) {
        /* only the last of a DD/FD chain counts; the others cost 4 T each */
        uint8_t next = peek(user, (uint16_t)(pc + off));
        while ((next == 0xdd || next == 0xfd) && off < 200) {
            op = next;
            off++;
            extra_prefixes++;
            m1++;
            next = peek(user, (uint16_t)(pc + off));
        }
        group = op == 0xdd ? Z80_GROUP_DD : Z80_GROUP_FD;
        op = NEXT();
        m1++;
        if (op == 0xcb) {
            /* DD CB d op: d and op are plain reads, not M1s */
            group = group == Z80_GROUP_DD ? Z80_GROUP_DDCB : Z80_GROUP_FDCB;
            out->disp = (int8_t)NEXT();
            op = NEXT();
        } else if (op == 0xed) {
            /* DD ED xx: the DD is ignored, ED runs */
            group = Z80_GROUP_ED;
            extra_prefixes++;
            op = NEXT();
            m1++;
        }
    } else if (op == 0xcb || op == 0xed) {
        group = op == 0xcb ? Z80_GROUP_CB : Z80_GROUP_ED;
        op = NEXT();
        m1++;
    }
    const opinfo_t *o = &tab[group][op];
    out->group = (uint8_t)group;
    out->opcode = op;
    out->prefixes = (uint8_t)(off - 1 - (group == Z80_GROUP_DDCB || group == Z80_GROUP_FDCB ? 1 : 0));
    switch (o->operands) {
    case OPS_N: out->imm8 = NEXT(); break;
    case OPS_NN: {
        uint8_t lo = NEXT();
        out->imm16 = (uint16_t)(lo | (NEXT() << 8));
        break;
    }
    case OPS_E: out->disp = (int8_t)NEXT(); break;
    case OPS_D:
        if (group != Z80_GROUP_DDCB && group != Z80_GROUP_FDCB) out->disp = (int8_t)NEXT();
        break;
    case OPS_DN:
        out->disp = (int8_t)NEXT();
        out->imm8 = NEXT();
        break;
    default: break;
    }
#undef NEXT
    out->length = (uint8_t)off;
    out->r_incr = (uint8_t)m1;
    out->tstates = (uint8_t)(o->t + 4 * extra_prefixes);
    out->tstates_taken = (uint8_t)(o->tt + 4 * extra_prefixes);
    out->flags_read = o->fr;
    out->flags_written = o->fw;
    out->regs_read = o->rr;
    out->regs_written = o->rw | Z80_REG_R | Z80_REG_Q;
    out->attrs = o->attrs;
    out->mnemonic = o->mn;
    if (o->attrs & Z80_INSN_HAS_TARGET) {
        if (o->operands == OPS_NN) out->target = out->imm16;
        else if (o->operands == OPS_E) out->target = (uint16_t)(pc + off + out->disp);
        else out->target = op & 0x38; /* RST */
    }
    return off;
}

typedef struct {
    const uint8_t *bytes;
    int n;
    uint16_t pc;
} buf_t;

static uint8_t buf_peek(void *user, uint16_t addr) {
    const buf_t *b = user;
    unsigned i = (uint16_t)(addr - b->pc);
    return (int)i < b->n ? b->bytes[i] : 0;
}

int z80_decode(const uint8_t *bytes, int n, uint16_t pc, z80_insn_t *out) {
    buf_t b = {bytes, n, pc};
    return z80_decode_peek(buf_peek, &b, pc, out);
}
