#!/usr/bin/env bash
# End-to-end benchmark: dedup against the floor program on generated news corpora.
#
#   scripts/bench_e2e.sh [SIZES_MB...]        (default: 100 1000; 4000 works too)
#
# For each size it generates (once, cached) the corpus
#   python3 scripts/gen_corpus.py --seed 1 --size-mb N --out DIR
# then runs, one after the other on the same warm page cache:
#   floor    build-bench/bench/dedup_floor --threads 2 DIR/docs.jsonl
#   dedup-t2 build-bench/dedup DIR/docs.jsonl -o TMP/out.jsonl --report TMP/report.jsonl --stats --threads 2
#   dedup-t1 the same with --threads 1 (sizes <= 1000 MB unless DEDUP_BENCH_T1 says otherwise)
# each under /usr/bin/time (wall seconds, peak RSS, user and system CPU), and
# writes a markdown table plus the raw numbers to bench/runs/<date>-<host>/e2e.md
# (and prints the table). MB is 10^6 bytes of docs.jsonl. See bench/README.md.
#
# Environment:
#   DEDUP_BENCH_DATA   corpus cache, outside the repo (default /tmp/dedup-bench).
#                      Corpora are keyed by seed, size and a hash of the generator
#                      sources, so a changed generator regenerates them.
#   DEDUP_BUILD_DIR    build directory (default build-bench, configured Release if absent)
#   DEDUP_BENCH_RUNS   runs per command; the fastest is reported
#                      (default 3 below 1000 MB, 2 below 4000 MB, else 1)
#   DEDUP_BENCH_T1     auto (default: sizes <= 1000 MB) | 1 | 0: also run --threads 1
#   DEDUP_BENCH_OUT    results directory (default bench/runs/<YYYY-MM-DD>-<hostname>)
#   DEDUP_BENCH_NAME   results file name without .md (default e2e), e.g. e2e-4000 for an extra run
#   DEDUP_BENCH_NO_BUILD=1  use the binaries as they are
#   DEDUP_BENCH_REV    benchmark a committed revision (e.g. HEAD, main, a hash) instead of the
#                      working tree: `git archive` exports it under $DEDUP_BENCH_DATA/src-<hash>
#                      and builds it there, so uncommitted edits by others do not leak in.
#   DEDUP_BENCH_MAX_BUSY     before each run, wait until the other processes use less than
#                            this % of all CPUs over one second (default 20) ...
#   DEDUP_BENCH_QUIET_WAIT   ... but at most this many seconds (default 300), then run anyway.
#                            The busy % seen is recorded with each run, and so is the share
#                            of all CPUs that other processes used during it (others_pct).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100 1000)
for s in "${SIZES[@]}"; do
  [[ "$s" =~ ^[0-9]+$ ]] || { echo "bench_e2e: size must be a whole number of MB, got '$s'" >&2; exit 2; }
done

DATA=${DEDUP_BENCH_DATA:-/tmp/dedup-bench}
BUILD=${DEDUP_BUILD_DIR:-build-bench}
T1=${DEDUP_BENCH_T1:-auto}
HOST=$(hostname -s 2>/dev/null || hostname)
OUTDIR=${DEDUP_BENCH_OUT:-bench/runs/$(date +%F)-$HOST}
TIME=/usr/bin/time

if [ ! -x "$TIME" ]; then
  echo "bench_e2e: $TIME is missing; install it with: apt-get install time" >&2
  exit 1
fi

