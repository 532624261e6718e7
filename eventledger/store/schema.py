"""The ledger's tables, derived from the record types: CREATE statements, columns, rows in and out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from eventledger.models import RECORD_TYPES, Document, Report

SCHEMA_VERSION = 1
# record kind -> table (also the stem of per-kind export files)
TABLES = {"document": "documents", "event": "events", "claim": "claims", "statement": "statements"}
_DOCUMENT_EXTRA = (
    "text TEXT NOT NULL", "url TEXT", "source_path TEXT", "fmt TEXT", "content_sha1 TEXT",
    "extractor TEXT NOT NULL", "ingested_at TEXT NOT NULL", "pages TEXT",
)
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



_REPORT_COLUMNS = ("doc", "text", "title", "url", "published", "published_precision", "publisher", "language",
                   "source_path", "fmt", "duplicate_of", "pages", "duplicate_rule")


def _stored_report(row: Sequence[Any]) -> Report:
    """A stored document row (`_REPORT_COLUMNS`) as the `Report` it was read from."""
    fields = dict(zip(_REPORT_COLUMNS, row, strict=True))
    fields["published"] = dt.date.fromisoformat(fields["published"]) if fields["published"] else None
    fields["pages"] = tuple(json.loads(fields["pages"])) if fields["pages"] else ()
    return Report(**fields)
