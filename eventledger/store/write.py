"""Writing the ledger: one transaction per document; the corroboration pass's results."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import attrgetter
from typing import Any

from eventledger.models import EXTRACTOR_VERSION, RECORD_TYPES, Analysis, Document, Problem, Record
from eventledger.review import record_keys
from eventledger.store.connection import LedgerConnection
from eventledger.store.schema import _DOCUMENT_COLUMNS, TABLES, _insert_sql, _now, field_names


def _document_row(analysis: Analysis, now: str) -> tuple[Any, ...]:
    report = analysis.report
    fields = attrgetter(*field_names(Document))(analysis.document())
    sha1 = hashlib.sha1(report.text.encode("utf-8")).hexdigest()
    pages = json.dumps(report.pages) if report.pages else None
    return (*fields, report.text, report.url, report.source_path, report.fmt, sha1,
            EXTRACTOR_VERSION, pages, now)


def _record_rows(records: Iterable[Record | Problem], names: Sequence[str], now: str) -> Iterator[tuple[Any, ...]]:
    get = attrgetter(*names)
    return ((*get(r), now) for r in records)


# records counted in summaries: those of documents that are not near-copies of another

def _check_docs(analysis: Analysis) -> None:
    doc = analysis.report.doc
    records: tuple[Record, ...] = (*analysis.events, *analysis.claims, *analysis.statements)
    stray = {r.doc for r in records if r.doc != doc}
    if stray:
        raise ValueError(f"records of {doc!r} name other documents: {sorted(stray)}")


class LedgerWriter(LedgerConnection):
    """Writing: one transaction per document, which first removes the document's previous records."""

    def write(self, analysis: Analysis) -> None:
        """Store one analysed report, replacing whatever the ledger held for its document."""
        _check_docs(analysis)
        now = _now()
        with self._transaction() as conn:
            keep = self._index.before_replace(analysis.report.doc, analysis.report.text)
            self._remove(conn, analysis.report.doc)
            conn.execute(_insert_sql("documents", _DOCUMENT_COLUMNS), _document_row(analysis, now))
            for kind, records in (("event", analysis.events), ("claim", analysis.claims),
                                  ("statement", analysis.statements)):
                names = field_names(RECORD_TYPES[kind])
                rows = ((*row, key) for row, key in zip(_record_rows(records, names, now), record_keys(records),
                                                        strict=True))
                conn.executemany(_insert_sql(TABLES[kind], names, extra=("record_key",)), rows)
                self._link_ids(conn, kind, analysis.report.doc)
            self._insert_problems(conn, analysis.problems, now)
            ids = [i for (i,) in conn.execute("SELECT id FROM events WHERE doc = ? ORDER BY id",
                                              (analysis.report.doc,))]
            self._index.after_write(analysis.report, ids, analysis.events, keep)

    def write_many(self, analyses: Iterable[Analysis]) -> int:
        """Store each analysis in its own transaction; returns how many were written."""
        written = 0
        for analysis in analyses:
            self.write(analysis)
            written += 1
        return written

    def add_problems(self, problems: Iterable[Problem]) -> None:
        """Record problems that belong to no stored document (e.g. a file that could not be read)."""
        with self._transaction() as conn:
            self._insert_problems(conn, problems, _now())

    def add_failure(self, where: str, reason: str) -> None:
        """Record an input that was skipped (a file, row, entry, URL or folder), replacing what an
        earlier run recorded for the same input (stage ``ingest``)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM problems WHERE doc = ? AND stage = 'ingest'", (where,))
            self._insert_problems(conn, [Problem(doc=where, stage="ingest", message=reason)], _now())

    def stored_origin(self, doc: str) -> tuple[str | None, str | None] | None:
        """(source path, sha1 of the text) of a stored document, or None when there is none."""
        row = self._conn.execute("SELECT source_path, content_sha1 FROM documents WHERE doc = ?", (doc,)).fetchone()
        return (row[0], row[1]) if row else None

    def delete(self, doc: str) -> bool:
        """Remove a document and all its records; False if the ledger did not hold it."""
        with self._transaction() as conn:
            self._index.before_replace(doc, None)
            return self._remove(conn, doc)

    @staticmethod
    def _remove(conn: sqlite3.Connection, doc: str) -> bool:
        conn.execute("DELETE FROM problems WHERE doc = ?", (doc,))
        return conn.execute("DELETE FROM documents WHERE doc = ?", (doc,)).rowcount > 0

    @staticmethod
    def _insert_problems(conn: sqlite3.Connection, problems: Iterable[Problem], now: str) -> None:
        names = ("doc", "stage", "message")
        conn.executemany(_insert_sql("problems", names), _record_rows(problems, names, now))

    def apply_corroboration(self, *, duplicates: Mapping[str, str | None], incidents: Iterable[tuple[int, str | None]],
                            dropped: Mapping[str, Iterable[int]],
                            rules: Mapping[str, str | None] | None = None) -> None:
        """In one transaction: set documents' `duplicate_of` (doc -> original), events' `incident`
        ((row id, incident) pairs) and delete records read twice (kind -> row ids), for the whole
        ledger (the full pass): nothing is left pending. The copy rules are worked out from the stored
        paragraphs, or taken as given (`rules`: doc -> rule, a restored export)."""
        with self._transaction() as conn:
            conn.executemany("UPDATE documents SET duplicate_of = ? WHERE doc = ?",
                             ((original, doc) for doc, original in duplicates.items()))
            if rules is None:
                self._index.refresh_rules()
            else:
                conn.executemany("UPDATE documents SET duplicate_rule = ? WHERE doc = ?",
                                 ((rule, doc) for doc, rule in rules.items()))
            conn.executemany("UPDATE events SET incident = ? WHERE id = ?", ((i, n) for n, i in incidents))
            for kind, ids in dropped.items():
                conn.executemany(f"DELETE FROM {TABLES[kind]} WHERE id = ?", ((n,) for n in ids))
            self._index.clear_pending()  # everything is decided
