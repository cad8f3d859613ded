#!/usr/bin/env bash
# The whole test suite: setup (idempotent), build, then native tests, Node
# tests of the Wasm build, browser tests in headless Chromium, and bounded
# fuzzing. Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
echo "[test] building (native and Wasm)"
if ! make -j2 native wasm >build/make.log 2>&1; then
    tail -40 build/make.log
    echo "[test] build failed (full log: build/make.log)"
    echo "0 passed, 1 failed"
    exit 1
fi

passed=0; failed=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }

echo "[test] native tests"
out=$(bash tests/run-native.sh build/native/test_* 2>&1 | grep -v '^PASS ')
echo "$out"
line=$(tail -1 <<<"$out")
if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"; else add 0 1; fi

node_suite() { # $1 label, $2... test files
    local label=$1; shift
    [ $# -gt 0 ] || return
    echo "[test] $label"
    local log=build/test-$label.log
    node --test --test-reporter=spec "$@" >"$log" 2>&1
    grep -E '^\s*(✔|✖|ℹ (tests|pass|fail))' "$log" | grep -v '^\s*✔' | head -60
    local p f
    p=$(grep -E '^ℹ pass ' "$log" | awk '{print $3}'); f=$(grep -E '^ℹ fail ' "$log" | awk '{print $3}')
    if [ -z "$p" ] || [ -z "$f" ]; then tail -30 "$log"; add 0 1; return; fi
    [ "$f" -gt 0 ] && sed -n '/failing tests:/,$p' "$log" | head -80
    add "$p" "$f"
}
shopt -s nullglob
node_suite node tests/node/*.test.mjs
node_suite browser tests/browser/*.test.mjs

if [ -f tests/fuzz/run.sh ]; then
    echo "[test] fuzzing (bounded; log: build/fuzz.log)"
    bash tests/fuzz/run.sh >build/fuzz.log 2>&1; rc=$?
    p=$(grep -c '^PASS ' build/fuzz.log); f=$(grep -c '^FAIL ' build/fuzz.log)
    grep '^FAIL ' build/fuzz.log
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then tail -20 build/fuzz.log; f=1; fi
    add "$p" "$f"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
