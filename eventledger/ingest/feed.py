"""RSS and Atom feeds (`.rss`, `.atom`, and `.xml` when it parses as a feed), via feedparser.

One report per entry:

* doc: the entry's id (guid), else its link, else a hash of its text (`meta.content_id`);
* text: the longest of the entry's content and summary, HTML reduced to paragraphs of text
  (block elements and line breaks become paragraph breaks; scripts and styles are dropped);
* title, url (link), author from the entry; published from the entry's published (else
  updated, else created) date, precision "day";
* publisher: the registry source owning the entry's domain, else the source named by the
  feed's title, else the feed's title as given (as for HTML pages, `html.publisher_of`).

A file that is not well-formed XML is reported whole ("malformed feed (…)") and skipped,
even when a lenient parser could salvage entries from it: a broken feed is a broken file.
A file that parses but is no RSS or Atom feed, or has no entries, is reported too. An entry
without text becomes an `IngestFailure` naming `path:N` (its position) and the others go on.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import xml.sax
from pathlib import Path
from typing import Any

from eventledger.ingest import html as html_reader
from eventledger.ingest import text as text_reader
from eventledger.ingest.decode import normalise_newlines, repair
from eventledger.ingest.errors import IngestError, IngestFailure
from eventledger.ingest.meta import clean_line, content_id, language_of
from eventledger.ingest.sources import Registry
from eventledger.models import Report

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
    "table", "section", "article", "header", "footer", "figure", "figcaption", "pre", "hr", "dd", "dt",
})
_DROPPED = frozenset({"script", "style", "noscript", "template"})
_DATE_KEYS = ("published_parsed", "updated_parsed", "created_parsed")


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, one paragraph per block element, joined by blank lines."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html_reader.tame_attributes(fragment), create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return fragment
    pieces: list[str] = []
    _collect(root, pieces)
    lines = (clean_line(line) for line in "".join(pieces).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _collect(element: Any, pieces: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROPPED:
        pieces.append(element.tail or "")
        return
    block = tag in _BLOCKS
    pieces.append("\n" if block else "")
    pieces.append(element.text or "")
    for child in element:
        _collect(child, pieces)
    pieces.append("\n" if block else "")
    pieces.append(element.tail or "")


def _bodies(entry: Any) -> list[tuple[str, str]]:
    """(value, type) of the entry's content parts and summary."""
    parts = [(c.get("value") or "", c.get("type") or "text/html") for c in entry.get("content") or []]
    summary = entry.get("summary_detail") or {}
    if entry.get("summary"):
        parts.append((entry["summary"], summary.get("type") or "text/html"))
    return parts


def entry_text(entry: Any) -> str:
    """The entry's longest body as plain text ("" when it has none)."""
    texts = [html_to_text(value) if kind in HTML_TYPES else value for value, kind in _bodies(entry)]
    best = max(texts, key=len, default="")
    return repair(normalise_newlines(best)).strip()


def entry_date(entry: Any) -> dt.date | None:
    for key in _DATE_KEYS:
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            try:
                return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:  # "0000-00-00": no date, not the end of the feed
                continue
    return None


def entry_report(entry: Any, feed_title: str | None, path: Path, registry: Registry) -> Report:
    """The report of one entry; `IngestError` when it has no text."""
    text = entry_text(entry)
    if not text:
        raise IngestError("entry without text")
    url = clean_line(entry.get("link"))
    head = text_reader.read_head(text)
    published = entry_date(entry)
    return Report(
        doc=clean_line(entry.get("id")) or url or content_id(text),
        text=text,
        title=clean_line(entry.get("title")) or head.title,
        url=url,
        author=clean_line(entry.get("author")) or head.byline,
        published=published,
        published_precision="day" if published else None,
        publisher=html_reader.publisher_of(url, feed_title, head.byline, registry, head.credit),
        language=language_of(text),
        source_path=str(path),
        fmt="feed",
    )


def parse(data: bytes) -> Any:
    """feedparser's result for `data`; `IngestError` unless it is a well-formed RSS/Atom feed.

    The bytes go in as a stream: given bytes or a string, feedparser opens the file or URL they
    name when there is one, so a feed file holding a path would be read as that other file."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXException):
        raise IngestError(f"malformed feed ({problem.getMessage()})")
    if not parsed.get("version"):
        raise IngestError("not an RSS or Atom feed")
    if not parsed.entries:
        raise IngestError("feed has no entries")
    return parsed


def read(path: Path, data: bytes, registry: Registry) -> list[Report | IngestFailure]:
    """Every entry's report, or its failure, in feed order."""
    parsed = parse(data)
    feed_title = clean_line(parsed.feed.get("title"))
    items: list[Report | IngestFailure] = []
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            items.append(entry_report(entry, feed_title, path, registry))
        except IngestError as exc:
            items.append(IngestFailure(f"{path}:{number}", exc.reason))
        except Exception as exc:  # noqa: BLE001 - one bad entry never loses the feed's others
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            items.append(IngestFailure(f"{path}:{number}", f"unexpected error ({type(exc).__name__}: {first})"))
    return items
