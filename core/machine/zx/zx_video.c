/*
 * zx_video.c: the ULA's picture, contention table and floating bus.
 *
 * The picture is drawn progressively in 8-pixel cells (4 T-states). A cell
 * is drawn once the beam has latched it: border cells at the T-state they
 * start, screen cells when the ULA fetches their bitmap byte. The machine
 * calls zx_video_render_to(t) before every screen write and border change,
 * so each cell shows memory and border as they were when it was latched.
 *
 * ULA fetch timing (the floating bus): see zx_video_floating_bus below and
 * docs/MACHINE.md "Floating bus".
 *
 * Every model draws the same 352x296 window: 48 px of border left and
 * right, 48 lines above the screen and 56 below, placed by the model's
 * top_left_pixel and line length. A row the model's frame does not have
 * (the Pentagon's border below is 48 lines) shows the border at the frame's
 * end.
 */
#include "machine/zx/zx_internal.h"

#include <string.h>

enum {
    CELLS_PER_ROW = ZX_FB_WIDTH / 8, /* 44: 6 border, 32 screen, 6 border */
    CELL_COUNT = CELLS_PER_ROW * ZX_FB_HEIGHT,
    BORDER_CELLS = ZX_BORDER_LEFT / 8,
};

/* 0xD7 for normal and 0xFF for BRIGHT intensity: the usual approximation of
 * the ULA's analogue levels. Stored as R,G,B,A bytes in memory order. */
static uint32_t _zx_rgba(unsigned r, unsigned g, unsigned b) {
    return 0xff000000u | b << 16 | g << 8 | r;
}

void zx_video_init(zx_t *zx) {
    for (int i = 0; i < 16; i++) {
        unsigned v = (i & 8) ? 0xff : 0xd7;
        zx->palette[i] = _zx_rgba((i & 2) ? v : 0, (i & 4) ? v : 0, (i & 1) ? v : 0);
    }
    /* World of Spectrum "Contended memory" (48K: delays 6,5,4,3,2,1,0,0
     * from T=14335 for 128 T on each of the 192 screen lines) and FUSE 1.6
     * spectrum.c contend_delay_common, which places both patterns relative
     * to the top-left pixel: the ULA's from one T before it, the +2A/+3 gate
     * array's 1,0,7,6,5,4,3,2 from four T before it. */
    static const uint8_t ula[8] = {6, 5, 4, 3, 2, 1, 0, 0}, gate_array[8] = {1, 0, 7, 6, 5, 4, 3, 2};
    const zx_timing_t *tm = &zx->timing;
    memset(zx->contention, 0, sizeof zx->contention);
    if (tm->contend != ZX_CONTEND_NONE) {
        const uint8_t *pattern = tm->contend == ZX_CONTEND_ULA ? ula : gate_array;
        uint32_t lead = tm->contend == ZX_CONTEND_ULA ? 1 : 4;
        for (uint32_t line = 0; line < 192; line++) {
            uint32_t base = tm->top_left_pixel - lead + line * tm->line_t;
            for (uint32_t k = 0; k < 128; k++) zx->contention[base + k] = pattern[k & 7];
        }
    }
    zx->render_cell = 0;
}

/* The T-state at which a cell's contents are fixed. */
static uint32_t _zx_cell_latch(const zx_t *zx, uint32_t cell) {
    uint32_t row = cell / CELLS_PER_ROW, col = cell % CELLS_PER_ROW;
    /* row ZX_BORDER_TOP, cell BORDER_CELLS is the top-left pixel */
    uint32_t t = zx->timing.top_left_pixel - ZX_BORDER_TOP * zx->timing.line_t - ZX_BORDER_LEFT / 2 +
                 row * zx->timing.line_t + col * 4;
    bool screen_line = row >= ZX_BORDER_TOP && row < ZX_BORDER_TOP + 192;
    bool screen_col = col >= BORDER_CELLS && col < BORDER_CELLS + 32;
    if (screen_line && screen_col && ((col - BORDER_CELLS) & 1) == 0) t += 2; /* even columns fetch at offset 2 */
    return t;
}

