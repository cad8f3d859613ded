/*
 * wb_module.c: writing a generated module (see wb_module.h).
 */
#include "wb_module.h"

#include <stdio.h>
#include <stdlib.h>

#include "wb_write.h"
#ifdef WB_VALIDATE
#include "wb_ir_binaryen.h"
#endif

uint8_t *wb_module_write(wb_mod_t *m, size_t *out_len, char *err, size_t errlen) {
    uint8_t *out = wb_mod_write(m, out_len, err, errlen);
#ifdef WB_VALIDATE
    if (out && !wb_ir_binaryen_valid(m)) {
        snprintf(err, errlen, "generated module failed validation");
        free(out);
        out = NULL;
    }
#endif
    wb_mod_dispose(m);
    return out;
}
