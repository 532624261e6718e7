"""The publication date: metadata, datelines, labels, and inference from the text."""

from __future__ import annotations

import datetime as dt

import pytest
from published_heads import HEADS, Head

from eventledger.models import Analysis, Report
from eventledger.stages.bylines import LineDate, is_menu_line, read_date_line
from eventledger.stages.published import (
    byline_date,
    choose_reading,
    dateline_date,
    infer_published,
    labelled_date,
    published_from_text,
    resolve_published,
    title_date,
)

D = dt.date
BODY = ("teachers and retirees gathered in front of the education office to demand unpaid wages, "
        "chanting slogans against the officials who had promised a raise for years.")


@pytest.mark.parametrize("opening, expected", [
    ("Iran, March 9, 2021 - ", D(2021, 3, 9)),
    ("Iran, March 9, 2021—", D(2021, 3, 9)),
    ("PARIS, FRANCE, September 25, 2021 - ", D(2021, 9, 25)),
    ("TEHRAN, Iran (AP) — March 9, 2021 — ", D(2021, 3, 9)),
    ("March 9, 2021 — ", D(2021, 3, 9)),
    ("GENEVA (9 March 2021) – ", D(2021, 3, 9)),
    ("KABUL, 09.03.2021 – ", D(2021, 3, 9)),
    ("Tehran, 25/03/2021 - ", D(2021, 3, 25)),
])
def test_datelines(opening: str, expected: dt.date) -> None:
    text = f"Teachers protest unpaid wages\n\n{opening}In Shiraz, {BODY}"
    assert dateline_date(text) == expected
    assert published_from_text(text) == (expected, "day")


def test_short_dateline_paragraph() -> None:
    text = f"Teachers protest\n\nTEHRAN, March 9, 2021 - Teachers rallied again on Tuesday.\n\nIn Shiraz, {BODY}"
    assert dateline_date(text) == D(2021, 3, 9)


def test_a_date_that_opens_a_sentence_is_not_a_dateline() -> None:
    text = f"Teachers protest\n\nOn March 9, 2021, in Shiraz, {BODY}"
    assert dateline_date(text) is None
    assert published_from_text(text) == (D(2021, 3, 10), "inferred")


def test_labelled_date() -> None:
    text = f"Teachers protest\nPublished: 12 April 2022\n\nIn Shiraz, {BODY}"
    assert labelled_date(text) == D(2022, 4, 12)
    assert published_from_text(text) == (D(2022, 4, 12), "day")


def test_a_dated_letter_is_not_a_label() -> None:
    text = f"Teachers protest\n\nIn a letter dated 2 April 2022, {BODY}"
    assert labelled_date(text) is None


def test_page_header_date_is_not_the_publication_date() -> None:
    text = (
        "Saturday, July 27, 2024\n"
        "HomeNewsIran\n\n"
        "Units active across Iran\n\n"
        "From Wednesday, July 1, to Saturday, July 4, activists put up posters in Tabriz and Rasht. "
        "The protests of November 2019 and January 2020 showed the anger of society. " + BODY + "\n"
        "An official said on May 12 that the regime was worried.\n"
    )
    found, precision = published_from_text(text)
    assert precision == "inferred"
    assert found is not None and D(2020, 7, 4) <= found <= D(2020, 7, 10)


def test_header_date_that_agrees_with_the_text_is_kept() -> None:
    text = f"Saturday, 14 February 2023\nNews\n\nOn 9 February 2023, two men were hanged. {BODY}"
    assert published_from_text(text) == (D(2023, 2, 14), "inferred")


def test_the_date_under_the_headline_is_the_byline_date() -> None:
    text = f"Stop the executions\n14 February 2023\n\nOn 9 February 2023, two men were hanged. {BODY}"
    assert byline_date(text) == D(2023, 2, 14)
    assert published_from_text(text) == (D(2023, 2, 14), "day")


