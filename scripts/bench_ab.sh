#!/usr/bin/env bash
# Side-by-side timing of two dedup binaries on one input: this VM's speed
# drifts by 30% between hours, so two builds are only compared in runs that
# alternate, with the order flipped every round (the run after another's
# writes is slower). Checks that both give the same output and report.
#
# Usage: scripts/bench_ab.sh INPUT ROUNDS BIN_A BIN_B [dedup flags...]
#   e.g. scripts/bench_ab.sh /tmp/dedup-bench/news-seed1-1000mb-gdf5e23a2/docs.jsonl 6 \
#          /tmp/dedup-old build-bench/dedup --threads 2
# Prints one line per run (binary, round, wall s, user s, sys s, peak RSS KiB,
# the --stats phases), then per binary the median and range of wall time,
# sys time and peak RSS, and in how many rounds B was faster than A.
# Needs /usr/bin/time and python3; writes only to a temporary directory.
set -euo pipefail
if [ $# -lt 4 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
input=$1 rounds=$2 a=$3 b=$4
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs="$tmp/runs.tsv"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for which in $order; do
    bin=$a
    [ "$which" = B ] && bin=$b
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$bin" "$input" -o "$tmp/out.$which.jsonl" \
      --report "$tmp/report.$which.jsonl" --stats "$@" 2>"$tmp/stats"
    phases=$(grep "time  " "$tmp/stats" | sed 's/.*total: //')
    printf '%s\t%s\t%s\t%s\n' "$which" "$round" "$(cat "$tmp/time")" "$phases" | tee -a "$runs"
  done
  if [ "$round" -eq 1 ]; then
    if cmp -s "$tmp/out.A.jsonl" "$tmp/out.B.jsonl" && cmp -s "$tmp/report.A.jsonl" "$tmp/report.B.jsonl"; then
      echo "output and report: identical"
    else
      echo "output and report: DIFFERENT"
    fi
  fi
done
python3 - "$runs" "$a" "$b" <<'EOF'
import statistics, sys
runs = {"A": {}, "B": {}}
for line in open(sys.argv[1]):
    which, rnd, timing, _ = line.rstrip("\n").split("\t")
    wall, user, sys_s, rss = timing.split()
    runs[which][int(rnd)] = (float(wall), float(sys_s), int(rss) / 1024)
for which, name in (("A", sys.argv[2]), ("B", sys.argv[3])):
    r = list(runs[which].values())
    for i, what in enumerate(("wall s", "sys s", "peak RSS MiB")):
        v = [x[i] for x in r]
        print(f"{which} {name}: {what} median {statistics.median(v):.2f} (range {min(v):.2f}-{max(v):.2f})")
b_faster = sum(runs["B"][k][0] < runs["A"][k][0] for k in runs["A"])
print(f"B faster than A in {b_faster} of {len(runs['A'])} rounds")
EOF
