"""Plain text and Markdown reports (`.txt`, `.md`).

The text is kept whole (stages take offsets into it). From its first lines come:

* the title: the first line that reads like a headline (at least two words, not too long,
  no sentence-final period), skipping page furniture above it: a lone date (a page header
  such as "Saturday, July 27, 2024"), a banner size ("728 x 90"), a breadcrumb
  ("Home > News", or links run together as "HomeNews..."), a byline and one-word lines.
  If the first line after the furniture is not a headline, there is no title.
* the publisher: a byline ("Reported by X", "Reporting by X", "By X") whose X, or a part of
  it, is a source of the registry, else the credit of a wire-style dateline opening one of the
  first paragraphs ("TEHRAN, Oct. 3 (IRNA) –", "DUBAI (Reuters) -", "HRANA – On Monday") when
  it names a source of the registry. An unknown byline is kept as `author` only.

Markdown may start with YAML-style front matter (`title:`, `date:`/`published:`,
`publisher:`, `author:`, `url:`, `language:`), which wins over the guesses and is cut from
the text. Dates in the prose are not read here (that is the `published` stage's job).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from eventledger.data import load_toml
from eventledger.ingest.decode import decode
from eventledger.ingest.errors import IngestError
from eventledger.ingest.meta import clean_line, language_of, parse_date
from eventledger.ingest.sources import Registry
from eventledger.models import Report

HEAD_LINES = 15  # non-empty lines searched for a title or byline
HEAD_CHARS = 6_000
MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 30
MAX_BYLINE_CHARS = 100
MAX_BYLINE_WORDS = 8
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

_DATE_FILLERS = "of the on at am pm gmt utc updated published posted last st nd rd th"


def _calendar_words(*tables: str) -> frozenset[str]:
    """The lowercased names of calendars.toml's `tables` (months and weekdays live there only)."""
    calendars = load_toml("calendars.toml")
    return frozenset(name.lower() for table in tables for name in calendars[table])


_MONTH_WORDS = _calendar_words("months", "month_abbreviations")
_DATE_WORDS = (_calendar_words("weekdays", "weekday_abbreviations") | _MONTH_WORDS
               | frozenset(_DATE_FILLERS.split()))