def test_a_byline_date_dates_a_text_whose_own_dates_lack_years() -> None:
    # Inference alone would put "On 1 March" in 2024, the latest year the text names.
    text = (f"Iran: Authorities must halt imminent executions\n\n4 March 2025\n\n"
            f"In 2024, a rights group recorded at least 900 executions. On 1 March, {BODY}")
    assert infer_published(text)[0] is not None and infer_published(text)[0].year == 2024
    assert published_from_text(text) == (D(2025, 3, 4), "day")


@pytest.mark.parametrize("top", ["728 x 90\n", "", "\n\n", "HomeNews\n"])
def test_a_date_heading_the_page_or_under_a_banner_is_no_byline(top: str) -> None:
    text = f"{top}Saturday, July 27, 2024\nUnits active across Iran\n\nOn July 1, 2020, {BODY}"
    assert byline_date(text) is None


def test_month_day_a_few_months_after_the_latest_date() -> None:
    text = f"The protests began in September 2022 after the death of Mahsa Amini. {BODY} On Dec. 8, a man was hanged."
    assert infer_published(text) == (D(2022, 12, 9), "inferred")


def test_without_years_the_header_bounds_the_weekday_year() -> None:
    text = f"Saturday, July 27, 2024\nNews\n\nOn Wednesday, July 1, {BODY}"
    # 1 July was a Wednesday in 2020 and 2026: the page was seen in 2024, so 2020.
    assert published_from_text(text) == (D(2020, 7, 2), "inferred")


def test_weekday_picks_the_year_near_the_texts_years() -> None:
    text = f"In 2016 and 2017 strikes grew. On Thursday, March 1, {BODY}"
    # 1 March fell on a Thursday in 2018 (and 2012, 2029): 2018 is nearest to 2017.
    assert infer_published(text) == (D(2018, 3, 2), "inferred")


def test_month_day_after_the_latest_explicit_date() -> None:
    text = f"On June 2, 2022, {BODY} On June 20 the workers returned. On June 9 police came."
    assert infer_published(text) == (D(2022, 6, 21), "inferred")


def test_old_month_day_falls_in_the_previous_year() -> None:
    text = f"On Monday, June 1, 2020, {BODY} On November 17 an official had warned them."
    assert infer_published(text) == (D(2020, 6, 2), "inferred")


def test_future_dates_do_not_count() -> None:
    text = f"On June 2, 2022, {BODY} A rally will be held on July 30 in Berlin."
    assert infer_published(text) == (D(2022, 6, 3), "inferred")


def test_numbered_anniversary_dates_the_text() -> None:
    text = f"The massacre of the summer of 1988, which marks its 30th anniversary these days, {BODY}"
    found, _ = infer_published(text)
    assert found is not None and D(2018, 7, 1) <= found <= D(2018, 8, 31)


def test_nothing_to_infer() -> None:
    assert infer_published(f"Teachers protest. {BODY}") == (None, None)
    assert infer_published("") == (None, None)


def test_stage_keeps_metadata_date() -> None:
    report = Report(doc="a", text=f"Iran, March 9, 2021 - {BODY}", published=D(2021, 3, 10),
                    published_precision="day")
    assert resolve_published(Analysis(report=report)).report.published == D(2021, 3, 10)


def test_stage_fills_from_dateline_and_inference() -> None:
    dated = resolve_published(Analysis(report=Report(doc="a", text=f"Iran, March 9, 2021 - {BODY}")))
    assert (dated.report.published, dated.report.published_precision) == (D(2021, 3, 9), "day")
    inferred = resolve_published(Analysis(report=Report(doc="b", text=f"On March 9, 2021, {BODY}")))
    assert (inferred.report.published, inferred.report.published_precision) == (D(2021, 3, 10), "inferred")
    empty = resolve_published(Analysis(report=Report(doc="c", text=BODY)))
    assert empty.report.published is None and empty.report.published_precision is None


def test_a_bare_year_in_the_past_infers_no_publication_date() -> None:
    text = "Eight prisoners were executed this week.\n\nOne had been convicted of a robbery in 2009."
    assert infer_published(text) == (None, None)


