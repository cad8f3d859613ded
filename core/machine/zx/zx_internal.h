/*
 * zx_internal.h: functions the machine's files share (video, audio, tape,
 * snapshots). Not part of the public API.
 */
#ifndef ZX_INTERNAL_H
#define ZX_INTERNAL_H

#include "machine/zx/zx.h"
#include "platform/profile.h"

/* zx.c: (re)connect the CPU's pages, contention, callbacks and trap */
void zx_wire_cpu(zx_t *zx);
/* zx.c: zx_run_frame in parts, for a frame run in pieces (the debugger,
 * core/debug/debug.c): begin, then run_cpu to frame_t (taking the tape
 * trap), then end */
void zx_frame_begin(zx_t *zx);
void zx_frame_end(zx_t *zx);
/* zx.c: whether the ROM at 0x0000 is the model's 48 BASIC ROM (the tape trap's) */
bool zx_basic_rom_paged(const zx_t *zx);

/* zx_video.c */
void zx_video_init(zx_t *zx);
void zx_video_render_to(zx_t *zx, uint32_t t);   /* draw every cell latched before T-state t */
void zx_video_end_frame(zx_t *zx);
/* The write-hook window for the model's timing (z80.h hook_window; shared,
 * never freed) and the mark that goes with it, kept by the renderer. */
const uint32_t *zx_video_hook_window(const zx_timing_t *tm);
void zx_video_set_mark(zx_t *zx);
uint8_t zx_video_floating_bus(const uint8_t *screen, uint32_t t, uint32_t first_fetch_t, uint32_t line_t);

/* zx_audio.c */
void zx_audio_init(zx_t *zx, int sample_rate);
void zx_audio_reset(zx_t *zx);                   /* AY registers cleared (power on) */
void zx_audio_advance(zx_t *zx, uint32_t t);     /* integrate the present level up to t */
void zx_audio_restart_at(zx_t *zx, uint32_t t);  /* continue from t (a state restored mid-frame) */
void zx_audio_begin_frame(zx_t *zx);
void zx_audio_end_frame(zx_t *zx);

/* zx_tape.c */
void zx_tape_advance(zx_t *zx, uint32_t t);      /* play tape events up to T-state t */
void zx_tape_end_frame(zx_t *zx);
void zx_tape_update_trap(zx_t *zx);              /* arm or disarm cpu.trap_pc */
void zx_tape_on_trap(zx_t *zx);                  /* PC reached the LD-BYTES trap */

/* Address of the trap inside LD-BYTES: LD-START in the 48K ROM, where the
 * return address SA/LD-RET is on the stack (OpenSE BASIC keeps the layout). */
enum { ZX_TAPE_TRAP_PC = 0x056c };

#endif
