"""Property and fuzz tests: hostile input through ingest and extraction never raises.

Random bytes in files of every supported type, invalid UTF-8, mixed right-to-left and
left-to-right text, zero-width characters, long lines, deeply nested or unclosed HTML and
mutated feeds and web archives go through `read_paths`; random text goes through the
pipeline. Nothing may raise, a failure must say why, and every record must keep the
contract: evidence equal to its offsets in the text, ISO dates, codebook vocabulary.

The examples are derandomized (the same on every run) and few enough for CI. For a longer
fuzzing session: ``EVENTLEDGER_FUZZ_SCALE=50 pytest tests/test_properties.py
--hypothesis-show-statistics`` (fresh random examples, fifty times as many).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from io import BytesIO
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventledger.ingest import IngestFailure, Limits, read_paths
from eventledger.models import (
    ACTOR_CLASSES,
    CLAIM_CATEGORIES,
    EVENT_TYPES,
    GEO_PRECISIONS,
    QUALIFIERS,
    TACTICS,
    TIME_PRECISIONS,
    Analysis,
    Claim,
    Event,
    Report,
    Sentence,
    Statement,
)
from eventledger.pipeline import Pipeline, cut_sentence

SCALE = int(os.environ.get("EVENTLEDGER_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """Settings of one property: derandomized in CI, `SCALE` times more (random) when fuzzing."""
    return settings(max_examples=examples * SCALE, derandomize=SCALE == 1, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


# --------------------------------------------------------------------------- strategies

WORDS = (
    "Tehran", "Mashhad", "Zahedan", "Kurdistan", "police", "security forces", "arrested", "detained",
    "executed", "hanged", "protesters", "rallied", "strike", "chanted", "said", "according to",
    "at least", "12", "1,500", "dozens", "on Monday", "last week", "September 16, 2022", "1401/06/25",
    "since April 21", "HRANA", "Amnesty International", "\u201cWe will not stop,\u201d she said.",
    "تهران", "زاهدان", "اعدام", "بازداشت", "۱۲", "\u200c", "\u200b", "\u200f", "\u202e", "\u202c",
    "\ufeff", "\u0301", "\n", "\n\n", ".", ",", ":", "\u2014", "(", ")", "\"", "'", "TEHRAN \u2014",
)
ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
hostile_text = st.lists(st.one_of(st.sampled_from(WORDS), st.text(ALPHABET, max_size=12)), max_size=120).map(" ".join)
NOISE = st.sampled_from(("", "", "", "\u200b", "\u200c", "\u200f", "\u202e", "\ufeff", "\u0301", "  ", "\n",
                         "\u0627\u0639\u062f\u0627\u0645", "\U0001f525", "\x00", "\ud7ff"))
SUBJECTS = ("Security forces", "Police", "Hundreds of protesters", "Striking oil workers", "Students", "Officials")
VERBS = ("arrested", "detained", "rallied in", "executed", "beat", "marched in", "shot", "sentenced")
OBJECTS = ("12 people", "at least 37 protesters", "a teacher", "dozens", "three men", "1,200 workers")
PLACES = ("Tehran", "Mashhad", "Zahedan", "Sanandaj", "Rasht", "Kurdistan province", "Iran")
WHEN = ("on Monday", "on September 21, 2022", "last week", "since April 21", "on 1401/06/30", "yesterday", "")
SOURCES = ("HRANA said", "according to Amnesty International", "the judiciary's Mizan agency reported",
           "\u201cWe will not stop,\u201d a protester told reporters", "")


@st.composite
def report_like(draw: st.DrawFn) -> str:
    """Sentences shaped like a report's, with zero-width, bidi and other noise between the words."""
    sentences = []
    for _ in range(draw(st.integers(1, 6))):
        parts = [draw(st.sampled_from(pool)) for pool in (SUBJECTS, VERBS, OBJECTS, PLACES, WHEN, SOURCES)]
        parts.insert(3, "in")
        words = " ".join(p for p in parts if p).split(" ")
        sentences.append(" ".join(w + draw(NOISE) for w in words) + draw(st.sampled_from((".", "", "!", "\u06d4"))))
    dateline = draw(st.sampled_from(("", "TEHRAN, May 3, 2024 \u2014 ", "\u200fMASHHAD (Reuters) - ")))
    return dateline + draw(st.sampled_from((" ", "\n", "\n\n"))).join(sentences)


