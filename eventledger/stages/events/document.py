"""The events stage's per-report lookups: `_Doc` (built once per report), a sentence's `_View`, the
`Frame` carried from sentence to sentence, mention lists searched by bisection (`_Spans`), and the
reasons a candidate is turned down."""

from __future__ import annotations

import datetime as dt
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar

from eventledger.models import DateMention, Event, PlaceMention, Report, Sentence
from eventledger.stages import lexicon as lex
from eventledger.stages.actors import Actor, ActorMention
from eventledger.stages.quantities import Number

_EVENT_ROLES = {"event", "site"}


_REPRESSION = {"arrest", "execution", "sentence", "assault"}


# Why a candidate event was turned down (`_Doc.rejected`, `explain_events`)
_MODAL = "modal or negated"


_REFERENCE = "referred to (purpose, commemoration)"


_NOUN_BESIDE_VERB = "noun beside a verb"


_NOUN_UNANCHORED = "noun without anchor"


_PLACELESS = "placeless and unanchored"


_HISTORY, _FUTURE = "history (too old)", "future"


_AGGREGATE = "aggregate"


_TALLY = "tally over a period"


_QUOTATION = "inside a quotation"


_HEADING = "heading"


_PLACEHOLDER = "placeholder superseded"


_DEDUPE = "dedupe"


_M = TypeVar("_M", PlaceMention, DateMention)


