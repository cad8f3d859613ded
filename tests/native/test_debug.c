/*
 * test_debug.c: the debugger (core/debug/debug.h) on a 48K running a small
 * program from RAM, on the interpreter and through the dynarec's
 * dispatcher (natively jit_run interprets, with the debugger's loop of
 * jit_dispatch.h): breakpoints stop at the same instruction with the same
 * state on both, watchpoints report the access, steps, step over and out.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "debug/debug.h"
#include "jit/z80/jit_z80.h"

/* 8000 LD SP,$FF00 / LD HL,$9000 / loop: LD B,8 / inner: LD (HL),B /
 * INC HL / DJNZ inner / CALL sub / OUT ($FE),A / JR loop / sub: LD A,($9001)
 * / INC A / RET */
static const uint8_t _prog[] = {
    0x31, 0x00, 0xff,       /* 8000 LD SP,$FF00 */
    0x21, 0x00, 0x90,       /* 8003 LD HL,$9000 */
    0x06, 0x08,             /* 8006 LD B,8 */
    0x70,                   /* 8008 LD (HL),B */
    0x23,                   /* 8009 INC HL */
    0x10, 0xfc,             /* 800A DJNZ $8008 */
    0xcd, 0x20, 0x80,       /* 800C CALL $8020 */
    0xd3, 0xfe,             /* 800F OUT ($FE),A */
    0x18, 0xf3,             /* 8011 JR $8006 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x3a, 0x01, 0x90,       /* 8020 LD A,($9001) */
    0x3c,                   /* 8023 INC A */
    0xc9,                   /* 8024 RET */
};

static uint8_t _rom[16384];

static zx_t *_machine(bool jit) {
    zx_t *zx = calloc(1, sizeof *zx);
    memset(_rom, 0, sizeof _rom);
    _rom[0] = 0xf3;                  /* DI */
    _rom[1] = 0xc3;                  /* JP $8000 */
    _rom[2] = 0x00;
    _rom[3] = 0x80;
    zx_desc_t desc = {.rom = _rom, .rom_size = sizeof _rom};
    if (jit) {
        desc.run_cpu = jit_run;
        desc.run_cpu_ctx = jit_create(&(jit_config_t){.threshold = 2});
    }
    zx_init(zx, &desc);
    for (size_t i = 0; i < sizeof _prog; i++) z80_poke(&zx->cpu, (uint16_t)(0x8000 + i), _prog[i]);
    return zx;
}

static void _free(zx_t *zx) {
    if (zx->run_cpu == jit_run) jit_destroy(zx->run_cpu_ctx);
    zx_discard(zx);
    free(zx);
}

static bool _run_until_stop(zxdbg_t *d, int max_frames) {
    for (int i = 0; i < max_frames; i++)
        if (zxdbg_run_frame(d)) return true;
    return false;
}

static bool _same_cpu(const z80_t *a, const z80_t *b) {
    return a->af.w == b->af.w && a->bc.w == b->bc.w && a->de.w == b->de.w && a->hl.w == b->hl.w && a->sp == b->sp &&
           a->pc == b->pc && a->tstates == b->tstates && a->r == b->r;
}

