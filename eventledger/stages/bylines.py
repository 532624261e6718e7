"""Reading one line of a page's head that states when the page was published.

`read_date_line(line)` takes a short line such as "By Jane Doe | March 3, 2021 - 14:05",
"Friday, 03/05/2021", "Updated: 14:32 GMT, 21 November 2022", "12 Feb 24",
"2022-09-21T18:30:00Z" or "۱۴ آذر ۱۴۰۱ - ۱۰:۳۰" and returns the date it states, with the label
that introduced it ("published", "updated") and whether an author or source shares the line;
None when the line is anything else (a sentence, a headline, a menu). Where the line stands on
the page (under the headline, or above the site's menu) is `published`'s business.

The line is cut at its separators ("|", "·", "•", "—", "–", " - ") into parts: one part holds the
date, with an optional label, weekday and time (24-hour or AM/PM, before or after the date) and
time zone; every other part must be a time, a reading time ("5 min read"), page furniture
("Share") or a short credit ("By Jane Doe", "Example Wire"). Formats: "March 3, 2021",
"3rd March 2021", "12 Feb 24" (a two-digit year is in this century unless that is more than a
year ahead), ISO "2021-03-05" and "2021/03/05", numeric "03/05/2021", "07.11.2022", "3-5-21",
Solar Hijri "1401/08/15" and "28 Mordad 1402" (Persian digits and month names as well), and
"2021年3月5日".

A numeric date whose first two numbers are both at most 12 has two readings: day-month first
(the order of most of the world's press), then month-day. A weekday on the line keeps only the
readings it fits; `published` orders what is left by the rest of the text. Vocabulary comes from
calendars.toml (months, weekdays, Solar Hijri months) and bylines.toml (labels, furniture).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from eventledger.data import load_toml
from eventledger.stages.datevocab import ascii_digits, month_number, vocab, weekday_number
from eventledger.stages.jalali import jalali_to_gregorian
from eventledger.stages.scan import longest_first

MAX_LINE = 200  # characters: a longer line is a paragraph, not a date line
_CREDIT_WORDS = 8


@dataclass(frozen=True, slots=True)
class LineDate:
    """What a date line states: the date's `readings` (one, or two for an ambiguous numeric
    date, day-month first), the `label` before it ("published", "updated" or None) and whether
    a `credit` (an author or source) shares the line."""

    readings: tuple[dt.date, ...]
    label: str | None = None
    credit: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class _Patterns:
    dates: tuple[tuple[str, re.Pattern[str]], ...]  # (format, part pattern) in the order tried
    split: re.Pattern[str]
    time: re.Pattern[str]  # a part that is a time (and zone) only
    reading: re.Pattern[str]
    filler: re.Pattern[str]
    published: re.Pattern[str]
    updated: re.Pattern[str]
    persian_weekdays: dict[str, int]


def _words(words: list[str]) -> str:
    return longest_first(words)


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    v = vocab()
    table = load_toml("bylines.toml")
    full = [k for k in v.months if k.islower()]
    abbr = [k for k in v.months if not k.islower()]
    mon = rf"(?:(?i:{_words(full)})|{_words([*abbr, *(a.upper() for a in abbr)])})\b\.?"
    wfull = [k for k in v.weekdays if k.islower()]
    wabbr = [k for k in v.weekdays if not k.islower()]
    persian_wd = dict(table["persian_weekdays"])
    wd = (rf"(?P<wd>(?i:{_words(wfull)})\b|(?:{_words([*wabbr, *(a.upper() for a in wabbr)])})\b\.?"
          rf"|(?:{_words(list(persian_wd))})(?!\w))")
    jlatin = [k for k in v.jalali if k.isascii()]
    jfa = [k for k in v.jalali if not k.isascii()]
    jmon = rf"(?:\b(?:{_words(jlatin)})\b|(?<!\w)(?:{_words(jfa)})(?!\w))"
    labels = _words([*table["published_labels"], *table["updated_labels"]])
    time = (r"(?:\d{1,2}[:.h]\d\d(?:[:.]\d\d(?:\.\d+)?)?(?:\s*(?i:[ap]\.?\s?m\b\.?))?"
            r"|\d{1,2}\s*(?i:[ap]\.?\s?m\b\.?))")
    zone = (r"(?:Z\b|[A-Z]{2,5}(?:\s*[+\-−]\s*\d{1,2}(?::?\d\d)?)?\b|[+\-−]\d\d:?\d\d\b|\([^()\n]{1,30}\)"
            r"|(?i:[a-z]+\s+time\b))")
    clock = rf"{time}(?:\s*{zone})?"
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<y>\d{4}|['’]?\d\d)(?![\d:]|[.,]\d)"
    formats = {
        "mdy": rf"(?P<mon>{mon})\s+{day},?\s*{year}",
        "dmy": rf"{day}(?:\s+of)?[\s-]+(?P<mon>{mon}),?[\s-]+{year}",
        "ymd": r"(?P<y>\d{4})(?P<s>[-/.])(?P<m>[01]?\d)(?P=s)(?P<d>[0-3]?\d)(?!\d)",
        "num": r"(?P<a>[0-3]?\d)(?P<s>[-/.])(?P<b>[0-3]?\d)(?P=s)(?P<y>\d{4}|\d\d)(?!\d)",
        "jdmy": rf"{day}\s+(?P<jm>{jmon}),?\s*(?P<y>1[2-4]\d\d)(?!\d)",
        "jmdy": rf"(?P<jm>\b(?:{_words(jlatin)})\b)\s+{day},?\s+(?P<y>1[2-4]\d\d)(?!\d)",
        "cjk": r"(?P<y>\d{4})\s*年\s*(?P<m>[01]?\d)\s*月\s*(?P<d>[0-3]?\d)\s*日",
    }
    by = r"(?P<by>(?i:(?:(?:posted|written|published|reported)\s+)?by\s+[^\W\d_][^\d|,:;!?]{0,50}?\s*(?:,|\bon\b)))\s*"
    head = (rf"^\s*(?:{by})?(?:(?P<label>(?i:{labels}))\b\s*(?i:on|at)?\s*[:：]?\s*)?(?:{clock}\s*[,،]?\s*)?"
            rf"(?:{wd}\s*[,،]?\s*)?(?i:the\s+)?")
    tail = (rf"(?:\s*[,،]?\s*(?P<wd2>(?i:{_words(wfull)})\b))?(?:\s*(?:[,،]|(?i:\bat\b)|T)?\s*{clock})?"
            rf"(?:\s*{zone})?(?:\s+(?i:by|in)\s+(?P<trail>[^\W\d_][^\d|!?;]{{0,60}}))?\s*$")
    dates = tuple((name, re.compile(head + f"(?P<date>{body})" + tail)) for name, body in formats.items())
    filler = _words(table["fillers"])
    return _Patterns(
        dates=dates,
        split=re.compile(r"\s*[|·•—–]\s*|\s+-+\s+|\s+/\s+"),
        time=re.compile(rf"^\s*(?i:at\s+)?{clock}\s*$"),
        reading=re.compile(rf"^\s*\d{{1,3}}\s*(?i:{_words(table['reading_time'])})\b\.?(?:\s*(?i:read))?\s*$"),
        filler=re.compile(rf"^\s*(?i:{filler})\b(?:\s*\(\d+\))?\s*$"),
        published=re.compile(rf"^(?i:{_words(table['published_labels'])})$"),
        updated=re.compile(rf"^(?i:{_words(table['updated_labels'])})$"),
        persian_weekdays=persian_wd,
    )


# --------------------------------------------------------------------------- dates


def _full_year(raw: str, today: dt.date) -> int:
    """A year as written: "2021", "21" or "'21" (this century unless more than a year ahead)."""
    digits = raw.lstrip("'’")
    if len(digits) == 4:
        return int(digits)
    year = 2000 + int(digits)
    return year if year <= today.year + 1 else year - 100


def _day(y: int, m: int, d: int, jalali: bool = False) -> dt.date | None:
    if jalali:
        return jalali_to_gregorian(y, m, d)
    if not 1600 <= y <= 2099:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _readings(fmt: str, m: re.Match[str], today: dt.date) -> tuple[dt.date, ...]:
    """The dates a matched part may mean, day-month first for an ambiguous numeric one."""
    y = _full_year(m.group("y"), today)
    if fmt in ("mdy", "dmy"):
        month = month_number(m.group("mon"))
        found = _day(y, month, int(m.group("d"))) if month else None
        return (found,) if found else ()
    if fmt in ("jdmy", "jmdy"):
        jm = vocab().jalali.get(m.group("jm"))
        found = _day(y, jm, int(m.group("d")), jalali=True) if jm else None
        return (found,) if found else ()
    if fmt in ("ymd", "cjk"):
        found = _day(y, int(m.group("m")), int(m.group("d")), jalali=1200 <= y < 1500)
        return (found,) if found else ()
    a, b = int(m.group("a")), int(m.group("b"))
    if 1200 <= y < 1500:  # a Solar Hijri date is written day first
        found = _day(y, b, a, jalali=True)
        return (found,) if found else ()
    orders = [(b, a), (a, b)] if a != b else [(b, a)]
    return tuple(found for month, d in orders if (found := _day(y, month, d)) is not None)


def _weekday(m: re.Match[str], pats: _Patterns) -> int | None:
    word = m.group("wd") or m.group("wd2")
    if not word:
        return None
    found = pats.persian_weekdays.get(word)
    return found if found is not None else weekday_number(word)


def _date_part(part: str, pats: _Patterns, today: dt.date) -> LineDate | None:
    """The date of one part of a line, also after a credit and a comma ("Hengaw, 8 March 2025")."""
    found = _plain_date_part(part, pats, today)
    if found is not None:
        return found
    for comma in re.finditer(r",\s*", part):
        if _is_credit(part[:comma.start()]) and (found := _plain_date_part(part[comma.end():], pats, today)):
            return LineDate(found.readings, found.label, True, found.numeric)
    return None


def _plain_date_part(part: str, pats: _Patterns, today: dt.date) -> LineDate | None:
    for fmt, regex in pats.dates:
        m = regex.match(part)
        if m is None or (m.group("trail") and not _is_credit(m.group("trail"), by_word=True)):
            continue
        readings = _readings(fmt, m, today)
        wd = _weekday(m, pats)
        if wd is not None:
            readings = tuple(r for r in readings if r.weekday() == wd) or readings
        if not readings:
            return None
        label = m.group("label")
        kind = None if not label else "updated" if pats.updated.match(" ".join(label.split())) else "published"
        return LineDate(readings, kind, bool(m.group("trail") or m.group("by")), fmt == "num")
    return None


# --------------------------------------------------------------------------- the rest of the line


_BY = re.compile(r"^\s*(?i:(?:(?:posted|written|reported|published)\s+)?by|authors?|reporter|writer|source|via)"
                 r"\s*:?\s+")


def _is_credit(part: str, by_word: bool = False) -> bool:
    """A short author or source: "By Jane Doe", "Posted by: Staff", "Example Wire", "admin in
    Human rights"."""
    if (by := _BY.match(part)) is not None:
        part, by_word = part[by.end():], True
    words = part.split()
    if not words or len(words) > _CREDIT_WORDS or re.search(r"[\d!?;:]|\.\s|\.$", part.rstrip(".") + " "):
        return False
    return by_word or words[0][0].isupper() or words[0].lower() in ("by", "from")


