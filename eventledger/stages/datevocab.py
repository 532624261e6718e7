"""Date vocabulary: calendars.toml loaded once, and the record a found expression makes.

`Atom` is one date expression found in a text and not yet resolved; `CalendarEvent` one
named period, anniversary or holiday; `vocab()` the whole calendars.toml vocabulary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from eventledger.data import load_toml

_NON_ASCII_DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"  # Persian, then Arabic-Indic
DIGITS = str.maketrans(_NON_ASCII_DIGITS, "01234567890123456789")
_NON_ASCII_DIGIT = re.compile(f"[{_NON_ASCII_DIGITS}]+")


@dataclass(frozen=True, slots=True)
class Atom:
    """One date expression found in the text, not yet resolved.

    `kind`: date | month | season | year | decade | weekday | relative | event | anniv_ref |
    period_day | same_day | range. `mode` refines it (relative: offset | window | ago | last |
    this | next | recently; event: alone | anniversary | start; weekday and month: last |
    this | next). `n` is a count (window length, ordinal of a day or an anniversary, offset of
    "the following day"); `key` a calendars.toml event ("generic": the current uprising);
    `jalali` marks Solar Hijri numbers; `weak` a year inside a name; `cue` is "since" or
    "until" when such a word opens the span; `future` that the sentence looks ahead; `sent`
    where its sentence starts; `sub` the two ends of a range.
    """

    start: int
    end: int
    kind: str
    y: int | None = None
    m: int | None = None
    d: int | None = None
    wd: int | None = None
    n: int | None = None
    unit: str | None = None
    mode: str | None = None
    part: str | None = None
    key: str | None = None
    jalali: bool = False
    weak: bool = False
    cue: str | None = None
    future: bool = False
    sent: int = 0
    sub: tuple[Atom, ...] = ()
    prio: int = 0


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """A named period, anniversary or holiday from calendars.toml."""

    key: str
    kind: str
    names: tuple[str, ...]
    day: dt.date | None = None
    span: tuple[dt.date, dt.date] | None = None
    alone: bool = False
    anniversary: str = "gregorian"
    counted: bool = False
    jalali_md: tuple[int, int] | None = None
    gregorian_md: tuple[int, int] | None = None
    last_weekday_before: int | None = None
    before_jalali_md: tuple[int, int] | None = None
    offset_days: int = 0


@dataclass(frozen=True, slots=True)
class DateRule:
    """One row of calendars.toml's date grammar (`[[date_rules]]`; the file's comment says what
    each field means). `pattern` still holds its {FRAGMENT}s; `datepatterns` fills and compiles it."""

    pattern: str
    builder: str
    priority: int
    family: str
    options: tuple[tuple[str, Any], ...] = ()
    ignore_case: bool = False
    each_event: bool = False
    starts: tuple[str, ...] = ()
    anywhere: tuple[str, ...] = ()
    needs: str | None = None


_RULE_FIELDS = frozenset(DateRule.__dataclass_fields__)


def _date_rule(entry: dict[str, Any]) -> DateRule:
    unknown = set(entry) - _RULE_FIELDS
    if unknown:
        raise ValueError(f"calendars.toml: date rule {entry.get('pattern')!r} has unknown fields {sorted(unknown)}")
    pattern = entry["pattern"]
    return DateRule(
        pattern="".join(pattern) if isinstance(pattern, list) else pattern, builder=entry["builder"],
        priority=int(entry["priority"]), family=entry["family"],
        options=tuple(sorted(entry.get("options", {}).items())), ignore_case=bool(entry.get("ignore_case", False)),
        each_event=bool(entry.get("each_event", False)), starts=tuple(entry.get("starts", ())),
        anywhere=tuple(entry.get("anywhere", ())), needs=entry.get("needs"),
    )


@dataclass(frozen=True)
class Vocab:
    months: dict[str, int]
    weekdays: dict[str, int]
    jalali: dict[str, int]
    seasons: dict[str, tuple[int, int, int, int]]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    recent: dict[str, int]
    events: tuple[CalendarEvent, ...]
    context: dict[str, Any]
    generic: str
    rules: tuple[DateRule, ...] = ()  # the date grammar, in order
    fragments: dict[str, str] = field(default_factory=dict)  # named pieces of its patterns


def ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits (same length, same offsets)."""
    if not any(digit in text for digit in _NON_ASCII_DIGITS):  # faster than a regex scan
        return text
    return _NON_ASCII_DIGIT.sub(lambda m: m.group().translate(DIGITS), text)


# --------------------------------------------------------------------------- vocabulary


def _event(entry: dict[str, Any], weekdays: dict[str, int]) -> CalendarEvent:
    day = dt.date.fromisoformat(entry["day"]) if "day" in entry else None
    span = entry.get("span")
    rule_wd = entry.get("last_weekday_before")
    return CalendarEvent(
        key=entry["key"], kind=entry["kind"], names=tuple(entry["names"]), day=day,
        span=(dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1])) if span else None,
        alone=bool(entry.get("alone", False)), anniversary=entry.get("anniversary", "gregorian"),
        counted=bool(entry.get("counted", False)),
        jalali_md=tuple(entry["jalali_md"]) if "jalali_md" in entry else None,
        gregorian_md=tuple(entry["gregorian_md"]) if "gregorian_md" in entry else None,
        last_weekday_before=weekdays[rule_wd] if rule_wd else None,
        before_jalali_md=tuple(entry["before_jalali_md"]) if "before_jalali_md" in entry else None,
        offset_days=int(entry.get("offset_days", 0)),
    )


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The calendars.toml vocabulary (read once)."""
    t = load_toml("calendars.toml")
    months = dict(t["months"]) | dict(t["month_abbreviations"])
    weekdays = dict(t["weekdays"]) | dict(t["weekday_abbreviations"])
    return Vocab(
        months=months, weekdays=weekdays, jalali=dict(t["jalali_months"]),
        seasons={k: tuple(v) for k, v in t["seasons"].items()},
        numbers=dict(t["numbers"]) | dict(t["vague_numbers"]), ordinals=dict(t["ordinals"]),
        recent=dict(t["recent"]), events=tuple(_event(e, t["weekdays"]) for e in t["event"]),
        context=dict(t["context"]), generic=t["generic"]["uprising"],
        rules=tuple(_date_rule(entry) for entry in t["date_rules"]), fragments=dict(t["date_fragments"]),
    )


def year_before(v: Vocab) -> list[str]:
    """The words after which a bare year counts: calendars.toml's `year_before`, and the seasons."""
    return [*v.context["year_before"], *v.seasons]


def event_by_key(key: str) -> CalendarEvent | None:
    return _events_by_key().get(key)


@lru_cache(maxsize=1)
def _events_by_key() -> dict[str, CalendarEvent]:
    return {e.key: e for e in vocab().events}


def _lookup(table: dict[str, int], word: str) -> int | None:
    word = word.rstrip(".")
    found = table.get(word.lower())
    return found if found is not None else table.get(word.capitalize())


def month_number(word: str) -> int | None:
    return _lookup(vocab().months, word)


def weekday_number(word: str) -> int | None:
    return _lookup(vocab().weekdays, word)


def number_value(word: str) -> int | None:
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    return vocab().numbers.get(word)


def ordinal_value(word: str) -> int | None:
    word = word.lower()
    if word[:1].isdigit():
        return int(re.sub(r"\D", "", word))
    return vocab().ordinals.get(word)
