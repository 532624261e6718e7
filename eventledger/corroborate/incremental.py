"""Incremental ledger corroboration: the full pass's decisions, re-planned only where something changed.

`corroborate_ledger` (the full pass) reloads every report. This module reads the ledger's
corroboration index instead (`eventledger.store.corroboration`), where the groups of near-identical
paragraphs are already kept up to date as documents are written, and re-decides, in one
transaction, only what the documents written (or removed) since the last corroboration can change:

1. **near-copies.** Two documents are near-copies by the words of their paragraphs that share a
   group, outside boilerplate groups (`passages.copy_pairs`). Those numbers change only for
   documents written, and for members of groups that gained or lost members while no boilerplate
   (or that crossed the boilerplate line): the *touched* documents. A set of near-copies can
   change only if a touched document is in it, is paired with one, or was in it before; that
   closure is re-planned with the batch rules (`passages.originals`: earliest published, then the
   smaller doc).
2. **records read twice** are re-decided group by group (`_repeats`, as `repeated_records`
   does) for the groups that changed, the groups of documents written and the groups of documents
   whose near-copy status changed. Only a group's paragraphs and the records read from them are
   loaded, not its documents.
3. **incidents** never span two (event type, place) bases (`index.incident_base`), so each base
   with an event added, removed or whose document changed status is re-planned as a whole with
   the batch rules (`_incidents`), from its events only.

Everything else keeps what the last corroboration decided. The result is the full pass's on the
same ledger: it depends only on what the ledger holds, so re-ingesting stays idempotent. Memory
is bounded by one base's events, one group's records and the set of touched documents (names).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eventledger.corroborate import _incidents, _repeats, record_key
from eventledger.corroborate.index import incident_base
from eventledger.corroborate.passages import COVERAGE, same_report
from eventledger.corroborate.unionfind import UnionFind
from eventledger.models import Analysis, Claim, Event, Report, Statement

if TYPE_CHECKING:
    from eventledger.store import Ledger
    from eventledger.store.corroboration import CorroborationIndex

_RECORD_TABLES = (("event", "events", ("event_type", "tactic", "location", "admin1", "country", "geonameid",
                                       "geo_precision")),
                  ("claim", "claims", ("category", "value")),
                  ("statement", "statements", ("speaker",)))


@dataclass
class Outcome:
    """What one incremental corroboration changed (for tests and progress reports)."""

    documents: int = 0  # documents written or touched since the last corroboration
    duplicates: dict[str, str | None] = field(default_factory=dict)  # doc -> new duplicate_of
    dropped: int = 0  # records deleted as read twice
    incidents: int = 0  # events whose incident changed
    bases: int = 0  # incident bases re-planned


def corroborate_incremental(ledger: Ledger) -> Outcome:
    """Decide near-copies, records read twice and incidents for what changed since the last
    corroboration of `ledger` (its ``corroboration_pending_*`` tables), in one transaction."""
    with ledger.corroboration_index() as index:
        index.group_pending()  # paragraphs of groups a removal may have split
        docs, groups, bases = index.pending()
        outcome = Outcome(documents=len(docs))
        if not (docs or groups or bases):
            return outcome
        touched = set(docs)
        for group in groups:
            touched.update(index.refresh_boilerplate(group))
        outcome.duplicates, members = _decide_copies(index, touched)
        changed_status = set(outcome.duplicates)
        index.set_duplicates(outcome.duplicates.items())
        index.refresh_rules(members)
        regroup = set(groups) | index.groups_of(set(docs) | changed_status)
        dropped_bases: set[str] = set()
        for group in sorted(regroup):
            outcome.dropped += _drop_repeats(index, group, dropped_bases)
        affected = set(bases) | dropped_bases | index.bases_of(touched | changed_status)
        outcome.bases = len(affected)
        for base in sorted(affected):
            outcome.incidents += _replan_incidents(index, base)
        index.clear_pending()
    return outcome


# --------------------------------------------------------------------------- near-copies


def _published(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else dt.date.max


class _Copies:
    """Copy pairs of documents from the index (`passages.copy_pairs` on stored numbers), cached."""

    def __init__(self, index: CorroborationIndex) -> None:
        self.index = index
        self._shared: dict[str, tuple[int, dict[str, int]]] = {}
        self._members: dict[int, list[str]] = {}
        self._reported: dict[str, set[str]] = {}

    def _group_docs(self, group: int) -> list[str]:
        if group not in self._members:
            self._members[group] = self.index.group_docs(group)
        return self._members[group]

    def shared(self, doc: str) -> tuple[int, dict[str, int]]:
        """(content words, other doc -> words of this doc's paragraphs that recur in it)."""
        if doc not in self._shared:
            content = 0
            shared: defaultdict[str, int] = defaultdict(int)
            for group, words, big in self.index.doc_passages(doc):
                if big:
                    continue
                content += words
                for other in set(self._group_docs(group)) - {doc}:
                    shared[other] += words
            self._shared[doc] = (content, dict(shared))
        return self._shared[doc]

    def reported(self, doc: str) -> set[str]:
        if doc not in self._reported:
            self._reported[doc] = self.index.doc_bases(doc)
        return self._reported[doc]

    def partners(self, doc: str) -> list[str]:
        """Documents that are near-copies of `doc` (both ways over `COVERAGE`, reporting the same)."""
        content, shared = self.shared(doc)
        out = []
        for other, words in shared.items():
            other_content, other_shared = self.shared(other)
            back = other_shared.get(doc, 0)
            if min(words / (content or 1), back / (other_content or 1)) >= COVERAGE and same_report(
                    self.reported(doc), self.reported(other)):
                out.append(other)
        return sorted(out)


def _closure(index: CorroborationIndex, copies: _Copies, touched: set[str]) -> set[str]:
    """Touched documents, their copy partners and every document of their former sets of near-copies."""
    info = index.doc_info(touched)
    todo, seen = sorted(touched), set()
    while todo:
        doc = todo.pop()
        if doc in seen:
            continue
        seen.add(doc)
        if doc not in info:
            info.update(index.doc_info([doc]))
        original = (info.get(doc) or (None, None))[1] or doc
        todo.extend(d for d in [original, *index.copies_of(original)] if d not in seen)
        if doc in touched:
            todo.extend(d for d in copies.partners(doc) if d not in seen)
    return {d for d in seen if d in info}


def _decide_copies(index: CorroborationIndex, touched: set[str]) -> tuple[dict[str, str | None], list[str]]:
    """(doc -> new duplicate_of, for every document whose near-copy decision changes; every document
    whose decision was re-planned)."""
    copies = _Copies(index)
    members = sorted(_closure(index, copies, touched))
    info = index.doc_info(members)
    position = {d: i for i, d in enumerate(members)}
    sets = UnionFind(len(members))
    for doc in members:
        for other in copies.partners(doc):
            if other in position:
                sets.union(position[doc], position[other])
    first: dict[int, str] = {}
    for doc in sorted(members, key=lambda d: (_published(info[d][0]), d)):
        first.setdefault(sets.find(position[doc]), doc)
    changes = {}
    for doc in members:
        original = first[sets.find(position[doc])]
        wanted = None if original == doc else original
        if info[doc][1] != wanted:
            changes[doc] = wanted
    return changes, members


# --------------------------------------------------------------------------- records read twice


def _record(kind: str, doc: str, values: Sequence[object]) -> Event | Claim | Statement:
    if kind == "event":
        names = _RECORD_TABLES[0][2]
        return Event(doc=doc, **dict(zip(names, values, strict=True)))  # type: ignore[arg-type]
    if kind == "claim":
        return Claim(doc=doc, category=values[0], value=values[1])  # type: ignore[arg-type]
    return Statement(doc=doc, speaker=values[0])  # type: ignore[arg-type]


def _drop_repeats(index: CorroborationIndex, group: int, bases: set[str]) -> int:
    """Delete the records read from a group's paragraphs that an earlier copy yielded already
    (`repeated_records` on one group); adds the incident bases of deleted events to `bases`."""
    members = index.group_members(group)
    if len(members) < 2:
        return 0
    info = index.doc_info({d for d, _, _ in members})
    primary = sorted(((_published(info[d][0]), d, s) for d, s, _ in members if info[d][1] is None))
    records: dict[tuple[str, int], list[tuple[tuple[str, int], tuple[object, ...]]]] = defaultdict(list)
    events: dict[int, Event] = {}
    for kind, table, columns in _RECORD_TABLES:
        for doc, start, row_id, *values in index.group_records(group, table, columns):
            record = _record(kind, doc, values)
            records[doc, start].append(((kind, row_id), record_key(record)))
            if isinstance(record, Event):
                events[row_id] = record
    copies = [records.get((d, s), []) for _, d, s in primary]
    dropped: dict[str, list[int]] = defaultdict(list)
    for _, (kind, row_id) in _repeats(copies):
        dropped[kind].append(row_id)
    if not dropped:
        return 0
    bases.update(incident_base(events[i]) for i in dropped.get("event", ()))
    for kind, table, _ in _RECORD_TABLES:
        index.delete_records(table, dropped.get(kind, ()))
    return sum(len(ids) for ids in dropped.values())


# --------------------------------------------------------------------------- incidents


def _replan_incidents(index: CorroborationIndex, base: str) -> int:
    """Re-plan the incidents of one base from its stored events; returns how many changed."""
    rows = index.base_events(base)
    if not rows:
        return 0
    by_doc: dict[str, list[tuple[int, Event]]] = defaultdict(list)
    for row_id, doc, event in rows:
        by_doc[doc].append((row_id, event))
    info = index.doc_info(by_doc)
    originals = {o for _, o in info.values() if o is not None}
    docs = sorted(set(by_doc) | originals)
    position = {d: i for i, d in enumerate(docs)}
    analyses = [Analysis(report=Report(doc=d, text=""), events=tuple(e for _, e in by_doc.get(d, ())))
                for d in docs]
    copy_of = {position[d]: position[o] for d, (_, o) in info.items() if o is not None}
    decided = _incidents(analyses, {}, copy_of)
    changes = []
    for doc, events in by_doc.items():
        for (row_id, event), incident in zip(events, decided[position[doc]], strict=True):
            if incident is not None and incident != event.incident:
                changes.append((row_id, incident))
    index.set_incidents(changes)
    return len(changes)

