#!/usr/bin/env bash
# MPI scaling run (issue #7): the generated news corpus (SIZE_MB, default 100)
# split into 8 JSONL files, cleaned by dedup_mpi at 1, 2 and 4 ranks on this
# machine. Prints wall time and peak RSS per rank; checks each output equals
# the single-process one. Usage: scripts/bench_mpi.sh [SIZE_MB] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100}
build=${2:-build}
data=${DEDUP_BENCH_DATA:-/tmp/dedup-bench}/mpi-${size}mb
if [ ! -d "$data/in" ]; then
  mkdir -p "$data"
  python3 scripts/gen_corpus.py --seed 1 --size-mb "$size" --out "$data/gen" 2>/dev/null
  mkdir -p "$data/in"
  split -n l/8 -d --additional-suffix=.jsonl "$data/gen/docs.jsonl" "$data/in/part"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=(--oversubscribe)
[ "$(id -u)" -eq 0 ] && flags+=(--allow-run-as-root)
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$tmp/rss1" "$build/dedup" -q "$data/in" -o "$tmp/single/" --report "$tmp/single.jsonl"
end=$(date +%s.%N)
printf '| %-22s | %8s | %s |\n' "run" "wall s" "peak RSS per rank (MiB)"
printf '|---|---:|---|\n'
printf '| %-22s | %8.2f | %s |\n' "dedup (1 process)" "$(echo "$end - $start" | bc)" "$(( $(cat "$tmp/rss1") / 1024 ))"
for np in 1 2 4; do
  start=$(date +%s.%N)
  mpirun "${flags[@]}" -np "$np" bash -c "/usr/bin/time -f %M -o $tmp/rss.np$np.\$OMPI_COMM_WORLD_RANK \
    $build/dedup_mpi -q $data/in -o $tmp/mpi$np/ --report $tmp/mpi$np.jsonl"
  end=$(date +%s.%N)
  rss=$(for f in "$tmp"/rss.np$np.*; do echo $(( $(cat "$f") / 1024 )); done | paste -sd, -)
  same=$(diff -r -q "$tmp/single" "$tmp/mpi$np" >/dev/null && cmp -s "$tmp/single.jsonl" "$tmp/mpi$np.jsonl" && echo identical || echo DIFFERENT)
  printf '| %-22s | %8.2f | %s (%s) |\n' "dedup_mpi -np $np" "$(echo "$end - $start" | bc)" "$rss" "$same"
done
echo "input: $(du -sb "$data/in" | cut -f1) bytes in 8 files; $(nproc) cores"
