"""Persian date forms, resolved against a publication date (Saturday 2026-01-10 = 20 Dey 1404)."""

from __future__ import annotations

import datetime as dt

import pytest

from eventledger.stages.fa.dates import find

PUBLISHED = dt.date(2026, 1, 10)


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("این رویداد روز پنجشنبه ۱۸ دی ۱۴۰۴ رخ داد.", "2026-01-08", "2026-01-08", "day"),
    ("این رویداد در تاریخ ۱۴۰۴/۱۰/۱۸ رخ داد.", "2026-01-08", "2026-01-08", "day"),
    ("این رویداد روز ۱۸ دی‌ماه رخ داد.", "2026-01-08", "2026-01-08", "day"),
    ("این رویداد روز 18 دی 1404 رخ داد.", "2026-01-08", "2026-01-08", "day"),
    ("این رویداد روز شنبه رخ داد.", "2026-01-10", "2026-01-10", "day"),
    ("این رویداد شامگاه جمعه رخ داد.", "2026-01-09", "2026-01-09", "day"),
    ("این رویداد روز سه‌شنبه هفته گذشته رخ داد.", "2026-01-06", "2026-01-06", "day"),
    ("این رویداد بامداد امروز رخ داد.", "2026-01-10", "2026-01-10", "day"),
    ("این رویداد دیروز رخ داد.", "2026-01-09", "2026-01-09", "day"),
    ("این رویداد عصر روز گذشته رخ داد.", "2026-01-09", "2026-01-09", "day"),
    ("این رویداد از ۱۰ تا ۱۲ دی رخ داد.", "2025-12-31", "2026-01-02", "span"),
    ("این رویداد در دی ماه ۱۴۰۴ رخ داد.", "2025-12-22", "2026-01-20", "month"),
    ("این رویداد در سال ۱۴۰۳ رخ داد.", "2024-03-20", "2025-03-20", "year"),
    ("این رویداد در ۸ ژانویه ۲۰۲۶ رخ داد.", "2026-01-08", "2026-01-08", "day"),
])
def test_date_forms(text: str, start: str, end: str, precision: str) -> None:
    (found,) = find(text, 0, PUBLISHED)
    assert (found.date_start.isoformat(), found.date_end.isoformat(), found.precision) == (start, end, precision)
    assert text[found.start:found.end] == found.surface


def test_day_without_year_is_on_or_before_publication() -> None:
    (found,) = find("روز ۲۵ دی", 0, PUBLISHED)  # 25 Dey 1404 is after publication: the year before
    assert found.date_start == dt.date(2025, 1, 14)


def test_weekday_chooses_the_year_of_a_day_without_one() -> None:
    published = dt.date(2026, 3, 1)
    (found,) = find("روز سه‌شنبه ۲۵ دی", 0, published)  # Tuesday 25 Dey: 1403 (2025-01-14), not 1404 (a Thursday)
    assert found.date_start == dt.date(2025, 1, 14)


def test_offsets_are_offsets_into_the_report() -> None:
    (found,) = find("روز ۱۸ دی", 100, PUBLISHED)
    assert (found.start, found.end) == (104, 109)
