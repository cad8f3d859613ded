#!/usr/bin/env bash
# Assembles every tests/z80src/NAME.asm into build/z80/NAME.bin with pasmo.
# Run from the repository root: tools/assemble.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/z80
for src in tests/z80src/*.asm; do
    name=$(basename "$src" .asm)
    pasmo --bin "$src" "build/z80/$name.bin"
done
