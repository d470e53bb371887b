#!/usr/bin/env bash
# Instructions executed by two dedup builds on the same input, by phase,
# counted by valgrind's callgrind (one thread). Unlike wall time on a shared
# VM (which drifts by 10% between runs), the counts repeat to within 0.1%,
# so a change of a few percent in a phase's work shows. They leave out what
# instructions do not show (cache misses, page faults, stalls): confirm a
# speed-up with scripts/bench_ab.sh, and measure speed with bench_e2e.sh.
# Valgrind does not emulate AVX-512, so under it dedup takes its AVX2 paths:
# the AVX-512 ones are measured by bench_ab.sh and the micro-benchmarks.
#
# Usage: scripts/bench_instructions.sh INPUT BIN_A BIN_B [dedup flags...]
#   INPUT: a corpus small enough for callgrind (~50x slower): 5-10 MB.
# Needs valgrind (apt-get install valgrind).
set -euo pipefail

if [[ $# -lt 3 ]]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
input=$1 bin_a=$2 bin_b=$3
shift 3
flags=("$@")
for tool in valgrind callgrind_annotate; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench_instructions: $tool not found (apt-get install valgrind)" >&2
    exit 2
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Inclusive instruction counts of the phase entry points, one line per phase.
count() {  # label binary
  local label=$1 bin=$2
  valgrind --tool=callgrind --callgrind-out-file="$work/$label.cg" \
    "$bin" "$input" -o "$work/$label.out" --report "$work/$label.report" --threads 1 "${flags[@]}" \
    >/dev/null 2>"$work/$label.log" || { cat "$work/$label.log" >&2; exit 1; }
  callgrind_annotate --inclusive=yes "$work/$label.cg" >"$work/$label.txt" 2>/dev/null
}
count A "$bin_a"
count B "$bin_b"

python3 - "$work/A.txt" "$work/B.txt" <<'EOF'
import re, sys

# Phase -> the function whose inclusive count is the phase (the largest
# line naming it: callgrind lists a function once per source file).
PHASES = [
    ("total", r"PROGRAM TOTALS"),
    ("read and frame", r"dedup::Corpus::AddInput\("),
    ("pass 1: count lines", r"dedup::CountLines\("),
    ("pass 2: fingerprints", r"dedup::ComputeFingerprints\("),
    ("cluster and blocks", r"dedup::DecideDocuments\("),
    ("write (output)", r"dedup::WriteOutputs\("),
]

def counts(path):
    found = {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+)\s", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        for phase, pattern in PHASES:
            if re.search(pattern, line):
                found[phase] = max(found.get(phase, 0), n)
    return found

a, b = counts(sys.argv[1]), counts(sys.argv[2])
print(f"| phase | A instructions | B instructions | B / A |")
print(f"|---|---:|---:|---:|")
for phase, _ in PHASES:
    x, y = a.get(phase), b.get(phase)
    if x is None or y is None:
        print(f"| {phase} | {x or '-'} | {y or '-'} | - |")
    else:
        print(f"| {phase} | {x:,} | {y:,} | {y / x:.3f} |")
EOF

if cmp -s "$work/A.out" "$work/B.out" && cmp -s "$work/A.report" "$work/B.report"; then
  echo "output and report: identical"
else
  echo "output and report: DIFFER"
fi
