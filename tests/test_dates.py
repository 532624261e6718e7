"""Date expressions: finding them and resolving them against the publication date."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from eventledger.models import Analysis, Report
from eventledger.stages.dates import find_dates, occurrence, precision_of, resolve
from eventledger.stages.datetext import event_by_key

D = dt.date


def one(text: str, anchor: dt.date | None = None, surface: str | None = None):
    """The single mention found (or the one with `surface`)."""
    found = resolve(text, anchor)
    if surface is not None:
        found = [m for m in found if m.surface == surface]
    assert len(found) == 1, found
    return found[0]


def dates_of(text: str, anchor: dt.date | None = None) -> list[tuple[str, dt.date | None, dt.date | None, str]]:
    return [(m.surface, m.date_start, m.date_end, m.precision) for m in resolve(text, anchor)]


# --------------------------------------------------------------------------- explicit dates


@pytest.mark.parametrize("text, start, end, precision", [
    ("Workers walked out on March 3, 2021 in Ahvaz.", D(2021, 3, 3), D(2021, 3, 3), "day"),
    ("Workers walked out on 3 March 2021 in Ahvaz.", D(2021, 3, 3), D(2021, 3, 3), "day"),
    ("Workers walked out on the 3rd of March, 2021.", D(2021, 3, 3), D(2021, 3, 3), "day"),
    ("The file is dated 2021-03-03.", D(2021, 3, 3), D(2021, 3, 3), "day"),
    ("Nurses protested in March 2021 over pay.", D(2021, 3, 1), D(2021, 3, 31), "month"),
    ("Truckers struck in late May 2018.", D(2018, 5, 21), D(2018, 5, 31), "span"),
    ("Teachers rallied on Oct. 14, 2021.", D(2021, 10, 14), D(2021, 10, 14), "day"),
])
def test_explicit_dates(text: str, start: dt.date, end: dt.date, precision: str) -> None:
    m = one(text)
    assert (m.date_start, m.date_end, m.precision, m.role) == (start, end, precision, "point")
    assert text[m.start:m.end] == m.surface


def test_years_only_in_date_like_contexts() -> None:
    found = dates_of("In 2019, miners struck. Guards raided homes in 2021 and the 2018 protests spread.")
    assert [f[0] for f in found] == ["2019", "2021", "2018"]
    assert all(f[3] == "year" for f in found)
    assert found[0][1:3] == (D(2019, 1, 1), D(2019, 12, 31))


def test_plain_numbers_are_not_years() -> None:
    text = "More than 1986 people and 2,300 prisoners; 10,000 messages; 576 people were executed in 2000 cities."
    assert resolve(text, D(2023, 1, 1)) == []


def test_year_inside_a_name_is_weak() -> None:
    m = one("Videos were sent to the Free Iran 2024 rally in Berlin.")
    assert (m.surface, m.precision, m.date_start) == ("2024", "year", D(2024, 1, 1))
    assert m.confidence <= 0.3


def test_month_range_across_years() -> None:
    m = one("Strikes in November 2011-February 2012 spread to the bazaar.")
    assert (m.date_start, m.date_end, m.role, m.precision) == (D(2011, 11, 1), D(2012, 2, 29), "range", "month")


def test_season_and_decades() -> None:
    season = one("Hundreds vanished in the summer of 1983.")
    assert (season.date_start, season.date_end) == (D(1983, 6, 1), D(1983, 9, 30))
    assert season.precision in ("month", "year")
    decade = one("Arrests grew through the 1990s.")
    assert (decade.date_start, decade.date_end, decade.precision) == (D(1990, 1, 1), D(1999, 12, 31), "year")


def test_since_the_1990s_and_since_a_year_are_open() -> None:
    a, b = resolve("Jailed since the 1990s, and banned since 1984.", None)
    assert (a.role, a.date_start, a.date_end) == ("since", D(1990, 1, 1), None)
    assert (b.surface, b.role, b.date_start, b.date_end) == ("since 1984", "since", D(1984, 1, 1), None)


def test_year_range() -> None:
    m = one("Between 2014 and 2016 the union was banned; from 2009 to 2011 too.", surface="Between 2014 and 2016")
    assert (m.date_start, m.date_end, m.role) == (D(2014, 1, 1), D(2016, 12, 31), "range")


# --------------------------------------------------------------------------- month-day without year


def test_month_day_resolves_to_latest_on_or_before_publication() -> None:
    m = one("Farmers blocked the road on September 12.", D(2021, 10, 1))
    assert m.date_start == D(2021, 9, 12)


def test_month_day_near_the_year_boundary() -> None:
    m = one("Retirees gathered on December 29 outside parliament.", D(2024, 1, 2))
    assert m.date_start == D(2023, 12, 29)


def test_weekday_checks_a_month_day() -> None:
    fits = one("On Tuesday, March 9, bakers struck.", D(2021, 3, 20))
    assert fits.date_start == D(2021, 3, 9)  # a Tuesday
    wrong = one("On Friday, March 9, bakers struck.", D(2021, 3, 20))
    assert wrong.date_start == D(2021, 3, 9)
    assert wrong.confidence < fits.confidence


def test_future_sentences_resolve_forward() -> None:
    m = one("A congress of the union will be held on October 2 in Paris.", D(2022, 9, 20))
    assert m.date_start == D(2022, 10, 2)


def test_looking_ahead_reaches_only_a_few_months() -> None:
    past = one("Dozens were detained ahead of the March 8 rallies.", D(2023, 3, 10))
    assert past.date_start == D(2023, 3, 8)
    coming = one("Dozens were detained ahead of the March 8 rallies.", D(2023, 3, 5))
    assert coming.date_start == D(2023, 3, 8)


def test_day_range_within_a_month() -> None:
    m = one("Sit-ins on May 11-14, 2022 at the refinery.")
    assert (m.date_start, m.date_end, m.precision, m.role) == (D(2022, 5, 11), D(2022, 5, 14), "span", "range")
    sentence = one("He was sentenced on May 11 to 14 years in prison.", D(2022, 6, 1))
    assert sentence.surface == "May 11" and sentence.date_start == D(2022, 5, 11)


def test_between_days_of_a_month() -> None:
    m = one("Between 19 and 24 December 2022 nine were sentenced.")
    assert (m.date_start, m.date_end, m.role) == (D(2022, 12, 19), D(2022, 12, 24), "range")


def test_lowercase_may_is_a_verb() -> None:
    assert resolve("Officials may 4 times reject it; workers march 10 km.", D(2022, 6, 1)) == []


# --------------------------------------------------------------------------- weekdays


def test_weekday_alone() -> None:
    m = one("Security forces raided the dormitory on Tuesday.", D(2021, 11, 26))  # a Friday
    assert (m.date_start, m.precision) == (D(2021, 11, 23), "day")
    same = one("Security forces raided the dormitory on Friday.", D(2021, 11, 26))
    assert same.date_start == D(2021, 11, 26)
    last = one("Security forces raided the dormitory last Friday.", D(2021, 11, 26))
    assert last.date_start == D(2021, 11, 19)


def test_habitual_weekdays_are_not_dates() -> None:
    assert resolve("Every Friday, and on Fridays, locals rallied.", D(2021, 11, 26)) == []


@pytest.mark.parametrize("text", [
    "Tuesday through Thursday, leaflets appeared in Rasht.",
    "From Tuesday to Thursday, leaflets appeared in Rasht.",
    "Between Tuesday and Thursday, leaflets appeared in Rasht.",
])
def test_weekday_ranges(text: str) -> None:
    m = one(text, D(2021, 11, 26))  # Friday
    assert (m.date_start, m.date_end, m.precision, m.role) == (D(2021, 11, 23), D(2021, 11, 25), "span", "range")


def test_range_of_weekday_dates() -> None:
    m = one("From Monday, March 1, to Thursday, March 4, posters went up.", D(2021, 3, 6))
    assert (m.date_start, m.date_end, m.precision) == (D(2021, 3, 1), D(2021, 3, 4), "span")
    assert m.surface.startswith("From Monday")


# --------------------------------------------------------------------------- relative expressions

PUB = D(2021, 11, 26)  # a Friday


@pytest.mark.parametrize("phrase, start, end, precision", [
    ("yesterday", D(2021, 11, 25), D(2021, 11, 25), "day"),
    ("today", PUB, PUB, "day"),
    ("three days ago", D(2021, 11, 23), D(2021, 11, 23), "day"),
    ("last week", D(2021, 11, 15), D(2021, 11, 21), "span"),
    ("this week", D(2021, 11, 22), PUB, "span"),
    ("last month", D(2021, 10, 1), D(2021, 10, 31), "month"),
    ("last year", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("in the past few days", D(2021, 11, 19), D(2021, 11, 25), "span"),
    ("in recent days", D(2021, 11, 19), D(2021, 11, 25), "span"),
    ("in the last three days", D(2021, 11, 23), D(2021, 11, 25), "span"),
    ("in the past year", D(2020, 11, 26), PUB, "year"),
    ("in recent months", D(2021, 8, 28), PUB, "month"),
    ("over the past two decades", D(2001, 11, 26), PUB, "year"),
])
def test_relative_expressions(phrase: str, start: dt.date, end: dt.date, precision: str) -> None:
    m = one(f"Police detained students {phrase} in Tabriz.", PUB)
    assert m.surface.lower().endswith(phrase.split()[-1])
    assert (m.date_start, m.date_end, m.precision, m.role) == (start, end, precision, "relative")


def test_recently_is_vague() -> None:
    m = one("The judiciary recently charged the lawyers.", PUB)
    assert (m.date_start, m.date_end, m.precision) == (D(2021, 10, 27), PUB, "month")
    assert m.confidence < 0.5


def test_relative_needs_a_publication_date() -> None:
    assert resolve("Police detained students yesterday and on Sunday.", None) == []


# --------------------------------------------------------------------------- open periods


def test_since_and_as_of() -> None:
    found = resolve("At least 40 were hanged since June 3. As of May 2021, 12 remained missing.", D(2021, 7, 1))
    since, until = found
    assert (since.surface, since.role) == ("since June 3", "since")
    assert (since.date_start, since.date_end) == (D(2021, 6, 3), None)
    assert (until.role, until.date_start, until.date_end) == ("until", D(2021, 5, 1), D(2021, 5, 31))


def test_since_with_year_needs_no_anchor() -> None:
    m = one("Over 200 executions since January 9, 2020.")
    assert (m.role, m.date_start, m.date_end, m.precision) == ("since", D(2020, 1, 9), None, "day")


# --------------------------------------------------------------------------- named periods


def test_period_day_count() -> None:
    text = "The uprising entered its 100th day on Saturday, with strikes in several cities."
    m = one(text, D(2022, 12, 26))
    assert (m.role, m.date_start, m.precision) == ("period_day", D(2022, 12, 24), "day")  # 2022-09-16 + 99
    assert m.confidence >= 0.8


def test_weekday_before_a_day_count_takes_its_date() -> None:
    first, count = resolve("On Saturday, the nationwide uprising entered its 100th day.", D(2023, 1, 20))
    assert (first.surface, first.date_start) == ("Saturday", D(2022, 12, 24))
    assert (count.role, count.date_start) == ("period_day", D(2022, 12, 24))


def test_period_day_weekday_mismatch_lowers_confidence() -> None:
    m = one("The uprising entered its 100th day on Monday.", D(2022, 12, 26))
    assert m.date_start == D(2022, 12, 24)
    assert m.confidence < 0.5


def test_period_day_needs_a_period() -> None:
    assert resolve("It was his 100th day in office.", D(2022, 12, 26)) == []


def test_a_day_count_of_no_period_leaves_its_weekday() -> None:
    (m,) = resolve("Bakers in Tabriz stayed on strike for a second day on Saturday.", D(2025, 6, 22))
    assert (m.surface, m.date_start, m.role) == ("Saturday", D(2025, 6, 21), "point")


def test_named_period_alone() -> None:
    m = one("Hundreds were killed during Bloody November.")
    assert (m.date_start, m.date_end, m.precision) == (D(2019, 11, 1), D(2019, 11, 30), "month")
    start = one("Arrests since the start of the nationwide uprising exceed 20,000.", D(2022, 12, 1))
    assert (start.role, start.date_start, start.date_end) == ("since", D(2022, 9, 16), None)


# --------------------------------------------------------------------------- anniversaries and holidays


def test_anniversary_in_the_solar_hijri_calendar() -> None:
    m = one("Crowds marked the anniversary of the Constitutional Revolution in Tabriz.", D(2023, 8, 21))
    assert (m.role, m.date_start, m.precision) == ("anniversary", D(2023, 8, 5), "day")  # 14 Mordad 1402
    khomeini = one("Posters were burned on the anniversary of Khomeini's death.", D(2021, 6, 10))
    assert khomeini.date_start == D(2021, 6, 4)  # 14 Khordad 1400


def test_numbered_anniversary_needs_no_anchor() -> None:
    m = one("Rallies marked the 40th anniversary of the revolution.")
    assert m.date_start == D(2019, 2, 11)  # 22 Bahman 1397


def test_anniversary_ahead_is_in_the_future() -> None:
    m = one("Ahead of the anniversary of the 2022 uprising, arrests rose.", D(2023, 8, 21))
    assert m.date_start == D(2023, 9, 16)


def test_anniversary_of_a_dated_span() -> None:
    m = one("The crackdown of the spring of 2001 marks its 20th anniversary this year.", surface="20th anniversary")
    assert (m.role, m.date_start, m.date_end) == ("anniversary", D(2021, 3, 1), D(2021, 5, 31))


def test_holidays() -> None:
    assert one("Fireworks lit up Chaharshanbe Suri in Karaj.", D(2024, 3, 25)).date_start == D(2024, 3, 12)
    assert one("Families gathered for Nowruz.", D(2022, 4, 2)).date_start == D(2022, 3, 21)
    event = event_by_key("nowruz")
    assert event is not None and occurrence(event, 2025) == D(2025, 3, 21)


# --------------------------------------------------------------------------- Solar Hijri dates


@pytest.mark.parametrize("text, expected", [
    ("The hearing on ۱۸ دی ۱۴۰۴ was postponed.", D(2026, 1, 8)),
    ("The hearing on 18 Dey 1404 was postponed.", D(2026, 1, 8)),
    ("The verdict of 1402/05/28 was upheld.", D(2023, 8, 19)),
    ("The verdict of ۱۴۰۲/۰۵/۲۸ was upheld.", D(2023, 8, 19)),
])
def test_solar_hijri_dates(text: str, expected: dt.date) -> None:
    m = one(text)
    assert (m.date_start, m.precision) == (expected, "day")
    assert text[m.start:m.end] == m.surface


def test_solar_hijri_month() -> None:
    m = one("Mass arrests followed in Aban 1398.")
    assert (m.date_start, m.date_end, m.precision) == (D(2019, 10, 23), D(2019, 11, 21), "month")


def test_mehr_news_is_not_a_date() -> None:
    assert resolve("Mehr news agency and Tir street", D(2022, 1, 1)) == []


# --------------------------------------------------------------------------- the stage


def test_find_dates_stage_uses_the_publication_date() -> None:
    text = "Iran, May 3, 2022 - Teachers rallied on Sunday in Shiraz.\nA strike began yesterday."
    report = Report(doc="x", text=text, published=D(2022, 5, 3), published_precision="day")
    analysis = find_dates(Analysis(report=report))
    assert [m.surface for m in analysis.dates] == ["May 3, 2022", "Sunday", "yesterday"]
    assert [m.date_start for m in analysis.dates] == [D(2022, 5, 3), D(2022, 5, 1), D(2022, 5, 2)]
    assert all(text[m.start:m.end] == m.surface for m in analysis.dates)
    assert [m.start for m in analysis.dates] == sorted(m.start for m in analysis.dates)


def test_page_header_date_has_low_confidence() -> None:
    text = "Saturday, July 27, 2024\nHome News\n\nActivists rallied in Tehran on Sunday, May 17, 2020 again."
    header = resolve(text, D(2020, 5, 20))[0]
    assert header.surface == "Saturday, July 27, 2024" and header.confidence <= 0.2


def test_precision_of_spans() -> None:
    assert precision_of(D(2020, 1, 1), D(2020, 1, 1)) == "day"
    assert precision_of(D(2020, 1, 5), D(2020, 1, 9)) == "span"
    assert precision_of(D(2020, 2, 1), D(2020, 2, 29)) == "month"
    assert precision_of(D(2020, 1, 1), D(2020, 12, 31)) == "year"


def test_long_repetitive_text_resolves_every_date() -> None:
    """Speed is measured by `eventledger bench`; here only that a long text is handled whole."""
    text = " ".join(["On Friday, August 18, 2023, protesters in Zahedan chanted slogans while"] * 10
                    + ["security forces arrested dozens of people in the city of Mashhad"] * 80)
    found = resolve(text, D(2023, 8, 21))
    assert sum(1 for m in found if m.date_start == D(2023, 8, 18)) == 10


# --------------------------------------------------------------------------- speed hints


HINT_TEXTS = [
    "On Monday, Sept. 25, 2021 - Protests on 4 June 2020 and between May 3 and 5, 2019 (2018).",
    "Farvardin 12, 1402; 28 Mordad 1401; the Iranian year 1403; early March 2022, the 1990s.",
    "In the past few days, two weeks ago, last month, earlier this year and recently, bathe 4 June.",
    "the uprising's 262nd day, Sunday; the twentieth day of the protests; since late summer of 2022.",
    "Tehran 2023 election, the 2019 protests, 2015-2018 and 2020/21; 2023-07-14 at 10:30.",
    "In 1999’s summer, 2022's protests, the late 1970s, 1980-85, x2001's, 12019's, 1990-2100 and 20222.",
    "The day before yesterday, this Morning, last night, earlier today, Tonight; in recent weeks, over the "
    "previous two months, for the last 3 days, the past year, the last day of May, in the past few hours.",
    "Since the start of the 2022 uprising and the outbreak of the Mahsa Amini protests; restart of the revolution.",
]


@pytest.mark.parametrize("text", [t for base in HINT_TEXTS for t in (base, base.upper(), base.swapcase())])
def test_hinted_scan_matches_plain_scan(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trying rules only where their hints allow finds what running them over every window finds."""
    from eventledger.stages import datetext
    from eventledger.stages.datepatterns import patterns

    hinted = datetext._candidates(text, patterns())
    monkeypatch.setattr(datetext, "_FOLDS_TO_ASCII", (" ",))  # every text has a space: no hints
    assert hinted == datetext._candidates(text, patterns())


