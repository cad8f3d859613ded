/*
 * wb_ir_binaryen.c: a generated module rebuilt in Binaryen (see
 * wb_ir_binaryen.h).
 */
#include "wb_ir_binaryen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_write.h"

enum { WB_B_MAX_ARGS = 64 };

static BinaryenType _wb_btype(int t) {
    switch (t) {
    case WB_T_I32: return BinaryenTypeInt32();
    case WB_T_I64: return BinaryenTypeInt64();
    case WB_T_UNREACHABLE: return BinaryenTypeUnreachable();
    default: return BinaryenTypeNone();
    }
}

static BinaryenType _wb_params(int n) {
    BinaryenType p[WB_B_MAX_ARGS];
    if (n > WB_B_MAX_ARGS) abort();
    for (int i = 0; i < n; i++) p[i] = BinaryenTypeInt32();
    return BinaryenTypeCreate(p, (BinaryenIndex)n);
}

static BinaryenOp _wb_bop(int op) {
    switch (op) {
    case WB_I32_EQZ: return BinaryenEqZInt32();
    case WB_I32_EQ: return BinaryenEqInt32();
    case WB_I32_NE: return BinaryenNeInt32();
    case WB_I32_LT_S: return BinaryenLtSInt32();
    case WB_I32_LT_U: return BinaryenLtUInt32();
    case WB_I32_GT_S: return BinaryenGtSInt32();
    case WB_I32_GT_U: return BinaryenGtUInt32();
    case WB_I32_LE_S: return BinaryenLeSInt32();
    case WB_I32_LE_U: return BinaryenLeUInt32();
    case WB_I32_GE_S: return BinaryenGeSInt32();
    case WB_I32_GE_U: return BinaryenGeUInt32();
    case WB_I32_ADD: return BinaryenAddInt32();
    case WB_I32_SUB: return BinaryenSubInt32();
    case WB_I32_MUL: return BinaryenMulInt32();
    case WB_I32_DIV_S: return BinaryenDivSInt32();
    case WB_I32_DIV_U: return BinaryenDivUInt32();
    case WB_I32_REM_S: return BinaryenRemSInt32();
    case WB_I32_REM_U: return BinaryenRemUInt32();
    case WB_I32_AND: return BinaryenAndInt32();
    case WB_I32_OR: return BinaryenOrInt32();
    case WB_I32_XOR: return BinaryenXorInt32();
    case WB_I32_SHL: return BinaryenShlInt32();
    case WB_I32_SHR_S: return BinaryenShrSInt32();
    case WB_I32_SHR_U: return BinaryenShrUInt32();
    case WB_I32_ROTL: return BinaryenRotLInt32();
    case WB_I32_ROTR: return BinaryenRotRInt32();
    case WB_I64_ADD: return BinaryenAddInt64();
    case WB_I64_EXTEND_I32_U: return BinaryenExtendUInt32();
    default: abort(); /* an operator wb_ir.h does not name */
    }
}

typedef struct {
    BinaryenModuleRef m;
    const wb_mod_t *ir;
    char names[4096][8]; /* "L<n>" per label */
} _wb_b_t;

static const char *_wb_label(_wb_b_t *b, uint32_t label) {
    if (!label) return NULL;
    if (label >= 4096) abort();
    if (!b->names[label][0]) snprintf(b->names[label], sizeof b->names[label], "L%u", (unsigned)label);
    return b->names[label];
}

static BinaryenExpressionRef _wb_x(_wb_b_t *b, wbx_t x);

static BinaryenExpressionRef _wb_maybe(_wb_b_t *b, wbx_t x) { return x ? _wb_x(b, x) : NULL; }

