/*
 * zx_video.c: the ULA's picture, contention table and floating bus.
 *
 * The picture is drawn progressively in 8-pixel cells (4 T-states). A cell
 * is drawn once the beam has latched it: border cells at the T-state they
 * start, screen cells when the ULA fetches their bitmap byte. The machine
 * calls zx_video_render_to(t) before every screen write and border change,
 * so each cell shows memory and border as they were when it was latched.
 *
 * Most of a picture is the same from one frame to the next, so a cell is
 * redrawn only when what it shows changed: the machine keeps, per cell, the
 * border colour, or the bitmap byte, attribute and FLASH phase, it was last
 * drawn from (zx.h render_*), plain data that a struct copy carries along
 * with the frame buffer. The frame buffer is the same, pixel for pixel, as
 * drawing every cell every frame (tests/native/test_video.c).
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

#include <stdlib.h>
#include <string.h>

enum {
    CELLS_PER_ROW = ZX_FB_WIDTH / 8, /* 44: 6 border, 32 screen, 6 border */
    CELL_COUNT = CELLS_PER_ROW * ZX_FB_HEIGHT,
    BORDER_CELLS = ZX_BORDER_LEFT / 8,
    RIGHT_BORDER = BORDER_CELLS + 32,
    NOT_DRAWN = 0xff, /* render_border, render_border_run */
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
    /* nothing drawn yet: every cell differs from what the frame buffer shows */
    memset(zx->render_border, NOT_DRAWN, sizeof zx->render_border);
    memset(zx->render_border_run, NOT_DRAWN, sizeof zx->render_border_run);
    memset(zx->render_drawn, 0, sizeof zx->render_drawn);
    zx_video_set_mark(zx);
}

/* A cell's latch T-state is the row's (one line apart) plus 4 T per
 * column, and 2 T more for an even screen column of a screen line (the ULA
 * fetches pairs of bitmap bytes: docs/MACHINE.md). Latches increase with the
 * cell index, so "the cells latched before t" is always a prefix. */
static uint32_t _zx_row_latch(const zx_t *zx, uint32_t row) {
    /* row ZX_BORDER_TOP, cell BORDER_CELLS is the top-left pixel */
    return zx->timing.top_left_pixel - ZX_BORDER_TOP * zx->timing.line_t - ZX_BORDER_LEFT / 2 +
           row * zx->timing.line_t;
}

static bool _zx_screen_row(uint32_t row) {
    return row - ZX_BORDER_TOP < 192; /* wraps for the top border */
}

/* How many of a row's cells are latched before `before` T-states into it
 * (the row's latch being 0). */
static uint32_t _zx_row_cells_before(uint32_t row, uint32_t before) {
    if (before == 0) return 0;
    uint32_t last = before - 1, col = last / 4;
    if (col >= CELLS_PER_ROW) return CELLS_PER_ROW;
    bool fetch_late = _zx_screen_row(row) && col - BORDER_CELLS < 32 && ((col - BORDER_CELLS) & 1) == 0;
    return (fetch_late && (last & 3) < 2) ? col : col + 1;
}

/* Four pixels as one vector: GCC and Clang lower it to SSE natively, to
 * Wasm SIMD where the build enables it (-msimd128, emcc.mk) and to plain
 * 32-bit operations otherwise. Loads and stores go through memcpy, which
 * they compile to single unaligned vector moves. */
typedef uint32_t zx_px4_t __attribute__((vector_size(16)));

static zx_px4_t _zx_px4_splat(uint32_t v) { return (zx_px4_t){v, v, v, v}; }

static void _zx_put_px4(uint32_t *dst, zx_px4_t v) { memcpy(dst, &v, sizeof v); }

/* 8 pixels of one colour. */
static void _zx_fill_cell(uint32_t *dst, zx_px4_t rgba) {
    _zx_put_px4(dst, rgba);
    _zx_put_px4(dst + 4, rgba);
}

/* 8 pixels from a bitmap byte (bit 7 leftmost): each lane's mask is all
 * ones where its bit is set, and selects ink there, paper elsewhere. */
static void _zx_put_cell(uint32_t *dst, uint32_t pix, zx_px4_t ink, zx_px4_t paper) {
    zx_px4_t p = _zx_px4_splat(pix);
    zx_px4_t left = (zx_px4_t)((p & (zx_px4_t){0x80, 0x40, 0x20, 0x10}) != 0);
    zx_px4_t right = (zx_px4_t)((p & (zx_px4_t){0x08, 0x04, 0x02, 0x01}) != 0);
    _zx_put_px4(dst, (ink & left) | (paper & ~left));
    _zx_put_px4(dst + 4, (ink & right) | (paper & ~right));
}