def test_windows_stretched_lazily_match_one_by_one() -> None:
    """`_around` (an end stretched only when needed) gives what `_add_window` per hit gives."""
    import random

    from eventledger.stages import datetext

    rng = random.Random(5)
    text = "".join(rng.choice("ab1 ,'") for _ in range(400))
    for before, after in ((0, 0), (3, 2), (30, 18)):
        for _ in range(50):
            starts = sorted(rng.sample(range(len(text)), rng.randint(0, 30)))
            hits = [(s, min(len(text), s + rng.randint(1, 4))) for s in starts]
            expected: list[tuple[int, int]] = []
            for a, b in hits:
                datetext._add_window(expected, text, a - before, b + after)
            assert datetext._around(text, hits, before, after) == expected


def test_trie_matches_the_longest_word() -> None:
    import re

    from eventledger.stages.scan import trie

    pattern = re.compile(trie(["mar", "march", "may", "in", "into"]))
    assert [m.group() for m in map(pattern.match, ["marching", "into", "mayhem", "marx"]) if m] == \
        ["march", "into", "may", "mar"]


def test_one_scan_finds_what_each_trigger_and_gate_finds() -> None:
    """`_hits` (one scan for every trigger and gate word) gives each trigger's `finditer` hits and
    each gate word's non-overlapping occurrences, also where words overlap."""
    import random

    from eventledger.stages import datetext
    from eventledger.stages.datepatterns import patterns

    pats = patterns()
    rng = random.Random(2)
    pieces = ["day", "monday", "decade", "december", "same ", "next  ", "following\n", " before", " after",
              "start of", "onset", " of ", "2022", "20222", "752", "dey", "yalda", "may", "nniversar", "hourecent",
              "afternoonight", "massacre", "x", " "]
    for _ in range(300):
        low = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        hits, words = datetext._hits(low, pats)
        for regex, found in hits.items():
            assert found == [m.span() for m in regex.finditer(low)]
        for word, found in words.items():
            expected, at = [], low.find(word)
            while at >= 0:
                expected.append(at)
                at = low.find(word, at + len(word))
            assert found == expected


