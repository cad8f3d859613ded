/*
 * wb_z80_emit.h: the Z80 translator's code-building context (over the
 * guest-neutral wasm-backend/wb_builder.h), shared by its files: wb_z80.c (request, regions, flow, module), wb_z80_emit.c
 * (locals, state write-back, the bus: fetch/read/write/idle/ports with
 * inline contention or traced core calls), wb_z80_alu.c (flags),
 * wb_z80_ops.c and wb_z80_ops_ed.c (instructions).
 *
 * Guest state lives in i32 locals: 8-bit registers separately (A F B C D E
 * H L, always 0..255), 16-bit ones whole (IX IY SP WZ), R, the T-state
 * counter T, the count of instructions run N and the Q latch. Static work is
 * kept pending at compile time (T-states, R increments, instruction count)
 * and added to the locals only where a value is observed (contention, a
 * core call, a block end), so a straight run of instructions updates T once.
 */
#ifndef WB_Z80_EMIT_H
#define WB_Z80_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/z80/z80.h"
#include "jit/z80/jit_region.h"
#include "jit/z80/jit_z80_request.h"
#include "wb_builder.h"

/* Offset of a z80_t field: generated code reads and writes the CPU there. */
#define CPU_OFF(f) ((uint32_t)offsetof(z80_t, f))

enum {
    L_CPU, L_UNTIL, L_A, L_F, L_B, L_C, L_D, L_E, L_H, L_L, L_IX, L_IY, L_SP, L_WZ,
    L_R, L_T, L_N, L_Q, L_SMC, L_PC, L_LABEL, L_XCODE, L_TMP, L_NTMP = 24, L_COUNT = L_TMP + L_NTMP,
};

/* Where the Q latch's value is at the current point of the block. */
enum { QS_LOCAL, QS_ZERO, QS_F };

/* State an instruction leaves for the dispatcher: written by the exit right
 * after it, so its ways out always leave the function. */
enum {
    WB_XB_EI = 1,        /* EI: cpu->ei_delay = 1 (the next instruction is protected from /INT) */
    WB_XB_IFF2_READ = 2, /* LD A,I/R: cpu->iff2_read = 1 (an /INT right after clears P/V) */
    WB_XB_LEAVE = 4,     /* HALT: cpu->halted is set; the dispatcher takes over */
};

/* Address operand of a bus access. */
typedef struct {
    int kind;      /* WA_CONST, WA_LOCAL, WA_IR */
    int local;
    uint16_t konst;
} wb_addr_t;
enum { WA_CONST, WA_LOCAL, WA_IR };

/* One way out of a block: taken when cond (NULL: otherwise). */
typedef struct {
    wbx_t cond;
    wb_list_t code;   /* edge timing and effects */
    int dyn;          /* 1: target pc is in L_PC */
    uint16_t target;
    int qs;           /* Q state on this edge */
    uint8_t xb;       /* WB_XB_* of the last instruction (nonzero: leave the function) */
} wb_edge_t;

typedef struct {
    wb_builder_t b;       /* module, where statements go, temps: the builder's calls take &c->b */
    const jit_z80_request_t *cfg; /* the machine's configuration and the flags */
    const jit_region_t *region;   /* the function's region (its loaded operand bytes) */
    int pend_t, pend_r, pend_n;
    int points;           /* contention points emitted for the instruction */
    int qs;               /* Q state before the instruction being emitted */
    uint8_t live;         /* F bits live after the instruction being emitted */
    const z80_insn_t *in; /* instruction being emitted */
    uint8_t xb;           /* WB_XB_* set by the instruction being emitted */
    int nedges;
    wb_edge_t edges[2];   /* set by the block's last instruction */
} wb_ctx_t;

/* ---- the CPU struct (z80_t at local L_CPU) ---- */
wbx_t wb_cpu_load(wb_ctx_t *c, int bytes, uint32_t offset);
void wb_cpu_store(wb_ctx_t *c, int bytes, uint32_t offset, wbx_t v);

