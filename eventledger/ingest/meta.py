"""Small helpers shared by the readers: metadata dates, language, content ids, titles."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

# "2023-05-14", "2023-05-14T09:30:00Z", "2023-05", "2023"; also with "/" or "." separators.
_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?=$|[T\s])")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_SPACES = re.compile(r"\s+")
_LANGUAGE_SAMPLE = 20_000


def parse_date(value: object) -> tuple[dt.date | None, str | None]:
    """(date, precision) of a metadata date: "day", "month" (YYYY-MM) or "year" (YYYY).

    Only ISO-like values are read (metadata, not prose); anything else gives (None, None).
    A partial date is anchored on the first day of its month or year.
    """
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    if isinstance(value, int) and 1000 <= value <= 9999:
        return dt.date(value, 1, 1), "year"
    if not isinstance(value, str):
        return None, None
    m = _ISO.match(value)
    if not m:
        return None, None
    year, month, day = m.groups()
    try:
        if month and day:
            return dt.date(int(year), int(month), int(day)), "day"
        if month:
            return dt.date(int(year), int(month), 1), "month"
        return dt.date(int(year), 1, 1), "year"
    except ValueError:
        return None, None


def language_of(text: str) -> str:
    """"fa" when Arabic-script letters outnumber Latin ones, else "en"."""
    if text.isascii():
        return "en"
    sample = text[:_LANGUAGE_SAMPLE]
    if not _ARABIC_SCRIPT.search(sample):
        return "en"
    arabic = len(_ARABIC_SCRIPT.findall(sample))
    return "fa" if arabic > len(_LATIN.findall(sample)) else "en"


def content_id(text: str) -> str:
    """A stable id for a document that has none: the first 16 hex digits of sha1(text)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def clean_line(text: str | None) -> str | None:
    """`text` on one line with single spaces, or None when nothing is left."""
    if not text:
        return None
    line = _SPACES.sub(" ", text).strip()
    return line or None
