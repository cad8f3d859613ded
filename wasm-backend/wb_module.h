/*
 * wb_module.h: a generated module's frame, guest-neutral: created importing
 * the core's memory (env.memory, no maximum of its own, so any core memory
 * size satisfies it), its i32 functions added and exported, its bytes
 * written.
 */
#ifndef WB_MODULE_H
#define WB_MODULE_H

#include <binaryen-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A new module importing env.memory. */
BinaryenModuleRef wb_module_create(void);

/* Adds `i32 name(i32 x n_params)` with n_vars more i32 locals; exported
 * under its own name when export is set. */
void wb_module_add_function(BinaryenModuleRef m, const char *name, int n_params, int n_vars, BinaryenExpressionRef body,
                            bool export);

/* Writes a module's bytes (malloc'd) and disposes it; NULL with a message
 * on failure. Built with WB_VALIDATE, a module that fails Binaryen's
 * validation is refused. The bytes come from wb_write_module (wb_write.h), or
 * from Binaryen's writer for a module it does not cover. */
uint8_t *wb_module_write(BinaryenModuleRef m, size_t *out_len, char *err, size_t errlen);

/* The same bytes, m kept: wb_write_module's, or Binaryen's when wb_write_module refuses
 * m (counted in wb_module_fallbacks: the tests want it 0). */
uint8_t *wb_module_write_only(BinaryenModuleRef m, size_t *out_len, char *err, size_t errlen);
extern unsigned wb_module_fallbacks;

/* Binaryen's own writer (BinaryenModuleAllocateAndWrite), m kept: what the
 * tests compare wb_write_module with. */
uint8_t *wb_module_binaryen_write(BinaryenModuleRef m, size_t *out_len, char *err, size_t errlen);

#endif
