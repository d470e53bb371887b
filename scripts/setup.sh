#!/usr/bin/env bash
# Installs the Debian 12 packages dedup needs, only when some are missing.
set -euo pipefail
# clang-14 and libclang-rt-14-dev bring libFuzzer and the sanitizer runtimes
# for the fuzz smoke stage of scripts/test.sh; OpenMPI builds dedup_mpi
# (zlib for gzip, libzstd for zstd: both well-kept, nothing to hand-write).
packages=(build-essential cmake pkg-config python3 zstd gzip libxxhash-dev libabsl-dev libcli11-dev
          libbenchmark-dev libgtest-dev libzstd-dev zlib1g-dev clang-14 libclang-rt-14-dev
          libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
