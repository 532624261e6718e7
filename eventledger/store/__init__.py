"""The ledger database: one embedded SQLite file, and the only module that writes it.

Tables are plain (no extension), so the file opens as-is in Datasette or sqlite-utils:

* ``documents``  one row per report: the `Document` fields, the full report text (evidence is
  shown at its offsets), url, source path, format, content hash, extractor and ingest time;
* ``events``, ``claims``, ``statements``  one column per field of the record type, an integer
  ``id`` in insertion order and the ingest time; rows go when their document goes
  (``ON DELETE CASCADE``);
* ``problems``  what a stage or reader could not do (``doc``, ``stage``, ``message``);
* ``meta``  ``schema_version``;
* ``record_links``  every row id a record ever had (kind, id -> record key, the first holder
  kept), so that a link by an old row id still finds its record after re-ingest renumbered it;
* ``reviews``, ``audit_log``  created on first use of the review methods: the current review of
  a record (status, edited fields as JSON, reviewer, time), keyed on the record's stable
  ``record_key`` (`eventledger.review.record_keys`) so that re-ingesting a document re-attaches
  its reviews; and every review ever made (who, when, the record before and after), which
  triggers keep append-only.

Edits never change the extracted rows: readers that take reviews into account (`event_rows`,
`record_row`, `reviewed_records`, ...) apply them on the way out, and filter on the edited values.

`Ledger(path, readonly=True)` only reads: the file is opened read-only (SQLite's ``mode=ro``,
else ``immutable=1`` when not even the journal files can be made), nothing is created or
upgraded in it, and review tables it lacks are stood in for by empty temporary ones. The
commands that only read (`summary`, `export`, `incidents`, `figures`, the pages of `serve`)
open it so, and therefore work on a ledger the user may not write. A ledger that needs an
upgrade first is opened for writing once when it can be, else refused (`LedgerError`).

Every document is written in one transaction (``BEGIN IMMEDIATE … COMMIT``) that first removes
the document's previous records, so re-ingesting replaces and a killed process leaves the file
consistent (WAL journal).

The same transaction keeps the ``corroboration_*`` tables (`eventledger.store.corroboration`) up
to date: the document's paragraphs, their LSH bands and groups of near-identical paragraphs, its
events' incident bases, and what is left to decide. A ledger written before those tables existed
gets them on open, in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import heapq
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    Report,
    Statement,
    record_to_dict,
)
from eventledger.query import EventQuery
from eventledger.review import (
    EDITABLE,
    REVIEWABLE,
    AuditEntry,
    RecordRow,
    Review,
    apply_changes,
    check_reviewer,
    check_status,
    clean_changes,
    record_keys,
)
from eventledger.store.corroboration import CorroborationIndex

SCHEMA_VERSION = 1
# record kind -> table (also the stem of per-kind export files)
TABLES = {"document": "documents", "event": "events", "claim": "claims", "statement": "statements"}
_DOCUMENT_EXTRA = (
    "text TEXT NOT NULL", "url TEXT", "source_path TEXT", "fmt TEXT", "content_sha1 TEXT",
    "extractor TEXT NOT NULL", "ingested_at TEXT NOT NULL", "pages TEXT",
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


_REVIEW_FILTERS = {
    "": "(r.status IS NULL OR r.status != 'rejected')", "all": "1 = 1", "unreviewed": "r.status IS NULL",
    "reviewed": "r.status IN ('accepted', 'edited')",
}
_SEARCHED = ("evidence", "title", "location", "admin1", "actor1", "target")


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
    return _create_table(TABLES[kind], RECORD_TYPES[kind], doc_column, before=["id INTEGER PRIMARY KEY"],
                         after=["record_key TEXT", "ingested_at TEXT NOT NULL"])


def review_schema() -> list[str]:
    """The review tables, created when reviews are first used (a never-reviewed ledger has none)."""
    refuse = "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    return [
        "CREATE TABLE IF NOT EXISTS reviews (kind TEXT NOT NULL, record_key TEXT NOT NULL, doc TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'edited')),"
        " changes TEXT NOT NULL DEFAULT '{}', reviewer TEXT NOT NULL, reviewed_at TEXT NOT NULL,"
        " PRIMARY KEY (kind, record_key))",
        "CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,"
        " kind TEXT NOT NULL, record_key TEXT NOT NULL, record_id INTEGER, doc TEXT NOT NULL,"
        " before TEXT NOT NULL, after TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS audit_log_record ON audit_log(kind, record_key)",
        f"CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log {refuse}",
        f"CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log {refuse}",
    ]


def schema() -> list[str]:
    """The CREATE statements of the ledger, derived from the record types."""
    return [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        _create_table("documents", Document, "doc TEXT PRIMARY KEY", after=_DOCUMENT_EXTRA),
        *(_child_table(kind) for kind in ("event", "claim", "statement")),
        "CREATE TABLE IF NOT EXISTS problems (id INTEGER PRIMARY KEY, doc TEXT NOT NULL,"
        " stage TEXT NOT NULL, message TEXT NOT NULL, ingested_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS record_links (kind TEXT NOT NULL, id INTEGER NOT NULL,"
        " record_key TEXT NOT NULL, PRIMARY KEY (kind, id))",
        *(f"CREATE INDEX IF NOT EXISTS {t}_{c} ON {t}({c})" for t, c in _INDEXES),
        f"INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')",
    ]


_DOCUMENT_COLUMNS = (*field_names(Document), "text", "url", "source_path", "fmt", "content_sha1", "extractor",
                     "pages")


def _insert_sql(table: str, names: Sequence[str], *, extra: Sequence[str] = ()) -> str:
    """INSERT of `names`, then ``ingested_at``, then `extra` columns (in that order in each row)."""
    columns = [*names, "ingested_at", *extra]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- rows


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
_COUNTED = "doc NOT IN (SELECT doc FROM documents WHERE duplicate_of IS NOT NULL)"
_REPORT_COLUMNS = ("doc", "text", "title", "url", "published", "published_precision", "publisher", "language",
                   "source_path", "fmt", "duplicate_of", "pages", "duplicate_rule")


def _stored_report(row: Sequence[Any]) -> Report:
    """A stored document row (`_REPORT_COLUMNS`) as the `Report` it was read from."""
    fields = dict(zip(_REPORT_COLUMNS, row, strict=True))
    fields["published"] = dt.date.fromisoformat(fields["published"]) if fields["published"] else None
    fields["pages"] = tuple(json.loads(fields["pages"])) if fields["pages"] else ()
    return Report(**fields)


def _by_doc(records: Iterable[Any]) -> dict[str, tuple[Any, ...]]:
    found: dict[str, list[Any]] = {}
    for record in records:
        found.setdefault(record.doc, []).append(record)
    return {doc: tuple(rs) for doc, rs in found.items()}


def _check_docs(analysis: Analysis) -> None:
    doc = analysis.report.doc
    stray = {r.doc for r in (*analysis.events, *analysis.claims, *analysis.statements) if r.doc != doc}
    if stray:
        raise ValueError(f"records of {doc!r} name other documents: {sorted(stray)}")


# --------------------------------------------------------------------------- reviewed reading


def _value(kind: str, name: str) -> str:
    """SQL for a field's effective value: the reviewer's edit if there is one, else the stored value.

    Row aliases: ``t`` the record's table, ``r`` its review, ``d`` its document."""
    if name in EDITABLE.get(kind, ()):
        return (f"CASE WHEN json_type(r.changes, '$.{name}') IS NULL THEN t.{name}"
                f" ELSE json_extract(r.changes, '$.{name}') END")
    return f"d.{name}" if name in ("publisher", "title", "published") else f"t.{name}"


