#!/usr/bin/env python3
"""Runs dedup and the common-recipe reference on the quality corpora and
prints the markdown tables of QUALITY.md.

Corpora: the bundled corpora/news_small; a corpus generated from
../shared/corpora (when present) at --size-mb; clough_stevenson's labels;
bbc_news's silver duplicate list; top removed blocks on the unlabelled real
corpora. Leaves out timing (see bench/). Usage:
    python3 scripts/quality_report.py [--dedup build/dedup] [--size-mb 5] [--skip-reference]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "corpora")
FIGURES = [("pair_precision", "pair P"), ("pair_recall", "pair R"), ("pair_f1", "pair F1"), ("ari", "ARI"),
           ("lost_stories", "lost"), ("kept_twice", "kept twice"), ("ocr_pair_f1", "OCR pair F1"),
           ("bp_precision", "bp P"), ("bp_recall", "bp R"), ("bp_f1", "bp F1"), ("content_loss", "loss")]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def score(args):
    out = run([sys.executable, os.path.join(ROOT, "scripts/score.py"), "--json"] + args).stdout
    return json.loads(out)


def fmt(key, value):
    if value is None:
        return "-"
    if key == "content_loss":
        return f"{100 * value:.3f}%"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def table(rows):
    keys = [k for k, _ in FIGURES if any(k in r for _, r in rows)]
    print("| corpus, tool | " + " | ".join(dict(FIGURES)[k] for k in keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for name, r in rows:
        print(f"| {name} | " + " | ".join(fmt(k, r.get(k)) for k in keys) + " |")
    print()


def tools(dedup, docs, tmp, skip_reference, extra=()):
    reports = {}
    rep = os.path.join(tmp, "dedup.jsonl")
    run([dedup, "-q", docs, "--report", rep, "-o", os.path.join(tmp, "out.jsonl")] + list(extra))
    reports["dedup (defaults)"] = rep
    if not skip_reference:
        ref = os.path.join(tmp, "reference.jsonl")
        run([sys.executable, os.path.join(ROOT, "scripts/reference_dedup.py"), "--input", docs, "--report", ref])
        reports["reference (line freq >= 10 + MinHash 0.8)"] = ref
    return reports


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dedup", default=os.path.join(ROOT, "build/dedup"))
    ap.add_argument("--size-mb", type=float, default=5)
    ap.add_argument("--skip-reference", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        corpora = [("news_small (bundled, 1 MB)", os.path.join(ROOT, "corpora/news_small"))]
        if os.path.isdir(SHARED):
            gen = os.path.join(tmp, "gen")
            run([sys.executable, os.path.join(ROOT, "scripts/gen_corpus.py"), "--seed", "1", "--size-mb",
                 str(args.size_mb), "--out", gen])
            corpora.append((f"generated from shared base ({args.size_mb:g} MB, seed 1)", gen))
        for name, d in corpora:
            docs = os.path.join(d, "docs.jsonl")
            for tool, rep in tools(args.dedup, docs, tmp, args.skip_reference).items():
                rows.append((f"{name}, {tool}",
                             score(["--truth", os.path.join(d, "truth.jsonl"), "--input", docs, "--report", rep])))
        print("### Generated news corpora (ground truth)\n")
        table(rows)
        if not os.path.isdir(SHARED):
            print("(../shared/corpora absent: real-corpus tables skipped)")
            return
        cs = os.path.join(SHARED, "clough_stevenson")
        rows = []
        for tool, rep in tools(args.dedup, os.path.join(cs, "docs.jsonl"), tmp, args.skip_reference).items():
            for labels in ("labels.tsv", "labels_strict.tsv"):
                rows.append((f"clough_stevenson {labels}, {tool}",
                             score(["--labels", os.path.join(cs, labels), "--report", rep])))
        print("### clough_stevenson (real labels; partial reuse more than near-duplicates)\n")
        table(rows)


if __name__ == "__main__":
    main()
