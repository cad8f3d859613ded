/*
 * test_profile.c: the frame profile's accumulators (core/platform/profile.h):
 * exclusive charging through nested marks, the categories adding up to the
 * frame's total, marks outside a frame or too deep, the JSON; then the 48K
 * machine with the profile on, under the plain interpreter and under the
 * dynarec's dispatcher (which natively interprets: nothing runs compiled).
 *
 * Lower bounds only: the busy-waits last at least what they ask for, but a
 * loaded machine may stretch them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/z80/jit_z80.h"
#include "machine/zx/zx.h"
#include "platform/profile.h"

#include "check.h"

static void spin_ms(double ms) {
    double end = prof_now_ms() + ms;
    while (prof_now_ms() < end) {
    }
}

static double sum_ms(const prof_t *p) {
    double s = 0;
    for (int c = 0; c < PROF_CATEGORIES; c++) s += p->ms[c];
    return s;
}

static void test_nested_marks(void) {
    prof_t p;
    prof_reset(&p);
    CHECK("clock_calibrated", p.clock_ms > 0 && p.clock_ms < 0.01, "one clock read: %g ms", p.clock_ms);
    prof_frame_begin(&p);
    spin_ms(0.5);                      /* other */
    prof_push(&p, PROF_INTERPRETER);
    spin_ms(2);
    prof_push(&p, PROF_VIDEO);         /* a screen write from the interpreter */
    spin_ms(1);
    prof_pop(&p);
    spin_ms(0.5);
    prof_pop(&p);
    prof_frame_end(&p);
    CHECK("frame_counted", p.frames == 1 && p.frames_ms >= 4 && p.longest_frame_ms == p.frames_ms &&
                               p.last_frame_ms == p.frames_ms,
          "frames %llu, total %g ms, longest %g, last %g", (unsigned long long)p.frames, p.frames_ms,
          p.longest_frame_ms, p.last_frame_ms);
    CHECK("video_exclusive", p.ms[PROF_VIDEO] >= 0.99, "video %g ms", p.ms[PROF_VIDEO]);
    CHECK("interpreter_without_video", p.ms[PROF_INTERPRETER] >= 2.49, "interpreter %g ms", p.ms[PROF_INTERPRETER]);
    CHECK("other_is_the_rest", p.ms[PROF_OTHER] >= 0.49, "other %g ms", p.ms[PROF_OTHER]);
    CHECK("unmarked_categories_empty", p.ms[PROF_COMPILED] == 0 && p.ms[PROF_AUDIO] == 0 && p.ms[PROF_COMPILE] == 0,
          "compiled %g audio %g compile %g", p.ms[PROF_COMPILED], p.ms[PROF_AUDIO], p.ms[PROF_COMPILE]);
    CHECK("intervals", p.intervals[PROF_INTERPRETER] == 2 && p.intervals[PROF_VIDEO] == 1 && p.intervals[PROF_OTHER] == 2,
          "interpreter %llu video %llu other %llu", (unsigned long long)p.intervals[PROF_INTERPRETER],
          (unsigned long long)p.intervals[PROF_VIDEO], (unsigned long long)p.intervals[PROF_OTHER]);
    CHECK("categories_add_up", fabs(sum_ms(&p) - p.frames_ms) < 1e-9, "sum %.9f, frame %.9f", sum_ms(&p), p.frames_ms);
    CHECK("profiler_share", p.ms[PROF_PROFILER] > 0 && p.ms[PROF_PROFILER] <= 5 * p.clock_ms + 1e-12,
          "profiler %g ms for 5 intervals of %g", p.ms[PROF_PROFILER], p.clock_ms);

    /* A second, shorter frame: the longest stays the first. */
    double first = p.frames_ms;
    prof_frame_begin(&p);
    prof_frame_end(&p);
    CHECK("longest_frame_kept", p.frames == 2 && p.longest_frame_ms == first && p.last_frame_ms < first,
          "longest %g, last %g, first %g", p.longest_frame_ms, p.last_frame_ms, first);
}