def _from(kind: str) -> str:
    return (f" FROM {TABLES[kind]} t JOIN documents d ON d.doc = t.doc"
            f" LEFT JOIN reviews r ON r.kind = '{kind}' AND r.record_key = t.record_key")


def _status_where(status: str) -> tuple[str, list[Any]]:
    return (_REVIEW_FILTERS[status], []) if status in _REVIEW_FILTERS else ("r.status = ?", [status])


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _event_where(query: EventQuery) -> tuple[str, list[Any]]:
    """WHERE clause and parameters of an `EventQuery` over effective values.

    Events of near-copy documents (``duplicate_of`` set) are left out, as `Ledger.summary` leaves
    them out, so the event list, the map and the timeline count what the summary counts; a query
    for one document (`EventQuery.doc`) lists all of its events, and one with `copies` (the event
    exports) every event, near-copies' with their `duplicate_of`."""
    clause, params = _status_where(query.status)
    clauses = [clause]
    if query.doc is None and not query.copies:
        clauses.append("d.duplicate_of IS NULL")
    if query.event_type:
        clauses.append(f"{_value('event', 'event_type')} IN ({', '.join('?' * len(query.event_type))})")
        params += query.event_type
    for name in ("tactic", "admin1", "location", "actor_class", "publisher", "doc"):
        if getattr(query, name) is not None:
            clauses.append(f"{_value('event', name)} = ?")
            params.append(getattr(query, name))
    if query.date_from:
        clauses.append(f"COALESCE({_value('event', 'date_end')}, {_value('event', 'date_start')}) >= ?")
        params.append(query.date_from)
    if query.date_to:
        clauses.append(f"{_value('event', 'date_start')} <= ?")
        params.append(query.date_to)
    if query.q:
        texts = (query.q, *query.q_names)
        clauses.append("(" + " OR ".join(f"{_value('event', f)} LIKE ? ESCAPE '\\'" for f in _SEARCHED
                                         for _ in texts) + ")")
        params += [_like(t) for _ in _SEARCHED for t in texts]
    return " AND ".join(clauses), params