/* ---- registers (r8 codes: 0 B 1 C 2 D 3 E 4 H 5 L 7 A, 8 IXH 9 IXL 10 IYH 11 IYL) ---- */
enum { R8_IXH = 8, R8_IXL = 9, R8_IYH = 10, R8_IYL = 11 };
wbx_t wb_r8(wb_ctx_t *c, int r);
void wb_set_r8(wb_ctx_t *c, int r, wbx_t v);
/* rp codes: 0 BC 1 DE 2 HL 3 SP 4 AF 5 IX 6 IY */
enum { RP_BC, RP_DE, RP_HL, RP_SP, RP_AF, RP_IX, RP_IY };
wbx_t wb_rp(wb_ctx_t *c, int rp);
void wb_set_rp(wb_ctx_t *c, int rp, wbx_t v);

/* ---- timing and state ---- */
wbx_t wb_tnow(wb_ctx_t *c);    /* T at this point (T + pending) */
wbx_t wb_rnow(wb_ctx_t *c);    /* R at this point (R + pending increments, bit 7 kept) */
void wb_set_r(wb_ctx_t *c, wbx_t r); /* L_R = R's value r, as L_R holds it (wb_rnow) */
void wb_flush(wb_ctx_t *c);     /* pending T, R, N into their locals */
void wb_reload(wb_ctx_t *c);    /* whole state from *cpu (at entry) */
/* Write back and return `code`; pc from pc_const, or L_PC when dyn == 1.
 * An exit sets what differs between exits (pc, Q, and code | xb << 8 in
 * L_XCODE; xb: WB_XB_*, with the T, R and N still pending at the exit in
 * L_XCODE's high bits, WB_XPEND_*, which the shared tail adds: the exit
 * itself writes no add) and breaks out of the function's WB_LABEL_EXIT
 * block (a br in the exit's own statements, not a block of them: three
 * bytes fewer an exit), after which the function's one tail (wb_exit_call) hands its
 * locals 0..L_XCODE to the module's shared write-back function
 * WB_EXIT_FUNC (wb_exit_tail). Exits stay a few bytes each. */
#define WB_EXIT_FUNC "x"
/* L_XCODE: the code in bits 0-7, WB_XB_* in 8-9, JIT_Z80_CHAIN_INDIRECT
 * (bit 10), pending T, R and N from bit 11, 21 and 26. An exit with more
 * pending than fits adds it itself. */
enum {
    WB_XPEND_T_SHIFT = 11, WB_XPEND_T_MAX = 1023,
    WB_XPEND_R_SHIFT = 21, WB_XPEND_R_MAX = 31,
    WB_XPEND_N_SHIFT = 26, WB_XPEND_N_MAX = 63,
    WB_XCODE_MASK = (1 << WB_XPEND_T_SHIFT) - 1,
};
/* A call of the core's function `call` (JIT_Z80_CALL_*: its arguments, its
 * result or none) through the core's function table, at the slot the
 * request names. */
wbx_t wb_core_call(wb_ctx_t *c, int call, wbx_t *args);
#define WB_STORE_FUNC "w" /* stores that may land in a hooked page, with a write-hook window */
#define WB_CONTEND_FUNC "c" /* contention points, when the page is contended (wb_contend_helper) */
/* Adds WB_CONTEND_FUNC to the module (requests with contention). */
void wb_contend_helper(wb_mod_t *m, const jit_z80_request_t *cfg);
/* Adds WB_STORE_FUNC to the module (requests with JIT_Z80_F_HOOK_WINDOW). */
void wb_store_helper(wb_mod_t *m, const jit_z80_request_t *cfg);
void wb_exit_tail(wb_mod_t *m, const jit_z80_request_t *cfg);
wbx_t wb_exit_call(wb_mod_t *m);
void wb_exit(wb_ctx_t *c, wb_list_t *l, int dyn, uint16_t pc_const, int qs, int xb, int code);
wbx_t wb_q_value(wb_ctx_t *c, int qs);

