/*
 * profile.c: the frame profile's accumulators (profile.h says what is
 * charged where and how the clock's own cost is taken out).
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime in native builds */

#include "platform/profile.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

enum { PROF_CALIBRATION_MARKS = 2000 };

static const char *const _prof_names[PROF_CATEGORIES] = {
    [PROF_OTHER] = "other",     [PROF_INTERPRETER] = "interpreter", [PROF_DISPATCHER] = "dispatcher",
    [PROF_COMPILED] = "compiled", [PROF_COMPILE] = "compile",       [PROF_VIDEO] = "video",
    [PROF_AUDIO] = "audio",     [PROF_PROFILER] = "profiler",
};

double prof_now_ms(void) {
#ifdef __EMSCRIPTEN__
    return emscripten_get_now();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
#endif
}

const char *prof_category_name(prof_category_t c) { return c < PROF_CATEGORIES ? _prof_names[c] : ""; }

/* What one mark adds to an interval: a clock read plus the bookkeeping
 * around it, measured as marks on a scratch profile (the cheapest of a few
 * runs: the cost without interference; in a real frame, with cold caches
 * and the engine's call from deep in Wasm, a mark costs somewhat more). */
static double _prof_calibrate(void) {
    static prof_t scratch;
    double best = -1;
    for (int run = 0; run < 5; run++) {
        memset(&scratch, 0, sizeof scratch);
        prof_frame_begin(&scratch);
        double t0 = scratch.since;
        for (int i = 0; i < PROF_CALIBRATION_MARKS / 2; i++) {
            prof_push(&scratch, PROF_VIDEO);
            prof_pop(&scratch);
        }
        double each = (scratch.since - t0) / PROF_CALIBRATION_MARKS;
        if (best < 0 || each < best) best = each;
    }
    return best;
}

void prof_reset(prof_t *p) {
    memset(p, 0, sizeof *p);
    p->clock_ms = _prof_calibrate();
}

/* Charges the time since the last mark to the category on top, less one
 * clock read (the interval holds one whole read: the end of the one that
 * started it and the start of the one that ends it). */
static void _prof_charge(prof_t *p, double now) {
    prof_category_t top = (prof_category_t)p->stack[p->depth - 1];
    double dt = now - p->since;
    double clock = p->clock_ms < dt ? p->clock_ms : dt;
    p->ms[top] += dt - clock;
    p->ms[PROF_PROFILER] += clock;
    p->intervals[top]++;
    p->since = now;
}

void prof_frame_begin(prof_t *p) {
    double now = prof_now_ms();
    p->frame_start = p->since = now;
    p->depth = 1;
    p->untimed = 0;
    p->stack[0] = PROF_OTHER;
}

void prof_frame_end(prof_t *p) {
    if (!p->depth) return;
    double now = prof_now_ms();
    _prof_charge(p, now);
    double frame = now - p->frame_start;
    p->frames++;
    p->frames_ms += frame;
    p->last_frame_ms = frame;
    if (frame > p->longest_frame_ms) p->longest_frame_ms = frame;
    p->depth = 0;
}

void prof_push(prof_t *p, prof_category_t c) {
    if (!p->depth || p->untimed || p->depth == PROF_DEPTH) { /* outside a frame (a snapshot's save draws) */
        p->untimed++;
        return;
    }
    _prof_charge(p, prof_now_ms());
    p->stack[p->depth++] = (uint8_t)c;
}

void prof_pop(prof_t *p) {
    if (p->untimed) {
        p->untimed--;
        return;
    }
    if (p->depth <= 1) return; /* unbalanced: the frame's own level stays */
    _prof_charge(p, prof_now_ms());
    p->depth--;
}

size_t prof_json(const prof_t *p, char *out, size_t size) {
    size_t n = 0;
#define PROF_OUT(...)                                                            \
    do {                                                                         \
        int w = snprintf(out + n, n < size ? size - n : 0, __VA_ARGS__);        \
        if (w > 0) n += (size_t)w;                                               \
    } while (0)
    PROF_OUT("{\"frames\":%llu,\"framesMs\":%.6f,\"longestFrameMs\":%.6f,\"lastFrameMs\":%.6f,"
             "\"clockReadNs\":%.3f,\"ms\":{",
             (unsigned long long)p->frames, p->frames_ms, p->longest_frame_ms, p->last_frame_ms,
             p->clock_ms * 1e6);
    for (int c = 0; c < PROF_CATEGORIES; c++)
        PROF_OUT("%s\"%s\":%.6f", c ? "," : "", _prof_names[c], p->ms[c]);
    PROF_OUT("},\"intervals\":{");
    for (int c = 0; c < PROF_CATEGORIES; c++)
        PROF_OUT("%s\"%s\":%llu", c ? "," : "", _prof_names[c], (unsigned long long)p->intervals[c]);
    PROF_OUT("}}");
#undef PROF_OUT
    if (size && n >= size) n = size - 1;
    return n;
}
