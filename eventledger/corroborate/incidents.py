"""Incidents: the reports of one thing that happened, grouped across documents.

Events of one type at one place whose date spans overlap (or touch: `TOLERANCE_DAYS`) are
reports of one incident, transitively. The place is compared at the event's own precision: the
GeoNames id (else the name) of a town, the province of a province-level event, the country of
a country-level one; a town-level and a province-level event are never the same incident.

Vague events (month or year precision, or a span longer than `MAX_SPAN_DAYS`) would chain
everything nearby into one incident; they join only events with the very same span. Events
without a date or a place join only reports of the very same sentence.

Clustering sorts events by (type, place, start) and sweeps once: O(n log n).
The incident id is ``inc-`` and a short hash of the type, place and first day of the incident
(and of the span or sentence for vague, undated and unplaced ones), so it is deterministic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from eventledger.models import Event

TOLERANCE_DAYS = 1
MAX_SPAN_DAYS = 31
VAGUE_PRECISIONS = frozenset({"month", "year"})


class _Item(NamedTuple):
    key: tuple[str, ...]  # type, place and (for vague or undated events) what else must be equal
    start: int  # proleptic ordinal of date_start (0 when undated)
    end: int
    position: int  # position in the input


def place_key(event: Event) -> tuple[str, str] | None:
    """The place an event is compared by, at its own precision; None if it has no place."""
    level = event.geo_precision or ("city" if event.location else "province" if event.admin1 else "country")
    if level == "city" and (event.geonameid is not None or event.location):
        name = str(event.geonameid) if event.geonameid is not None else (event.location or "").casefold()
        return ("g", name) if event.geonameid is not None else ("l", f"{event.country}/{name}")
    if level in ("city", "province") and event.admin1:
        return "a", f"{event.country}/{event.admin1.casefold()}"
    return ("c", event.country) if event.country else None


def _ordinal(iso: str | None) -> int | None:
    try:
        return dt.date.fromisoformat(iso[:10]).toordinal() if iso else None
    except ValueError:
        return None


def day_distance(a: Event, b: Event) -> int:
    """Days between the starts of two events (a large number when either is undated)."""
    x, y = _ordinal(a.date_start), _ordinal(b.date_start)
    return abs(x - y) if x is not None and y is not None else 1_000_000


def _evidence_key(event: Event) -> str:
    return hashlib.sha1(" ".join(event.evidence.casefold().split()).encode("utf-8")).hexdigest()[:16]


def _item(event: Event, index: int) -> _Item:
    place = place_key(event)
    start = _ordinal(event.date_start)
    end = _ordinal(event.date_end) or start
    base = (event.event_type, *(place or ("", "")))
    if place is None or start is None or end is None:
        return _Item((*base, "sentence", _evidence_key(event)), 0, 0, index)
    if event.time_precision in VAGUE_PRECISIONS or end - start >= MAX_SPAN_DAYS:
        return _Item((*base, "span", str(start), str(end)), start, end, index)
    return _Item(base, start, max(start, end), index)


def _incident_id(item: _Item) -> str:
    label = "|".join((*item.key, dt.date.fromordinal(item.start).isoformat() if item.start else ""))
    return "inc-" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:12]


def _sweep(items: list[_Item]) -> Iterator[tuple[_Item, list[int]]]:
    """Clusters of sorted items: (first item, indices); an item joins while it starts by the end + tolerance."""
    first, members, end = items[0], [items[0].position], items[0].end
    for item in items[1:]:
        if item.key == first.key and item.start <= end + TOLERANCE_DAYS:
            members.append(item.position)
            end = max(end, item.end)
            continue
        yield first, members
        first, members, end = item, [item.position], item.end
    yield first, members


def incident_ids(events: Sequence[Event]) -> list[str]:
    """The incident id of each event, in input order."""
    items = sorted(_item(e, i) for i, e in enumerate(events))
    ids = [""] * len(events)
    if items:
        for first, members in _sweep(items):
            incident = _incident_id(first)
            for index in members:
                ids[index] = incident
    return ids


def assign_incidents(events: Sequence[Event]) -> list[Event]:
    """The events with `incident` set: an id shared by every report of the same incident."""
    return [dataclasses.replace(e, incident=i) for e, i in zip(events, incident_ids(events), strict=True)]
