#!/usr/bin/env bash
# Builds and runs every test; what CI runs (.ci/run). Stages:
#   1. Release build with -Werror; all ctest tests (unit, cli, fuzz seed
#      replay, quality floor).
#   2. Debug build with AddressSanitizer + UndefinedBehaviorSanitizer; the
#      unit, cli and fuzz-seed tests (the 1 GiB input case is left to stage 1).
#   3. libFuzzer smoke run of every fuzz target (clang), DEDUP_FUZZ_SECONDS
#      each (default 20).
# DEDUP_TEST_STAGES=1 (or "1 2") runs a subset, e.g. for a quick local check.
set -euo pipefail
cd "$(dirname "$0")/.."
stages="${DEDUP_TEST_STAGES:-1 2 3}"
jobs="$(nproc)"
scripts/setup.sh
SECONDS=0
if [[ " $stages " == *" 1 "* ]]; then
  echo "== stage 1: release build, all tests"
  scripts/build.sh -DDEDUP_WERROR=ON
  ctest --test-dir build --output-on-failure -j"$jobs"
  echo "== stage 1 done at ${SECONDS}s"
fi
if [[ " $stages " == *" 2 "* ]]; then
  echo "== stage 2: ASan + UBSan build, unit/cli/fuzz tests"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDEDUP_SANITIZE=address,undefined \
    -DDEDUP_BUILD_BENCH=OFF -DDEDUP_WERROR=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -L "unit|cli|fuzz" -E "OneGib|MillionIdentical"
  echo "== stage 2 done at ${SECONDS}s"
fi
if [[ " $stages " == *" 3 "* ]]; then
  echo "== stage 3: fuzz smoke"
  scripts/run_fuzz.sh "${DEDUP_FUZZ_SECONDS:-20}"
  echo "== stage 3 done at ${SECONDS}s"
fi
