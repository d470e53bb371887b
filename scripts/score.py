#!/usr/bin/env python3
"""Quality scorer for dedup --report output against ground truth.

    python3 scripts/score.py --truth DIR/truth.jsonl --input DIR/docs.jsonl \
        --report REPORT.jsonl [--json] [--explain N] [--min-pair-f1 0.9 ...]
    python3 scripts/score.py --labels ../shared/corpora/clough_stevenson/labels.tsv \
        --report REPORT.jsonl [--input docs.jsonl]
    python3 scripts/score.py --truth T --input D --oracle-report OUT   # perfect report

Report format (one JSON object per input document, in input order):
    {"id": "...", "action": "keep"|"drop", "dup_of": "<id>"|null,
     "similarity": 0.87|null,
     "removed": [{"start": 120, "end": 311, "reason": "boilerplate", ...}]}
start/end are byte offsets into the UTF-8 encoding of the document's text.
A predicted cluster is a kept document plus every document whose dup_of names it.

Figures (names usable as --min-NAME / --max-NAME floors, dashes or underscores):
  pair_precision, pair_recall, pair_f1   duplicate pairs (same cluster), counted
                                          through the cluster contingency table
  ari                                     adjusted Rand index
  lost_stories                            true clusters with no kept document
  kept_twice, extra_kept                  true clusters with >= 2 kept documents,
                                          and the kept documents beyond one
  fp_pairs, fn_pairs, hardneg_fp_pairs    false pairs; hard negatives = pairs
                                          touching an earnings/followup story
  bp_precision, bp_recall, bp_f1          boilerplate lines of KEPT documents; a
                                          line counts as removed when removed
                                          ranges cover >= 50% of its non-space
                                          bytes; blank lines are ignored
  content_loss                            removed non-space bytes of non-boilerplate
                                          lines / non-space bytes of those lines
                                          (kept documents)
  removed_share                           removed non-space bytes / all non-space
                                          bytes of kept documents
  ocr_pair_precision/recall/f1            pair figures restricted to the documents
                                          of true clusters that contain OCR documents
Ids that are URIs (WARC-Target-URI of --format wet corpora, https://host/ID)
are matched by their last path segment.
The report is validated first (one entry per document, same order and ids,
valid actions, dup_of naming a kept document, ranges in bounds, sorted and
disjoint); any violation exits with status 2. A failed floor exits with 1.

Leaves out: per-byte boilerplate truth (truth is per line), and boilerplate
figures when there is no --input or no boilerplate truth (--labels mode).
Stdlib only; .zst inputs are read with `zstd -dc`.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import subprocess
import sys
from pathlib import Path

WS = b" \t\r\n\f\v"


class ReportError(Exception):
    pass


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def read_lines(path: str) -> list[str]:
    if path.endswith(".zst"):
        proc = subprocess.run(["zstd", "-dc", path], capture_output=True)
        if proc.returncode:
            sys.exit(f"score.py: zstd -dc {path} failed: {proc.stderr.decode().strip()}")
        text = proc.stdout.decode("utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    return [ln for ln in text.split("\n") if ln.strip()]


def read_jsonl(path: str, what: str) -> list[dict]:
    out = []
    for n, ln in enumerate(read_lines(path), 1):
        try:
            obj = json.loads(ln)
        except json.JSONDecodeError as e:
            raise ReportError(f"{what} {path} line {n}: not JSON ({e})") from None
        if not isinstance(obj, dict):
            raise ReportError(f"{what} {path} line {n}: not a JSON object")
        out.append(obj)
    return out


def read_input(path: str, text_field: str, id_field: str) -> tuple[list[str], list[str], list[str]]:
    """(ids, texts, kinds) of the input documents; id = line number when absent."""
    ids, texts, kinds = [], [], []
    for n, d in enumerate(read_jsonl(path, "input"), 1):
        ids.append(str(d.get(id_field, n)))
        t = d.get(text_field)
        if not isinstance(t, str):
            sys.exit(f"score.py: input {path} line {n}: no string field {text_field!r}")
        texts.append(t)
        kinds.append(str(d.get("kind", "")))
    return ids, texts, kinds


def read_labels(path: str) -> dict[str, str]:
    labels = {}
    for n, ln in enumerate(read_lines(path), 1):
        parts = ln.rstrip("\r").split("\t")
        if len(parts) < 2:
            sys.exit(f"score.py: labels {path} line {n}: expected id<TAB>cluster")
        labels[parts[0]] = parts[1]
    return labels


def validate_report(report: list[dict], ids: list[str]) -> None:
    """Raise ReportError on anything that breaks the report contract."""
    if len(report) != len(ids):
        raise ReportError(f"report has {len(report)} entries, input has {len(ids)} documents")
    seen = set()
    for n, (r, want) in enumerate(zip(report, ids), 1):
        rid = r.get("id")
        if not isinstance(rid, str):
            rid = str(rid)
        if rid != want:
            raise ReportError(f"entry {n}: id {rid!r}, expected {want!r} (order must match input)")
        if rid in seen:
            raise ReportError(f"entry {n}: duplicate id {rid!r}")
        seen.add(rid)
        if r.get("action") not in ("keep", "drop"):
            raise ReportError(f"entry {n} ({rid}): action {r.get('action')!r} is not keep|drop")
        removed = r.get("removed", [])
        if not isinstance(removed, list):
            raise ReportError(f"entry {n} ({rid}): removed is not a list")
        for rng in removed:
            if not (isinstance(rng, dict) and isinstance(rng.get("start"), int)
                    and isinstance(rng.get("end"), int)):
                raise ReportError(f"entry {n} ({rid}): bad removed range {rng!r}")
    kept = {r["id"] for r in report if r["action"] == "keep"}
    for n, r in enumerate(report, 1):
        dup = r.get("dup_of")
        if r["action"] == "drop":
            if dup not in kept:
                why = "is not a kept document" if dup is not None else "is missing"
                raise ReportError(f"entry {n} ({r['id']}): dropped, but dup_of {dup!r} {why}")
        elif dup is not None:
            raise ReportError(f"entry {n} ({r['id']}): kept, but dup_of is {dup!r}")


def uri_ids_to_doc_ids(report: list[dict], ids: list[str]) -> list[dict]:
    """Reports of WET input may use the WARC-Target-URI (https://host/d000123)
    as id: map such ids (and dup_of) to their last path segment when that is
    what the truth calls the document."""
    if not report or not ids or report[0].get("id") == ids[0]:
        return report
    first = str(report[0].get("id", ""))
    if not (first.startswith(("http://", "https://")) and first.rsplit("/", 1)[-1] == ids[0]):
        return report

    def last(x):
        return x.rsplit("/", 1)[-1] if isinstance(x, str) else x

    return [dict(r, id=last(r.get("id")), dup_of=last(r.get("dup_of"))) for r in report]


def validate_ranges(report: list[dict], texts: list[bytes]) -> None:
    for n, (r, b) in enumerate(zip(report, texts), 1):
        prev = 0
        for rng in r.get("removed", []):
            s, e = rng["start"], rng["end"]
            if not 0 <= s <= e <= len(b):
                raise ReportError(f"entry {n} ({r['id']}): range [{s},{e}) outside text "
                                  f"of {len(b)} bytes")
            if s < prev:
                raise ReportError(f"entry {n} ({r['id']}): ranges not sorted/disjoint at "
                                  f"[{s},{e})")
            prev = e


# ---------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------


def c2(n: int) -> int:
    return n * (n - 1) // 2


def prf(tp: float, n_pred: float, n_true: float) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty prediction (or truth) scores 1."""
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_true if n_true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pair_metrics(true: list[str], pred: list[str]) -> dict:
    cont = collections.Counter(zip(true, pred))
    tp = sum(c2(v) for v in cont.values())
    t_pairs = sum(c2(v) for v in collections.Counter(true).values())
    p_pairs = sum(c2(v) for v in collections.Counter(pred).values())
    p, r, f = prf(tp, p_pairs, t_pairs)
    total = c2(len(true))
    expected = t_pairs * p_pairs / total if total else 0.0
    top = (t_pairs + p_pairs) / 2
    ari = (tp - expected) / (top - expected) if top != expected else 1.0
    return {"pair_precision": p, "pair_recall": r, "pair_f1": f, "ari": ari,
            "tp_pairs": tp, "fp_pairs": p_pairs - tp, "fn_pairs": t_pairs - tp}


def cross_pairs(true: list[str], pred: list[str], keep) -> int:
    """Predicted pairs whose documents are in different true clusters, over the
    documents with keep(i) true."""
    cont = collections.Counter((pred[i], true[i]) for i in range(len(true)) if keep(i))
    size = collections.Counter(pred[i] for i in range(len(true)) if keep(i))
    return sum(c2(v) for v in size.values()) - sum(c2(v) for v in cont.values())


def line_metrics(texts: list[bytes], report: list[dict], bp_truth: list[set[int]] | None,
                 kept: list[bool]) -> dict:
    """Boilerplate line figures and content loss over kept documents."""
    tp = fp = fn = 0
    content_total = content_removed = all_total = all_removed = 0
    for b, r, k, i in zip(texts, report, kept, range(len(texts))):
        if not k:
            continue
        truth = bp_truth[i] if bp_truth is not None else set()
        ranges = [(x["start"], x["end"]) for x in r.get("removed", [])]
        j = 0
        pos = 0
        for li, line in enumerate(b.split(b"\n")):
            ls, le = pos, pos + len(line)
            pos = le + 1
            nonws = len(line.translate(None, WS))
            if not nonws:
                continue  # blank lines count for nothing
            while j < len(ranges) and ranges[j][1] <= ls:
                j += 1
            covered = 0
            q = j
            while q < len(ranges) and ranges[q][0] < le:
                s, e = max(ranges[q][0], ls), min(ranges[q][1], le)
                if s < e:
                    covered += len(line[s - ls:e - ls].translate(None, WS))
                q += 1
            all_total += nonws
            all_removed += covered
            is_bp = li in truth
            predicted = 2 * covered >= nonws
            if is_bp:
                tp += predicted
                fn += not predicted
            else:
                fp += predicted
                content_total += nonws
                content_removed += covered
    out = {"removed_share": all_removed / all_total if all_total else 0.0}
    if bp_truth is not None:
        p, r, f = prf(tp, tp + fp, tp + fn)
        out.update(bp_precision=p, bp_recall=r, bp_f1=f, bp_tp_lines=tp, bp_fp_lines=fp,
                   bp_fn_lines=fn,
                   content_loss=content_removed / content_total if content_total else 0.0)
    return out


def score(report: list[dict], ids: list[str], true: list[str], texts: list[bytes] | None,
          bp_truth: list[set[int]] | None, ocr: list[bool] | None,
          kinds: list[str] | None) -> tuple[dict, list[str]]:
    """All figures, plus the predicted cluster (its kept document's id) per doc."""
    pred = [r["id"] if r["action"] == "keep" else r["dup_of"] for r in report]
    kept = [r["action"] == "keep" for r in report]
    m: dict = {"docs": len(ids), "kept": sum(kept), "dropped": len(ids) - sum(kept),
               "true_clusters": len(set(true)), "pred_clusters": len(set(pred))}
    m.update(pair_metrics(true, pred))
    kept_per = collections.Counter(t for t, k in zip(true, kept) if k)
    m["lost_stories"] = sum(1 for t in set(true) if kept_per[t] == 0)
    m["kept_twice"] = sum(1 for v in kept_per.values() if v >= 2)
    m["extra_kept"] = sum(v - 1 for v in kept_per.values() if v >= 2)
    if kinds and any(kinds):
        hard = {t for t, k in zip(true, kinds) if k.startswith(("earnings", "followup"))}
        m["hardneg_fp_pairs"] = m["fp_pairs"] - cross_pairs(
            true, pred, lambda i: true[i] not in hard)
    if ocr is not None and any(ocr):
        ocr_clusters = {t for t, o in zip(true, ocr) if o}
        sub = [i for i, t in enumerate(true) if t in ocr_clusters]
        om = pair_metrics([true[i] for i in sub], [pred[i] for i in sub])
        m.update({"ocr_docs": sum(ocr), "ocr_pair_precision": om["pair_precision"],
                  "ocr_pair_recall": om["pair_recall"], "ocr_pair_f1": om["pair_f1"]})
    if texts is not None:
        m.update(line_metrics(texts, report, bp_truth, kept))
    return m, pred


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

TABLE = [
    ("documents", "docs", "d"), ("kept / dropped", ("kept", "dropped"), "d"),
    ("true / predicted clusters", ("true_clusters", "pred_clusters"), "d"),
    ("pair precision", "pair_precision", "f"), ("pair recall", "pair_recall", "f"),
    ("pair F1", "pair_f1", "f"), ("adjusted Rand index", "ari", "f"),
    ("false / missed pairs", ("fp_pairs", "fn_pairs"), "d"),
    ("false pairs on hard negatives", "hardneg_fp_pairs", "d"),
    ("lost stories (must be 0)", "lost_stories", "d"),
    ("clusters kept twice / extra kept", ("kept_twice", "extra_kept"), "d"),
    ("OCR clusters: pair P / R / F1", ("ocr_pair_precision", "ocr_pair_recall",
                                       "ocr_pair_f1"), "f"),
    ("boilerplate line precision", "bp_precision", "f"),
    ("boilerplate line recall", "bp_recall", "f"),
    ("boilerplate line F1", "bp_f1", "f"),
    ("content loss", "content_loss", "p"),
    ("removed share of kept text", "removed_share", "p"),
]


def print_table(m: dict) -> None:
    def fmt(v, kind):
        return (f"{v:.4f}" if kind == "f" else f"{100 * v:.3f}%" if kind == "p" else str(v))

    for label, keys, kind in TABLE:
        keys = keys if isinstance(keys, tuple) else (keys,)
        if not all(k in m for k in keys):
            continue
        print(f"  {label:<36} {' / '.join(fmt(m[k], kind) for k in keys)}")


def explain(n: int, ids: list[str], true: list[str], pred: list[str], report: list[dict],
            texts: list[bytes] | None, bp_truth, kinds: list[str] | None) -> None:
    """Print up to n false-positive and n false-negative pairs."""
    rnd = random.Random(0)

    def label(i: int) -> str:
        sim = report[i].get("similarity")
        parts = [ids[i], f"true={true[i]}", f"pred={pred[i]}"]
        if kinds and kinds[i]:
            parts.append(kinds[i])
        if sim is not None:
            parts.append(f"sim={sim}")
        if texts is not None:
            bp = bp_truth[i] if bp_truth else set()
            first = next((ln for k, ln in enumerate(texts[i].split(b"\n"))
                          if ln.strip() and k not in bp), b"")
            parts.append(repr(first.decode("utf-8", "replace")[:60]))
        return "  ".join(parts)

    def pairs(group_by: list[str], split_by: list[str]) -> list[tuple[int, int]]:
        groups = collections.defaultdict(list)
        for i, g in enumerate(group_by):
            groups[g].append(i)
        out = []
        for members in groups.values():
            by = collections.defaultdict(list)
            for i in members:
                by[split_by[i]].append(i)
            if len(by) > 1:
                parts = sorted(by.values())
                out.append((parts[0][0], parts[1][0]))
        rnd.shuffle(out)
        return sorted(out[:n])

    print("\nFalse positives (same predicted cluster, different stories):")
    for a, b in pairs(pred, true):
        print(f"  {label(a)}\n    ~ {label(b)}")
    print("\nFalse negatives (same story, different predicted clusters):")
    for a, b in pairs(true, pred):
        print(f"  {label(a)}\n    ~ {label(b)}")


def oracle_report(ids: list[str], true: list[str], texts: list[bytes] | None,
                  bp_truth: list[set[int]] | None) -> list[dict]:
    """The perfect report: first document of each story kept, boilerplate
    lines removed (byte ranges of the lines, without their newline)."""
    first: dict[str, str] = {}
    out = []
    for i, (doc_id, t) in enumerate(zip(ids, true)):
        removed = []
        if texts is not None and bp_truth:
            pos = 0
            for li, line in enumerate(texts[i].split(b"\n")):
                if li in bp_truth[i]:
                    removed.append({"start": pos, "end": pos + len(line),
                                    "reason": "boilerplate"})
                pos += len(line) + 1
        if t in first:
            out.append({"id": doc_id, "action": "drop", "dup_of": first[t],
                        "similarity": 1.0, "removed": removed})
        else:
            first[t] = doc_id
            out.append({"id": doc_id, "action": "keep", "dup_of": None,
                        "similarity": None, "removed": removed})
    return out


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def split_floors(argv: list[str]) -> tuple[list[str], list[tuple[str, str, float]]]:
    """Pull --min-NAME[=]V / --max-NAME[=]V out of argv."""
    rest, floors = [], []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith(("--min-", "--max-")):
            name, eq, val = a[6:].partition("=")
            if not eq:
                if i + 1 >= len(argv):
                    sys.exit(f"score.py: {a} needs a value")
                i += 1
                val = argv[i]
            try:
                floors.append((a[2:5], name.replace("-", "_"), float(val)))
            except ValueError:
                sys.exit(f"score.py: {a}: {val!r} is not a number")
        else:
            rest.append(a)
        i += 1
    return rest, floors


def main(argv: list[str] | None = None) -> int:
    argv, floors = split_floors(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(
        description="Score a dedup --report against ground truth (see module docstring).",
        epilog="Floors: --min-NAME V / --max-NAME V for any figure, e.g. "
               "--min-pair-f1 0.9 --max-content-loss 0.01 --max-lost-stories 0")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--truth", help="truth.jsonl from gen_corpus.py")
    src.add_argument("--labels", help="id<TAB>cluster file (no boilerplate truth)")
    ap.add_argument("--input", help="the documents (JSONL, .zst ok): needed for "
                                    "boilerplate figures and range checks")
    ap.add_argument("--report", help="the tool's --report JSONL")
    ap.add_argument("--oracle-report", metavar="OUT",
                    help="write the perfect report for --truth/--labels and exit")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--explain", type=int, default=0, metavar="N",
                    help="print N sample false-positive and false-negative pairs")
    args = ap.parse_args(argv)
    if not args.report and not args.oracle_report:
        ap.error("--report (or --oracle-report) is required")

    try:
        texts = kinds = None
        bp_truth = ocr = None
        if args.input:
            in_ids, raw, kinds = read_input(args.input, args.text_field, args.id_field)
            texts = [t.encode("utf-8") for t in raw]
            del raw
        if args.truth:
            truth = read_jsonl(args.truth, "truth")
            ids = [str(t["id"]) for t in truth]
            true = [str(t["cluster"]) for t in truth]
            if all("boilerplate_lines" in t for t in truth):
                bp_truth = [set(t["boilerplate_lines"]) for t in truth]
            if any("ocr" in t for t in truth):
                ocr = [bool(t.get("ocr")) for t in truth]
            if texts is not None and in_ids != ids:
                raise ReportError("input and truth list different ids (or order)")
        else:
            labels = read_labels(args.labels)
            if args.input:
                ids = in_ids
            elif args.report:
                ids = [str(r.get("id")) for r in read_jsonl(args.report, "report")]
            else:
                ids = list(labels)
            missing = [i for i in ids if i not in labels]
            if missing or len(ids) != len(labels):
                raise ReportError(f"labels and documents differ: {len(missing)} ids without a "
                                  f"label (e.g. {missing[:3]}), {len(labels)} labels for "
                                  f"{len(ids)} documents")
            true = [labels[i] for i in ids]

        if args.oracle_report:
            with open(args.oracle_report, "w", encoding="utf-8") as fh:
                for r in oracle_report(ids, true, texts, bp_truth):
                    fh.write(json.dumps(r) + "\n")
            print(f"score.py: wrote perfect report for {len(ids)} documents to "
                  f"{args.oracle_report}", file=sys.stderr)
            return 0

        report = uri_ids_to_doc_ids(read_jsonl(args.report, "report"), ids)
        validate_report(report, ids)
        if texts is not None:
            validate_ranges(report, texts)
    except ReportError as e:
        print(f"score.py: INVALID REPORT: {e}", file=sys.stderr)
        return 2

    m, pred = score(report, ids, true, texts, bp_truth, ocr, kinds)

    failures = []
    for op, name, val in floors:
        if name not in m:
            print(f"score.py: --{op}-{name.replace('_', '-')}: figure not available here "
                  f"(have: {', '.join(sorted(m))})", file=sys.stderr)
            return 2
        if (op == "min" and m[name] < val) or (op == "max" and m[name] > val):
            failures.append(f"{name} = {m[name]:.6g} ({'below' if op == 'min' else 'above'} "
                            f"the {op} {val:g})")

    if args.json:
        print(json.dumps({k: (round(v, 6) if isinstance(v, float) else v)
                          for k, v in m.items()}))
    else:
        print(f"score of {args.report} against {args.truth or args.labels}")
        print_table(m)
    if args.explain:
        explain(args.explain, ids, true, pred, report, texts, bp_truth, kinds)
    if failures:
        for f in failures:
            print(f"score.py: FAIL: {f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
