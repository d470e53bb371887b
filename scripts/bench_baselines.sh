#!/usr/bin/env bash
# dedup against other tools on the same bytes, in alternating runs: the Go
# MinHash-LSH of bench/baselines/go_minhash_lsh (Debian's ekzhu/minhash-lsh
# and dgryski/go-minhash) and, with --python, scripts/reference_dedup.py.
# Each tool writes dedup's --report format; when truth.jsonl lies beside the
# input, scripts/score.py scores every report.
#
# Usage: scripts/bench_baselines.sh [--python] INPUT ROUNDS [DEDUP_BIN]
#   e.g. scripts/bench_baselines.sh /tmp/dedup-bench/news-seed1-100mb-g6bf5058b/docs.jsonl 3
# INPUT: plain JSONL with "id" and "text" (the Go tool reads no compressed
# input). DEDUP_BIN defaults to build-bench/dedup (run with --threads 2,
# default flags). Needs /usr/bin/time, python3, and for the Go tool:
#   apt-get install golang-go golang-github-ekzhu-minhash-lsh-dev
# Prints one line per run (tool, round, wall s, user s, sys s, peak RSS
# KiB), then per tool the median wall, MB/s (input bytes / wall) and peak
# RSS, and the scores.
set -euo pipefail
python=0
if [ "${1:-}" = --python ]; then
  python=1
  shift
fi
if [ $# -lt 2 ]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
input=$1 rounds=$2 dedup=${3:-build-bench/dedup}
root=$(cd "$(dirname "$0")/.." && pwd)
for need in /usr/bin/time go; do
  if ! command -v "$need" > /dev/null; then
    echo "bench_baselines: $need is missing (apt-get install time golang-go golang-github-ekzhu-minhash-lsh-dev)" >&2
    exit 1
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Debian's Go libraries live in GOPATH form under /usr/share/gocode: no
# module download.
(cd "$root/bench/baselines/go_minhash_lsh" &&
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$tmp/gocache" go build -o "$tmp/go_minhash_lsh" .)
tools="dedup go"
[ "$python" -eq 1 ] && tools="$tools python"
run() {  # tool round
  local tool=$1 round=$2 report="$tmp/report.$1.jsonl" cmd
  case $tool in
    dedup) cmd=("$dedup" "$input" --threads 2 --report "$report" -o "$tmp/out.jsonl") ;;
    go) cmd=("$tmp/go_minhash_lsh" -input "$input" -report "$report") ;;
    python) cmd=(python3 "$root/scripts/reference_dedup.py" --input "$input" --report "$report") ;;
  esac
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "${cmd[@]}" > /dev/null 2> "$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$tool" "$round" "$(cat "$tmp/time")" | tee -a "$tmp/runs.tsv"
}
for round in $(seq 1 "$rounds"); do
  order=$tools
  [ $((round % 2)) -eq 0 ] && order=$(echo "$tools" | tr ' ' '\n' | tac | tr '\n' ' ')
  for tool in $order; do run "$tool" "$round"; done
done
python3 - "$tmp/runs.tsv" "$(stat -c %s "$input")" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    tool, _, timing = line.rstrip("\n").split("\t")
    wall, _, _, rss = timing.split()
    runs.setdefault(tool, []).append((float(wall), int(rss) / 1024))
mb = int(sys.argv[2]) / 1e6
for tool, r in runs.items():
    wall = statistics.median(w for w, _ in r)
    rss = max(m for _, m in r)
    print(f"{tool}: median wall {wall:.2f} s ({min(w for w, _ in r):.2f}-{max(w for w, _ in r):.2f}), "
          f"{mb / wall:.1f} MB/s, peak RSS {rss:.0f} MiB")
EOF
truth="$(dirname "$input")/truth.jsonl"
if [ -f "$truth" ]; then
  for tool in $tools; do
    echo "== $tool"
    python3 "$root/scripts/score.py" --truth "$truth" --input "$input" --report "$tmp/report.$tool.jsonl" |
      grep -E "pair F1|pair precision|pair recall|boilerplate line F1|lost stories"
  done
fi
