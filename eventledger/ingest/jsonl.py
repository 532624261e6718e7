"""JSON Lines (`.jsonl`): one report per row.

A row is an object `{"id", "text", "url", "title", "published", "publisher"}` (also read if
present: `author`, `language`); only `text` is required. The document id is `id`, else the
first 16 hex digits of sha1(text). `published` is an ISO date ("2023-05-14", "2023-05",
"2023"); `publisher` is mapped to the registry's name when it is a known source, else kept;
without it, the registry source owning the URL's domain, else one named by a byline at the
top of the text (as for plain text), is the publisher; a missing title is looked for there too.

The file is read row by row: a bad row (invalid JSON, not an object, no text, too large)
becomes an `IngestFailure` naming `path:line` and the other rows go on.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventledger.ingest import text as text_reader
from eventledger.ingest.decode import decode_bytes, normalise_newlines, repair
from eventledger.ingest.errors import IngestError, IngestFailure
from eventledger.ingest.meta import clean_line, content_id, language_of, parse_date
from eventledger.ingest.sources import Registry
from eventledger.models import Report

_SNIFF_BYTES = 8192


def _string(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return clean_line(value) if isinstance(value, str) else None


def report_of(row: dict[str, Any], path: Path, registry: Registry) -> Report:
    """The report a row describes; `IngestError("missing text")` if it has no text."""
    raw = row.get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise IngestError("missing text")
    text = repair(normalise_newlines(raw))
    url = _string(row, "url")
    given = _string(row, "publisher")
    head = text_reader.read_head(text)
    publisher = (
        (registry.by_name(given) or given) if given
        else registry.by_domain(url) or text_reader.publisher_of(head.byline, registry, head.credit)
    )
    published, precision = parse_date(row.get("published", row.get("date")))
    return Report(
        doc=_string(row, "id") or content_id(raw),
        text=text,
        title=_string(row, "title") or head.title,
        url=url,
        author=_string(row, "author"),
        published=published,
        published_precision=precision,
        publisher=publisher,
        language=_string(row, "language") or language_of(text),
        source_path=str(path),
        fmt="jsonl",
    )


def _parse(line: bytes) -> Any:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        text = decode_bytes(line)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise IngestError("invalid JSON (nested too deeply)") from None
    except ValueError as exc:  # an integer of more digits than Python converts (4,300)
        raise IngestError(f"invalid JSON ({_first_line(exc)})") from None


def _first_line(exc: Exception, limit: int = 200) -> str:
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return line if len(line) <= limit else line[:limit - 1] + "…"


def read_row(
    line: bytes, where: str, path: Path, registry: Registry, max_row_bytes: int,
) -> Report | IngestFailure | None:
    """One row's report, or its failure; None for a blank line."""
    if not line.strip():
        return None
    if len(line) > max_row_bytes:
        return IngestFailure(where, f"row too large ({len(line)} bytes > {max_row_bytes})")
    try:
        row = _parse(line)
        if not isinstance(row, dict):
            raise IngestError("row is not a JSON object")
        return report_of(row, path, registry)
    except IngestError as exc:
        return IngestFailure(where, exc.reason)
    except Exception as exc:  # noqa: BLE001 - one bad row must never end the rows after it
        return IngestFailure(where, f"unexpected error ({type(exc).__name__}: {_first_line(exc)})")


def iter_rows(path: Path, registry: Registry, max_row_bytes: int) -> Iterator[Report | IngestFailure]:
    """Every row's report or failure, in file order (streamed: the file is never whole in memory)."""
    with path.open("rb") as handle:
        if b"\x00" in handle.read(_SNIFF_BYTES):
            raise IngestError("binary file")
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip(b"\r\n")
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            item = read_row(line, f"{path}:{number}", path, registry, max_row_bytes)
            if item is not None:
                yield item


def read(path: Path, registry: Registry, max_row_bytes: int) -> list[Report | IngestFailure]:
    items = list(iter_rows(path, registry, max_row_bytes))
    if not items:
        raise IngestError("empty file")
    return items
