/*
 * wb_module.c: creating, filling and writing a generated module (see
 * wb_module.h).
 */
#include "wb_module.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_write.h"

enum { WB_MODULE_MAX_LOCALS = 64 };

/* The memory every generated module imports: one page at least, no
 * maximum of its own (wb_write_module needs it said: the C API cannot read it). */
static const wb_memory_import_t _wb_memory = {"env", "memory", 1};

unsigned wb_module_fallbacks;

BinaryenModuleRef wb_module_create(void) {
    BinaryenModuleRef m = BinaryenModuleCreate();
    BinaryenSetMemory(m, _wb_memory.initial, (BinaryenIndex)-1, NULL, NULL, NULL, NULL, NULL, 0, false);
    BinaryenAddMemoryImport(m, "0", _wb_memory.module, _wb_memory.base, 0);
    return m;
}

void wb_module_add_function(BinaryenModuleRef m, const char *name, int n_params, int n_vars, BinaryenExpressionRef body,
                            bool export) {
    BinaryenType params[WB_MODULE_MAX_LOCALS], vars[WB_MODULE_MAX_LOCALS];
    if (n_params > WB_MODULE_MAX_LOCALS || n_vars > WB_MODULE_MAX_LOCALS) abort(); /* a front-end bug */
    for (int i = 0; i < n_params; i++) params[i] = BinaryenTypeInt32();
    for (int i = 0; i < n_vars; i++) vars[i] = BinaryenTypeInt32();
    BinaryenAddFunction(m, name, BinaryenTypeCreate(params, (BinaryenIndex)n_params), BinaryenTypeInt32(),
                        n_vars ? vars : NULL, (BinaryenIndex)n_vars, body);
    if (export) BinaryenAddFunctionExport(m, name, name);
}

uint8_t *wb_module_binaryen_write(BinaryenModuleRef m, size_t *out_len, char *err, size_t errlen) {
    BinaryenModuleAllocateAndWriteResult r = BinaryenModuleAllocateAndWrite(m, NULL);
    uint8_t *out = malloc(r.binaryBytes);
    if (out) {
        memcpy(out, r.binary, r.binaryBytes);
        *out_len = r.binaryBytes;
    } else {
        snprintf(err, errlen, "out of memory");
    }
    free(r.binary);
    return out;
}

uint8_t *wb_module_write_only(BinaryenModuleRef m, size_t *out_len, char *err, size_t errlen) {
    uint8_t *out = wb_write_module(m, &_wb_memory, out_len, err, errlen);
    if (!out) {
        /* something the writer does not cover: Binaryen's writer makes the
         * same bytes, slower */
        wb_module_fallbacks++;
        out = wb_module_binaryen_write(m, out_len, err, errlen);
    }
    return out;
}

uint8_t *wb_module_write(BinaryenModuleRef m, size_t *out_len, char *err, size_t errlen) {
    uint8_t *out = NULL;
#ifdef WB_VALIDATE
    if (!BinaryenModuleValidate(m)) {
        snprintf(err, errlen, "generated module failed validation");
        BinaryenModuleDispose(m);
        return NULL;
    }
#endif
    out = wb_module_write_only(m, out_len, err, errlen);
    BinaryenModuleDispose(m);
    return out;
}
