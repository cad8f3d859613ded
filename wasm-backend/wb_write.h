/*
 * wb_write.h: a generated module's bytes, from the compiler's IR (wb_ir.h).
 *
 * One walk per function computes the types of blocks, ifs and loops as
 * Binaryen's finalize would, marks the blocks a branch targets and counts
 * signatures; a second writes the bytes. The bytes are those Binaryen 108's
 * writer makes for the same module built in Binaryen (rule for rule: type
 * order by use count, ties in first-seen order; an untargeted block in an
 * if arm, a loop body or a function body written as its contents; nothing
 * written after an unreachable child; an `unreachable` after an
 * unreachable structure): tests/native/test_jit_backend.c and
 * test_jit_golden.c rebuild every module they make in Binaryen
 * (wb_ir_binaryen.h) and compare the two writers' bytes.
 */
#ifndef WB_WRITE_H
#define WB_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "wb_ir.h"

/* m's bytes (malloc'd, *out_len of them); NULL with a message in err when m
 * is malformed (a branch to a label outside it, a local out of range: a
 * front-end bug). Sets the types of m's structures. */
uint8_t *wb_mod_write(wb_mod_t *m, size_t *out_len, char *err, size_t errlen);

#endif
