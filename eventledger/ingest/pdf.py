"""PDF reports (`.pdf`), read with pdfminer.six's layout analysis.

Each page's text boxes are put in reading order: the page is cut into bands at boxes that
span both columns (a title, a wide paragraph), and inside a band the left column is read
before the right one. Lines of a box are joined with spaces (a word hyphenated at a line
end is joined again); boxes become paragraphs, except that a box whose last sentence runs
on (no closing punctuation) is continued by the next box, so a sentence broken by a column
or a page break is one sentence again (when the next box goes on in lower case).

Page furniture is dropped: a box in the top or bottom margin whose text, with its digits
blanked, comes back on at least half of the pages (running headers and footers, "Page 3
of 9"), and any margin box that is only a page number.

`Report.pages` holds the offset in the text where each page starts (`page_of` in
`eventledger.models` turns an evidence offset into a page number). Title, author and dates
come from the document's metadata (Title, Author, CreationDate, else ModDate); a missing
title is read from the first lines as for plain text. A PDF without any text (a scan with
no text layer) is reported "no text layer (scanned?)".
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventledger.ingest.errors import IngestError
from eventledger.ingest.meta import clean_line, parse_date
from eventledger.ingest.sources import Registry
from eventledger.ingest.text import document_report
from eventledger.models import Report

MARGIN_SHARE = 0.12  # top and bottom share of a page where running headers and footers sit
WIDE_SHARE = 0.6  # a box wider than this share of the page spans both columns
MIN_REPEAT_PAGES = 2
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\n(?=[a-z])")
_RUNS_ON = re.compile(r"[^.!?:;\"”’)\]»…]$")
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


@dataclass(frozen=True)
class Box:
    """A text box of a page: its text and position (PDF points, y upwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    boxes: tuple[Box, ...]


# --------------------------------------------------------------------------- layout


def _box_text(raw: str) -> str:
    """The lines of a box on one line: hyphenated words joined, spacing collapsed."""
    return _SPACES.sub(" ", _HYPHENATED.sub("", raw.strip())).strip()


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", text.casefold())


def _in_margin(box: Box, page: Page) -> bool:
    band = page.height * MARGIN_SHARE
    return box.y0 >= page.height - band or box.y1 <= band


def _furniture(pages: list[Page]) -> set[str]:
    """Keys (`_furniture_key`) of margin texts that come back on at least half of the pages."""
    seen = Counter(key for page in pages for key in {_furniture_key(b.text) for b in page.boxes if _in_margin(b, page)})
    needed = max(MIN_REPEAT_PAGES, (len(pages) + 1) // 2)
    return {key for key, n in seen.items() if n >= needed}


def _content(page: Page, furniture: set[str]) -> list[Box]:
    return [b for b in page.boxes if not (_in_margin(b, page) and (
        _furniture_key(b.text) in furniture or _PAGE_NUMBER.match(b.text)))]


def reading_order(boxes: Iterable[Box], width: float) -> list[Box]:
    """Boxes top to bottom in bands cut by wide boxes; in a band, left column, then right."""
    ordered: list[Box] = []
    band: list[Box] = []
    middle = width / 2

    def flush() -> None:
        ordered.extend(sorted(band, key=lambda b: (b.x0 >= middle, -b.y1, b.x0)))
        band.clear()

    for box in sorted(boxes, key=lambda b: (-b.y1, b.x0)):
        if box.x1 - box.x0 > width * WIDE_SHARE:
            flush()
            ordered.append(box)
        else:
            band.append(box)
    flush()
    return ordered


def join_pages(pages: list[list[str]]) -> tuple[str, tuple[int, ...]]:
    """(text, page start offsets) of pages given as their paragraphs in reading order."""
    text = ""
    starts: list[int] = []
    for paragraphs in pages:
        for i, paragraph in enumerate(paragraphs):
            if text:
                text += " " if _RUNS_ON.search(text) and paragraph[:1].islower() else "\n\n"
            if i == 0:
                starts.append(len(text))
            text += paragraph
        if not paragraphs:
            starts.append(len(text))
    return text, tuple(starts)


# --------------------------------------------------------------------------- pdfminer


def _pages(data: bytes) -> tuple[list[Page], dict[str, Any]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError

    try:
        parser = PDFParser(io.BytesIO(data))
        info = PDFDocument(parser).info
        pages = [
            Page(layout.width, layout.height, tuple(
                Box(_box_text(el.get_text()), el.x0, el.y0, el.x1, el.y1)
                for el in layout if isinstance(el, LTTextBox) and el.get_text().strip()))
            for layout in extract_pages(io.BytesIO(data), laparams=LAParams())
        ]
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise IngestError("encrypted PDF") from None
    except PDFSyntaxError as exc:
        raise IngestError(f"not a readable PDF ({exc})") from None
    return pages, (info[0] if info else {})


def _meta_text(value: Any) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        value = decode_text(value)
    return clean_line(value.replace("\x00", "")) if isinstance(value, str) else None


def _meta_date(value: str | None) -> tuple[Any, str | None]:
    m = _PDF_DATE.match(value or "")
    if not m:
        return None, None
    return parse_date("-".join(part for part in m.groups() if part))


def read(path: Path, data: bytes, registry: Registry) -> list[Report]:
    pages, info = _pages(data)
    furniture = _furniture(pages)
    paragraphs = [[b.text for b in reading_order(_content(p, furniture), p.width)] for p in pages]
    text, starts = join_pages(paragraphs)
    if not text.strip():
        raise IngestError("no text layer (scanned?)")
    author = _meta_text(info.get("Author"))
    published, precision = _meta_date(_meta_text(info.get("CreationDate")))
    if published is None:
        published, precision = _meta_date(_meta_text(info.get("ModDate")))
    return [document_report(path, text, registry, fmt="pdf", title=_meta_text(info.get("Title")), author=author,
                            published=published, precision=precision, pages=starts)]
