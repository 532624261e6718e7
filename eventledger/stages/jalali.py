"""The Solar Hijri (Jalali) calendar, through `jdatetime`: days converted to and from the
Gregorian calendar, for the dates stage, bylines and the Persian rules alike."""

from __future__ import annotations

import datetime as dt

import jdatetime

ONE_DAY = dt.timedelta(days=1)


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> dt.date | None:
    """The Gregorian day of a Jalali year, month and day; None for a day that does not exist."""
    try:
        return jdatetime.date(jy, jm, jd).togregorian()
    except ValueError:
        return None


def jalali_year(d: dt.date) -> int:
    """The Jalali year a Gregorian day falls in."""
    return jdatetime.date.fromgregorian(date=d).year


def jalali_month_span(jy: int, jm: int) -> tuple[dt.date, dt.date] | None:
    """The first and last Gregorian days of a Jalali month."""
    first = jalali_to_gregorian(jy, jm, 1)
    if first is None:
        return None
    nxt = jalali_to_gregorian(jy + jm // 12, jm % 12 + 1, 1)
    return first, (nxt - ONE_DAY) if nxt else first
