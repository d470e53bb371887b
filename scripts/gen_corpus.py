#!/usr/bin/env python3
"""Seeded synthetic news corpus with ground truth for dedup benchmarks.

    python3 scripts/gen_corpus.py --seed 1 --size-mb 5 --out DIR \
        [--base auto|bundled|PATH] [--format jsonl|wet] [--ocr-share 0.1] \
        [--wire-share 0.25] [--no-hard-negatives]

What it does
  * Takes base stories (real ones from ../shared/corpora when present: BBC News
    and Reuters-21578 with the "Reuter" sign-off stripped; else the bundled
    corpora/base_articles.jsonl; or any JSONL with a "text" field).
  * Invents 20-60 outlets (host names like dailyherald-07.example), each with
    its own boilerplate (header, navigation, inline "Advertisement" /
    "READ ALSO:" blocks, footers with copyright, comment disclaimer, topics,
    share bar) that has variable slots (dates, counters, related headlines,
    topic lists), and its own style (paragraph separator, hard wrap, quotes,
    dateline).
  * Publishes every story once; a share of them are wire stories republished
    by 2-10 further outlets as near-duplicates (new headline, other dateline,
    trimmed, a paragraph dropped, word edits, typos, re-wrapped); some outlets
    add OCR noise. Hard negatives: templated earnings reports (each its own
    story) and follow-ups that reuse one paragraph of an earlier story.
  * Writes DIR/docs.jsonl ({"id","text","source","outlet","kind"}),
    DIR/truth.jsonl ({"id","cluster","boilerplate_lines","ocr"}, same order),
    and with --format wet also DIR/docs.warc.wet (warcinfo + one conversion
    record per document, WARC-Target-URI https://<source>/<id>).

Truth: "cluster" is the story id (s000123); "boilerplate_lines" lists the
0-based indexes of the lines of text.split("\\n") that the generator put there
as outlet boilerplate (never blank lines); "ocr" is true for documents of OCR
outlets. kind is story | copy | earnings | earnings-copy | followup |
followup-copy.

What it leaves out
  * OCR noise touches article text only, never the boilerplate lines.
  * Base stories that near-duplicate an earlier base story (sampled word
    5-gram containment >= 0.25) are skipped, so base stories are distinct;
    real paragraphs that recur across real stories are kept as content.
  * When the base stories run out (large --size-mb), later passes reuse them
    through a seeded letter cipher (vowels to vowels, consonants to
    consonants, digits to digits): pseudo-words with the same lengths, layout
    and word frequencies, sharing no shingles with the earlier passes.

Deterministic for a given seed and arguments; output is streamed (memory does
not grow with --size-mb). Stdlib only; .zst inputs are read with `zstd -dc`.
"""
from __future__ import annotations

import argparse
import base64
import bisect
import collections
import datetime as dt
import hashlib
import heapq
import itertools
import json
import math
import multiprocessing as mp
import os
import random
import re
import string
import subprocess
import sys
import time
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import text_sources as ts  # noqa: E402  (sibling module)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpora"
BUNDLED = REPO / "corpora" / "base_articles.jsonl"

MIN_BASE_CHARS = 400          # skip shorter base texts
MIN_CONTENT_CHARS = 350       # ... and those with less body text once parsed
ANCHOR_LETTERS = "sfmcbpd"    # sampled 5-grams start with a word starting so
NEARDUP_LIMIT = 0.25          # sampled containment that rejects a base story
COPY_WINDOW = 150             # copies appear within this many story slots

# ---------------------------------------------------------------------------
# Base stories
# ---------------------------------------------------------------------------


@dataclass
class Story:
    """The content of one story, before an outlet renders it."""
    headline: str
    paragraphs: list[str]
    city: str | None = None
    table: bool = False        # lines of a table: never joined or wrapped
    origin: str = ""           # base record id, for debugging


REUTER_SIGNOFF = re.compile(r"^\s*reuter\W*$", re.I)
DATELINE = re.compile(
    r"^([A-Z][A-Za-z .'&-]{1,40}?),\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2})\s+-\s*")
WORD = re.compile(r"\w+")


def _split_dateline(paragraphs: list[str]) -> str | None:
    """Strip a 'CITY, Mon D - ' dateline off the first paragraph; return city."""
    if not paragraphs:
        return None
    m = DATELINE.match(paragraphs[0])
    if not m:
        return None
    rest = paragraphs[0][m.end():].strip()
    if rest:
        paragraphs[0] = rest
    else:
        paragraphs.pop(0)
    city = m.group(1).strip()
    return city.title() if city.isupper() else city


def parse_indented(text: str) -> Story | None:
    """Reuters layout: title line, paragraphs start with an indented line,
    continuation lines are flush left; tables are rejected."""
    lines = text.replace("\r", "").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and REUTER_SIGNOFF.match(lines[-1]):
        lines.pop()
    if len(lines) < 2:
        return None
    paragraphs: list[str] = []
    cur: list[str] = []
    for ln in lines[1:]:
        stripped = ln.strip()
        if "   " in stripped or "\t" in stripped:
            return None  # column-aligned table: unusable as running text
        if not stripped or ln[0] in " \t":
            if cur:
                paragraphs.append(" ".join(cur))
            cur = [stripped] if stripped else []
        else:
            cur.append(stripped)
    if cur:
        paragraphs.append(" ".join(cur))
    city = _split_dateline(paragraphs)
    if not paragraphs:
        return None
    return Story(lines[0].strip(), paragraphs, city)