_TOKENS = re.compile(r"[^\W\d_]+|\d+")
_NUMERIC_DATE = re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")
_BANNER = re.compile(r"^\d{2,4}\s*[x×X]\s*\d{2,4}(?:\s*px)?$")
_BREADCRUMB_GLUED = re.compile(r"^Home(?=[A-Z\d])")
_BREADCRUMB_SEPARATORS = re.compile(r"\s*(?:>|»|›|/|\|)\s*")
_BYLINE = re.compile(
    r"^(?:(?:reported|reporting|written|posted|published|compiled|story)\s+)?by\s*:?\s+(?P<who>.+)$",
    re.IGNORECASE,
)
_BYLINE_PARTS = re.compile(r"\s*(?:,|;|\||–|—|\s-\s|\band\b|&)\s*")
_CREDIT = re.compile(  # "CITY, date (OUTLET) –" or a paragraph opening "OUTLET –"
    r"^(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}(?:,[^\n()]{1,30}?)?\s*\((?P<paren>[^()\n]{2,40})\)\s*[—–-]"
    r"|(?P<lead>[^\W\d_][\w.&'’ ]{1,40}?)\s+[—–]\s)"
)
CREDIT_LINES = 3  # body lines searched for a dateline credit
MAX_CREDIT_WORDS = 6
_STAFF = re.compile(r"\s+(?:staff|desk|newsroom|team|editors|editorial board)$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_FENCE = "---"
_FRONT_MATTER_LINES = 60
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Head:
    """What the first lines of a report say about it."""

    title: str | None = None
    byline: str | None = None
    credit: tuple[str, ...] = ()  # outlets credited by datelines of the first paragraphs


# --------------------------------------------------------------------------- line classes


def is_date_line(line: str) -> bool:
    """A line holding only a date (and weekday/time words), like a page-header date."""
    tokens = _TOKENS.findall(line.casefold())
    if not tokens or not any(t.isdigit() for t in tokens):
        return False
    words = [t for t in tokens if not t.isdigit()]
    if any(w not in _DATE_WORDS for w in words):
        return False
    return any(w in _MONTH_WORDS for w in words) or bool(_NUMERIC_DATE.search(line))


def is_banner(line: str) -> bool:
    return bool(_BANNER.match(line))


def is_breadcrumb(line: str) -> bool:
    """"HomeNewsIran..." (links run together) or "Home > News > Iran"."""
    if _BREADCRUMB_GLUED.match(line):
        return True
    parts = _BREADCRUMB_SEPARATORS.split(line)
    return len(parts) >= 3 and parts[0].casefold() in {"home", "start", "main", "homepage"}


def byline_of(line: str) -> str | None:
    """X of a byline "By X" / "Reported by X" (short, no final period), else None."""
    if len(line) > MAX_BYLINE_CHARS or line.endswith("."):
        return None
    m = _BYLINE.match(line)
    if not m or len(m.group("who").split()) > MAX_BYLINE_WORDS:
        return None
    return clean_line(m.group("who"))


def is_headline(line: str) -> bool:
    """Short, at least two words, not ending like a sentence."""
    if len(line) > MAX_TITLE_CHARS or not 2 <= len(line.split()) <= MAX_TITLE_WORDS:
        return False
    end = line.rstrip("\"'”’)]»")
    return not end.endswith((".", ":", ",", ";")) or end.endswith("...")


def is_furniture(line: str) -> bool:
    """Page furniture that may sit above a headline."""
    return (
        is_date_line(line) or is_banner(line) or is_breadcrumb(line)
        or len(line.split()) < 2 or not any(c.isalpha() for c in line)
    )


# --------------------------------------------------------------------------- head of text


def head_lines(text: str, limit: int = HEAD_LINES) -> list[str]:
    """The first `limit` non-empty lines, stripped (Markdown heading marks removed)."""
    lines: list[str] = []
    for raw in text[:HEAD_CHARS].split("\n"):
        line = _MD_HEADING.sub("", raw.strip()).strip()
        if line:
            lines.append(line)
            if len(lines) == limit:
                break
    return lines


def read_head(text: str) -> Head:
    lines = head_lines(text)
    bylines = [b for b in map(byline_of, lines) if b]
    title = None
    for line in lines:
        if byline_of(line) or is_furniture(line):
            continue
        title = clean_line(line) if is_headline(line) else None
        break
    return Head(title=title, byline=bylines[0] if bylines else None, credit=credits(lines, title))


def credits(lines: list[str], title: str | None) -> tuple[str, ...]:
    """The outlets named by the first body lines (not the title): a wire-style dateline's credit,
    or a short line that is nothing but a name ("Iran Human Rights Monitor", "NCRI Staff")."""
    body = [line for line in lines if clean_line(line) != title and not is_furniture(line) and not byline_of(line)]
    found: list[str] = []
    for line in body[:CREDIT_LINES]:
        m = _CREDIT.match(line)
        if m:
            found.append(clean_line(m.group("paren") or m.group("lead")) or "")
        elif len(line.split()) <= MAX_CREDIT_WORDS and not line.endswith((".", ":", "!", "?")):
            found.append(_STAFF.sub("", line))
    return tuple(found)


def publisher_of(byline: str | None, registry: Registry, credit: tuple[str, ...] = ()) -> str | None:
    """The registry source named by the byline or by one of its parts ("Jane Doe, Reuters"),
    else the first registry source a dateline credits."""
    if not byline:
        return next(filter(None, map(registry.by_name, credit)), None)
    for candidate in (byline, *_BYLINE_PARTS.split(byline)):
        name = registry.by_name(candidate)
        if name:
            return name
    return publisher_of(None, registry, credit)


# --------------------------------------------------------------------------- front matter


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """({key: value}, body) of a text starting with a `---` fenced block of `key: value` lines."""
    if not text.startswith(_FENCE + "\n"):
        return {}, text
    lines = text.split("\n", _FRONT_MATTER_LINES + 1)
    fields: dict[str, str] = {}
    for i, line in enumerate(lines[1:_FRONT_MATTER_LINES + 1], start=1):
        if line.strip() in {_FENCE, "..."}:
            return fields, "\n".join(lines[i + 1:])
        m = _FRONT_MATTER_KEY.match(line)
        if m:
            fields[m.group(1).casefold()] = m.group(2).strip().strip("\"'").strip()
        elif line.strip() and not line.startswith((" ", "\t", "-", "#")):
            return {}, text
    return {}, text


# --------------------------------------------------------------------------- reader


def read(path: Path, data: bytes, registry: Registry) -> list[Report]:
    text = decode(data)
    front: dict[str, str] = {}
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        front, text = split_front_matter(text)
        if not text.strip():
            raise IngestError("empty file")
    head = read_head(text)
    published, precision = parse_date(front.get("published") or front.get("date"))
    explicit_publisher = clean_line(front.get("publisher"))
    publisher = (
        (registry.by_name(explicit_publisher) or explicit_publisher) if explicit_publisher
        else publisher_of(head.byline, registry, head.credit)
    )
    return [Report(
        doc=path.name,
        text=text,
        title=clean_line(front.get("title")) or head.title,
        url=clean_line(front.get("url")),
        author=clean_line(front.get("author")) or head.byline,
        published=published,
        published_precision=precision,
        publisher=publisher,
        language=clean_line(front.get("language")) or language_of(text),
        source_path=str(path),
        fmt="text",
    )]


def document_report(path: Path, text: str, registry: Registry, *, fmt: str, title: str | None,
                    author: str | None, published: dt.date | None, precision: str | None,
                    pages: tuple[int, ...] = ()) -> Report:
    """The report of a document file (PDF, Word) from its text and metadata: what the metadata lacks
    (title, author, publisher) is read from the head of the text, as for a plain text file."""
    head = read_head(text)
    return Report(
        doc=path.name, text=text, title=title or head.title, author=author or head.byline,
        published=published, published_precision=precision,
        publisher=registry.by_name(author) or publisher_of(head.byline, registry, head.credit),
        language=language_of(text), source_path=str(path), fmt=fmt, pages=pages)