def _is_furniture(part: str, pats: _Patterns) -> bool:
    return bool(pats.time.match(part) or pats.reading.match(part) or pats.filler.match(part))


def read_date_line(line: str, today: dt.date | None = None) -> LineDate | None:
    """The date a page-head line states, or None when the line is not a date line."""
    text = ascii_digits(line).strip()
    if not text or len(text) > MAX_LINE or not any(c.isdigit() for c in text):
        return None
    pats = _patterns()
    today = today or dt.date.today()
    found: list[LineDate] = []
    credit = False
    label: str | None = None  # a label standing alone before the date ("Published | March 3, 2021")
    for part in pats.split.split(text):
        if not part.strip():
            continue
        date = _date_part(part, pats, today)
        if date is not None:
            if label and date.label is None:
                date = LineDate(date.readings, label, date.credit, date.numeric)
            found.append(date)
        elif pats.published.match(" ".join(part.strip(" :").split())):
            label = "published"
            continue
        elif pats.updated.match(" ".join(part.strip(" :").split())):
            label = "updated"
            continue
        elif _is_credit(part):
            credit = True
        elif not _is_furniture(part, pats):
            return None
        label = None
    if not found:
        return None
    best = next((d for d in found if d.label == "published"), None) or next(
        (d for d in found if d.label is None), found[0])
    return LineDate(best.readings, best.label, credit or best.credit, best.numeric)


# --------------------------------------------------------------------------- menus


@lru_cache(maxsize=1)
def _menu() -> re.Pattern[str]:
    words = _words(load_toml("bylines.toml")["menu_words"])
    return re.compile(rf"^\W*(?i:{words})(?:\s*$|\s*[|>»/›•·:]|(?=[A-Z])|\s+(?=[A-Z]))")


_ITEMS = re.compile(r"\s*[|•·]\s*")
_CRUMBS = re.compile(r"\s*[>»›]\s*")
_GLUED = re.compile(r"[a-z][A-Z]")


def is_menu_line(line: str) -> bool:
    """A site's menu or breadcrumb: "Home | News | World", "Middle East > Iran", "HomeNewsIran",
    "Menu", "News | World | Iran | Sport"."""
    text = line.strip()
    if not text:
        return False
    if _menu().match(text) or len(_GLUED.findall(text)) >= 3:
        return True
    for splitter, least in ((_ITEMS, 3), (_CRUMBS, 2)):
        items = splitter.split(text)
        if len(items) >= least and all(1 <= len(item.split()) <= 3 for item in items):
            return True
    return False
