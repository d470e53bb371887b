#!/usr/bin/env python3
"""Self-tests for the Python scripts (generator, scorer, reference baseline).

    python3 -m unittest discover -s tests/scripts -v      # from the repo root

Fast (about half a minute); stdlib only; uses the bundled corpora, never
../shared/corpora.
"""
from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
sys.path.insert(0, str(SCRIPTS))

import score  # noqa: E402
import text_sources  # noqa: E402


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    # Each script here finishes in seconds: a hang fails the test.
    proc = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln]


def write_jsonl(path: Path, rows) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def shingles(text: str) -> set[str]:
    w = re.findall(r"\w+", text.lower())
    return {" ".join(w[i:i + 5]) for i in range(max(1, len(w) - 4))}


class TextSourcesTest(unittest.TestCase):
    def test_bundled_base_is_regenerable_and_distinct(self):
        path = REPO / "corpora" / "base_articles.jsonl"
        stored = read_jsonl(path)
        self.assertEqual(stored, text_sources.generate_articles(7, 150),
                         "corpora/base_articles.jsonl differs from text_sources.py output; "
                         "regenerate it (see corpora/README.md)")
        for a in stored:
            self.assertTrue(400 <= len(a["text"]) <= 3000, a["id"])
            self.assertTrue(3 <= a["text"].count("\n\n") <= 12, a["id"])
        sets = [shingles(a["text"]) for a in stored]
        worst = max(len(x & y) / len(x | y) for x, y in itertools.combinations(sets, 2))
        self.assertLess(worst, 0.1)


class GenCorpusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.tmp.name)
        # 16 jobs: more workers than batches, some results still in flight
        # when the generator stops (its pool's shutdown once hung there).
        for name, jobs in (("a", "1"), ("b", "2"), ("c", "16")):
            run(SCRIPTS / "gen_corpus.py", "--base", "bundled", "--seed", "5", "--size-mb",
                "0.4", "--format", "wet", "--out", cls.dir / name, "--jobs", jobs)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_deterministic_for_any_jobs(self):
        for other in ("b", "c"):
            for f in ("docs.jsonl", "truth.jsonl", "docs.warc.wet"):
                self.assertEqual((self.dir / "a" / f).read_bytes(), (self.dir / other / f).read_bytes(),
                                 f"{f}, jobs 1 and run {other}")

    def test_bundled_news_small_is_regenerable(self):
        out = self.dir / "news_small"
        run(SCRIPTS / "gen_corpus.py", "--base", "bundled", "--seed", "1", "--size-mb", "1",
            "--out", out)
        for f in ("docs.jsonl", "truth.jsonl"):
            self.assertEqual((out / f).read_bytes(),
                             (REPO / "corpora" / "news_small" / f).read_bytes(),
                             f"corpora/news_small/{f} is stale; regenerate it "
                             "(see corpora/README.md)")

    def test_truth_matches_docs(self):
        docs = read_jsonl(self.dir / "a" / "docs.jsonl")
        truth = read_jsonl(self.dir / "a" / "truth.jsonl")
        self.assertEqual([d["id"] for d in docs], [t["id"] for t in truth])
        self.assertEqual(len({d["id"] for d in docs}), len(docs))
        kinds = {d["kind"] for d in docs}
        self.assertTrue({"story", "copy", "earnings"} <= kinds, kinds)
        for d, t in zip(docs, truth):
            lines = d["text"].split("\n")
            for i in t["boilerplate_lines"]:
                self.assertTrue(lines[i].strip(), f"{d['id']}: blank boilerplate line {i}")
            self.assertEqual(t["boilerplate_lines"], sorted(set(t["boilerplate_lines"])))
            self.assertIsInstance(t["ocr"], bool)
        self.assertGreater(len({t["cluster"] for t in truth}), len(truth) // 4)

    def test_wet_records_carry_the_texts(self):
        raw = (self.dir / "a" / "docs.warc.wet").read_bytes()
        docs = read_jsonl(self.dir / "a" / "docs.jsonl")
        pos, records = 0, []
        while pos < len(raw):
            end = raw.index(b"\r\n\r\n", pos)
            head = raw[pos:end].decode().split("\r\n")
            self.assertEqual(head[0], "WARC/1.0")
            h = dict(ln.split(": ", 1) for ln in head[1:])
            n = int(h["Content-Length"])
            records.append((h, raw[end + 4:end + 4 + n]))
            self.assertEqual(raw[end + 4 + n:end + 8 + n], b"\r\n\r\n")
            pos = end + 8 + n
        self.assertEqual(records[0][0]["WARC-Type"], "warcinfo")
        self.assertEqual(len(records) - 1, len(docs))
        for (h, body), d in zip(records[1:], docs):
            self.assertEqual(h["WARC-Target-URI"], f"https://{d['source']}/{d['id']}")
            self.assertEqual(body.decode("utf-8"), d["text"])


class ScoreTest(unittest.TestCase):
    NEWS = REPO / "corpora" / "news_small"

    def test_oracle_scores_perfectly(self):
        with tempfile.TemporaryDirectory() as tmp:
            rep = Path(tmp) / "oracle.jsonl"
            run(SCRIPTS / "score.py", "--truth", self.NEWS / "truth.jsonl", "--input",
                self.NEWS / "docs.jsonl", "--oracle-report", rep)
            out = run(SCRIPTS / "score.py", "--truth", self.NEWS / "truth.jsonl", "--input",
                      self.NEWS / "docs.jsonl", "--report", rep, "--json", "--min-pair-f1", "1",
                      "--min-bp-f1=1", "--max-content-loss", "0", "--max-lost-stories", "0")
            m = json.loads(out.stdout)
            for k in ("pair_f1", "ari", "bp_f1", "ocr_pair_f1"):
                self.assertEqual(m[k], 1.0, k)
            self.assertEqual((m["content_loss"], m["lost_stories"], m["extra_kept"]), (0, 0, 0))

    def test_pair_metrics_by_hand(self):
        true = ["a", "a", "a", "b", "b", "c"]
        pred = ["x", "x", "y", "y", "y", "z"]
        m = score.pair_metrics(true, pred)
        # true pairs: 3 (a) + 1 (b) = 4; predicted: 1 (x) + 3 (y) = 4; shared: 1 + 1
        self.assertEqual((m["tp_pairs"], m["fp_pairs"], m["fn_pairs"]), (2, 2, 2))
        self.assertAlmostEqual(m["pair_f1"], 0.5)
        expected = 4 * 4 / 15
        self.assertAlmostEqual(m["ari"], (2 - expected) / (4 - expected))

    def _report(self, tmp: str, rows: list[dict], *extra: str) -> subprocess.CompletedProcess:
        truth = Path(tmp) / "truth.jsonl"
        docs = Path(tmp) / "docs.jsonl"
        write_jsonl(truth, [{"id": "1", "cluster": "s1", "boilerplate_lines": [0], "ocr": False},
                            {"id": "2", "cluster": "s1", "boilerplate_lines": [0], "ocr": False},
                            {"id": "3", "cluster": "s2", "boilerplate_lines": [], "ocr": True}])
        write_jsonl(docs, [{"id": "1", "text": "Menu\nStory one body."},
                           {"id": "2", "text": "Menu\nStory one body!"},
                           {"id": "3", "text": "Story two."}])
        rep = Path(tmp) / "report.jsonl"
        write_jsonl(rep, rows)
        return run(SCRIPTS / "score.py", "--truth", truth, "--input", docs, "--report", rep,
                   "--json", *extra, check=False)

    def test_validation_and_floors(self):
        keep = lambda i, removed=(): {"id": i, "action": "keep", "dup_of": None,  # noqa: E731
                                      "similarity": None, "removed": list(removed)}
        good = [keep("1", [{"start": 0, "end": 5}]),
                {"id": "2", "action": "drop", "dup_of": "1", "similarity": 0.9, "removed": []},
                keep("3", [{"start": 6, "end": 10}])]
        with tempfile.TemporaryDirectory() as tmp:
            ok = self._report(tmp, good)
            self.assertEqual(ok.returncode, 0, ok.stderr)
            m = json.loads(ok.stdout)
            self.assertEqual((m["pair_f1"], m["bp_f1"]), (1.0, 1.0))
            self.assertAlmostEqual(m["content_loss"], 4 / 22, places=5)  # "two." of 22 bytes
            fail = self._report(tmp, good, "--max-content-loss", "0.01")
            self.assertEqual(fail.returncode, 1)
            self.assertIn("content_loss", fail.stderr)
            bad_cases = [
                good[:2],                                                     # missing entry
                [good[1], good[0], good[2]],                                  # order
                [good[0], dict(good[1], dup_of="3x"), good[2]],               # unknown dup_of
                [dict(good[0], action="drop", dup_of="2"),
                 dict(good[1], action="drop", dup_of="1"), good[2]],          # dup_of dropped doc
                [keep("1", [{"start": 0, "end": 99}]), good[1], good[2]],     # out of range
            ]
            for rows in bad_cases:
                proc = self._report(tmp, rows)
                self.assertEqual(proc.returncode, 2, rows)
                self.assertIn("INVALID REPORT", proc.stderr)


class ReferenceDedupTest(unittest.TestCase):
    def test_boilerplate_and_duplicates(self):
        body = " ".join(f"word{i}" for i in range(60))
        docs = []
        for i in range(12):
            text = f"Site menu line\n{body} unique{i}" if i < 3 else \
                f"Site menu line\nstory {i} " + " ".join(f"w{i}x{k}" for k in range(40))
            docs.append({"id": f"d{i}", "text": text})
        with tempfile.TemporaryDirectory() as tmp:
            inp, rep = Path(tmp) / "in.jsonl", Path(tmp) / "rep.jsonl"
            write_jsonl(inp, docs)
            run(SCRIPTS / "reference_dedup.py", "--input", inp, "--report", rep)
            report = read_jsonl(rep)
        self.assertEqual([r["action"] for r in report[:4]], ["keep", "drop", "drop", "keep"])
        self.assertEqual(report[1]["dup_of"], "d0")
        for r in report:
            self.assertEqual([(x["start"], x["end"]) for x in r["removed"]], [(0, 15)])


if __name__ == "__main__":
    unittest.main()
