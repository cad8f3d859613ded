/*
 * wb_module.h: writing a generated module (wb_ir.h) and letting it go.
 */
#ifndef WB_MODULE_H
#define WB_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "wb_ir.h"

/* m's bytes (malloc'd; wb_write.h) and m disposed; NULL with a message on
 * failure. Built with WB_VALIDATE, m is first rebuilt in Binaryen and a
 * module that fails Binaryen's validation is refused (wb_ir_binaryen.h). */
uint8_t *wb_module_write(wb_mod_t *m, size_t *out_len, char *err, size_t errlen);

#endif