def parse_blocks(text: str) -> Story | None:
    """Blank-line separated text (BBC, bundled): first short block = headline;
    hard-wrapped blocks are joined, other multi-line blocks keep their lines."""
    text = text.replace("\r\n", "\n").strip("\n")
    blocks = [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    if len(blocks) < 2:
        return None
    head = blocks[0].strip()
    if "\n" in head or len(head) > 200:
        return None
    paragraphs: list[str] = []
    for b in blocks[1:]:
        lines = [ln.strip() for ln in b.split("\n") if ln.strip()]
        if len(lines) > 1 and all(50 <= len(ln) <= 100 for ln in lines[:-1]):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    city = _split_dateline(paragraphs)
    return Story(head, paragraphs, city) if paragraphs else None


def parse_base(text: str) -> Story | None:
    if re.search(r"\n[ \t]*\n", text.strip()):
        return parse_blocks(text)
    return parse_indented(text)


def read_jsonl(path: Path):
    """Yield dicts from a JSONL file; .zst is decompressed with `zstd -dc`."""
    if path.suffix == ".zst":
        proc = subprocess.run(["zstd", "-dc", str(path)], capture_output=True)
        if proc.returncode != 0:
            sys.exit(f"gen_corpus: zstd -dc {path} failed: {proc.stderr.decode().strip()}")
        lines = proc.stdout.decode("utf-8").splitlines()
    else:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    for line in lines:
        if line.strip():
            yield json.loads(line)


def load_base_records(spec: str) -> tuple[str, list[tuple[str, str, str | None]]]:
    """(description, [(record id, text, city hint)]) for --base."""
    if spec == "auto":
        real = [p for p in (SHARED / "bbc_news" / "docs.jsonl",
                            SHARED / "reuters21578" / "docs.jsonl.zst") if p.exists()]
        paths = real or [BUNDLED]
    elif spec == "bundled":
        paths = [BUNDLED]
    else:
        paths = [Path(spec)]
    records = []
    for p in paths:
        if not p.exists():
            sys.exit(f"gen_corpus: base file {p} not found")
        bbc = "bbc_news" in str(p)
        for i, rec in enumerate(read_jsonl(p)):
            text = rec.get("text")
            if not isinstance(text, str) or len(text) < MIN_BASE_CHARS:
                continue
            city = rec.get("city") or ("London" if bbc else None)
            records.append((str(rec.get("id", f"{p.name}:{i}")), text, city))
    if not records:
        sys.exit(f"gen_corpus: no usable base texts in {', '.join(map(str, paths))}")
    return ", ".join(str(p) for p in paths), records


def sampled_shingles(story: Story) -> set[int]:
    """crc32 of the word 5-grams whose first word starts with one of a few
    letters: a consistent sample of about 1 in 3 shingles of the story."""
    w = WORD.findall((story.headline + "\n" + "\n".join(story.paragraphs)).lower())
    return {zlib.crc32(" ".join(w[i:i + 5]).encode())
            for i in range(max(1, len(w) - 4)) if w[i][0] in ANCHOR_LETTERS}


def parse_record(rec: tuple[str, str, str | None]) -> tuple[Story | None, set[int]]:
    """Parse one base record and fingerprint it (runs in worker processes)."""
    rid, text, city = rec
    story = parse_base(text)
    if story is None or sum(map(len, story.paragraphs)) < MIN_CONTENT_CHARS:
        return None, set()
    story.city = story.city or city
    story.origin = rid
    return story, sampled_shingles(story)


def parse_records(recs: list) -> list[tuple[Story | None, set[int]]]:
    return [parse_record(r) for r in recs]


class BasePool:
    """Hands out distinct base stories in a seeded order.

    Pass 0 parses records (ahead of need, in the worker processes when there
    are some) and skips near-duplicates of stories already handed out (about
    1 in 3 word 5-grams, containment either way). Later passes reuse the
    accepted stories through a per-pass letter cipher.
    """

    CHUNK = 64

    def __init__(self, records, seed: int, executor=None, ahead: int = 4):
        self.records = records
        self.seed = seed
        order = list(range(len(records)))
        random.Random(f"{seed}:pool:0").shuffle(order)
        self.parsed = self._parse_ahead(order, executor, ahead)
        self.order: list[int] = []
        self.pos = 0
        self.epoch = 0
        self.accepted: list[Story] = []
        self.sample_sizes: list[int] = []
        self.index: dict[int, int] = {}
        self.skipped = 0
        self.cipher: dict[int, str] = {}

    def _parse_ahead(self, order: list[int], executor, ahead: int):
        """Yield parse_record() results in `order`; with an executor, up to
        `ahead` chunks are parsed in advance by the workers."""
        chunks = ([self.records[i] for i in order[k:k + self.CHUNK]]
                  for k in range(0, len(order), self.CHUNK))
        if executor is None:
            for chunk in chunks:
                yield from parse_records(chunk)
            return
        inflight: collections.deque = collections.deque()
        for chunk in chunks:
            inflight.append(executor.apply_async(parse_records, (chunk,)))
            if len(inflight) > ahead:
                yield from inflight.popleft().get()
        while inflight:
            yield from inflight.popleft().get()

    def _accept(self, story: Story, sampled: set[int]) -> bool:
        hits = collections.Counter(self.index[h] for h in sampled if h in self.index)
        for other, n in hits.items():
            if n >= NEARDUP_LIMIT * max(1, min(len(sampled), self.sample_sizes[other])):
                return False
        k = len(self.accepted)
        for h in sampled:
            self.index.setdefault(h, k)
        self.sample_sizes.append(len(sampled))
        self.accepted.append(story)
        return True

    def next(self) -> Story:
        while self.epoch == 0:
            got = next(self.parsed, None)
            if got is None:
                self._next_epoch()
                break
            story, sampled = got
            if story is not None and self._accept(story, sampled):
                return story
            self.skipped += 1
        if self.pos >= len(self.order):
            self._next_epoch()
        i = self.order[self.pos]
        self.pos += 1
        return self._remixed(self.accepted[i])

    def _next_epoch(self):
        if not self.accepted:
            sys.exit("gen_corpus: no usable base stories")
        if self.epoch == 0:
            self.records = None  # raw texts are no longer needed
            self.index.clear()
            self.parsed = iter(())
        self.epoch += 1
        self.order = list(range(len(self.accepted)))
        rnd = random.Random(f"{self.seed}:pool:{self.epoch}")
        rnd.shuffle(self.order)
        self.pos = 0
        # Letter cipher of this pass: vowels among vowels, consonants among
        # consonants, digits among digits, same for both cases. Word lengths,
        # punctuation and word frequencies stay; the words themselves change.
        table = {}
        for group in ("aeiou", "bcdfghjklmnpqrstvwxyz", "0123456789"):
            perm = list(group)
            rnd.shuffle(perm)
            table.update(zip(group, perm))
            if group[0].isalpha():
                table.update(zip(group.upper(), "".join(perm).upper()))
        self.cipher = str.maketrans(table)

    def _remixed(self, s: Story) -> Story:
        c = self.cipher
        return Story(s.headline.translate(c), [p.translate(c) for p in s.paragraphs],
                     s.city.translate(c) if s.city else None, s.table,
                     f"{s.origin}@{self.epoch}")


# ---------------------------------------------------------------------------
# Outlets and their boilerplate
# ---------------------------------------------------------------------------

# Header lines (templates); {fields} are filled per document.
HEADER_SITE = ["{site}", "{SITE}", "{site} | {tagline}", "Welcome to {site}",
               "{site} - {tagline}"]
TAGLINES = ["Independent news since {founded}", "News you can trust",
            "Your local news", "Breaking news, sport and weather",
            "Award-winning journalism", "The voice of the region"]
HEADER_DATE = ["{weekday}, {date_long}", "Updated: {date_iso} {time}",
               "Last updated {time} GMT, {weekday} {date_dmy}",
               "{date_dmy} | {temp}°C {city_now}"]
HEADER_MISC = ["Sign in | Subscribe | Newsletters", "Log in  Register",
               "Subscribe now: first month free",
               "You are here: Home » {section}", "Home > {section} > {region}",
               "Breaking: {related}",
               "We use cookies to improve your experience. By continuing to browse "
               "you agree to our use of cookies. Learn more",
               "Search {site}", "Menu"]
NAV_SEPARATORS = [" | ", " · ", "  ", " / ", " • "]
INLINE = ["Advertisement", "ADVERTISEMENT", "Story continues below advertisement",
          "Advertisement - Scroll to continue", "READ ALSO: {related}",
          "Read more: {related}", "RELATED: {related} ({n} comments)",
          "Advertisement{related} {n}", "Sponsored content",
          "Click here to sign up for our {section} newsletter",
          "Photo: {site}/{photographer}", "ALSO READ | {related}",
          "Watch: {related} (video, {n}:{sec})"]
DISCLAIMER = ("COMMENT DISCLAIMER: Reader comments posted on this Web site are not "
              "in any way endorsed by {site}. Comments are views by {site} "
              "readers who exercise their right to free expression and they do not "
              "necessarily represent or reflect the position or viewpoint of {site}. "
              "While reserving this publication's right to delete comments that are "
              "deemed offensive, indecent or inconsistent with {site} editorial "
              "standards, {site} may not be held liable for any false information "
              "posted by readers in this comments section.")
FOOTER = {
    "topics": ["Topics: {topics}", "Tags: {topics}", "Filed under: {topics}",
               "More on: {topics}"],
    "share": ["Share this: Facebook Twitter Email",
              "Share on Facebook | Share on Twitter | Share via Email",
              "Share this article", "Share: Facebook, X, WhatsApp, Email, Print"],
    "copyright": ["© {year} {site}. All rights reserved.", "Copyright {year} {site}",
                  "(c) {year} {site} Media Group. All Rights Reserved. This material "
                  "may not be published, broadcast, rewritten or redistributed.",
                  "Copyright © {founded}-{year} {site}. All rights reserved."],
    "disclaimer": [DISCLAIMER,
                   "Disclaimer: The views expressed in the comments are those of the "
                   "readers and do not reflect the views of {site}. {site} reserves "
                   "the right to remove any comment without notice."],
    "newsletter": ["Sign up for the {site} morning briefing and get the day's top "
                   "stories in your inbox.",
                   "Get the {site} newsletter: the {n} stories you need to read "
                   "today, every morning."],
    "follow": ["Follow {site} on Twitter @{handle} and on Facebook.",
               "Follow us: Facebook | Twitter @{handle} | Instagram"],
    "related": ["Related stories:\n{related}\n{related2}\n{related3}",
                "More from {site}:\n- {related}\n- {related2}",
                "Most read\n1. {related}\n2. {related2}\n3. {related3}"],
    "comments": ["Comments ({n})", "{n} comments", "Add your comment",
                 "Join the conversation ({n} comments)"],
    "contact": ["Got a story? Email news@{host} or call {phone}.",
                "Contact the newsroom: tips@{host}"],
}
FOOTER_ORDER = ["related", "topics", "share", "comments", "disclaimer",
                "newsletter", "follow", "contact", "copyright"]
AGENCIES = ["AFP", "AP", "Reuters", "dpa", "EFE", "ANSA"]
MONTH_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.",
            "Sept.", "Oct.", "Nov.", "Dec."]


