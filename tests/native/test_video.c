/*
 * test_video.c: the progressive renderer (core/machine/zx/zx_video.c)
 * against a reference written here from the documented timing, bit for bit,
 * over hundreds of scripted frames on the 48K, 128K, +2A and Pentagon.
 *
 * The renderer redraws only the cells whose inputs changed and walks the
 * cells row by row; the reference is the plain definition: every cell of
 * every frame computed from the screen memory, border and FLASH phase at
 * its latch T-state (48K timings: World of Spectrum FAQ "ZX Spectrum 48K
 * timings"; the layout: zx.h "Frame buffer"). A border cell is latched at
 * the T-state it starts, a screen cell when the ULA fetches its bitmap byte
 * (2 T later for even columns); frame-buffer row 0 is 48 lines above the
 * top-left pixel, cell 0 of a row 24 T before the row's first screen pixel.
 *
 * The machine's CPU is replaced by a script (zx_desc_t.run_cpu) that makes
 * the stores and OUTs a program would, at chosen T-states, through the
 * machine's own write hook and port handler: border changes (single and in
 * raster bars every 4-12 T), screen stores (bitmap and attributes, FLASH
 * among them, scattered and in bursts), and on the 128K models shadow
 * screen switches and stores into bank 7 at 0xC000. Between frames the
 * driver adds the rest: fast_forward frames, resets, pokes without hooks,
 * snapshot save and load, and restoring a struct copy taken mid-frame. The
 * reference follows each (it is told of the events, and it reads the same
 * memory), and the frame buffers are compared after every frame and at
 * each restore.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/zx/zx.h"

#include "check.h"

enum { CELLS_PER_ROW = ZX_FB_WIDTH / 8, CELL_COUNT = CELLS_PER_ROW * ZX_FB_HEIGHT };

/* ---- the reference renderer */

typedef struct {
    uint32_t fb[ZX_FB_WIDTH * ZX_FB_HEIGHT];
    uint32_t next_cell; /* cells before it are drawn this frame */
} ref_video_t;

static uint32_t ref_latch(const zx_t *zx, uint32_t cell) {
    uint32_t row = cell / CELLS_PER_ROW, col = cell % CELLS_PER_ROW;
    /* frame-buffer row 48, column 48 px (cell 6) is the top-left pixel */
    int64_t t =
        (int64_t)zx->timing.top_left_pixel + ((int64_t)row - 48) * zx->timing.line_t + ((int64_t)col - 6) * 4;
    if (row >= 48 && row < 48 + 192 && col >= 6 && col < 38 && (col - 6) % 2 == 0) t += 2;
    return (uint32_t)t;
}

static uint32_t ref_colour(unsigned index) {
    unsigned v = (index & 8) ? 0xff : 0xd7;
    unsigned r = (index & 2) ? v : 0, g = (index & 4) ? v : 0, b = (index & 1) ? v : 0;
    return 0xff000000u | b << 16 | g << 8 | r;
}

static void ref_draw(ref_video_t *ref, const zx_t *zx, uint32_t cell) {
    uint32_t row = cell / CELLS_PER_ROW, col = cell % CELLS_PER_ROW;
    uint32_t *dst = ref->fb + row * ZX_FB_WIDTH + col * 8;
    if (row < 48 || row >= 48 + 192 || col < 6 || col >= 38) {
        for (int i = 0; i < 8; i++)
            dst[i] = ref_colour(zx->border & 7);
        return;
    }
    uint32_t y = row - 48, x = col - 6;
    int bank = (zx->timing.paging != ZX_PAGING_NONE && (zx->port_7ffd & 0x08)) ? 7 : 5;
    const uint8_t *screen = zx_bank_const(zx, bank);
    uint8_t pix = screen[(y / 64) * 2048 + (y % 8) * 256 + ((y / 8) % 8) * 32 + x];
    uint8_t attr = screen[6144 + (y / 8) * 32 + x];
    bool flashing = (attr & 0x80) && zx->flash_on;
    unsigned bright = (attr & 0x40) ? 8 : 0;
    for (int i = 0; i < 8; i++) {
        bool ink = ((pix >> (7 - i)) & 1) != flashing;
        dst[i] = ref_colour(ink ? (attr & 7) | bright : ((attr >> 3) & 7) | bright);
    }
}

/* Draws the cells latched before t from the machine's present state. */
static void ref_render_to(ref_video_t *ref, const zx_t *zx, uint32_t t) {
    if (zx->fast_forward) return;
    while (ref->next_cell < CELL_COUNT && ref_latch(zx, ref->next_cell) < t)
        ref_draw(ref, zx, ref->next_cell++);
}

