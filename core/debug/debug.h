/*
 * debug.h: the debugger of one Spectrum (zx_t), with or without the
 * dynarec.
 *
 * Points: breakpoints on PC (an address range, by logical address or only
 * while a given ROM or RAM bank is paged there: one physical place),
 * watchpoints on memory reads and writes (ranges, optionally of one bank)
 * and on port reads and writes (port & mask == value & mask). A run stops at
 * an instruction boundary: before an instruction on a breakpoint, after the
 * instruction that made a watched access; the stop says why (the point,
 * the address or port, the value, the T-state of the access).
 *
 * Frames run in pieces: zxdbg_run_frame runs to the frame's end or to a
 * stop, and the next call goes on from there, so the frame's picture and
 * sound come out as if it had run in one go. Without points (and no step
 * pending) it is zx_run_frame itself: the normal run path does not change.
 *
 * With the dynarec (jit_run), PC breakpoints are kept by the dispatcher
 * (jit.h, jit_debug_t): it asks before each instruction and never enters a
 * compiled function built over a breakpoint's byte, so hot code keeps
 * running compiled around breakpoints and stops at exactly the instruction
 * and state the interpreter would. While memory or port watchpoints are
 * enabled the machine runs interpreted (every access is seen as it
 * happens, through the CPU's bus trace).
 *
 * Read watchpoints see data reads, not the fetch of the instruction's own
 * bytes (opcode and operands): PC breakpoints cover those.
 *
 * HOWTO
 *     zxdbg_t *d = zxdbg_create(&zx);
 *     int id = zxdbg_add(d, ZXDBG_PC, 0x10a8, 0x10a8, ZXDBG_ANY_BANK);
 *     while (!zxdbg_run_frame(d)) draw();          // true: stopped
 *     puts(zxdbg_stop_json(d));                    // {"reason":"breakpoint",...}
 *     zxdbg_step(d); zxdbg_set_reg(d, "A", 0x41);
 *     zxdbg_remove(d, id);
 *     while (!zxdbg_run_frame(d)) ...              // on from the stop
 *     zxdbg_destroy(d);
 */
#ifndef ZX_DEBUG_H
#define ZX_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

#include "jit/jit.h"
#include "machine/zx/zx.h"

typedef enum { ZXDBG_PC, ZXDBG_READ, ZXDBG_WRITE, ZXDBG_IN, ZXDBG_OUT, ZXDBG_KINDS } zxdbg_kind_t;

enum {
    ZXDBG_MAX_POINTS = 64,
    ZXDBG_ANY_BANK = -1,     /* a point's bank: whatever is paged at the address */
    ZXDBG_ROM_BANK = 0x100,  /* + n: ROM n of the model (0 .. rom_count-1); 0-7: RAM bank n */
    ZXDBG_CALLS = 16,        /* call stack entries reported at most */
};

typedef enum {
    ZXDBG_STOP_NONE,
    ZXDBG_STOP_BREAKPOINT, /* before an instruction on a PC point */
    ZXDBG_STOP_WATCH,      /* after an instruction that made a watched access */
    ZXDBG_STOP_STEP,       /* one instruction stepped */
    ZXDBG_STOP_TARGET,     /* run to / step over / step out reached its place */
    ZXDBG_STOP_USER,       /* zxdbg_pause_here: stopped where it was */
} zxdbg_reason_t;

typedef struct {
    int id;          /* 0: a free slot */
    uint8_t kind;    /* zxdbg_kind_t */
    bool enabled;
    uint16_t lo, hi; /* PC/READ/WRITE: addresses lo..hi; IN/OUT: port value (lo) and mask (hi) */
    int16_t bank;    /* PC/READ/WRITE: ZXDBG_ANY_BANK, RAM bank 0-7, ZXDBG_ROM_BANK + n */
    uint32_t hits;
} zxdbg_point_t;

typedef struct {
    uint8_t reason;   /* zxdbg_reason_t */
    int id;           /* the point (breakpoint, watch), else 0 */
    uint8_t kind;     /* its kind */
    uint16_t pc;      /* where the CPU stopped */
    uint16_t address; /* watch: the address or port accessed; breakpoint: pc */
    uint8_t value;    /* watch: the byte read or written */
    uint32_t t;       /* watch: T-state of the access in its frame; else of the stop */
    uint64_t frame;   /* frames completed before the one stopped in */
} zxdbg_stop_t;

