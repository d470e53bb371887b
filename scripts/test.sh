#!/usr/bin/env bash
# Builds with warnings as errors and runs every test (unit, cli, fuzz seed replay, quality floor).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh -DDEDUP_WERROR=ON
ctest --test-dir build --output-on-failure -j"$(nproc)"