/* ---- the scripted CPU */

typedef enum { EV_BORDER, EV_STORE, EV_PAGE } event_kind_t;
typedef struct {
    uint32_t t;
    uint8_t kind;
    uint8_t value;
    uint16_t addr;
} event_t;

enum { MAX_EVENTS = 8192 };

typedef struct {
    zx_t zx;
    ref_video_t ref;
} machine_t;

static machine_t g_m, g_saved;
static bool g_have_saved;
static event_t g_events[MAX_EVENTS];
static int g_event_count;
static uint64_t g_script_frame = UINT64_MAX; /* frame g_events was made for */
static uint32_t g_rng;

static uint32_t rnd(void) {
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 17;
    g_rng ^= g_rng << 5;
    return g_rng;
}

static void add(uint32_t t, event_kind_t kind, uint16_t addr, uint8_t value) {
    if (g_event_count < MAX_EVENTS) g_events[g_event_count++] = (event_t){t, (uint8_t)kind, value, addr};
}

static int by_time(const void *a, const void *b) {
    uint32_t ta = ((const event_t *)a)->t, tb = ((const event_t *)b)->t;
    return ta < tb ? -1 : ta > tb;
}

/* A display-file address: bitmap or attribute, at 0x4000 or (128K models,
 * whatever bank is paged there) 0xC000. Attributes have FLASH one time in 4. */
static void add_store(const zx_t *zx, uint32_t t) {
    uint16_t offset = (uint16_t)(rnd() % 6912), base = 0x4000;
    if (zx->timing.paging != ZX_PAGING_NONE && (rnd() & 1)) base = 0xc000;
    uint8_t value = (uint8_t)rnd();
    if (offset >= 6144 && (rnd() & 3)) value &= 0x7f;
    add(t, EV_STORE, (uint16_t)(base + offset), value);
}

/* The frame's events from its number (the same after a restore). Frame
 * kinds: quiet, a few border changes, raster bars, scattered stores, a
 * burst redrawing a band of the screen, paging (128K models). */
static void make_script(const zx_t *zx) {
    g_rng = (uint32_t)(zx->frame_count * 2654435761u) ^ 0x9e3779b9u ^ (uint32_t)zx->model * 77u;
    if (!g_rng) g_rng = 1;
    g_event_count = 0;
    uint32_t frame_t = zx->timing.frame_t;
    switch (zx->frame_count % 6) {
    case 0: break;
    case 1:
        for (int i = 0, n = (int)(rnd() % 12); i < n; i++)
            add(rnd() % frame_t, EV_BORDER, 0xfe, (uint8_t)rnd());
        break;
    case 2:
        for (int bar = 0; bar < 4; bar++) {
            uint32_t t = rnd() % frame_t, step = 4 + rnd() % 9, n = 50 + rnd() % 400;
            for (uint32_t i = 0; i < n && t < frame_t; i++, t += step)
                add(t, EV_BORDER, 0xfe, (uint8_t)(i & 7));
        }
        break;
    case 3:
        for (int i = 0, n = (int)(rnd() % 600); i < n; i++)
            add_store(zx, rnd() % frame_t);
        if (rnd() & 1) add(rnd() % frame_t, EV_BORDER, 0xfe, (uint8_t)rnd());
        break;
    case 4: {
        /* a moving band, stored top to bottom at about the beam's pace */
        uint32_t t = rnd() % (frame_t / 2), first = rnd() % 6912;
        for (uint32_t i = 0; i < 3000; i++, t += 7)
            add(t, EV_STORE, (uint16_t)(0x4000 + (first + i) % 6912), (uint8_t)rnd());
        break;
    }
    case 5:
        if (zx->timing.paging != ZX_PAGING_NONE) {
            /* bank 7 at 0xC000 or another; the shown screen switched mid-frame */
            for (int i = 0, n = 1 + (int)(rnd() % 6); i < n; i++)
                add(rnd() % frame_t, EV_PAGE, 0x7ffd,
                    (uint8_t)((rnd() & 0x08) | ((rnd() & 1) ? 7 : rnd() & 7)));
            for (int i = 0, n = (int)(rnd() % 300); i < n; i++)
                add_store(zx, rnd() % frame_t);
        } else {
            for (int i = 0, n = (int)(rnd() % 100); i < n; i++)
                add_store(zx, rnd() % frame_t);
        }
        break;
    }
    qsort(g_events, (size_t)g_event_count, sizeof g_events[0], by_time);
    g_script_frame = zx->frame_count;
}

