"""Stage `events.v1`: typed events, one per type x actor x place x date, with evidence.

How a report becomes events (each step a small function below):

1. Triggers from the lexicon (`data/events.toml`) are found once over the whole text; those
   inside quotations (slogans, officials' words) and in headlines or captions are dropped.
2. Sentences are read in order inside a *frame*: the type, actor and date of the activity
   being described. A frame ends at a headline. A sentence whose trigger is generic
   ("similar activities were reported in ...") takes the frame's type and tactic; a
   sentence with no date takes the frame's date.
3. A trigger yields one event per place it governs (each place goes to the nearest trigger);
   a list of N places yields N events, a place named twice is one event.
4. A trigger with no place yields a country-level event only when it is anchored (a date or
   a count), and only if the same frame does not go on to name places for it.
5. Not events: modal or negated triggers (future, hypothetical, calls, denials, habits), acts
   referred to rather than told (what a march condemns, an anniversary, "families of those
   killed": `_refers_back`, and their places are not the told act's), aggregates ("since April
   21", "at least 550 killed" with no day or town: claims), and history (dated more than
   `history_days` before a stated publication date; a report dated only by inference, a case
   file, tells its earlier acts as its story).
6. Lists: a run of lone lines is a list, not headings (one victim a line); a line opening with a
   town after an activity sentence ("Tabriz — 'slogan'") is that activity there.
7. Recall first: an act its sentence does not place is put where the person it is told of comes
   from (in its own sentence), else where the report is set (`_setting`: the place it names most),
   at a lower confidence; an act told with neither place, date nor figure is kept only so placed.
   A place of birth, residence or burial is never where an act happened.
8. Casualties and summaries: the dead of a clash or blast are its fatalities, not an assault; a
   province-level event summarising the same act told in the province's towns is dropped.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache
from typing import NamedTuple, TypeVar

from eventledger.data import load_toml
from eventledger.ingest.sources import load_registry
from eventledger.models import Analysis, DateMention, Event, PlaceMention, Report, Sentence
from eventledger.stages import lexicon as lex
from eventledger.stages import scan
from eventledger.stages.actors import Actor, ActorMention, find_actors
from eventledger.stages.places import report_country
from eventledger.stages.quantities import Number, find_numbers, outside
from eventledger.stages.scan import last_word

_QUOTE = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.MULTILINE)  # an unclosed quote runs to the line end
_SENTENCE_END = re.compile(r"[.!?:;…][\"”'’)\]]*\s*$")  # a closing quote alone ends a headline, not a sentence
_SAME_DAY = re.compile(r"\b(?:on )?the same day\b", re.IGNORECASE)
_EVENT_ROLES = {"event", "site"}
_REPRESSION = {"arrest", "execution", "sentence", "assault"}
_AND_JOIN = re.compile(r"\band\b")
_NEW_CLAUSE = re.compile(r"[;:]|\b(?:while|but|whereas|after|before|when)\b")
_CLAUSE_START = re.compile(r"[,;:—–]\s*")
_DATELINE_DASH = re.compile(r"\s*[—–-]")
_WHERE = re.compile(r",?\s+where\b", re.IGNORECASE)  # a place's relative clause: what follows happened there
_CREDIT_DASH = re.compile(r"\s+[—–]\s")  # "NCRI – ..." (`ingest.text` reads the credit the same way)
_CLAUSE_BREAK = re.compile(r"[,;:]\s")
_FUTURE_AFTER = re.compile(
    r"^\W*(?:\w+\s+){0,2}?(?:will|would|could|might|is to be|are to be|is planned|are planned|is scheduled|"
    r"are scheduled|planned for|scheduled for)\b", re.IGNORECASE)


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
    triggers: list[lex.Trigger]  # those outside quotations (`_usable_triggers`)
    places: list[PlaceMention]  # those that can be the place of an event (`_event_places`)
    dates: list[DateMention]  # every date of the report
    sentence_dates: list[DateMention]  # those that can date what a sentence reports (`_sentence_dates`)
    doers: list[ActorMention]  # the actors that can do something (`_sentence_actors`)
    reporters: list[ActorMention]  # the outlets and monitors outside quotations (`_reporter`)
    numbers: list[Number]
    lexicon: lex.Lexicon
    recent_from: dt.date | None  # the earliest end of a date that is not history (None: no publication date)
    events: list[tuple[Event, int]] = field(default_factory=list)  # (event, frame start)
    # id of a date mention (of this report, or None) -> its `_date_fields` and whether it is out of range
    dated: dict[int, tuple[str | None, str | None, str | None, bool]] = field(default_factory=dict)
    # id of a place mention (of this report, or None) -> its `_place_fields`
    placed: dict[int, tuple] = field(default_factory=dict)
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


class _Spans(list):
    """A list of mentions (anything with `start` and `end`) that finds those inside a range
    by bisection when it is in text order (the stages produce them so), else by a scan."""

    def __init__(self, items: Iterable) -> None:
        super().__init__(items)
        self.starts = [x.start for x in self]
        self.ends = [x.end for x in self]
        self.ordered = _nondecreasing(self.starts)
        # the ends in order too (mentions that do not overlap), none before its start: then the items
        # inside a range are one run of the list, cut out by two bisections and a slice
        self.runs = self.ordered and _nondecreasing(self.ends) and all(map(operator.le, self.starts, self.ends))


def _nondecreasing(values: list[int]) -> bool:
    return values == sorted(values)


def _within(items: _Spans, start: int, end: int) -> list:
    """The items lying inside [start, end], in their order."""
    if items.runs:  # those starting at or after `start` (a suffix), and ending by `end` (a prefix)
        return items[bisect_left(items.starts, start):bisect_right(items.ends, end)]
    if items.ordered:
        lo, hi = bisect_left(items.starts, start), bisect_right(items.starts, end)
        return [x for x in items[lo:hi] if x.end <= end]
    return [x for x in items if start <= x.start and x.end <= end]


def is_heading(sentence: Sentence, sentences_in_paragraph: int, text_line: bool = False) -> bool:
    """A headline, caption or link text: a lone line without sentence-final punctuation that text
    follows. A `text_line` is not one, however it ends: the last paragraph of a report (a note), or an
    entry of a list of such lines (`_lone_lines`)."""
    return sentences_in_paragraph == 1 and not text_line and not _SENTENCE_END.search(sentence.text)


def _quote_test(text: str) -> Callable[[int], bool]:
    """Whether a position of `text` is inside a quotation."""
    quotes = [m.span() for m in _QUOTE.finditer(text)]  # in text order, never overlapping
    starts = [a for a, _ in quotes]

    def in_quote(pos: int) -> bool:
        i = bisect_left(starts, pos) - 1  # the last quote opening before pos
        return i >= 0 and pos < quotes[i][1]

    return in_quote


def _is_modal(doc: _Doc, sentence: Sentence, trigger: lex.Trigger) -> bool:
    # Only the last 80 characters of the clause are read: the last 81 of the sentence before the trigger
    # hold them (a clause break is two characters; one that starts earlier leaves 80 or more after it).
    head = doc.report.text[max(sentence.start, trigger.start - 81):trigger.start]
    clause = _CLAUSE_BREAK.split(head)[-1] if trigger.form != "generic" else head
    after = doc.report.text[trigger.end:min(sentence.end, trigger.end + 40)]
    if _FUTURE_AFTER.match(after) is not None:
        return True
    return doc.lexicon.has_modal(clause[-80:]) and not _describes_people(doc.report.text, trigger)


_PARTICIPLE = re.compile(r"(?:ed|shot|beaten|hanged|hung|held|slain|taken)$", re.IGNORECASE)
_PEOPLE = re.compile(r"(?:\w+s|those|people|men|women|children)$", re.IGNORECASE)
_AUXILIARY = frozenset({"was", "is", "has", "as", "us", "this", "his", "its", "hers", "yours", "ours", "theirs"})


def _describes_people(text: str, trigger: lex.Trigger) -> bool:
    """"must release the teachers arrested in Shiraz": a participle right after the people it describes
    tells an act already done, whatever the modal before them governs (the release)."""
    if not _PARTICIPLE.search(text, trigger.start, trigger.end):
        return False
    before = last_word(text, trigger.start)
    return before not in _AUXILIARY and _PEOPLE.match(before) is not None


def _refers_back(doc: _Doc, sentence: Sentence, trigger: lex.Trigger) -> bool:
    """"marched to condemn the bombing in Kerman": the bombing is what the march is about, not an act
    told here (only a trigger after the sentence's first act can be one referred to)."""
    if trigger.start == sentence.start:
        return False
    before = doc.report.text[max(sentence.start, trigger.start - 64):trigger.start]
    if doc.lexicon.cue_start is not None and doc.lexicon.cue_start.search(before) is None:
        return False  # no cue can begin in the window (a pre-test only: `Lexicon.cue_start`)
    return doc.lexicon.refers_back(before, trigger.event_type)


# A place of birth, residence or burial ("born in X", "a resident of the city of X", "from X"): where a
# person comes from, not where an act happened (`_setting` still counts it, at half weight).
_ORIGIN = re.compile(
    r"(?:\b(?:born|raised|grew up|resid(?:ed|ing|es)|lived|living|buried|laid to rest)(?:\s+[\w-]+)?\s+(?:in|at)"
    r"|\b(?:natives?|residents?|hometown|birthplace|burial place)\s+of|\boriginally from|\bfrom)"
    r"(?:\s+the\s+(?:city|town|village|county)\s+of)?\s+$", re.IGNORECASE)


def _is_origin(text: str, mention: PlaceMention) -> bool:
    start = max(0, mention.start - 48)
    if _ORIGIN_START is not None and not scan.begins_between(_ORIGIN_START, text, start, mention.start):
        return False  # a pre-test: no match of the rule can begin in the window
    return _ORIGIN.search(text, start, mention.start) is not None


_ORIGIN_START = scan.prefix_test([_ORIGIN])  # where an `_ORIGIN` match may begin (`_is_origin`'s pre-test)


def _event_places(places: Iterable[PlaceMention], in_quote: Callable[[int], bool],
                  text: str) -> list[PlaceMention]:
    """The places that can be where an event happened: towns and provinces named as its site, not quoted,
    not where a person comes from."""
    located = [p for p in places if p.role in _EVENT_ROLES and p.place.level in ("city", "province")]
    return [p for p in located if not in_quote(p.start) and not _is_origin(text, p)]


def _nearest(items: Sequence, pos: int, *, before_only: bool = False):
    if not items:
        return None
    before = [x for x in items if x.start <= pos]
    if before:
        return max(before, key=lambda x: x.start)
    if before_only:
        return None
    after = [x for x in items if x.start > pos]
    return min(after, key=lambda x: x.start) if after else None


def _assign_places(triggers: list[lex.Trigger], places: list[PlaceMention]) -> dict[int, list[PlaceMention]]:
    """Each place goes to the trigger that governs it: the nearest one before it, else the first after.

    ("putting up posters in Tehran, Shiraz and Ahvaz, chanted ..." - all three go to the posters.)
    """
    if len(triggers) == 1:
        return {0: list(places)}
    out: dict[int, list[PlaceMention]] = {i: [] for i in range(len(triggers))}
    starts = [t.start for t in triggers]
    ordered = starts == sorted(starts)  # as `lex.find_triggers` gives them
    for place in places:
        if ordered:  # the last trigger starting before the place
            last = bisect_left(starts, place.start) - 1
        else:
            last = max((i for i, start in enumerate(starts) if start < place.start), default=-1)
        out[max(last, 0)].append(place)
    return out


def _share_places(doc: _Doc, triggers: list[lex.Trigger], by_trigger: dict[int, list[PlaceMention]]) -> None:
    """"attacked protesters in Tehran and arrested several": the second verb shares the first's places;
    "arrested in Izeh, where police fired": the verb of a place's "where" clause takes that place."""
    for i in range(1, len(triggers)):
        a, b = triggers[i - 1].end, triggers[i].start
        gap = doc.report.text[a:b]
        dated = _any_start(doc.dates, a, b)  # "... and on August 6, they executed ...": its own act
        tail = doc.report.text[max(a, by_trigger[i - 1][-1].end if by_trigger[i - 1] else a):b]
        joined = _AND_JOIN.search(tail) and not (_NEW_CLAUSE.search(gap) or dated)
        if not by_trigger[i] and by_trigger[i - 1] and joined:
            by_trigger[i] = list(by_trigger[i - 1])
        elif not by_trigger[i] and by_trigger[i - 1] and _WHERE.match(doc.report.text, by_trigger[i - 1][-1].end, b):
            by_trigger[i] = [by_trigger[i - 1][-1]]  # "protests in Najafabad, where police fired tear gas"


def _any_start(items: _Spans, a: int, b: int) -> bool:
    """Whether an item starts in [a, b)."""
    if items.ordered:
        return bisect_left(items.starts, a) < bisect_left(items.starts, b)
    return any(a <= x < b for x in items.starts)


def _sentence_dates(dates: Iterable[DateMention], report: Report) -> list[DateMention]:
    """The dates that can date what a sentence reports."""
    usable = [d for d in dates if d.date_start is not None and d.confidence >= 0.5]  # "Free Iran 2023" is a name
    return [d for d in usable if not _is_dateline(report, d)]


def _is_dateline(report: Report, date: DateMention) -> bool:
    """"Iran, March 14, 2024 — ...": the filing date, not the date of what is reported."""
    return date.date_start == report.published and bool(_DATELINE_DASH.match(report.text, date.end))


def _date_for(view: _View, pos: int, frame: Frame | None) -> DateMention | None:
    """The date of an act: the nearest before it, preferring a day or span to a month or year
    ("on August 22, the prisoner who killed a man in 2009 was executed" is dated August 22)."""
    precise = [d for d in view.precise_dates if d.start <= pos] if view.precise_dates else None
    return _nearest(precise or view.usable_dates, pos) or (frame.date if frame else None)


def _fallback_date(report: Report) -> tuple[str | None, str | None, str | None]:
    if report.published is None:
        return None, None, None
    start = report.published - dt.timedelta(days=30)
    return start.isoformat(), report.published.isoformat(), "month"


def _date_fields(mention: DateMention | None, report: Report) -> tuple[str | None, str | None, str | None]:
    if mention is None or mention.date_start is None:
        return _fallback_date(report)
    end = mention.date_end or mention.date_start
    if mention.role in ("since", "until") and mention.date_end is None:
        end = report.published or mention.date_start
    precision = mention.precision
    if precision == "day" and end != mention.date_start:
        precision = "span"
    return mention.date_start.isoformat(), end.isoformat(), precision


def _dated(doc: _Doc, mention: DateMention | None) -> tuple[str | None, str | None, str | None, bool]:
    """`_date_fields` of a date, and whether it is history or future (no event): worked out once per
    date, which every place and trigger it dates asks for. Keyed by identity: the mentions live as
    long as the report's `_Doc`."""
    found = doc.dated.get(id(mention))
    if found is None:
        start, end, precision = _date_fields(mention, doc.report)
        stale = _is_history(end, doc.report, doc.lexicon.history_days) or _is_future(start, doc.report)
        found = doc.dated[id(mention)] = (start, end, precision, stale)
    return found


def _is_history(date_end: str | None, report: Report, days: int) -> bool:
    if not date_end or report.published is None:
        return False
    return dt.date.fromisoformat(date_end) < report.published - dt.timedelta(days=days)


def _clause_start(doc: _Doc, view: _View, pos: int) -> int:
    """Where the clause holding `pos` starts: the end of the last `_CLAUSE_START` mark before it, as
    `_CLAUSE_START.finditer(text, sentence.start, pos)` finds them (a mark reaching past `pos` ends
    there). The sentence's marks are found once, for all its triggers."""
    sentence = view.sentence
    if view._clauses is None:
        marks = [m.span() for m in _CLAUSE_START.finditer(doc.report.text, sentence.start, sentence.end)]
        view._clauses = ([a for a, _ in marks], [b for _, b in marks])
    starts, ends = view._clauses
    i = bisect_left(starts, pos) - 1  # the last mark that starts before pos
    return min(ends[i], pos) if i >= 0 else sentence.start


def _subject(doc: _Doc, view: _View, trigger: lex.Trigger, inside: list[ActorMention]) -> ActorMention | None:
    """The doer of a non-repressive act: the first actor of the trigger's clause, else of the sentence."""
    before = [a for a in inside if a.end <= trigger.start]
    clause_start = _clause_start(doc, view, trigger.start)
    in_clause = [a for a in before if a.start >= clause_start]
    return (in_clause or before or [None])[0]  # an actor after the verb is its object, not its doer


def _is_future(date_start: str | None, report: Report) -> bool:
    """Nothing reported can have started after the report was published."""
    return bool(date_start and report.published and dt.date.fromisoformat(date_start) > report.published)


def _sentence_actors(actors: Iterable[ActorMention], in_quote: Callable[[int], bool],
                     report: Report) -> list[ActorMention]:
    """The actors that can do something: not possessives, reporters, quoted or a paragraph's credit."""
    return [a for a in actors if not a.possessive and not a.actor.reporter and not in_quote(a.start)
            and not _is_credit(report, a)]


def _is_credit(report: Report, mention: ActorMention) -> bool:
    """"NCRI – On Friday, ...": the outlet a paragraph opens with, before a spaced dash, is who
    reports it (the report's publisher, or a source of the registry), not who did it."""
    text = report.text
    at_line_start = mention.start == 0 or text[mention.start - 1] == "\n"
    if not at_line_start or not _CREDIT_DASH.match(text, mention.end):
        return False
    return mention.actor.name == report.publisher or load_registry().by_name(mention.surface) is not None


def _actor_for(doc: _Doc, view: _View, trigger: lex.Trigger, frame: Frame | None) -> Actor | None:
    inside = view.actors
    if trigger.event_type in _REPRESSION:
        inside = [a for a in inside if a.actor.actor_class in ("state", "foreign")]
        subject = _nearest(inside, trigger.start, before_only=True) or _nearest(inside, trigger.start)
    else:
        subject = _subject(doc, view, trigger, inside)
    if subject is not None:
        return subject.actor
    if frame is not None and frame.actor is not None and _REPRESSION.isdisjoint({trigger.event_type, frame.event_type}):
        return frame.actor
    default = doc.lexicon.default_actor.get(trigger.event_type)
    return Actor(*default) if default else None


def _number_for(view: _View, trigger: lex.Trigger, place: PlaceMention | None) -> Number | None:
    """The count that goes with a trigger: between the verb and its place, else its object, else before."""
    numbers = view.counts
    if not numbers:
        return None
    if place is not None and place.start > trigger.start:
        between = [n for n in numbers if trigger.start <= n.start and n.end <= place.start]
        if between:
            return between[-1]
    after = next((n for n in numbers if trigger.start <= n.start <= trigger.end + 40), None)
    if after is not None:
        return after
    killed = _killed(view, trigger)
    if killed is not None:
        return killed
    anchor = place.start if place is not None else trigger.start
    return _nearest([n for n in numbers if n.end <= anchor], anchor, before_only=True)


def _killed(view: _View, trigger: lex.Trigger) -> Number | None:
    """For an attack or an execution, a figure after it that a fatality cue leads to, anywhere in
    the sentence ("Security forces opened fire on mourners in Izeh on Friday, killing seven")."""
    lead = view.fatality_lead
    if lead is None or trigger.event_type not in _FATAL_TYPES:
        return None
    text, offset = view.sentence.text, view.sentence.start
    for number in view.counts:
        at = number.start - offset
        if number.start >= trigger.end and lead.search(text, max(0, at - 60), at):
            return number
    return None


def _has_term(view: _View, trigger: lex.Trigger) -> bool:
    """A sentence with its term stated ("to five years in prison") is a specific act."""
    return trigger.event_type == "sentence" and any(
        n.unit in ("years", "months") for n in view.numbers if n.start >= trigger.end)


def _reporters(actors: Iterable[ActorMention], in_quote: Callable[[int], bool]) -> list[ActorMention]:
    """The outlets and monitors a sentence can attribute its report to ("according to state media"):
    the first in a sentence is its `_View.reporter`."""
    return [a for a in actors if a.actor.reporter and not in_quote(a.start)]


# Event's fields, in the order of its constructor: `_event` builds it positionally when they come so
_PLACE_FIELDS = ("location", "admin1", "country", "geonameid", "latitude", "longitude", "geo_precision")
_COUNT_FIELDS = ("fatalities", "arrests", "count")
_EVENT_FIELDS = ("doc", "event_type", "tactic", "date_start", "date_end", "time_precision", *_PLACE_FIELDS,
                 "actor1", "actor_class", "target", *_COUNT_FIELDS, "reported_by", "evidence", "evidence_start",
                 "evidence_end", "confidence")
_POSITIONAL = tuple(f.name for f in fields(Event) if f.init)[:len(_EVENT_FIELDS)] == _EVENT_FIELDS


def _event_by_keywords(*values: object) -> Event:
    return Event(**dict(zip(_EVENT_FIELDS, values, strict=True)))  # type: ignore[arg-type]


# `Event(**dict(zip(_EVENT_FIELDS, values)))`: positional arguments when the fields come in that order
# (they do). A report has some fifty events, and keywords (and dicts unpacked into them) cost about a
# third of building one.
_event: Callable[..., Event] = Event if _POSITIONAL else _event_by_keywords


_NO_COUNTS = (None, None, None)
_FATAL_TYPES = ("assault", "execution")  # the types whose figure is `fatalities` (`_counts`)


def _counts(event_type: str, number: Number | None) -> tuple[int | None, int | None, int | None]:
    """The figure of an event as its `_COUNT_FIELDS`."""
    if number is None or number.value is None:
        return _NO_COUNTS
    if event_type in _FATAL_TYPES:
        return number.value, None, None
    if event_type == "arrest":
        return None, number.value, None
    return None, None, number.value


def _place_fields(mention: PlaceMention | None, report: Report, country: str | None = None) -> tuple:
    """The place of an event as its `_PLACE_FIELDS`; with no place, the country the report's places
    point to (`places.report_country`), else the language's (Iran for English and Persian reports)."""
    if mention is None:
        country = country or ("IR" if report.language in ("en", "fa", None) else None)
        return None, None, country, None, None, None, "country"
    place = mention.place
    if place.level == "city":
        return (place.name, place.admin1, place.country, place.geonameid, place.latitude, place.longitude,
                place.level)
    return None, place.admin1, place.country, None, None, None, place.level


_FORM_CONFIDENCE = {"verb": 0.05, "weak": -0.15}  # a reported act is surer than a noun, a weak verb less


@cache
def _confidence(has_date: bool, has_place: bool, form: str) -> float:
    score = 0.55 + (0.15 if has_date else 0.0) + (0.15 if has_place else 0.0)
    return round(score + _FORM_CONFIDENCE.get(form, 0.0), 2)


def _is_aggregate(view: _View, number: Number | None, dated: bool, placed: bool) -> bool:
    if view.since and not placed:
        return True
    return number is not None and number.qualifier != "exact" and not placed and not dated


@lru_cache(maxsize=1)
def _aggregate_rule() -> tuple[int, frozenset[str]]:
    rule = load_toml("events.toml")["rules"]["aggregate"]
    return int(rule["min_people"]), frozenset(rule["types"])


def _counts_many(event_type: str, number: Number | None, start: str | None, end: str | None,
                 precision: str | None) -> bool:
    """Many people over a month or more that the sentence states ("1,000 executed in 2024"): a tally
    of many events. (A month that an undated sentence inherits from its narrative is no tally.)"""
    least, types = _aggregate_rule()
    if number is None or (number.value or 0) < least or event_type not in types:
        return False
    if precision in ("month", "year"):
        return True
    return bool(start and end) and (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days > 31


def _resolve_type(trigger: lex.Trigger, frame: Frame | None) -> tuple[str, str | None]:
    if trigger.form == "generic" and frame is not None and frame.event_type:
        return frame.event_type, frame.tactic
    return trigger.event_type, trigger.tactic


def _placed(doc: _Doc, mention: PlaceMention | None) -> tuple:
    """`_place_fields` of a place (or None), worked out once per mention: every trigger it goes to asks.
    Keyed by identity, as `_dated`."""
    found = doc.placed.get(id(mention))
    if found is None:
        found = doc.placed[id(mention)] = _place_fields(mention, doc.report, doc.country)
    return found


def _make_event(doc: _Doc, view: _View, trigger: lex.Trigger, event_type: str, tactic: str | None,
                actor: Actor | None, place: PlaceMention | None, date: DateMention | None) -> Event | None:
    """The event of a trigger (its type and tactic resolved in the frame) at a place on a date, if it is one."""
    sentence = view.sentence
    start, end, precision, stale = _dated(doc, date)
    told = stale and _is_told_story(doc.report, start)
    if stale and not told:
        why = _FUTURE if _is_future(start, doc.report) else _HISTORY
        doc.rejected.append((trigger.start, trigger.end, event_type, place, why))
        return None
    number = _number_for(view, trigger, place)
    in_sentence = date is not None and sentence.start <= date.start < sentence.end
    if _is_aggregate(view, number, in_sentence, place is not None):
        doc.rejected.append((trigger.start, trigger.end, event_type, place, _AGGREGATE))
        return None
    if in_sentence and _counts_many(event_type, number, start, end, precision):
        doc.rejected.append((trigger.start, trigger.end, event_type, place, _TALLY))
        return None
    reporter = view.reporter
    event = _event(
        doc.report.doc, event_type, tactic, start, end, precision, *_placed(doc, place),
        actor.name if actor else None, actor.actor_class if actor else "unknown", None,
        *_counts(event_type, number), reporter if reporter != doc.report.publisher else None,
        sentence.text, sentence.start, sentence.end, _confidence(date is not None, place is not None, trigger.form))
    if told and place is None:
        doc.loose.add(id(event))  # an earlier act of the story told nowhere: only where the report is set
    return event


def _is_told_story(report: Report, start: str | None) -> bool:
    """Whether an old act belongs to the story a report tells: a report dated only by its own latest
    date (a case file, a chronology, a victim's record) tells its earlier acts as its story; a report
    with a stated date tells them as history."""
    return report.published_precision == "inferred" and not _is_future(start, report)


def _usable_triggers(doc: _Doc, sentence: Sentence) -> list[lex.Trigger]:
    found = _within(doc.triggers, sentence.start, sentence.end)
    if not found:
        return found
    usable = []
    for t in found:
        if _is_modal(doc, sentence, t):
            doc.rejected.append((t.start, t.end, t.event_type, None, _MODAL))
        elif _refers_back(doc, sentence, t):
            doc.rejected.append((t.start, t.end, t.event_type, None, _REFERENCE))
            doc.referred.append(t)
        else:
            usable.append(t)
    if len(usable) > 1 and any(t.form != "noun" for t in usable):  # a noun beside a verb: the setting, not the act
        doc.rejected.extend((t.start, t.end, t.event_type, None, _NOUN_BESIDE_VERB) for t in usable if t.form == "noun")
        usable = [t for t in usable if t.form != "noun"]
    return usable


def _anchored(view: _View, trigger: lex.Trigger) -> bool:
    """A place-less trigger is an event only with a date or an exact count in its sentence."""
    dates = view.anchors  # "in recent weeks" anchors nothing
    if trigger.form == "noun":
        return bool(dates)
    number = _number_for(view, trigger, None)
    exact = number is not None and number.qualifier == "exact" and number.value is not None
    return bool(dates) or exact or _has_term(view, trigger)


def _same_day(doc: _Doc, sentence: Sentence, frame: Frame | None) -> DateMention | None:
    # "day" in the lower-cased text: a quick test the pattern needs (only D, A, Y match d, a, y ignoring case)
    if frame is not None and "day" in sentence.text.lower() and _SAME_DAY.search(sentence.text):
        return frame.date
    return None


def _read_sentence(doc: _Doc, sentence: Sentence, frame: Frame | None) -> Frame | None:
    """Add the sentence's events to `doc.events`; return the frame for the next sentence."""
    triggers = _usable_triggers(doc, sentence)
    if not triggers:
        return _time_of(doc, sentence, frame)
    places = _within(doc.places, sentence.start, sentence.end)
    referred = [t for t in doc.referred if t.start >= sentence.start] if doc.referred else None
    if places and referred:
        places = _outside_references(places, triggers, referred)
    view = _view(doc, sentence)
    if referred and view.usable_dates:  # "involved in the clash in Rusk on 15 December": the clash's date
        view.usable_dates = _outside_references(view.usable_dates, triggers, referred)
        view.precise_dates = _outside_references(view.precise_dates, triggers, referred)
    same_day = _same_day(doc, sentence, frame)
    by_trigger = _assign_places(triggers, places) if places else {i: [] for i in range(len(triggers))}
    _share_places(doc, triggers, by_trigger)
    new_frame = frame
    for i, trigger in enumerate(triggers):
        new_frame = _read_trigger(doc, view, trigger, by_trigger[i], same_day, frame) or new_frame
    return new_frame


def _time_of(doc: _Doc, sentence: Sentence, frame: Frame | None) -> Frame | None:
    """"He was tried in Zahedan on November 5. The court sentenced him to death.": a sentence that tells
    no act of the lexicon but states one day sets the time of the acts told next, when no act before it
    in the section did (a frame of no type: it dates, it types nothing)."""
    if frame is not None and frame.date is not None:
        return frame
    days = [d for d in _within(doc.sentence_dates, sentence.start, sentence.end)
            if d.precision == "day" and d.role not in ("since", "until", "relative")]
    if len(days) != 1 or _dated(doc, days[0])[3]:
        return frame
    return Frame("", None, None, days[0], sentence.start, narrative=True)


def _outside_references(places: list[_M], told: list[lex.Trigger], referred: list[lex.Trigger]) -> list[_M]:
    """The places (or dates) of a sentence that are not where (or when) an act referred to happened
    ("rallied in Zanjan to condemn the bombing in Kerman": Kerman is the bombing's place), as places go
    to the nearest act before them (`_assign_places`)."""
    marks = sorted([(t.start, False) for t in told] + [(t.start, True) for t in referred])
    starts = [start for start, _ in marks]
    kept = []
    for place in places:
        i = bisect_left(starts, place.start) - 1
        if i < 0 or not marks[i][1]:
            kept.append(place)
    return kept


def _read_trigger(doc: _Doc, view: _View, trigger: lex.Trigger, places: list[PlaceMention],
                  same_day: DateMention | None, frame: Frame | None) -> Frame | None:
    sentence = view.sentence
    event_type, tactic = _resolve_type(trigger, frame)
    continuing = frame is not None and frame.event_type == event_type
    inherited = frame if frame is not None and (continuing or frame.narrative) else None
    date = same_day or _date_for(view, trigger.start, inherited)
    if trigger.form == "noun" and not view.anchors:
        doc.rejected.append((trigger.start, trigger.end, event_type, None, _NOUN_UNANCHORED))
        return None  # "slogans of protest in Zahedan" names no act; a dated noun does
    frame_start = frame.start if continuing and frame is not None else sentence.start
    actor = _actor_for(doc, view, trigger, frame)  # the doer of its events and of the frame
    if not places and not _anchored(view, trigger):
        # no event of its own sentence, but the activity goes on being described: keep its time, take its
        # doer. A reported act is kept loose: it is an event if the report is set in one place.
        if trigger.form != "noun":
            _add_loose(doc, _make_event(doc, view, trigger, event_type, tactic, actor, None, date), frame_start)
        else:
            doc.rejected.append((trigger.start, trigger.end, event_type, None, _PLACELESS))
        kept = inherited if continuing else None
        return Frame(event_type, tactic, actor, kept.date if kept else None, frame_start,
                     kept.narrative if kept else False)
    place_dates = [(p, same_day or _date_for(view, p.start, inherited)) for p in _unique_places(places)]
    for place, pdate in place_dates or [(None, date)]:
        event = _make_event(doc, view, trigger, event_type, tactic, actor, place, pdate)
        if event is not None:
            doc.events.append((event, frame_start))
    frame_date = place_dates[0][1] if place_dates else date
    return Frame(event_type, tactic, actor, frame_date, frame_start, _is_narrative(doc, trigger, frame_date))


def _add_loose(doc: _Doc, event: Event | None, frame_start: int) -> None:
    """Keep an act told with neither place, date nor figure: `_place_by_setting` places it or drops it."""
    if event is not None:
        doc.loose.add(id(event))
        doc.events.append((event, frame_start))


def _is_narrative(doc: _Doc, trigger: lex.Trigger, date: DateMention | None) -> bool:
    """Whether the acts told next, of any type, happened when this one did: a recent day or span.
    A month or a year ("... were executed in 2024") is a period, not the time of a story going on."""
    if trigger.form == "noun" or date is None or date.date_start is None or date.precision in ("month", "year"):
        return False
    # `_is_history`, on the date itself
    return doc.recent_from is None or (date.date_end or date.date_start) >= doc.recent_from


def _unique_places(places: list[PlaceMention]) -> list[PlaceMention]:
    if len(places) < 2:
        return places
    seen: set[tuple] = set()
    out = []
    for p in places:
        key = (p.place.level, p.place.geonameid, p.place.admin1, p.place.name)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _overlap(a: Event, b: Event) -> bool:
    return bool(a.date_start and b.date_start and a.date_start <= (b.date_end or b.date_start)
                and b.date_start <= (a.date_end or a.date_start))


def _drop_placeholders(events: list[tuple[Event, int]]) -> list[Event]:
    """Drop a country-level event when its frame goes on to name the places of the same act."""
    located = [(e, start) for e, start in events if e.geo_precision != "country"]

    def superseded(event: Event, start: int) -> bool:
        return any(o.event_type == event.event_type and s == start and _overlap(o, event) for o, s in located)

    kept = [e for e, start in events if e.geo_precision != "country" or not superseded(e, start)]
    return _drop_province_summaries(kept)


def _drop_province_summaries(events: list[Event]) -> list[Event]:
    """Drop a province-level event when the report tells the same act (type, overlapping dates) in a
    town of that province: "protesters killed in Kurdistan province in recent days" above the list of
    towns where each was killed is that list's summary, not another event. (A province listed among
    towns in one sentence is an item of the list.)"""
    towns = [e for e in events if e.geo_precision == "city"]
    if not towns:
        return events

    def summarised(event: Event) -> bool:
        return any(t.event_type == event.event_type and t.admin1 == event.admin1 and _overlap(t, event)
                   and t.evidence_start != event.evidence_start for t in towns)  # a list item is no summary

    return [e for e in events if e.geo_precision != "province" or not summarised(e)]


_SITE_TYPES = frozenset({"execution", "sentence", "arrest"})  # acts done in prisons and courts


def _setting(analysis: Analysis, event_type: str) -> PlaceMention | None:
    """The place a report is about, for an act it tells without naming where: the place it names most
    (a prison or court counts double for acts done there; a place of birth, residence or burial counts
    half), when that place holds at least half of all the weight; the first named of equals. A province
    holds its towns' weight too, and gives way to the town of it the report names most."""
    text = analysis.report.text
    weights: dict[tuple, float] = {}
    first: dict[tuple, PlaceMention] = {}
    for mention in analysis.places:
        place = mention.place
        if mention.role not in ("event", "site", "street") or place.level not in ("city", "province"):
            continue
        key = (place.level, place.geonameid, place.admin1, place.name)
        weight = 2.0 if mention.role == "site" and event_type in _SITE_TYPES else 1.0
        if _is_origin(text, mention):
            weight /= 2
        weights[key] = weights.get(key, 0.0) + weight
        first.setdefault(key, mention)
    if not weights:
        return None
    best = max(weights, key=weights.__getitem__)  # the first of equals: dicts keep their order
    held = weights[best]
    if best[0] == "province":  # the province's towns are in it too; its most named town is more precise
        towns = [k for k in weights if k[0] == "city" and k[2] == best[2]]
        held += sum(weights[k] for k in towns)
        best = max(towns, key=weights.__getitem__) if towns else best
    return first[best] if 2 * held >= sum(weights.values()) else None


_COUNTRY_WIDE = re.compile(
    r"\b(?:nation-?wide|countrywide|across the country|throughout the country|all over the country|"
    r"across (?:the )?(?:provinces|cities)|"
    r"in (?:many|several|various|dozens of|numerous) (?:cities|towns|provinces))\b",
    re.IGNORECASE)


_ACROSS = re.compile(r"\b(?:across|throughout|all over|around|cities of|towns of|provinces of)\s+(?:the\s+)?$",
                     re.IGNORECASE)


_CROWD_ACROSS_TOWNS = 1000


def _country_wide(analysis: Analysis, event: Event) -> bool:
    """Whether an event is told as country-wide: its sentence places it across a country ("across Iran",
    "nationwide"), or thousands take part in it with no town named."""
    if (event.count or 0) >= _CROWD_ACROSS_TOWNS:  # "5,000 supporters sent messages": no one town's act
        return True
    start, end = event.evidence_start, event.evidence_end
    if _COUNTRY_WIDE.search(analysis.report.text, start, end):
        return True
    text = analysis.report.text
    return any(start <= m.start < end and m.place.level == "country" and _ACROSS.search(text, max(0, m.start - 24),
                                                                                          m.start)
               for m in analysis.places)


def _origin_in(analysis: Analysis, event: Event) -> PlaceMention | None:
    """"A resident of Ilam was detained": where the person the act is told of comes from, named in
    its own sentence, is a nearer guess than the report's setting."""
    text = analysis.report.text
    found = [m for m in analysis.places if event.evidence_start <= m.start < event.evidence_end
             and m.role in ("event", "site") and m.place.level in ("city", "province") and _is_origin(text, m)]
    return found[-1] if found else None  # "from Dezful, living in Isfahan": where the person lived


def _place_by_setting(analysis: Analysis, doc: _Doc, events: list[Event]) -> list[Event]:
    """Recall first: an act the report places nowhere is put where the person it is told of comes from
    (`_origin_in`), else at the place the report is about (`_setting`), with a lower confidence, rather
    than left at country level. A loose act (told with neither place, date nor figure) is an event
    only so placed. An act so placed where the report already has an act of its type is that act told
    again (a case file names the hanging three times), not another."""
    out = []
    told = {(e.event_type, _place_key(e)) for e in events if e.geo_precision != "country"}
    settings: dict[bool, PlaceMention | None] = {}  # `_setting` depends only on whether prisons count double
    for event in events:
        wide = event.geo_precision != "country" or _country_wide(analysis, event)
        mention = None if wide else _origin_in(analysis, event)
        if mention is None and not wide:
            site = event.event_type in _SITE_TYPES
            if site not in settings:
                settings[site] = _setting(analysis, event.event_type)
            mention = settings[site]
        if mention is None:
            if id(event) not in doc.loose:
                out.append(event)
            continue
        placed = replace(event, **dict(zip(_PLACE_FIELDS, _placed(doc, mention), strict=True)),
                         confidence=round(event.confidence - 0.1, 2))
        if (placed.event_type, _place_key(placed)) not in told:
            told.add((placed.event_type, _place_key(placed)))
            out.append(placed)
    return out


def _place_key(event: Event) -> tuple:
    return event.geo_precision, event.geonameid, event.admin1, event.location


_ATTACKS = frozenset({"armed_clash", "explosion"})  # acts whose dead and wounded are their own casualties


def _fold_casualties(events: list[Event]) -> list[Event]:
    """"Gunmen clashed with police near Rasak. As a result, an officer was killed.": the killing is the
    clash's casualty, not an assault of its own. A killing or wounding with no tactic of its own, at the
    place and time of a clash or a blast the report tells, is folded into it (its figure becomes the
    clash's fatalities when the clash has none)."""
    attacks = [e for e in events if e.event_type in _ATTACKS]
    if not attacks:
        return events
    out: list[Event] = []
    folded: dict[int, Event] = {}
    for event in events:
        attack = _attack_of(event, attacks) if event.event_type == "assault" else None
        if attack is None:
            out.append(event)
        elif event.fatalities and not (folded.get(id(attack)) or attack).fatalities:
            folded[id(attack)] = replace(folded.get(id(attack), attack), fatalities=event.fatalities)
    return [folded.get(id(e), e) for e in out]


def _attack_of(event: Event, attacks: list[Event]) -> Event | None:
    if event.tactic not in (None, "unspecified"):
        return None
    key = _place_key(event)
    return next((a for a in attacks if _place_key(a) == key and _overlap(a, event)), None)


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per type x place x date x actor class (a repeated passage is not a new event).

    When two readings merge, the more specific tactic and the stated counts are kept.
    """
    kept: dict[tuple, Event] = {}
    for e in events:
        key = _dedupe_key(e)
        first = kept.get(key)
        if first is None:
            kept[key] = e
        elif first.tactic is None and e.tactic is not None:
            kept[key] = replace(first, tactic=e.tactic)
    return list(kept.values())


def _dedupe_key(e: Event) -> tuple:
    return (e.event_type, e.geo_precision, e.geonameid, e.admin1, e.location, e.date_start, e.date_end,
            e.actor_class)


def _prepare(analysis: Analysis) -> _Doc:
    report = analysis.report
    text = report.text
    in_quote = _quote_test(text)
    actors = find_actors(text)
    lexicon = lex.load()
    recent_from = None if report.published is None else report.published - dt.timedelta(days=lexicon.history_days)
    return _Doc(
        report=report, triggers=_Spans(t for t in lex.find_triggers(text) if not in_quote(t.start)),
        places=_Spans(_event_places(analysis.places, in_quote, text)), dates=_Spans(analysis.dates),
        sentence_dates=_Spans(_sentence_dates(analysis.dates, report)),
        doers=_Spans(_sentence_actors(actors, in_quote, report)), reporters=_Spans(_reporters(actors, in_quote)),
        numbers=_Spans(outside(find_numbers(text), [(d.start, d.end) for d in analysis.dates])),
        lexicon=lexicon, recent_from=recent_from, country=report_country(analysis),
    )


def extract_events(analysis: Analysis) -> list[Event]:
    """The events of one analysed report (needs sentences, places and dates)."""
    doc = _read_report(analysis)
    return _dedupe(_fold_casualties(_place_by_setting(analysis, doc, _drop_placeholders(doc.events))))


def _lone_lines(sentences: Sequence[Sentence], per_paragraph: dict[int, int]) -> dict[int, bool]:
    """paragraph -> whether it cannot be a heading for what follows it: the last paragraph of a report,
    or an entry of a list: a run of at least `_LIST_LINES` different lone lines without a full stop (a
    heading printed twice is still a heading)."""
    order = sorted(per_paragraph)
    bare = {s.paragraph: s.text.strip() for s in sentences
            if per_paragraph[s.paragraph] == 1 and not _SENTENCE_END.search(s.text)}
    out: dict[int, bool] = {}
    run: list[int] = []
    for p in [*order, None]:
        if p is not None and p in bare:
            run.append(p)
            continue
        if len({bare[q] for q in run}) >= _LIST_LINES:
            out.update(dict.fromkeys(run, True))
        run = []
    if order:
        out[order[-1]] = True
    return out


_LIST_LINES = 3


def _headings(sentences: Sequence[Sentence]) -> list[bool]:
    """For each sentence, whether it is a heading (`is_heading`, with `_lone_lines`)."""
    per_paragraph: dict[int, int] = {}
    for s in sentences:
        per_paragraph[s.paragraph] = per_paragraph.get(s.paragraph, 0) + 1
    lines = _lone_lines(sentences, per_paragraph)
    return [is_heading(s, per_paragraph[s.paragraph], lines.get(s.paragraph, False)) for s in sentences]


def _read_report(analysis: Analysis) -> _Doc:
    """The report read sentence by sentence: its candidate events (`_Doc.events`) and rejections."""
    doc = _prepare(analysis)
    frame: Frame | None = None
    for sentence, heading in zip(analysis.sentences, _headings(analysis.sentences), strict=True):
        entry = _list_entry(doc, sentence) if frame is not None and frame.event_type else None
        if entry is not None and frame is not None:
            _add_listed(doc, sentence, entry, frame)
            continue
        if heading:
            frame = None
            continue
        frame = _read_sentence(doc, sentence, frame)
    return doc


_ENTRY_LEAD = 10  # characters of bullet or number before the town of a list entry, at most (`_ENTRY_START`)
_ENTRY_START = re.compile(r"[\s\-•*·▪–—]{0,4}(?:\d{1,3}[.)]\s?)?")  # a bullet or a number before a list entry
_ENTRY_MARK = re.compile(r"\s*(?:city|province)?\s*(?:\([^)\n]{1,40}\))?\s*(?:[—–:]|-\s|\s-|[.,;]?\s*$)")


def _list_entry(doc: _Doc, sentence: Sentence) -> PlaceMention | None:
    """"Tehran — 'Death to the dictator'": a line opening with a town and a dash or colon, after a
    sentence that told an activity, is that activity in that town. (Its text is a slogan or a note.)"""
    text = doc.report.text
    i = bisect_left(doc.places.starts, sentence.start)  # a quick test first: a place opens the sentence
    if i == len(doc.places) or doc.places.starts[i] > sentence.start + _ENTRY_LEAD:
        return None
    places = _within(doc.places, sentence.start, sentence.end)
    if not places or "\n" in text[sentence.start:sentence.end].strip():
        return None
    if _within(doc.triggers, sentence.start, sentence.end):  # "Tehran: police arrested ...": its own act
        return None
    first = places[0]
    lead = _ENTRY_START.match(text, sentence.start, first.start)
    end = sentence.start + len(text[sentence.start:sentence.end].rstrip())
    if lead is None or lead.end() != first.start or not _ENTRY_MARK.match(text, first.end, end):
        return None
    return first


def _add_listed(doc: _Doc, sentence: Sentence, entry: PlaceMention, frame: Frame) -> None:
    """The frame's activity at a town of a list (`_list_entry`), on the frame's date."""
    start, end, precision, stale = _dated(doc, frame.date)
    if stale and not _is_told_story(doc.report, start):
        return
    actor = frame.actor
    doc.events.append((_event(
        doc.report.doc, frame.event_type, frame.tactic, start, end, precision, *_placed(doc, entry),
        actor.name if actor else None, actor.actor_class if actor else "unknown", None, *_NO_COUNTS, None,
        sentence.text, sentence.start, sentence.end, _confidence(frame.date is not None, True, "generic")),
        frame.start))


def find_events(analysis: Analysis) -> Analysis:
    return replace(analysis, events=tuple(extract_events(analysis)))


class Dropped(NamedTuple):
    """A candidate event the rules turned down: its trigger (or, for the last two filters, its
    sentence), its type, its place if it had one, and why."""

    start: int
    end: int
    event_type: str
    place: str | None
    reason: str


def explain_events(analysis: Analysis) -> list[Dropped]:
    """Every candidate event of a report that `extract_events` turns down, with the reason.

    For error analysis (`eventledger quality --errors`), never on the extraction path: it reads
    the report again."""
    doc = _read_report(analysis)
    text = analysis.report.text
    kept = {(t.start, t.end) for t in doc.triggers}
    out = [Dropped(t.start, t.end, t.event_type, None, _QUOTATION)
           for t in lex.find_triggers(text) if (t.start, t.end) not in kept]
    for s, heading in zip(analysis.sentences, _headings(analysis.sentences), strict=True):
        if heading:
            found = _within(doc.triggers, s.start, s.end)
            out += [Dropped(t.start, t.end, t.event_type, None, _HEADING) for t in found]
    for start, end, event_type, place, reason in doc.rejected:
        out.append(Dropped(start, end, event_type, place.place.name if place else None, reason))
    superseded = _drop_placeholders(doc.events)
    survivors = {id(e) for e in superseded}
    out += [Dropped(e.evidence_start or 0, e.evidence_end or 0, e.event_type, None, _PLACEHOLDER)
            for e, _ in doc.events if id(e) not in survivors]
    located = _place_by_setting(analysis, doc, superseded)
    unplaced = [e for e in superseded if id(e) in doc.loose  # loose acts that no setting placed
                and (_country_wide(analysis, e) or _setting(analysis, e.event_type) is None)]
    out += [Dropped(e.evidence_start or 0, e.evidence_end or 0, e.event_type, None, _PLACELESS) for e in unplaced]
    seen: set[tuple] = set()
    for e in located:
        key = _dedupe_key(e)
        if key in seen:
            out.append(Dropped(e.evidence_start or 0, e.evidence_end or 0, e.event_type,
                               e.location or e.admin1, _DEDUPE))
        seen.add(key)
    return sorted(out)
