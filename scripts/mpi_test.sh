#!/usr/bin/env bash
# MPI equivalence test (issue #7): a generated corpus split over several
# files (JSONL with sources, a WET file, a gzip file) is cleaned once by
# `dedup` and then by `mpirun -np N dedup_mpi` for N = 1, 2, 3
# (oversubscribed on 2 cores, as root where needed); the output trees and the
# reports must be byte-identical. Then --memory-limit must refuse a run.
# Usage: scripts/mpi_test.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 scripts/gen_corpus.py --base bundled --seed 7 --size-mb 1 --out "$tmp/gen" --format wet 2>/dev/null
mkdir -p "$tmp/in/a" "$tmp/in/b"
split -n l/5 -d --additional-suffix=.jsonl "$tmp/gen/docs.jsonl" "$tmp/in/a/part"
gzip "$tmp/in/a/part03.jsonl"
cp "$tmp/gen/docs.warc.wet" "$tmp/in/b/crawl.warc.wet"
"$build/dedup" -q "$tmp/in" -o "$tmp/out1/" --report "$tmp/report1.jsonl"
mpi_flags=(--oversubscribe)
[ "$(id -u)" -eq 0 ] && mpi_flags+=(--allow-run-as-root)
status=0
for np in 1 2 3; do
  OMPI_MCA_plm_rsh_agent= mpirun "${mpi_flags[@]}" -np "$np" "$build/dedup_mpi" -q "$tmp/in" -o "$tmp/outmpi$np/" \
    --report "$tmp/reportmpi$np.jsonl"
  if diff -r "$tmp/out1" "$tmp/outmpi$np" >/dev/null && cmp -s "$tmp/report1.jsonl" "$tmp/reportmpi$np.jsonl"; then
    echo "mpirun -np $np: output and report identical to the single-process run"
  else
    echo "mpirun -np $np: DIFFERS from the single-process run"
    status=1
  fi
done
"$build/dedup" verify "$tmp/in" -o "$tmp/outmpi3/" --report "$tmp/reportmpi3.jsonl"
# --memory-limit: refused on every rank before the heavy phases, rank 0 says
# why, nothing is written.
if OMPI_MCA_plm_rsh_agent= mpirun "${mpi_flags[@]}" -np 2 "$build/dedup_mpi" "$tmp/in" -o "$tmp/outlimit/" \
    --memory-limit 1 2>"$tmp/limit.err"; then
  echo "mpirun -np 2 --memory-limit 1: ran, should have refused"
  status=1
elif ! grep -q "exceeds --memory-limit=1 MiB" "$tmp/limit.err" || [ -e "$tmp/outlimit" ]; then
  echo "mpirun -np 2 --memory-limit 1: no message, or output written"
  cat "$tmp/limit.err"
  status=1
else
  echo "mpirun -np 2 --memory-limit 1: refused, nothing written"
fi
exit $status
