/*
 * wb_ir_binaryen.h: a generated module (wb_ir.h) rebuilt in Binaryen, the
 * reference for what it means: the tests validate it there, print it as
 * text (the goldens) and compare Binaryen's writer's bytes with ours
 * (wb_write.h). Node for node: a block, if and loop each built with all
 * its children, so Binaryen's finalize gives the types wb_write.c gives;
 * label n is named "L<n>".
 */
#ifndef WB_IR_BINARYEN_H
#define WB_IR_BINARYEN_H

#include <binaryen-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wb_ir.h"

/* An empty Binaryen module importing what generated modules import
 * (wb_ir.h, WB_IMPORT_*): the memory, and the function table (as "t")
 * when table is set, with tail calls on. */
BinaryenModuleRef wb_binaryen_module(bool table);

/* The module in Binaryen (the caller disposes it). */
BinaryenModuleRef wb_ir_binaryen(const wb_mod_t *m);

/* Whether Binaryen's validator accepts it. */
bool wb_ir_binaryen_valid(const wb_mod_t *m);

/* Binaryen's writer's bytes of a Binaryen module (malloc'd), m kept; NULL
 * with a message when memory runs out. */
uint8_t *wb_binaryen_write(BinaryenModuleRef m, size_t *out_len, char *err, size_t errlen);

/* Whether our writer's bytes of ir (wb_write.h) are Binaryen's writer's of
 * m (ir rebuilt by wb_ir_binaryen); false with a message in detail (the
 * sizes and the first difference, or why one was not written). */
bool wb_ir_binaryen_same_bytes(wb_mod_t *ir, BinaryenModuleRef m, char *detail, size_t dlen);

#endif
