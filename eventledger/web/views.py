"""What each view shows, as plain JSON-ready data: the page renders it, its JSON twin returns it.

Everything is read through `eventledger.store.Ledger` (the only module with SQL); nothing here
extracts or interprets text.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable, Mapping
from typing import Any

from eventledger.corroborate.figures import ClaimGroup, contested_figures
from eventledger.corroborate.figures import source as figure_source
from eventledger.export import export_events
from eventledger.models import EVENT_TYPES, Claim, Document, Report, page_of, record_to_dict
from eventledger.query import EventQuery
from eventledger.review import REVIEWABLE, AuditEntry, RecordRow
from eventledger.store import Ledger
from eventledger.web.highlight import Span, segments
from eventledger.web.timeline import timeline

TYPE_COLORS: dict[str, str] = {
    "protest": "#4e79a7", "activism": "#59a14f", "property_attack": "#f28e2b", "cyber": "#b07aa1",
    "arrest": "#9c755f", "assault": "#e15759", "execution": "#3b3b3b", "sentence": "#edc948",
    "armed_clash": "#76b7b2", "explosion": "#ff9da7",
}
assert set(TYPE_COLORS) == set(EVENT_TYPES)
MAP_IDS = 20  # record ids listed per map point
QUEUE = 50  # records on a page of the review queue; audit entries listed


def _publishers(ledger: Ledger, docs: Iterable[str]) -> dict[str, Document]:
    found = {}
    for doc in set(docs):
        document = next(ledger.documents(doc=doc), None)
        if document is not None:
            found[doc] = document
    return found


def record_url(kind: str, key: str) -> str:
    """A record's page: named by its stable record key, so the link survives re-ingest."""
    return f"/records/{kind}/{key}"


def row_dict(row: RecordRow, documents: Mapping[str, Document] | None = None) -> dict[str, Any]:
    """A record row for the web: ``id`` is its stable record key (the id in every URL),
    ``row_id`` its current row number (renumbered on re-ingest; old ones redirect)."""
    document = (documents or {}).get(row.original.doc)
    return {**row.as_dict(), "id": row.key, "row_id": row.id, "url": record_url(row.kind, row.key),
            "publisher": document.publisher if document else None,
            "title": document.title if document else None}


# --------------------------------------------------------------------------- map, timeline, table


def map_data(ledger: Ledger, query: EventQuery) -> dict[str, Any]:
    """Located events grouped by place and type, events per province, how many have no place,
    and the dates the map's slider spans (`date_span`)."""
    groups = ledger.event_groups(query, ("latitude", "longitude", "location", "admin1", "event_type"))
    points = [{"lat": lat, "lon": lon, "location": loc, "admin1": admin1, "event_type": kind, "count": n,
               "ids": keys[:MAP_IDS]}
              for (lat, lon, loc, admin1, kind), n, keys in groups if lat is not None and lon is not None]
    provinces = {admin1: n for (admin1,), n, _ in ledger.event_groups(query, ("admin1",)) if admin1}
    total = sum(n for _, n, _ in groups)
    return {"total": total, "unplaced": total - sum(p["count"] for p in points), "points": points,
            "provinces": provinces, "colors": TYPE_COLORS, "span": date_span(ledger, query)}


def date_span(ledger: Ledger, query: EventQuery) -> dict[str, str] | None:
    """The first and last day of the events the query selects without its dates: the ends of the
    map's date slider (None when no event is dated)."""
    undated = query.replace(date_from=None, date_to=None)
    days = [day for (start, end), _, _ in ledger.event_groups(undated, ("date_start", "date_end"))
            for day in (start, end) if day]
    return {"first": min(days)[:10], "last": max(days)[:10]} if days else None


def timeline_data(ledger: Ledger, query: EventQuery, step: str) -> dict[str, Any]:
    counts = [(start, kind, n) for (start, kind), n, _ in ledger.event_groups(query, ("date_start", "event_type"))]
    return {**timeline(counts, step), "colors": TYPE_COLORS}


FACETS = ("event_type", "admin1", "publisher", "actor_class")  # counted beside the table's filters


