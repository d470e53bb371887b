#!/usr/bin/env bash
# Builds dedup, runs it on the bundled news corpus and shows what it removed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
mkdir -p out
./build/dedup corpora/news_small/docs.jsonl -o out/news_small.clean.jsonl --report out/news_small.report.jsonl --stats
echo
echo "== quality against the corpus's ground truth"
python3 scripts/score.py --truth corpora/news_small/truth.jsonl --input corpora/news_small/docs.jsonl \
  --report out/news_small.report.jsonl
echo
echo "== first dropped documents (id, kept original, similarity)"
grep -m 5 '"drop"' out/news_small.report.jsonl | cut -c1-160
echo "cleaned corpus: out/news_small.clean.jsonl   report: out/news_small.report.jsonl"
