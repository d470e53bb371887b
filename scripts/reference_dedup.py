#!/usr/bin/env python3
"""The "common recipe" baseline: exact-line boilerplate + plain MinHash LSH.

    python3 scripts/reference_dedup.py --input docs.jsonl --report REPORT.jsonl \
        [--text-field text] [--id-field id] [--min-docs 10] [--threshold 0.8] \
        [--num-perm 128] [--output clean.jsonl]

What it does
  1. Boilerplate: a line (compared after stripping surrounding whitespace)
     that occurs in >= --min-docs documents is boilerplate; its byte range
     (with its newline) is removed from every document. No near matching, and
     it counts documents, not stories.
  2. Duplicates: MinHash over word 5-gram shingles (lower-cased \\w+ words) of
     the text left after step 1, --num-perm permutations, LSH banding tuned
     for --threshold (like datasketch's optimal parameters), keep first: a
     document is dropped when its estimated Jaccard with an already kept
     candidate is >= --threshold (dup_of = the most similar one).
  Writes the same --report JSON Lines as the dedup tool (see scripts/score.py),
  and with --output the kept documents with boilerplate removed.

Leaves out: containment (trimmed copies), near-identical boilerplate lines,
character shingles for unspaced scripts, streaming (everything is in memory),
speed (pure Python, a few ms per document; meant for small corpora).
Stdlib only; .zst inputs are read with `zstd -dc`.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import random
import re
import subprocess
import sys
import time

MERSENNE = (1 << 61) - 1
MAX_HASH = (1 << 32) - 1
WORD = re.compile(r"\w+")


def read_docs(path: str, text_field: str, id_field: str) -> list[tuple[str, str, dict]]:
    """(id, text, record) per JSONL line; id = 1-based line number when absent."""
    if path.endswith(".zst"):
        proc = subprocess.run(["zstd", "-dc", path], capture_output=True)
        if proc.returncode:
            sys.exit(f"reference_dedup: zstd -dc {path} failed")
        lines = proc.stdout.decode("utf-8").split("\n")
    else:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
    docs = []
    for n, ln in enumerate(lines, 1):
        if not ln.strip():
            continue
        rec = json.loads(ln)
        text = rec.get(text_field)
        if not isinstance(text, str):
            sys.exit(f"reference_dedup: {path} line {n}: no string field {text_field!r}")
        docs.append((str(rec.get(id_field, n)), text, rec))
    return docs


# ---------------------------------------------------------------------------
# Step 1: exact-line boilerplate
# ---------------------------------------------------------------------------


def line_spans(b: bytes) -> list[tuple[int, int, bytes]]:
    """(start, end, stripped content) per line; end includes the newline."""
    out = []
    pos = 0
    for line in b.split(b"\n"):
        end = pos + len(line)
        out.append((pos, min(end + 1, len(b)), line.strip()))
        pos = end + 1
    return out


def find_boilerplate(texts: list[bytes], min_docs: int) -> dict[bytes, tuple[int, int]]:
    """{stripped line: (block number, documents containing it)} for lines in
    at least min_docs documents; block numbers follow first occurrence."""
    counts: collections.Counter[bytes] = collections.Counter()
    for b in texts:
        counts.update({ln for _, _, ln in line_spans(b) if ln})
    blocks: dict[bytes, tuple[int, int]] = {}
    for b in texts:
        for _, _, ln in line_spans(b):
            if ln and counts[ln] >= min_docs and ln not in blocks:
                blocks[ln] = (len(blocks), counts[ln])
    return blocks


def removed_ranges(b: bytes, blocks: dict) -> list[dict]:
    """Byte ranges of boilerplate lines; adjacent lines of the same block run
    are merged into one range (block/stories of the first line)."""
    out: list[dict] = []
    for start, end, ln in line_spans(b):
        if ln in blocks:
            if out and out[-1]["end"] == start:
                out[-1]["end"] = end
            else:
                block, docs = blocks[ln]
                out.append({"start": start, "end": end, "reason": "boilerplate",
                            "block": block, "stories": docs})
    return out


def cut(b: bytes, ranges: list[dict]) -> bytes:
    parts, pos = [], 0
    for r in ranges:
        parts.append(b[pos:r["start"]])
        pos = r["end"]
    parts.append(b[pos:])
    return b"".join(parts)


# ---------------------------------------------------------------------------
# Step 2: MinHash LSH, keep first
# ---------------------------------------------------------------------------


def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positive + false negative probability
    mass around the threshold, as datasketch does (equal weights)."""
    def integrate(f, a, b, steps=200):
        h = (b - a) / steps
        return sum(f(a + (k + 0.5) * h) for k in range(steps)) * h

    best, best_err = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = integrate(lambda s: 1 - (1 - s ** r) ** b, 0.0, threshold)
            fn = integrate(lambda s: 1 - (1 - (1 - s ** r) ** b), threshold, 1.0)
            if fp + fn < best_err:
                best, best_err = (b, r), fp + fn
    return best


