"""Who reports an incident, and how independently: corroboration and the incident listing.

An incident's **corroboration** is the number of distinct affiliations (from the source
registry, `eventledger/data/sources.toml`) among the publishers of the documents that report
it. Independence is judged by affiliation, not by outlet: two opposition outlets count once,
and `state` and `state-affiliated` outlets count as one camp (`CAMPS`). Two kinds of report add
nothing, because nothing shows they are independent of the others:

* a document that is a near-copy of another (`Document.duplicate_of`): a syndicated copy;
* a document whose publisher is missing or not in the registry (affiliation `unknown`).

So an incident known only from unregistered outlets has corroboration 0. Who the text credits
(`Event.reported_by`) is listed with each report but does not count: the publisher relays it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from eventledger.corroborate.incidents import place_key
from eventledger.ingest.sources import UNKNOWN, Registry
from eventledger.models import Document, Event

CAMPS: dict[str, str] = {"state-affiliated": "state"}  # affiliation -> the camp it is judged with


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident and every report of it (events, in document order)."""

    incident: str
    event_type: str
    place: str
    date_start: str | None
    date_end: str | None
    reports: tuple[Event, ...]
    documents: tuple[str, ...]
    affiliations: tuple[str, ...]

    @property
    def corroboration(self) -> int:
        return len(self.affiliations)


def camp(affiliation: str) -> str:
    return CAMPS.get(affiliation, affiliation)


def affiliations(events: Iterable[Event], documents: Mapping[str, Document], registry: Registry) -> tuple[str, ...]:
    """The independent affiliations (camps) that report `events`, sorted; see the module notes."""
    found = set()
    for doc in {e.doc for e in events}:
        document = documents.get(doc)
        if document is None or document.duplicate_of:
            continue
        found.add(camp(registry.affiliation(document.publisher)))
    return tuple(sorted(found - {UNKNOWN}))


def corroboration(events: Iterable[Event], documents: Mapping[str, Document], registry: Registry) -> int:
    """Number of independent affiliations that report the incident of `events`."""
    return len(affiliations(events, documents, registry))


def by_incident(events: Iterable[Event]) -> dict[str, list[Event]]:
    """Events grouped by incident id (events without one are left out), in first-seen order."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.incident:
            groups[event.incident].append(event)
    return dict(groups)


def incident_corroboration(events: Iterable[Event], documents: Mapping[str, Document],
                           registry: Registry) -> dict[str, int]:
    """incident id -> corroboration, for every incident among `events`."""
    return {i: corroboration(group, documents, registry) for i, group in by_incident(events).items()}


def place_label(event: Event) -> str:
    key = place_key(event)
    if key is None:
        return "unknown place"
    if key[0] in ("g", "l"):
        return ", ".join(p for p in (event.location, event.admin1, event.country) if p)
    return ", ".join(p for p in (event.admin1 if key[0] == "a" else None, event.country) if p)


def _incident(incident: str, reports: Sequence[Event], documents: Mapping[str, Document],
              registry: Registry) -> Incident:
    starts = [e.date_start for e in reports if e.date_start]
    ends = [end for e in reports if (end := e.date_end or e.date_start)]
    return Incident(
        incident=incident, event_type=reports[0].event_type, place=place_label(reports[0]),
        date_start=min(starts, default=None), date_end=max(ends, default=None), reports=tuple(reports),
        documents=tuple(dict.fromkeys(e.doc for e in reports)),
        affiliations=affiliations(reports, documents, registry))


def incidents(events: Iterable[Event], documents: Mapping[str, Document], registry: Registry) -> list[Incident]:
    """Every incident among `events` with its reports, ordered by date, type and place."""
    found = [_incident(i, group, documents, registry) for i, group in by_incident(events).items()]
    return sorted(found, key=lambda x: (x.date_start or "9999", x.event_type, x.place, x.incident))