/* Cells [from, to) of a row in the border's colour, within one side of
 * the screen (side 1: right of it; a row without screen is side 0 whole),
 * redrawing only those last drawn in another colour. The caller has seen
 * that the side does not show the colour throughout (render_border_run);
 * whole_side: the span is the side entire, which then does. */
static void _zx_draw_border(zx_t *zx, uint32_t row, int side, uint32_t from, uint32_t to, bool whole_side) {
    uint8_t colour = zx->border & 7;
    zx->render_border_run[row][side] = whole_side ? colour : NOT_DRAWN;
    uint8_t *shown = zx->render_border + row * CELLS_PER_ROW;
    zx_px4_t rgba = _zx_px4_splat(zx->palette[colour]);
    uint32_t *dst = zx->fb + row * ZX_FB_WIDTH;
    for (uint32_t col = from; col < to; col++) {
        if (shown[col] == colour) continue;
        shown[col] = colour;
        _zx_fill_cell(dst + col * 8, rgba);
    }
}

/* Clang would vectorize the 8-cells-at-a-time loop below with 64-bit lane
 * multiplies, which Wasm engines emulate on x86: slower than the scalar loop. */
#if defined(__clang__)
#define ZX_NO_VECTORIZE _Pragma("clang loop vectorize(disable)")
#else
#define ZX_NO_VECTORIZE
#endif

/* Bit 7 of each of 8 bytes (little-endian, as memcpy loads them on every
 * target here), gathered into bits 0-7: the multiply moves byte k's bit to
 * bit 56 + k without carries into the top byte. */
static uint32_t _zx_byte_high_bits(uint64_t x) {
    return (uint32_t)((((x & 0x8080808080808080ull) >> 7) * 0x0102040810204080ull) >> 56);
}

