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
 */
#include "machine/zx/zx_internal.h"

enum {
    CELLS_PER_ROW = ZX_FB_WIDTH / 8, /* 44: 6 border, 32 screen, 6 border */
    CELL_COUNT = CELLS_PER_ROW * ZX_FB_HEIGHT,
    BORDER_CELLS = ZX_BORDER_LEFT / 8,
    FIRST_SCREEN_LINE = ZX_SCREEN_T / ZX_LINE_T, /* 64 */
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
    /* World of Spectrum "Contended memory": delays 6,5,4,3,2,1,0,0 from
     * T=14335 for 128 T on each of the 192 screen lines. */
    static const uint8_t pattern[8] = {6, 5, 4, 3, 2, 1, 0, 0};
    for (uint32_t t = 0; t < ZX_FRAME_T; t++) zx->contention[t] = 0;
    for (uint32_t line = 0; line < 192; line++) {
        uint32_t base = ZX_CONTENTION_START + line * ZX_LINE_T;
        for (uint32_t k = 0; k < 128; k++) zx->contention[base + k] = pattern[k & 7];
    }
    zx->render_cell = 0;
}

/* The T-state at which a cell's contents are fixed. */
static uint32_t _zx_cell_latch(uint32_t cell) {
    uint32_t row = cell / CELLS_PER_ROW, col = cell % CELLS_PER_ROW;
    uint32_t line = row + ZX_FB_FIRST_LINE;
    uint32_t t = line * ZX_LINE_T - ZX_BORDER_LEFT / 2 + col * 4;
    bool screen_line = line >= FIRST_SCREEN_LINE && line < FIRST_SCREEN_LINE + 192;
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
    uint8_t pix = zx->ram[pix_addr], attr = zx->ram[attr_addr];
    if ((attr & 0x80) && zx->flash_on) pix = (uint8_t)~pix;
    unsigned bright = (attr & 0x40) ? 8 : 0;
    uint32_t ink = zx->palette[(attr & 7) | bright], paper = zx->palette[((attr >> 3) & 7) | bright];
    for (int i = 0; i < 8; i++) dst[i] = (pix & (0x80 >> i)) ? ink : paper;
}

void zx_video_render_to(zx_t *zx, uint32_t t) {
    if (zx->fast_forward) return;
    while (zx->render_cell < CELL_COUNT && _zx_cell_latch(zx->render_cell) < t) {
        _zx_draw_cell(zx, zx->render_cell);
        zx->render_cell++;
    }
}

void zx_video_end_frame(zx_t *zx) {
    zx_video_render_to(zx, UINT32_MAX);
    zx->render_cell = 0;
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