static void _zx_draw_cell(zx_t *zx, uint32_t cell) {
    uint32_t row = cell / CELLS_PER_ROW, col = cell % CELLS_PER_ROW;
    uint32_t *dst = zx->fb + row * ZX_FB_WIDTH + col * 8;
    uint32_t y = row - ZX_BORDER_TOP; /* wraps for the top border */
    if (y >= 192 || col < BORDER_CELLS || col >= BORDER_CELLS + 32) {
        uint32_t c = zx->palette[zx->border & 7];
        for (int i = 0; i < 8; i++) dst[i] = c;
        return;
    }
    uint32_t x = col - BORDER_CELLS;
    /* bitmap address: 010 y7 y6 y2 y1 y0 | y5 y4 y3 x4 x3 x2 x1 x0 */
    uint32_t pix_addr = ((y & 0xc0) << 5) | ((y & 7) << 8) | ((y & 0x38) << 2) | x;
    uint32_t attr_addr = 0x1800 + (y >> 3) * 32 + x;
    const uint8_t *screen = zx_bank_const(zx, zx_screen_bank(zx));
    uint8_t pix = screen[pix_addr], attr = screen[attr_addr];
    if ((attr & 0x80) && zx->flash_on) pix = (uint8_t)~pix;
    unsigned bright = (attr & 0x40) ? 8 : 0;
    uint32_t ink = zx->palette[(attr & 7) | bright], paper = zx->palette[((attr >> 3) & 7) | bright];
    for (int i = 0; i < 8; i++) dst[i] = (pix & (0x80 >> i)) ? ink : paper;
}

void zx_video_render_to(zx_t *zx, uint32_t t) {
    if (zx->fast_forward) return;
    PROF_PUSH(zx->prof, PROF_VIDEO);
    while (zx->render_cell < CELL_COUNT && _zx_cell_latch(zx, zx->render_cell) < t) {
        _zx_draw_cell(zx, zx->render_cell);
        zx->render_cell++;
    }
    PROF_POP(zx->prof);
}

void zx_video_end_frame(zx_t *zx) {
    PROF_PUSH(zx->prof, PROF_VIDEO);
    zx_video_render_to(zx, UINT32_MAX);
    zx->render_cell = 0;
    PROF_POP(zx->prof);
}

/* The byte on the ULA's data bus at T-state t: what a read of an unattached
 * port latches then (Ramsoft, "The floating bus explained"; Sinclair Wiki
 * "Floating bus"; the same pattern as FUSE 1.6 spectrum.c). Screen line y's
 * fetches start at first_fetch_t + line_t*y (48K: 14338 and 224; 128K/+2:
 * 14364 and 228); in each of 16 groups of 8 T the ULA reads bitmap c,
 * attribute c, bitmap c+1, attribute c+1, then leaves the bus idle (0xFF)
 * for 4 T, as it does for the rest of the line and outside the 192 screen
 * lines. `screen` is the 6912-byte display file the ULA shows. */
uint8_t zx_video_floating_bus(const uint8_t *screen, uint32_t t, uint32_t first_fetch_t, uint32_t line_t) {
    if (t < first_fetch_t) return 0xff;
    uint32_t y = (t - first_fetch_t) / line_t, p = (t - first_fetch_t) % line_t;
    if (y >= 192 || p >= 128) return 0xff;
    uint32_t x = (p / 8) * 2;
    switch (p % 8) {
    case 3: x++; /* fall through */
    case 1: return screen[0x1800 + (y >> 3) * 32 + x];
    case 2: x++; /* fall through */
    case 0: return screen[((y & 0xc0) << 5) | ((y & 7) << 8) | ((y & 0x38) << 2) | x];
    default: return 0xff;
    }
}
