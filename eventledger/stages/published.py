"""Stage `published.v1`: the publication date, when metadata did not give one.

In order:

1. a date stated by the container (`report.published`, from metadata) is kept as it is;
2. a dateline at the start of the article body ("Iran, June 4, 2020 -", "TEHRAN, Iran (AP)
   — June 4, 2020 —", "PARIS, FRANCE, September 25, 2021 -") or a labelled date near the top
   ("Published: June 4, 2020") gives the day (precision "day");
3. otherwise the date is inferred from the text (precision "inferred"), see `infer_published`.

A line near the top that holds nothing but a date ("Saturday, July 27, 2024") is the day a
page was viewed or printed, often years after the article, when it heads the page (the first
line, above the site's menu and the headline). It is not taken as the publication date; it only
bounds the inference from above, and replaces the inferred date when it falls within a week
after it (then it is the better estimate of the same day). The same line right under the
headline is the article's byline date ("Iran: Halt the executions / 4 March 2025"): that is
the publication date (precision "day"), after a dateline or a labelled date.

Date lines are read by `bylines.read_date_line`: a date with a weekday, a time (24-hour or
AM/PM, before or after it) and a time zone, a label ("Published:", "Posted on", "Updated:"),
an author ("By Jane Doe | March 3, 2021"), numeric and ISO dates, two-digit years, Persian
digits and Solar Hijri dates. Where the line stands decides what it is (`page_line_date`):

* a labelled date anywhere near the top is the publication date ("Updated:" only when the page
  gives no other);
* an unlabelled one is the byline's date when it stands under the headline (a line of words
  within three lines above it, with no menu in between) or opens with an author ("By ..."),
  and no menu follows it: a date above the site's navigation ("Saturday, July 27, 2024" /
  "Home | News | World"), or heading the page, is the day the page was viewed.

A numeric date such as "03/05/2021" may be read day first or month first. A weekday on the line
keeps the readings it fits; a reading after today or after the page-viewed date is dropped; then
the order of other numeric dates near the top ("25/03/2021" is day first) decides; then the
dates the text reports: the publication comes on or after them, so the earliest reading on or
after the latest of them is taken (the latest reading when none is); without any of these, day
first, the order of most of the world's press.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from eventledger.models import Analysis, DateMention
from eventledger.stages.bylines import LineDate, is_menu_line, read_date_line
from eventledger.stages.dates import resolve_atom
from eventledger.stages.datetext import Atom, ascii_digits, header_spans, scan

ONE_DAY = dt.timedelta(days=1)
SLACK = dt.timedelta(days=90)  # how far after the latest dated reference a bare "August 18" may fall
HEADER_GRACE = dt.timedelta(days=7)  # a top-of-page date this close after the inferred date is kept
_BODY_WORDS = 20
_DATELINE_WORDS = 5  # words after a dateline's dash, so that a bare "June 4, 2020 -" is not one
_PLACE_PREFIX = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*\.?(?:\s+[A-Z][\w.'’-]*)*)\s*(?:\([^)\n]{1,30}\))?\s*[,—–-]+\s*){0,4}$"
)
_AFTER_DATELINE = re.compile(r"^\s*(?:\([^)\n]{1,30}\)\s*)?(?:[—–-]+|:|\|)\s*\S")
# "GENEVA (9 September 2025) – ...": the date in brackets after the place (UN and agency releases)
_PLACE_BRACKET = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)?\s*\($")
_AFTER_BRACKET = re.compile(r"^\)\s*(?:[—–-]+|:)\s*\S")
_HEADLINE_WORDS = 3
_TITLE_SEPARATOR = re.compile(r"\S\s*(?:[|–—:,]|\s-)\s*(?:[A-Z][a-z]+day,?\s*)?$")
_TOP_CHARS = 3000  # how far down a labelled date line may stand
_TOP_LINES = 12  # non-empty lines within which a byline's date may stand
_ABOVE = 3  # how many lines above a date line the headline may stand
_MENU_AFTER = 2  # how many lines after a date line a menu makes it the day the page was viewed
_NUMERIC = re.compile(r"(?<![\d/.-])([0-3]?\d)([/.-])([0-3]?\d)\2(?:\d{4}|\d\d)(?![\d/-]|\.\d)")
_LABEL = re.compile(r"(?i)^\W*(?:(?:first\s+)?published|posted|date)\s*(?:on|:)?\s*(?:[|:]\s*)?$")


# --------------------------------------------------------------------------- stated dates


def _opening_paragraphs(text: str, limit: int = 2) -> list[tuple[int, int]]:
    """Paragraphs up to the `limit`-th long enough to be article body (not menus or headlines)."""
    out = []
    long_ones = 0
    for m in re.finditer(r"[^\n]+", text[:6000]):
        if not m.group().strip():
            continue
        lead = len(m.group()) - len(m.group().lstrip())
        out.append((m.start() + lead, m.end()))
        long_ones += len(m.group().split()) >= _BODY_WORDS
        if long_ones >= limit:
            break
    return out


def _full_date(atom: Atom) -> dt.date | None:
    if atom.kind != "date" or atom.y is None or atom.m is None or atom.d is None:
        return None
    found = resolve_atom(atom, None)
    return found.start if found else None


def dateline_date(text: str, atoms: list[Atom] | None = None) -> dt.date | None:
    """The date of a dateline opening one of the first body paragraphs, if any."""
    norm = ascii_digits(text)
    atoms = scan(text) if atoms is None else atoms
    for start, end in _opening_paragraphs(norm):
        first = next((a for a in atoms if start <= a.start < min(end, start + 90)), None)
        numeric = _NUMERIC.search(norm, start, min(end, start + 90))
        if (numeric is not None and (first is None or numeric.start() < first.start)
                and _is_dateline(norm[start:numeric.start()], norm[numeric.end():end])
                and (found := read_date_line(numeric.group())) is not None):
            return choose_reading(found, text, atoms)  # "KABUL, 03.05.2021 - ..."
        if first is None or _full_date(first) is None:
            continue
        if _is_dateline(norm[start:first.start], norm[first.end:end]):
            return _full_date(first)
    return None


def _is_dateline(before: str, after: str) -> bool:
    """Do a place before a date and a dash or colon after it, with a sentence, open a paragraph?"""
    if len(after.split()) < _DATELINE_WORDS:
        return False
    return bool((_PLACE_PREFIX.match(before) and _AFTER_DATELINE.match(after))
                or (_PLACE_BRACKET.match(before) and _AFTER_BRACKET.match(after)))


def labelled_date(text: str, atoms: list[Atom] | None = None) -> dt.date | None:
    """A date near the top introduced by "Published", "Posted on", "Date:": on a date line
    (`page_line_dates`), else at the start of any line."""
    atoms = scan(text) if atoms is None else atoms
    return page_line_dates(text, atoms).get("published") or _label_opening_line(text, atoms)


def _label_opening_line(text: str, atoms: list[Atom]) -> dt.date | None:
    """A full date after "Published", "Posted on", "Date:" opening a line near the top."""
    norm = ascii_digits(text)
    for atom in atoms:
        if atom.start > 3000:
            break
        day = _full_date(atom)
        line_start = norm.rfind("\n", 0, atom.start) + 1
        if day and _LABEL.search(norm[line_start:atom.start]):
            return day
    return None


def byline_date(text: str, atoms: list[Atom] | None = None) -> dt.date | None:
    """The date of a date line right under the headline (not heading the page, not above the
    site's menu), or of a line that opens with its author ("By Jane Doe | 8 March 2025"), if any."""
    return page_line_dates(text, atoms).get("byline")


# --------------------------------------------------------------------------- date lines


Line = tuple[int, int, str]  # start, end, text (stripped) of a non-empty line


def _top_lines(text: str) -> list[Line]:
    out = []
    for m in re.finditer(r"[^\n]+", text[:_TOP_CHARS]):
        stripped = m.group().strip()
        if stripped:
            out.append((m.start(), m.end(), stripped))
    return out


def _headline_like(line: str) -> bool:
    """A line of words (a headline, a standfirst or an author line), not a menu or a date line."""
    return (len(line.split()) >= _HEADLINE_WORDS and bool(re.match(r"[\"“‘'(]?[^\W\d_]", line))
            and not is_menu_line(line) and read_date_line(line) is None)


def _under_headline(lines: list[Line], i: int) -> bool:
    """Does a line of words stand within `_ABOVE` lines above line `i`, with no menu in between,
    and no menu within `_MENU_AFTER` lines after it (a date above the menu: the day viewed)?"""
    if any(is_menu_line(text) for _, _, text in lines[i + 1:i + 1 + _MENU_AFTER]):
        return False
    for _, _, text in reversed(lines[max(0, i - _ABOVE):i]):
        if is_menu_line(text):
            return False
        if _headline_like(text):
            return True
    return False


def _order_evidence(text: str) -> int:
    """Numeric dates near the top whose order is plain ("25/03/2021"): > 0 day first, < 0 month first."""
    votes = 0
    for m in _NUMERIC.finditer(text[:_TOP_CHARS]):
        a, b = int(m.group(1)), int(m.group(3))
        votes += (a > 12 >= b) - (b > 12 >= a)
    return votes


def choose_reading(found: LineDate, text: str, atoms: list[Atom] | None = None) -> dt.date | None:
    """One date of a date line's readings (see the module's notes on numeric dates)."""
    atoms = scan(text) if atoms is None else atoms
    header = header_date(text, atoms)
    bound = min(dt.date.today(), header) if header else dt.date.today()
    readings = [r for r in found.readings if r <= bound + ONE_DAY] or list(found.readings)
    if len(readings) <= 1:
        return readings[0] if readings else None
    votes = _order_evidence(ascii_digits(text))
    if votes:
        return readings[0] if votes > 0 else readings[1]
    reported, _ = infer_published(text)
    if reported is None:
        return readings[0]
    after = [r for r in readings if r >= reported - ONE_DAY]
    return min(after) if after else max(readings)


def page_line_dates(text: str, atoms: list[Atom] | None = None) -> dict[str, dt.date]:
    """The dates of the page head's date lines by kind: "published" (a published label),
    "byline" (under the headline or after "By ..."), "updated" (an "Updated" label); the first
    of each kind."""
    atoms = scan(text) if atoms is None else atoms
    lines = _top_lines(text)
    out: dict[str, dt.date] = {}
    long_ones = 0
    for i, (_, _, line) in enumerate(lines):
        long_ones += len(line.split()) >= _BODY_WORDS
        found = read_date_line(line)
        if found is None:
            continue
        if found.label is not None:
            kind = found.label
        elif i < _TOP_LINES and long_ones < 2 and (
                _under_headline(lines, i) or (found.credit and line[:3].lower() == "by ")):
            kind = "byline"
        else:
            continue
        if kind not in out and (day := choose_reading(found, text, atoms)) is not None:
            out[kind] = day
    return out


def title_date(title: str | None) -> dt.date | None:
    """The full date that ends a digest's headline after a dash, bar, colon or comma
    ("Iran News in Brief – January 12, 2025"), if any."""
    if not title:
        return None
    stripped = title.rstrip()
    atoms = [a for a in scan(stripped) if a.end == len(stripped)]
    if not atoms or not _TITLE_SEPARATOR.search(stripped[:atoms[-1].start]):
        return None
    return _full_date(atoms[-1])


def header_date(text: str, atoms: list[Atom] | None = None) -> dt.date | None:
    """The date on a line of its own near the top (a page header), if any."""
    atoms = scan(text) if atoms is None else atoms
    for start, _ in header_spans(text, atoms):
        day = next((_full_date(a) for a in atoms if a.start == start), None)
        if day is not None:
            return day
    return None


# --------------------------------------------------------------------------- inference


def _usable(text: str, atoms: list[Atom]) -> list[Atom]:
    headers = header_spans(text, atoms)
    return [a for a in atoms if not a.future and not any(x <= a.start < y for x, y in headers)]


def _years(atoms: list[Atom]) -> list[int]:
    """Years the text states (names such as "Free Iran 2023" only when nothing else does)."""
    flat = [s for a in atoms for s in (a.sub or (a,))]
    strong = [a.y for a in flat if a.y and not a.jalali and a.kind != "decade" and not a.weak]
    return strong or [a.y for a in flat if a.y and a.weak]


def _estimate(mention: DateMention) -> dt.date | None:
    """The earliest publication date a resolved reference suggests."""
    start, end = mention.date_start, mention.date_end
    if start is None:
        return None
    if mention.role == "anniversary":  # "marks its 34th anniversary": now
        end = end or start
        return start + (end - start) / 2
    if mention.role == "since" or mention.precision == "year":
        return start
    end = end or start
    return end + ONE_DAY if mention.precision in ("day", "span") else end


def _absolute(text: str, atoms: list[Atom], years: list[int]) -> list[dt.date]:
    """Estimates from what the text dates by itself."""
    out: list[dt.date] = []
    previous: list[DateMention] = []
    top = max(years, default=None)
    for atom in atoms:
        found = resolve_atom(atom, None, previous)
        if found is None:
            continue
        mention = DateMention(atom.start, atom.end, text[atom.start:atom.end], found.start, found.end,
                              found.precision, found.role, found.confidence)
        previous.append(mention)
        if atom.weak and top is not None and atom.y is not None and atom.y > top + 1:
            continue
        if atom.kind == "event" and found.role == "point":
            out.append(found.start)  # a named period began before the text; it may not be over
        elif atom.kind != "decade" and (estimate := _estimate(mention)):
            out.append(estimate)
    return out


def _weekday_year(atom: Atom, years: list[int], latest: dt.date) -> dt.date | None:
    """The date of "Wednesday, July 1" in the year near the text's years that fits the weekday.

    Without years in the text, the latest fitting year up to `latest` (a page-header date).
    """
    if atom.m is None or atom.d is None or atom.wd is None:
        return None
    top = max(years) if years else latest.year
    fits = []
    for y in range(min(years, default=top - 12) - 1, top + 2):
        try:
            day = dt.date(y, atom.m, atom.d)
        except ValueError:
            continue
        if day.weekday() == atom.wd and day <= latest:
            fits.append(day)
    return min(fits, key=lambda d: (abs(d.year - top), -d.year), default=None)


def _undated(atoms: list[Atom]) -> list[Atom]:
    """Month-day mentions without a year (also inside ranges)."""
    flat = [s for a in atoms for s in (a.sub or (a,))]
    return [a for a in flat if a.kind == "date" and a.y is None and not a.jalali]


def _has_dated_reference(atoms: list[Atom]) -> bool:
    """A reference finer than a year (a month, a day, an anniversary, a period's day count)."""
    flat = [s for a in atoms for s in (a.sub or (a,))]
    return any((a.y and (a.m or a.kind == "season") and not a.weak) or a.kind in ("anniv_ref", "period_day", "event")
               or (a.kind == "date" and a.wd is not None) for a in flat)


def infer_published(text: str) -> tuple[dt.date | None, str | None]:
    """The publication date the text implies, as (date, "inferred"), or (None, None).

    The latest reference the text dates by itself (full dates, months, years, a "34th
    anniversary" of a dated event, a day count of a named period) sets a lower bound; a
    month-day with a weekday ("Wednesday, July 1") takes the year near the text's other years
    that fits the weekday; a month-day without a year then falls at most 90 days after
    that bound. The estimate is the day after the latest day-precise reference (a month counts
    by its last day, a year by its first). Future references ("will be held on July 17") are
    ignored, and so is anything after today or after a page-header date (the day the page
    was viewed is an upper bound; with no year in the text, a weekday picks the latest
    fitting year before it).
    """
    all_atoms = scan(text)
    atoms = _usable(text, all_atoms)
    header = header_date(text, all_atoms)
    latest = min(dt.date.today(), header + ONE_DAY) if header else dt.date.today()
    years = _years(atoms)
    estimates = _absolute(text, atoms, years)
    undated = _undated(atoms)
    if years or header:
        for atom in undated:
            day = _weekday_year(atom, years, latest)
            if day is not None:
                estimates.append(day + ONE_DAY)
    estimates = [e for e in estimates if e <= latest]
    if not estimates or not (_has_dated_reference(atoms) or header):
        return None, None  # a bare year ("a robbery in 2009") says when something happened, not when we read of it
    base = max(estimates)
    for atom in undated:
        if atom.wd is None:
            found = resolve_atom(atom, base + SLACK)
            if found is not None and found.start + ONE_DAY <= latest:
                estimates.append(found.start + ONE_DAY)
    return max(estimates), "inferred"


# --------------------------------------------------------------------------- the stage


def published_from_text(text: str, title: str | None = None) -> tuple[dt.date | None, str | None]:
    """(date, precision) from a dateline, a label, a byline date, a date ending the `title` or an
    "Updated" date line ("day"), else inferred, else (None, None).

    A page-header date is used only when it agrees with the text: at most a week after the
    date inferred from it (then it is the better estimate; precision stays "inferred").
    Otherwise, typically years later, it is the day the page was viewed and is ignored.
    """
    atoms = scan(text)
    lines = page_line_dates(text, atoms)
    stated = (dateline_date(text, atoms) or lines.get("published") or _label_opening_line(text, atoms)
              or lines.get("byline") or title_date(title) or lines.get("updated"))
    if stated is not None:
        return stated, "day"
    inferred, precision = infer_published(text)
    header = header_date(text, atoms)
    if inferred is not None and header is not None and inferred - ONE_DAY <= header <= inferred + HEADER_GRACE:
        return header, "inferred"
    return inferred, precision


def resolve_published(analysis: Analysis) -> Analysis:
    """Stage `published.v1`: keep a metadata date; else a dateline; else infer from the text."""
    report = analysis.report
    if report.published is not None:
        return analysis
    found, precision = published_from_text(report.text, report.title)
    if found is None:
        return analysis
    return replace(analysis, report=replace(report, published=found, published_precision=precision))
