/*
 * test_jit_phys.c: the dynarec's code cache on physical memory, natively
 * (where nothing is compiled: compile requests are built, then fail, and
 * jit_run interprets with the same dispatch).
 *
 *  - build/z80/jit_paging.bin (tests/z80src/jit_paging.asm) on a banked
 *    machine, one RAM bank visible at two addresses: jit_run and z80_run end
 *    with the same registers, T-states and banks, and the program's results;
 *  - the cache itself: an entry built through one address is found by its
 *    physical address, invalidated by a store through the other address,
 *    and kept (not flushed) while its bank is paged out;
 *  - self-modifying code: patched operands lead to the load form, other
 *    changes to a back-off and then to giving up, and what was learnt
 *    survives eviction and the cache's flushes (not jit_flush).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jit/jit_internal.h"
#include "jit/z80/jit_z80.h"

enum { BANK = 0x4000, BANKS = 8 };

typedef struct {
    uint8_t banks[BANKS][BANK];
    z80_t cpu;
} machine_t;

static void page(machine_t *m, uint8_t bank) { m->cpu.read_page[3] = m->cpu.write_page[3] = m->banks[bank & 7]; }

static void port_out(void *user, uint16_t port, uint8_t value, uint32_t t) {
    (void)t;
    if ((port & 0xff) == 0xfd) page(user, value);
}

/* The machine of tests/wasm/zxt_banked.c: slots 0-2 = banks 3, 5, 2; slot 3 paged by port 0xFD. */
static void machine_init(machine_t *m, const uint8_t *code, size_t len) {
    memset(m, 0, sizeof *m);
    z80_init(&m->cpu);
    const uint8_t fixed[3] = {3, 5, 2};
    for (int s = 0; s < 3; s++) m->cpu.read_page[s] = m->cpu.write_page[s] = m->banks[fixed[s]];
    page(m, 0);
    m->cpu.mem_phys = &m->banks[0][0];
    m->cpu.mem_phys_size = sizeof m->banks;
    m->cpu.user = m;
    m->cpu.port_out = port_out;
    memcpy(m->banks[2], code, len); /* 0x8000 */
    m->cpu.pc = 0x8000;
}

static void test_program(const uint8_t *code, size_t len) {
    static machine_t a, b;
    machine_init(&a, code, len);
    machine_init(&b, code, len);
    jit_t *jit = jit_create(&(jit_config_t){.threshold = 2, .batch = 4});
    uint64_t ta = 0, tb = 0;
    for (int chunk = 0; chunk < 40; chunk++) {
        a.cpu.tstates = b.cpu.tstates = 0;
        z80_run(&a.cpu, 10000);
        jit_run(jit, &b.cpu, 10000);
        ta += a.cpu.tstates;
        tb += b.cpu.tstates;
    }
    const uint8_t *ram = a.banks[2];
    CHECK("paging_program_results", ram[5] == 10 && ram[6] == 100 && ram[7] == 40 && (ram[3] | ram[4] << 8) > 100,
          "res1=%d res2=%d res3=%d passes=%d", ram[5], ram[6], ram[7], ram[3] | ram[4] << 8);
    CHECK("jit_run_registers_match", memcmp(&a.cpu, &b.cpu, offsetof(z80_t, tstates)) == 0 && ta == tb &&
                                         a.cpu.instructions == b.cpu.instructions,
          "pc %04x/%04x T %llu/%llu", a.cpu.pc, b.cpu.pc, (unsigned long long)ta, (unsigned long long)tb);
    CHECK("jit_run_memory_matches", memcmp(a.banks, b.banks, sizeof a.banks) == 0, "banks differ");
    CHECK("jit_run_restores_wiring", b.cpu.user == &b && b.cpu.port_out == port_out && b.cpu.jit == NULL &&
                                         b.cpu.write_hook == NULL && b.cpu.hooked_pages == 0,
          "callbacks not restored");
    const jit_stats_t *s = jit_get_stats(jit);
    CHECK("paging_does_not_flush", s->flushes == 0 && s->requests > 0, "flushes=%llu requests=%llu",
          (unsigned long long)s->flushes, (unsigned long long)s->requests);
    jit_destroy(jit);
}

