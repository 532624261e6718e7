"""Corroboration: one incident, many reports.

The same activity is reported by several outlets, syndicated under new URLs and repeated inside
compilation pages. This package, run over a batch of analysed reports after the stages:

1. finds **repeated passages** (`passages.repeated_passages`) and **near-copy documents**
   (`find_duplicate_documents`; documents that report other events, by type and place, are no
   copies whatever their shared words: `passages.same_report`): a near-copy keeps its records,
   and its document names the original in `duplicate_of` (counts and corroboration leave such
   documents out);
2. drops a record read from a repeated passage when an earlier copy of the passage yielded the
   same record (same kind, type, place, date span and counts; category, value, period and place;
   speaker, date and quote), so it is kept once;
3. groups events into **incidents** (`assign_incidents`): `Event.incident` is shared by every
   report of one incident; an event of a near-copy takes the incident of its original's matching
   event (same type and place, nearest date), so copies never add or bridge incidents;
4. measures each incident's **corroboration** (`reports.corroboration`: independent affiliations
   that report it) and sets **contested figures** side by side (`figures.contested_figures`).

``corroborate(analyses)`` does 1–3 on a batch; ``plan(analyses)`` says what it would change,
which is how the ledger applies the same decisions to stored rows (`corroborate.ledger`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from eventledger.corroborate.figures import ClaimGroup, contested_figures
from eventledger.corroborate.incidents import assign_incidents, day_distance, incident_ids, place_key
from eventledger.corroborate.passages import (
    Passage,
    PassageGroup,
    copies_from_groups,
    copy_rule,
    find_duplicate_documents,
    repeated_passages,
)
from eventledger.corroborate.reports import Incident, corroboration, incident_corroboration, incidents
from eventledger.models import Analysis, Claim, Event, Statement

__all__ = [
    "ClaimGroup", "Incident", "Plan", "apply_plan", "assign_incidents", "contested_figures", "corroborate",
    "corroboration", "find_duplicate_documents", "incident_corroboration", "incidents", "plan",
    "repeated_passages", "repeated_records",
]

RecordRef = tuple[str, int]  # (kind, index in the analysis' tuple of that kind)
EventRef = tuple[int, int]  # (position of the analysis in the batch, index of the event)
_KINDS = (("event", "events"), ("claim", "claims"), ("statement", "statements"))


@dataclass(frozen=True)
class Plan:
    """What corroboration decides for a batch, by position of each analysis in it.

    `originals`: position of a near-copy -> position of its original (`rules`: the copy rule that
    matched, `passages.COPY_RULES`); `dropped`: position ->
    records read from a repeated passage; `incidents`: position -> the incident of each of its
    events (None for a dropped one); `docs`: the doc at each position.
    """

    originals: Mapping[int, int]
    dropped: Mapping[int, frozenset[RecordRef]]
    incidents: Mapping[int, tuple[str | None, ...]]
    docs: tuple[str, ...]
    rules: Mapping[int, str] = dataclasses.field(default_factory=dict)  # position of a near-copy -> its rule

    @property
    def duplicates(self) -> dict[str, str]:
        """doc of each near-copy -> doc of its original."""
        return {self.docs[c]: self.docs[o] for c, o in self.originals.items()}


# --------------------------------------------------------------------------- repeated records


def reported(events: Iterable[Event]) -> frozenset[str]:
    """What a document reports, as near-copy detection compares it: its events' (type, place)."""
    from eventledger.corroborate.index import incident_base

    return frozenset(incident_base(e) for e in events)


def record_key(record: Event | Claim | Statement) -> tuple[object, ...]:
    """What makes two records read from copies of one passage the same record."""
    if isinstance(record, Event):
        return ("event", record.event_type, record.tactic, place_key(record), record.date_start, record.date_end,
                record.fatalities, record.arrests, record.count)
    if isinstance(record, Claim):
        return ("claim", record.category, record.value, record.period_start, record.period_end, record.place)
    return ("statement", record.speaker.casefold(), record.date, record.quote)


def _records_in(analysis: Analysis, passage: Passage) -> Iterator[tuple[RecordRef, tuple[object, ...]]]:
    for kind, attribute in _KINDS:
        for index, record in enumerate(getattr(analysis, attribute)):
            if record.evidence_end > record.evidence_start and passage.contains(record.evidence_start):
                yield (kind, index), record_key(record)


def _repeats(copies: Sequence[list[tuple[RecordRef, tuple[object, ...]]]]) -> Iterator[tuple[int, RecordRef]]:
    """(copy number, record) of records an earlier copy already yielded (as often as it did)."""
    yielded: Counter[tuple[object, ...]] = Counter()
    for number, records in enumerate(copies):
        counts = Counter(key for _, key in records)
        budget = Counter({key: min(n, yielded[key]) for key, n in counts.items()})
        for ref, key in records:
            if budget[key] > 0:
                budget[key] -= 1
                yield number, ref
        yielded |= counts


