#!/usr/bin/env bash
# Assembles every tests/z80src/NAME.asm into build/z80/NAME.bin with pasmo.
# Sources share code through INCLUDE "NAME.inc" (tests/z80src/*.inc, found
# through -I; the .inc files are not programs of their own).
# Run from the repository root: tools/assemble.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/z80
for src in tests/z80src/*.asm; do
    name=$(basename "$src" .asm)
    pasmo -I tests/z80src --bin "$src" "build/z80/$name.bin"
done
