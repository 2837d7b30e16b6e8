#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] — builds the libFuzzer targets (cmake preset "fuzz", clang, ASan + UBSan) and runs
# each for SECONDS (default 60) over a copy of its corpus, tests/fuzz/corpus/<target>/ (the seeds, and every input a
# run has found wrong, kept there as regressions). The first crash, sanitizer report or broken invariant stops it
# and leaves the input in build/fuzz/artifacts/. .ci/run runs 10 s per target; a longer run: tests/fuzz/run.sh 3600.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cmake --preset fuzz -S "$root" >/dev/null
cmake --build "$root/build/fuzz"
artifacts="$root/build/fuzz/artifacts"
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in reply duration snapshot filter; do
    mkdir -p "$work/$target"
    cp "$root/tests/fuzz/corpus/$target/"* "$work/$target/"
    echo "== fuzz_$target, $seconds s"
    if ! "$root/build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
        -print_final_stats=1 -artifact_prefix="$artifacts/fuzz_$target-" "$work/$target" >"$work/$target.log" 2>&1; then
        tail -n 60 "$work/$target.log" >&2
        echo "fuzz_$target failed; the input that did it is in $artifacts/" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$target.log" | tr '\n' ' '
    echo "corpus $(ls "$work/$target" | wc -l) inputs"
done