static bool g_save_mid_frame; /* take g_saved at this frame's middle event */

/* zx_desc_t.run_cpu: plays the frame's events with t in [tstates, until),
 * each as the CPU would (the reference first draws up to it from the
 * state before it), then stands at until. At the frame's end the reference
 * finishes its frame as the machine is about to. */
static void run_script(void *ctx, z80_t *cpu, uint32_t until) {
    machine_t *m = ctx;
    zx_t *zx = &m->zx;
    if (g_script_frame != zx->frame_count) make_script(zx);
    for (int i = 0; i < g_event_count; i++) {
        const event_t *e = &g_events[i];
        if (e->t < cpu->tstates) continue;
        if (e->t >= until) break;
        cpu->tstates = e->t;
        if (g_save_mid_frame && i == g_event_count / 2) {
            g_saved = *m;
            g_have_saved = true;
            g_save_mid_frame = false;
        }
        ref_render_to(&m->ref, zx, e->t);
        if (e->kind == EV_STORE) {
            if (((cpu->hooked_pages >> (e->addr >> 14)) & 1) && cpu->write_hook)
                cpu->write_hook(cpu->user, e->addr, e->value, e->t);
            z80_poke(&zx->cpu, e->addr, e->value);
        } else {
            cpu->port_out(cpu->user, e->addr, e->value, e->t);
        }
    }
    cpu->tstates = until;
    if (until >= zx->timing.frame_t) {
        ref_render_to(&m->ref, zx, UINT32_MAX);
        m->ref.next_cell = 0;
    }
}

/* ---- the driver */

static uint8_t g_rom[4 * ZX_ROM_SIZE];
static uint8_t g_sna[ZX_SNAPSHOT_MAX];

/* The first `cells` cells' pixels (the whole frame: CELL_COUNT). */
static bool fb_equal(const machine_t *m, uint32_t cells, int *first_diff) {
    for (int i = 0; i < (int)cells * 8; i++)
        if (m->zx.fb[i] != m->ref.fb[i]) {
            *first_diff = i;
            return false;
        }
    return true;
}

static void run_model(zx_model_t model, int frames) {
    const zx_timing_t *tm = zx_model_timing(model);
    char name[96];
    zx_discard(&g_m.zx);
    memset(&g_m.ref, 0, sizeof g_m.ref);
    bool ok = zx_init(&g_m.zx, &(zx_desc_t){.model = model,
                                            .rom = g_rom,
                                            .rom_size = ZX_ROM_SIZE,
                                            .run_cpu = run_script,
                                            .run_cpu_ctx = &g_m});
    snprintf(name, sizeof name, "video_%s_init", tm->id);
    CHECK(name, ok, "zx_init failed");
    if (!ok) return;
    g_have_saved = false;
    g_script_frame = UINT64_MAX;
    size_t sna_len = 0;
    int mismatches = 0, first_bad_frame = -1, first_diff = 0, changed_frames = 0, restores = 0;
    uint32_t previous_hash = 0;
    for (int f = 0; f < frames; f++) {
        zx_t *zx = &g_m.zx;
        zx->fast_forward = f % 17 == 9 || f % 17 == 10;
        if (f % 29 == 13) {
            zx_reset(zx);
            zx->cpu.tstates = rnd() % 4000; /* a reset mid-way into a frame's count */
            g_m.ref.next_cell = 0;
        }
        if (f % 19 == 3) g_save_mid_frame = true;
        if (f % 19 == 11 && g_have_saved) {
            int diff;
            /* the copy's picture so far (the cells both have drawn: the
             * reference draws at every event, the machine when it must),
             * then the copy runs on */
            uint32_t drawn = g_saved.zx.render_cell < g_saved.ref.next_cell ? g_saved.zx.render_cell
                                                                            : g_saved.ref.next_cell;
            if (!fb_equal(&g_saved, drawn, &diff)) {
                if (first_bad_frame < 0)
                    printf("# %s copy at T=%u: first difference at row %d x %d: 0x%08X, reference 0x%08X\n",
                           tm->id, g_saved.zx.cpu.tstates, diff / ZX_FB_WIDTH, diff % ZX_FB_WIDTH,
                           g_saved.zx.fb[diff], g_saved.ref.fb[diff]);
                mismatches++, first_bad_frame = first_bad_frame < 0 ? f : first_bad_frame;
            }
            g_m = g_saved;
            g_m.zx.run_cpu_ctx = &g_m;
            g_script_frame = UINT64_MAX;
            restores++;
        }
        if (f % 41 == 20) {
            for (int i = 0; i < 64; i++)
                z80_poke(&zx->cpu, (uint16_t)(0x4000 + rnd() % 6912), (uint8_t)rnd()); /* no hook */
            sna_len = zx_save_sna(zx, g_sna, sizeof g_sna);
        }
        if (f % 41 == 35 && sna_len) {
            char err[256];
            if (zx_load_sna(zx, g_sna, sna_len, err, sizeof err)) {
                zx->run_cpu = run_script, zx->run_cpu_ctx = &g_m;
                g_m.ref.next_cell = 0;
                ref_render_to(&g_m.ref, zx, zx->cpu.tstates);
                g_script_frame = UINT64_MAX;
            }
        }
        zx_run_frame(&g_m.zx);
        if (!fb_equal(&g_m, CELL_COUNT, &first_diff)) {
            if (first_bad_frame < 0) {
                first_bad_frame = f;
                printf("# %s frame %d: first difference at row %d x %d: 0x%08X, reference 0x%08X\n", tm->id,
                       f, first_diff / ZX_FB_WIDTH, first_diff % ZX_FB_WIDTH, g_m.zx.fb[first_diff],
                       g_m.ref.fb[first_diff]);
            }
            mismatches++;
            /* keep going from the machine's picture: count the frames that differ */
            memcpy(g_m.ref.fb, g_m.zx.fb, sizeof g_m.ref.fb);
        }
        uint32_t hash = 2166136261u;
        for (int i = 0; i < ZX_FB_WIDTH * ZX_FB_HEIGHT; i += 7)
            hash = (hash ^ g_m.zx.fb[i]) * 16777619u;
        changed_frames += hash != previous_hash;
        previous_hash = hash;
    }
    snprintf(name, sizeof name, "video_%s_%d_frames_bit_identical", tm->id, frames);
    CHECK(name, mismatches == 0, "%d frames differ, the first %d", mismatches, first_bad_frame);
    /* the script must exercise the renderer: pictures that change, restores */
    snprintf(name, sizeof name, "video_%s_script_exercises", tm->id);
    CHECK(name, changed_frames > frames / 3 && restores > 2, "%d frames changed, %d restores", changed_frames,
          restores);
}

