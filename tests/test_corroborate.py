"""Corroboration: near-copies, repeated passages, incidents, corroboration and contested figures.

The corpus is synthetic and made here: pseudo-words drawn with Zipf frequencies, invented towns
and incidents, and documents with known copies (renamed, edited with 10 % of words changed,
syndicated under another header and footer, copies of copies, a copy published before its
source), compilation pages that repeat sections of other reports and one of their own, and
known incidents reported by several documents. Precision and recall must reach 0.95.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import itertools
import json
import math
import random
import shutil
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventledger import api
from eventledger.cli import main
from eventledger.corroborate import (
    Plan,
    apply_plan,
    assign_incidents,
    contested_figures,
    corroborate,
    corroboration,
    find_duplicate_documents,
    incident_corroboration,
    incidents,
    plan,
    repeated_passages,
)
from eventledger.corroborate.ledger import corroborate_ledger, ledger_figures, ledger_incidents
from eventledger.export import export
from eventledger.ingest.sources import load_registry
from eventledger.models import Analysis, Claim, Document, Event, Report
from eventledger.query import EventQuery
from eventledger.store import Ledger

SEEDS = Path("/work/shared/corpus/seeds")
FIRST_DAY = dt.date(2022, 1, 1)
PUBLISHERS = ("PMOI/MEK", "NCRI", "IRNA", "Fars News", "Amnesty International", "Hengaw", "HRANA", "Reuters",
              "BBC Persian", "Local Blog")
SYNDICATORS = ("Reuters", "Iran Focus", "Kayhan")
TYPES = ("protest", "arrest", "activism", "execution")
EVIDENCE_WORDS = 12


# --------------------------------------------------------------------------- words


class Words:
    """Pseudo-words of two to four syllables, drawn with Zipf frequencies (a shared common core)."""

    def __init__(self, rng: random.Random, size: int = 4000) -> None:
        syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
        vocab: dict[str, None] = {}
        while len(vocab) < size:
            vocab["".join(rng.choices(syllables, k=rng.randint(2, 4)))] = None
        self.rng, self.vocab = rng, list(vocab)
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(size)))

    def draw(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cumulative, k=k)

    def edit(self, words: Sequence[str], share: float) -> list[str]:
        """`words` with `share` of them (rounded up, at least one) replaced by other words."""
        out = list(words)
        for i in self.rng.sample(range(len(out)), max(1, math.ceil(len(out) * share))):
            out[i] = next(w for w in self.draw(5) if w != out[i])
        return out


# --------------------------------------------------------------------------- incidents


@dataclass(frozen=True)
class Truth:
    """A true incident: what every report of it says, up to one day."""

    number: int
    event_type: str
    town: int
    start: dt.date
    days: int  # span length minus one


def incident_pool(rng: random.Random, n: int) -> list[Truth]:
    """`n` incidents; two of the same type and town are at least four days apart."""
    pool: list[Truth] = []
    while len(pool) < n:
        kind, town = rng.choice(TYPES), rng.randrange(40)
        start, days = FIRST_DAY + dt.timedelta(days=rng.randrange(365)), rng.choice((0, 0, 1, 2))
        end = start + dt.timedelta(days=days)
        if all(start > t.start + dt.timedelta(days=t.days + 4) or end < t.start - dt.timedelta(days=4)
               for t in pool if (t.event_type, t.town) == (kind, town)):
            pool.append(Truth(len(pool), kind, town, start, days))
    return pool


def report_of(truth: Truth, doc: str, evidence: str, start: int, shift: int = 0) -> Event:
    """An event reporting `truth`, read from `evidence` at offset `start`, dated `shift` days later."""
    first = truth.start + dt.timedelta(days=shift)
    return Event(doc=doc, event_type=truth.event_type, date_start=first.isoformat(),
                 date_end=(first + dt.timedelta(days=truth.days)).isoformat(),
                 time_precision="day" if truth.days == 0 else "span", location=f"Town {truth.town}",
                 admin1=f"Province {truth.town % 7}", country="IR", geonameid=900_000 + truth.town,
                 geo_precision="city", evidence=evidence, evidence_start=start, evidence_end=start + len(evidence))


# --------------------------------------------------------------------------- documents


@dataclass
class Draft:
    """A document before rendering: paragraphs of words, and the incidents its paragraphs report."""

    doc: str
    paragraphs: list[list[str]]
    reports: dict[int, list[tuple[Truth, int]]] = field(default_factory=dict)  # paragraph -> (incident, shift)
    published: dt.date = FIRST_DAY
    publisher: str | None = None


def render(draft: Draft) -> tuple[Analysis, list[int]]:
    """The draft as an analysed report with its events, and each event's true incident number."""
    text, events, truths = f"Report {draft.doc}", [], []
    for i, words in enumerate(draft.paragraphs):
        text += "\n\n"
        start = len(text)
        text += " ".join(words) + "."
        for truth, shift in draft.reports.get(i, ()):
            events.append(report_of(truth, draft.doc, " ".join(words[:EVIDENCE_WORDS]), start, shift))
            truths.append(truth.number)
    report = Report(doc=draft.doc, text=text, published=draft.published, published_precision="day",
                    publisher=draft.publisher)
    return Analysis(report=report, events=tuple(events)), truths


