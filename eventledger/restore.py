"""Restoring a ledger from its `jsonl` export (`eventledger import`, or `ingest` of an export).

An export holds records, not reports: each document's record, then its events, claims and
statements. They are stored as they are, never extracted again, so the round trip
ledger -> `export --format jsonl` -> `import` -> `export` gives the same lines. A document line
may also carry the report's `text`, `url`, `source_path` and `fmt` (kept when present; without
them the stored text is empty). Near-copies (`duplicate_of`) and incidents come back as exported:
nothing is left for corroboration to decide.

A line that is no ledger record is reported (`file:line`) and the others go on; a record whose
document has no document line is reported too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventledger.ingest.errors import IngestFailure
from eventledger.models import RECORD_TYPES as KINDS
from eventledger.models import Analysis, Claim, Document, Event, Report, Statement, record_from_dict

_REPORT_EXTRAS = ("text", "url", "source_path", "fmt")
_SNIFF_LINES = 5


def is_export(path: str | Path) -> bool:
    """True for a JSON Lines file whose first rows are ledger records (a `jsonl` export)."""
    path = Path(path)
    if not path.name.lower().endswith(".jsonl") or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8") as handle:
            for _, line in zip(range(_SNIFF_LINES), handle, strict=False):
                if line.strip():
                    row = json.loads(line)
                    return isinstance(row, dict) and row.get("kind") in KINDS and isinstance(row.get("doc"), str)
    except (OSError, ValueError):
        return False
    return False


@dataclass
class _Pending:
    document: Document
    extras: dict[str, Any]
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def add(self, record: Event | Claim | Statement) -> None:
        if isinstance(record, Event):
            self.events.append(record)
        elif isinstance(record, Claim):
            self.claims.append(record)
        else:
            self.statements.append(record)

    def analysis(self, source: str) -> Analysis:
        d = self.document
        report = Report(
            doc=d.doc, text=str(self.extras.get("text") or ""), title=d.title, url=self.extras.get("url"),
            published=dt.date.fromisoformat(d.published) if d.published else None,
            published_precision=d.published_precision, publisher=d.publisher, language=d.language,
            source_path=self.extras.get("source_path") or source, fmt=self.extras.get("fmt") or "restore",
            duplicate_of=d.duplicate_of, duplicate_rule=d.duplicate_rule,
        )
        return Analysis(report=report, events=tuple(self.events), claims=tuple(self.claims),
                        statements=tuple(self.statements))


def read_export(path: str | Path) -> Iterator[Analysis | IngestFailure]:
    """The documents of an export with their records, and a failure for each bad line."""
    source = str(path)
    found: dict[str, _Pending] = {}
    orphans: dict[str, int] = {}
    with Path(path).open(encoding="utf-8", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or row.get("kind") not in KINDS or not isinstance(row.get("doc"), str):
                    raise ValueError("not a ledger record")
                record = record_from_dict(row)
            except (ValueError, TypeError) as exc:
                yield IngestFailure(f"{source}:{number}", f"not a ledger record ({str(exc).splitlines()[0][:200]})")
                continue
            if isinstance(record, Document):
                found[record.doc] = _Pending(record, {k: row[k] for k in _REPORT_EXTRAS if k in row})
            elif record.doc in found:
                found[record.doc].add(record)
            else:
                orphans.setdefault(record.doc, number)
    for doc, number in orphans.items():
        yield IngestFailure(f"{source}:{number}", f"records of {doc!r} without its document line")
    for pending in found.values():
        yield pending.analysis(source)


def restore(path: str | Path, ledger: Any) -> Iterator[Analysis | IngestFailure]:
    """Store the export at `path` in `ledger` (replacing the documents it names); yields what
    was stored and what was not. Incidents and near-copies are set as exported."""
    stored: list[Analysis] = []
    for item in read_export(path):
        if isinstance(item, Analysis):
            ledger.write(item)
            stored.append(item)
        yield item
    ids = ledger.record_ids("event")
    incidents = [(row_id, event.incident) for a in stored
                 for row_id, event in zip(ids.get(a.report.doc, ()), a.events, strict=False)]
    ledger.apply_corroboration(duplicates={a.report.doc: a.report.duplicate_of for a in stored},
                               incidents=incidents, dropped={},
                               rules={a.report.doc: a.report.duplicate_rule for a in stored})
