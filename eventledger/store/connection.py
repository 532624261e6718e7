"""Opening a ledger file: read-only or for writing, created or upgraded to the current schema."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from eventledger.models import RECORD_TYPES, Document, Report
from eventledger.review import REVIEWABLE, record_keys
from eventledger.store.corroboration import CorroborationIndex
from eventledger.store.schema import (
    _REPORT_COLUMNS,
    SCHEMA_VERSION,
    TABLES,
    LedgerError,
    _column,
    _stored_report,
    field_names,
    record_columns,
    schema,
)

# Pages the write-ahead log holds before SQLite copies them into the ledger (SQLite's default is
# 1,000). Each document's commit dirties about 200 pages all over the corroboration indexes (random
# band keys); checkpointing less often writes a page that several commits changed once. Measured
# with `eventledger bench --store-docs 20000`: 2,000 pages gave 94 documents/s, 10,000 gave 126. The
# log peaks near 40 MB and is emptied when the ledger is closed.
CHECKPOINT_PAGES = 10_000

_FILTERS = {
    "event_type": "event_type = ?",
    "doc": "doc = ?",
    "admin1": "admin1 = ?",
    "date_from": "COALESCE(date_end, date_start) >= ?",
    "date_to": "date_start <= ?",
}


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


# How long a writer waits for another process's transaction (two ingests into one ledger) before
# "database is locked": a document's transaction or a final corroboration on a loaded machine can hold
# the lock for more than sqlite3's default 5 s.
BUSY_SECONDS = 120.0


def _write_ahead_log(conn: sqlite3.Connection) -> None:
    """Put the ledger in WAL mode (once: a ledger already in it is left as it is). Switching needs the
    file to itself, and SQLite answers "database is locked" at once, without waiting, while another
    process opens the same new ledger (two ingests started together): the switch is tried again, with
    growing pauses, for up to `BUSY_SECONDS`."""
    deadline, pause = time.monotonic() + BUSY_SECONDS, 0.02
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


class LedgerConnection:
    """The ledger's file: opening (read-only or not), creating and upgrading its tables, transactions,
    and the plain reading every part of the ledger shares (`_select`, `_scalar`)."""

    _conn: sqlite3.Connection
    _reviews_ready: bool

    def __init__(self, path: str | Path = "ledger.db", *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly and not self._needs_upgrade(path)
        if self.readonly:
            self._conn = _connect_readonly(Path(path))
            self._check_version()
            self._reviews_ready = False
            return
        self._conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_SECONDS)
        try:
            _write_ahead_log(self._conn)
            for pragma in ("foreign_keys=ON", "synchronous=NORMAL", f"wal_autocheckpoint={CHECKPOINT_PAGES}"):
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

    def __enter__(self) -> Self:
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

    def _scalar(self, sql: str) -> Any:
        return self._conn.execute(sql).fetchone()[0]

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
