/* The self-test module builds natively with Debian's libbinaryen and passes
 * both Binaryen's validator and wabt's wasm-validate. */
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
    uint8_t *bytes = wb_build_selftest_module(&len);
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
    free(bytes);
    return failures ? 1 : 0;
}