@pytest.mark.parametrize("title, expected", [
    ("Iran News in Brief \u2013 January 12, 2025", D(2025, 1, 12)),
    ("Daily report on human rights in Iran \u2013 14 February 2025", D(2025, 2, 14)),
    ("Weekly digest | Monday, March 3, 2025", D(2025, 3, 3)),
    ("Executions since January 1, 2025", None),
    ("Protests on 5 May 2024 in Tehran", None),
    ("Iran News in Brief \u2013 January 12", None),
    (None, None),
])
def test_a_date_ending_a_digest_headline(title: str | None, expected: dt.date | None) -> None:
    assert title_date(title) == expected


def test_the_stage_reads_the_date_ending_the_title() -> None:
    report = Report(doc="a", title="Iran News in Brief \u2013 January 12, 2025",
                    text=f"Iran News in Brief \u2013 January 12, 2025\n\nOn Friday, January 10, {BODY}")
    found = resolve_published(Analysis(report=report)).report
    assert (found.published, found.published_precision) == (D(2025, 1, 12), "day")


@pytest.mark.parametrize("line, expected", [
    ("Hengaw Organization for Human Rights \u2013 Saturday, 8 March 2025", D(2025, 3, 8)),
    ("By Jane Doe | 8 March 2025", D(2025, 3, 8)),
    ("Hengaw, Saturday, 8 March 2025", D(2025, 3, 8)),
    ("Source: Hengaw | 8 March 2025 - 09:40", D(2025, 3, 8)),
    ("Police said on 8 March 2025", None),  # a sentence, not a credit
    ("The rights group, which counted the cases in Kurdistan, said so \u2013 8 March 2025", None),  # too long
])
def test_a_credit_and_a_date_under_the_headline(line: str, expected: dt.date | None) -> None:
    text = f"Porter killed near the border\n\n{line}\n\nOn Friday, {BODY}"
    assert byline_date(text) == expected


# --------------------------------------------------------------------------- date lines


@pytest.mark.parametrize("head", HEADS, ids=[h.name for h in HEADS])
def test_report_heads(head: Head) -> None:
    found, precision = published_from_text(head.text)
    assert found == head.expected
    if head.rejected is not None:
        assert precision != "day"


@pytest.mark.parametrize("line, readings, label, credit", [
    ("March 3, 2021 - 14:05", (D(2021, 3, 3),), None, False),
    ("Tuesday, 9 June 2020 08:15 AM", (D(2020, 6, 9),), None, False),
    ("Updated: 14:32 GMT, 21 November 2022", (D(2022, 11, 21),), "updated", False),
    ("Posted on October 5, 2022 by admin", (D(2022, 10, 5),), "published", True),
    ("By Jane Doe on March 3, 2021", (D(2021, 3, 3),), None, True),
    ("Updated March 4, 2021 | Published March 3, 2021", (D(2021, 3, 3),), "published", False),
    ("Published | 3 March 2021", (D(2021, 3, 3),), "published", False),
    ("07.11.2022 | 18:40", (D(2022, 11, 7), D(2022, 7, 11)), None, False),
    ("Friday, 03/05/2021", (D(2021, 3, 5),), None, False),  # 5 March 2021 was a Friday, 3 May a Monday
    ("3-5-21", (D(2021, 5, 3), D(2021, 3, 5)), None, False),
    ("5/5/2021", (D(2021, 5, 5),), None, False),
    ("'Feb 12, '24'".strip("'"), (D(2024, 2, 12),), None, False),
    ("2021\u5e743\u67085\u65e5 14:05", (D(2021, 3, 5),), None, False),
    ("\u0633\u0647\u200c\u0634\u0646\u0628\u0647 \u06f1\u06f5 \u0622\u0630\u0631 \u06f1\u06f4\u06f0\u06f1",
     (D(2022, 12, 6),), None, False),
    ("15/08/1401", (D(2022, 11, 6),), None, False),  # Solar Hijri, day first
])
def test_read_date_line(line: str, readings: tuple[dt.date, ...], label: str | None, credit: bool) -> None:
    found = read_date_line(line, today=D(2025, 6, 1))
    assert found is not None
    assert (found.readings, found.label, found.credit) == (readings, label, credit)