/* An entry compiled at 0xC100 from bank 5 (also seen at 0x4100). */
static void test_keying(void) {
    static machine_t m;
    static const uint8_t halt[1] = {0x76};
    machine_init(&m, halt, 1);
    jit_t *j = jit_create(&(jit_config_t){.threshold = 1000000});
    m.cpu.tstates = 0;
    jit_run(j, &m.cpu, 100); /* binds the Z80 front end, reads the view */
    page(&m, 5);
    jit_view_update(j, &m.cpu);
    const uint32_t bank5 = 5 * BANK, bank6 = 6 * BANK;
    CHECK("phys_of_aliases", jit_phys_read(j, j->guest, 0xc100) == bank5 + 0x100 && jit_phys_read(j, j->guest, 0x4100) == bank5 + 0x100,
          "%x %x", jit_phys_read(j, j->guest, 0xc100), jit_phys_read(j, j->guest, 0x4100));
    uint8_t cfg = j->config_now;
    jit_entry_t *e = jit_cache_insert(j, 0xc100, bank5 + 0x100, cfg, 0);
    uint8_t covered[JIT_WINDOW / 8] = {0};
    uint16_t base = 0xc000; /* the window starts at its slot */
    covered[0x100 / 8] = 0x0f;  /* 0xc100..0xc103 */
    jit_cache_cover(j, e, base, covered, 0xc100, 0xc103, 1, NULL, 0);
    e->state = JIT_COMPILED;
    CHECK("code_map_both_addresses", j->code_map[0xc1] && j->code_map[0x41] && !j->code_map[0xc0] && !j->code_map[0x81],
          "c1=%d 41=%d", j->code_map[0xc1], j->code_map[0x41]);
    CHECK("lookup_by_phys", jit_cache_lookup(j, 0xc100, bank5 + 0x100, cfg) == e &&
                                !jit_cache_lookup(j, 0x4100, bank5 + 0x100, cfg),
          "an entry is found at its own pc and physical address only");

    /* A store through the other address invalidates it. */
    jit_cache_store(j, 0x4104); /* not covered */
    CHECK("store_outside_coverage", e->state == JIT_COMPILED, "state %d", e->state);
    jit_cache_store(j, 0x4102);
    CHECK("store_through_alias_invalidates", e->state == JIT_INVALID && j->stats.invalidations == 1,
          "state %d invalidations %llu", e->state, (unsigned long long)j->stats.invalidations);
    CHECK("revalidate_same_bytes", jit_cache_revalidate(j, e) && e->state == JIT_COMPILED, "state %d", e->state);
    m.banks[5][0x102] = 0x3c;
    jit_cache_store(j, 0xc102);
    CHECK("revalidate_changed_bytes", e->state == JIT_INVALID && !jit_cache_revalidate(j, e), "state %d", e->state);
    e->state = JIT_COMPILED;
    e->hash = 0; /* stands for the new bytes' function */

    /* Paging bank 6 in: the entry stays, out of sight; stores to bank 6 do not touch it. */
    page(&m, 6);
    jit_view_update(j, &m.cpu);
    CHECK("page_out_keeps_entry", j->stats.flushes == 0 && e->state == JIT_COMPILED && !j->code_map[0xc1] &&
                                      j->code_map[0x41] && !jit_cache_lookup(j, 0xc100, bank6 + 0x100, j->config_now),
          "flushes %llu state %d c1=%d", (unsigned long long)j->stats.flushes, e->state, j->code_map[0xc1]);
    jit_cache_store(j, 0xc102);
    CHECK("store_to_other_bank", e->state == JIT_COMPILED, "state %d", e->state);
    page(&m, 5);
    jit_view_update(j, &m.cpu);
    CHECK("page_back_finds_entry", j->config_now == cfg && jit_cache_lookup(j, 0xc100, bank5 + 0x100, cfg) == e &&
                                       j->code_map[0xc1],
          "config %d/%d", j->config_now, cfg);

    /* A configuration baked into code (contention) keys entries apart, without a flush. */
    static uint8_t table[16 + Z80_CONTENTION_PAD];
    m.cpu.contention = table;
    m.cpu.contention_len = 16;
    jit_view_update(j, &m.cpu);
    CHECK("config_keys_apart", j->config_now != cfg && !jit_cache_lookup(j, 0xc100, bank5 + 0x100, j->config_now) &&
                                   j->stats.flushes == 0,
          "config %d/%d", j->config_now, cfg);
    m.cpu.contention = NULL;
    m.cpu.contention_len = 0;
    jit_view_update(j, &m.cpu);
    CHECK("config_comes_back", j->config_now == cfg, "config %d/%d", j->config_now, cfg);
    jit_destroy(j);
}

/* The entry's function was built again from the bytes there now: LD A,n
 * at 0xC100 (n at 0xC101, a loadable operand) and INC A at 0xC102. */
static void _recompiled(jit_t *j, jit_entry_t *e) {
    uint8_t covered[JIT_WINDOW / 8] = {0}, loadable[JIT_WINDOW / 8] = {0};
    covered[0x100 / 8] = 0x07;
    loadable[0x100 / 8] = 0x02;
    jit_cache_cover(j, e, 0xc000, covered, 0xc100, 0xc102, 1, loadable, 0);
    e->state = JIT_COMPILED;
}

/* A store changed byte 0xC100 + off; the entry is reached again. */
static void _patched(jit_t *j, machine_t *m, jit_entry_t *e, int off) {
    m->banks[5][0x100 + off]++;
    jit_cache_store(j, (uint16_t)(0xc100 + off));
    jit_cache_reconsider(j, e);
}