static void test_untimed_marks(void) {
    prof_t p;
    prof_reset(&p);
    /* Outside a frame (a snapshot save draws the screen): nothing counts. */
    prof_push(&p, PROF_VIDEO);
    spin_ms(0.2);
    prof_pop(&p);
    CHECK("outside_frame_ignored", sum_ms(&p) == 0 && p.untimed == 0, "sum %g, untimed %u", sum_ms(&p), p.untimed);
    /* Deeper than the stack: the excess marks are ignored and unwound. */
    prof_frame_begin(&p);
    for (int i = 0; i < PROF_DEPTH + 4; i++) prof_push(&p, i % 2 ? PROF_AUDIO : PROF_VIDEO);
    spin_ms(0.2);
    for (int i = 0; i < PROF_DEPTH + 4; i++) prof_pop(&p);
    spin_ms(0.2);
    prof_frame_end(&p);
    CHECK("deep_marks_unwound", p.depth == 0 && p.untimed == 0 && p.ms[PROF_OTHER] >= 0.19,
          "depth %u, untimed %u, other %g", p.depth, p.untimed, p.ms[PROF_OTHER]);
    CHECK("deep_marks_add_up", fabs(sum_ms(&p) - p.frames_ms) < 1e-9, "sum %.9f, frame %.9f", sum_ms(&p), p.frames_ms);
    /* The off switch: with a NULL profile the marks do nothing (and must compile). */
    prof_t *off = NULL;
    PROF_FRAME_BEGIN(off);
    PROF_PUSH(off, PROF_VIDEO);
    PROF_POP(off);
    PROF_FRAME_END(off);

    char json[1024];
    size_t n = prof_json(&p, json, sizeof json);
    bool names = n == strlen(json) && strstr(json, "\"frames\":1,") != NULL;
    for (int c = 0; c < PROF_CATEGORIES; c++) {
        char key[32];
        snprintf(key, sizeof key, "\"%s\":", prof_category_name((prof_category_t)c));
        if (!strstr(json, key)) names = false;
    }
    CHECK("json_names_every_category", names, "%s", json);
    char small[16];
    n = prof_json(&p, small, sizeof small);
    CHECK("json_truncates", n == sizeof small - 1 && strlen(small) == n, "n %zu", n);
}

static uint8_t g_rom[ZX_ROM_SIZE];

static bool read_rom(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t n = fread(g_rom, 1, sizeof g_rom, f);
    fclose(f);
    return n == sizeof g_rom;
}

/* 100 frames of the booting ROM (it clears and tests RAM, draws, beeps
 * nothing but still produces sound frames). */
static void run_machine(const char *name, bool dynarec) {
    static zx_t zx;
    prof_t p;
    prof_reset(&p);
    jit_t *jit = dynarec ? jit_create(&(jit_config_t){.threshold = 2}) : NULL;
    zx_init(&zx, &(zx_desc_t){.rom = g_rom, .rom_size = sizeof g_rom, .audio_sample_rate = 48000,
                              .run_cpu = jit ? jit_run : NULL, .run_cpu_ctx = jit});
    zx.prof = &p;
    if (jit) jit_set_profile(jit, &p);
    for (int i = 0; i < 100; i++) zx_run_frame(&zx);
    char label[96];
    snprintf(label, sizeof label, "%s_frames", name);
    CHECK(label, p.frames == 100 && p.frames_ms > 0, "frames %llu, %g ms", (unsigned long long)p.frames, p.frames_ms);
    snprintf(label, sizeof label, "%s_adds_up", name);
    CHECK(label, fabs(sum_ms(&p) - p.frames_ms) < 1e-6 * p.frames_ms, "sum %.6f, frames %.6f", sum_ms(&p), p.frames_ms);
    snprintf(label, sizeof label, "%s_video_audio_interpreter", name);
    CHECK(label, p.intervals[PROF_VIDEO] >= 100 && p.intervals[PROF_AUDIO] >= 100 && p.ms[PROF_INTERPRETER] > 0,
          "video %llu intervals, audio %llu, interpreter %g ms", (unsigned long long)p.intervals[PROF_VIDEO],
          (unsigned long long)p.intervals[PROF_AUDIO], p.ms[PROF_INTERPRETER]);
    snprintf(label, sizeof label, "%s_nothing_compiled", name);
    CHECK(label, p.intervals[PROF_COMPILED] == 0, "compiled %llu intervals", (unsigned long long)p.intervals[PROF_COMPILED]);
    snprintf(label, sizeof label, "%s_dispatcher", name);
    CHECK(label, dynarec ? p.intervals[PROF_DISPATCHER] >= 100 : p.intervals[PROF_DISPATCHER] == 0,
          "dispatcher %llu intervals", (unsigned long long)p.intervals[PROF_DISPATCHER]);
    zx_discard(&zx);
    jit_destroy(jit);
}

int main(void) {
    test_nested_marks();
    test_untimed_marks();
    if (read_rom("build/deps/opense.rom") || read_rom("/usr/share/spectrum-roms/opense.rom")) {
        run_machine("interpreter", false);
        run_machine("dispatcher", true);
    } else {
        printf("FAIL machine: no OpenSE ROM (build/deps/opense.rom)\n");
        failures++;
    }
    return failures ? 1 : 0;
}