/* Bit k set where byte k of x is not zero. */
static uint32_t _zx_nonzero_bytes(uint64_t x) {
    return _zx_byte_high_bits(x | ((x & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full));
}

static uint64_t _zx_load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Screen columns [from, to) of screen line y, redrawing only the cells
 * whose bitmap byte or attribute changed, that were never drawn, or whose
 * FLASH phase changed for a flashing attribute. The test is made 8 cells
 * at a time into a mask of the cells to draw (an unchanged line costs a few
 * 64-bit comparisons), and only those cells are visited. */
static void _zx_draw_screen(zx_t *zx, const uint8_t *screen, uint32_t row, uint32_t from, uint32_t to) {
    uint32_t y = row - ZX_BORDER_TOP;
    /* bitmap address: 010 y7 y6 y2 y1 y0 | y5 y4 y3 x4 x3 x2 x1 x0 */
    const uint8_t *bitmap = screen + (((y & 0xc0) << 5) | ((y & 7) << 8) | ((y & 0x38) << 2));
    const uint8_t *attrs = screen + 0x1800 + (y >> 3) * 32;
    uint8_t *drawn_bitmap = zx->render_bitmap + y * 32, *drawn_attr = zx->render_attr + y * 32;
    uint32_t flash_phase = zx->flash_on ? 0xffffffffu : 0;
    uint32_t flash = zx->render_flash[y];
    if (from == 0 && to == 32 && zx->render_drawn[y] == 0xffffffffu && flash == flash_phase) {
        /* the common case, a whole line drawn in this FLASH phase: unchanged? */
        uint64_t diff = 0;
        for (uint32_t i = 0; i < 32; i += 8)
            diff |= (_zx_load64(bitmap + i) ^ _zx_load64(drawn_bitmap + i)) |
                    (_zx_load64(attrs + i) ^ _zx_load64(drawn_attr + i));
        if (!diff) return;
    }
    uint32_t range = (uint32_t)(((1ull << to) - 1) & ~((1ull << from) - 1));
    uint32_t phase_changed = (flash ^ flash_phase) & range;
    uint32_t todo = ~zx->render_drawn[y] & range;
    if (to - from <= 2) {
        /* a cell or two (a render between two nearby events): tested one by one */
        for (uint32_t x = from; x < to; x++)
            if (bitmap[x] != drawn_bitmap[x] || attrs[x] != drawn_attr[x] ||
                ((attrs[x] & 0x80) && ((phase_changed >> x) & 1)))
                todo |= 1u << x;
    } else {
        ZX_NO_VECTORIZE
        for (uint32_t k = from / 8; k * 8 < to; k++) {
            uint64_t a = _zx_load64(attrs + k * 8);
            uint64_t diff = (_zx_load64(bitmap + k * 8) ^ _zx_load64(drawn_bitmap + k * 8)) |
                            (a ^ _zx_load64(drawn_attr + k * 8));
            if (diff) todo |= _zx_nonzero_bytes(diff) << (k * 8);
            if (phase_changed) todo |= _zx_byte_high_bits(a) << (k * 8) & phase_changed;
        }
    }
    todo &= range;
    zx->render_drawn[y] |= range;
    zx->render_flash[y] = (flash & ~range) | (flash_phase & range);
    if (!todo) return;
    uint32_t *line = zx->fb + row * ZX_FB_WIDTH + ZX_BORDER_LEFT;
    const uint32_t *palette = zx->palette;
    /* neighbouring cells mostly share an attribute: its colours are kept */
    uint32_t colours_of = 0x100;
    zx_px4_t ink = {0}, paper = {0};
    do {
        uint32_t x = (uint32_t)__builtin_ctz(todo);
        todo &= todo - 1;
        uint32_t pix = bitmap[x], attr = attrs[x];
        drawn_bitmap[x] = (uint8_t)pix;
        drawn_attr[x] = (uint8_t)attr;
        if (attr != colours_of) {
            colours_of = attr;
            uint32_t bright = (attr >> 3) & 8;
            uint32_t i = palette[(attr & 7) | bright], p = palette[((attr >> 3) & 7) | bright];
            bool swap = attr & 0x80 & flash_phase;
            ink = _zx_px4_splat(swap ? p : i);
            paper = _zx_px4_splat(swap ? i : p);
        }
        _zx_put_cell(line + x * 8, pix, ink, paper);
    } while (todo);
}

/* Cells [from, to) of one row. A border side that already shows the
 * border's colour throughout is skipped at once, whatever part of it the
 * span covers. *screen: the screen's memory, looked up (once per render)
 * only when screen cells are drawn. */
static void _zx_draw_row(zx_t *zx, const uint8_t **screen, uint32_t row, uint32_t from, uint32_t to) {
    uint8_t colour = zx->border & 7;
    const uint8_t *run = zx->render_border_run[row];
    if (!_zx_screen_row(row)) {
        if (run[0] != colour) _zx_draw_border(zx, row, 0, from, to, from == 0 && to == CELLS_PER_ROW);
        return;
    }
    if (from < BORDER_CELLS && run[0] != colour) {
        uint32_t end = to < BORDER_CELLS ? to : BORDER_CELLS;
        _zx_draw_border(zx, row, 0, from, end, from == 0 && end == BORDER_CELLS);
    }
    uint32_t s0 = from > BORDER_CELLS ? from : BORDER_CELLS, s1 = to < RIGHT_BORDER ? to : RIGHT_BORDER;
    if (s0 < s1) {
        if (!*screen) *screen = zx_bank_const(zx, zx_screen_bank(zx));
        _zx_draw_screen(zx, *screen, row, s0 - BORDER_CELLS, s1 - BORDER_CELLS);
    }
    if (to > RIGHT_BORDER && run[1] != colour) {
        uint32_t begin = from > RIGHT_BORDER ? from : RIGHT_BORDER;
        _zx_draw_border(zx, row, 1, begin, to, begin == RIGHT_BORDER && to == CELLS_PER_ROW);
    }
}

/* Cells are visited in beam order, row by row from the next undrawn one
 * (no division per cell); a row's cells latched before t are a prefix
 * whose length is found once. */
static void _zx_render_rows(zx_t *zx, uint32_t t, uint32_t row, uint32_t col, uint32_t latch);

void zx_video_render_to(zx_t *zx, uint32_t t) {
    if (zx->fast_forward || zx->render_cell >= CELL_COUNT) return;
    uint32_t row = zx->render_cell / CELLS_PER_ROW, col = zx->render_cell % CELLS_PER_ROW;
    uint32_t latch = _zx_row_latch(zx, row);
    if (t <= latch + col * 4) return; /* the next cell is latched at or after that */
    PROF_PUSH(zx->prof, PROF_VIDEO);
    _zx_render_rows(zx, t, row, col, latch);
    zx_video_set_mark(zx);
    PROF_POP(zx->prof);
}

/* Draws every cell latched before t from (row, col), whose row is latched
 * from `latch` on. */
static void _zx_render_rows(zx_t *zx, uint32_t t, uint32_t row, uint32_t col, uint32_t latch) {
    const uint8_t *screen = NULL;
    for (; row < ZX_FB_HEIGHT; row++, col = 0, latch += zx->timing.line_t) {
        uint32_t end = t <= latch ? 0 : _zx_row_cells_before(row, t - latch);
        if (end > col) _zx_draw_row(zx, &screen, row, col, end);
        if (end < CELLS_PER_ROW) {
            zx->render_cell = row * CELLS_PER_ROW + (end > col ? end : col);
            return;
        }
    }
    zx->render_cell = CELL_COUNT;
}

void zx_video_end_frame(zx_t *zx) {
    PROF_PUSH(zx->prof, PROF_VIDEO);
    zx_video_render_to(zx, UINT32_MAX);
    zx->render_cell = 0;
    zx_video_set_mark(zx);
    PROF_POP(zx->prof);
}

/* ---- the write-hook window (z80.h hook_window)
 *
 * A store into the screen must be preceded by drawing the cells latched
 * before it (zx_video_render_to), but only the cells that read the stored
 * byte matter: drawing the others later, from memory that no store has
 * changed for them, gives the same picture. Cell C is drawn by
 * render_to(t) when t > latch(C) (its row's latch + 4 T per column, + 2 for
 * an even screen column: _zx_row_cells_before), and is still undrawn when
 * latch(C) >= the latch of render_cell (latches grow with the cell index).
 * So a store at t into a byte read by cells with latches lo..hi (one cell
 * for a bitmap byte; the 8 cells of a column of a character row for an
 * attribute) needs the renderer only when lo < t and hi >= hook_mark. The
 * attribute's test can say yes when no cell is between its rows' latches;
 * that only costs a call. Compiled code makes the test inline
 * (wasm-backend/z80/wb_z80_emit.c wb_write); stores into hooked pages were
 * a core call each before. */

static uint32_t _zx_cell_latch(const zx_timing_t *tm, uint32_t row, uint32_t col) {
    uint32_t latch = tm->top_left_pixel - ZX_BORDER_TOP * tm->line_t - ZX_BORDER_LEFT / 2 + row * tm->line_t + col * 4;
    bool fetch_late = _zx_screen_row(row) && col - BORDER_CELLS < 32 && ((col - BORDER_CELLS) & 1) == 0;
    return fetch_late ? latch + 2 : latch;
}

void zx_video_set_mark(zx_t *zx) {
    uint32_t cell = zx->render_cell;
    zx->hook_mark = zx->fast_forward || cell >= CELL_COUNT
                        ? UINT32_MAX
                        : _zx_cell_latch(&zx->timing, cell / CELLS_PER_ROW, cell % CELLS_PER_ROW);
}

/* One table per distinct timing (a handful of models), built on first use. */
const uint32_t *zx_video_hook_window(const zx_timing_t *tm) {
    static struct { uint32_t line_t, top_left_pixel; uint32_t *window; } built[8];
    for (int i = 0; i < 8; i++) {
        if (built[i].window && built[i].line_t == tm->line_t && built[i].top_left_pixel == tm->top_left_pixel)
            return built[i].window;
        if (built[i].window) continue;
        uint32_t *w = malloc(0x4000 * 2 * sizeof *w);
        if (!w) return NULL;
        for (uint32_t o = 0; o < 0x4000; o++) {
            uint32_t lo = UINT32_MAX, hi = 0; /* never */
            if (o < 0x1800) {
                uint32_t y = ((o >> 5) & 0xc0) | ((o >> 8) & 7) | ((o >> 2) & 0x38);
                lo = hi = _zx_cell_latch(tm, ZX_BORDER_TOP + y, BORDER_CELLS + (o & 31));
            } else if (o < 0x1b00) {
                uint32_t y = ((o - 0x1800) >> 5) * 8, col = BORDER_CELLS + (o & 31);
                lo = _zx_cell_latch(tm, ZX_BORDER_TOP + y, col);
                hi = _zx_cell_latch(tm, ZX_BORDER_TOP + y + 7, col);
            }
            w[2 * o] = lo;
            w[2 * o + 1] = hi;
        }
        built[i].line_t = tm->line_t;
        built[i].top_left_pixel = tm->top_left_pixel;
        built[i].window = w;
        return w;
    }
    return NULL; /* more timings than slots: no window, every store calls */
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
