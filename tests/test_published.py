"""The publication date: metadata, datelines, labels, and inference from the text."""

from __future__ import annotations

import datetime as dt

import pytest

from eventledger.models import Analysis, Report
from eventledger.stages.published import (
    byline_date,
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
    ("Police said on 8 March 2025", None),  # a sentence, not a credit
    ("The rights group, which counted the cases in Kurdistan, said so \u2013 8 March 2025", None),  # too long
])
def test_a_credit_and_a_date_under_the_headline(line: str, expected: dt.date | None) -> None:
    text = f"Porter killed near the border\n\n{line}\n\nOn Friday, {BODY}"
    assert byline_date(text) == expected