/* A mid-row border change must colour exactly the cells latched after it:
 * a direct check of the latch arithmetic, whatever the reference says. */
static void run_idle(void *ctx, z80_t *cpu, uint32_t until) {
    (void)ctx;
    cpu->tstates = until;
}

static void test_border_cells(void) {
    zx_discard(&g_m.zx);
    zx_init(&g_m.zx, &(zx_desc_t){.rom = g_rom, .rom_size = ZX_ROM_SIZE, .run_cpu = run_idle});
    zx_t *zx = &g_m.zx;
    for (int i = 0; i < 3; i++)
        zx_run_frame(zx);
    /* line 100 (fb row 84), right border cell 40 latched at 14336 + 36*224 + 128 + 8 = 22536 */
    uint32_t before = 22536;
    zx->cpu.port_out(zx->cpu.user, 0xfe, 2, before + 1);
    zx_run_frame(zx);
    uint32_t black = zx->palette[0], red = zx->palette[2];
    bool ok = zx->fb[84 * ZX_FB_WIDTH + 40 * 8 + 7] == black && zx->fb[84 * ZX_FB_WIDTH + 41 * 8] == red &&
              zx->fb[83 * ZX_FB_WIDTH] == black && zx->fb[85 * ZX_FB_WIDTH] == red;
    CHECK("video_border_change_mid_row", ok, "colours around cell 40 of row 84 wrong");
    /* the next, quiet frame redraws the whole border red */
    zx_run_frame(zx);
    ok = zx->fb[0] == red && zx->fb[84 * ZX_FB_WIDTH + 40 * 8] == red &&
         zx->fb[295 * ZX_FB_WIDTH + 351] == red;
    CHECK("video_border_whole_frame_after_change", ok, "border not red everywhere");
}

/* Every bitmap byte under every attribute (INK, PAPER, BRIGHT, FLASH in
 * both phases), drawn whole at the frame's end as a quiet frame does: the
 * renderer's per-line change mask, its 8-pixel expansion and its FLASH
 * bookkeeping, frame after frame, against the reference. Between frames
 * the screen is poked (no hooks): some cells' bitmap, some attributes, a
 * whole line now and then, nothing at all in others (unchanged lines and
 * lines drawn in the other FLASH phase). Each frame the border changes at
 * a T-state inside a row, so that part of a side keeps its colour and the
 * rest is redrawn; on the 128K the shadow screen (bank 7, other contents)
 * is switched in and out between frames; the Pentagon has its own frame. */
