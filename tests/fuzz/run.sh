#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a
# bounded time on a seed corpus written by test_media. Exits non-zero on any
# crash, leak or sanitizer report.
#   tests/fuzz/run.sh            # 20 s per target
#   FUZZ_TIME=120 tests/fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
time_per=${FUZZ_TIME:-20}
out=build/fuzz
mkdir -p "$out"
flags=(-std=c11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -Icore
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)

# Seeds: valid files per format (a 48K and a 128K snapshot each), made by
# the native test program.
make -s build/native/test_media
seeds="$out/seeds"
rm -rf "$seeds"; mkdir -p "$seeds"
./build/native/test_media "$seeds" >/dev/null
make -s build/native/test_zip
./build/native/test_zip "$seeds"

declare -A seed_for=([sna]="seed.sna seed128.sna" [z80]="seed.z80 seed128.z80" [szx]="seed.szx seed128.szx" [inflate]=seed.zlib [zip]=seed.zip)
status=0
for target in sna z80 szx tape inflate zip; do
    bin="$out/fuzz_$target"
    clang "${flags[@]}" -o "$bin" "tests/fuzz/fuzz_$target.c" core/media/*.c
    corpus="$out/corpus_$target"
    mkdir -p "$corpus"
    if [ "$target" = tape ]; then
        # the first byte picks the hint: 0 = .tap, 1 = .tzx
        { printf '\0'; cat "$seeds/seed.tap"; } > "$corpus/seed_tap"
        { printf '\1'; cat "$seeds/seed.tzx"; } > "$corpus/seed_tzx"
    else
        for seed in ${seed_for[$target]}; do cp "$seeds/$seed" "$corpus/"; done
    fi
    echo "fuzz_$target: ${time_per}s"
    if ! "$bin" -max_total_time="$time_per" -max_len=150000 -print_final_stats=0 \
            -artifact_prefix="$out/crash_${target}_" "$corpus" > "$out/fuzz_$target.log" 2>&1; then
        echo "FAIL fuzz_$target (see $out/fuzz_$target.log)"
        tail -30 "$out/fuzz_$target.log"
        status=1
    else
        echo "PASS fuzz_$target: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/fuzz_$target.log" || tail -1 "$out/fuzz_$target.log")"
    fi
done
exit $status
