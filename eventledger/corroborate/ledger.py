"""Corroboration over a whole ledger: the same decisions as for a batch, applied to stored rows.

`corroborate_ledger` re-reads every stored report and record, decides near-copies, repeated
records and incidents (`plan`) and writes the differences in one transaction. The result
depends only on what the ledger holds, never on the order documents were ingested in, so
re-ingesting is idempotent. Ties between equally dated near-copies go to the smaller `doc`
(a ledger has no other stable "first seen"). A record read from a repeated passage is deleted.

That full pass holds the whole ledger in memory; `incremental.corroborate_incremental` takes the
same decisions for what changed since the last corroboration only (what `eventledger ingest` runs).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from eventledger.corroborate import Plan, plan
from eventledger.corroborate.figures import ClaimGroup, contested_figures
from eventledger.corroborate.reports import Incident, incident_corroboration, incidents
from eventledger.ingest.sources import Registry, load_registry
from eventledger.models import Analysis, Document

if TYPE_CHECKING:
    from eventledger.store import Ledger

KINDS = ("event", "claim", "statement")


def _changed_duplicates(analyses: Sequence[Analysis], decided: Plan) -> dict[str, str | None]:
    wanted = {p: decided.docs[o] for p, o in decided.originals.items()}
    return {a.report.doc: wanted.get(p) for p, a in enumerate(analyses) if a.report.duplicate_of != wanted.get(p)}


def _changed_incidents(analyses: Sequence[Analysis], decided: Plan,
                       ids: Mapping[str, tuple[int, ...]]) -> Iterator[tuple[int, str | None]]:
    for position, a in enumerate(analyses):
        for event, row_id, incident in zip(a.events, ids.get(a.report.doc, ()), decided.incidents[position],
                                           strict=True):
            if incident is not None and event.incident != incident:
                yield row_id, incident


def _dropped_ids(decided: Plan, ids: Mapping[str, Mapping[str, tuple[int, ...]]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for position, refs in decided.dropped.items():
        for kind, index in refs:
            out[kind].append(ids[kind][decided.docs[position]][index])
    return out


def corroborate_ledger(ledger: Ledger) -> Plan:
    """Mark near-copies, delete records read twice and (re)assign incidents over the whole ledger.

    The full pass (memory grows with the ledger; `eventledger ingest` uses
    `incremental.corroborate_incremental`, which takes the same decisions re-planning only what
    changed). It also brings the corroboration index up to date and empties what was pending.
    """
    with ledger.corroboration_index() as index:
        index.group_pending()
        for group in index.pending()[1]:
            index.refresh_boilerplate(group)
    analyses = list(ledger.analyses())
    ids = {kind: ledger.record_ids(kind) for kind in KINDS}
    decided = plan(analyses)
    ledger.apply_corroboration(duplicates=_changed_duplicates(analyses, decided),
                               incidents=list(_changed_incidents(analyses, decided, ids["event"])),
                               dropped=_dropped_ids(decided, ids))
    return decided


# --------------------------------------------------------------------------- reading


def _documents(ledger: Ledger) -> dict[str, Document]:
    return {d.doc: d for d in ledger.documents()}


def ledger_incidents(ledger: Ledger, registry: Registry | None = None) -> list[Incident]:
    """Every incident in the ledger with its reports and corroboration."""
    return incidents(ledger.events(), _documents(ledger), registry or load_registry())


def ledger_corroboration(ledger: Ledger, registry: Registry | None = None) -> dict[str, int]:
    """incident id -> corroboration (independent affiliations reporting it)."""
    return incident_corroboration(ledger.events(), _documents(ledger), registry or load_registry())


def ledger_figures(ledger: Ledger, *, min_sources: int = 2) -> list[ClaimGroup]:
    """Contested figures among the claims of documents that are not near-copies."""
    documents = _documents(ledger)
    claims = (c for c in ledger.claims() if not getattr(documents.get(c.doc), "duplicate_of", None))
    publishers = {doc: d.publisher for doc, d in documents.items()}
    return contested_figures(claims, publishers=publishers, min_sources=min_sources)


def corroboration_counts(ledger: Ledger, registry: Registry | None = None) -> dict[int, int]:
    """Number of incidents by corroboration, over incidents reported by a document that is no near-copy."""
    documents = _documents(ledger)
    counted = [e for e in ledger.events() if not getattr(documents.get(e.doc), "duplicate_of", None)]
    levels = incident_corroboration(counted, documents, registry or load_registry()).values()
    return {level: sum(1 for x in levels if x == level) for level in sorted(set(levels))}
