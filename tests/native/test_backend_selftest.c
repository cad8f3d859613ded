/* The self-test module builds natively with Debian's libbinaryen, passes
 * both Binaryen's validator and wabt's wasm-validate, imports the core's
 * memory and table and calls the helper at the slot it was given. */
#include "wb_selftest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static void check(int ok, const char *name, const char *why) {
    if (ok) printf("PASS %s\n", name);
    else { printf("FAIL %s: %s\n", name, why); failures++; }
}

int main(void) {
    size_t len = 0;
    uint8_t *bytes = wb_build_selftest_module(7, &len); /* helper at table slot 7 */
    check(bytes != NULL, "selftest_module_builds", "Binaryen rejected the module");
    if (!bytes) return 1;
    check(len > 8 && memcmp(bytes, "\0asm\1\0\0\0", 8) == 0, "selftest_module_header", "no Wasm magic/version");

    const char *path = "build/native/selftest.wasm";
    FILE *f = fopen(path, "wb");
    check(f && fwrite(bytes, 1, len, f) == len, "selftest_module_written", path);
    if (f) fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "wasm-validate %s", path);
    check(system(cmd) == 0, "selftest_module_wasm_validate", "wasm-validate rejected it");
    snprintf(cmd, sizeof cmd, "wasm-objdump -x %s | grep -q 'memory.*<- env.memory'", path);
    check(system(cmd) == 0, "selftest_module_imports_core_memory", "no env.memory import");
    snprintf(cmd, sizeof cmd, "wasm-objdump -x %s | grep -q 'table.*<- env.__indirect_function_table'", path);
    check(system(cmd) == 0, "selftest_module_imports_core_table", "no env.__indirect_function_table import");
    snprintf(cmd, sizeof cmd, "wasm-objdump -d %s | grep -B1 'call_indirect' | grep -q 'i32.const 7'", path);
    check(system(cmd) == 0, "selftest_module_calls_slot", "no call_indirect at slot 7");
    free(bytes);
    return failures ? 1 : 0;
}
