#!/usr/bin/env bash
# Runs native test programs. Protocol: a test program prints one line per
# case, "PASS name" or "FAIL name: why", and exits non-zero if any failed.
# A program that crashes or prints no case counts as one failure.
set -u
passed=0; failed=0
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    p=$(grep -c '^PASS ' <<<"$out"); f=$(grep -c '^FAIL ' <<<"$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $(basename "$t"): exit code $rc"; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $(basename "$t"): ran no case"; fi
    grep '^FAIL ' <<<"$out" | head -20
    if [ "$rc" -ne 0 ]; then tail -20 <<<"$out" | grep -v '^PASS ' ; fi
    printf '%-40s %5d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
    passed=$((passed + p)); failed=$((failed + f))
done
echo "native: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
