"""Events per day, week or month by type, and the bars of the timeline chart.

An event is counted in the bucket of its start date; undated events are counted apart. Every
bucket between the first and the last is listed, empty ones too, so the axis is linear in time.
At most `MAX_BUCKETS` are listed: a span too long for the step asked for is counted per week,
then per month; one too long even per month (dates centuries apart, which extraction no longer
gives) lists only the months that hold events, and says so (``sparse``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

STEPS = ("auto", "day", "week", "month")
AUTO_DAY_LIMIT = 92  # days of span up to which `auto` counts per day
AUTO_WEEK_LIMIT = 731  # ... per week; beyond, per month
CHART_WIDTH, CHART_HEIGHT, AXIS = 960, 240, 28
MAX_BUCKETS = 5_000  # about 13 years per day, 95 per week, 416 per month
_COARSER = {"day": "week", "week": "month"}
_STEP_DAYS = {"day": 1, "week": 7, "month": 28}


def bucket_start(day: dt.date, step: str) -> dt.date:
    if step == "week":
        return day - dt.timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    return day


def next_bucket(day: dt.date, step: str) -> dt.date | None:
    """The first day of the bucket after `day`'s (None after the last the calendar has)."""
    try:
        if step == "month":
            return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return day + dt.timedelta(days=7 if step == "week" else 1)
    except OverflowError:
        return None


def choose_step(step: str, first: dt.date, last: dt.date) -> str:
    """The step asked for (or `auto`'s), made coarser while it would give over `MAX_BUCKETS`."""
    span = (last - first).days
    if step == "auto":
        step = "day" if span <= AUTO_DAY_LIMIT else "week" if span <= AUTO_WEEK_LIMIT else "month"
    while step in _COARSER and span // _STEP_DAYS[step] >= MAX_BUCKETS:
        step = _COARSER[step]
    return step


def _parse(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def timeline(counts: Iterable[tuple[Any, str, int]], step: str = "auto") -> dict[str, Any]:
    """Buckets from (date_start, event_type, count) triples: {step, buckets, types, undated, max}."""
    by_day: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    undated = 0
    types: set[str] = set()
    for start, event_type, n in counts:
        day = _parse(start) if start else None
        if day is None:
            undated += n
            continue
        by_day[day][event_type] += n
        types.add(event_type)
    if not by_day:
        return {"step": "day" if step == "auto" else step, "buckets": [], "types": [], "undated": undated, "max": 0}
    step = choose_step(step, min(by_day), max(by_day))
    merged: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, per_type in by_day.items():
        for event_type, n in per_type.items():
            merged[bucket_start(day, step)][event_type] += n
    sparse = (max(merged) - min(merged)).days // _STEP_DAYS[step] >= MAX_BUCKETS
    starts = sorted(merged) if sparse else _every_bucket(min(merged), max(merged), step)
    buckets = [_bucket(day, step, merged.get(day, {})) for day in starts]
    return {"step": step, "buckets": buckets, "types": sorted(types), "undated": undated,
            "max": max(b["total"] for b in buckets), **({"sparse": True} if sparse else {})}


def _every_bucket(first: dt.date, last: dt.date, step: str) -> list[dt.date]:
    days: list[dt.date] = []
    day: dt.date | None = first
    while day is not None and day <= last:
        days.append(day)
        day = next_bucket(day, step)
    return days


def _bucket(day: dt.date, step: str, counts: Mapping[str, int]) -> dict[str, Any]:
    following = next_bucket(day, step)
    end = following - dt.timedelta(days=1) if following else dt.date.max
    per_type = dict(sorted(counts.items()))
    return {"start": day.isoformat(), "end": end.isoformat(), "counts": per_type, "total": sum(per_type.values())}


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    label: str


def bars(data: Mapping[str, Any], colors: Mapping[str, str], order: Iterable[str]) -> list[Bar]:
    """Stacked bars of a `timeline` in a CHART_WIDTH × CHART_HEIGHT box (types stacked in `order`)."""
    buckets, top = data["buckets"], max(data["max"], 1)
    if not buckets:
        return []
    width = CHART_WIDTH / len(buckets)
    scale = (CHART_HEIGHT - AXIS) / top
    out = []
    for i, bucket in enumerate(buckets):
        y = CHART_HEIGHT - AXIS
        for event_type in [t for t in order if t in bucket["counts"]]:
            n = bucket["counts"][event_type]
            y -= n * scale
            out.append(Bar(round(i * width, 2), round(y, 2), round(max(width - 1, 0.5), 2), round(n * scale, 2),
                           colors.get(event_type, "#999999"), f"{bucket['start']} · {event_type}: {n}"))
    return out


def ticks(data: Mapping[str, Any], most: int = 8) -> list[tuple[float, str]]:
    """Up to `most` (x, label) positions along the time axis."""
    buckets = data["buckets"]
    if not buckets:
        return []
    every = max(1, -(-len(buckets) // most))
    width = CHART_WIDTH / len(buckets)
    return [(round(i * width + width / 2, 2), b["start"]) for i, b in enumerate(buckets) if i % every == 0]