def _record_row(kind: str, names: Sequence[str], row: Sequence[Any]) -> RecordRow:
    n = len(names)
    original = RECORD_TYPES[kind](**dict(zip(names, row[2:2 + n], strict=True)))
    status, changes, reviewer, at = row[2 + n:]
    review = Review(status, json.loads(changes), reviewer, at) if status else None
    return RecordRow(row[0], kind, row[1], original, apply_changes(original, review and review.changes), review)


def _state(row: RecordRow) -> str:
    """A record's reviewed state as stored in the audit log."""
    changes = row.review.changes if row.review else {}
    return json.dumps({"status": row.status, "changes": changes, "record": record_to_dict(row.record)},
                      ensure_ascii=False, sort_keys=True)


def _audit_entry(row: Sequence[Any]) -> AuditEntry:
    *head, before, after = row
    return AuditEntry(*head, before=json.loads(before), after=json.loads(after))


EVENT_SORTS: tuple[str, ...] = ("id", *field_names(Event), "publisher")


# --------------------------------------------------------------------------- the ledger


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write `path`: ``mode=ro``; ``immutable=1`` when SQLite cannot
    even make the journal files it reads through (a read-only folder); `LedgerError` if no file."""
    if not path.is_file():
        raise LedgerError(f"{path}: no such ledger")
    uri = path.resolve().as_uri()
    for options in ("mode=ro", "mode=ro&immutable=1"):
        conn = sqlite3.connect(f"{uri}?{options}", uri=True, isolation_level=None)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
    raise LedgerError(f"{path}: cannot open the ledger for reading")


class Ledger:
    """An event ledger in one SQLite file; typed records in, typed records out.

    >>> with Ledger("ledger.db") as ledger:          # doctest: +SKIP
    ...     ledger.write(analysis)
    ...     events = list(ledger.events(event_type="protest", date_from="2022-09-16"))
    """

    def __init__(self, path: str | Path = "ledger.db", *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly and not self._needs_upgrade(path)
        if self.readonly:
            self._conn = _connect_readonly(Path(path))
            self._check_version()
            self._reviews_ready = False
            return
        self._conn = sqlite3.connect(str(path), isolation_level=None)
        try:
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
                self._conn.execute(f"PRAGMA {pragma}")
            self._create()
        except sqlite3.OperationalError as exc:
            self._conn.close()
            if "readonly" in str(exc):
                raise LedgerError(f"{path}: the ledger is read-only ({exc})") from None
            raise

    @staticmethod
    def _needs_upgrade(path: str | Path) -> bool:
        """True when a ledger file must be written before it can be read (created, or given the
        tables and columns of a newer schema)."""
        try:
            conn = _connect_readonly(Path(path))
        except LedgerError:
            return os.access(Path(path).parent, os.W_OK)  # no file: create it (else the error says why)
        try:
            names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
            columns = {row[1] for table in ("events", "claims", "statements") if table in names
                       for row in conn.execute(f"PRAGMA table_info({table})")}
            doc_columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
        except sqlite3.DatabaseError:
            return True
        finally:
            conn.close()
        missing = ("meta" not in names or "corroboration_pending_docs" not in names or "record_key" not in columns
                   or "record_links" not in names or "pages" not in doc_columns or "duplicate_rule" not in doc_columns)
        return missing and os.access(path, os.W_OK)

    def _check_version(self) -> None:
        try:
            version = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'")
            self._conn.execute("SELECT record_key FROM events LIMIT 0")
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise LedgerError(f"{self.path}: not a ledger this eventledger can read without writing ({exc})") from None
        if version != str(SCHEMA_VERSION):
            self._conn.close()
            raise LedgerError(f"{self.path}: schema version {version}; eventledger reads {SCHEMA_VERSION}")

    def _create(self) -> None:
        self._reviews_ready = False
        new_links = not self._scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'record_links'")
        with self._transaction():
            for statement in schema():
                self._conn.execute(statement)
        version = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'")
        if version != str(SCHEMA_VERSION):
            raise LedgerError(f"{self.path}: schema version {version}; eventledger reads {SCHEMA_VERSION}")
        self._add_record_keys()
        self._add_pages()
        self._add_document_columns()
        if new_links:  # a ledger written before record links: the ids its records have now
            with self._transaction() as conn:
                for kind in REVIEWABLE:
                    self._link_ids(conn, kind)
        with self._transaction():
            self._index.create(self._stored_report)

    @staticmethod
    def _link_ids(conn: sqlite3.Connection, kind: str, doc: str | None = None) -> None:
        """Remember the row ids of `kind`'s records (of `doc`, else all): an id keeps its first record."""
        where = " WHERE doc = ?" if doc is not None else ""
        conn.execute(f"INSERT OR IGNORE INTO record_links (kind, id, record_key) SELECT ?, id, record_key"
                     f" FROM {TABLES[kind]}{where}", (kind, *(() if doc is None else (doc,))))

    @property
    def _index(self) -> CorroborationIndex:
        return CorroborationIndex(self._conn)

    def _stored_report(self, doc: str) -> Report:
        row = self._conn.execute(f"SELECT {', '.join(_REPORT_COLUMNS)} FROM documents WHERE doc = ?", (doc,)).fetchone()
        return _stored_report(row)

    @contextmanager
    def corroboration_index(self) -> Iterator[CorroborationIndex]:
        """The corroboration tables inside one write transaction (`eventledger.corroborate.incremental`)."""
        with self._transaction() as conn:
            yield CorroborationIndex(conn)

    def _add_document_columns(self) -> None:
        """Give ledgers written before a document field existed its column (empty until corroborated)."""
        stored = {row[1] for row in self._conn.execute("PRAGMA table_info(documents)")}
        for column in record_columns(Document):
            if column.name not in stored:
                with self._transaction() as conn:
                    conn.execute(f"ALTER TABLE documents ADD COLUMN {_column(column)}")

    def _add_record_keys(self) -> None:
        """Give ledgers written before record keys existed their ``record_key`` column, filled in."""
        for kind in REVIEWABLE:
            table = TABLES[kind]
            columns = {row[1] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            if "record_key" not in columns:
                with self._transaction() as conn:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN record_key TEXT")
                    for (doc,) in conn.execute(f"SELECT DISTINCT doc FROM {table}").fetchall():
                        ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE doc = ? ORDER BY id", (doc,))]
                        keys = record_keys(self._select(kind, {"doc": doc}))
                        conn.executemany(f"UPDATE {table} SET record_key = ? WHERE id = ?", zip(keys, ids, strict=True))
            self._conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_record_key ON {table}(record_key)")

    def _add_pages(self) -> None:
        """Give ledgers written before PDFs were read their ``pages`` column (page start offsets, JSON)."""
        if "pages" not in {row[1] for row in self._conn.execute("PRAGMA table_info(documents)")}:
            with self._transaction() as conn:
                conn.execute("ALTER TABLE documents ADD COLUMN pages TEXT")

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

    # ----------------------------------------------------------------------- corroboration

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

    # ----------------------------------------------------------------------- overview

    def _scalar(self, sql: str) -> Any:
        return self._conn.execute(sql).fetchone()[0]

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

    # ----------------------------------------------------------------------- reviews

    def _ensure_reviews(self) -> None:
        if self._reviews_ready:
            return
        if self.readonly:  # empty stand-ins, in memory, when the file has no reviews yet
            if self._scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'reviews'") == 0:
                for statement in review_schema():
                    self._conn.execute(statement.replace("CREATE TABLE", "CREATE TEMP TABLE")
                                       .replace("CREATE TRIGGER", "CREATE TEMP TRIGGER"))
        else:
            with self._transaction() as conn:
                for statement in review_schema():
                    conn.execute(statement)
        self._reviews_ready = True

    def _rows(self, kind: str, where: str = "1 = 1", params: Sequence[Any] = (), *, order: str = "t.doc, t.id",
              limit: int | None = None, offset: int = 0) -> list[RecordRow]:
        self._ensure_reviews()
        names = field_names(RECORD_TYPES[kind])
        columns = ", ".join(f"t.{n}" for n in names)
        sql = (f"SELECT t.id, t.record_key, {columns}, r.status, r.changes, r.reviewer, r.reviewed_at"
               f"{_from(kind)} WHERE {where} ORDER BY {order}")
        if limit is not None:
            sql, params = sql + " LIMIT ? OFFSET ?", [*params, limit, offset]
        return [_record_row(kind, names, row) for row in self._conn.execute(sql, list(params))]

    def event_rows(self, query: EventQuery | None = None, *, sort: str = "id", descending: bool = False,
                   limit: int | None = None, offset: int = 0) -> list[RecordRow]:
        """Events matching `query` (on their reviewed values) with row ids and reviews; unknown values
        sort last. `sort` is ``id``, an `Event` field or ``publisher``."""
        if sort not in EVENT_SORTS:
            raise ValueError(f"cannot sort by {sort!r}; choose one of {', '.join(EVENT_SORTS)}")
        where, params = _event_where(query or EventQuery())
        value = _value("event", sort)
        order = f"{value} IS NULL, {value} {'DESC' if descending else 'ASC'}, t.id"
        return self._rows("event", where, params, order=order, limit=limit, offset=offset)

    def count_events(self, query: EventQuery | None = None) -> int:
        self._ensure_reviews()
        where, params = _event_where(query or EventQuery())
        return self._conn.execute(f"SELECT COUNT(*){_from('event')} WHERE {where}", params).fetchone()[0]

    def event_groups(self, query: EventQuery | None,
                     by: Sequence[str]) -> list[tuple[tuple[Any, ...], int, list[str]]]:
        """Events matching `query` grouped by the (reviewed) fields `by`: (values, count, record keys)."""
        unknown = [name for name in by if name not in EVENT_SORTS]
        if unknown or not by:
            raise ValueError(f"cannot group by {unknown or by}")
        self._ensure_reviews()
        where, params = _event_where(query or EventQuery())
        values = ", ".join(_value("event", name) for name in by)
        positions = ", ".join(str(i + 1) for i in range(len(by)))
        sql = (f"SELECT {values}, COUNT(*), group_concat(t.record_key){_from('event')} WHERE {where}"
               f" GROUP BY {positions} ORDER BY {positions}")
        return [(tuple(row[:-2]), row[-2], str(row[-1]).split(",")) for row in self._conn.execute(sql, params)]

    def event_facets(self) -> dict[str, list[str]]:
        """The values present in the ledger for each filter (reviewed values; rejected events too)."""
        self._ensure_reviews()
        out = {}
        for name in ("event_type", "tactic", "admin1", "location", "actor_class", "publisher"):
            value = _value("event", name)
            sql = f"SELECT DISTINCT {value}{_from('event')} WHERE {value} IS NOT NULL ORDER BY 1"
            out[name] = [str(v) for (v,) in self._conn.execute(sql)]
        return out

    def record_row(self, kind: str, record_id: int | str) -> RecordRow | None:
        """One event, claim or statement by row id (int) or record key (str), with its review."""
        if kind not in REVIEWABLE:
            return None
        where = "t.id = ?" if isinstance(record_id, int) else "t.record_key = ?"
        found = self._rows(kind, where, [record_id])
        return found[0] if found else None

    def linked_key(self, kind: str, record_id: int) -> str | None:
        """The record key of the record that first had row id `record_id` (a link from before a
        re-ingest renumbered the rows), or None when no record ever had it."""
        if kind not in REVIEWABLE:
            return None
        if self._scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'record_links'"):
            row = self._conn.execute("SELECT record_key FROM record_links WHERE kind = ? AND id = ?",
                                     (kind, record_id)).fetchone()
        else:  # a read-only ledger written before record links: the id as it is now
            row = self._conn.execute(f"SELECT record_key FROM {TABLES[kind]} WHERE id = ?", (record_id,)).fetchone()
        return row[0] if row else None

    def document_rows(self, doc: str) -> list[RecordRow]:
        """Every event, claim and statement of a document, in that order."""
        return [row for kind in REVIEWABLE for row in self._rows(kind, "t.doc = ?", [doc])]

    def document_source(self, doc: str) -> dict[str, Any] | None:
        """Where a stored document came from: url, source path, format, ingest time, and for a
        PDF the offset where each page starts (`pages`, else an empty list; `models.page_of`)."""
        row = self._conn.execute("SELECT url, source_path, fmt, ingested_at, pages FROM documents WHERE doc = ?",
                                 (doc,)).fetchone()
        if row is None:
            return None
        *head, pages = row
        return {**dict(zip(("url", "source_path", "fmt", "ingested_at"), head, strict=True)),
                "pages": json.loads(pages) if pages else []}

    def claim_rows(self, *, category: str | None = None, status: str = "") -> list[RecordRow]:
        """Claims (reviewed values) in a review state, of a category if given, largest first."""
        where, params = _status_where(status)
        if category is not None:
            where += f" AND {_value('claim', 'category')} = ?"
            params.append(category)
        return self._rows("claim", where, params, order=f"{_value('claim', 'value')} DESC, t.doc, t.id")

    def _queue_sql(self, query: EventQuery, kinds: Sequence[str]) -> tuple[str, list[Any]]:
        """Unreviewed records of `kinds` as (confidence, kind order, doc, id, kind, key) rows;
        `query` narrows the events (claims and statements have no such fields)."""
        parts, params = [], []
        for order, kind in enumerate(REVIEWABLE):
            if kind not in kinds:
                continue
            where, more = (_event_where(query.replace(status="unreviewed")) if kind == "event"
                           else _status_where("unreviewed"))
            parts.append(f"SELECT t.confidence AS c, {order} AS k, t.doc AS d, t.id AS i, '{kind}' AS kind,"
                         f" t.record_key AS key{_from(kind)} WHERE {where}")
            params += more
        return " UNION ALL ".join(parts), params

    def review_queue(self, query: EventQuery | None = None, *, kinds: Sequence[str] = REVIEWABLE,
                     limit: int = 50, offset: int = 0) -> tuple[int, list[RecordRow]]:
        """Unreviewed events, claims and statements, lowest confidence first (then kind, document,
        row): (how many there are, the page of them from `offset`)."""
        self._ensure_reviews()
        union, params = self._queue_sql(query or EventQuery(), kinds)
        if not union:
            return 0, []
        total = self._conn.execute(f"SELECT COUNT(*) FROM ({union})", params).fetchone()[0]
        page = self._conn.execute(f"SELECT kind, key FROM ({union}) ORDER BY c, k, d, i LIMIT ? OFFSET ?",
                                  [*params, limit, offset]).fetchall()
        rows = [self.record_row(kind, key) for kind, key in page]
        return total, [row for row in rows if row is not None]

    def next_unreviewed(self, kind: str, key: str, query: EventQuery | None = None, *,
                        kinds: Sequence[str] = REVIEWABLE) -> tuple[str, str] | None:
        """(kind, key) of the unreviewed record after this one in `review_queue` order, from the
        start again after the last; None when no other is left."""
        self._ensure_reviews()
        union, params = self._queue_sql(query or EventQuery(), kinds)
        current = self.record_row(kind, key)
        if not union:
            return None
        if current is not None:
            position = [current.original.confidence, REVIEWABLE.index(kind), current.original.doc, current.id]
            row = self._conn.execute(f"SELECT kind, key FROM ({union}) WHERE (c, k, d, i) > (?, ?, ?, ?)"
                                     f" ORDER BY c, k, d, i LIMIT 1", [*params, *position]).fetchone()
            if row is not None:
                return row[0], row[1]
        row = self._conn.execute(f"SELECT kind, key FROM ({union}) WHERE NOT (kind = ? AND key = ?)"
                                 f" ORDER BY c, k, d, i LIMIT 1", [*params, kind, key]).fetchone()
        return (row[0], row[1]) if row else None

    def review_counts(self) -> dict[str, dict[str, int]]:
        """Records of each kind by review status (``unreviewed``, ``accepted``, ``edited``, ``rejected``)."""
        self._ensure_reviews()
        out: dict[str, dict[str, int]] = {}
        for kind in REVIEWABLE:
            sql = f"SELECT COALESCE(r.status, 'unreviewed'), COUNT(*){_from(kind)} GROUP BY 1"
            out[kind] = dict(self._conn.execute(sql).fetchall())
        return out

    def review(self, kind: str, record_id: int | str, *, status: str, changes: Mapping[str, Any] | None = None,
               reviewer: str) -> RecordRow:
        """Accept, reject or edit a record; returns it as reviewed. Logged in ``audit_log``.

        `changes` (field -> value; for events ``place`` is looked up in the gazetteer) add to the
        record's earlier edits; a value equal to the extracted one removes that edit. The stored
        status is ``rejected`` when rejected, else ``edited`` when any edit remains, else
        ``accepted``. `record_id`: row id (int) or record key (str). Raises
        `eventledger.review.ReviewError` on a bad value, KeyError on no record.
        """
        check_status(status)
        who = check_reviewer(reviewer)
        self._ensure_reviews()
        with self._transaction() as conn:
            before = self.record_row(kind, record_id)
            if before is None:
                raise KeyError(f"no {kind} with id {record_id}")
            merged = clean_changes(before.original, before.review.changes if before.review else {}, changes or {})
            final = "rejected" if status == "rejected" else "edited" if merged else "accepted"
            review = Review(final, merged, who, _now())
            after = dataclasses.replace(before, record=apply_changes(before.original, merged), review=review)
            conn.execute(
                "INSERT INTO reviews (kind, record_key, doc, status, changes, reviewer, reviewed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, record_key) DO UPDATE SET doc = excluded.doc,"
                " status = excluded.status, changes = excluded.changes, reviewer = excluded.reviewer,"
                " reviewed_at = excluded.reviewed_at",
                (kind, before.key, before.original.doc, final, json.dumps(merged, ensure_ascii=False), who,
                 review.reviewed_at))
            conn.execute(
                "INSERT INTO audit_log (at, who, kind, record_key, record_id, doc, before, after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (review.reviewed_at, who, kind, before.key, before.id, before.original.doc, _state(before),
                 _state(after)))
        return after

    def audit_log(self, *, kind: str | None = None, record_key: str | None = None,
                  limit: int = 100) -> list[AuditEntry]:
        """Audit entries, newest first; those of one record when `kind` and `record_key` are given."""
        self._ensure_reviews()
        clauses, params = ["1 = 1"], []
        for name, value in (("kind", kind), ("record_key", record_key)):
            if value is not None:
                clauses.append(f"{name} = ?")
                params.append(value)
        sql = (f"SELECT id, at, who, kind, record_key, record_id, doc, before, after FROM audit_log"
               f" WHERE {' AND '.join(clauses)} ORDER BY id DESC LIMIT ?")
        return [_audit_entry(row) for row in self._conn.execute(sql, [*params, limit])]

    def reviewed_records(self, kinds: Iterable[str] | None = None) -> Iterator[Record]:
        """Accepted and edited records with their edits, grouped by document like `records()`:
        the document record (of documents that have any), then events, claims and statements."""
        wanted = set(RECORD_TYPES) if kinds is None else set(kinds)
        streams = [[row.record for row in self._rows(kind, _REVIEW_FILTERS["reviewed"])]
                   for kind in REVIEWABLE if kind in wanted]
        docs = {record.doc for stream in streams for record in stream}
        documents = [d for d in self._select("document") if d.doc in docs] if "document" in wanted else []
        return heapq.merge(documents, *streams, key=attrgetter("doc"))

    def orphaned_reviews(self) -> list[dict[str, Any]]:
        """Reviews whose record is no longer in the ledger (e.g. extracted differently on re-ingest):
        kept, and re-attached if a record with the same key comes back."""
        self._ensure_reviews()
        names = ("kind", "record_key", "doc", "status", "reviewer", "reviewed_at")
        out = []
        for kind in REVIEWABLE:
            sql = (f"SELECT {', '.join(names)} FROM reviews r WHERE kind = ?"
                   f" AND NOT EXISTS (SELECT 1 FROM {TABLES[kind]} t WHERE t.record_key = r.record_key)")
            out += [dict(zip(names, row, strict=True)) for row in self._conn.execute(sql, (kind,))]
        return out