@dataclass
class Outlet:
    index: int
    name: str
    host: str
    handle: str
    founded: int
    tagline: str
    sep: str                   # "blank" | "newline" | "indent"
    wrap: int                  # 0 = no hard wrap
    quotes: str                # "curly" | "straight" | "keep"
    dateline: int              # style index, see dateline()
    header: list[str]
    inline: list[str]
    inline_p: float
    footer: list[str]
    ocr_rate: float = 0.0
    phone: str = ""
    photographers: list[str] = field(default_factory=list)


def make_outlets(rnd: random.Random, n: int, ocr_share: float) -> list[Outlet]:
    names = set()
    outlets = []
    for i in range(n):
        while True:
            name = f"{rnd.choice(ts.PAPER_FIRST)} {rnd.choice(ts.PAPER_SECOND)}"
            if rnd.random() < 0.3:
                name = f"{rnd.choice(ts.CITIES).split()[0]} {rnd.choice(ts.PAPER_SECOND)}"
            if name not in names:
                break
        names.add(name)
        slug = re.sub(r"[^a-z]", "", name.lower())
        site = ("The " + name) if rnd.random() < 0.4 else name
        nav = ["Home"] + rnd.sample(ts.NAV_SECTIONS[1:], rnd.randint(4, 9))
        header = [rnd.choice(HEADER_SITE), rnd.choice(NAV_SEPARATORS).join(nav)]
        if rnd.random() < 0.6:
            header.append(rnd.choice(HEADER_DATE))
        if rnd.random() < 0.5:
            header.insert(rnd.randint(0, len(header)), rnd.choice(HEADER_MISC))
        if rnd.random() < 0.2:
            rnd.shuffle(header)
        kinds = [k for k in FOOTER_ORDER if rnd.random() < 0.55] or ["copyright"]
        footer = [rnd.choice(FOOTER[k]) for k in kinds]
        outlets.append(Outlet(
            index=i, name=site, host=f"{slug}-{i:02d}.example",
            handle=slug[:12] + str(rnd.randint(1, 99)),
            founded=rnd.randint(1850, 2010),
            tagline=rnd.choice(TAGLINES),
            sep=rnd.choice(["blank", "blank", "blank", "newline", "indent"]),
            wrap=rnd.randint(70, 80) if rnd.random() < 0.3 else 0,
            quotes=rnd.choice(["curly", "straight", "keep"]),
            dateline=rnd.randrange(7),
            header=header,
            inline=rnd.sample(INLINE, rnd.randint(0, 3)),
            inline_p=rnd.uniform(0.1, 0.35),
            footer=footer,
            phone=f"0{rnd.randint(100, 999)} {rnd.randint(100, 999)} {rnd.randint(1000, 9999)}",
            photographers=[f"{rnd.choice(ts.FIRST_NAMES)} {rnd.choice(ts.SURNAMES)}"
                           for _ in range(3)],
        ))
    for o in rnd.sample(outlets, round(ocr_share * n)):
        o.ocr_rate = rnd.uniform(0.015, 0.05)
    return outlets