/* ---- bus (exact order and timing of the interpreter's z80_internal.h) ---- */
wb_addr_t wb_addr_const(uint16_t a);
wb_addr_t wb_addr_local(int local);
wb_addr_t wb_addr_ir(void);
void wb_fetch(wb_ctx_t *c, uint16_t pc);         /* M1 at pc (opcode already known) */
int wb_read(wb_ctx_t *c, wb_addr_t a);           /* returns a temp holding the byte */
void wb_read_imm(wb_ctx_t *c, uint16_t pc);      /* operand read whose value the decoder gave */
void wb_write(wb_ctx_t *c, wb_addr_t a, wbx_t v);
void wb_idle(wb_ctx_t *c, wb_addr_t a, int n);
void wb_contend_only(wb_ctx_t *c, wb_addr_t a, int n);
int wb_port_in(wb_ctx_t *c, int port_local);      /* returns a temp */
void wb_port_out(wb_ctx_t *c, int port_local, wbx_t v);
/* Operands (n, nn) of the instructions jit_region_operand_loadable names:
 * the constant the decoder gave, or in the load form (the region loads
 * the byte: self-modifying code patches it) a temp holding what guest
 * memory holds when the instruction runs. Reading one spends the operand
 * read's cycles as wb_read_imm does. */
typedef struct {
    int temp;        /* -1: the constant */
    uint16_t konst;
} wb_opnd_t;
wb_opnd_t wb_read_opnd8(wb_ctx_t *c, uint16_t pc, uint8_t konst);
wb_opnd_t wb_read_opnd16(wb_ctx_t *c, uint16_t pc, uint16_t konst); /* bytes at pc, pc + 1 */
wbx_t wb_opnd(wb_ctx_t *c, wb_opnd_t o);
static inline bool wb_opnd_loaded(wb_opnd_t o) { return o.temp >= 0; }
/* 16-bit helpers */
void wb_push(wb_ctx_t *c, wbx_t v);
int wb_pop(wb_ctx_t *c);                          /* returns a temp holding the word */

/* ---- flags (wb_z80_alu.c) ---- */
/* F = (F & ~(written & live)) | (comps & written & live); comps built by the caller. */
bool wb_need(const wb_ctx_t *c, uint8_t bits);
void wb_setf(wb_ctx_t *c, uint8_t written, wbx_t comps);
wbx_t wb_sz53(wb_ctx_t *c, wbx_t v8);
wbx_t wb_sz53p(wb_ctx_t *c, wbx_t v8);
wbx_t wb_parity(wb_ctx_t *c, wbx_t v8);
void wb_alu8(wb_ctx_t *c, int op, wbx_t v);      /* ADD ADC SUB SBC AND XOR OR CP */
int wb_inc8(wb_ctx_t *c, wbx_t v);               /* returns a temp with the result */
int wb_dec8(wb_ctx_t *c, wbx_t v);
int wb_rot(wb_ctx_t *c, int op, wbx_t v);        /* CB rotate/shift by bits 5..3 */
void wb_bit(wb_ctx_t *c, int n, wbx_t v, wbx_t xy);
int wb_add16(wb_ctx_t *c, wbx_t a, wbx_t b);     /* ADD rr,rr: returns a temp */
void wb_adc16(wb_ctx_t *c, wbx_t v, bool sub);   /* ADC/SBC HL,rr */
wbx_t wb_cond(wb_ctx_t *c, int cc);              /* condition code true */

/* ---- instructions (wb_z80_ops.c, wb_z80_ops_ed.c) ---- */
void wb_emit_insn(wb_ctx_t *c, const z80_insn_t *in, bool last);
void wb_emit_ed(wb_ctx_t *c, const z80_insn_t *in, bool last);
/* LD (nn),rp (store) or LD rp,(nn), operand bytes at o and o+1: shared by
 * the base (HL, IX, IY) and ED (BC, DE, HL, SP) forms. */
void wb_ld_nn_rp(wb_ctx_t *c, const z80_insn_t *in, uint16_t o, int rp, bool store);
/* A way out of the block from its last instruction: statements emitted
 * between begin and end run only on that edge (taken-branch timing, pushes).
 * cond NULL: the default way. dyn: 0 static target, 1 L_PC. */
void wb_edge_begin(wb_ctx_t *c, wbx_t cond);
void wb_edge_end(wb_ctx_t *c, int dyn, uint16_t target);

#endif