long_line = st.builds(lambda word, n: (word + " ") * n, st.sampled_from(WORDS), st.integers(500, 6_000))

EXTENSIONS = (".txt", ".md", ".html", ".htm", ".jsonl", ".rss", ".atom", ".xml", ".warc", ".warc.gz")
GOOD = "Police arrested 12 protesters in Mashhad on Friday, the rights group HRANA said."
RSS = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
       '<item><title>Arrests</title><link>https://news.example.org/a</link>'
       '<pubDate>Fri, 03 May 2024 10:00:00 GMT</pubDate><description>{body}</description></item>'
       '</channel></rss>')


def warc_bytes(body: bytes) -> bytes:
    out = BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://news.example.org/a", "response",
                                                  payload=BytesIO(body), http_headers=headers))
    return out.getvalue()


VALID = {
    ".rss": RSS.format(body=GOOD).encode(),
    ".warc": warc_bytes(f"<html><body><p>{GOOD}</p></body></html>".encode()),
    ".html": f"<html><head><title>Arrests</title></head><body><article><p>{GOOD}</p></article></body></html>".encode(),
    ".jsonl": f'{{"id": "a", "text": "{GOOD}"}}\n'.encode(),
}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid feed, archive, page or JSON Lines file, cut, spliced with junk or with bytes flipped."""
    ext = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[ext])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(("cut", "insert", "flip", "repeat")))
        if action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(max_size=40))
        elif action == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        else:
            data[at:at] = data[at:at + draw(st.integers(1, 200))] * draw(st.integers(1, 30))
    return ext, bytes(data)


@st.composite
def nested_html(draw: st.DrawFn) -> bytes:
    """Markup nested up to 20,000 levels deep, closed or not, with text at some depth."""
    tags = draw(st.lists(st.sampled_from(("div", "p", "span", "b", "table", "tr", "td", "ul", "li", "a", "font",
                                          "blockquote", "section", "svg", "math", "template", "noscript")),
                         min_size=1, max_size=4))
    depth = draw(st.sampled_from((3, 40, 300, 1_000, 20_000)))
    closed = draw(st.booleans())
    opening = "".join(f"<{t}>" for t in tags) * (depth // len(tags))
    closing = "".join(f"</{t}>" for t in reversed(tags)) * (depth // len(tags)) if closed else ""
    return f"<html><body><p>{GOOD}</p>{opening}{draw(hostile_text)}{closing}</body></html>".encode()


# --------------------------------------------------------------------------- ingest


def read_one(folder: Path, name: str, data: bytes) -> list[Report | IngestFailure]:
    """`read_paths` over one file written to a fresh folder; it must not raise."""
    for old in folder.iterdir():
        old.unlink()
    path = folder / name
    path.write_bytes(data)
    items = list(read_paths([path], limits=Limits(seconds=10)))
    assert items, "every file gives a report or a failure"
    for item in items:
        assert isinstance(item, Report | IngestFailure)
        if isinstance(item, IngestFailure):
            assert item.reason.strip() and "Traceback" not in item.reason
            assert item.path.startswith(str(path))
        else:
            assert item.text.strip() and len(item.text) <= Limits().max_chars
            assert item.doc and "\x00" not in item.text
    return items


@fuzz(60)
@given(ext=st.sampled_from(EXTENSIONS), data=st.binary(max_size=3_000))
@example(ext=".txt", data=b"")
@example(ext=".txt", data=b"\xff\xfe\xfa" * 1_000)  # invalid UTF-8 throughout
@example(ext=".jsonl", data=b'{"text": "\xc3\x28 invalid \xed\xa0\x80 utf-8"}\n[1,2\n"text"\n')
@example(ext=".warc.gz", data=gzip.compress(b"WARC/1.0\r\nContent-Length: 99999\r\n\r\nshort"))
def test_random_bytes_never_raise(tmp_path_factory, ext: str, data: bytes) -> None:
    read_one(tmp_path_factory.mktemp("bytes"), "input" + ext, data)


@fuzz(40)
@given(ext=st.sampled_from((".txt", ".md", ".html", ".jsonl")), text=st.one_of(hostile_text, long_line))
def test_random_text_in_any_format_never_raises(tmp_path_factory, ext: str, text: str) -> None:
    if ext == ".html":
        data = f"<html><body><p>{text}</p></body></html>".encode()
    elif ext == ".jsonl":
        data = (json.dumps({"id": "x", "text": text}) + "\n").encode()
    else:
        data = text.encode("utf-8")
    read_one(tmp_path_factory.mktemp("text"), "input" + ext, data)


@fuzz(30)
@given(case=mutated())
def test_malformed_feeds_archives_pages_and_rows_never_raise(tmp_path_factory, case: tuple[str, bytes]) -> None:
    ext, data = case
    read_one(tmp_path_factory.mktemp("mutated"), "input" + ext, data)


@fuzz(10)
@given(markup=nested_html())
def test_deep_and_unclosed_html_never_raises(tmp_path_factory, markup: bytes) -> None:
    items = read_one(tmp_path_factory.mktemp("deep"), "page.html", markup)
    reports = [i for i in items if isinstance(i, Report)]
    assert all(GOOD in r.text for r in reports), "text before the deep part is kept"


def test_text_over_the_character_limit_is_named(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(GOOD + " " + "a" * 2_000)
    [failure] = read_paths([path], limits=Limits(max_chars=1_000))
    assert failure == IngestFailure(str(path), f"text too long ({len(GOOD) + 2_001} characters > 1000)")


# --------------------------------------------------------------------------- pipeline


def assert_contract(analysis: Analysis) -> None:
    """Every record of `analysis` keeps the codebook's contract."""
    text = analysis.report.text
    records = [*analysis.events, *analysis.claims, *analysis.statements]
    assert len(records) <= Limits().max_records
    for record in records:
        assert record.doc == analysis.report.doc
        assert 0 <= record.evidence_start <= record.evidence_end <= len(text)
        assert text[record.evidence_start:record.evidence_end] == record.evidence
        for name in ("date_start", "date_end", "period_start", "period_end", "date"):
            value = getattr(record, name, None)
            assert value is None or dt.date.fromisoformat(value).isoformat() == value
        assert 0.0 <= record.confidence <= 1.0
        if isinstance(record, Event):
            assert record.event_type in EVENT_TYPES
            assert record.tactic is None or record.tactic in TACTICS[record.event_type]
            assert record.actor_class is None or record.actor_class in ACTOR_CLASSES
            assert record.time_precision is None or record.time_precision in TIME_PRECISIONS
            assert record.geo_precision is None or record.geo_precision in GEO_PRECISIONS
        elif isinstance(record, Claim):
            assert record.category in CLAIM_CATEGORIES and record.qualifier in QUALIFIERS
        else:
            assert isinstance(record, Statement) and record.speaker
    for sentence in analysis.sentences:
        assert text[sentence.start:sentence.end] == sentence.text
        assert len(sentence.text) <= Limits().max_sentence_chars
    document = analysis.document()
    assert document.published is None or dt.date.fromisoformat(document.published)