typedef struct zxdbg zxdbg_t;
struct zxdbg {
    zx_t *zx;
    zxdbg_point_t points[ZXDBG_MAX_POINTS];
    int next_id;
    int armed_pc, armed_mem, armed_port; /* enabled points of each sort */
    uint8_t logical[65536 / 8];          /* PC points on any bank, bit per address */
    uint8_t physical[ZX_MEM_SIZE / 8];   /* PC points of one bank, bit per byte of zx_t.mem */
    jit_debug_t jd;                      /* the dispatcher's view of the above */
    bool mid_frame;                      /* zx_frame_begin ran, zx_frame_end not yet */
    int32_t target_pc;                   /* run to / step over / out: stop at this pc (-1: none) */
    uint32_t target_sp;                  /* ... once SP >= this */
    uint8_t target_reason;
    bool skip;                           /* the run does not stop at (skip_pc, skip_t): where it stopped */
    uint16_t skip_pc;
    uint32_t skip_t;
    bool watch_hit;                      /* the instruction running made a watched access */
    uint16_t insn_pc, insn_len;          /* the instruction running (read watchpoints skip its own bytes) */
    bool stopped;
    zxdbg_stop_t stop;
    char json[8192];
};

zxdbg_t *zxdbg_create(zx_t *zx);
void zxdbg_destroy(zxdbg_t *d);

/* A point; returns its id (> 0), or 0 when the table is full or the point
 * makes no sense (kind, range, bank). PC/READ/WRITE: addresses lo..hi (lo
 * <= hi) and bank; IN/OUT: port value lo, mask hi (bank unused). */
int zxdbg_add(zxdbg_t *d, int kind, uint16_t lo, uint16_t hi, int bank);
bool zxdbg_remove(zxdbg_t *d, int id);
bool zxdbg_enable(zxdbg_t *d, int id, bool on);
void zxdbg_clear(zxdbg_t *d);
/* The points as a JSON array of {id, kind, lo, hi, bank, enabled, hits}. */
const char *zxdbg_points_json(zxdbg_t *d);

/* Runs to the end of the frame (true: it ended, false... see below) or to a
 * stop. Returns true when it stopped (zxdbg_stop_json says why), false
 * when the frame ended. A run that starts where the last one stopped does
 * not stop there again before running the instruction. */
bool zxdbg_run_frame(zxdbg_t *d);
/* One instruction (or an interrupt's acceptance); a frame it completes is
 * ended. Stops with STEP, or WATCH when the instruction made a watched access. */
void zxdbg_step(zxdbg_t *d);
/* Step over: a CALL, RST, DJNZ, repeating block instruction (LDIR & co)
 * or HALT runs to the next instruction (as zxdbg_run_to with SP no lower
 * than now: returns true, then run frames); anything else is one step
 * (returns false, done). */
bool zxdbg_step_over(zxdbg_t *d);
/* Step out: runs until the return address the call stack guess finds
 * nearest on the stack is reached with the stack above it (returns true,
 * then run frames); false when there is none (nothing is done). */
bool zxdbg_step_out(zxdbg_t *d);
/* Run to: stops when pc reaches addr with SP >= sp_min (0: any). */
void zxdbg_run_to(zxdbg_t *d, uint16_t addr, uint32_t sp_min);
/* Forgets a pending run to / step over / out. */
void zxdbg_cancel_target(zxdbg_t *d);
/* Counts as stopped where the CPU is (a pause): the next run starts here. */
void zxdbg_pause_here(zxdbg_t *d);
/* The machine was reset or loaded: a frame in pieces starts over. */
void zxdbg_machine_changed(zxdbg_t *d);

/* The last stop as JSON: {reason, id, kind, pc, address, value, t, frame}. */
const char *zxdbg_stop_json(zxdbg_t *d);
/* Registers and state as JSON: AF BC DE HL AF' BC' DE' HL' IX IY SP PC WZ
 * I R IFF1 IFF2 IM halted, and the position: frame, t (in the frame),
 * line, lineT (T-state in the line), frameT, lineTStates, midFrame. */
const char *zxdbg_state_json(zxdbg_t *d);
/* Sets a register by its name in zxdbg_state_json (also A F B C D E H L
 * IXH IXL IYH IYL); false for an unknown name. Values are cut to the
 * register's width; setting PC leaves HALT. */
bool zxdbg_set_reg(zxdbg_t *d, const char *name, uint32_t value);
/* The call stack guess: words on the stack from SP up that follow a CALL
 * or RST, as a JSON array of {sp, ret, call, target} (target: the CALL's
 * or RST's destination), nearest first. */
const char *zxdbg_calls_json(zxdbg_t *d);

/* Memory through the present mapping. Writes to ROM are dropped; compiled
 * code built over a written byte is dropped. */
void zxdbg_read(zxdbg_t *d, uint16_t addr, uint8_t *out, uint32_t len);
void zxdbg_write(zxdbg_t *d, uint16_t addr, const uint8_t *bytes, uint32_t len);
/* The bank paged at addr: RAM 0-7, ZXDBG_ROM_BANK + n for a ROM. */
int zxdbg_bank_at(zxdbg_t *d, uint16_t addr);

#endif
