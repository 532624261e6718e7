"""Reviews in the ledger: reading records as reviewed, the review queue, reviewing, the audit log."""

from __future__ import annotations

import dataclasses
import heapq
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import attrgetter
from typing import Any

from eventledger.models import RECORD_TYPES, Event, Record, record_to_dict
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
)
from eventledger.store.read import LedgerReader
from eventledger.store.schema import TABLES, _now, field_names, review_schema

_REVIEW_FILTERS = {
    "": "(r.status IS NULL OR r.status != 'rejected')", "all": "1 = 1", "unreviewed": "r.status IS NULL",
    "reviewed": "r.status IN ('accepted', 'edited')",
}
_SEARCHED = ("evidence", "title", "location", "admin1", "actor1", "target")


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
    edited = apply_changes(original, review.changes if review else None)
    return RecordRow(row[0], kind, row[1], original, edited, review)


def _state(row: RecordRow) -> str:
    """A record's reviewed state as stored in the audit log."""
    changes = row.review.changes if row.review else {}
    return json.dumps({"status": row.status, "changes": changes, "record": record_to_dict(row.record)},
                      ensure_ascii=False, sort_keys=True)


def _audit_entry(row: Sequence[Any]) -> AuditEntry:
    *head, before, after = row
    values = (*head, json.loads(before), json.loads(after))  # (one tuple: mypy maps *head onto every field)
    return AuditEntry(*values)


EVENT_SORTS: tuple[str, ...] = ("id", *field_names(Event), "publisher")


class LedgerReviews(LedgerReader):
    """Reviews: reading with reviewers' edits applied (and filtered on), the review queue, reviewing
    a record, the audit log."""

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
