/*
 * jit_z80_request.c: the Z80 compile request's one encoder and one decoder
 * (see jit_z80_request.h). Linked into the core and into the compiler
 * program, so both read and write the same layout by construction.
 */
#include "jit/z80/jit_z80_request.h"

#include <stdio.h>
#include <string.h>

#include "cpu/z80/z80.h"

bool jit_z80_request_add(jit_z80_request_t *rq, uint16_t pc, uint16_t base, uint16_t len, const uint8_t *window,
                         jit_region_t *region) {
    return jit_z80_request_add_loading(rq, pc, base, len, window, NULL, region);
}

bool jit_z80_request_add_loading(jit_z80_request_t *rq, uint16_t pc, uint16_t base, uint16_t len,
                                 const uint8_t *window, const uint8_t *load, jit_region_t *region) {
    return jit_z80_request_add_profiled(rq, pc, base, len, window, load, NULL, 0, region);
}

bool jit_z80_request_add_profiled(jit_z80_request_t *rq, uint16_t pc, uint16_t base, uint16_t len,
                                  const uint8_t *window, const uint8_t *load, const uint16_t *targets, int n_targets,
                                  jit_region_t *region) {
    if (n_targets > JIT_REGION_MAX_TARGETS) n_targets = JIT_REGION_MAX_TARGETS;
    if (rq->count >= JIT_Z80_REQUEST_MAX_ENTRIES || len > JIT_REGION_WINDOW) return false;
    jit_z80_request_entry_t *e = &rq->entries[rq->count];
    memcpy(e->window, window, len);
    uint8_t wanted[JIT_REGION_WINDOW / 8];
    if (load) { /* at most JIT_Z80_REQUEST_MAX_LOADED, the first in address order */
        memset(wanted, 0, sizeof wanted);
        for (int off = 0, n = 0; off < len && n < JIT_Z80_REQUEST_MAX_LOADED; off++)
            if (jit_region_bit(load, off)) {
                wanted[off >> 3] |= (uint8_t)(1u << (off & 7));
                n++;
            }
    }
    jit_region_src_t src = {e->window, base, len, rq->trap_pc, (rq->flags & JIT_Z80_F_SINGLE_BLOCK) != 0,
                            load ? wanted : NULL, targets, targets ? n_targets : 0};
    if (!jit_region_build(&src, pc, region)) return false;
    memcpy(e->loaded, region->loaded, sizeof e->loaded);
    e->pc = pc;
    e->base = base;
    e->len = len;
    e->n_blocks = (uint16_t)region->n_blocks;
    memcpy(e->blocks, region->blocks, sizeof(jit_block_t) * (size_t)region->n_blocks);
    rq->count++;
    return true;
}

size_t jit_z80_request_encode(const jit_z80_request_t *rq, uint8_t *out, size_t cap) {
    jit_wire_writer_t w = {out, out + cap, false};
    const uint32_t header[] = {
        JIT_REQUEST_Z80, JIT_Z80_REQUEST_VERSION, rq->flags, rq->cpu_size, rq->mem_base, rq->rom_pages,
        rq->contended_pages, rq->hooked_pages, rq->contention, rq->contention_len, rq->max_delay, rq->code_map,
        rq->tables, (uint32_t)rq->trap_pc, rq->calls[0], rq->calls[1], rq->calls[2], rq->calls[3], rq->calls[4],
        rq->calls[5], rq->calls[6], rq->calls[7], rq->calls[8], rq->count,
    };
    _Static_assert(JIT_Z80_CALLS == 9, "header layout: the calls");
    _Static_assert(sizeof header == JIT_Z80_REQUEST_HEADER_BYTES, "header layout");
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++) jit_wire_put32(&w, header[i]);
    for (uint32_t f = 0; f < rq->count && f < JIT_Z80_REQUEST_MAX_ENTRIES; f++) {
        const jit_z80_request_entry_t *e = &rq->entries[f];
        jit_wire_put32(&w, e->pc);
        jit_wire_put32(&w, e->base);
        jit_wire_put32(&w, e->len);
        uint32_t len = e->len <= JIT_REGION_WINDOW ? e->len : JIT_REGION_WINDOW, n_loaded = 0;
        for (uint32_t off = 0; off < len; off++) n_loaded += jit_region_bit(e->loaded, (int)off);
        jit_wire_put32(&w, e->n_blocks);
        jit_wire_put32(&w, n_loaded);
        for (int b = 0; b < e->n_blocks && b < JIT_REGION_MAX_BLOCKS; b++) {
            jit_wire_put32(&w, e->blocks[b].start);
            jit_wire_put32(&w, e->blocks[b].count | (uint32_t)e->blocks[b].flags << 16);
        }
        for (uint32_t off = 0; off < len; off++)
            if (jit_region_bit(e->loaded, (int)off)) jit_wire_put32(&w, off);
        jit_wire_put_bytes(&w, e->window, e->len <= JIT_REGION_WINDOW ? e->len : JIT_REGION_WINDOW);
    }
    return w.overflow ? 0 : (size_t)(w.p - out);
}

