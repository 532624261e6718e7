"""The ledger database: one embedded SQLite file, and the only module that writes it.

Tables are plain (no extension), so the file opens as-is in Datasette or sqlite-utils:

* ``documents``  one row per report: the `Document` fields, the full report text (evidence is
  shown at its offsets), url, source path, format, content hash, extractor and ingest time;
* ``events``, ``claims``, ``statements``  one column per field of the record type, an integer
  ``id`` in insertion order and the ingest time; rows go when their document goes
  (``ON DELETE CASCADE``);
* ``problems``  what a stage or reader could not do (``doc``, ``stage``, ``message``);
* ``meta``  ``schema_version``.

Every document is written in one transaction (``BEGIN IMMEDIATE … COMMIT``) that first removes
the document's previous records, so re-ingesting replaces and a killed process leaves the file
consistent (WAL journal).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import heapq
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from eventledger.models import (
    EXTRACTOR_VERSION,
    RECORD_TYPES,
    Analysis,
    Claim,
    Document,
    Event,
    Problem,
    Record,
    Statement,
)

SCHEMA_VERSION = 1
# record kind -> table (also the stem of per-kind export files)
TABLES = {"document": "documents", "event": "events", "claim": "claims", "statement": "statements"}
_DOCUMENT_EXTRA = (
    "text TEXT NOT NULL", "url TEXT", "source_path TEXT", "fmt TEXT", "content_sha1 TEXT",
    "extractor TEXT NOT NULL", "ingested_at TEXT NOT NULL",
)
_FILTERS = {
    "event_type": "event_type = ?",
    "doc": "doc = ?",
    "admin1": "admin1 = ?",
    "date_from": "COALESCE(date_end, date_start) >= ?",
    "date_to": "date_start <= ?",
}
_INDEXES = (
    ("events", "doc"), ("events", "event_type"), ("events", "date_start"), ("events", "admin1"),
    ("claims", "doc"), ("statements", "doc"), ("problems", "doc"),
)


class LedgerError(Exception):
    """The database cannot be used as a ledger (e.g. written by another schema version)."""


# --------------------------------------------------------------------------- schema


class Column(NamedTuple):
    """A stored field of a record type: its name, Python scalar type and whether it may be None."""

    name: str
    type: str  # "str", "int" or "float"
    nullable: bool


def record_columns(cls: type) -> tuple[Column, ...]:
    """The stored fields of a record type, in declaration order (`kind` is implied)."""
    out = []
    for f in dataclasses.fields(cls):
        if f.init:
            annotation = str(f.type)
            out.append(Column(f.name, annotation.replace(" | None", "").strip(), "None" in annotation))
    return tuple(out)


def field_names(cls: type) -> tuple[str, ...]:
    return tuple(c.name for c in record_columns(cls))


def _column(c: Column) -> str:
    sql_type = {"int": "INTEGER", "float": "REAL"}.get(c.type, "TEXT")
    return f"{c.name} {sql_type}" + ("" if c.nullable else " NOT NULL")


def _create_table(name: str, cls: type, doc_column: str, *, before: Sequence[str] = (),
                  after: Sequence[str] = ()) -> str:
    columns = [doc_column if c.name == "doc" else _column(c) for c in record_columns(cls)]
    body = ",\n  ".join([*before, *columns, *after])
    return f"CREATE TABLE IF NOT EXISTS {name} (\n  {body}\n)"


def _child_table(kind: str) -> str:
    doc_column = "doc TEXT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE"
    return _create_table(TABLES[kind], RECORD_TYPES[kind], doc_column,
                         before=["id INTEGER PRIMARY KEY"], after=["ingested_at TEXT NOT NULL"])


def schema() -> list[str]:
    """The CREATE statements of the ledger, derived from the record types."""
    return [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        _create_table("documents", Document, "doc TEXT PRIMARY KEY", after=_DOCUMENT_EXTRA),
        *(_child_table(kind) for kind in ("event", "claim", "statement")),
        "CREATE TABLE IF NOT EXISTS problems (id INTEGER PRIMARY KEY, doc TEXT NOT NULL,"
        " stage TEXT NOT NULL, message TEXT NOT NULL, ingested_at TEXT NOT NULL)",
        *(f"CREATE INDEX IF NOT EXISTS {t}_{c} ON {t}({c})" for t, c in _INDEXES),
        f"INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')",
    ]


_DOCUMENT_COLUMNS = (*field_names(Document), "text", "url", "source_path", "fmt", "content_sha1", "extractor")


def _insert_sql(table: str, names: Sequence[str]) -> str:
    marks = ", ".join("?" * (len(names) + 1))
    return f"INSERT INTO {table} ({', '.join(names)}, ingested_at) VALUES ({marks})"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- rows


def _document_row(analysis: Analysis, now: str) -> tuple[Any, ...]:
    report = analysis.report
    fields = attrgetter(*field_names(Document))(analysis.document())
    sha1 = hashlib.sha1(report.text.encode("utf-8")).hexdigest()
    return (*fields, report.text, report.url, report.source_path, report.fmt, sha1,
            EXTRACTOR_VERSION, now)


def _record_rows(records: Iterable[Record | Problem], names: Sequence[str], now: str) -> Iterator[tuple[Any, ...]]:
    get = attrgetter(*names)
    return ((*get(r), now) for r in records)


def _check_docs(analysis: Analysis) -> None:
    doc = analysis.report.doc
    stray = {r.doc for r in (*analysis.events, *analysis.claims, *analysis.statements) if r.doc != doc}
    if stray:
        raise ValueError(f"records of {doc!r} name other documents: {sorted(stray)}")


# --------------------------------------------------------------------------- the ledger


class Ledger:
    """An event ledger in one SQLite file; typed records in, typed records out.

    >>> with Ledger("ledger.db") as ledger:          # doctest: +SKIP
    ...     ledger.write(analysis)
    ...     events = list(ledger.events(event_type="protest", date_from="2022-09-16"))
    """

    def __init__(self, path: str | Path = "ledger.db") -> None:
        self.path = path
        self._conn = sqlite3.connect(str(path), isolation_level=None)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
            self._conn.execute(f"PRAGMA {pragma}")
        self._create()

    def _create(self) -> None:
        with self._transaction():
            for statement in schema():
                self._conn.execute(statement)
        version = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'")
        if version != str(SCHEMA_VERSION):
            raise LedgerError(f"{self.path}: schema version {version}; eventledger reads {SCHEMA_VERSION}")

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            if self._conn.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # ----------------------------------------------------------------------- writing

    def write(self, analysis: Analysis) -> None:
        """Store one analysed report, replacing whatever the ledger held for its document."""
        _check_docs(analysis)
        now = _now()
        with self._transaction() as conn:
            self._remove(conn, analysis.report.doc)
            conn.execute(_insert_sql("documents", _DOCUMENT_COLUMNS), _document_row(analysis, now))
            for kind, records in (("event", analysis.events), ("claim", analysis.claims),
                                  ("statement", analysis.statements)):
                names = field_names(RECORD_TYPES[kind])
                conn.executemany(_insert_sql(TABLES[kind], names), _record_rows(records, names, now))
            self._insert_problems(conn, analysis.problems, now)

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

    def delete(self, doc: str) -> bool:
        """Remove a document and all its records; False if the ledger did not hold it."""
        with self._transaction() as conn:
            return self._remove(conn, doc)

    @staticmethod
    def _remove(conn: sqlite3.Connection, doc: str) -> bool:
        conn.execute("DELETE FROM problems WHERE doc = ?", (doc,))
        return conn.execute("DELETE FROM documents WHERE doc = ?", (doc,)).rowcount > 0

    @staticmethod
    def _insert_problems(conn: sqlite3.Connection, problems: Iterable[Problem], now: str) -> None:
        names = ("doc", "stage", "message")
        conn.executemany(_insert_sql("problems", names), _record_rows(problems, names, now))

    # ----------------------------------------------------------------------- reading

    def _select(self, kind: str, where: dict[str, Any] | None = None) -> Iterator[Any]:
        cls = RECORD_TYPES[kind]
        names = field_names(cls)
        clauses = [_FILTERS[k] for k, v in (where or {}).items() if v is not None]
        values = [v for v in (where or {}).values() if v is not None]
        sql = f"SELECT {', '.join(names)} FROM {TABLES[kind]}"
        sql += (" WHERE " + " AND ".join(clauses)) if clauses else ""
        order = "doc" if kind == "document" else "doc, id"
        for row in self._conn.execute(f"{sql} ORDER BY {order}", values):
            yield cls(**dict(zip(names, row, strict=True)))

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

    # ----------------------------------------------------------------------- overview

    def _scalar(self, sql: str) -> Any:
        return self._conn.execute(sql).fetchone()[0]

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, events, claims, statements, problems."""
        tables = ("documents", "events", "claims", "statements", "problems")
        return {t: self._scalar(f"SELECT COUNT(*) FROM {t}") for t in tables}

    def summary(self) -> dict[str, Any]:
        """What the ledger holds; `places` counts distinct named cities and provinces."""
        counts = self.counts()
        by_type = dict(self._conn.execute(
            "SELECT event_type, COUNT(*) FROM events GROUP BY event_type ORDER BY COUNT(*) DESC, event_type"))
        first, last = self._conn.execute(
            "SELECT MIN(date_start), MAX(COALESCE(date_end, date_start)) FROM events").fetchone()
        places = self._scalar(
            "SELECT COUNT(DISTINCT COALESCE('g' || geonameid, 'c' || lower(location), 'p' || lower(admin1)))"
            " FROM events")
        return {"documents": counts["documents"], "events": counts["events"], "events_by_type": by_type,
                "claims": counts["claims"], "statements": counts["statements"],
                "date_from": first, "date_to": last, "places": places}