def test_positions_within_windows_either_way() -> None:
    """`_within` gives the positions from each window's start to its limit, whichever way it looks
    (window by window, or position by position when there are fewer positions)."""
    import random

    from eventledger.stages.datetext import _within

    rng = random.Random(4)
    for _ in range(2000):
        positions = sorted(rng.sample(range(200), rng.randint(0, 40)))
        cuts = sorted(rng.sample(range(201), 2 * rng.randint(0, 10)))
        reach = [(a, rng.randint(a, b), b) for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
        expected = [(s, b) for a, limit, b in reach for s in positions if a <= s < limit]
        assert _within(positions, reach) == expected


@pytest.mark.parametrize("text", [t for base in [*HINT_TEXTS, "On Nowruz, the Jaleh Square massacre and May Day; "
                                                 "Woman, Life, Freedom movement's 40th day, Yalda Night."]
                                  for t in (base, base.upper(), base.swapcase(), base + " ı")])
def test_event_names_found_at_word_starts_match_finditer(text: str) -> None:
    """`_event_names` (tried only where a name may begin) finds what `events_any.finditer` finds."""
    from eventledger.stages import datetext
    from eventledger.stages.datepatterns import patterns

    pats = patterns()
    found = [(m.span(), m.lastgroup) for m in datetext._event_names(text, pats)]
    assert found == [(m.span(), m.lastgroup) for m in pats.events_any.finditer(text)]


CONTEXT_TEXTS = [
    "Elections will be held on June 18; since May 3 protests went on, until the 2022 uprising's 40th day.",
    "The rally, scheduled for Friday, was banned up to March 2023. As of 2021 he was in prison; upcoming Monday.",
    "Xwill June 4, ever since 2019;\nshall the 2020 vote as of\nApril 2, by the end of 2024 approaching.",
]


@pytest.mark.parametrize("text", [t for base in CONTEXT_TEXTS for t in (base, base.upper(), base.swapcase())])
def test_context_phrases_prefiltered_match_plain_search(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Searching for cue and future phrases only in slices where one may begin (`_may_begin`) gives
    the atoms searching every slice gives."""
    from eventledger.stages import datetext

    prefiltered = datetext._scan.__wrapped__(text)
    monkeypatch.setattr(datetext, "_FOLDS_TO_ASCII", (" ",))  # every text has a space: every slice searched
    assert prefiltered == datetext._scan.__wrapped__(text)
    assert any(a.future for a in prefiltered) and any(a.cue for a in prefiltered)


def test_sentence_boundary_opening_with_one_set_matches_the_plain_pattern() -> None:
    import random
    import re

    from eventledger.stages.datepatterns import patterns

    plain = re.compile(r"[.!?][\"”’)]*\s+|\n")
    rng = random.Random(1)
    for _ in range(3000):
        text = "".join(rng.choice(".!?\n \"”’)ab\t") for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in patterns().boundary.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_later_decade_in_a_report_dated_by_inference_is_no_implausible_date() -> None:
    """An inferred publication date is only the text's latest full date: "the mid-1980s" after it is
    history told later, not a sign of an error (a stated date still bounds the dates a year ahead)."""
    from eventledger.stages.dates import find_dates

    text = "He was hanged on 3 May 1982. Such hangings went on until the mid-1980s."
    base = Analysis(report=Report(doc="r", text=text, published=dt.date(1982, 5, 4), published_precision="inferred"))
    found = find_dates(base)
    assert any(d.surface.endswith("the mid-1980s") for d in found.dates) and not found.problems
    stated = find_dates(replace(base, report=replace(base.report, published_precision="day")))
    assert not any(d.surface.endswith("the mid-1980s") for d in stated.dates) and stated.problems
