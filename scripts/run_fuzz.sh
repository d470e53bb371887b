#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each one for
# SECONDS (default 60), starting from a copy of its seed corpus, so the seeds
# in tests/fuzz/seeds/ are never modified. Prints executions per target and
# exits 1 if any target found a crash (artifacts under build-fuzz/artifacts/).
# Usage: scripts/run_fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail

seconds="${1:-60}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DEDUP_FUZZ_BUILD_DIR:-$root/build-fuzz}"
cxx="${CXX:-clang++-14}"
if ! command -v "$cxx" >/dev/null; then cxx=clang++; fi

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for src in "$root"/tests/fuzz/fuzz_*.cc; do
    targets+=("$(basename "$src" .cc)")
  done
fi

CXX="$cxx" cmake -S "$root" -B "$build" -DDEDUP_BUILD_FUZZERS=ON \
  -DDEDUP_BUILD_TESTS=ON -DDEDUP_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null

status=0
printf '%-20s %12s %8s %10s %s\n' target execs seconds execs/s result
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t/"
  log="$build/logs/$t.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  cp -n "$root/tests/fuzz/seeds/$t"/* "$corpus"/ 2>/dev/null || true
  result=ok
  if ! "$build/tests/$t" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$artifacts" -rss_limit_mb=2048 -timeout=10 \
      "$corpus" >"$log" 2>&1; then
    result="CRASH (see $log, $artifacts)"
    status=1
  fi
  # libFuzzer's last line: "Done 123456 runs in 60 second(s)".
  runs="$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' "$log" | tail -1)"
  if [ -z "$runs" ]; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1 ?/p' "$log" | tail -1)"
  fi
  read -r execs secs <<<"${runs:-? ?}"
  rate="?"
  if [[ "$execs" =~ ^[0-9]+$ && "$secs" =~ ^[0-9]+$ && "$secs" -gt 0 ]]; then
    rate=$((execs / secs))
  fi
  printf '%-20s %12s %8s %10s %s\n' "$t" "$execs" "$secs" "$rate" "$result"
done
exit "$status"
