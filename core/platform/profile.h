/*
 * profile.h: the frame profile: where a frame's host time goes, split into
 * compiled code, the dynarec's dispatcher, the interpreter, compiling,
 * video, audio and the rest of the frame loop (JS adds its own glue, see
 * web/spectrum-core.mjs).
 *
 * Time is charged exclusively: the code marks where a category begins and
 * ends (PROF_PUSH / PROF_POP, which nest), and every interval between two
 * marks goes to the category on top of the stack. Video drawn from inside a
 * compiled function's screen write counts as video, not as compiled code.
 * The categories of a frame therefore add up to its total exactly.
 *
 * Off (the machine's and the dynarec's `prof` pointer is NULL) a mark costs
 * one predictable branch. On, each mark reads the host clock once
 * (emscripten_get_now() in Wasm, clock_gettime natively). A read is not
 * free (tens of ns under Node), and the dispatcher marks twice per block:
 * the clock's own cost, calibrated when the profile is reset, is taken out
 * of each interval and shown as its own category ("profiler"), so the
 * others are not inflated by the measuring.
 *
 * HOWTO
 *     prof_t prof; prof_reset(&prof);
 *     zx.prof = &prof; jit_set_profile(jit, &prof);   // on
 *     ... zx_run_frame(&zx) ...                        // prof_frame_begin/end inside
 *     char json[1024]; prof_json(&prof, json, sizeof json);
 */
#ifndef PLATFORM_PROFILE_H
#define PLATFORM_PROFILE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    PROF_OTHER,        /* the frame loop itself, the tape, anything below not marked */
    PROF_INTERPRETER,  /* the Z80 interpreter (under the dispatcher, or alone) */
    PROF_DISPATCHER,   /* the dynarec's dispatcher: lookups, hotness, queueing, bookkeeping */
    PROF_COMPILED,     /* inside compiled functions */
    PROF_COMPILE,      /* compile requests: Binaryen, Wasm compile, instantiate */
    PROF_VIDEO,        /* drawing the picture */
    PROF_AUDIO,        /* sound: beeper and AY */
    PROF_PROFILER,     /* the clock reads themselves (estimated) */
    PROF_CATEGORIES
} prof_category_t;

enum { PROF_DEPTH = 16 };

typedef struct prof {
    /* since the last reset */
    double ms[PROF_CATEGORIES];            /* exclusive time, clock reads taken out */
    uint64_t intervals[PROF_CATEGORIES];   /* timed intervals charged to each */
    uint64_t frames;
    double frames_ms;                      /* the frames' totals, summed */
    double longest_frame_ms;
    double last_frame_ms;
    double clock_ms;                       /* one clock read (calibrated by prof_reset) */
    /* the frame being timed */
    double since;                          /* the clock at the last mark */
    double frame_start;
    uint32_t depth;                        /* categories on the stack; 0: outside a frame */
    uint32_t untimed;                      /* marks outside a frame or past PROF_DEPTH, to unwind */
    uint8_t stack[PROF_DEPTH];
} prof_t;

/* Clears the figures and calibrates the clock's cost. */
void prof_reset(prof_t *p);
/* The host clock, in ms. */
double prof_now_ms(void);
void prof_frame_begin(prof_t *p);
void prof_frame_end(prof_t *p);
void prof_push(prof_t *p, prof_category_t c);
void prof_pop(prof_t *p);
/* The figures as one JSON object: {"frames","framesMs","longestFrameMs",
 * "lastFrameMs","clockReadNs","ms":{"<category>":ms,...}}. Returns the
 * length written (truncated to size - 1). */
size_t prof_json(const prof_t *p, char *out, size_t size);
/* A category's name in the JSON ("compiled", "dispatcher", ...). */
const char *prof_category_name(prof_category_t c);

#define PROF_FRAME_BEGIN(p) do { if (p) prof_frame_begin(p); } while (0)
#define PROF_FRAME_END(p) do { if (p) prof_frame_end(p); } while (0)
#define PROF_PUSH(p, c) do { if (p) prof_push((p), (c)); } while (0)
#define PROF_POP(p) do { if (p) prof_pop(p); } while (0)

#endif