def dateline(style: int, city: str, date: dt.date, agency: str | None) -> str:
    """Dateline prefix of the first paragraph in an outlet's style."""
    month = ts.LEX["month"][date.month - 1]
    if style == 0:
        return f"{city.upper()} ({agency}) - " if agency else f"{city.upper()} - "
    if style == 1:
        return f"{city}, {month} {date.day} -- "
    if style == 2:
        return (f"{city.upper()}, {month} {date.day} ({agency}) — " if agency
                else f"{city.upper()}, {month} {date.day} — ")
    if style == 3:
        return f"{city} ({agency}): " if agency else f"{city}: "
    if style == 4:
        return f"{city.upper()} — "
    if style == 5:
        return (f"{city.upper()}, {MONTH_AP[date.month - 1]} {date.day} ({agency}) - "
                if agency else f"{city.upper()}, {MONTH_AP[date.month - 1]} {date.day} - ")
    return ""  # style 6: no dateline


# ---------------------------------------------------------------------------
# Text operations
# ---------------------------------------------------------------------------


_WRAP_RE: dict[int, re.Pattern] = {}


def wrap(text: str, width: int) -> list[str]:
    """Greedy hard wrap at `width` columns; a word longer than `width` gets a
    line of its own. The spaces at a break are dropped."""
    if len(text) <= width:
        return [text]
    pat = _WRAP_RE.get(width)
    if pat is None:
        pat = _WRAP_RE[width] = re.compile(r"(.{1,%d})(?: +|$)|(\S+)(?: +|$)" % width)
    return [a or b for a, b in pat.findall(text) if a or b]


def curly_quotes(text: str) -> str:
    """Straight to typographic quotes: opening after a space, newline or
    bracket, closing (or apostrophe) elsewhere. str.replace is much faster
    than a regex here."""
    if '"' in text:
        if text.startswith('"'):
            text = "“" + text[1:]
        text = (text.replace(' "', " “").replace('\n"', "\n“").replace('("', "(“")
                .replace('"', "”"))
    if "'" in text:
        if text.startswith("'"):
            text = "‘" + text[1:]
        text = (text.replace(" '", " ‘").replace("\n'", "\n‘").replace("('", "(‘")
                .replace("“'", "“‘").replace("'", "’"))
    return text


def straight_quotes(text: str) -> str:
    return text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")


OCR_CONFUSIONS = [("m", "rn"), ("rn", "m"), ("l", "1"), ("I", "l"), ("O", "0"),
                  ("0", "O"), ("e", "c"), ("h", "b"), ("S", "5"), ("i", "l"),
                  ("cl", "d"), ("u", "ii"), ("a", "o"), ("t", "f")]


def ocr_noise(text: str, rate: float, rnd: random.Random) -> str:
    """Confuse letters, split and join words in about `rate` of the words."""
    words = text.split(" ")
    out: list[str] = []
    join_next = False
    log_keep = math.log(1.0 - rate)
    nxt = int(math.log(1.0 - rnd.random()) / log_keep)   # geometric skip
    for i, w in enumerate(words):
        glue = join_next
        join_next = False
        if i == nxt and w:
            nxt = i + 1 + int(math.log(1.0 - rnd.random()) / log_keep)
            r = rnd.random()
            if r < 0.65:
                subs = [c for c in OCR_CONFUSIONS if c[0] in w]
                if subs:
                    a, b = rnd.choice(subs)
                    w = w.replace(a, b, 1)
            elif r < 0.85 and len(w) >= 4:
                k = rnd.randint(1, len(w) - 1)
                w = w[:k] + " " + w[k:]
            else:
                join_next = True
        if glue and out:
            out[-1] += w
        else:
            out.append(w)
    return " ".join(out)