def facet_counts(ledger: Ledger, query: EventQuery) -> dict[str, dict[str, int]]:
    """Events per value of each facet, under every filter but the facet's own (as Datasette counts)."""
    out = {}
    for name in FACETS:
        others = query.replace(**{name: () if name == "event_type" else None})
        out[name] = {str(value): n for (value,), n, _ in ledger.event_groups(others, (name,)) if value is not None}
    return out


def events_data(ledger: Ledger, query: EventQuery, *, sort: str, desc: bool, limit: int,
                offset: int) -> dict[str, Any]:
    """A page of events, how many match (`total`), and the facet counts (`facets`)."""
    rows = ledger.event_rows(query, sort=sort, descending=desc, limit=limit, offset=offset)
    documents = _publishers(ledger, (r.original.doc for r in rows))
    return {"total": ledger.count_events(query), "offset": offset, "limit": limit, "sort": sort, "desc": desc,
            "facets": facet_counts(ledger, query), "events": [row_dict(r, documents) for r in rows]}


def export_selection(ledger: Ledger, query: EventQuery, fmt: str) -> str:
    """The selected events (with reviewers' edits) in an export format (``csv``, ``geojson``):
    the rows `eventledger export` writes for the same filters (`export.export_events`)."""
    buffer = io.StringIO()
    export_events(ledger, query, fmt, buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- documents and records


def document_data(ledger: Ledger, doc: str, *, current: str | None = None) -> dict[str, Any] | None:
    """A document: its text cut at every record's evidence, its records (each with the PDF page
    its evidence starts on, `page`, None unless the document is `paged`) and where it came from."""
    document = next(ledger.documents(doc=doc), None)
    text = ledger.report_text(doc)
    if document is None or text is None:
        return None
    rows = ledger.document_rows(doc)
    spans = [Span(r.original.evidence_start, r.original.evidence_end, f"{r.kind}-{r.key}") for r in rows]
    source = ledger.document_source(doc)
    paged = Report(doc=doc, text="", pages=tuple((source or {}).get("pages") or ()))
    records = []
    for row in rows:
        evidence = row.original.evidence
        start, end = row.original.evidence_start, row.original.evidence_end
        records.append({**row_dict(row, {doc: document}), "evidence_matches": text[start:end] == evidence,
                        "page": page_of(paged, start)})
    return {"document": record_to_dict(document), "source": source, "text": text, "paged": bool(paged.pages),
            "segments": [dataclasses.asdict(s) for s in segments(text, spans, current)], "records": records}


def _claim(row: RecordRow) -> Claim:
    """The claim (reviewed values) of a row of `claim_rows`."""
    assert isinstance(row.record, Claim)
    return row.record


def _figure_groups(ledger: Ledger, category: str | None = None) -> list[tuple[ClaimGroup, list[RecordRow]]]:
    """Claims (reviewed values, none rejected, none from near-copies) grouped as the `figures`
    command groups them (`eventledger.corroborate.figures`): one category, place and period."""
    rows = ledger.claim_rows(category=category)
    documents = _publishers(ledger, (r.original.doc for r in rows))
    rows = [r for r in rows if not getattr(documents.get(r.original.doc), "duplicate_of", None)]
    publishers = {doc: d.publisher for doc, d in documents.items()}
    groups = contested_figures([_claim(r) for r in rows], publishers=publishers, min_sources=1)
    by_claim = {r.record: r for r in rows}
    return [(g, [by_claim[c] for c in g.claims]) for g in groups]


def _figure(group: ClaimGroup, rows: list[RecordRow], documents: dict[str, Document],
            current: str | None = None) -> dict[str, Any]:
    publishers = {doc: d.publisher for doc, d in documents.items()}
    claims = []
    for row in sorted(rows, key=lambda r: -_claim(r).value):
        item = row_dict(row, documents)
        item["claimant"] = figure_source(_claim(row), publishers)
        item["current"] = row.key == current
        claims.append(item)
    return {"category": group.category, "place": group.place, "period_start": group.period_start,
            "period_end": group.period_end, "sources": list(group.sources), "claimants": len(group.sources),
            "values": list(group.values), "contested": group.contested, "claims": claims,
            "range": [group.values[0], group.values[-1]]}


def figures_data(ledger: Ledger, *, category: str | None = None, year: str | None = None,
                 contested: bool = False) -> dict[str, Any]:
    """Every group of claims of one category, place and period, each with its claims side by side;
    groups with more than one source first. `year`: groups whose period touches it."""
    found = _figure_groups(ledger, category)
    if year:
        found = [(g, rows) for g, rows in found
                 if (g.period_start or "")[:4] <= year <= (g.period_end or g.period_start or "")[:4]]
    if contested:
        found = [(g, rows) for g, rows in found if len(g.sources) > 1]
    documents = _publishers(ledger, (r.original.doc for _, rows in found for r in rows))
    tables = [_figure(g, rows, documents) for g, rows in found]
    tables.sort(key=lambda t: (t["claimants"] < 2, t["category"], t["period_start"] or "", t["place"] or ""))
    return {"category": category, "year": year, "contested": contested, "groups": tables}


def record_data(ledger: Ledger, kind: str, key: str) -> dict[str, Any] | None:
    """A record (by its record key) in its document, its review history and, for a claim, the
    figures it contests."""
    row = ledger.record_row(kind, key)
    if row is None:
        return None
    data = document_data(ledger, row.original.doc, current=f"{kind}-{key}")
    if data is None:
        return None
    data["row"] = row_dict(row, {row.original.doc: next(ledger.documents(doc=row.original.doc))})
    # the PDF page the evidence starts on (None for a document without pages)
    data["row"]["page"] = next((r["page"] for r in data["records"] if r["kind"] == kind and r["id"] == key), None)
    data["audit"] = [audit_dict(e) for e in ledger.audit_log(kind=kind, record_key=row.key)]
    data["contested"] = None
    if kind == "claim":
        for group, rows in _figure_groups(ledger, _claim(row).category):
            if any(r.key == key for r in rows):
                documents = _publishers(ledger, (r.original.doc for r in rows))
                data["contested"] = _figure(group, rows, documents, current=key)
    return data


# --------------------------------------------------------------------------- review


def audit_dict(entry: AuditEntry) -> dict[str, Any]:
    """An audit entry with the fields that changed: (field, before, after)."""
    before, after = entry.before.get("record", {}), entry.after.get("record", {})
    changed = [[k, before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)]
    return {**dataclasses.asdict(entry), "changed": changed, "url": record_url(entry.kind, entry.record_key),
            "status_before": entry.before.get("status"), "status_after": entry.after.get("status")}


def review_data(ledger: Ledger, query: EventQuery, *, kind: str = "all", page: int = 1) -> dict[str, Any]:
    """The review queue: every unreviewed event (of the filter), claim and statement, lowest
    confidence first, `QUEUE` a page; what is left of each kind; counts by review state; the latest
    audit entries; reviews whose record is gone."""
    kinds = REVIEWABLE if kind == "all" else (kind,)
    offset = (page - 1) * QUEUE
    total, rows = ledger.review_queue(query, kinds=kinds, limit=QUEUE, offset=offset)
    documents = _publishers(ledger, (r.original.doc for r in rows))
    left = {k: ledger.review_queue(query, kinds=(k,), limit=0)[0] for k in REVIEWABLE}
    return {"kind": kind, "page": page, "pages": max(1, -(-total // QUEUE)), "offset": offset, "limit": QUEUE,
            "total": total, "first": offset + 1 if rows else 0, "last": offset + len(rows), "left": left,
            "queue": [row_dict(r, documents) for r in rows], "counts": ledger.review_counts(),
            "audit": [audit_dict(e) for e in ledger.audit_log(limit=QUEUE)], "orphans": ledger.orphaned_reviews()}


def next_unreviewed(ledger: Ledger, kind: str, key: str) -> str | None:
    """The page of the next unreviewed record after this one (queue order), if any is left."""
    found = ledger.next_unreviewed(kind, key)
    return record_url(*found) if found else None
