"""Stage `dates.v1`: date expressions resolved against the publication date.

Candidates come from `datetext.scan` (regular expressions over the whole text, compiled once);
each is resolved here with calendar arithmetic, never with a date parser:

* explicit dates ("June 4, 2020", "4 June 2020", "2020-06-04"), months, seasons, years in a
  date-like context ("in 2019", "the 2022 uprising"; a year inside a name such as "Free Iran
  2023" gets year precision and low confidence), decades, and ranges of them;
* a month and day without a year: the most recent such day on or before the publication date
  (on or after it when the sentence speaks of the future: "will be held on July 17"); a
  weekday given with it is a check (confidence drops if it does not fit);
* weekdays ("on Sunday": the most recent Sunday on or before publication) and weekday ranges
  ("Monday through Wednesday" ends on the most recent Wednesday);
* relative expressions: "yesterday", "last week" (the previous Monday-Sunday), "last month",
  "last year" (the previous calendar month/year), "this week/month/year" (from its first day
  to publication), "in the past few days" / "in recent days" (publication - 7 .. publication
  - 1), "in the last N days" (publication - N .. publication - 1, not counting the day of
  publication), "in the past N weeks/months/years" (back to publication), "N days ago",
  "recently" (the previous 30 days, month precision);
* open periods: "since April 21" (role since, no end), "as of April 2023" (role until);
* day counts of named periods ("the uprising's 262nd day, Sunday": first day + 261 days);
* anniversaries and holidays from calendars.toml, in the Solar Hijri calendar where it fixes
  them (jdatetime), and dates written in that calendar ("18 Dey 1404", "۱۴۰۲/۰۵/۲۸").

Precision follows the codebook: day; span (a range of at most 31 days); month (up to about
four months); year (longer).

Implausible dates are a problem, not a date (`plausible`): a publication date before 1900 or
more than a year after today is not used (the report is read as undated, and a `Problem` says
so); a mention before 1900 or more than a year after publication (after today, undated) is
left out, and one `Problem` lists those that could have dated an event (confidence 0.5 or more).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import NamedTuple

import jdatetime

from eventledger.models import Analysis, DateMention, Problem
from eventledger.stages.datetext import Atom, CalendarEvent, event_by_key, header_spans, scan, vocab
from eventledger.stages.jalali import jalali_month_span, jalali_to_gregorian, jalali_year

ONE_DAY = dt.timedelta(days=1)
EARLIEST = dt.date(1900, 1, 1)  # an earlier date is no date of a report's events
FUTURE_LIMIT = dt.timedelta(days=366)  # nor one more than a year after the report
STAGE = "dates.v1"
FUTURE_REACH = dt.timedelta(days=120)
NEARBY = 400  # characters: how far back "the same day" may look for its day
_RANK = {"day": 0, "span": 1, "month": 2, "year": 3}
_UNIT_FLOOR = {"month": "month", "year": "year", "decade": "year"}
_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_DECADE_PARTS = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}


class Resolved(NamedTuple):
    """What an expression resolves to; `end` is None for an open period ("since ...")."""

    start: dt.date
    end: dt.date | None
    precision: str
    role: str = "point"
    confidence: float = 0.8


# --------------------------------------------------------------------------- calendar helpers


def month_end(y: int, m: int) -> dt.date:
    return (dt.date(y + m // 12, m % 12 + 1, 1)) - ONE_DAY


def shift_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def shift_months(y: int, m: int, months: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + months
    return total // 12, total % 12 + 1


def precision_of(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    if days <= 1:
        return "day"
    if start.day == 1 and end == month_end(start.year, start.month):
        return "month"
    if days <= 31:
        return "span"
    return "month" if days <= 124 else "year"


def coarser(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b


def pick(candidates: list[dt.date], anchor: dt.date, future: bool) -> dt.date | None:
    """The latest candidate on or before `anchor`.

    When the sentence looks ahead (`future`), the earliest on or after it instead, unless that
    is more than FUTURE_REACH away: "ahead of the March 8 rallies" in a report of March 10
    speaks of the past.
    """
    if future:
        ahead = min((c for c in candidates if c >= anchor), default=None)
        if ahead is not None and ahead - anchor <= FUTURE_REACH:
            return ahead
    return max((c for c in candidates if c <= anchor), default=None)


def recent_day(m: int, d: int, anchor: dt.date, future: bool, strict: bool = False) -> dt.date | None:
    """The month-day nearest to `anchor` on its past side (future side when `future`)."""
    out = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            out.append(dt.date(y, m, d))
        except ValueError:
            continue
    if strict:
        out = [c for c in out if c != anchor]
    return pick(out, anchor, future)


def recent_weekday(wd: int, anchor: dt.date, future: bool, strict: bool = False) -> dt.date:
    if future:
        delta = (wd - anchor.weekday()) % 7 or (7 if strict else 0)
        return anchor + dt.timedelta(days=delta)
    delta = (anchor.weekday() - wd) % 7 or (7 if strict else 0)
    return anchor - dt.timedelta(days=delta)


# --------------------------------------------------------------------------- explicit forms


def _date(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    assert atom.m is not None and atom.d is not None
    if atom.jalali:
        return _jalali_date(atom, anchor, future)
    if atom.y is not None:
        day = dt.date(atom.y, atom.m, atom.d)
        confidence = 0.95
    elif anchor is None:
        return None
    else:
        found = recent_day(atom.m, atom.d, anchor, future)
        if found is None:
            return None
        day, confidence = found, 0.85
    if atom.wd is not None and day.weekday() != atom.wd:
        confidence = 0.5
    return Resolved(day, day, "day", confidence=confidence)


def _jalali_date(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    assert atom.m is not None and atom.d is not None
    if atom.y is not None:
        day = jalali_to_gregorian(atom.y, atom.m, atom.d)
        return Resolved(day, day, "day", confidence=0.95) if day else None
    if anchor is None:
        return None
    jy = jalali_year(anchor)
    days = [g for y in (jy - 1, jy, jy + 1) if (g := jalali_to_gregorian(y, atom.m, atom.d))]
    day = pick(days, anchor, future)
    return Resolved(day, day, "day", confidence=0.8) if day else None


def _month(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    assert atom.m is not None
    if atom.jalali:
        span = jalali_month_span(atom.y, atom.m) if atom.y else None
        return Resolved(span[0], span[1], "month", confidence=0.9) if span else None
    y, confidence = atom.y, 0.9
    if y is None:
        if anchor is None:
            return None
        y, confidence = _month_year(atom, anchor, future), 0.75
    start, end = dt.date(y, atom.m, 1), month_end(y, atom.m)
    if atom.part:
        lo, hi = _PARTS[atom.part]
        start, end = start.replace(day=lo), min(end, start.replace(day=min(hi, end.day)))
    if atom.y is None and anchor is not None and not future and start <= anchor < end:
        end = anchor
    precision = "month" if not atom.part else precision_of(start, end)
    return Resolved(start, end, precision, confidence=confidence)


def _month_year(atom: Atom, anchor: dt.date, future: bool) -> int:
    assert atom.m is not None
    if atom.mode == "next" or future:
        return anchor.year if atom.m > anchor.month or (atom.m == anchor.month and atom.mode != "next") \
            else anchor.year + 1
    if atom.mode == "last":
        return anchor.year if atom.m < anchor.month else anchor.year - 1
    return anchor.year if atom.m <= anchor.month else anchor.year - 1


def _season(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    assert atom.y is not None and atom.unit is not None
    m1, d1, m2, d2 = vocab().seasons[atom.unit]
    start = dt.date(atom.y, m1, d1)
    end_year = atom.y + 1 if m2 < m1 else atom.y
    last = month_end(end_year, m2)
    end = last if m2 == 2 else last.replace(day=min(d2, last.day))
    return Resolved(start, end, coarser(precision_of(start, end), "month"), confidence=0.8)


def _year(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    assert atom.y is not None
    if atom.jalali:
        first, last = jalali_to_gregorian(atom.y, 1, 1), jalali_to_gregorian(atom.y + 1, 1, 1)
        return Resolved(first, last - ONE_DAY, "year", confidence=0.8) if first and last else None
    start, end = dt.date(atom.y, 1, 1), dt.date(atom.y, 12, 31)
    if atom.part in _YEAR_PARTS:
        lo, hi = _YEAR_PARTS[atom.part]
        start, end = dt.date(atom.y, lo, 1), month_end(atom.y, hi)
    confidence = 0.3 if atom.weak else 0.8
    return Resolved(start, end, coarser(precision_of(start, end), "month"), confidence=confidence)


def _decade(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    assert atom.y is not None
    lo, hi = _DECADE_PARTS.get(atom.part or "", (0, 9))
    return Resolved(dt.date(atom.y + lo, 1, 1), dt.date(atom.y + hi, 12, 31), "year", confidence=0.8)


# --------------------------------------------------------------------------- relative forms


def _weekday(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    if anchor is None or atom.wd is None:
        return None
    fut = future or atom.mode == "next"
    day = recent_weekday(atom.wd, anchor, fut, strict=atom.mode in ("last", "next"))
    return Resolved(day, day, "day", confidence=0.7)


def _relative(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    if anchor is None:
        return None
    handler = {"offset": _offset, "window": _window, "ago": _ago, "recently": _recently}.get(atom.mode or "")
    found = handler(atom, anchor) if handler else _calendar_unit(atom, anchor, future or atom.mode == "next")
    return found._replace(role="relative") if found else None


def _offset(atom: Atom, anchor: dt.date) -> Resolved:
    day = anchor - dt.timedelta(days=atom.n or 0)
    return Resolved(day, day, "day", confidence=0.8 if atom.n else 0.6)


def _window(atom: Atom, anchor: dt.date) -> Resolved | None:
    unit = atom.unit or "day"
    recent = vocab().recent
    if unit == "hour":
        return Resolved(anchor - ONE_DAY, anchor, "span", confidence=0.7)
    if atom.n is None:
        days = recent.get(unit + "s", 7)
        start = anchor - dt.timedelta(days=days)
        end = anchor - ONE_DAY if unit == "day" else anchor
    elif unit == "day":
        start, end = anchor - dt.timedelta(days=atom.n), anchor - ONE_DAY
    elif unit == "week":
        start, end = anchor - dt.timedelta(days=7 * atom.n), anchor
    elif unit == "month":
        y, m = shift_months(anchor.year, anchor.month, -atom.n)
        start, end = dt.date(y, m, min(anchor.day, month_end(y, m).day)), anchor
    else:
        start, end = shift_years(anchor, -atom.n * (10 if unit == "decade" else 1)), anchor
    precision = coarser(precision_of(start, end), _UNIT_FLOOR.get(unit, "day"))
    return Resolved(start, end, precision, confidence=0.7 if atom.n else 0.6)


def _ago(atom: Atom, anchor: dt.date) -> Resolved | None:
    n, unit = atom.n or 1, atom.unit or "day"
    if unit == "day":
        day = anchor - dt.timedelta(days=n)
        return Resolved(day, day, "day", confidence=0.75)
    if unit == "week":
        mid = anchor - dt.timedelta(days=7 * n)
        return Resolved(mid - dt.timedelta(days=3), mid + dt.timedelta(days=3), "span", confidence=0.6)
    if unit == "month":
        y, m = shift_months(anchor.year, anchor.month, -n)
        return Resolved(dt.date(y, m, 1), month_end(y, m), "month", confidence=0.6)
    y = anchor.year - n * (10 if unit == "decade" else 1)
    return Resolved(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", confidence=0.6)


def _recently(atom: Atom, anchor: dt.date) -> Resolved:
    days = vocab().recent.get("recently", 30)
    return Resolved(anchor - dt.timedelta(days=days), anchor, "month", confidence=0.4)


def _calendar_unit(atom: Atom, anchor: dt.date, future: bool) -> Resolved | None:
    step = {"last": -1, "this": 0, "next": 1}.get(atom.mode or "", 0)
    unit = atom.unit
    if unit == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(days=7 * step)
        start, end = monday, monday + dt.timedelta(days=6)
    elif unit == "weekend":
        saturday = recent_weekday(5, anchor, future=step > 0, strict=True)
        start, end = saturday, saturday + ONE_DAY
    elif unit == "month":
        y, m = shift_months(anchor.year, anchor.month, step)
        start, end = dt.date(y, m, 1), month_end(y, m)
    elif unit == "year":
        start, end = dt.date(anchor.year + step, 1, 1), dt.date(anchor.year + step, 12, 31)
    else:
        return None
    if step == 0 and not future:
        end = min(end, anchor)
    elif step == 0 and future:
        start = max(start, anchor)
    precision = coarser(precision_of(start, end), _UNIT_FLOOR.get(unit or "", "day"))
    return Resolved(start, end, precision, confidence=0.7)


# --------------------------------------------------------------------------- named events


def occurrence(event: CalendarEvent, year: int) -> dt.date | None:
    """The day `event` recurs in Gregorian `year` (its Solar Hijri date where it follows it)."""
    if event.last_weekday_before is not None and event.before_jalali_md:
        limit = _jalali_in_year(event.before_jalali_md, year)
        if limit is None:
            return None
        last = limit - dt.timedelta(days=(limit.weekday() - event.last_weekday_before) % 7 or 7)
        return last + dt.timedelta(days=event.offset_days)
    if event.jalali_md:
        return _jalali_in_year(event.jalali_md, year)
    if event.gregorian_md:
        return dt.date(year, *event.gregorian_md)
    if event.day is None:
        return None
    if event.anniversary == "jalali":
        j = jdatetime.date.fromgregorian(date=event.day)
        return _jalali_in_year((j.month, j.day), year)
    return shift_years(event.day, year - event.day.year)


def _jalali_in_year(md: tuple[int, int], year: int) -> dt.date | None:
    """The Gregorian date of Solar Hijri month-day `md` that falls in Gregorian `year`."""
    for jy in (year - 622, year - 621):
        day = jalali_to_gregorian(jy, md[0], md[1])
        if day is not None and day.year == year:
            return day
    return None


def _generic_event(anchor: dt.date | None, min_age_days: int = 0) -> CalendarEvent | None:
    """The latest counted period (an uprising) that began at least `min_age_days` before."""
    if anchor is None:
        return None
    limit = anchor - dt.timedelta(days=min_age_days)
    found = [e for e in vocab().events if e.counted and e.day and e.day <= limit]
    return max(found, key=lambda e: e.day or dt.date.min, default=None)


def _event(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    if atom.key == "generic":
        event = _generic_event(anchor, 200 if atom.mode == "anniversary" else 0)
    else:
        event = event_by_key(atom.key or "")
    if event is None:
        return None
    if atom.mode == "anniversary":
        return _anniversary(event, atom.n, anchor, future)
    if atom.mode == "start":
        return Resolved(event.day, event.day, "day", confidence=0.8) if event.day else None
    if event.kind == "holiday" or event.day is None:
        return _anniversary(event, None, anchor, future)
    first, last = event.span or (event.day, event.day)
    return Resolved(first, last, precision_of(first, last), confidence=0.8)


def _anniversary(event: CalendarEvent, n: int | None, anchor: dt.date | None, future: bool) -> Resolved | None:
    if event.anniversary == "span" and event.span:
        return _span_anniversary(event.span, n, anchor, future)
    if n is not None and event.day is not None:
        day = occurrence(event, event.day.year + n)
    elif anchor is None:
        return None
    else:
        years = (anchor.year - 1, anchor.year, anchor.year + 1)
        days = [d for y in years if (d := occurrence(event, y)) and (event.day is None or d > event.day)]
        day = pick(days, anchor, future)
    return Resolved(day, day, "day", "anniversary", 0.8) if day else None


def _span_anniversary(span: tuple[dt.date, dt.date], n: int | None, anchor: dt.date | None,
                      future: bool) -> Resolved | None:
    if n is None:
        if anchor is None:
            return None
        starts = [shift_years(span[0], y - span[0].year) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
        first = pick([s for s in starts if s > span[0]], anchor, future)
        if first is None:
            return None
        n = first.year - span[0].year
    start, end = shift_years(span[0], n), shift_years(span[1], n)
    return Resolved(start, end, coarser(precision_of(start, end), "month"), "anniversary", 0.6)


def _period_day(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    if atom.n is None:
        return None
    if atom.key and atom.key != "generic":
        event = event_by_key(atom.key)
        events = [event] if event and event.day else []
    else:
        events = [e for e in vocab().events if e.counted and e.day]
    options = [(e.day + dt.timedelta(days=atom.n - (0 if e.kind == "death" else 1)), e) for e in events if e.day]
    if anchor is not None:
        options = [(d, e) for d, e in options if d <= anchor + ONE_DAY]
        if atom.key == "generic":
            options = [(d, e) for d, e in options if (anchor - d).days <= 150]
    fits = [(d, e) for d, e in options if atom.wd is None or d.weekday() == atom.wd]
    if anchor is None and atom.key == "generic" and len(fits) != 1:
        return None
    chosen = max(fits or options, key=lambda o: o[1].day or dt.date.min, default=None)
    if chosen is None:
        return None
    confidence = 0.85 if fits else 0.4
    return Resolved(chosen[0], chosen[0], "day", "period_day", confidence)


# --------------------------------------------------------------------------- ranges


def _has_year(atom: Atom) -> bool:
    return atom.kind in ("year", "decade", "season") or atom.y is not None


def _range(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    a, b = atom.sub
    ra = _single(a, anchor, future) if _has_year(a) else None
    if _has_year(b):
        rb = _single(b, anchor, future)
    elif ra is not None:
        rb = _single(b, ra.start, True)
    else:
        rb = _single(b, anchor, future)
    if rb is None:
        return None
    if ra is None:
        ra = _single(a, rb.end or rb.start, False)
    if ra is None:
        return None
    start, end = ra.start, rb.end or rb.start
    if end < start:
        return None
    precision = coarser(precision_of(start, end), coarser(ra.precision, rb.precision))
    if precision == "day":
        precision = "span" if end > start else "day"
    return Resolved(start, end, precision, "range", min(ra.confidence, rb.confidence))


# --------------------------------------------------------------------------- dispatch

_HANDLERS = {
    "date": _date, "month": _month, "season": _season, "year": _year, "decade": _decade,
    "weekday": _weekday, "relative": _relative, "event": _event, "period_day": _period_day,
    "range": _range,
}


def _single(atom: Atom, anchor: dt.date | None, future: bool) -> Resolved | None:
    handler = _HANDLERS.get(atom.kind)
    return handler(atom, anchor, future) if handler else None


def resolve_atom(atom: Atom, anchor: dt.date | None, previous: list[DateMention] | None = None) -> Resolved | None:
    """Resolve one scanned expression; `previous` are the mentions before it (same_day, anniv_ref)."""
    previous = previous or []
    if atom.kind == "same_day":
        return _next_to_previous(atom, previous)
    if atom.kind == "anniv_ref":
        return _anniversary_of_previous(atom, previous)
    found = _single(atom, anchor, atom.future)
    if found is None:
        return None
    if atom.cue == "since":
        precision = "day" if atom.kind == "event" else found.precision  # "since the 2022 uprising"
        return found._replace(end=None, role="since", precision=precision)
    if atom.cue == "until":
        return found._replace(role="until")
    return found


def _next_to_previous(atom: Atom, previous: list[DateMention]) -> Resolved | None:
    """ "the same day", "the following day", "the day before": from the last day mentioned."""
    last = next((p for p in reversed(previous) if p.precision == "day" and p.date_start), None)
    if last is None or last.date_start is None or atom.start - last.end > NEARBY:
        return None
    day = last.date_start + dt.timedelta(days=atom.n or 0)
    return Resolved(day, day, "day", "point", 0.6)


def _anniversary_of_previous(atom: Atom, previous: list[DateMention]) -> Resolved | None:
    ref = next((p for p in reversed(previous) if p.start >= atom.sent and p.date_start
                and p.role in ("point", "range")), None)
    if ref is None or ref.date_start is None or atom.n is None:
        return None
    start = shift_years(ref.date_start, atom.n)
    end = shift_years(ref.date_end or ref.date_start, atom.n)
    return Resolved(start, end, ref.precision if ref.precision != "span" else "span", "anniversary", 0.7)


def resolve(text: str, anchor: dt.date | None) -> list[DateMention]:
    """Every date expression of `text` resolved against `anchor` (the publication date).

    Without an anchor only what the text fixes by itself resolves. Expressions that cannot be
    resolved are left out. A date line at the top of a page (the day it was viewed) is kept
    with confidence 0.2. A weekday in the sentence of a day count ("On Sunday, the uprising
    entered its 262nd day") takes the day count's date when it fits.
    """
    atoms = scan(text)
    headers = header_spans(text, atoms)
    counted = _day_counts(atoms, anchor)
    out: list[DateMention] = []
    for atom in atoms:
        found = counted.get((atom.sent, atom.wd)) if atom.kind == "weekday" and atom.mode is None else None
        found = found or resolve_atom(atom, anchor, out)
        if found is None:
            continue
        confidence = found.confidence
        if any(a <= atom.start < b for a, b in headers):
            confidence = min(confidence, 0.2)
        out.append(DateMention(
            start=atom.start, end=atom.end, surface=text[atom.start:atom.end],
            date_start=found.start, date_end=found.end, precision=found.precision,
            role="point" if atom.kind == "weekday" else found.role, confidence=round(confidence, 2),
        ))
    return out


def _day_counts(atoms: list[Atom], anchor: dt.date | None) -> dict[tuple[int, int | None], Resolved]:
    """(sentence start, weekday) -> the resolved day count ("262nd day") whose weekday fits."""
    out: dict[tuple[int, int | None], Resolved] = {}
    for atom in atoms:
        if atom.kind == "period_day" and atom.wd is not None:
            found = _period_day(atom, anchor, atom.future)
            if found is not None and found.start.weekday() == atom.wd:
                out[(atom.sent, atom.wd)] = found
    return out


def latest_plausible(published: dt.date | None) -> dt.date:
    """The last date a report published on `published` (or read today, undated) can give."""
    try:
        return (published or dt.date.today()) + FUTURE_LIMIT
    except OverflowError:
        return dt.date.max


def plausible(day: dt.date | None, latest: dt.date) -> bool:
    return day is None or EARLIEST <= day <= latest


def find_dates(analysis: Analysis) -> Analysis:
    """Stage `dates.v1`: fill `analysis.dates` (in text order, with offsets); implausible dates
    are left out, with a `Problem` that is a finding (the report is still read whole: see the module doc)."""
    report, problems = analysis.report, list(analysis.problems)
    if not plausible(report.published, latest_plausible(None)):
        problems.append(Problem(report.doc, STAGE, f"implausible publication date {report.published} not used",
                                finding=True))
        report = replace(report, published=None, published_precision=None)
    # a date inferred from the text is only its latest full date: a later year or decade it names is no
    # sign of an error, so only today bounds it
    latest = latest_plausible(report.published if report.published_precision != "inferred" else None)
    kept: list[DateMention] = []
    dropped: list[DateMention] = []
    for mention in resolve(report.text, report.published):
        fits = plausible(mention.date_start, latest) and plausible(mention.date_end, latest)
        (kept if fits else dropped).append(mention)
    dropped = [m for m in dropped if m.confidence >= 0.5]  # a page-viewed line or a name dates nothing anyway
    if dropped:
        shown = "; ".join(f"{m.surface[:40]!r} at {m.start} ({m.date_start})" for m in dropped[:5])
        problems.append(Problem(report.doc, STAGE, f"implausible dates left out ({len(dropped)}; before "
                                f"{EARLIEST.year} or over a year after publication): {shown}", finding=True))
    return replace(analysis, report=report, dates=tuple(kept), problems=tuple(problems))