def repeated_records(analyses: Sequence[Analysis], groups: Sequence[PassageGroup], *,
                     skip: Collection[int] = frozenset()) -> dict[int, frozenset[RecordRef]]:
    """position -> records read from a repeated passage that an earlier copy of it yielded already.

    `groups` come from `repeated_passages` over the analyses' reports, in the same order.
    Passages of reports at the positions in `skip` (near-copies, which keep their records) take
    no part.
    """
    dropped: dict[int, set[RecordRef]] = defaultdict(set)
    for group in groups:
        members = [p for p in group if p.report not in skip]
        copies = [list(_records_in(analyses[p.report], p)) for p in members]
        for number, ref in _repeats(copies):
            dropped[members[number].report].add(ref)
    return {position: frozenset(refs) for position, refs in dropped.items()}


# --------------------------------------------------------------------------- incidents


Kept = tuple[int, int, Event]  # (position of the analysis, index of the event in it, event)


def _kept_events(analyses: Sequence[Analysis], dropped: Mapping[int, frozenset[RecordRef]]) -> list[Kept]:
    return [(p, i, e) for p, a in enumerate(analyses) for i, e in enumerate(a.events)
            if ("event", i) not in dropped.get(p, frozenset())]


def _nearest(event: Event, candidates: Sequence[tuple[Event, str]]) -> str | None:
    """The incident of the candidate of the same type and place whose start is nearest `event`'s."""
    key = (event.event_type, place_key(event))
    same = [(e, i) for e, i in candidates if (e.event_type, place_key(e)) == key]
    if not same:
        return None
    return min(same, key=lambda ei: day_distance(ei[0], event))[1]


def _cluster(kept: Sequence[Kept]) -> dict[EventRef, str]:
    ids = incident_ids([e for *_, e in kept])
    return {(p, i): incident for (p, i, _), incident in zip(kept, ids, strict=True)}


def _copy_incidents(primary: Sequence[Kept], copies: Sequence[Kept], ids: Mapping[EventRef, str],
                    originals: Mapping[int, int]) -> dict[EventRef, str]:
    """Incidents of near-copies' events: their original's matching event's, else clustered with the rest."""
    by_position: dict[int, list[tuple[Event, str]]] = defaultdict(list)
    for position, index, event in primary:
        by_position[position].append((event, ids[position, index]))
    found, unmatched = {}, []
    for position, index, event in copies:
        incident = _nearest(event, by_position[originals[position]])
        if incident is None:
            unmatched.append((position, index, event))
        else:
            found[position, index] = incident
    if unmatched:
        again = _cluster([*primary, *unmatched])
        found.update({(p, i): again[p, i] for p, i, _ in unmatched})
    return found


def _incidents(analyses: Sequence[Analysis], dropped: Mapping[int, frozenset[RecordRef]],
               originals: Mapping[int, int]) -> dict[int, tuple[str | None, ...]]:
    """Events of reports that are no near-copy are clustered; a near-copy's events follow their original."""
    kept = _kept_events(analyses, dropped)
    primary = [k for k in kept if k[0] not in originals]
    ids = _cluster(primary)
    ids.update(_copy_incidents(primary, [k for k in kept if k[0] in originals], ids, originals))
    out: list[list[str | None]] = [[None] * len(a.events) for a in analyses]
    for (position, index), incident in ids.items():
        out[position][index] = incident
    return {position: tuple(v) for position, v in enumerate(out)}


# --------------------------------------------------------------------------- the batch step


def plan(analyses: Sequence[Analysis]) -> Plan:
    """Decide near-copies, repeated records and incidents for a batch (changes nothing)."""
    reports = [a.report for a in analyses]
    groups = repeated_passages(reports)
    originals = copies_from_groups(reports, groups, [reported(a.events) for a in analyses])
    dropped = repeated_records(analyses, groups, skip=frozenset(originals))
    rules = {c: copy_rule(reports[c], reports[o]) for c, o in originals.items()}
    return Plan(originals, dropped, _incidents(analyses, dropped, originals), tuple(r.doc for r in reports), rules)


def apply_plan(analysis: Analysis, decided: Plan, position: int) -> Analysis:
    """The analysis at `position` of the planned batch with its report's `duplicate_of`, its events'
    incidents, and without its records read from repeated passages."""
    drop = decided.dropped.get(position, frozenset())
    ids = decided.incidents.get(position, (None,) * len(analysis.events))
    original = decided.originals.get(position)
    events = tuple(dataclasses.replace(e, incident=ids[i]) for i, e in enumerate(analysis.events)
                   if ("event", i) not in drop)
    return dataclasses.replace(
        analysis, events=events,
        report=dataclasses.replace(analysis.report, duplicate_of=None if original is None else decided.docs[original],
                                   duplicate_rule=decided.rules.get(position)),
        claims=tuple(c for i, c in enumerate(analysis.claims) if ("claim", i) not in drop),
        statements=tuple(s for i, s in enumerate(analysis.statements) if ("statement", i) not in drop))


def corroborate(analyses: list[Analysis]) -> list[Analysis]:
    """The batch with near-copies marked, repeated records kept once and incidents assigned."""
    decided = plan(analyses)
    return [apply_plan(a, decided, position) for position, a in enumerate(analyses)]
