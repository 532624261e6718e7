"""Web archives (`.warc`, `.warc.gz`), via warcio: one report per archived HTML page.

Every `response` record whose HTTP status is 2xx and whose content type is HTML becomes a
report through the HTML reader (`html.read`: trafilatura's main text, title, author, date,
publisher); its doc id is the record's target URI, its url the page's canonical URL, else
the target URI. Other records (requests, metadata, images, redirects, errors) are passed
over silently; an HTML page without text, or over the size limit, becomes an
`IngestFailure` naming `path:N` (the record's position) and the archive goes on.

The archive is streamed: records are read one at a time, never the whole file, and never
more than `MAX_HEADER_BYTES` of headers at once (a record's WARC and HTTP header lines are read
with that cap, however long a line the decompressed stream holds: a longer header is a corrupt
archive; a page's body is read up to the page size limit). A file that
is not a WARC archive is reported whole; an archive that is cut short (a record shorter
than its Content-Length, bytes left after the last complete record) keeps the reports
read before the cut and ends with a failure saying where it broke.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventledger.ingest import html as html_reader
from eventledger.ingest.errors import IngestError, IngestFailure
from eventledger.ingest.sources import Registry
from eventledger.models import Report

HTML_TYPES = ("text/html", "application/xhtml+xml")
# A WARC record ends with two CRLFs that an uncompressed archive does not count in its length.
_RECORD_TRAILER = 4
MAX_HEADER_BYTES = 1 << 20  # header lines read in a row (one record's WARC and HTTP headers)


class HeaderTooLong(ValueError):
    """A run of header lines longer than `MAX_HEADER_BYTES`."""


def cap_header_lines(reader: Any, limit: int = MAX_HEADER_BYTES) -> None:
    """Make warcio's `reader` read header lines `limit` bytes at most in a row (`HeaderTooLong`
    beyond): warcio reads a line whole, so one line of gigabytes would be held in memory."""
    readline, read = reader.readline, reader.read
    run = [0]  # bytes read by readline since the last read

    def capped_readline(length: int | None = None) -> bytes:
        room = limit - run[0] + 1
        line: bytes = readline(room if not length or length > room else length)
        run[0] += len(line)
        if run[0] > limit:
            raise HeaderTooLong(f"header longer than {limit} bytes")
        return line

    def read_body(length: int | None = None) -> bytes:
        run[0] = 0
        return read(length)

    reader.readline, reader.read = capped_readline, read_body


def page_report(data: bytes, uri: str, registry: Registry, *, source_path: str, fmt: str) -> Report:
    """A report of the HTML page `data` fetched from `uri` (doc id = `uri`); raises IngestError."""
    report = html_reader.read(Path(uri.rstrip("/").rpartition("/")[2] or "page.html"), data, registry)[0]
    url = report.url or uri
    return dataclasses.replace(
        report, doc=uri, url=url, source_path=source_path, fmt=fmt,
        publisher=registry.by_domain(url) or registry.by_domain(uri) or report.publisher,
    )


def _is_html_response(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").casefold()
    return status.startswith("2") and content_type.startswith(HTML_TYPES)


def _record_item(record: Any, where: str, path: Path, registry: Registry,
                 max_bytes: int) -> Report | IngestFailure | None:
    """The report of one record, its failure, or None for a record that is not an HTML page."""
    if not _is_html_response(record):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or where
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return IngestFailure(where, f"{uri}: page too large (> {max_bytes} bytes)")
    if record.raw_stream.limit:
        return None  # cut short: reported once, by `iter_reports`
    try:
        return page_report(data, uri, registry, source_path=str(path), fmt="warc")
    except IngestError as exc:
        return IngestFailure(where, f"{uri}: {exc.reason}")


def iter_reports(path: Path, registry: Registry, max_bytes: int) -> Iterator[Report | IngestFailure]:
    """Each page's report or failure in archive order; `IngestError` if `path` is no WARC file."""
    from warcio.archiveiterator import WARCIterator
    from warcio.exceptions import ArchiveLoadFailed

    size = path.stat().st_size
    count, end = 0, 0
    with path.open("rb") as handle:
        records = WARCIterator(handle)
        cap_header_lines(records.reader)
        try:
            for record in records:
                count += 1
                item = _record_item(record, f"{path}:{count}", path, registry, max_bytes)
                end = records.get_record_offset() + records.get_record_length()  # reads the rest
                if record.raw_stream.limit:
                    yield IngestFailure(str(path), f"truncated archive: record {count} is cut short")
                    return
                if item is not None:
                    yield item
        except HeaderTooLong as exc:
            if count == 0:
                raise IngestError(f"not a WARC archive ({exc})") from None
            yield IngestFailure(str(path), f"corrupt archive after record {count} ({exc})")
            return
        except ArchiveLoadFailed as exc:
            if count == 0:
                raise IngestError(f"not a WARC archive ({_first_line(exc)})") from None
            yield IngestFailure(str(path), f"corrupt archive after record {count} ({_first_line(exc)})")
            return
        except (EOFError, OSError, ValueError, AttributeError) as exc:
            # warcio's gzip and header parsers fail in these ways on a cut or damaged file
            if count == 0:
                raise IngestError(f"not a WARC archive ({type(exc).__name__})") from None
            yield IngestFailure(str(path), f"corrupt archive after record {count} ({type(exc).__name__})")
            return
    if count == 0:
        raise IngestError("no complete WARC record (empty or cut short)")
    if size - end > _RECORD_TRAILER:
        yield IngestFailure(str(path), f"truncated archive: {size - end} bytes after record {count} "
                                       "are not a complete record")


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    line = "".join(c if c.isprintable() else "?" for c in lines[0][:60]) if lines else ""
    return line or type(exc).__name__
