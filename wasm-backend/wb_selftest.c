/*
 * wb_selftest.c: the self-test module (see wb_selftest.h), built with
 * Binaryen's C API directly so that it depends on nothing else of the
 * compiler, and written by Binaryen's writer.
 */
#include "wb_selftest.h"

#include <binaryen-c.h>

#include "wb_ir_binaryen.h"

static BinaryenExpressionRef _wb_i32(BinaryenModuleRef m, int32_t v) {
    return BinaryenConst(m, BinaryenLiteralInt32(v));
}

static BinaryenExpressionRef _wb_local(BinaryenModuleRef m, BinaryenIndex i) {
    return BinaryenLocalGet(m, i, BinaryenTypeInt32());
}

uint8_t *wb_build_selftest_module(uint32_t helper_slot, size_t *len) {
    BinaryenModuleRef m = wb_binaryen_module(true); /* the core's memory and table, as generated modules */
    BinaryenType i32 = BinaryenTypeInt32();

    /* locals: 0 = p (param), 1 = v */
    BinaryenExpressionRef loaded = BinaryenLoad(m, 4, false, 0, 4, i32, _wb_local(m, 0));
    BinaryenExpressionRef call = BinaryenCallIndirect(m, "t", _wb_i32(m, (int32_t)helper_slot), &loaded, 1, i32, i32);
    BinaryenExpressionRef twice = BinaryenBinary(m, BinaryenMulInt32(), call, _wb_i32(m, 2));
    BinaryenExpressionRef plus1 = BinaryenBinary(m, BinaryenAddInt32(), twice, _wb_i32(m, 1));
    BinaryenExpressionRef body[3] = {
        BinaryenLocalSet(m, 1, plus1),
        BinaryenStore(m, 4, 4, 4, _wb_local(m, 0), _wb_local(m, 1), i32),
        BinaryenReturn(m, _wb_local(m, 1)),
    };
    BinaryenType locals[1] = {i32};
    BinaryenAddFunction(m, "f", i32, i32, locals, 1, BinaryenBlock(m, NULL, body, 3, BinaryenTypeNone()));
    BinaryenAddFunctionExport(m, "f", "f0");

    if (!BinaryenModuleValidate(m)) {
        BinaryenModuleDispose(m);
        return NULL;
    }
    char err[64];
    uint8_t *bytes = wb_binaryen_write(m, len, err, sizeof err);
    BinaryenModuleDispose(m);
    return bytes;
}