static void test_every_value(zx_model_t model) {
    const zx_timing_t *tm = zx_model_timing(model);
    char name[96];
    zx_discard(&g_m.zx);
    bool ok = zx_init(&g_m.zx, &(zx_desc_t){.model = model, .rom = g_rom, .rom_size = ZX_ROM_SIZE, .run_cpu = run_idle});
    snprintf(name, sizeof name, "video_every_value_%s_init", tm->id);
    CHECK(name, ok, "zx_init failed");
    if (!ok) return;
    zx_t *zx = &g_m.zx;
    bool paging = zx->timing.paging != ZX_PAGING_NONE;
    for (int bank = 5; bank <= 7; bank += 2) {
        uint8_t *screen = zx_bank(zx, bank);
        for (int i = 0; i < 6144; i++)
            screen[i] = (uint8_t)(i * (bank == 5 ? 1 : 7) + (i >> 8)); /* every value, in many places */
        for (int i = 0; i < 768; i++)
            screen[6144 + i] = (uint8_t)(i * (bank == 5 ? 1 : 3)); /* every attribute 3 times */
    }
    uint32_t rng = 99;
    int mismatches = 0, first_bad = -1, flash_frames[2] = {0, 0};
    for (int f = 0; f < 80; f++) {
        uint8_t *screen = zx_bank(zx, paging && (zx->port_7ffd & 0x08) ? 7 : 5);
        switch (f % 4) {
        case 0: break; /* unchanged (FLASH may flip) */
        case 1:
            for (int i = 0; i < 6144; i += 3 + f % 5) screen[i] ^= (uint8_t)(1 + f);
            break;
        case 2:
            for (int i = 6144 + f % 7; i < 6912; i += 5) screen[i] = (uint8_t)(screen[i] + 0x41);
            break;
        case 3: {
            rng = rng * 1103515245u + 12345u;
            uint32_t line = (rng >> 8) % 192, base = ((line & 0xc0) << 5) | ((line & 7) << 8) | ((line & 0x38) << 2);
            for (int x = 0; x < 32; x++) screen[base + x] = (uint8_t)~screen[base + x];
            break;
        }
        }
        if (paging && f % 10 == 5) zx_page_write(zx, 0x7ffd, (uint8_t)(zx->port_7ffd ^ 0x08));
        flash_frames[zx->flash_on]++;
        /* the border changes inside a row, somewhere in the frame */
        rng = rng * 1103515245u + 12345u;
        uint32_t t = (rng >> 4) % zx->timing.frame_t;
        memset(&g_m.ref, 0, sizeof g_m.ref);
        ref_render_to(&g_m.ref, zx, t);
        zx->cpu.port_out(zx->cpu.user, 0xfe, (uint8_t)((zx->border + 1 + f % 6) & 7), t);
        ref_render_to(&g_m.ref, zx, UINT32_MAX);
        zx_run_frame(zx);
        int diff;
        if (!fb_equal(&g_m, CELL_COUNT, &diff)) {
            if (first_bad < 0) {
                first_bad = f;
                printf("# %s frame %d: first difference at row %d x %d: 0x%08X, reference 0x%08X\n", tm->id, f,
                       diff / ZX_FB_WIDTH, diff % ZX_FB_WIDTH, zx->fb[diff], g_m.ref.fb[diff]);
            }
            mismatches++;
        }
    }
    snprintf(name, sizeof name, "video_every_value_%s_bit_identical", tm->id);
    CHECK(name, mismatches == 0 && flash_frames[0] > 0 && flash_frames[1] > 0,
          "%d of 80 frames differ, the first %d; frames in each FLASH phase %d/%d", mismatches, first_bad,
          flash_frames[0], flash_frames[1]);
}

int main(void) {
    memset(g_rom, 0xff, sizeof g_rom);
    test_border_cells();
    test_every_value(ZX_MODEL_48K);
    test_every_value(ZX_MODEL_128K);
    test_every_value(ZX_MODEL_PENTAGON);
    run_model(ZX_MODEL_48K, 400);
    run_model(ZX_MODEL_128K, 400);
    run_model(ZX_MODEL_PLUS2A, 200);
    run_model(ZX_MODEL_PENTAGON, 200);
    zx_discard(&g_m.zx);
    return failures ? 1 : 0;
}