# ---- Build -------------------------------------------------------------------
mkdir -p "$DATA"
SRC=.
if [ -n "${DEDUP_BENCH_REV:-}" ]; then
  REV=$(git rev-parse --verify "${DEDUP_BENCH_REV}^{commit}")
  SRC="$DATA/src-${REV:0:12}"
  if [ ! -f "$SRC/CMakeLists.txt" ]; then
    rm -rf "$SRC.tmp" && mkdir -p "$SRC.tmp"
    git archive "$REV" | tar -x -C "$SRC.tmp"
    mv "$SRC.tmp" "$SRC"
  fi
  case "$BUILD" in /*) ;; *) BUILD="$SRC/$BUILD" ;; esac
  COMMIT=${REV:0:12}
else
  # The working tree: HEAD, plus a hash of the uncommitted changes under src/ when there are any.
  COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain -- src CMakeLists.txt 2>/dev/null)" ]; then
    COMMIT="$COMMIT + uncommitted changes in src/ (diff sha256 $( (git diff HEAD -- src CMakeLists.txt;
      git ls-files --others --exclude-standard -z -- src | xargs -0 -r cat) | sha256sum | cut -c1-12))"
  fi
fi
if [ "${DEDUP_BENCH_NO_BUILD:-0}" != 1 ]; then
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DDEDUP_BUILD_TESTS=OFF >/dev/null
  fi
  cmake --build "$BUILD" -j"$(nproc)" --target dedup dedup_floor >/dev/null
fi
DEDUP="$BUILD/dedup"
FLOOR="$BUILD/bench/dedup_floor"
for b in "$DEDUP" "$FLOOR"; do
  [ -x "$b" ] || { echo "bench_e2e: $b not built (is libbenchmark-dev installed? bench/ needs it)" >&2; exit 1; }
done

# ---- Corpora -------------------------------------------------------------------
GEN_HASH=$(cat scripts/gen_corpus.py scripts/text_sources.py | sha256sum | cut -c1-8)
corpus_dir() { echo "$DATA/news-seed1-${1}mb-g$GEN_HASH"; }
for s in "${SIZES[@]}"; do
  dir=$(corpus_dir "$s")
  if [ ! -s "$dir/docs.jsonl" ]; then
    echo "bench_e2e: generating $s MB corpus in $dir" >&2
    rm -rf "$dir.tmp"
    python3 scripts/gen_corpus.py --seed 1 --size-mb "$s" --out "$dir.tmp" 2> "$DATA/gen-$s-$GEN_HASH.log" ||
      { cat "$DATA/gen-$s-$GEN_HASH.log" >&2; exit 1; }
    cp "$DATA/gen-$s-$GEN_HASH.log" "$dir.tmp/gen.log"
    mv "$dir.tmp" "$dir"
  fi
done

# ---- Runs ------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench_e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
RAW="$WORK/raw.tsv"
printf 'size_mb\tbytes\tconfig\trun\twall_s\trss_kb\tuser_s\tsys_s\tload1\tbusy_pct\tothers_pct\tphases\n' > "$RAW"
HZ=$(getconf CLK_TCK)
NCPU=$(nproc)

# Busy CPU jiffies so far, all CPUs (user..steal, without idle and iowait).
busy_jiffies() {
  local a
  a=($(head -n 1 /proc/stat))
  echo $((a[1] + a[2] + a[3] + a[6] + a[7] + a[8]))
}
LOGS="$WORK/logs.txt"
: > "$LOGS"

# Percent of all CPUs busy over the next second (from /proc/stat).
cpu_busy() {
  local a b
  a=($(head -n 1 /proc/stat))
  sleep 1
  b=($(head -n 1 /proc/stat))
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  local idle=$((b[4] - a[4] + b[5] - a[5]))
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

# Waits until the machine is quiet (see DEDUP_BENCH_MAX_BUSY); prints the last busy %.
wait_quiet() {
  local max=${DEDUP_BENCH_MAX_BUSY:-20} limit=${DEDUP_BENCH_QUIET_WAIT:-300} waited=0 busy
  busy=$(cpu_busy)
  while [ "$busy" -ge "$max" ] && [ "$waited" -lt "$limit" ]; do
    [ "$waited" -eq 0 ] && echo "bench_e2e: CPUs ${busy}% busy with other work; waiting up to ${limit}s" >&2
    sleep 4
    waited=$((waited + 5))
    busy=$(cpu_busy)
  done
  echo "$busy"
}

# run SIZE BYTES CONFIG RUN CMD...: one timed run appended to $RAW.
run() {
  local size=$1 bytes=$2 config=$3 runno=$4
  shift 4
  local load busy
  busy=$(wait_quiet)
  load=$(cut -d' ' -f1 /proc/loadavg)
  rm -rf "$WORK/out"
  mkdir -p "$WORK/out"
  local j0 j1
  j0=$(busy_jiffies)
  if ! "$TIME" -f '%e %M %U %S' -o "$WORK/time.txt" "$@" > "$WORK/stdout.txt" 2> "$WORK/stderr.txt"; then
    echo "bench_e2e: failed: $*" >&2
    cat "$WORK/stderr.txt" >&2
    exit 1
  fi
  j1=$(busy_jiffies)
  local wall rss user sys phases others
  read -r wall rss user sys < <(tail -n 1 "$WORK/time.txt")
  # CPU time of other processes during the run, as a share of all CPUs.
  others=$(awk -v j="$((j1 - j0))" -v hz="$HZ" -v u="$user" -v s="$sys" -v w="$wall" -v n="$NCPU" \
    'BEGIN { o = j / hz - u - s; if (o < 0 || w <= 0) o = 0; else o = 100 * o / (w * n); printf "%.0f", o }')
  # dedup --stats: "time  X s total: read a, count lines b, fingerprint c, cluster d, blocks e, write f"
  phases=$(sed -n 's/^ *time  *\(.*\)$/\1/p' "$WORK/stderr.txt" | head -n 1)
  [ -n "$phases" ] || phases=$(head -n 1 "$WORK/stdout.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$bytes" "$config" "$runno" "$wall" "$rss" "$user" \
    "$sys" "$load" "$busy" "$others" "$phases" >> "$RAW"
  { echo "### $size MB, $config, run $runno: $*"; cat "$WORK/stdout.txt" "$WORK/stderr.txt"; echo; } >> "$LOGS"
  rm -rf "$WORK/out"
  printf 'bench_e2e: %5s MB %-9s run %s: %7.2f s, %7.1f MB/s, peak RSS %6.0f MiB (others: %s%% of CPUs before, %s%% during)\n' \
    "$size" "$config" "$runno" "$wall" "$(awk -v b="$bytes" -v w="$wall" 'BEGIN { print (w > 0 ? b / 1e6 / w : 0) }')" \
    "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$busy" "$others" >&2
}

for s in "${SIZES[@]}"; do
  file="$(corpus_dir "$s")/docs.jsonl"
  bytes=$(stat -c %s "$file")
  runs=${DEDUP_BENCH_RUNS:-$(if [ "$s" -lt 1000 ]; then echo 3; elif [ "$s" -lt 4000 ]; then echo 2; else echo 1; fi)}
  want_t1=$T1
  [ "$want_t1" = auto ] && want_t1=$([ "$s" -le 1000 ] && echo 1 || echo 0)
  cat "$file" > /dev/null  # warm the page cache: every command reads a cached file
  for r in $(seq 1 "$runs"); do
    run "$s" "$bytes" floor-t2 "$r" "$FLOOR" --threads 2 "$file"
    run "$s" "$bytes" dedup-t2 "$r" "$DEDUP" "$file" -o "$WORK/out/out.jsonl" --report "$WORK/out/report.jsonl" \
      --stats --top-blocks 0 --threads 2
    if [ "$want_t1" = 1 ]; then
      run "$s" "$bytes" dedup-t1 "$r" "$DEDUP" "$file" -o "$WORK/out/out.jsonl" --report "$WORK/out/report.jsonl" \
        --stats --top-blocks 0 --threads 1
    fi
  done
done

# ---- Report --------------------------------------------------------------------------
mkdir -p "$OUTDIR"
export RAW LOGS COMMIT GEN_HASH DATA
export CPU_MODEL=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
export CPU_COUNT=$(nproc)
export CPU_TOPO=$(lscpu | awk -F: '/^(Socket|Core|Thread)/ { gsub(/^ +/, "", $2); printf "%s%s: %s", sep, $1, $2; sep = ", " }')
export MEM_TOTAL=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
export GXX=$(g++ --version | head -n 1)
export KERNEL=$(uname -r)
export HOSTNAME_=$HOST
export GEN_LOG=$(for s in "${SIZES[@]}"; do cat "$(corpus_dir "$s")/gen.log" 2>/dev/null || true; done)
python3 - "$OUTDIR/${DEDUP_BENCH_NAME:-e2e}.md" <<'PY'
import collections, os, re, sys, datetime

out_path = sys.argv[1]
rows = []
with open(os.environ["RAW"]) as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))

def phases(text):
    m = re.search(r"([\d.]+) s total: (.*)", text)
    if not m:
        return {}
    return {k.strip(): float(v) for k, v in re.findall(r"([a-z ]+) ([\d.]+)", m.group(2))}

best = {}  # (size, config) -> fastest run
for r in rows:
    key = (int(r["size_mb"]), r["config"])
    if key not in best or float(r["wall_s"]) < float(best[key]["wall_s"]):
        best[key] = r
sizes = sorted({k[0] for k in best})
configs = [c for c in ("floor-t2", "dedup-t2", "dedup-t1") if any((s, c) in best for s in sizes)]

lines = []
lines.append("| size | command | wall s | MB/s | ratio to floor | peak RSS MiB | RSS / input | CPU s (user+sys) "
             "| others' CPU % | read | count lines | fingerprint | cluster | blocks | write |")
lines.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for s in sizes:
    floor = best.get((s, "floor-t2"))
    for c in configs:
        r = best.get((s, c))
        if r is None:
            continue
        wall = float(r["wall_s"]); nbytes = int(r["bytes"]); rss = int(r["rss_kb"]) * 1024
        mbps = nbytes / 1e6 / wall if wall > 0 else 0.0
        ratio = "1" if c.startswith("floor") else (
            f"{(float(floor['wall_s']) / wall):.3f}" if floor and wall > 0 else "-")
        p = phases(r["phases"]) if c.startswith("dedup") else {}
        ph = [f"{p[k]:.2f}" if k in p else "-" for k in ("read", "count lines", "fingerprint", "cluster", "blocks", "write")]
        lines.append(f"| {s} MB | {c} | {wall:.2f} | {mbps:.1f} | {ratio} | {rss / 2**20:.0f} | {rss / nbytes:.2f} | "
                     f"{float(r['user_s']) + float(r['sys_s']):.2f} | {r['others_pct']} | " + " | ".join(ph) + " |")
table = "\n".join(lines)

lin = []
for c in configs:
    have = [s for s in sizes if (s, c) in best]
    for a, b in zip(have, have[1:]):
        ta, tb = float(best[(a, c)]["wall_s"]), float(best[(b, c)]["wall_s"])
        noisy = max(int(best[(a, c)]["others_pct"]), int(best[(b, c)]["others_pct"])) > 10
        lin.append(f"- {c}: time({b} MB) / time({a} MB) = {tb / ta:.2f} (size ratio {b / a:.0f}; "
                   f"{'linear' if tb / ta <= 1.1 * b / a else 'superlinear'}"
                   f"{'; other processes used > 10% of the CPUs during a run: rerun' if noisy else ''})")
linearity = "\n".join(lin) if lin else "- (one size only)"

now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
md = f"""# End-to-end benchmark, {now}

Produced by `scripts/bench_e2e.sh {' '.join(str(s) for s in sizes)}`; see bench/README.md for what each number means.

## Machine

- host: {os.environ['HOSTNAME_']}, kernel {os.environ['KERNEL']}
- CPU: {os.environ['CPU_MODEL']}, {os.environ['CPU_COUNT']} CPUs ({os.environ['CPU_TOPO']})
- RAM: {os.environ['MEM_TOTAL']}
- compiler: {os.environ['GXX']}, CMake Release (-O3 -g), baseline x86-64
- commit: {os.environ['COMMIT']}
- corpora: `gen_corpus.py --seed 1 --size-mb N` (generator hash {os.environ['GEN_HASH']}), cached in {os.environ['DATA']}
- other work on the machine slows wall time: the raw numbers give, per run, the 1-minute load average,
  the % of all CPUs busy during the second before it (the script waits for < DEDUP_BENCH_MAX_BUSY %) and
  the % that other processes used during it.

## Results (fastest run of each command)

MB = 10^6 bytes of docs.jsonl; ratio to floor = floor wall time / dedup wall time (1 = as fast as the floor).
Others' CPU % = CPU time other processes used during the run, as a share of all CPUs (above ~10%, distrust
the wall time). Phases (seconds) are from dedup's `--stats` line.

{table}

## Linearity

{linearity}

## Raw numbers

```
{open(os.environ['RAW']).read().rstrip()}
```

## Generator

```
{os.environ['GEN_LOG'].strip()}
```

## Program output (stdout and stderr of each run)

```
{open(os.environ['LOGS']).read().rstrip()}
```
"""
with open(out_path, "w") as f:
    f.write(md)
print(table)
print()
print("Linearity:")
print(linearity)
print(f"\nwritten: {out_path}")
PY
