"""Reading the ledger: records as extracted, stored reports, counts and the summary."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import Any

from eventledger.models import RECORD_TYPES, Analysis, Claim, Document, Event, Problem, Record, Statement
from eventledger.store.connection import LedgerConnection
from eventledger.store.schema import _REPORT_COLUMNS, TABLES, _stored_report

# records counted in summaries: those of documents that are not near-copies of another
_COUNTED = "doc NOT IN (SELECT doc FROM documents WHERE duplicate_of IS NOT NULL)"


def _by_doc(records: Iterable[Any]) -> dict[str, tuple[Any, ...]]:
    found: dict[str, list[Any]] = {}
    for record in records:
        found.setdefault(record.doc, []).append(record)
    return {doc: tuple(rs) for doc, rs in found.items()}



class LedgerReader(LedgerConnection):
    """Reading records as they were extracted (reviews are not applied), and what the ledger holds."""

    def documents(self, *, doc: str | None = None) -> Iterator[Document]:
        return self._select("document", {"doc": doc})

    def events(self, *, event_type: str | None = None, doc: str | None = None, admin1: str | None = None,
               date_from: str | None = None, date_to: str | None = None) -> Iterator[Event]:
        """Events in (doc, id) order; date filters keep events whose span overlaps the range."""
        return self._select("event", {"event_type": event_type, "doc": doc, "admin1": admin1,
                                      "date_from": date_from, "date_to": date_to})

    def claims(self, *, doc: str | None = None) -> Iterator[Claim]:
        return self._select("claim", {"doc": doc})

    def statements(self, *, doc: str | None = None) -> Iterator[Statement]:
        return self._select("statement", {"doc": doc})

    def problems(self) -> Iterator[Problem]:
        for doc, stage, message in self._conn.execute("SELECT doc, stage, message FROM problems ORDER BY id"):
            yield Problem(doc=doc, stage=stage, message=message)

    def records(self, kinds: Iterable[str] | None = None) -> Iterator[Record]:
        """Records grouped by document: its document record, events, claims, statements."""
        wanted = list(RECORD_TYPES) if kinds is None else [k for k in RECORD_TYPES if k in set(kinds)]
        return heapq.merge(*(self._select(kind) for kind in wanted), key=attrgetter("doc"))

    def report_text(self, doc: str) -> str | None:
        row = self._conn.execute("SELECT text FROM documents WHERE doc = ?", (doc,)).fetchone()
        return row[0] if row else None

    def analyses(self) -> Iterator[Analysis]:
        """Every stored report with its records, in doc order (as `eventledger.corroborate` reads them)."""
        stored = {kind: _by_doc(self._select(kind)) for kind in ("event", "claim", "statement")}
        for row in self._conn.execute(f"SELECT {', '.join(_REPORT_COLUMNS)} FROM documents ORDER BY doc"):
            report = _stored_report(row)
            yield Analysis(report=report, events=stored["event"].get(report.doc, ()),
                           claims=stored["claim"].get(report.doc, ()),
                           statements=stored["statement"].get(report.doc, ()))

    def record_ids(self, kind: str) -> dict[str, tuple[int, ...]]:
        """doc -> row ids of its records of `kind`, in the order `analyses()` lists them."""
        found: dict[str, list[int]] = {}
        for doc, row_id in self._conn.execute(f"SELECT doc, id FROM {TABLES[kind]} ORDER BY doc, id"):
            found.setdefault(doc, []).append(row_id)
        return {doc: tuple(ids) for doc, ids in found.items()}

    def stale(self) -> bool:
        """True while documents are stored whose near-copies, records read twice and incidents are
        not decided yet (an ingest stopped before its final corroboration): the next ingest decides them."""
        return any(self._scalar(f"SELECT EXISTS (SELECT 1 FROM {table})") for table in
                   ("corroboration_pending_docs", "corroboration_pending_groups", "corroboration_pending_bases"))

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, events, claims, statements, problems."""
        tables = ("documents", "events", "claims", "statements", "problems")
        return {t: self._scalar(f"SELECT COUNT(*) FROM {t}") for t in tables}

    def summary(self) -> dict[str, Any]:
        """What the ledger holds; `places` counts distinct named cities and provinces.

        Records of near-copy documents (``duplicate_of`` set) are not counted; `incidents` counts
        distinct incidents, `duplicate_documents` the near-copies.
        """
        counts = {t: self._scalar(f"SELECT COUNT(*) FROM {t} WHERE {_COUNTED}") for t in ("claims", "statements")}
        by_type = dict(self._conn.execute(
            f"SELECT event_type, COUNT(*) FROM events WHERE {_COUNTED} GROUP BY event_type"
            " ORDER BY COUNT(*) DESC, event_type"))
        first, last = self._conn.execute(
            f"SELECT MIN(date_start), MAX(COALESCE(date_end, date_start)) FROM events WHERE {_COUNTED}").fetchone()
        places = self._scalar(
            "SELECT COUNT(DISTINCT COALESCE('g' || geonameid, 'c' || lower(location), 'p' || lower(admin1)))"
            f" FROM events WHERE {_COUNTED}")
        return {"documents": self._scalar("SELECT COUNT(*) FROM documents"), "events": sum(by_type.values()),
                "events_by_type": by_type, "claims": counts["claims"], "statements": counts["statements"],
                "date_from": first, "date_to": last, "places": places,
                "incidents": self._scalar(f"SELECT COUNT(DISTINCT incident) FROM events WHERE {_COUNTED}"),
                "stale": self.stale(),
                "duplicate_documents": self._scalar("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL")}