PIPELINE = Pipeline(limits=Limits(seconds=20))


@fuzz(60)
@given(text=st.one_of(hostile_text, report_like()),
       published=st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))))
@example(text="\u200b" * 5_000 + GOOD, published=None)
@example(text="\u202e" + GOOD + "\u202c \u0627\u0639\u062f\u0627\u0645 \u06f1\u06f2 1401/06/25 \u200f", published=None)
@example(text=GOOD.replace(" ", "\u200c"), published=dt.date(2024, 5, 3))
def test_pipeline_never_raises_and_keeps_the_contract(text: str, published: dt.date | None) -> None:
    analysis = PIPELINE(Report(doc="fuzz", text=text, published=published))
    assert_contract(analysis)
    crashed = [p for p in analysis.problems if p.stage != "pipeline" and not p.message.startswith("implausible")]
    assert not crashed, crashed


@fuzz(8)
@given(text=long_line)
def test_long_lines_are_cut_and_still_keep_the_contract(text: str) -> None:
    analysis = PIPELINE(Report(doc="line", text=text))
    assert_contract(analysis)


@fuzz(100)
@given(text=st.text(st.sampled_from("ab \n\t\u200b\u3000"), max_size=400), limit=st.integers(2, 50))
def test_cut_sentence_keeps_offsets_and_every_word(text: str, limit: int) -> None:
    whole = Sentence(start=7, end=7 + len(text), text=text)
    pieces = cut_sentence(whole, limit)
    padded = "x" * 7 + text
    assert all(padded[p.start:p.end] == p.text and 0 < len(p.text) <= limit for p in pieces)
    assert [p.start for p in pieces] == sorted(p.start for p in pieces)
    assert "".join("".join(p.text.split()) for p in pieces) == "".join(text.split())