WORD_SUBST = {
    "said": "says", "says": "said", "pct": "percent", "percent": "pct",
    "per": "a", "U.S.": "US", "US": "U.S.", "mln": "million", "million": "mln",
    "dlrs": "dollars", "told": "informed", "about": "around", "around": "about",
    "also": "further", "but": "however,", "big": "large", "large": "big",
    "expected": "forecast", "company": "firm", "firm": "company",
    "government": "administration", "officials": "authorities",
    "rose": "increased", "fell": "declined", "announced": "said",
}
FILLERS = ["also", "now", "reportedly", "still", "already", "currently"]
HEADLINE_PREFIX = ["UPDATE 1-", "UPDATE 2-", "WRAPUP 1-", "Exclusive: ",
                   "Analysis: ", "BREAKING: "]
HEADLINE_SUFFIX = [" - report", " - sources", ": officials", " - statement"]
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on",
               "or", "the", "to", "vs", "with"}


def title_case(h: str) -> str:
    words = h.lower().split(" ")
    return " ".join(w if w.startswith("<") and w.endswith(">") else
                    w.upper() if w.startswith("<") else
                    w if (i and w in SMALL_WORDS) else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def copy_headline(h: str, first: str, rnd: random.Random) -> str:
    if h.isupper() and rnd.random() < 0.7:
        h = title_case(h)
    r = rnd.random()
    if r < 0.15:
        h = rnd.choice(HEADLINE_PREFIX) + h
    elif r < 0.35:
        words = h.split(" ")
        if len(words) > 4:
            del words[rnd.randrange(1, len(words))]
            h = " ".join(words)
    elif r < 0.55:
        words = first.split()[:rnd.randint(6, 10)]
        if len(words) >= 4:
            h = " ".join(words).rstrip(",.;:")
    elif r < 0.65:
        h = h + rnd.choice(HEADLINE_SUFFIX)
    return h


def edit_words(paragraphs: list[str], rnd: random.Random) -> None:
    """Light copy editing: up to one word substitution, deletion or insertion
    per 100 words and one typo per 200 words (uniformly fewer, often none)."""
    if not paragraphs:
        return
    n_words = sum(p.count(" ") + 1 for p in paragraphs)
    for _ in range(int(rnd.random() * n_words / 100)):
        k = rnd.randrange(len(paragraphs))
        words = paragraphs[k].split(" ")
        if len(words) < 8:
            continue
        j = rnd.randrange(len(words))
        w = words[j]
        if w in WORD_SUBST:
            words[j] = WORD_SUBST[w]
        elif rnd.random() < 0.5:
            del words[j]
        else:
            words.insert(j, rnd.choice(FILLERS))
        paragraphs[k] = " ".join(words)
    for _ in range(int(rnd.random() * n_words / 200)):
        k = rnd.randrange(len(paragraphs))
        words = paragraphs[k].split(" ")
        j = rnd.randrange(len(words))
        w = words[j]
        if len(w) < 4 or not w.isalpha():
            continue
        i = rnd.randrange(1, len(w) - 1)
        r = rnd.random()
        if r < 0.4:
            w = w[:i] + w[i + 1] + w[i] + w[i + 2:]       # swap two letters
        elif r < 0.7:
            w = w[:i] + w[i + 1:]                          # drop a letter
        else:
            w = w[:i] + w[i] + w[i:]                       # double a letter
        words[j] = w
        paragraphs[k] = " ".join(words)


def make_copy(story: Story, rnd: random.Random) -> Story:
    """A republished near-duplicate: trimmed, paragraph dropped, edited."""
    paras = list(story.paragraphs)
    if not story.table:
        r = rnd.random()
        frac = rnd.uniform(0.5, 0.7) if r < 0.3 else rnd.uniform(0.75, 0.95) if r < 0.55 else 1.0
        if frac < 1.0 and len(paras) > 1:
            total = sum(map(len, paras))
            acc = 0
            for k, p in enumerate(paras):
                acc += len(p)
                if acc >= frac * total:
                    paras = paras[:max(k + 1, min(2, len(paras)))]
                    break
        if len(paras) >= 4 and rnd.random() < 0.3:
            del paras[rnd.randrange(1, len(paras) - 1)]
        edit_words(paras, rnd)
    head = copy_headline(story.headline, paras[0] if paras else "", rnd)
    return Story(head, paras, story.city, story.table, story.origin)


# ---------------------------------------------------------------------------
# Rendering one document
# ---------------------------------------------------------------------------


class Fields(dict):
    """Values for the {slots} of boilerplate templates, computed on first use
    (most templates use only a few of them)."""

    def __init__(self, topic_pool: list[str], o: Outlet, date: dt.date,
                 rnd: random.Random, related: tuple[str, str, str]):
        super().__init__(site=o.name, host=o.host, handle=o.handle,
                         founded=o.founded, phone=o.phone, year=date.year,
                         related=related[0], related2=related[1], related3=related[2])
        self.topic_pool, self.o, self.date, self.rnd = topic_pool, o, date, rnd

    def __missing__(self, key: str):
        value = getattr(self, "_" + key)()
        self[key] = value
        return value

    def _SITE(self): return self.o.name.upper()                       # noqa: E704
    def _tagline(self): return self.o.tagline.format(founded=self.o.founded)  # noqa: E704
    def _weekday(self): return ts.LEX["weekday"][self.date.weekday()]  # noqa: E704
    def _month(self): return ts.LEX["month"][self.date.month - 1]      # noqa: E704
    def _date_long(self): return f"{self['month']} {self.date.day}, {self.date.year}"  # noqa: E704
    def _date_dmy(self): return f"{self.date.day} {self['month']} {self.date.year}"  # noqa: E704
    def _date_iso(self): return self.date.isoformat()                  # noqa: E704
    def _time(self): return f"{self.rnd.randint(0, 23):02d}:{self.rnd.randint(0, 59):02d}"  # noqa: E704
    def _temp(self): return self.rnd.randint(-5, 34)                   # noqa: E704
    def _city_now(self): return self.rnd.choice(ts.CITIES)             # noqa: E704
    def _section(self): return self.rnd.choice(ts.NAV_SECTIONS[1:])    # noqa: E704
    def _region(self): return self.rnd.choice(["Europe", "Asia", "Africa", "Americas", "Local"])  # noqa: E704,E501
    def _n(self): return self.rnd.randint(1, 250)                      # noqa: E704
    def _sec(self): return f"{self.rnd.randint(0, 59):02d}"            # noqa: E704
    def _photographer(self): return self.rnd.choice(self.o.photographers)  # noqa: E704

    def _topics(self):
        return ", ".join(self.rnd.sample(self.topic_pool, self.rnd.randint(3, 5)))


# Template fields that are the same for every document of an outlet (given
# the year): templates using only these are rendered once and cached.
STATIC_FIELDS = {"site", "SITE", "host", "handle", "founded", "phone", "tagline", "year"}
_FORMATTER = string.Formatter()


def topic_pool(seed: int) -> list[str]:
    """Names for "Topics:" lines: themes, invented people and companies, countries."""
    rnd = random.Random(f"{seed}:topics")
    pool = list(ts.TOPIC_NAMES)
    pool += [f"{rnd.choice(ts.FIRST_NAMES)} {rnd.choice(ts.SURNAMES)}" for _ in range(150)]
    pool += [f"{rnd.choice(ts.ORG_PREFIX)} {rnd.choice(ts.ORG_KIND['economy'])}"
             for _ in range(60)]
    pool += ts.COUNTRIES
    return sorted(set(pool))


class Renderer:
    """Turns (outlet, story) into a document: text + boilerplate line indexes."""

    def __init__(self, outlets: list[Outlet], topics: list[str]):
        self.outlets = outlets
        self.topic_pool = topics
        self.is_static: dict[str, bool] = {}
        self.cache: dict[tuple, list[str]] = {}

    def _static(self, template: str) -> bool:
        st = self.is_static.get(template)
        if st is None:
            names = {f for _, f, _, _ in _FORMATTER.parse(template) if f is not None}
            st = self.is_static[template] = names <= STATIC_FIELDS
        return st

    def _boiler_lines(self, o: Outlet, template: str, f: Fields) -> list[str]:
        """Lines of one boilerplate block (wrapped by the outlet's rule)."""
        static = self._static(template)
        if static:
            got = self.cache.get((o.index, template, f["year"]))
            if got is not None:
                return got
        out = []
        for ln in template.format_map(f).split("\n"):
            out.extend(wrap(ln, o.wrap) if o.wrap else (ln,))
        if static:
            self.cache[(o.index, template, f["year"])] = out
        return out

    def render(self, o: Outlet, story: Story, date: dt.date, agency: str | None,
               related: tuple[str, str, str], rnd: random.Random) -> tuple[str, list[int]]:
        lines: list[str] = []
        bp: list[int] = []
        blank = o.sep == "blank"
        indent = o.sep == "indent"
        f = Fields(self.topic_pool, o, date, rnd, related)

        def add(part: list[str], is_bp: bool) -> None:
            # One block: a blank line before it (blank-line outlets), first
            # line indented (indent outlets).
            if blank and lines:
                lines.append("")
            if is_bp:
                bp.extend(range(len(lines), len(lines) + len(part)))
            if indent:
                lines.append("    " + part[0])
                lines.extend(part[1:])
            else:
                lines.extend(part)

        def boiler(template: str) -> None:
            # Multi-line templates are one block per line.
            for ln in self._boiler_lines(o, template, f):
                add([ln], True)

        for t in o.header:
            boiler(t)
        add([story.headline], False)
        paras = story.paragraphs
        if o.ocr_rate:
            paras = [ocr_noise(p, o.ocr_rate, rnd) for p in paras]
        line0 = dateline(o.dateline, story.city or rnd.choice(ts.CITIES), date, agency)
        if line0 and story.table:
            add([line0.rstrip()], False)
        elif line0 and paras:
            paras = [line0 + paras[0]] + paras[1:]
        n_inline = 0
        last = len(paras) - 1
        width = 0 if story.table else o.wrap
        for i, p in enumerate(paras):
            add(wrap(p, width) if width else [p], False)
            if o.inline and i < last and n_inline < 3 and rnd.random() < o.inline_p:
                boiler(rnd.choice(o.inline))
                n_inline += 1
        for t in o.footer:
            boiler(t)
        text = "\n".join(lines)
        if o.quotes == "curly":
            text = curly_quotes(text)
        elif o.quotes == "straight":
            text = straight_quotes(text)
        return text, bp


# ---------------------------------------------------------------------------
# Story plans (made in order by the main process) and their rendering (may
# run in worker processes; depends only on the plan, so output is the same
# for any --jobs)
# ---------------------------------------------------------------------------


@dataclass
class Plan:
    sid: int
    kind: str                       # story | earnings | followup
    story: Story | None             # None for earnings (made by the renderer)
    outlets: list[int]              # first = original publication
    agency: str | None
    date: dt.date
    related: list[tuple[str, str, str]]   # related headlines, one triple per doc


# A rendered document: (slot, seq, text as JSON string, outlet index, kind,
# cluster, boilerplate lines as JSON, ocr, date ordinal, raw text or None).
RenderedDoc = tuple

_WORKER: dict = {}


def _init_worker(outlets: list[Outlet], topics: list[str], seed: int, keep_text: bool) -> None:
    _WORKER.update(renderer=Renderer(outlets, topics), seed=seed, keep_text=keep_text)


def render_plan(plan: Plan) -> list[RenderedDoc]:
    """All documents of one story: the original publication and its copies."""
    renderer: Renderer = _WORKER["renderer"]
    keep_text = _WORKER["keep_text"]
    rnd = random.Random(f"{_WORKER['seed']}:story:{plan.sid}")
    cluster = f"s{plan.sid:06d}"
    story = plan.story
    if plan.kind == "earnings":
        head, lines = ts.earnings_report(rnd)
        story = Story(head, lines, rnd.choice(ts.CITIES), table=True, origin="earnings")
    docs = []
    for k, oi in enumerate(plan.outlets):
        o = renderer.outlets[oi]
        if k == 0:
            version, date, kind = story, plan.date, plan.kind
            slot = plan.sid + rnd.uniform(0, 5)
        else:
            version = make_copy(story, rnd)
            date = plan.date + dt.timedelta(days=rnd.randint(0, 2))
            kind = "copy" if plan.kind == "story" else plan.kind + "-copy"
            slot = plan.sid + rnd.uniform(0, COPY_WINDOW)
        text, bp = renderer.render(o, version, date, plan.agency, plan.related[k], rnd)
        docs.append((slot, 0, json.dumps(text, ensure_ascii=False), oi, kind, cluster,
                     "[" + ", ".join(map(str, bp)) + "]", o.ocr_rate > 0,
                     date.toordinal(), text if keep_text else None))
    return docs


def render_batch(plans: list[Plan]) -> list[list[RenderedDoc]]:
    return [render_plan(p) for p in plans]


class Planner:
    """Decides, story by story, what gets published where (main process)."""

    def __init__(self, args, records, outlets: list[Outlet], executor=None):
        self.args = args
        self.rnd = random.Random(f"{args.seed}:plan")
        self.pool = BasePool(records, args.seed, executor, ahead=2 * args.jobs)
        self.outlets = outlets
        # Moderately skewed outlet sizes: weight 1/sqrt(rank).
        self.cum_weights = list(itertools.accumulate(
            1.0 / math.sqrt(r + 1) for r in range(len(outlets))))
        self.recent_stories: collections.deque[Story] = collections.deque(maxlen=200)
        self.recent_heads: collections.deque[str] = collections.deque(maxlen=300)
        est_stories = max(100.0, args.size_mb * 1e6 / 3500)
        self.days_per_story = 5 * 365 / est_stories   # the corpus spans ~5 years
        self.start = dt.date(2015, 1, 5)
        self.p_earn = 0.0 if args.no_hard_negatives else 0.06
        self.p_follow = 0.0 if args.no_hard_negatives else 0.05

    def pick_outlets(self, k: int) -> list[int]:
        chosen: list[int] = []
        total = self.cum_weights[-1]
        while len(chosen) < k:
            i = bisect.bisect(self.cum_weights, self.rnd.random() * total)
            if i not in chosen:
                chosen.append(i)
        return chosen

    def plan(self, sid: int) -> Plan:
        rnd = self.rnd
        r = rnd.random()
        kind, story = "story", None
        if r < self.p_earn:
            kind = "earnings"
        else:
            story = self.pool.next()
            if r < self.p_earn + self.p_follow and self.recent_stories:
                # Follow-up: a new story that reuses one long paragraph of a
                # recent story as background near its end (a different
                # cluster). The paragraph is at most a third of either story,
                # so neither contains the other.
                old = rnd.choice(self.recent_stories)
                old_len = sum(map(len, old.paragraphs))
                new_len = sum(map(len, story.paragraphs))
                longs = [p for p in old.paragraphs if len(p.split()) >= 25
                         and 3 * len(p) <= old_len and 2 * len(p) <= new_len]
                if longs:
                    paras = list(story.paragraphs)
                    paras.insert(rnd.randint(max(1, len(paras) - 2), len(paras)),
                                 rnd.choice(longs))
                    story = Story(story.headline, paras, story.city, story.table,
                                  story.origin)
                    kind = "followup"
            if kind == "story":
                self.recent_stories.append(story)
        share = self.args.wire_share * (0.4 if kind == "earnings" else 1.0)
        n_copies = rnd.randint(2, 10) if rnd.random() < share else 0
        outlets = self.pick_outlets(1 + n_copies)
        agency = rnd.choice(AGENCIES) if n_copies else None
        date = self.start + dt.timedelta(days=int(sid * self.days_per_story))
        heads = self.recent_heads
        related = [tuple(rnd.sample(heads, 3)) if len(heads) >= 3 else
                   ("Council approves new budget", "Weekend weather outlook",
                    "Local team wins derby") for _ in outlets]
        if story is not None:
            h = story.headline
            heads.append(title_case(h) if h.isupper() else h)
        return Plan(sid, kind, story, outlets, agency, date, related)


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


class Output:
    """Writes docs.jsonl, truth.jsonl and optionally docs.warc.wet, streaming."""

    def __init__(self, out: Path, fmt: str, seed: int, base_desc: str,
                 outlets: list[Outlet]):
        out.mkdir(parents=True, exist_ok=True)
        buf = 1 << 20
        self.docs = open(out / "docs.jsonl", "wb", buffering=buf)
        self.truth = open(out / "truth.jsonl", "wb", buffering=buf)
        self.wet = open(out / "docs.warc.wet", "wb", buffering=buf) if fmt == "wet" else None
        self.outlets = outlets
        self.names = [json.dumps(o.name) for o in outlets]
        self.wrnd = random.Random(f"{seed}:wet")
        self.n = 0
        self.bytes = 0
        if self.wet:
            self._warcinfo(seed, base_desc)

    def _uuid(self) -> str:
        return f"<urn:uuid:{uuid.UUID(int=self.wrnd.getrandbits(128), version=4)}>"

    def _record(self, headers: list[tuple[str, str]], payload: bytes) -> None:
        head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
        head += f"Content-Length: {len(payload)}\r\n\r\n"
        self.wet.write(head.encode("utf-8") + payload + b"\r\n\r\n")

    def _warcinfo(self, seed: int, base_desc: str) -> None:
        payload = (f"software: dedup scripts/gen_corpus.py\r\n"
                   f"description: synthetic news corpus, seed {seed}, base {base_desc}\r\n"
                   f"format: WARC File Format 1.0\r\n").encode("utf-8")
        self._record([("WARC-Type", "warcinfo"), ("WARC-Date", "2015-01-01T00:00:00Z"),
                      ("WARC-Filename", "docs.warc.wet"),
                      ("WARC-Record-ID", self._uuid()),
                      ("Content-Type", "application/warc-fields")], payload)

    def emit(self, d: RenderedDoc) -> None:
        _, _, text_json, oi, kind, cluster, bp_json, ocr, date_ord, text = d
        doc_id = f"d{self.n:06d}"
        self.n += 1
        o = self.outlets[oi]
        # Same bytes as json.dumps({...}, ensure_ascii=False) would give.
        line = (f'{{"id": "{doc_id}", "text": {text_json}, "source": "{o.host}", '
                f'"outlet": {self.names[oi]}, "kind": "{kind}"}}\n').encode("utf-8")
        self.docs.write(line)
        self.bytes += len(line)
        self.truth.write((f'{{"id": "{doc_id}", "cluster": "{cluster}", '
                          f'"boilerplate_lines": {bp_json}, '
                          f'"ocr": {"true" if ocr else "false"}}}\n').encode("utf-8"))
        if self.wet:
            payload = text.encode("utf-8")
            digest = base64.b32encode(hashlib.sha1(payload).digest()).decode()
            w = self.wrnd
            stamp = (f"{dt.date.fromordinal(date_ord).isoformat()}T{w.randint(0, 23):02d}:"
                     f"{w.randint(0, 59):02d}:{w.randint(0, 59):02d}Z")
            self._record([("WARC-Type", "conversion"),
                          ("WARC-Target-URI", f"https://{o.host}/{doc_id}"),
                          ("WARC-Date", stamp), ("WARC-Record-ID", self._uuid()),
                          ("WARC-Refers-To", self._uuid()),
                          ("WARC-Block-Digest", f"sha1:{digest}"),
                          ("WARC-Identified-Content-Language", "eng"),
                          ("Content-Type", "text/plain")], payload)

    def close(self) -> None:
        for fh in (self.docs, self.truth, self.wet):
            if fh:
                fh.close()


def rendered_stories(planner: Planner, executor, jobs: int):
    """Yield the rendered documents of story 0, 1, 2, ... in order. With an
    executor, batches of plans are rendered by the worker processes, a
    bounded number ahead of the consumer."""
    sids = itertools.count()
    if executor is None:
        for sid in sids:
            yield render_plan(planner.plan(sid))
    inflight: collections.deque = collections.deque()
    while True:
        while len(inflight) < 3 * jobs:
            plans = [planner.plan(next(sids)) for _ in range(32)]
            inflight.append(executor.apply_async(render_batch, (plans,)))
        yield from inflight.popleft().get()


def main() -> int:
    ap = argparse.ArgumentParser(
        description="Seeded synthetic news corpus with ground truth (see module docstring).")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-mb", type=float, default=5.0,
                    help="stop once docs.jsonl reaches this many MB (10^6 bytes)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--base", default="auto",
                    help="auto (../shared/corpora when present, else bundled), "
                         "bundled, or a JSONL path with a text field")
    ap.add_argument("--format", choices=["jsonl", "wet"], default="jsonl",
                    help="wet: also write docs.warc.wet")
    ap.add_argument("--ocr-share", type=float, default=0.1,
                    help="share of outlets that add OCR noise")
    ap.add_argument("--wire-share", type=float, default=0.25,
                    help="share of stories republished by 2-10 more outlets")
    ap.add_argument("--outlets", type=int, default=0,
                    help="number of outlets (default: 20-60 by size)")
    ap.add_argument("--no-hard-negatives", action="store_true",
                    help="no earnings tables and no follow-up stories")
    ap.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1),
                    help="render in this many processes (output does not depend on it)")
    args = ap.parse_args()

    t0 = time.time()
    base_desc, records = load_base_records(args.base)
    n_out = args.outlets or max(20, min(60, round(20 + 8 * math.log2(max(args.size_mb, 1.0)))))
    outlets = make_outlets(random.Random(f"{args.seed}:outlets"), n_out, args.ocr_share)
    init_args = (outlets, topic_pool(args.seed), args.seed, args.format == "wet")
    executor = None
    if args.jobs > 1:
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        executor = ctx.Pool(args.jobs, initializer=_init_worker, initargs=init_args)
    else:
        _init_worker(*init_args)
    planner = Planner(args, records, outlets, executor)
    out = Output(Path(args.out), args.format, args.seed, base_desc, outlets)

    # Documents are released in slot order: a story's original publication
    # lands near its own slot, copies up to COPY_WINDOW stories later.
    # Everything with a slot below the next story id can be written.
    target = args.size_mb * 1e6
    heap: list[RenderedDoc] = []
    pending = 0
    seq = itertools.count()
    stories = 0
    for sid, docs in enumerate(rendered_stories(planner, executor, args.jobs)):
        if out.bytes + pending >= target:
            break
        stories += 1
        for d in docs:
            heapq.heappush(heap, (d[0], next(seq)) + d[2:])
            pending += len(d[2]) + 100
        while heap and heap[0][0] < sid + 1:
            d = heapq.heappop(heap)
            pending -= len(d[2]) + 100
            out.emit(d)
    while heap:
        out.emit(heapq.heappop(heap))
    out.close()
    if executor is not None:
        executor.terminate()  # drop the work queued ahead
        executor.join()
    secs = time.time() - t0
    mb = out.bytes / 1e6
    pool = planner.pool
    print(f"gen_corpus: {out.n} docs, {stories} stories, {len(outlets)} outlets, "
          f"{mb:.1f} MB docs.jsonl in {secs:.1f}s ({mb / max(secs, 1e-9):.1f} MB/s, "
          f"{args.jobs} jobs); base: {base_desc}"
          f"{f' (reused {pool.epoch} times)' if pool.epoch else ''}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