int main(void) {
    zx_t *zi = _machine(false), *zj = _machine(true);
    zxdbg_t *di = zxdbg_create(zi), *dj = zxdbg_create(zj);
    zxdbg_t *both[2] = {di, dj};

    for (int k = 0; k < 2; k++) zxdbg_run_frame(both[k]); /* no points: zx_run_frame */
    CHECK("no points: a whole frame", zi->frame_count == 1 && zj->frame_count == 1 && !di->mid_frame, "frames %llu",
          (unsigned long long)zi->frame_count);

    int id = 0;
    for (int k = 0; k < 2; k++) id = zxdbg_add(both[k], ZXDBG_PC, 0x8009, 0x8009, ZXDBG_ANY_BANK);
    bool si = _run_until_stop(di, 3), sj = _run_until_stop(dj, 3);
    CHECK("breakpoint hit at its pc", si && sj && zi->cpu.pc == 0x8009 && zj->cpu.pc == 0x8009 && di->stop.id == id &&
          di->stop.reason == ZXDBG_STOP_BREAKPOINT, "pc %04x %04x", zi->cpu.pc, zj->cpu.pc);
    CHECK("breakpoint: interpreter and dispatcher agree", _same_cpu(&zi->cpu, &zj->cpu), "t %u %u",
          zi->cpu.tstates, zj->cpu.tstates);
    CHECK("breakpoint: mid-frame", di->mid_frame && zi->cpu.tstates < zi->timing.frame_t, "t %u", zi->cpu.tstates);
    uint32_t t_hit = zi->cpu.tstates;
    for (int k = 0; k < 2; k++) zxdbg_run_frame(both[k]); /* resumes: the next pass of the loop */
    CHECK("resume does not stop at once", zi->cpu.pc == 0x8009 && zi->cpu.tstates > t_hit && _same_cpu(&zi->cpu, &zj->cpu),
          "pc %04x t %u", zi->cpu.pc, zi->cpu.tstates);

    for (int k = 0; k < 2; k++) zxdbg_step(both[k]);
    CHECK("step: one instruction (INC HL)", zi->cpu.pc == 0x800a && di->stop.reason == ZXDBG_STOP_STEP &&
          _same_cpu(&zi->cpu, &zj->cpu), "pc %04x", zi->cpu.pc);

    for (int k = 0; k < 2; k++) zxdbg_clear(both[k]);
    zxdbg_set_reg(di, "B", 1);
    zxdbg_set_reg(dj, "B", 1);
    CHECK("set register", zi->cpu.bc.b.h == 1, "B %02x", zi->cpu.bc.b.h);
    for (int k = 0; k < 2; k++) zxdbg_step(both[k]); /* DJNZ falls through */
    CHECK("step: DJNZ with B=1 falls through", zi->cpu.pc == 0x800c, "pc %04x", zi->cpu.pc);
    uint16_t sp = zi->cpu.sp;
    for (int k = 0; k < 2; k++) {
        bool run = zxdbg_step_over(both[k]);
        if (run) _run_until_stop(both[k], 2);
    }
    CHECK("step over CALL", zi->cpu.pc == 0x800f && zi->cpu.sp == sp && di->stop.reason == ZXDBG_STOP_TARGET &&
          _same_cpu(&zi->cpu, &zj->cpu), "pc %04x sp %04x", zi->cpu.pc, zi->cpu.sp);

    /* into the CALL, then step out */
    for (int k = 0; k < 2; k++) {
        zxdbg_run_to(both[k], 0x8023, 0);
        _run_until_stop(both[k], 2);
    }
    CHECK("run to", zi->cpu.pc == 0x8023 && zj->cpu.pc == 0x8023, "pc %04x", zi->cpu.pc);
    const char *calls = zxdbg_calls_json(di);
    CHECK("call stack guess", strstr(calls, "\"ret\":32783,\"call\":32780,\"target\":32800") != NULL, "%s", calls);
    for (int k = 0; k < 2; k++) {
        bool run = zxdbg_step_out(both[k]);
        if (run) _run_until_stop(both[k], 2);
    }
    CHECK("step out", zi->cpu.pc == 0x800f && _same_cpu(&zi->cpu, &zj->cpu), "pc %04x", zi->cpu.pc);

    /* watchpoints: the CALL's push of its return address, the read of $9001, OUT */
    for (int k = 0; k < 2; k++) id = zxdbg_add(both[k], ZXDBG_WRITE, 0xfefe, 0xfefe, ZXDBG_ANY_BANK);
    si = _run_until_stop(di, 3);
    sj = _run_until_stop(dj, 3);
    CHECK("write watch: after the instruction (CALL's push)", si && sj && di->stop.reason == ZXDBG_STOP_WATCH &&
          di->stop.address == 0xfefe && di->stop.value == 0x0f && zi->cpu.pc == 0x8020 && _same_cpu(&zi->cpu, &zj->cpu),
          "pc %04x addr %04x", zi->cpu.pc, di->stop.address);
    for (int k = 0; k < 2; k++) zxdbg_clear(both[k]);
    for (int k = 0; k < 2; k++) zxdbg_add(both[k], ZXDBG_READ, 0x9001, 0x9001, ZXDBG_ANY_BANK);
    _run_until_stop(di, 3);
    _run_until_stop(dj, 3);
    CHECK("read watch: LD A,($9001)", di->stop.reason == ZXDBG_STOP_WATCH && zi->cpu.pc == 0x8023 &&
          di->stop.value == z80_peek(&zi->cpu, 0x9001) && _same_cpu(&zi->cpu, &zj->cpu), "pc %04x", zi->cpu.pc);
    for (int k = 0; k < 2; k++) zxdbg_clear(both[k]);
    for (int k = 0; k < 2; k++) zxdbg_add(both[k], ZXDBG_OUT, 0x00fe, 0x00ff, ZXDBG_ANY_BANK);
    _run_until_stop(di, 3);
    _run_until_stop(dj, 3);
    CHECK("out watch: port mask", di->stop.reason == ZXDBG_STOP_WATCH && zi->cpu.pc == 0x8011 && (di->stop.address & 0xff) == 0xfe &&
          _same_cpu(&zi->cpu, &zj->cpu), "pc %04x port %04x", zi->cpu.pc, di->stop.address);
    for (int k = 0; k < 2; k++) zxdbg_clear(both[k]);

    /* a PC point on another bank than the one paged (48K: bank 0 at C000; ask for bank 2) does not stop */
    CHECK("bank point refused on a 48K bank it lacks", zxdbg_add(di, ZXDBG_PC, 0xc000, 0xc000, 7) == 0, "accepted");
    id = zxdbg_add(di, ZXDBG_PC, 0x8009, 0x8009, 0);
    CHECK("a point of bank 0 at 8009 (bank 2 is there)", !_run_until_stop(di, 2), "stopped at %04x", zi->cpu.pc);
    zxdbg_remove(di, id);
    zxdbg_add(di, ZXDBG_PC, 0x8009, 0x8009, 2);
    CHECK("a point of bank 2 at 8009", _run_until_stop(di, 2) && zi->cpu.pc == 0x8009, "pc %04x", zi->cpu.pc);
    zxdbg_clear(di);
    for (int k = 0; k < 2; k++)
        while (both[k]->mid_frame) zxdbg_run_frame(both[k]);
    CHECK("frames end after a stop", zi->cpu.tstates < 100 || zi->frame_count > 0, "t %u", zi->cpu.tstates);

    uint8_t v = 0x5a;
    zxdbg_write(dj, 0x9100, &v, 1);
    uint8_t back = 0;
    zxdbg_read(dj, 0x9100, &back, 1);
    CHECK("write and read memory", back == 0x5a, "%02x", back);
    const char *state = zxdbg_state_json(di);
    CHECK("state json", strstr(state, "\"PC\":") && strstr(state, "\"line\":") && strstr(state, "\"bank3\":0"), "%s", state);

    zxdbg_destroy(di);
    zxdbg_destroy(dj);
    _free(zi);
    _free(zj);
    return failures ? 1 : 0;
}
