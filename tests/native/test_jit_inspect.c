/*
 * test_jit_inspect.c: the JIT inspector's view of the code cache
 * (core/jit/jit_inspect.c), natively, on a banked machine where one RAM
 * bank is visible at two addresses: entries made by hand (nothing compiles
 * natively) are listed with their state, span and counters, one entry's
 * covered ranges and bytes, the 64K map's coverage and hotness, stores
 * counted as invalidations at both addresses of the byte they hit, and an
 * entry paged out leaving the map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jit/jit_inspect.h"
#include "jit/jit_internal.h"
#include "jit/z80/jit_z80.h"

enum { BANK = 0x4000, BANKS = 8 };

typedef struct {
    uint8_t banks[BANKS][BANK];
    z80_t cpu;
} machine_t;

static void page(machine_t *m, uint8_t bank) { m->cpu.read_page[3] = m->cpu.write_page[3] = m->banks[bank & 7]; }

/* Slots 0-2 = banks 3, 5, 2; slot 3 = bank 5 (so 0x4000 and 0xC000 alias). */
static void machine_init(machine_t *m) {
    memset(m, 0, sizeof *m);
    z80_init(&m->cpu);
    const uint8_t fixed[3] = {3, 5, 2};
    for (int s = 0; s < 3; s++) m->cpu.read_page[s] = m->cpu.write_page[s] = m->banks[fixed[s]];
    page(m, 5);
    m->cpu.mem_phys = &m->banks[0][0];
    m->cpu.mem_phys_size = sizeof m->banks;
    m->banks[2][0] = 0x76; /* 0x8000: HALT */
    m->cpu.pc = 0x8000;
}

static bool has(const char *json, const char *what) { return json && strstr(json, what) != NULL; }

int main(void) {
    static machine_t m;
    static uint32_t heat[65536];
    static uint8_t cover[65536];
    static uint16_t inval[65536];
    machine_init(&m);
    jit_t *j = jit_create(&(jit_config_t){.threshold = 1000000});
    jit_inspect_map(j, heat, cover, inval);
    CHECK("map_empty_before_a_run", cover[0x8000] == 0 && heat[0x8000] == 0, "cover %d", cover[0x8000]);
    jit_run(j, &m.cpu, 100); /* binds the Z80 front end, reads the view */

    /* An entry at 0xC100 (bank 5 + 0x100) covering 0xC100-0xC103, compiled, run 7 times. */
    const uint32_t at = 5 * BANK + 0x100;
    memcpy(m.banks[5] + 0x100, (const uint8_t[]){0x3e, 0x05, 0x3c, 0xc9}, 4); /* LD A,5; INC A; RET */
    jit_entry_t *e = jit_cache_insert(j, 0xc100, at, j->config_now, 0);
    uint8_t covered[JIT_WINDOW / 8] = {0};
    covered[0x100 / 8] = 0x0f;
    jit_cache_cover(j, e, 0xc000, covered, 0xc100, 0xc103, 1, NULL, 0);
    e->state = JIT_COMPILED;
    e->runs = 7;
    e->exits[JIT_EXIT_DEADLINE] = 7;
    e->hits = 201;
    /* and one still counting at 0x8000 */
    jit_entry_t *c = jit_cache_lookup(j, 0x8000, 2 * BANK, j->config_now); /* the run counted it once */
    if (!c) c = jit_cache_insert(j, 0x8000, 2 * BANK, j->config_now, 0);
    c->hits = 3;

    char *list = jit_inspect_functions_json(j);
    CHECK("functions_list_compiled", has(list, "\"pc\":49408,") && has(list, "\"state\":\"compiled\"") &&
                                         has(list, "\"visible\":true") && has(list, "\"runs\":7,") &&
                                         has(list, "\"deadline\":7,") && has(list, "\"lo\":49408,\"hi\":49411"),
          "%s", list ? list : "NULL");
    CHECK("functions_list_counting", has(list, "\"pc\":32768,") && has(list, "\"state\":\"counting\""), "%s", list ? list : "NULL");
    CHECK("functions_list_is_an_array", list && list[0] == '[' && list[strlen(list) - 1] == ']', "%s", list ? list : "NULL");
    free(list);

    char *one = jit_inspect_function_json(j, (uint32_t)(e - j->pool));
    CHECK("function_ranges_and_bytes", has(one, "\"ranges\":[[49408,49411]]") && has(one, "\"base\":49152") &&
                                            one && strlen(strstr(one, "\"code\":\"")) == strlen("\"code\":\"") + 2 * 0x104 + 2 &&
                                            has(one, "3e053cc9\"}"),
          "%s", one ? one : "NULL");
    free(one);
    CHECK("function_free_id", jit_inspect_function_json(j, 999999) == NULL, "not NULL");

    jit_inspect_map(j, heat, cover, inval);
    CHECK("map_coverage", cover[0xc100] == 1 && cover[0xc103] == 1 && cover[0xc104] == 0 && cover[0xc0ff] == 0 && cover[0x8000] == 6,
          "%d %d %d %d %d", cover[0xc100], cover[0xc103], cover[0xc104], cover[0xc0ff], cover[0x8000]);
    CHECK("map_heat", heat[0xc100] == 201 + 7 && heat[0xc102] == 7 && heat[0x8000] == 3 && heat[0xc104] == 0,
          "%u %u %u", heat[0xc100], heat[0xc102], heat[0x8000]);

    /* A store through the other address of the same byte invalidates it; both addresses show it. */
    jit_cache_store(j, 0x4102);
    jit_inspect_map(j, heat, cover, inval);
    CHECK("invalidation_counted", e->invalidations == 1 && e->state == JIT_INVALID && inval[0x4102] == 1 && inval[0xc102] == 1 &&
                                       inval[0xc101] == 0 && cover[0xc100] == 3,
          "inv %u state %d map %u/%u cover %d", e->invalidations, e->state, inval[0x4102], inval[0xc102], cover[0xc100]);
    list = jit_inspect_functions_json(j);
    CHECK("invalidated_listed", has(list, "\"state\":\"invalidated\"") && has(list, "\"invalidations\":1,"), "%s", list ? list : "NULL");
    free(list);

    /* Bank 6 paged in at 0xC000: the entry is out of sight, still listed. */
    page(&m, 6);
    jit_view_update(j, &m.cpu);
    jit_inspect_map(j, heat, cover, inval);
    list = jit_inspect_functions_json(j);
    CHECK("paged_out", cover[0xc100] == 0 && heat[0xc100] == 0 && inval[0xc102] == 0 && inval[0x4102] == 1 &&
                           has(list, "\"visible\":false"),
          "cover %d inval %u", cover[0xc100], inval[0xc102]);
    free(list);
    jit_destroy(j);
    return failures ? 1 : 0;
}