class MinHasher:
    def __init__(self, num_perm: int, seed: int):
        rnd = random.Random(seed)
        self.perms = [(rnd.randrange(1, MERSENNE), rnd.randrange(0, MERSENNE))
                      for _ in range(num_perm)]

    def signature(self, text: str, n: int = 5) -> tuple[int, ...] | None:
        words = WORD.findall(text.lower())
        if not words:
            return None
        grams = {" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}
        hs = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
              for g in grams]
        return tuple(min((a * h + b) % MERSENNE for h in hs) & MAX_HASH
                     for a, b in self.perms)


def jaccard_estimate(s1: tuple[int, ...], s2: tuple[int, ...]) -> float:
    return sum(x == y for x, y in zip(s1, s2)) / len(s1)


def main() -> int:
    ap = argparse.ArgumentParser(description="Common-recipe dedup baseline (see docstring).")
    ap.add_argument("--input", required=True, help="JSONL (.zst ok)")
    ap.add_argument("--report", required=True, help="report JSONL to write")
    ap.add_argument("--output", help="also write kept documents, boilerplate removed")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--min-docs", type=int, default=10,
                    help="a line in this many documents is boilerplate (0: off)")
    ap.add_argument("--threshold", type=float, default=0.8, help="Jaccard threshold")
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--ngram", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    t0 = time.time()
    docs = read_docs(args.input, args.text_field, args.id_field)
    texts = [t.encode("utf-8") for _, t, _ in docs]
    blocks = find_boilerplate(texts, args.min_docs) if args.min_docs > 0 else {}
    bands, rows = optimal_bands(args.threshold, args.num_perm)
    hasher = MinHasher(args.num_perm, args.seed)
    buckets: list[dict[tuple, list[int]]] = [collections.defaultdict(list) for _ in range(bands)]
    sigs: list[tuple[int, ...] | None] = []
    entries = []
    n_drop = 0
    for i, ((doc_id, _, _), b) in enumerate(zip(docs, texts)):
        removed = removed_ranges(b, blocks) if blocks else []
        sig = hasher.signature(cut(b, removed).decode("utf-8", "replace"), args.ngram)
        sigs.append(sig)
        best, best_sim = None, -1.0
        if sig is not None:
            keys = [sig[k * rows:(k + 1) * rows] for k in range(bands)]
            cands = {j for k, key in enumerate(keys) for j in buckets[k].get(key, ())}
            for j in sorted(cands):
                sim = jaccard_estimate(sig, sigs[j])
                if sim > best_sim:
                    best, best_sim = j, sim
        if best is not None and best_sim >= args.threshold:
            n_drop += 1
            entries.append({"id": doc_id, "action": "drop", "dup_of": docs[best][0],
                            "similarity": round(best_sim, 4), "removed": removed})
        else:
            if sig is not None:
                for k, key in enumerate(keys):
                    buckets[k][key].append(i)
            entries.append({"id": doc_id, "action": "keep", "dup_of": None,
                            "similarity": None, "removed": removed})

    with open(args.report, "w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            for (doc_id, _, rec), b, e in zip(docs, texts, entries):
                if e["action"] == "keep":
                    rec = dict(rec)
                    rec[args.text_field] = cut(b, e["removed"]).decode("utf-8")
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"reference_dedup: {len(docs)} docs, {n_drop} dropped, {len(blocks)} boilerplate "
          f"lines (in >= {args.min_docs} docs), LSH {bands}x{rows}, "
          f"{time.time() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