class _Located(Protocol):
    """A mention: anything with a start and an end in the report's text."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_T = TypeVar("_T", bound=_Located)


class PlaceFields(NamedTuple):
    """The place fields of an event (`fields._place_fields`)."""

    location: str | None
    admin1: str | None
    country: str | None
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    geo_precision: str


@dataclass(frozen=True, slots=True)
class Counts:
    """The figure of an event, in the field its type gives it (`fields._counts`)."""

    fatalities: int | None = None
    arrests: int | None = None
    count: int | None = None


class Frame(NamedTuple):
    """The activity being described, carried from sentence to sentence. (A named tuple: one is built
    for every trigger read, and a tuple is built several times faster than a frozen dataclass.)"""

    event_type: str
    tactic: str | None
    actor: Actor | None
    date: DateMention | None
    start: int  # where the frame began (for cancelling its country-level placeholder)
    narrative: bool = False  # set by a reported act (not a noun) with a current date: later acts share its time


@dataclass
class _Doc:
    """Per-report lookups shared by the helpers below (built once per report).

    The tests that do not depend on the sentence (a trigger or place inside a quotation, a date that
    is a dateline, an actor that is a reporter) are made once per mention here, not once per sentence
    that asks: each sentence then only picks its own mentions out of the lists by bisection."""

    report: Report
    triggers: _Spans[lex.Trigger]  # those outside quotations (`_usable_triggers`)
    places: _Spans[PlaceMention]  # those that can be the place of an event (`_event_places`)
    dates: _Spans[DateMention]  # every date of the report
    sentence_dates: _Spans[DateMention]  # those that can date what a sentence reports (`_sentence_dates`)
    doers: _Spans[ActorMention]  # the actors that can do something (`_sentence_actors`)
    reporters: _Spans[ActorMention]  # the outlets and monitors outside quotations (`_reporter`)
    numbers: _Spans[Number]
    lexicon: lex.Lexicon
    recent_from: dt.date | None  # the earliest end of a date that is not history (None: no publication date)
    events: list[tuple[Event, int]] = field(default_factory=list)  # (event, frame start)
    # id of a date mention (of this report, or None) -> its `_date_fields` and whether it is out of range
    dated: dict[int, tuple[str | None, str | None, str | None, bool]] = field(default_factory=dict)
    # id of a place mention (of this report, or None) -> its `_place_fields`
    placed: dict[int, PlaceFields] = field(default_factory=dict)
    country: str | None = None  # the country the report's places point to (`places.report_country`)
    referred: list[lex.Trigger] = field(default_factory=list)  # acts referred to, not told (`_refers_back`)
    loose: set[int] = field(default_factory=set)  # ids of events told without place, date or figure
    # candidates turned down: (trigger start, trigger end, event type, place mention or None, reason), one tuple
    # appended where a rule rejects (nothing is formatted); read by `explain_events`
    rejected: list[tuple] = field(default_factory=list)


@dataclass(slots=True)
class _View:
    """A sentence with usable triggers and what its events are read from, found once: every trigger
    and every place of the sentence asks for the same dates, figures and reporter."""

    sentence: Sentence
    dates: list[DateMention]  # `_sentence_dates`
    usable_dates: list[DateMention]  # those that can date an act: not "since" (`_date_for`)
    precise_dates: list[DateMention]  # those of them to a day or span
    anchors: list[DateMention]  # those that can anchor an act: not "since" or "relative"
    since: bool  # a "since" date: an aggregate unless placed
    numbers: list[Number]  # every figure of the sentence
    counts: list[Number]  # the figures with no unit
    reporter: str | None  # `_reporter`
    actors: list[ActorMention]  # `_sentence_actors`
    fatality_lead: re.Pattern[str] | None  # `lex.Lexicon.fatality_lead`
    _clauses: tuple[list[int], list[int]] | None = None  # `_clause_start`: starts and ends of clause marks


def _view(doc: _Doc, sentence: Sentence) -> _View:
    start, end = sentence.start, sentence.end
    dates = _within(doc.sentence_dates, start, end)
    usable = [d for d in dates if d.role != "since"]
    numbers = _within(doc.numbers, start, end)
    reporters = _within(doc.reporters, start, end)
    return _View(
        sentence, dates, usable,
        precise_dates=[d for d in usable if d.precision in ("day", "span")],
        anchors=[d for d in dates if d.role not in ("since", "relative")],
        since=len(usable) < len(dates),
        numbers=numbers, counts=[n for n in numbers if n.unit is None],
        reporter=reporters[0].actor.name if reporters else None, actors=_within(doc.doers, start, end),
        fatality_lead=doc.lexicon.fatality_lead)


class _Spans(list[_T]):
    """A list of mentions (anything with `start` and `end`) that finds those inside a range
    by bisection when it is in text order (the stages produce them so), else by a scan."""

    def __init__(self, items: Iterable[_T]) -> None:
        super().__init__(items)
        self.starts = [x.start for x in self]
        self.ends = [x.end for x in self]
        self.ordered = _nondecreasing(self.starts)
        # the ends in order too (mentions that do not overlap), none before its start: then the items
        # inside a range are one run of the list, cut out by two bisections and a slice
        self.runs = self.ordered and _nondecreasing(self.ends) and all(map(operator.le, self.starts, self.ends))


def _nondecreasing(values: list[int]) -> bool:
    return values == sorted(values)


def _within(items: _Spans[_T], start: int, end: int) -> list[_T]:
    """The items lying inside [start, end], in their order."""
    if items.runs:  # those starting at or after `start` (a suffix), and ending by `end` (a prefix)
        return items[bisect_left(items.starts, start):bisect_right(items.ends, end)]
    if items.ordered:
        lo, hi = bisect_left(items.starts, start), bisect_right(items.starts, end)
        return [x for x in items[lo:hi] if x.end <= end]
    return [x for x in items if start <= x.start and x.end <= end]


def _nearest(items: Sequence[Any], pos: int, *, before_only: bool = False) -> Any:
    if not items:
        return None
    before = [x for x in items if x.start <= pos]
    if before:
        return max(before, key=lambda x: x.start)
    if before_only:
        return None
    after = [x for x in items if x.start > pos]
    return min(after, key=lambda x: x.start) if after else None


def _any_start(items: _Spans[Any], a: int, b: int) -> bool:
    """Whether an item starts in [a, b)."""
    if items.ordered:
        return bisect_left(items.starts, a) < bisect_left(items.starts, b)
    return any(a <= x < b for x in items.starts)