@dataclass
class Corpus:
    analyses: list[Analysis]
    truths: dict[str, list[int]]  # doc -> true incident of each event
    copies: dict[str, str]  # doc -> the original it near-copies
    repeated: dict[str, int]  # doc -> events read from passages repeated from earlier ones

    @property
    def reports(self) -> list[Report]:
        return [a.report for a in self.analyses]


class CorpusMaker:
    """Builds the synthetic corpus, recording the truth as it goes."""

    def __init__(self, seed: int = 11, bases: int = 120) -> None:
        self.rng = random.Random(seed)
        self.words = Words(self.rng)
        self.pool = incident_pool(self.rng, 260)
        self.footers = {p: self.words.draw(30) for p in PUBLISHERS}
        self.drafts: list[Draft] = []
        self.copies: dict[str, str] = {}
        self.repeated: Counter[str] = Counter()
        self.bases = [self.base(i) for i in range(bases)]

    def base(self, number: int) -> Draft:
        rng, publisher = self.rng, self.rng.choice(PUBLISHERS)
        paragraphs = [self.words.draw(rng.randint(25, 80)) for _ in range(rng.randint(5, 8))]
        if rng.random() < 0.5:
            paragraphs.append(list(self.footers[publisher]))  # the outlet's boilerplate
        carriers = rng.sample(range(len(paragraphs) - 1), rng.randint(2, 4))
        reports = {i: [(rng.choice(self.pool), rng.choice((0, 0, 1)))] for i in carriers}
        published = FIRST_DAY + dt.timedelta(days=rng.randrange(400))
        return self.add(Draft(f"base-{number:03d}.txt", paragraphs, reports, published, publisher))

    def add(self, draft: Draft) -> Draft:
        self.drafts.append(draft)
        return draft

    def copy(self, source: Draft, doc: str, *, edit: float = 0.0, days: int = 1, publisher: str | None = None,
             frame: tuple[list[str], list[str]] | None = None, shift: int = 0) -> Draft:
        """A near-copy of `source`: words edited, published `days` later, optionally framed by a header/footer;
        its events dated `shift` days off the source's (a relative date resolved against another day)."""
        paragraphs = [self.words.edit(p, edit) if edit else list(p) for p in source.paragraphs]
        reports = {i: [(t, s + shift) for t, s in r] for i, r in source.reports.items()}
        if frame:
            paragraphs = [frame[0], *paragraphs, frame[1]]
            reports = {i + 1: r for i, r in reports.items()}
        published = source.published + dt.timedelta(days=days)
        return self.add(Draft(doc, paragraphs, reports, published, publisher or source.publisher))

    def compilation(self, number: int, sources: Sequence[Draft]) -> Draft:
        """Sections of `sources` after an intro of its own, the first section repeated at the end."""
        rng = self.rng
        intro = self.words.draw(40)
        paragraphs, reports = [intro], {0: [(rng.choice(self.pool), 0)]}
        sections = []
        for source in sources:
            first = rng.randrange(len(source.paragraphs) - 2)
            sections.append(range(first, first + rng.randint(2, 3)))
            for i in sections[-1]:
                reports[len(paragraphs)] = source.reports.get(i, [])
                self.repeated[f"compilation-{number:02d}.txt"] += len(source.reports.get(i, []))
                paragraphs.append(list(source.paragraphs[i]))
        again = sources[0]
        for i in sections[0]:
            reports[len(paragraphs)] = again.reports.get(i, [])
            self.repeated[f"compilation-{number:02d}.txt"] += len(again.reports.get(i, []))
            paragraphs.append(list(again.paragraphs[i]))
        latest = max(s.published for s in sources) + dt.timedelta(days=5)
        return self.add(Draft(f"compilation-{number:02d}.txt", paragraphs, reports, latest, "Local Blog"))

    def follow_up(self, number: int, source: Draft) -> Draft:
        """A later article reusing two fifths of `source`'s paragraphs among as many new ones: no copy."""
        rng = self.rng
        shared = sorted(rng.sample(range(len(source.paragraphs)), max(1, len(source.paragraphs) * 2 // 5)))
        doc = f"follow-up-{number:02d}.txt"
        paragraphs, reports = [], {}
        for i in shared:
            reports[len(paragraphs)] = source.reports.get(i, [])
            self.repeated[doc] += len(source.reports.get(i, []))
            paragraphs += [list(source.paragraphs[i]), self.words.draw(rng.randint(30, 70))]
        reports[len(paragraphs) - 1] = [(rng.choice(self.pool), 0)]
        published = source.published + dt.timedelta(days=2)
        return self.add(Draft(doc, paragraphs, reports, published, rng.choice(PUBLISHERS)))

    def feed_items(self, n: int) -> None:
        """Short one-paragraph items; some copied with 10 % of words changed, some sharing only their first half."""
        rng = self.rng
        for i in range(n):
            words = self.words.draw(rng.randint(30, 50))
            published = FIRST_DAY + dt.timedelta(days=rng.randrange(400))
            item = self.add(Draft(f"item-{i:02d}.txt", [words], {0: [(rng.choice(self.pool), 0)]}, published,
                                  rng.choice(PUBLISHERS)))
            if i % 3 == 0:
                self.copies[self.copy(item, f"item-copy-{i:02d}.txt", edit=0.1, publisher="Iran Focus").doc] = item.doc
            elif i % 3 == 1:
                half = [*words[:len(words) // 2], *self.words.draw(len(words) - len(words) // 2)]
                self.add(Draft(f"item-other-{i:02d}.txt", [half], {}, published, "Local Blog"))

    def make(self) -> Corpus:
        rng, bases = self.rng, self.bases
        picked = rng.sample(bases, 66)
        for i, source in enumerate(picked[:5]):  # renamed copies, same day
            self.copies[self.copy(source, f"copy-{i:02d}.txt", days=0).doc] = source.doc
        for i, source in enumerate(picked[5:25]):  # edited copies, 10 % of words changed, some dated off
            edited = self.copy(source, f"edited-{i:02d}.txt", edit=0.1, publisher="Iran News Update",
                               shift=(0, 1, 7)[i % 3])
            self.copies[edited.doc] = source.doc
        frames = {s: (self.words.draw(28), self.words.draw(32)) for s in SYNDICATORS}
        for i, source in enumerate(picked[25:40]):  # syndicated: another header and footer, a few words changed
            syndicator = SYNDICATORS[i % len(SYNDICATORS)]
            made = self.copy(source, f"syndicated-{i:02d}.txt", edit=0.03, publisher=syndicator,
                             frame=frames[syndicator])
            self.copies[made.doc] = source.doc
        for i, source in enumerate(picked[40:43]):  # an edited copy published before its source
            earlier = self.copy(source, f"earlier-{i:02d}.txt", edit=0.1, days=-3, publisher="IRNA")
            self.copies[source.doc] = earlier.doc
        for i, source in enumerate(picked[43:46]):  # a copy of an edited copy: both name the source
            edited = self.copy(source, f"chain-edited-{i:02d}.txt", edit=0.1)
            again = self.copy(edited, f"chain-syndicated-{i:02d}.txt", edit=0.03, frame=frames["Reuters"])
            self.copies[edited.doc] = self.copies[again.doc] = source.doc
        for i in range(10):
            self.compilation(i, rng.sample(picked[46:], 3))
        for i, source in enumerate(rng.sample([b for b in bases if b not in picked], 8)):
            self.follow_up(i, source)
        self.feed_items(24)
        rendered = [render(d) for d in self.drafts]
        return Corpus([a for a, _ in rendered], {a.report.doc: t for a, t in rendered}, dict(self.copies),
                      {doc: n for doc, n in self.repeated.items() if n})


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return CorpusMaker().make()


@pytest.fixture(scope="module")
def decided(corpus: Corpus) -> Plan:
    return plan(corpus.analyses)


# --------------------------------------------------------------------------- scoring


def precision_recall(predicted: set, truth: set) -> tuple[float, float]:
    hits = len(predicted & truth)
    return hits / (len(predicted) or 1), hits / (len(truth) or 1)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(predicted: Sequence[str], truth: Sequence[int]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering (`predicted` labels) against `truth` labels."""
    both = sum(_pairs(n) for n in Counter(zip(predicted, truth, strict=True)).values())
    predicted_pairs = sum(_pairs(n) for n in Counter(predicted).values())
    true_pairs = sum(_pairs(n) for n in Counter(truth).values())
    return both / (predicted_pairs or 1), both / (true_pairs or 1)


# --------------------------------------------------------------------------- duplicates


def test_duplicate_documents_precision_recall(corpus: Corpus) -> None:
    found = find_duplicate_documents(corpus.reports)
    precision, recall = precision_recall(set(found.items()), set(corpus.copies.items()))
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    kinds = ("copy", "edited", "syndicated", "earlier", "chain", "item-copy")
    for kind in kinds:  # every kind of copy is found, not only the easy ones
        wanted = {d for d in corpus.copies if d.startswith(kind)} | {
            d for d, o in corpus.copies.items() if o.startswith(kind)}
        assert wanted and len(wanted & set(found)) >= 0.9 * len(wanted), kind
    assert not any(doc.startswith(("compilation", "follow-up", "item-other")) for doc in found)


def test_original_is_earliest_published_then_first_seen() -> None:
    words = Words(random.Random(3))
    body = "\n\n".join(" ".join(words.draw(40)) for _ in range(4))
    day = dt.date(2023, 5, 1)
    a = Report(doc="b.txt", text=body, published=day)
    b = Report(doc="a.txt", text="Header line\n\n" + body, published=day)
    c = Report(doc="c.txt", text=body, published=day - dt.timedelta(days=2))
    assert find_duplicate_documents([a, b]) == {"a.txt": "b.txt"}  # same day: the first seen
    assert find_duplicate_documents([a, b, c]) == {"a.txt": "c.txt", "b.txt": "c.txt"}
    assert find_duplicate_documents([a, Report(doc="d.txt", text=" ".join(words.draw(200)))]) == {}


def test_repeated_passages_within_and_across_documents(corpus: Corpus) -> None:
    groups = repeated_passages(corpus.reports)
    inside = [g for g in groups if len({p.doc for p in g if p.doc.startswith("compilation-00")}) == 1
              and sum(p.doc == "compilation-00.txt" for p in g) == 2]
    assert inside, "the compilation's repeated section is found within the document"
    text = {r.doc: r.text for r in corpus.reports}
    for group in inside:
        first, again = (p for p in group if p.doc == "compilation-00.txt")
        assert first.start < again.start
        assert text[first.doc][first.start:first.end] == text[again.doc][again.start:again.end]
        assert group[0].doc.startswith(("base", "earlier")), "the original is the source, published earlier"


# --------------------------------------------------------------------------- records read twice


def test_repeated_records_kept_once(corpus: Corpus, decided: Plan) -> None:
    dropped = {decided.docs[position]: len(refs) for position, refs in decided.dropped.items()}
    assert dropped == corpus.repeated
    assert not any(doc in corpus.copies for doc in dropped), "near-copies keep their records"
    out = corroborate(corpus.analyses)
    copies = set(decided.duplicates)
    counted = sum(len(a.events) for a in out if a.report.doc not in copies)
    originals = sum(len(t) for d, t in corpus.truths.items() if d not in copies)
    assert counted == originals - sum(corpus.repeated.values())
    assert {a.report.doc: a.document().duplicate_of for a in out if a.document().duplicate_of} == decided.duplicates


def test_apply_plan_is_pure(corpus: Corpus, decided: Plan) -> None:
    before = corpus.analyses[0]
    after = apply_plan(before, decided, 0)
    assert before.events[0].incident is None and after.events[0].incident is not None
    assert after.report.doc == before.report.doc and len(after.events) <= len(before.events)


# --------------------------------------------------------------------------- incidents


def _labels(corpus: Corpus, out: Iterable[Analysis], decided: Plan) -> tuple[list[str], list[int]]:
    predicted, truth = [], []
    for position, analysis in enumerate(out):
        doc = analysis.report.doc
        dropped = decided.dropped.get(position, ())
        kept = [t for i, t in enumerate(corpus.truths[doc]) if ("event", i) not in dropped]
        predicted += [e.incident for e in analysis.events]
        truth += kept
    return predicted, truth


def test_incident_grouping_precision_recall(corpus: Corpus, decided: Plan) -> None:
    out = [apply_plan(a, decided, i) for i, a in enumerate(corpus.analyses)]
    predicted, truth = _labels(corpus, out, decided)
    precision, recall = pairwise_scores(predicted, truth)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    assert len(set(predicted)) == len(set(truth))  # reports of one incident are one incident, copies included


def test_copies_do_not_add_incidents(corpus: Corpus, decided: Plan) -> None:
    out = [apply_plan(a, decided, i) for i, a in enumerate(corpus.analyses)]
    copies = set(decided.duplicates)
    everything = {e.incident for a in out for e in a.events}
    without = {e.incident for a in out if a.report.doc not in copies for e in a.events}
    assert everything == without


def _event(**fields: object) -> Event:
    base: dict[str, object] = {"doc": "a.txt", "event_type": "protest", "location": "Town 1", "admin1": "P",
                               "country": "IR", "geonameid": 1, "geo_precision": "city",
                               "date_start": "2023-03-01", "date_end": "2023-03-01", "time_precision": "day"}
    return Event(**{**base, **fields})  # type: ignore[arg-type]


def test_incident_rules() -> None:
    events = [
        _event(doc="a"), _event(doc="b", date_start="2023-03-02", date_end="2023-03-02"),  # touch: one
        _event(doc="c", date_start="2023-03-02", date_end="2023-03-04"),  # overlaps b: chained
        _event(doc="d", date_start="2023-03-07", date_end="2023-03-07"),  # two days after: another
        _event(doc="e", event_type="arrest"),  # another type
        _event(doc="f", geonameid=2, location="Town 2"),  # another town
        _event(doc="g", location=None, geonameid=None, geo_precision="province"),  # the province: another
        _event(doc="h", location=None, geonameid=None, geo_precision="province"),  # ... the same province
        _event(doc="i", date_start="2023-03-01", date_end="2023-03-31", time_precision="month"),  # vague
        _event(doc="j", date_start="2023-03-01", date_end="2023-03-31", time_precision="month"),
        _event(doc="k", date_start=None, date_end=None, evidence="Crowds gathered."),  # undated
        _event(doc="l", date_start=None, date_end=None, evidence="Crowds  gathered."),  # same sentence
        _event(doc="m", date_start=None, date_end=None, evidence="Other words."),
    ]
    ids = [e.incident for e in assign_incidents(events)]
    same = [{0, 1, 2}, {3}, {4}, {5}, {6, 7}, {8, 9}, {10, 11}, {12}]
    assert len(set(ids)) == len(same)
    for group in same:
        assert len({ids[i] for i in group}) == 1
    shuffled = list(reversed(events))
    assert [e.incident for e in reversed(assign_incidents(shuffled))] == ids  # deterministic, order-free
    assert all(i.startswith("inc-") and len(i) == 16 for i in ids)


def test_reports_sharing_a_doc_name_are_told_apart() -> None:
    words = Words(random.Random(4))
    texts = ["\n\n".join(" ".join(words.draw(40)) for _ in range(3)) for _ in range(2)]
    batch = [Analysis(report=Report(doc="index.html", text=t), events=(_event(doc="index.html", evidence=t[:20],
                                                                              evidence_end=20),)) for t in texts]
    out = corroborate(batch)
    assert [a.report.duplicate_of for a in out] == [None, None] and all(len(a.events) == 1 for a in out)
    out = corroborate([*batch, batch[0]])  # the same report twice: the second is the copy
    assert [a.report.duplicate_of for a in out] == [None, None, "index.html"]


def test_copy_event_joins_its_original_incident_despite_a_date_shift() -> None:
    text = "\n\n".join(" ".join(Words(random.Random(5)).draw(60)) for _ in range(3))
    original = Analysis(report=Report(doc="a.txt", text=text, published=dt.date(2023, 3, 2)),
                        events=(_event(doc="a.txt"),))
    copy = Analysis(report=Report(doc="b.txt", text=text, published=dt.date(2023, 3, 9)),
                    events=(_event(doc="b.txt", date_start="2023-03-08", date_end="2023-03-08"),))
    out = corroborate([original, copy])
    assert out[1].report.duplicate_of == "a.txt"
    assert out[0].events[0].incident == out[1].events[0].incident


# --------------------------------------------------------------------------- corroboration


def _doc(doc: str, publisher: str | None, duplicate_of: str | None = None) -> Document:
    return Document(doc=doc, publisher=publisher, duplicate_of=duplicate_of)


def test_corroboration_counts_independent_affiliations() -> None:
    registry = load_registry()
    documents = {d.doc: d for d in (
        _doc("a", "PMOI/MEK"), _doc("b", "NCRI"), _doc("c", "IRNA"), _doc("d", "Fars News"),
        _doc("e", "Amnesty International"), _doc("f", "Unlisted Outlet"), _doc("g", None),
        _doc("h", "Reuters", duplicate_of="e"))}

    def score(*docs: str) -> int:
        return corroboration([_event(doc=d) for d in docs], documents, registry)

    assert score("a") == 1 and score("a", "b") == 1  # two opposition outlets: one affiliation
    assert score("a", "c") == 2 and score("c", "d") == 1  # state and state-affiliated: one camp
    assert score("a", "c", "e") == 3
    assert score("f", "g") == 0 and score("a", "f") == 1  # unregistered publishers add nothing
    assert score("a", "h") == 1  # a near-copy is no independent report
    events = assign_incidents([_event(doc="a"), _event(doc="e"), _event(doc="c", event_type="arrest")])
    assert sorted(incident_corroboration(events, documents, registry).values()) == [1, 2]
    listed = incidents(events, documents, registry)
    assert [(i.event_type, i.corroboration, i.documents) for i in listed] == [
        ("arrest", 1, ("c",)), ("protest", 2, ("a", "e"))]
    assert listed[1].affiliations == ("independent human-rights group", "opposition-affiliated")


# --------------------------------------------------------------------------- contested figures


def _claim(doc: str, value: int, **fields: object) -> Claim:
    base: dict[str, object] = {"category": "executed", "place": "IR", "period_start": "2022-01-01",
                               "period_end": "2022-12-31", "claimed_by": None}
    return Claim(doc=doc, value=value, **{**base, **fields})  # type: ignore[arg-type]


def test_contested_figures_side_by_side() -> None:
    claims = [
        _claim("a", 576, claimed_by="Iran Human Rights"), _claim("b", 582, claimed_by="Amnesty International"),
        _claim("c", 576, claimed_by="Iran Human Rights"),  # the same source again
        _claim("d", 300, period_start="2022-10-01"),  # the last quarter only: another period
        _claim("e", 110, period_start="2023-04-21", period_end=None, claimed_by="Amnesty International"),
        _claim("f", 90, period_start="2023-04-24", period_end=None),  # since three days later: the same
        _claim("g", 500, category="arrested", claimed_by="HRANA"),  # another category
        _claim("h", 580, place="Tehran", claimed_by="HRANA"),  # another place
        _claim("i", 20, period_start=None, period_end=None, claimed_by="HRANA"),
    ]
    groups = contested_figures(claims, publishers={"d": "IRNA", "f": "PMOI/MEK"})
    assert [(g.period_start, g.values, g.sources) for g in groups] == [
        ("2022-01-01", (576, 582), ("Amnesty International", "Iran Human Rights")),
        ("2023-04-21", (90, 110), ("Amnesty International", "PMOI/MEK")),
    ]
    assert all(g.contested for g in groups)
    assert len(contested_figures(claims, min_sources=1)) == 6


# --------------------------------------------------------------------------- the ledger


def _small(corpus: Corpus) -> list[Analysis]:
    """The corpus' copies, their sources and two compilations (enough for the ledger, quickly)."""
    wanted = set(corpus.copies) | set(corpus.copies.values()) | {"compilation-00.txt", "compilation-01.txt"}
    sources = {g[0].doc for g in repeated_passages([a.report for a in corpus.analyses if a.report.doc in wanted])}
    return [a for a in corpus.analyses if a.report.doc in wanted | sources]


def test_ledger_recorroborates_idempotently_in_any_order(corpus: Corpus, tmp_path: Path) -> None:
    analyses = _small(corpus)
    expected = corroborate(analyses)
    results = []
    for name, order in (("forward", analyses), ("backward", list(reversed(analyses)))):
        with Ledger(tmp_path / f"{name}.db") as ledger:
            ledger.write_many(order)
            corroborate_ledger(ledger)
            first = list(ledger.records())
            corroborate_ledger(ledger)  # again: nothing changes
            assert list(ledger.records()) == first
            results.append((first, ledger.summary()))
    assert results[0] == results[1]
    records, summary = results[0]
    assert [r for r in records if isinstance(r, Event)] == sorted(
        (e for a in expected for e in a.events), key=lambda e: e.doc)
    copies = {a.report.doc for a in expected if a.report.duplicate_of}
    assert summary["duplicate_documents"] == len(copies)
    assert summary["events"] == sum(len(a.events) for a in expected if a.report.doc not in copies)
    assert summary["incidents"] == len({e.incident for a in expected for e in a.events})


def test_reingest_of_a_compilation_drops_its_repeats_again(corpus: Corpus, tmp_path: Path) -> None:
    analyses = _small(corpus)
    by_doc = {a.report.doc: a for a in analyses}
    with Ledger(tmp_path / "ledger.db") as ledger:
        ledger.write_many(analyses)
        corroborate_ledger(ledger)
        before = ledger.summary()
        ledger.write(by_doc["compilation-00.txt"])  # re-ingested: all its records come back ...
        assert ledger.summary()["events"] > before["events"]
        corroborate_ledger(ledger)  # ... and those read from repeated passages go again
        assert ledger.summary() == before


def test_ledger_listings_and_exports(tmp_path: Path) -> None:
    text = "\n\n".join(" ".join(Words(random.Random(9)).draw(50)) for _ in range(3))
    day = dt.date(2022, 10, 1)
    docs = [("a.txt", "PMOI/MEK", text), ("b.txt", "Amnesty International", "Amnesty says: " + text[:200]),
            ("c.txt", "Reuters", text)]
    analyses = [Analysis(report=Report(doc=d, text=t, published=day, publisher=p),
                         events=(_event(doc=d, evidence=t[:30], evidence_end=30),),
                         claims=(_claim(d, 576 + i, claimed_by=p),)) for i, (d, p, t) in enumerate(docs)]
    db = tmp_path / "ledger.db"
    with Ledger(db) as ledger:
        ledger.write_many(analyses)
        corroborate_ledger(ledger)
        found = ledger_incidents(ledger)
        assert len(found) == 1 and found[0].corroboration == 2 and found[0].documents == ("a.txt", "b.txt", "c.txt")
        assert [g.sources for g in ledger_figures(ledger)] == [("Amnesty International", "PMOI/MEK")]
    info = api.ledger_summary(db)
    assert (info["incidents"], info["duplicate_documents"], info["incidents_by_corroboration"]) == (1, 1, {2: 1})
    for fmt in ("csv", "acled-csv"):
        out = tmp_path / f"events.{fmt}"
        assert api.export_ledger(db, fmt, out) == 3
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert {(r["incident"], r["corroboration"]) for r in rows} == {(found[0].incident, "2")}


def test_geojson_and_csv_carry_corroboration() -> None:
    event = dataclasses.replace(_event(latitude=29.5, longitude=60.9), incident="inc-x")
    out = io.StringIO()
    export([event], "geojson", out, corroboration={"inc-x": 3})
    assert json.loads(out.getvalue())["features"][0]["properties"]["corroboration"] == 3
    out = io.StringIO()
    export([event], "csv", out, corroboration={"inc-x": 3})
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["incident"], row["corroboration"]) == ("inc-x", "3")


def test_incidents_and_figures_commands(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    texts = {"a.txt": "Police arrested forty students in Town 1 on Monday after the rally, the group said.",
             "b.txt": "Twelve rioters were detained in Town 1, the prosecutor told the agency on Monday."}
    with Ledger(db) as ledger:
        for doc, publisher, value in (("a.txt", "HRANA", 40), ("b.txt", "IRNA", 12)):
            text = texts[doc]
            ledger.write(Analysis(report=Report(doc=doc, text=text, publisher=publisher),
                                  events=(_event(doc=doc, event_type="arrest", evidence=text,
                                                 evidence_end=len(text)),),
                                  claims=(_claim(doc, value, category="arrested", claimed_by=publisher),)))
        corroborate_ledger(ledger)
    runner = CliRunner()
    listed = runner.invoke(main, ["incidents", "--db", str(db)])
    assert listed.exit_code == 0 and "corroboration 2" in listed.output and "a.txt (HRANA)" in listed.output
    data = json.loads(runner.invoke(main, ["incidents", "--db", str(db), "--json"]).output)
    assert data[0]["corroboration"] == 2 and len(data[0]["reports"]) == 2
    figures = runner.invoke(main, ["figures", "--db", str(db)])
    assert figures.exit_code == 0 and "contested" in figures.output and "40" in figures.output
    assert json.loads(runner.invoke(main, ["figures", "--db", str(db), "--json"]).output)[0]["values"] == [12, 40]
    assert runner.invoke(main, ["incidents", "--db", str(tmp_path / "none.db")]).exit_code == 3


# --------------------------------------------------------------------------- speed


def test_clustering_100k_events_groups_them() -> None:
    """The time is reported by scripts/bench_corroborate.py; here that 100k events cluster at all."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    try:
        import bench_corroborate
    finally:
        sys.path.pop(0)
    result = bench_corroborate.run(100_000)
    assert 0 < result["incidents"] < 100_000


# --------------------------------------------------------------------------- acceptance


def _incidents_in(path: Path) -> tuple[set[str], dict[str, str | None]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return ({r["incident"] for r in rows if r["kind"] == "event"},
            {r["doc"]: r["duplicate_of"] for r in rows if r["kind"] == "document"})


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed corpus ({SEEDS}) is not on this machine")
def test_seeds_plus_renamed_copy_add_no_incident(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    copy = tmp_path / "renamed" / f"renamed-{seeds[-1].name}"
    copy.parent.mkdir()
    shutil.copyfile(seeds[-1], copy)
    api.extract_to_jsonl([SEEDS], tmp_path / "seeds.jsonl")
    api.extract_to_jsonl([SEEDS, copy.parent], tmp_path / "both.jsonl")
    alone, _ = _incidents_in(tmp_path / "seeds.jsonl")
    both, documents = _incidents_in(tmp_path / "both.jsonl")
    assert alone and None not in alone
    assert len(both) == len(alone)
    assert documents[copy.name] == seeds[-1].name
    assert [d for d, original in documents.items() if original] == [copy.name]


# --------------------------------------------------------------------------- templates are not copies


_TEMPLATE = ("On {day} March 2024, about {n} retired steelworkers gathered outside the pension office in {town} "
             "to demand that their monthly payments be raised in line with inflation.")


def _template_batch(tmp_path: Path) -> Path:
    towns = ("Tabriz", "Shiraz", "Kerman", "Yazd", "Rasht", "Arak", "Sanandaj", "Zanjan")
    rows = [{"id": f"note{i}", "text": _TEMPLATE.format(day=3 + i % 3, n=20 + 5 * i, town=town),
             "published": "2024-03-10"} for i, town in enumerate(towns)]
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_templated_notes_about_other_days_and_figures_are_no_copies(tmp_path: Path) -> None:
    path = _template_batch(tmp_path)
    alone = [a for a in api.extract([path]) if isinstance(a, Analysis)]
    batch = corroborate(alone)
    assert all(a.report.duplicate_of is None for a in batch)
    assert [len(a.events) for a in batch] == [len(a.events) for a in alone] == [1] * 8


def test_a_repeated_passage_drops_only_records_of_the_same_key() -> None:
    """A compilation repeating a paragraph drops the repeat's record; the same wording with another
    date is another record (the key holds the type, place, date span and counts)."""
    from eventledger.corroborate import record_key

    one = Event(doc="a", event_type="arrest", tactic="arrest", date_start="2024-03-03", date_end="2024-03-03",
                location="Arak", geo_precision="city", arrests=4)
    assert record_key(one) == record_key(dataclasses.replace(one, doc="b"))
    assert record_key(one) != record_key(dataclasses.replace(one, date_start="2024-03-04", date_end="2024-03-04"))
    assert record_key(one) != record_key(dataclasses.replace(one, arrests=5))


# --------------------------------------------------------------------------- a copy reports the same thing

_NOTE = ("On {date}, about {n} retired railway workers gathered in front of the provincial pension "
         "office in {town} city ({province} province) to demand the payment of their delayed pensions.")
_SYNDICATED_BODY = (
    "About {n} retired railway workers gathered on {day} April 2023 in front of the provincial pension office "
    "in {town} to demand the payment of pensions delayed for four months, witnesses said.\n\n"
    "The retirees carried placards and chanted against the managers of the national pension fund, who had "
    "promised in March that every delayed payment would be settled before the new year.\n\n"
    "Security forces watched the gathering from across the street but made no arrests, according to the "
    "witnesses, who said that a similar gathering was planned for the following week.")


def _cities(n: int) -> list[tuple[str, str]]:
    """`n` Iranian towns of the packaged gazetteer with their provinces (largest first), one name each."""
    from eventledger.gazetteer import load

    towns = sorted((p for p in load().places if p.level == "city" and p.country == "IR" and p.admin1
                    and p.name.isalpha()), key=lambda p: -p.population)
    seen: dict[str, str] = {}
    for town in towns:
        seen.setdefault(town.name, town.admin1 or "")
    return list(seen.items())[:n]


def _template_notes(n: int = 100) -> list[dict[str, str]]:
    """`n` notes of one template; each changes the town, the day or the figure of the first."""
    cities = _cities(n)
    rows = []
    for i in range(n):
        town, province = cities[i] if i % 3 == 0 else cities[0]
        day = dt.date(2023, 4, 1) + dt.timedelta(days=i // 3 + 1 if i % 3 == 1 else 0)
        figure = 30 + i if i % 3 == 2 else 30
        rows.append({"id": f"note{i:03d}", "published": "2023-05-10",
                     "text": _NOTE.format(date=f"{day.day} {day:%B %Y}", n=figure, town=town, province=province)})
    assert len({r["text"] for r in rows}) == n
    return rows


def _write(rows: Sequence[dict[str, str]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _keys(analyses: Iterable[Analysis]) -> list[tuple[str, tuple[object, ...]]]:
    from eventledger.corroborate import record_key

    return sorted((a.report.doc, record_key(e)) for a in analyses for e in a.events)


def test_100_template_notes_about_other_towns_days_and_figures_give_100_events(tmp_path: Path) -> None:
    path = _write(_template_notes(), tmp_path / "notes.jsonl")
    alone = [a for a in api.extract([path]) if isinstance(a, Analysis)]
    assert len(alone) == 100 and all(a.events for a in alone)
    batch = corroborate(alone)
    assert [a.report.duplicate_of for a in batch] == [None] * 100
    assert _keys(batch) == _keys(alone)  # batch and single extraction agree: no event lost
    api.ingest([path], db=tmp_path / "ledger.db")
    with Ledger(tmp_path / "ledger.db") as ledger:
        assert ledger.summary()["events"] == len(_keys(alone)) and ledger.summary()["duplicate_documents"] == 0
        assert all(d.duplicate_of is None for d in ledger.documents())


def test_batch_and_single_extraction_agree_on_a_template_corpus(tmp_path: Path) -> None:
    """A generated corpus of template-written notes (two templates, other towns, days and figures) with
    no real copy: extracting it as one batch gives each note's events extracted alone."""
    rows = _template_notes(60)
    cities = _cities(30)
    rows += [{"id": f"long{i:02d}", "published": "2023-05-02",
              "text": _SYNDICATED_BODY.format(n=40 + i, day=2 + i % 20, town=cities[i][0])} for i in range(30)]
    path = _write(rows, tmp_path / "corpus.jsonl")
    batch = [a for a in api.extract([path]) if isinstance(a, Analysis)]
    one_by_one = []
    for row in rows:
        one = _write([row], tmp_path / f"{row['id']}.jsonl")
        one_by_one += [a for a in api.extract([one]) if isinstance(a, Analysis)]
    assert all(a.report.duplicate_of is None for a in batch)
    assert _keys(batch) == _keys(one_by_one) and len(_keys(batch)) >= len(rows)


def test_a_syndicated_copy_under_another_header_and_footer_is_still_a_copy(tmp_path: Path) -> None:
    """The same article (one word changed, a name spelled another way) under another outlet's header and
    footer is a near-copy, and its records are not counted twice; the same template about another
    town is not."""
    body = _SYNDICATED_BODY.format(n=45, day=9, town="Isfahan")
    copy = body.replace("witnesses said", "witnesses reported").replace("Isfahan", "Esfahan")
    other = _SYNDICATED_BODY.format(n=45, day=9, town="Shiraz")
    rows = [{"id": "first", "published": "2023-04-10", "text": "Retirees rally over delayed pensions\n\n" + body},
            {"id": "copy", "published": "2023-04-11",
             "text": "Pensioners protest, an agency relays\n\n" + copy
             + "\n\nThis article was first published by another outlet and is republished here with permission."},
            {"id": "other", "published": "2023-04-10", "text": "Retirees rally in another town\n\n" + other}]
    path = _write(rows, tmp_path / "three.jsonl")
    batch = corroborate([a for a in api.extract([path]) if isinstance(a, Analysis)])
    expected = {"first": (None, None), "copy": ("first", "shared-paragraphs"), "other": (None, None)}
    assert {a.report.doc: (a.report.duplicate_of, a.report.duplicate_rule) for a in batch} == expected
    api.ingest([path], db=tmp_path / "ledger.db")
    with Ledger(tmp_path / "ledger.db") as ledger:
        assert {d.doc: (d.duplicate_of, d.duplicate_rule) for d in ledger.documents()} == expected
        counted = ledger.summary()
        assert counted["duplicate_documents"] == 1
        assert counted["events"] == sum(len(a.events) for a in batch if a.report.duplicate_of is None)
        # the event list, the map and the timeline count what the summary counts
        assert ledger.count_events() == counted["events"] < len(list(ledger.events()))
        assert sum(n for _, n, _ in ledger.event_groups(None, ("latitude", "longitude"))) == counted["events"]
        assert sum(n for _, n, _ in ledger.event_groups(None, ("date_start", "event_type"))) == counted["events"]
        assert {e.incident for e in ledger.events() if e.doc != "copy"} == {
            e.incident for e in ledger.events()}  # the copy's events join their original's incidents
        assert counted["incidents"] == len({e.incident for e in ledger.events()})
        assert ledger.count_events(EventQuery(doc="copy")) == len(list(ledger.events(doc="copy"))) > 0
    listed = CliRunner().invoke(main, ["incidents", "--db", str(tmp_path / "ledger.db")])
    assert listed.exit_code == 0 and "near-copy of first by rule shared-paragraphs" in listed.output


def test_an_identical_copy_names_its_rule(tmp_path: Path) -> None:
    text = _SYNDICATED_BODY.format(n=45, day=9, town="Tabriz")
    rows = [{"id": f"doc{i}", "published": "2023-04-10", "text": text} for i in range(2)]
    path = _write(rows, tmp_path / "two.jsonl")
    batch = corroborate([a for a in api.extract([path]) if isinstance(a, Analysis)])
    assert [(a.report.duplicate_of, a.report.duplicate_rule) for a in batch] == [(None, None),
                                                                                 ("doc0", "identical-text")]
    for step in (corroborate_ledger, None):
        db = tmp_path / f"{step is None}.db"
        if step is None:
            api.ingest([path], db=db)
        else:
            with Ledger(db) as ledger:
                ledger.write_many(a for a in api.extract([path]) if isinstance(a, Analysis))
                step(ledger)
        with Ledger(db) as ledger:
            assert [(d.duplicate_of, d.duplicate_rule) for d in ledger.documents()] == [(None, None),
                                                                                        ("doc0", "identical-text")]


def test_names_and_their_spellings() -> None:
    from eventledger.corroborate.passages import names_in, same_names, similar

    text = "Police said. On 2 May, nurses of Sina Hospital rallied in Kerman (Kerman province)."
    assert names_in(text) == ("may", "sina", "hospital", "kerman", "kerman")  # no sentence openers
    assert same_names(("tehran", "may"), ("teheran", "may"))  # one name spelled two ways
    assert not same_names(("kerman", "may"), ("kermanshah", "may"))
    assert not same_names(("tabriz",), ("shiraz",))
    assert same_names(("tehran",), ("tehran", "iran"))  # a name added on one side only
    assert not same_names(("arak", "markazi"), ("markazi", "markazi"))  # a town named as its province
    sentence = "on 2 may nurses of the hospital rallied in the town square over unpaid wages"
    words = tuple(sentence.split(" "))
    assert similar(words, words, ("may", "arak"), ("may", "arak"))
    assert not similar(words, words, ("may", "arak"), ("may", "rasht"))