bool jit_z80_request_decode(const uint8_t *bytes, size_t len, jit_z80_request_t *rq, char *err, size_t errlen) {
    if (len < JIT_Z80_REQUEST_HEADER_BYTES) {
        snprintf(err, errlen, "Z80 request too short (%zu bytes)", len);
        return false;
    }
    jit_wire_reader_t r = {bytes, bytes + len, false};
    rq->kind = jit_wire_get32(&r);
    rq->version = jit_wire_get32(&r);
    rq->flags = jit_wire_get32(&r);
    rq->cpu_size = jit_wire_get32(&r);
    rq->mem_base = jit_wire_get32(&r);
    rq->rom_pages = jit_wire_get32(&r);
    rq->contended_pages = jit_wire_get32(&r);
    rq->hooked_pages = jit_wire_get32(&r);
    rq->contention = jit_wire_get32(&r);
    rq->contention_len = jit_wire_get32(&r);
    rq->max_delay = jit_wire_get32(&r);
    rq->code_map = jit_wire_get32(&r);
    rq->tables = jit_wire_get32(&r);
    rq->trap_pc = (int32_t)jit_wire_get32(&r);
    for (int k = 0; k < JIT_Z80_CALLS; k++) rq->calls[k] = jit_wire_get32(&r);
    rq->count = jit_wire_get32(&r);
    if (rq->kind != JIT_REQUEST_Z80) {
        snprintf(err, errlen, "not a Z80 request (kind %u)", rq->kind);
        return false;
    }
    if (rq->version != JIT_Z80_REQUEST_VERSION) {
        snprintf(err, errlen, "Z80 request version %u, compiler speaks %u", rq->version,
                 (unsigned)JIT_Z80_REQUEST_VERSION);
        return false;
    }
    if (rq->cpu_size != sizeof(z80_t)) {
        snprintf(err, errlen, "z80_t layout mismatch (core %u bytes, compiler %zu)", rq->cpu_size, sizeof(z80_t));
        return false;
    }
    for (int k = 0; k < JIT_Z80_CALLS; k++)
        if (rq->calls[k] == 0) {
            snprintf(err, errlen, "Z80 request without the table slot of core function %d", k);
            return false;
        }
    if (rq->count == 0 || rq->count > JIT_Z80_REQUEST_MAX_ENTRIES) {
        snprintf(err, errlen, "Z80 request with %u functions", rq->count);
        return false;
    }
    for (uint32_t f = 0; f < rq->count; f++) {
        jit_z80_request_entry_t *e = &rq->entries[f];
        uint32_t pc = jit_wire_get32(&r), base = jit_wire_get32(&r), n = jit_wire_get32(&r);
        uint32_t n_blocks = jit_wire_get32(&r), n_loaded = jit_wire_get32(&r);
        if (r.truncated) goto truncated;
        if (pc > 0xffff || base > 0xffff || n > JIT_REGION_WINDOW) {
            snprintf(err, errlen, "Z80 request entry %u: pc %x, window %x+%u out of range", f, pc, base, n);
            return false;
        }
        if (n_blocks == 0) {
            snprintf(err, errlen, "nothing to compile at %04x", pc);
            return false;
        }
        if (n_blocks > JIT_REGION_MAX_BLOCKS) {
            snprintf(err, errlen, "Z80 request entry %u: %u blocks (at most %d)", f, n_blocks,
                     (int)JIT_REGION_MAX_BLOCKS);
            return false;
        }
        e->pc = (uint16_t)pc;
        e->base = (uint16_t)base;
        e->len = (uint16_t)n;
        e->n_blocks = (uint16_t)n_blocks;
        uint32_t insns = 0;
        for (uint32_t b = 0; b < n_blocks; b++) {
            uint32_t start = jit_wire_get32(&r), word = jit_wire_get32(&r);
            uint32_t count = word & 0xffff, flags = word >> 16;
            if (r.truncated) goto truncated;
            if (start > 0xffff || count == 0 || count > JIT_REGION_MAX_INSNS - insns) {
                snprintf(err, errlen, "Z80 request entry %u: block %u (%x, %u instructions) out of range", f, b,
                         start, count);
                return false;
            }
            if (flags & ~(uint32_t)JIT_BLOCK_INDIRECT) {
                snprintf(err, errlen, "Z80 request entry %u: block %u has unknown flags %x", f, b, flags);
                return false;
            }
            e->blocks[b] = (jit_block_t){(uint16_t)start, (uint16_t)insns, (uint16_t)count, (uint16_t)flags};
            insns += count;
        }
        if (n_loaded > JIT_Z80_REQUEST_MAX_LOADED) {
            snprintf(err, errlen, "Z80 request entry %u: %u loaded bytes (at most %d)", f, n_loaded,
                     (int)JIT_Z80_REQUEST_MAX_LOADED);
            return false;
        }
        memset(e->loaded, 0, sizeof e->loaded);
        for (uint32_t k = 0; k < n_loaded; k++) {
            uint32_t off = jit_wire_get32(&r);
            if (r.truncated) goto truncated;
            if (off >= n) {
                snprintf(err, errlen, "Z80 request entry %u: loaded byte %u outside its %u-byte window", f, off, n);
                return false;
            }
            e->loaded[off >> 3] |= (uint8_t)(1u << (off & 7));
        }
        if (e->blocks[0].start != e->pc) {
            snprintf(err, errlen, "Z80 request entry %u: first block at %04x, entry at %04x", f, e->blocks[0].start,
                     pc);
            return false;
        }
        const uint8_t *window = jit_wire_get_bytes(&r, n);
        if (!window) goto truncated;
        memcpy(e->window, window, n);
    }
    if (r.p != r.end) {
        snprintf(err, errlen, "Z80 request has %zu bytes after its last entry", (size_t)(r.end - r.p));
        return false;
    }
    return true;
truncated:
    snprintf(err, errlen, "Z80 request truncated");
    return false;
}

bool jit_z80_request_region(const jit_z80_request_t *rq, uint32_t i, jit_region_t *region, char *err,
                            size_t errlen) {
    const jit_z80_request_entry_t *e = &rq->entries[i];
    jit_region_src_t src = {e->window, e->base, e->len, rq->trap_pc, (rq->flags & JIT_Z80_F_SINGLE_BLOCK) != 0,
                            e->loaded, NULL, 0};
    if (!jit_region_from_blocks(&src, e->blocks, e->n_blocks, region)) {
        snprintf(err, errlen, "nothing to compile at %04x (its blocks do not decode in the window)", e->pc);
        return false;
    }
    return true;
}