static BinaryenExpressionRef _wb_x(_wb_b_t *b, wbx_t x) {
    BinaryenModuleRef m = b->m;
    BinaryenExpressionRef args[WB_B_MAX_ARGS];
    switch (x->kind) {
    case WB_X_CONST: return BinaryenConst(m, BinaryenLiteralInt32(x->value));
    case WB_X_GET: return BinaryenLocalGet(m, x->index, BinaryenTypeInt32());
    case WB_X_SET:
        return x->flag ? BinaryenLocalTee(m, x->index, _wb_x(b, x->a), BinaryenTypeInt32())
                       : BinaryenLocalSet(m, x->index, _wb_x(b, x->a));
    case WB_X_BINARY: return BinaryenBinary(m, _wb_bop(x->op), _wb_x(b, x->a), _wb_x(b, x->b));
    case WB_X_UNARY: return BinaryenUnary(m, _wb_bop(x->op), _wb_x(b, x->a));
    case WB_X_LOAD:
        return BinaryenLoad(m, x->bytes, x->flag, x->index, x->bytes, _wb_btype(x->vtype), _wb_x(b, x->a));
    case WB_X_STORE:
        return BinaryenStore(m, x->bytes, x->index, x->bytes, _wb_x(b, x->a), _wb_x(b, x->b), _wb_btype(x->vtype));
    case WB_X_SELECT: {
        BinaryenExpressionRef c = _wb_x(b, x->a), t = _wb_x(b, x->b), f = _wb_x(b, x->c);
        return BinaryenSelect(m, c, t, f, BinaryenTypeAuto());
    }
    case WB_X_BLOCK: {
        BinaryenExpressionRef *kids = malloc((x->n ? x->n : 1) * sizeof *kids);
        if (!kids) abort();
        for (uint32_t i = 0; i < x->n; i++) kids[i] = _wb_x(b, x->kids[i]);
        BinaryenExpressionRef r = BinaryenBlock(m, _wb_label(b, x->index), kids, x->n, BinaryenTypeAuto());
        free(kids);
        return r;
    }
    case WB_X_IF: {
        BinaryenExpressionRef c = _wb_x(b, x->a), t = _wb_x(b, x->b), f = _wb_maybe(b, x->c);
        return BinaryenIf(m, c, t, f);
    }
    case WB_X_LOOP: return BinaryenLoop(m, _wb_label(b, x->index), _wb_x(b, x->a));
    case WB_X_BR: return BinaryenBreak(m, _wb_label(b, x->index), _wb_maybe(b, x->a), NULL);
    case WB_X_BR_TABLE: {
        const char **names = malloc((x->n + 1) * sizeof *names);
        if (!names) abort();
        for (uint32_t i = 0; i < x->n; i++) names[i] = _wb_label(b, x->labels[i]);
        BinaryenExpressionRef r = BinaryenSwitch(m, names, x->n, _wb_label(b, x->labels[x->n]), _wb_x(b, x->a), NULL);
        free(names);
        return r;
    }
    case WB_X_CALL:
    case WB_X_CALL_INDIRECT: {
        if (x->n > WB_B_MAX_ARGS) abort();
        for (uint32_t i = 0; i < x->n; i++) args[i] = _wb_x(b, x->kids[i]);
        if (x->kind == WB_X_CALL) {
            const char *name = wb_mod_function(b->ir, (int)x->index)->name;
            BinaryenType result = _wb_btype(x->vtype);
            return x->flag ? BinaryenReturnCall(m, name, args, x->n, result) : BinaryenCall(m, name, args, x->n, result);
        }
        BinaryenExpressionRef target = _wb_x(b, x->a);
        BinaryenType params = _wb_params(x->nparams), result = _wb_btype(x->vtype);
        return x->flag ? BinaryenReturnCallIndirect(m, "t", target, args, x->n, params, result)
                       : BinaryenCallIndirect(m, "t", target, args, x->n, params, result);
    }
    case WB_X_RETURN: return BinaryenReturn(m, _wb_maybe(b, x->a));
    case WB_X_DROP: return BinaryenDrop(m, _wb_x(b, x->a));
    case WB_X_NOP: return BinaryenNop(m);
    case WB_X_UNREACHABLE: return BinaryenUnreachable(m);
    default: abort(); /* a kind wb_ir.h does not name */
    }
}

BinaryenModuleRef wb_binaryen_module(bool table) {
    BinaryenModuleRef m = BinaryenModuleCreate();
    BinaryenSetMemory(m, 1, (BinaryenIndex)-1, NULL, NULL, NULL, NULL, NULL, 0, false);
    BinaryenAddMemoryImport(m, "0", WB_IMPORT_MODULE, WB_IMPORT_MEMORY, 0);
    if (table) BinaryenAddTableImport(m, "t", WB_IMPORT_MODULE, WB_IMPORT_TABLE);
    BinaryenModuleSetFeatures(m, BinaryenModuleGetFeatures(m) | BinaryenFeatureTailCall());
    return m;
}

BinaryenModuleRef wb_ir_binaryen(const wb_mod_t *ir) {
    static _wb_b_t b; /* large (the label names); single-threaded */
    b.m = wb_binaryen_module(wb_mod_has_table(ir));
    b.ir = ir;
    BinaryenModuleRef m = b.m;
    for (int i = 0; i < wb_mod_functions(ir); i++) {
        const wb_func_t *f = wb_mod_function(ir, i);
        BinaryenType vars[WB_MOD_MAX_LOCALS];
        for (int k = 0; k < f->nvars; k++) vars[k] = BinaryenTypeInt32();
        BinaryenAddFunction(m, f->name, _wb_params(f->nparams), BinaryenTypeInt32(), f->nvars ? vars : NULL, f->nvars,
                            _wb_x(&b, f->body));
    }
    for (int i = 0; i < wb_mod_functions(ir); i++)
        if (wb_mod_function(ir, i)->exported) BinaryenAddFunctionExport(m, wb_mod_function(ir, i)->name, wb_mod_function(ir, i)->name);
    return m;
}

bool wb_ir_binaryen_valid(const wb_mod_t *ir) {
    BinaryenModuleRef m = wb_ir_binaryen(ir);
    bool ok = BinaryenModuleValidate(m);
    BinaryenModuleDispose(m);
    return ok;
}

uint8_t *wb_binaryen_write(BinaryenModuleRef m, size_t *out_len, char *err, size_t errlen) {
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

bool wb_ir_binaryen_same_bytes(wb_mod_t *ir, BinaryenModuleRef m, char *detail, size_t dlen) {
    size_t a_len = 0, b_len = 0;
    uint8_t *a = wb_mod_write(ir, &a_len, detail, dlen);
    uint8_t *b = a ? wb_binaryen_write(m, &b_len, detail, dlen) : NULL;
    bool same = a && b && a_len == b_len && memcmp(a, b, a_len) == 0;
    if (a && b && !same) {
        size_t at = 0;
        while (at < a_len && at < b_len && a[at] == b[at]) at++;
        snprintf(detail, dlen, "wb_mod_write: %zu bytes, Binaryen: %zu, first difference at byte %zu (%02x, Binaryen %02x)",
                 a_len, b_len, at, at < a_len ? a[at] : 0, at < b_len ? b[at] : 0);
    }
    free(a);
    free(b);
    return same;
}
