#!/usr/bin/env bash
# CI quality floor: runs dedup on the bundled generated corpus and fails when
# a figure drops below its floor. Floors sit a little under the figures
# measured when they were set (QUALITY.md), so a regression trips them.
set -euo pipefail
cd "$(dirname "$0")/.."
dedup=${1:-build/dedup}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$dedup" -q corpora/news_small/docs.jsonl --report "$tmp/report.jsonl" > "$tmp/out.jsonl"
python3 scripts/score.py --truth corpora/news_small/truth.jsonl --input corpora/news_small/docs.jsonl \
  --report "$tmp/report.jsonl" \
  --min-pair-precision 0.99 --min-pair-f1 0.90 --min-ari 0.90 --max-lost-stories 0 \
  --min-bp-f1 0.90 --min-bp-precision 0.99 --max-content-loss 0.003
