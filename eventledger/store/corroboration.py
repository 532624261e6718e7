"""The ledger's corroboration index: what incremental corroboration reads instead of every report.

Tables (all named ``corroboration_*``; derived data, rebuilt from the documents if missing):

* ``corroboration_passages``  one row per paragraph long enough to compare (`passages.paragraphs`):
  doc, offsets, its case-folded words and names (`passages.names_in`), ``grp`` (the group of
  near-identical paragraphs it belongs to: the connected components the full pass finds (within
  the bounds of `CorroborationIndex._group`); a paragraph alone is its own group, numbered
  by its own id), ``big`` (whether its group was boilerplate, more than `BOILERPLATE_DOCS`
  documents, when last corroborated) and ``state`` (1 while it still has to be grouped);
* ``corroboration_bands``  (band key, paragraph, its group): every LSH band of every paragraph;
* ``corroboration_band_groups``  (band key, group) -> one paragraph of that group in that band and
  whether more than one member has that band (``n``: 1, or 2 for two or more; counting on would
  rewrite the row, and its page, each time another copy joins): a new paragraph compares itself
  with one representative per group it shares a band with (and with the group's other members in
  that band only if the representative is not similar), so a group of thousands of copies costs
  one comparison, not thousands;
* ``corroboration_event_bases``  event row id -> `index.incident_base` (indexed);
* ``corroboration_pending_docs``, ``_pending_groups``, ``_pending_bases``  what changed since the
  ledger was last corroborated: documents written, groups that gained or lost members, and the
  bases of events that were removed. Filled in the same transaction as the change, emptied in the
  same transaction as the corroboration, so a killed process leaves nothing undecided.

Grouping is done when a document is written (`group_passages`), in its transaction; deciding
near-copies, repeated records and incidents waits for `eventledger.corroborate.incremental`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from eventledger.corroborate.index import band_keys, incident_base
from eventledger.corroborate.passages import BOILERPLATE_DOCS, paragraphs, similar
from eventledger.models import Event, Report

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS corroboration_passages (id INTEGER PRIMARY KEY, doc TEXT NOT NULL,"
    " start INTEGER NOT NULL, end INTEGER NOT NULL, nwords INTEGER NOT NULL, words TEXT NOT NULL,"
    " grp INTEGER NOT NULL, big INTEGER NOT NULL DEFAULT 0, state INTEGER NOT NULL DEFAULT 1,"
    " names TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX IF NOT EXISTS corroboration_passages_doc ON corroboration_passages(doc)",
    "CREATE INDEX IF NOT EXISTS corroboration_passages_grp ON corroboration_passages(grp)",
    "CREATE INDEX IF NOT EXISTS corroboration_passages_state ON corroboration_passages(state) WHERE state = 1",
    "CREATE TABLE IF NOT EXISTS corroboration_bands (band INTEGER NOT NULL, passage INTEGER NOT NULL,"
    " grp INTEGER NOT NULL)",
    # (band, group, paragraph): a group's members in a band, latest first, read off the index with
    # LIMIT; no index on the group alone (a merge relabels the rows of the smaller group's paragraphs)
    "DROP INDEX IF EXISTS corroboration_bands_band",
    "DROP INDEX IF EXISTS corroboration_bands_grp",
    "DROP INDEX IF EXISTS corroboration_band_groups_grp",
    "CREATE INDEX IF NOT EXISTS corroboration_bands_members ON corroboration_bands(band, grp, passage)",
    "CREATE INDEX IF NOT EXISTS corroboration_bands_passage ON corroboration_bands(passage)",
    "CREATE TABLE IF NOT EXISTS corroboration_band_groups (band INTEGER NOT NULL, grp INTEGER NOT NULL,"
    " passage INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (band, grp)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS corroboration_event_bases (id INTEGER PRIMARY KEY"
    " REFERENCES events(id) ON DELETE CASCADE, base TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS corroboration_event_bases_base ON corroboration_event_bases(base)",
    "CREATE TABLE IF NOT EXISTS corroboration_pending_docs (doc TEXT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS corroboration_pending_groups (grp INTEGER PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS corroboration_pending_bases (base TEXT PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS documents_duplicate_of ON documents(duplicate_of)",
)
TABLES = ("corroboration_passages", "corroboration_bands", "corroboration_band_groups", "corroboration_event_bases",
          "corroboration_pending_docs", "corroboration_pending_groups", "corroboration_pending_bases")
EVENT_FIELDS = ("event_type", "tactic", "date_start", "date_end", "time_precision", "location", "admin1",
                "country", "geonameid", "geo_precision", "evidence", "evidence_start", "evidence_end", "incident")
_BACKFILL_CHUNK = 500
CANDIDATE_ROWS = 16  # groups read per band key of a new paragraph (the latest)
CANDIDATE_GROUPS = 8  # groups a new paragraph is compared with (sharing most rare band keys, then most keys)
GROUP_COMPARISONS = 6  # paragraphs of one group a new paragraph is compared with, at most
_GROUP_BANDS = ("SELECT b.band FROM corroboration_passages p JOIN corroboration_bands b ON b.passage = p.id"
                " WHERE p.grp = ?")  # the band keys of a group's paragraphs


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _lengths(n: int) -> tuple[int, int]:
    """Word counts a paragraph of `n` words can be `similar` to (a little wider than the exact bound)."""
    return 2 * n // 3 - 1, 3 * n // 2 + 1


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class CorroborationIndex:
    """The SQL of the corroboration tables, over the ledger's connection (the caller holds the transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # ------------------------------------------------------------------- schema

    def create(self, report_of: Any) -> None:
        """Create the tables; a ledger written before they existed gets them filled in (in the
        caller's transaction): every paragraph and event indexed, every document pending."""
        existed = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'corroboration_pending_docs'").fetchone() is not None
        for statement in SCHEMA:
            self.conn.execute(statement)
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(corroboration_passages)")}
        if "names" not in columns:  # written before names were kept: its paragraphs compare by words only
            self.conn.execute("ALTER TABLE corroboration_passages ADD COLUMN names TEXT NOT NULL DEFAULT ''")
        if not existed:
            self._backfill(report_of)

    def _backfill(self, report_of: Any) -> None:
        docs = [d for (d,) in self.conn.execute("SELECT doc FROM documents ORDER BY doc")]
        for chunk in _chunks(docs, _BACKFILL_CHUNK):
            for doc in chunk:
                self.add_passages(report_of(doc))
        self.conn.execute("INSERT OR IGNORE INTO corroboration_pending_docs SELECT doc FROM documents")
        rows = self.conn.execute(f"SELECT id, doc, {', '.join(EVENT_FIELDS)} FROM events")
        while batch := rows.fetchmany(5000):
            self.conn.executemany("INSERT OR REPLACE INTO corroboration_event_bases VALUES (?, ?)",
                                  [(r[0], incident_base(_event(r[1], r[2:]))) for r in batch])

    # ------------------------------------------------------------------- writing a document

    def before_replace(self, doc: str, text: str | None) -> bool:
        """Called before a document is removed (re-ingested with `text`, or deleted: None); returns
        whether its paragraphs stay indexed (same text). Records what the removal changes."""
        old = self.conn.execute("SELECT text FROM documents WHERE doc = ?", (doc,)).fetchone()
        if old is None:
            return False
        self.conn.execute(
            "INSERT OR IGNORE INTO corroboration_pending_bases SELECT b.base FROM events e"
            " JOIN corroboration_event_bases b ON b.id = e.id WHERE e.doc = ?", (doc,))
        self.conn.execute("INSERT OR IGNORE INTO corroboration_pending_docs SELECT doc FROM documents"
                          " WHERE duplicate_of = ?", (doc,))
        if old[0] == text:
            return True
        self._remove_passages(doc)
        return False

    def _remove_passages(self, doc: str) -> None:
        """Drop a document's paragraphs; the other members of their groups are grouped again."""
        groups = [g for (g,) in self.conn.execute(
            "SELECT DISTINCT grp FROM corroboration_passages WHERE doc = ?", (doc,))]
        ids = [i for (i,) in self.conn.execute("SELECT id FROM corroboration_passages WHERE doc = ?", (doc,))]
        removed = {b for (b,) in self.conn.execute(
            "SELECT DISTINCT band FROM corroboration_bands WHERE passage IN"
            " (SELECT id FROM corroboration_passages WHERE doc = ?)", (doc,))}
        self.conn.executemany("DELETE FROM corroboration_bands WHERE passage = ?", ((i,) for i in ids))
        self.conn.execute("DELETE FROM corroboration_passages WHERE doc = ?", (doc,))
        for group in groups:
            self._reset_group(group, removed)

    def _group_bands(self, group: int) -> set[int]:
        """The band keys of a group's paragraphs."""
        return {b for (b,) in self.conn.execute(_GROUP_BANDS, (group,))}

    def _relabel_bands(self, group: int, new: int | None) -> None:
        """Give the band rows of a group's paragraphs the group `new` (None: each its own paragraph's)."""
        self.conn.execute(f"UPDATE corroboration_bands SET grp = {'passage' if new is None else '?'}"
                          " WHERE passage IN (SELECT id FROM corroboration_passages WHERE grp = ?)",
                          (group,) if new is None else (new, group))

    def _reset_group(self, group: int, removed: Iterable[int] = ()) -> None:
        """Every member of `group` becomes a group of its own, to be grouped again (a removal may split
        it); `removed`: the band keys of paragraphs just removed from it."""
        bands = self._group_bands(group) | set(removed)
        self.conn.executemany("DELETE FROM corroboration_band_groups WHERE band = ? AND grp = ?",
                              ((b, group) for b in sorted(bands)))
        self.conn.execute("INSERT OR IGNORE INTO corroboration_pending_docs"
                          " SELECT DISTINCT doc FROM corroboration_passages WHERE grp = ?", (group,))
        self._relabel_bands(group, None)
        self.conn.execute("UPDATE corroboration_passages SET grp = id, state = 1 WHERE grp = ?", (group,))
        self.conn.execute("DELETE FROM corroboration_pending_groups WHERE grp = ?", (group,))

    def after_write(self, report: Report, event_ids: Sequence[int], events: Sequence[Event], keep: bool) -> None:
        """Index a document just written (its events' bases; its paragraphs unless kept) and group them."""
        self.conn.executemany("INSERT OR REPLACE INTO corroboration_event_bases VALUES (?, ?)",
                              [(i, incident_base(e)) for i, e in zip(event_ids, events, strict=True)])
        self.conn.execute("INSERT OR IGNORE INTO corroboration_pending_docs VALUES (?)", (report.doc,))
        if keep:
            self.conn.execute("INSERT OR IGNORE INTO corroboration_pending_groups"
                              " SELECT DISTINCT grp FROM corroboration_passages WHERE doc = ?", (report.doc,))
        else:
            self.add_passages(report)
            self.group_pending()

    def add_passages(self, report: Report) -> None:
        """Index a report's paragraphs, ungrouped (state 1)."""
        found = paragraphs(report)
        for passage, keys in zip(found, band_keys([p.words for p in found]), strict=True):
            cursor = self.conn.execute(
                "INSERT INTO corroboration_passages (doc, start, end, nwords, words, names, grp, state)"
                " VALUES (?, ?, ?, ?, ?, ?, -1, 1)",
                (report.doc, passage.start, passage.end, len(passage.words), " ".join(passage.words),
                 " ".join(passage.names)))
            pid = cursor.lastrowid
            self.conn.execute("UPDATE corroboration_passages SET grp = id WHERE id = ?", (pid,))
            self.conn.executemany("INSERT INTO corroboration_bands VALUES (?, ?, ?)", ((k, pid, pid) for k in keys))

    # ------------------------------------------------------------------- grouping

    def group_pending(self) -> None:
        """Group every paragraph not grouped yet, one at a time (in id order)."""
        while rows := self.conn.execute("SELECT id, words, names FROM corroboration_passages WHERE state = 1"
                                        " ORDER BY id LIMIT 1000").fetchall():
            for pid, words, names in rows:
                self._group(pid, tuple(words.split(" ")), _names(names))

    def _group(self, pid: int, words: tuple[str, ...], names: tuple[str, ...]) -> None:
        """Join the paragraph to every group with a member that is an LSH candidate of it (a shared
        band) and similar to it: the connected components `passages._clusters` finds, with bounded
        work (`_candidate_groups`, `_similar_to_group`)."""
        keys = [k for (k,) in self.conn.execute("SELECT band FROM corroboration_bands WHERE passage = ?", (pid,))]
        mine, merged = pid, False
        candidates = self._candidate_groups(keys)
        texts = self._texts({rep for _, bands in candidates for _, rep, _ in bands[:GROUP_COMPARISONS]},
                            _lengths(len(words)))
        for group, bands in candidates:
            if merged:  # groups were relabelled since the rows were read
                group = self._current_group(bands[0][1])
            if group != mine and self._similar_to_group(words, names, group, bands, texts):
                mine, merged = self._merge(mine, group), True
        self.conn.executemany("INSERT INTO corroboration_band_groups VALUES (?, ?, ?, 1)"
                              " ON CONFLICT (band, grp) DO UPDATE SET n = 2 WHERE n < 2",
                              ((k, mine, pid) for k in keys))
        self.conn.execute("UPDATE corroboration_passages SET state = 0 WHERE id = ?", (pid,))
        self.conn.execute("INSERT OR IGNORE INTO corroboration_pending_groups VALUES (?)", (mine,))

    def _candidate_groups(self, keys: Sequence[int]) -> list[tuple[int, list[tuple[int, int, int]]]]:
        """(group, [(band, representative, members in band: 1 or 2 for more)]) of the groups sharing a band with a
        paragraph: at most `CANDIDATE_ROWS` groups per band (the latest), and of those the
        `CANDIDATE_GROUPS` sharing most *rare* bands (held by fewer groups than the bound), then most
        bands. A band shared by many groups is a common template's; a near-copy shares most of its
        bands, rare ones among them, so it ranks first however many template siblings share the rest."""
        found: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        if not keys:
            return []
        one = (f"SELECT * FROM (SELECT band, grp, passage, n FROM corroboration_band_groups WHERE band = ?"
               f" ORDER BY grp DESC LIMIT {CANDIDATE_ROWS})")
        rows = self.conn.execute(" UNION ALL ".join([one] * len(keys)), keys).fetchall()
        common = {k for k, count in Counter(k for k, _, _, _ in rows).items() if count >= CANDIDATE_ROWS}
        rare: Counter[int] = Counter()
        for key, group, rep, n in rows:
            found[group].append((key, rep, n))
            if key not in common:
                rare[group] += 1
        ranked = sorted(found.items(), key=lambda item: (-rare[item[0]], -len(item[1]), -item[0]))
        return ranked[:CANDIDATE_GROUPS]

    def _texts(self, passages: Iterable[int], lengths: tuple[int, int]) -> dict[int, tuple[tuple[str, ...],
                                                                                        tuple[str, ...]]]:
        """passage -> (words, names) of those of the passages whose length is in `lengths`."""
        found: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for chunk in _chunks(sorted(passages)):
            found.update((i, (tuple(w.split(" ")), _names(n))) for i, w, n in self.conn.execute(
                f"SELECT id, words, names FROM corroboration_passages WHERE id IN ({_marks(len(chunk))})"
                " AND nwords BETWEEN ? AND ?", [*chunk, *lengths]))
        return found

    def _current_group(self, passage: int) -> int:
        return self.conn.execute("SELECT grp FROM corroboration_passages WHERE id = ?", (passage,)).fetchone()[0]

    def _similar_to_group(self, words: tuple[str, ...], names: tuple[str, ...], group: int,
                          bands: Sequence[tuple[int, int, int]],
                          texts: dict[int, tuple[tuple[str, ...], tuple[str, ...]]]) -> bool:
        """Whether a member of `group` sharing a band with `words` is similar to it: the representative
        of each shared band, then other members in those bands, `GROUP_COMPARISONS` at most."""
        low, high = _lengths(len(words))
        checked: set[int] = set()
        reps = [rep for _, rep, _ in bands]
        others = [(band, rep) for band, rep, n in bands if n > 1]
        for rep in reps:
            if rep not in checked and len(checked) < GROUP_COMPARISONS:
                checked.add(rep)
                if rep in texts and similar(words, texts[rep][0], names, texts[rep][1]):
                    return True
        for band, rep in others:
            if len(checked) >= GROUP_COMPARISONS:
                break
            rows = self.conn.execute(
                "SELECT p.id, p.words, p.names FROM corroboration_bands b JOIN corroboration_passages p"
                " ON p.id = b.passage WHERE b.band = ? AND b.grp = ? AND p.state = 0 AND b.passage != ?"
                " AND p.nwords BETWEEN ? AND ? ORDER BY b.passage DESC LIMIT ?",
                (band, group, rep, low, high, GROUP_COMPARISONS - len(checked))).fetchall()
            for passage, other, other_names in rows:
                if passage not in checked:
                    checked.add(passage)
                    if similar(words, tuple(other.split(" ")), names, _names(other_names)):
                        return True
        return False

    def _size(self, group: int) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM corroboration_passages WHERE grp = ?", (group,)).fetchone()[0]

    def _merge(self, a: int, b: int) -> int:
        """Merge two groups (the smaller is relabelled); returns the group they form."""
        small, large = (a, b) if self._size(a) <= self._size(b) else (b, a)
        rows = self.conn.execute(
            f"SELECT band, passage, n FROM corroboration_band_groups WHERE grp = ? AND band IN ({_GROUP_BANDS})"
            " ORDER BY band", (small, small)).fetchall()
        self.conn.executemany("INSERT INTO corroboration_band_groups VALUES (?, ?, ?, ?)"
                              " ON CONFLICT (band, grp) DO UPDATE SET n = MIN(2, n + excluded.n)",
                              ((band, large, passage, n) for band, passage, n in rows))
        self.conn.executemany("DELETE FROM corroboration_band_groups WHERE band = ? AND grp = ?",
                              ((band, small) for band, _, _ in rows))
        self._relabel_bands(small, large)
        self.conn.execute("UPDATE corroboration_passages SET grp = ? WHERE grp = ?", (large, small))
        self.conn.execute("DELETE FROM corroboration_pending_groups WHERE grp = ?", (small,))
        self.conn.execute("INSERT OR IGNORE INTO corroboration_pending_groups VALUES (?)", (large,))
        return large

    # ------------------------------------------------------------------- reading what changed

    def pending(self) -> tuple[list[str], list[int], list[str]]:
        """(documents, groups, event bases) changed since the last corroboration."""
        docs = [d for (d,) in self.conn.execute("SELECT doc FROM corroboration_pending_docs ORDER BY doc")]
        groups = [g for (g,) in self.conn.execute("SELECT grp FROM corroboration_pending_groups ORDER BY grp")]
        bases = [b for (b,) in self.conn.execute("SELECT base FROM corroboration_pending_bases ORDER BY base")]
        return docs, groups, bases

    def clear_pending(self) -> None:
        for table in ("corroboration_pending_docs", "corroboration_pending_groups", "corroboration_pending_bases"):
            self.conn.execute(f"DELETE FROM {table}")

    def refresh_boilerplate(self, group: int) -> list[str]:
        """Set the group's ``big`` flag; returns the documents whose copy decisions it may change
        (every member of a group that is, or was, no boilerplate)."""
        ndocs = self.conn.execute("SELECT COUNT(DISTINCT doc) FROM corroboration_passages WHERE grp = ?",
                                  (group,)).fetchone()[0]
        big = int(ndocs > BOILERPLATE_DOCS)
        where = "grp = ? AND big = 0" if big else "grp = ?"
        docs = [d for (d,) in self.conn.execute(f"SELECT DISTINCT doc FROM corroboration_passages WHERE {where}",
                                                (group,))]
        self.conn.execute("UPDATE corroboration_passages SET big = ? WHERE grp = ? AND big != ?", (big, group, big))
        return docs

    def doc_passages(self, doc: str) -> list[tuple[int, int, int]]:
        """(group, words, boilerplate) of each of a document's paragraphs."""
        return self.conn.execute("SELECT grp, nwords, big FROM corroboration_passages WHERE doc = ? ORDER BY start",
                                 (doc,)).fetchall()

    def group_docs(self, group: int) -> list[str]:
        """The document of each member of a group (one per paragraph)."""
        return [d for (d,) in self.conn.execute("SELECT doc FROM corroboration_passages WHERE grp = ?", (group,))]

    def groups_of(self, docs: Iterable[str]) -> set[int]:
        """The groups of the documents' paragraphs."""
        found: set[int] = set()
        for chunk in _chunks(list(docs)):
            found.update(g for (g,) in self.conn.execute(
                f"SELECT DISTINCT grp FROM corroboration_passages WHERE doc IN ({_marks(len(chunk))})", chunk))
        return found

    def group_members(self, group: int) -> list[tuple[str, int, int]]:
        """(doc, start, end) of a group's paragraphs."""
        return self.conn.execute("SELECT doc, start, end FROM corroboration_passages WHERE grp = ?",
                                 (group,)).fetchall()

    def group_records(self, group: int, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """(doc, paragraph start, id, *columns) of the records read from a group's paragraphs."""
        names = ", ".join(f"r.{c}" for c in columns)
        return self.conn.execute(
            f"SELECT r.doc, p.start, r.id, {names} FROM corroboration_passages p JOIN {table} r ON r.doc = p.doc"
            " AND r.evidence_start >= p.start AND r.evidence_start < p.end AND r.evidence_end > r.evidence_start"
            " WHERE p.grp = ? ORDER BY r.id", (group,)).fetchall()

    def doc_bases(self, doc: str) -> set[str]:
        """The incident bases (type, place) of a document's events."""
        return {b for (b,) in self.conn.execute(
            "SELECT b.base FROM events e JOIN corroboration_event_bases b ON b.id = e.id WHERE e.doc = ?", (doc,))}

    def bases_of(self, docs: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(docs)):
            found.update(b for (b,) in self.conn.execute(
                "SELECT DISTINCT b.base FROM events e JOIN corroboration_event_bases b ON b.id = e.id"
                f" WHERE e.doc IN ({_marks(len(chunk))})", chunk))
        return found

    def base_events(self, base: str) -> list[tuple[int, str, Event]]:
        """(row id, doc, event) of every stored event of an incident base, in (doc, id) order."""
        rows = self.conn.execute(
            f"SELECT e.id, e.doc, {', '.join('e.' + f for f in EVENT_FIELDS)} FROM corroboration_event_bases b"
            " JOIN events e ON e.id = b.id WHERE b.base = ? ORDER BY e.doc, e.id", (base,))
        return [(r[0], r[1], _event(r[1], r[2:])) for r in rows]

    # ------------------------------------------------------------------- documents and decisions

    def doc_info(self, docs: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """doc -> (published, duplicate_of)."""
        found: dict[str, tuple[str | None, str | None]] = {}
        for chunk in _chunks(list(docs)):
            found.update((d, (p, o)) for d, p, o in self.conn.execute(
                f"SELECT doc, published, duplicate_of FROM documents WHERE doc IN ({_marks(len(chunk))})", chunk))
        return found

    def refresh_rules(self, docs: Iterable[str] | None = None) -> None:
        """Set `duplicate_rule` (`passages.COPY_RULES`) of the documents (every one when None) from
        their `duplicate_of`: the rule `passages.copy_rule` names, by the texts' hashes."""
        rule = ("CASE WHEN duplicate_of IS NULL THEN NULL WHEN content_sha1 = (SELECT o.content_sha1 FROM documents o"
                " WHERE o.doc = documents.duplicate_of) THEN 'identical-text' ELSE 'shared-paragraphs' END")
        if docs is None:
            self.conn.execute(f"UPDATE documents SET duplicate_rule = {rule}"
                              " WHERE duplicate_of IS NOT NULL OR duplicate_rule IS NOT NULL")
            return
        for chunk in _chunks(sorted(set(docs))):
            self.conn.execute(f"UPDATE documents SET duplicate_rule = {rule} WHERE doc IN ({_marks(len(chunk))})",
                              chunk)

    def copies_of(self, original: str) -> list[str]:
        return [d for (d,) in self.conn.execute("SELECT doc FROM documents WHERE duplicate_of = ?", (original,))]

    def set_duplicates(self, changes: Iterable[tuple[str, str | None]]) -> None:
        self.conn.executemany("UPDATE documents SET duplicate_of = ? WHERE doc = ?", ((o, d) for d, o in changes))

    def set_incidents(self, changes: Iterable[tuple[int, str]]) -> None:
        self.conn.executemany("UPDATE events SET incident = ? WHERE id = ?", ((i, n) for n, i in changes))

    def delete_records(self, table: str, ids: Iterable[int]) -> None:
        self.conn.executemany(f"DELETE FROM {table} WHERE id = ?", ((n,) for n in ids))


def _names(stored: str) -> tuple[str, ...]:
    return tuple(stored.split(" ")) if stored else ()


def _event(doc: str, values: Sequence[Any]) -> Event:
    """An event with the fields corroboration reads (`EVENT_FIELDS`)."""
    return Event(doc=doc, **dict(zip(EVENT_FIELDS, values, strict=True)))
