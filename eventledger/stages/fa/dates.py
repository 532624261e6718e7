"""Solar Hijri, Gregorian and relative dates in Persian sentences, resolved against the publication date.

Forms: "۱۸ دی ۱۴۰۴", "۱۸ دی‌ماه" (the year that puts it on or before publication, or the one its
weekday fits), "۱۴۰۴/۱۰/۱۸", "۱۰ تا ۱۲ دی" (a span), "دی ماه ۱۴۰۴" (a month), "سال ۱۴۰۳" (a year),
"۸ ژانویه ۲۰۲۶", "روز شنبه" / "شامگاه جمعه" / "سه‌شنبه هفته گذشته" (the last such day on or
before publication), "بامداد امروز", "دیروز", "روز گذشته". Patterns run on the folded sentence
(`normalise.fold`: same length), so match offsets are offsets in the original.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from eventledger.models import DateMention
from eventledger.stages.fa.normalise import fold, key
from eventledger.stages.fa.vocabulary import load as load_vocabulary
from eventledger.stages.jalali import jalali_to_gregorian, jalali_year
from eventledger.stages.scan import longest_first

JALALI_YEARS = range(1300, 1500)


@dataclass(frozen=True)
class DateWords:
    months: dict[str, int]
    gregorian: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    full: re.Pattern[str]
    span: re.Pattern[str]
    numeric: re.Pattern[str]
    month_year: re.Pattern[str]
    year: re.Pattern[str]
    greg: re.Pattern[str]
    weekday: re.Pattern[str]
    rel: re.Pattern[str]
    month_alone: re.Pattern[str]
    month_any: re.Pattern[str]  # a month name: the pre-test of the patterns that need one
    greg_any: re.Pattern[str]
    any: re.Pattern[str]  # a digit or a weekday or relative day word: a quick pre-test


@lru_cache(maxsize=1)
def date_words() -> DateWords:
    cfg = load_vocabulary().raw["dates"]
    months = {key(k): v for k, v in cfg["months"].items()}
    greg = {key(k): v for k, v in cfg["gregorian_months"].items()}
    weekdays = {" ".join(key(k).split()): v for k, v in cfg["weekdays"].items()}
    relative = {key(k): v for k, v in cfg["relative"].items()}
    m, g = longest_first(months), longest_first(greg)
    wd, rel, part = longest_first(weekdays), longest_first(relative), longest_first(key(p) for p in cfg["day_parts"])
    year = r"(?:\s+(?:سال\s+)?(\d{4})(?!\d))?"
    return DateWords(
        months, greg, weekdays, relative,
        full=re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:ام|م)?\s+({m})(?:\s*ماه)?\b{year}"),
        span=re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:تا|الی|-|–)\s*(\d{{1,2}})\s+({m})(?:\s*ماه)?\b{year}"),
        numeric=re.compile(r"(?<![\d/])(1[34]\d\d)/(\d{1,2})/(\d{1,2})(?![\d/])"),
        month_year=re.compile(rf"(?<![\d\w])({m})(?:\s*ماه)?\s+(?:سال\s+)?(\d{{4}})(?!\d)"),
        year=re.compile(r"\bسال\s+(\d{4})(?!\d)"),
        greg=re.compile(rf"(?<!\d)(\d{{1,2}})\s+({g})\s+(\d{{4}})(?!\d)"),
        weekday=re.compile(rf"(?:\b(?:{part})\s+)?(?:\bروز\s+)?\b({wd})\b(?:\s+(?:هفته\s+)?(گذشته|قبل|پیش))?"),
        rel=re.compile(rf"(?:\b(?:{part})\s+)?(?:\bروز\s+)?\b({rel})\b"),
        month_alone=re.compile(rf"\b({m})\s*ماه\b"),
        month_any=re.compile(rf"\b(?:{m})\b"),
        greg_any=re.compile(rf"\d\s+(?:{g})\b"),
        any=re.compile(rf"\d|\b(?:{wd}|{rel})\b|ماه"),
    )


def _weekday_before(text: str, at: int, dw: DateWords) -> int | None:
    """The weekday named right before position `at` ("روز پنجشنبه ۲۵ دی"), if any."""
    window = text[max(0, at - 16):at]
    found = None
    for m in dw.weekday.finditer(window):
        found = dw.weekdays.get(" ".join(m.group(1).split()))
    return found


def _day_month(y: int | None, month: int, day: int, published: dt.date | None, weekday: int | None) -> dt.date | None:
    if y is not None:
        return jalali_to_gregorian(y, month, day)
    if published is None:
        return None
    this = jalali_year(published)
    days = (jalali_to_gregorian(this, month, day), jalali_to_gregorian(this - 1, month, day))
    options = [d for d in days if d and d <= published]
    if weekday is not None:
        options = [d for d in options if d.weekday() == weekday] or options
    return options[0] if options else None


def find(text: str, offset: int, published: dt.date | None) -> list[DateMention]:
    """The dates of one Persian sentence (`text` starts at `offset` in the report)."""
    dw = date_words()
    folded = fold(text)
    if dw.any.search(folded) is None:
        return []
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []

    def add(a: int, b: int, start: dt.date | None, end: dt.date | None, precision: str, role: str = "point") -> None:
        if start is None or any(a < y and x < b for x, y in taken):
            return
        taken.append((a, b))
        out.append(DateMention(a + offset, b + offset, text[a:b], start, end, precision, role, 0.8))

    months = dw.month_any.search(folded) is not None
    for m in dw.span.finditer(folded) if months else ():
        y = int(m.group(4)) if m.group(4) else None
        month = dw.months[" ".join(m.group(3).split())]
        first = _day_month(y, month, int(m.group(1)), published, None)
        last = _day_month(y, month, int(m.group(2)), published, None) if first else None
        if first and last and y is None and last < first:
            last = _day_month(jalali_year(first), month, int(m.group(2)), None, None)
        if first and last and first <= last:
            add(m.start(), m.end(), first, last, "span", "range")
    for m in dw.full.finditer(folded) if months else ():
        y = int(m.group(3)) if m.group(3) else None
        if y is not None and y not in JALALI_YEARS:
            y = None
        day = _day_month(y, dw.months[" ".join(m.group(2).split())], int(m.group(1)), published,
                         _weekday_before(folded, m.start(), dw))
        add(m.start(), m.end(), day, day, "day")
    for m in dw.numeric.finditer(folded) if "/" in folded else ():
        day = jalali_to_gregorian(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        add(m.start(), m.end(), day, day, "day")
    for m in dw.greg.finditer(folded) if dw.greg_any.search(folded) else ():
        try:
            day = dt.date(int(m.group(3)), dw.gregorian[" ".join(m.group(2).split())], int(m.group(1)))
        except ValueError:
            continue
        add(m.start(), m.end(), day, day, "day")
    for m in dw.month_year.finditer(folded) if months else ():
        y, month = int(m.group(2)), dw.months[" ".join(m.group(1).split())]
        if y in JALALI_YEARS:
            first = jalali_to_gregorian(y, month, 1)
            nxt = jalali_to_gregorian(y + (month == 12), month % 12 + 1, 1)
            add(m.start(), m.end(), first, nxt - dt.timedelta(days=1) if nxt else None, "month")
    for m in dw.month_alone.finditer(folded) if months else ():
        if published is None:
            break
        month = dw.months[" ".join(m.group(1).split())]
        first = _day_month(None, month, 1, published, None)
        if first is not None:
            y = jalali_year(first)
            nxt = jalali_to_gregorian(y + (month == 12), month % 12 + 1, 1)
            add(m.start(), m.end(), first, min(nxt - dt.timedelta(days=1), published) if nxt else None, "month")
    for m in dw.year.finditer(folded) if "سال" in folded else ():
        y = int(m.group(1))
        if y in JALALI_YEARS:
            first, nxt = jalali_to_gregorian(y, 1, 1), jalali_to_gregorian(y + 1, 1, 1)
            add(m.start(), m.end(), first, nxt - dt.timedelta(days=1) if first and nxt else None, "year")
        elif 1900 <= y <= 2100:
            add(m.start(), m.end(), dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    if published is not None:
        _relative(folded, dw, published, add)
    return sorted(out, key=lambda d: d.start)


def _relative(folded: str, dw: DateWords, published: dt.date, add: Callable[..., None]) -> None:
    for m in dw.rel.finditer(folded):
        day = published - dt.timedelta(days=dw.relative[" ".join(m.group(1).split())])
        add(m.start(), m.end(), day, day, "day", "relative")
    for m in dw.weekday.finditer(folded):
        if re.match(r"\s*\d", folded[m.end():m.end() + 4]):
            continue  # "شنبه ۱۸ دی": the date says which day; the weekday only checked its year
        wanted = dw.weekdays[" ".join(m.group(1).split())]
        back = (published.weekday() - wanted) % 7
        if m.group(2):  # "هفته گذشته": last week's
            back = back or 7
        day = published - dt.timedelta(days=back)
        add(m.start(), m.end(), day, day, "day", "relative")
