"""An event's fields: its date (and whether it is history or future), its place, its counts and its
confidence; the rules that turn a figure into an aggregate or a tally; `Event` built from them."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

from eventledger.data import load_toml
from eventledger.models import DateMention, Event, PlaceMention, Report, Sentence
from eventledger.stages.actors import Actor
from eventledger.stages.events.document import Counts, PlaceFields, _Doc, _View
from eventledger.stages.quantities import Number


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


def _is_future(date_start: str | None, report: Report) -> bool:
    """Nothing reported can have started after the report was published."""
    return bool(date_start and report.published and dt.date.fromisoformat(date_start) > report.published)


_NO_COUNTS = Counts()


def build_event(doc: str, event_type: str, tactic: str | None, dates: tuple[str | None, str | None, str | None],
                place: PlaceFields, actor: Actor | None, counts: Counts, reported_by: str | None,
                sentence: Sentence, confidence: float) -> Event:
    """An `Event` of its parts, built by keyword."""
    date_start, date_end, time_precision = dates
    return Event(
        doc=doc, event_type=event_type, tactic=tactic,
        date_start=date_start, date_end=date_end, time_precision=time_precision,
        location=place.location, admin1=place.admin1, country=place.country, geonameid=place.geonameid,
        latitude=place.latitude, longitude=place.longitude, geo_precision=place.geo_precision,
        actor1=actor.name if actor else None, actor_class=actor.actor_class if actor else "unknown", target=None,
        fatalities=counts.fatalities, arrests=counts.arrests, count=counts.count, reported_by=reported_by,
        evidence=sentence.text, evidence_start=sentence.start, evidence_end=sentence.end, confidence=confidence)


_FATAL_TYPES = ("assault", "execution")  # the types whose figure is `fatalities` (`_counts`)


def _counts(event_type: str, number: Number | None) -> Counts:
    """The figure of an event, in the field its type gives it."""
    if number is None or number.value is None:
        return _NO_COUNTS
    if event_type in _FATAL_TYPES:
        return Counts(fatalities=number.value)
    if event_type == "arrest":
        return Counts(arrests=number.value)
    return Counts(count=number.value)


def _place_fields(mention: PlaceMention | None, report: Report, country: str | None = None) -> PlaceFields:
    """The place of an event as its `PlaceFields`; with no place, the country the report's places
    point to (`places.report_country`), else the language's (Iran for English and Persian reports)."""
    if mention is None:
        country = country or ("IR" if report.language in ("en", "fa", None) else None)
        return PlaceFields(None, None, country, None, None, None, "country")
    place = mention.place
    if place.level == "city":
        return PlaceFields(place.name, place.admin1, place.country, place.geonameid, place.latitude, place.longitude,
                           place.level)
    return PlaceFields(None, place.admin1, place.country, None, None, None, place.level)


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
    if not (start and end):
        return False
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days > 31


def _placed(doc: _Doc, mention: PlaceMention | None) -> PlaceFields:
    """`_place_fields` of a place (or None), worked out once per mention: every trigger it goes to asks.
    Keyed by identity, as `_dated`."""
    found = doc.placed.get(id(mention))
    if found is None:
        found = doc.placed[id(mention)] = _place_fields(mention, doc.report, doc.country)
    return found


def _is_told_story(report: Report, start: str | None) -> bool:
    """Whether an old act belongs to the story a report tells: a report dated only by its own latest
    date (a case file, a chronology, a victim's record) tells its earlier acts as its story; a report
    with a stated date tells them as history."""
    return report.published_precision == "inferred" and not _is_future(start, report)