def test_a_two_digit_year_more_than_a_year_ahead_is_last_century() -> None:
    found = read_date_line("12 Feb 99", today=D(2025, 6, 1))
    assert found is not None and found.readings == (D(1999, 2, 12),)


@pytest.mark.parametrize("line", [
    "Police said on 8 March 2025",
    "On March 3, 2021 police arrested five teachers",
    "Index: ABC 12/3456/2022",
    "The rights group, which counted the cases in Kurdistan, said so \u2013 8 March 2025",
    "Nurses protest unpaid overtime",
    "14:05",
    "March 3 | 14:05",  # no year
    "31/31/2021",
    "Call 021-555-0199 for details",
])
def test_not_a_date_line(line: str) -> None:
    assert read_date_line(line) is None


@pytest.mark.parametrize("line, menu", [
    ("Home | Iran | Human Rights | About", True),
    ("HomeNewsIran", True),
    ("Home News Politics World Sports", True),
    ("Home > Middle East > Iran", True),
    ("Middle East \u00bb Iran", True),
    ("News | World | Business | Sport", True),
    ("Menu", True),
    ("HomeIran News NowIran Opposition & ResistanceMEK Units", True),
    ("Home demolitions spark protest in the south", False),
    ("Nurses protest unpaid overtime in the north", False),
    ("Iran News in Brief | January 12, 2025", False),
    ("By Jane Doe | Example Wire", False),
])
def test_menu_lines(line: str, menu: bool) -> None:
    assert is_menu_line(line) is menu


def test_an_updated_line_yields_to_the_byline_date() -> None:
    text = f"Teachers protest unpaid wages\nMarch 3, 2021\nUpdated: March 5, 2021 10:00\n\n{BODY}"
    assert published_from_text(text) == (D(2021, 3, 3), "day")
    text = f"Teachers protest unpaid wages\nUpdated: March 5, 2021 10:00\n\n{BODY}"
    assert published_from_text(text) == (D(2021, 3, 5), "day")


def test_a_date_line_above_the_menu_is_no_byline_even_under_a_banner_of_words() -> None:
    text = f"Advertise with us today\nSaturday, July 27, 2024\nHome | News | World\n\nTeachers protest\n\n{BODY}"
    assert byline_date(text) is None


def test_an_author_line_may_head_the_page() -> None:
    text = f"By Jane Doe | March 3, 2021\nTeachers protest unpaid wages\n\n{BODY}"
    assert byline_date(text) == D(2021, 3, 3)


def test_plain_numeric_dates_near_the_top_set_the_order() -> None:
    text = f"Teachers protest unpaid wages\n04/03/2021\n\n{BODY}\nPhoto taken 25/02/2021."
    assert byline_date(text) == D(2021, 3, 4)
    text = f"Teachers protest unpaid wages\n04/03/2021\n\n{BODY}\nPhoto taken 02/25/2021."
    assert byline_date(text) == D(2021, 4, 3)


def test_a_reading_after_the_page_viewed_date_is_dropped() -> None:
    found = LineDate((D(2021, 11, 4), D(2021, 4, 11)), numeric=True)
    text = f"Saturday, 1 May 2021\nHome | News | World\n\nTeachers protest\n04/11/2021\n\n{BODY}"
    assert choose_reading(found, text) == D(2021, 4, 11)


def test_without_clues_a_numeric_date_reads_day_first() -> None:
    found = LineDate((D(2021, 11, 4), D(2021, 4, 11)), numeric=True)
    assert choose_reading(found, f"Teachers protest\n04/11/2021\n\n{BODY}") == D(2021, 11, 4)
