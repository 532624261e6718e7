"""Typed records that cross every boundary of the pipeline.

Two families live here:

* **Ledger records** (`Document`, `Event`, `Claim`, `Statement`) carry exactly the fields of
  the codebook (``../shared/codebook.md``), plus the provenance every record needs and the
  codebook is silent about: character offsets of the evidence (`evidence_start`,
  `evidence_end`), a `confidence` and the `extractor` version that produced them.
* **Working objects** (`Report`, `Sentence`, `Place`, `PlaceMention`, `DateMention`,
  `Analysis`) that the stages pass along: a report's text and metadata, its sentences, the
  places and dates found in it, each with offsets into `Report.text`.

Every dataclass is frozen; stages return new objects (`dataclasses.replace`).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import operator
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

EXTRACTOR_VERSION = "eventledger.rules.v1"
_T = TypeVar("_T", bound=type)

EventType = Literal[
    "protest", "activism", "property_attack", "cyber", "arrest", "assault",
    "execution", "sentence", "armed_clash", "explosion",
]
EVENT_TYPES: tuple[str, ...] = (
    "protest", "activism", "property_attack", "cyber", "arrest", "assault",
    "execution", "sentence", "armed_clash", "explosion",
)
TACTICS: dict[str, tuple[str, ...]] = {
    "protest": ("rally", "march", "strike", "chanting", "vigil", "boycott"),
    "activism": ("graffiti", "poster", "banner", "leaflet", "projection", "video", "broadcast", "slogan"),
    "property_attack": ("arson", "vandalism", "unspecified"),
    "cyber": ("hack", "takeover", "leak"),
    "arrest": ("arrest", "disappearance"),
    "assault": ("shooting", "beating", "custody", "unspecified"),
    "execution": ("hanging", "unspecified"),
    "sentence": ("prison", "death", "flogging", "indictment"),
    "armed_clash": ("clash", "ambush"),
    "explosion": ("bomb", "mine", "shelling", "air_strike", "drone"),
}
ACTOR_CLASSES: tuple[str, ...] = ("opposition", "civilians", "state", "foreign", "unknown")
TIME_PRECISIONS: tuple[str, ...] = ("day", "span", "month", "year")
GEO_PRECISIONS: tuple[str, ...] = ("city", "province", "country")
PUBLISHED_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "inferred")
QUALIFIERS: tuple[str, ...] = ("exact", "at_least", "about")
CLAIM_CATEGORIES: tuple[str, ...] = (
    "killed", "executed", "arrested", "imprisoned_or_missing", "injured", "indicted",
    "operations", "messages", "participants", "deaths", "other",
)


def pickled_by_fields(cls: _T) -> _T:
    """Pickle instances of the frozen dataclass `cls` as `cls(*init_fields)`.

    Analyses cross process boundaries (`--workers`, Dask) by pickling, and the default for a
    frozen dataclass with slots runs a Python `__setstate__` that sets every field through
    `object.__setattr__`: that made pickling an analysis cost about 2 ms, a fifth of analysing
    it, and on a 2-core machine the parent's unpickling competes with the workers. Here the
    values are read in C (`operator.attrgetter`) and unpickling calls the class itself: about a
    third of the cost, and the very same objects. Fields with `init=False` keep their defaults.
    """
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    values = operator.attrgetter(*names)
    if len(names) == 1:
        def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
            return cls, (values(self),)
    else:
        def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
            return cls, values(self)
    patched: Any = cls  # __reduce__ replaced on the class itself (its signature is not object's)
    patched.__reduce__ = __reduce__
    return cls


# --------------------------------------------------------------------------- ledger records


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Document:
    """One ingested article (codebook: document)."""

    doc: str
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    publisher: str | None = None
    language: str | None = None
    duplicate_of: str | None = None  # the `doc` this one near-copies (issue: corroboration)
    duplicate_rule: str | None = None  # which copy rule matched (`corroborate.passages.COPY_RULES`)
    kind: str = field(default="document", init=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at one place, on one day or span, done by one actor."""

    doc: str
    event_type: str
    tactic: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    time_precision: str | None = None
    location: str | None = None
    admin1: str | None = None
    country: str | None = None
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: str | None = None
    actor1: str | None = None
    actor_class: str | None = None
    target: str | None = None
    fatalities: int | None = None
    arrests: int | None = None
    count: int | None = None
    reported_by: str | None = None
    evidence: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    confidence: float = 0.5
    extractor: str = EXTRACTOR_VERSION
    incident: str | None = None  # shared by every report of the same incident
    kind: str = field(default="event", init=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Claim:
    """A figure someone asserts about many events or a period."""

    doc: str
    value: int
    qualifier: str = "exact"
    category: str = "other"
    period_start: str | None = None
    period_end: str | None = None
    place: str | None = None
    claimed_by: str | None = None
    evidence: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    confidence: float = 0.5
    extractor: str = EXTRACTOR_VERSION
    kind: str = field(default="claim", init=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Statement:
    """Someone on the record saying something the article reports as news."""

    doc: str
    speaker: str
    speaker_class: str | None = None
    date: str | None = None
    outlet: str | None = None
    quote: str | None = None
    evidence: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    confidence: float = 0.5
    extractor: str = EXTRACTOR_VERSION
    kind: str = field(default="statement", init=False)


Record = Document | Event | Claim | Statement
RECORD_TYPES: dict[str, type] = {
    "document": Document, "event": Event, "claim": Claim, "statement": Statement,
}


def record_to_dict(record: Record) -> dict[str, Any]:
    """The interchange form of a record: a flat dict with `kind` first."""
    out: dict[str, Any] = {"kind": record.kind}
    for f in dataclasses.fields(record):
        if f.name != "kind":
            out[f.name] = getattr(record, f.name)
    return out


def record_from_dict(row: dict[str, Any]) -> Record:
    """Build a record from its interchange form; unknown keys are ignored."""
    cls = RECORD_TYPES[row["kind"]]
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    return cls(**{k: v for k, v in row.items() if k in names})


# --------------------------------------------------------------------------- working objects


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Report:
    """A report as ingested: its text and what its container said about it.

    `published` here is only what metadata stated; the `published` stage may fill it from a
    dateline or infer it from the text (then `published_precision == "inferred"`).
    """

    doc: str
    text: str
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: dt.date | None = None
    published_precision: str | None = None
    publisher: str | None = None
    language: str | None = "en"
    source_path: str | None = None
    fmt: str = "text"
    duplicate_of: str | None = None  # set by `eventledger.corroborate`: the report this near-copies
    notes: tuple[str, ...] = ()  # what reading repaired (lone surrogates, an id clash): problems of stage "ingest"
    pages: tuple[int, ...] = ()  # paged formats (PDF): the offset in `text` where each page starts
    duplicate_rule: str | None = None  # and which copy rule matched (`corroborate.passages.COPY_RULES`)


def page_of(report: Report, offset: int) -> int | None:
    """The page (1-based) of `report` that holds the character at `offset`, or None when the
    report has no pages (only PDFs have)."""
    if not report.pages:
        return None
    return max(1, bisect.bisect_right(report.pages, offset))


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of `Report.text`: `text == report.text[start:end]`."""

    start: int
    end: int
    text: str
    paragraph: int = 0


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a city/town, a province or a country."""

    name: str
    level: str  # city | province | country
    country: str | None = "IR"
    admin1: str | None = None  # province name, e.g. "Razavi Khorasan"
    admin1_code: str | None = None  # ISO 3166-2, e.g. "IR-09"
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the text, with the entry it was resolved to.

    `role` says how the text uses it: "event" (where something happened), "dateline" (where
    the report was filed), "site" (a prison or landmark resolved to its city), "street"
    (a street or district, resolved to its city), "qualifier" (a province or country that only
    locates the place before it: "Rudbar (Gilan)", "Zahedan, southeastern Iran").
    """

    start: int
    end: int
    surface: str
    place: Place
    role: str = "event"
    confidence: float = 0.8


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression resolved against the publication date.

    `role`: "point" (a day, month or year), "range" (from..to), "since" (start of an open
    period: `end` is None), "until", "relative" (last month, recently), "anniversary",
    "period_day" (the uprising's 262nd day). `precision` is the codebook's time_precision.
    """

    start: int
    end: int
    surface: str
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str
    role: str = "point"
    confidence: float = 0.8


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Problem:
    """Something a stage or reader could not do; reported, never raised past the batch.

    A `finding` is a value a stage set aside while reading the report whole (an implausible date): it
    is reported like any problem, but the run that met it still read every input completely."""

    doc: str
    stage: str
    message: str
    finding: bool = False


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Analysis:
    """A report travelling through the stages, enriched step by step."""

    report: Report
    sentences: tuple[Sentence, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    statements: tuple[Statement, ...] = ()
    problems: tuple[Problem, ...] = ()

    def document(self) -> Document:
        r = self.report
        return Document(
            doc=r.doc, title=r.title,
            published=r.published.isoformat() if r.published else None,
            published_precision=r.published_precision if r.published else None,
            publisher=r.publisher, language=r.language, duplicate_of=r.duplicate_of,
            duplicate_rule=r.duplicate_rule,
        )

    def records(self) -> list[Record]:
        """The document record first, then events, claims and statements."""
        return [self.document(), *self.events, *self.claims, *self.statements]


# --------------------------------------------------------------------------- what a batch did


@dataclass(frozen=True)
class IngestFailure:
    """A file (or `file:line` of a JSON Lines file) that yielded no report, and why."""

    path: str
    reason: str


@dataclass
class RunSummary:
    """What a batch did: documents read, records made, inputs skipped and why."""

    documents: int = 0
    records: Counter[str] = field(default_factory=Counter)
    failures: list[IngestFailure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failures and all(problem.finding for problem in self.problems)

    def add(self, item: Analysis | IngestFailure) -> None:
        if isinstance(item, IngestFailure):
            self.failures.append(item)
            return
        self.documents += 1
        for record in item.records():
            self.records[record.kind] += 1
        self.problems.extend(item.problems)