static void test_smc_policy(void) {
    static machine_t m;
    static const uint8_t halt[1] = {0x76};
    machine_init(&m, halt, 1);
    jit_t *j = jit_create(&(jit_config_t){.threshold = 1000000, .max_slots = 8});
    m.cpu.tstates = 0;
    jit_run(j, &m.cpu, 100);
    page(&m, 5);
    jit_view_update(j, &m.cpu);
    const uint32_t at = 5 * BANK + 0x100;
    uint8_t cfg = j->config_now;
    jit_entry_t *e = jit_cache_insert(j, 0xc100, at, cfg, 0);
    _recompiled(j, e);

    /* The operand patched: compiled again at once, then in the load form. */
    _patched(j, &m, e, 1);
    CHECK("operand_change_recompiles", e->state == JIT_EMPTY && e->hold == 0 && !e->load_form &&
                                           e->operand_changes == 1 && e->n_patched == 1 && e->patched[0] == 1,
          "state %d hold %u load %d changes %d patched %d", e->state, e->hold, e->load_form, e->operand_changes,
          e->n_patched);
    _recompiled(j, e);
    _patched(j, &m, e, 1);
    CHECK("operand_changes_load_form", e->load_form && e->n_patched == 1 && j->stats.smc_operand_changes == 2 &&
                                           j->stats.backoffs == 0,
          "load %d patched %d", e->load_form, e->n_patched);

    /* The opcode changed: at once JIT_BACKOFF_AFTER - 1 times, then backed
     * off, doubling, then given up. */
    uint32_t holds[JIT_GIVE_UP_AFTER + 1] = {0};
    for (int k = 1; k <= JIT_GIVE_UP_AFTER; k++) {
        _recompiled(j, e);
        _patched(j, &m, e, 0);
        holds[k] = e->hold;
    }
    CHECK("backoff_doubles", holds[JIT_BACKOFF_AFTER - 1] == 0 && holds[JIT_BACKOFF_AFTER] == JIT_BACKOFF_BASE &&
                                 holds[JIT_BACKOFF_AFTER + 1] == 2 * JIT_BACKOFF_BASE &&
                                 holds[JIT_GIVE_UP_AFTER - 1] == (uint32_t)JIT_BACKOFF_BASE << (JIT_GIVE_UP_AFTER - 1 - JIT_BACKOFF_AFTER),
          "holds %u %u %u %u", holds[JIT_BACKOFF_AFTER - 1], holds[JIT_BACKOFF_AFTER], holds[JIT_BACKOFF_AFTER + 1],
          holds[JIT_GIVE_UP_AFTER - 1]);
    CHECK("given_up", e->state == JIT_UNCOMPILABLE && j->stats.given_up == 1 &&
                          j->stats.backoffs == JIT_GIVE_UP_AFTER - JIT_BACKOFF_AFTER,
          "state %d given up %llu backoffs %llu", e->state, (unsigned long long)j->stats.given_up,
          (unsigned long long)j->stats.backoffs);
    CHECK("given_up_is_not_hot", !jit_cache_hot(j, e), "an entry given up was counted for compiling");

    /* Evicted (other entries need the pool) and back: still given up. */
    for (uint16_t pc = 0x8000; pc < 0x8000 + 4 * 16; pc += 4) jit_cache_insert(j, pc, 2 * BANK + pc - 0x8000, cfg, 0);
    CHECK("evicted", jit_cache_lookup(j, 0xc100, at, cfg) == NULL && j->stats.evictions > 0,
          "evictions %llu", (unsigned long long)j->stats.evictions);
    e = jit_cache_insert(j, 0xc100, at, cfg, 0);
    CHECK("given_up_survives_eviction", e && e->state == JIT_UNCOMPILABLE && e->load_form && j->stats.spots_recalled == 1,
          "state %d", e ? e->state : -1);

    /* The cache's own flush keeps the spot; jit_flush (another program) forgets it. */
    jit_cache_flush(j);
    e = jit_cache_insert(j, 0xc100, at, cfg, 0);
    CHECK("given_up_survives_flush", e && e->state == JIT_UNCOMPILABLE, "state %d", e ? e->state : -1);
    jit_flush(j);
    e = jit_cache_insert(j, 0xc100, at, cfg, 0);
    CHECK("jit_flush_forgets", e && e->state == JIT_EMPTY && !e->load_form && e->other_changes == 0,
          "state %d", e ? e->state : -1);
    jit_destroy(j);
}

int main(void) {
    FILE *f = fopen("build/z80/jit_paging.bin", "rb");
    static uint8_t code[BANK];
    size_t len = f ? fread(code, 1, sizeof code, f) : 0;
    if (f) fclose(f);
    CHECK("program_present", len > 0, "cannot read build/z80/jit_paging.bin (make native assembles it)");
    if (len) test_program(code, len);
    test_keying();
    test_smc_policy();
    return failures ? 1 : 0;
}
