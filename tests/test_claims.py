"""Stage claims.v1 on invented sentences: categories, qualifiers, periods, sources, filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from eventledger.models import Analysis, Claim, DateMention, Place, PlaceMention, Report
from eventledger.stages.claims import find_claims
from eventledger.stages.text import split

D = dt.date


def analyse(text: str, dates: tuple[DateMention, ...] = (), places: tuple[PlaceMention, ...] = (),
            publisher: str | None = "Example Monitor") -> Analysis:
    report = Report(doc="t.txt", text=text, publisher=publisher, published=D(2023, 9, 1))
    analysis = replace(split(Analysis(report=report)), dates=dates, places=places)
    return find_claims(analysis)


def date(text: str, surface: str, start: D, end: D | None, precision: str = "day", role: str = "point") -> DateMention:
    i = text.index(surface)
    return DateMention(i, i + len(surface), surface, start, end, precision, role)


def place(text: str, surface: str, level: str = "city", country: str = "IR") -> PlaceMention:
    i = text.index(surface)
    return PlaceMention(i, i + len(surface), surface, Place(surface, level, country))


def claims(text: str, **kw: object) -> list[Claim]:
    return list(analyse(text, **kw).claims)  # type: ignore[arg-type]


def one(text: str, **kw: object) -> Claim:
    found = claims(text, **kw)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "value", "category"), [
    ("Rights monitors say at least 95 prisoners were hanged across the country.", 95, "executed"),
    ("The authorities carried out 340 executions last year.", 340, "executed"),
    ("The regime put to death more than 200 people.", 200, "executed"),
    ("Security forces have killed at least 312 protesters.", 312, "killed"),
    ("The crackdown left over 600 martyrs.", 600, "killed"),
    ("The massacre of 4,000 prisoners still haunts their families.", 4000, "killed"),
    ("The outbreak caused nearly 20,000 deaths.", 20000, "deaths"),
    ("Over 15,000 demonstrators have been detained.", 15000, "arrested"),
    ("The wave of arrests reached 2,300 detainees.", 2300, "arrested"),
    ("More than 700 activists have been jailed or have disappeared.", 700, "imprisoned_or_missing"),
    ("At least 1,100 people were wounded by birdshot.", 1100, "injured"),
    ("Prosecutors issued more than 900 indictments in the province.", 900, "indicted"),
    ("The network carried out some 1,200 operations against the regime.", 1200, "operations"),
    ("Activists sent 3,000 video messages to the convention.", 3000, "messages"),
    ("Some 2,000 people rallied outside the governor's office.", 2000, "participants"),
])
def test_categories(text: str, value: int, category: str) -> None:
    claim = one(text)
    assert (claim.value, claim.category) == (value, category)


@pytest.mark.parametrize(("text", "qualifier"), [
    ("At least 60 teachers have been arrested.", "at_least"),
    ("More than 60 teachers have been arrested.", "at_least"),
    ("Around 60 teachers have been arrested.", "about"),
    ("Nearly 60 teachers have been arrested.", "about"),
    ("Sixty teachers have been arrested.", "exact"),
])
def test_qualifiers(text: str, qualifier: str) -> None:
    assert one(text).qualifier == qualifier


def test_period_since_opens_the_period() -> None:
    text = "At least 140 prisoners have been executed since March 3, 2023."
    claim = one(text, dates=(date(text, "since March 3, 2023", D(2023, 3, 3), None, role="since"),))
    assert (claim.period_start, claim.period_end) == ("2023-03-03", None)


def test_a_clause_since_something_began_opens_the_period() -> None:
    text = "Since the uprising began in September 2022, at least 10 protesters have been executed."
    claim = one(text, dates=(date(text, "September 2022", D(2022, 9, 1), D(2022, 9, 30), "month"),))
    assert (claim.period_start, claim.period_end) == ("2022-09-01", None)


@pytest.mark.parametrize("comparison", ["the highest number since", "the most since", "for the first time since"])
def test_a_date_compared_with_is_not_the_period(comparison: str) -> None:
    text = f"In 2024, the group recorded at least 972 executions in Iran, {comparison} 2015."
    found = one(text, dates=(date(text, "2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
                             date(text, "2015", D(2015, 1, 1), D(2015, 12, 31), "year")))
    assert (found.period_start, found.period_end) == ("2024-01-01", "2024-12-31")


def test_a_comparison_in_the_sentence_before_does_not_hide_a_since() -> None:
    text = "Arrests were the highest since 2015. Since March 3, 2023, over 140 prisoners have been executed."
    found = claims(text, dates=(date(text, "2015", D(2015, 1, 1), D(2015, 12, 31), "year"),
                                date(text, "Since March 3, 2023", D(2023, 3, 3), None, role="since")))
    assert [(c.value, c.period_start) for c in found] == [(140, "2023-03-03")]


def test_period_year_and_month_cover_both_ends() -> None:
    text = "In 2021, more than 300 people were executed. In May 2022, 120 protesters were arrested."
    found = claims(text, dates=(date(text, "2021", D(2021, 1, 1), D(2021, 12, 31), "year"),
                                date(text, "May 2022", D(2022, 5, 1), D(2022, 5, 31), "month")))
    assert [(c.value, c.period_start, c.period_end) for c in found] == [
        (300, "2021-01-01", "2021-12-31"), (120, "2022-05-01", "2022-05-31")]


def test_period_as_of_closes_the_period_and_none_stays_null() -> None:
    text = "As of June 2023, over 4,500 students had been arrested. Over 900 nurses had been arrested."
    found = claims(text, dates=(date(text, "June 2023", D(2023, 6, 1), D(2023, 6, 30), "month"),))
    assert [(c.period_start, c.period_end) for c in found] == [(None, "2023-06-30"), (None, None)]


def test_history_is_a_claim_with_its_period() -> None:
    text = "Survivors recall the 1981 massacre of more than 2,000 prisoners."
    claim = one(text, dates=(date(text, "1981", D(1981, 1, 1), D(1981, 12, 31), "year"),))
    assert (claim.category, claim.qualifier, claim.period_start) == ("killed", "at_least", "1981-01-01")


@pytest.mark.parametrize(("text", "source"), [
    ("Amnesty International reports that at least 250 people were executed this year.", "Amnesty International"),
    ("According to HRANA, more than 700 students have been arrested.", "HRANA"),
    ("State media has boasted of more than 500 indictments.", "State media"),
    ("Over 400 prisoners were executed in the first half of the year, Iran Human Rights said.", "Iran Human Rights"),
    ("The minister of justice revealed the arrest of 350 smugglers in the past year.", "Ministry of Justice"),
    ("The Kurdistan Rights Observatory, a monitoring group, has determined that 61 porters were killed.",
     "Kurdistan Rights Observatory"),
    ("More than 80 workers have been arrested in the province.", "Example Monitor"),
    # a sentence-opening word is no name: the figure falls to the publisher, never to "The"
    ("The group said 45 prisoners were hanged in March.", "Example Monitor"),
    ("It reported that at least 120 people were executed last year.", "Example Monitor"),
])
def test_claimed_by(text: str, source: str) -> None:
    assert one(text).claimed_by == source


def test_claim_by_publisher_may_be_none() -> None:
    assert one("More than 80 workers have been arrested.", publisher=None).claimed_by is None


def test_chanted_figures_belong_to_the_chanters() -> None:
    text = "Crowds chanted “300 of our youth were killed in the streets” outside the court."
    assert one(text).claimed_by == "protesters"


@pytest.mark.parametrize("text", [
    "The judiciary will execute 40 more prisoners next month.",
    "More than 300 detainees could face execution.",
    "Up to 25 activists may be executed.",
    "Officials denied that 800 protesters were killed.",
    "Some 500 people were not arrested, the police said.",
    "A rally of 3,000 supporters will be held on Friday.",
])
def test_hypotheticals_futures_denials_are_not_claims(text: str) -> None:
    assert claims(text) == []


def test_one_event_on_one_day_is_not_a_claim() -> None:
    text = "Four prisoners were hanged in Qazvin on Tuesday. Police arrested 36 people in Arak on August 3."
    dates = (date(text, "Tuesday", D(2023, 8, 29), D(2023, 8, 29), role="relative"),
             date(text, "August 3", D(2023, 8, 3), D(2023, 8, 3)))
    assert claims(text, dates=dates) == []


def test_small_figures_without_period_are_event_sizes_but_tallies_count() -> None:
    assert claims("Three activists were arrested at the scene.") == []
    text = "A count of local reports shows that since July 2, the regime has executed 19 prisoners."
    claim = one(text, dates=(date(text, "since July 2", D(2023, 7, 2), None, role="since"),))
    assert (claim.value, claim.category, claim.period_start) == (19, "executed", "2023-07-02")


def test_vague_percent_and_durations_are_not_claims() -> None:
    text = "Thousands of protesters were arrested after 40 years of executions and a 70 percent rise in hangings."
    assert claims(text) == []


def test_subset_after_including_belongs_to_the_main_figure() -> None:
    found = claims("Monitors say at least 480 people, including 60 children, have been killed.")
    assert [(c.value, c.category) for c in found] == [(480, "killed")]


def test_repeated_passage_gives_one_claim() -> None:
    text = ("Activists sent 2,500 video messages to the rally. The media ignored it.\n"
            "Activists sent 2,500 video messages to the rally.")
    assert len(claims(text)) == 1


def test_figure_with_two_categories_in_one_sentence() -> None:
    found = claims("Security forces killed at least 90 people and arrested 1,400 others during the strikes.")
    assert [(c.value, c.category) for c in found] == [(90, "killed"), (1400, "arrested")]


def test_evidence_is_the_sentence_verbatim() -> None:
    text = "Intro line.\n\nThe group says more than 1,300 people were detained in the crackdown. Next."
    analysis = analyse(text)
    claim = analysis.claims[0]
    assert claim.evidence == text[claim.evidence_start:claim.evidence_end]
    assert claim.evidence.startswith("The group says") and 0 < claim.confidence <= 1


def test_place_capital_city_and_country_default() -> None:
    text = "The courts issued over 800 indictments in the capital alone. Over 90 were killed in Zahedan."
    found = claims(text, places=(place(text, "Zahedan"),))
    assert [c.place for c in found] == ["Tehran", "Zahedan"]
    assert one("Nearly 900 people were executed in Iran last year.").place == "IR"


def test_figure_after_its_category_word_in_the_sentence() -> None:
    text = "The number of executions keeps rising, reaching at least 210 this year."
    claim = one(text)
    assert (claim.value, claim.category, claim.qualifier) == (210, "executed", "at_least")


def test_figure_counting_something_else_takes_no_earlier_category() -> None:
    assert claims("Amid a wave of executions, activists held vigils in 25 cities.") == []


def test_the_days_of_a_date_range_are_no_figures() -> None:
    text = "Security forces raided homes in the region between 25 and 30 August and detained dozens of people."
    span = date(text, "between 25 and 30 August", D(2023, 8, 25), D(2023, 8, 30), "span", "range")
    assert claims(text, dates=(span,)) == []



@pytest.mark.parametrize(("text", "expected"), [
    # a breakdown belongs to its total: the part is no claim of its own
    ("Of the 52 prisoners hanged in April, 31 were convicted of smuggling, the monitor said.", [(52, "executed")]),
    ("Of the 52 prisoners hanged in April, 31 were hanged in one prison.", [(52, "executed")]),
    ("At least 52 prisoners were hanged in April, 31 of them for smuggling.", [(52, "executed")]),
    ("At least 52 prisoners were hanged in April; 31 of those executed belonged to minorities.",
     [(52, "executed")]),
    ("Among the 143 prisoners executed in February, 6 were hanged in public.", [(143, "executed")]),
    ("The rights group recorded 612 executions in 2021, among them 7 juvenile offenders executed.",
     [(612, "executed")]),
    ("Medics say 38 people were killed over two days, 17 in Aleppo.", [(38, "killed")]),
    ("31 of the 52 prisoners executed in April were convicted of smuggling.", [(52, "executed")]),
    # two figures side by side, neither a part of the other
    ("A total of 270 protesters were detained in the city, and 65 were wounded, medics said.",
     [(270, "arrested"), (65, "injured")]),
])
def test_breakdown_figures_belong_to_their_total(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(c.value, c.category) for c in claims(text)] == expected


def test_a_sourced_yearly_figure_is_still_a_claim() -> None:
    text = "At least 640 people were put to death in 2022, Amnesty International said on Thursday."
    claim = one(text, dates=(date(text, "2022", D(2022, 1, 1), D(2022, 12, 31), "year"),))
    assert (claim.value, claim.category, claim.claimed_by, claim.period_start) == (
        640, "executed", "Amnesty International", "2022-01-01")


@pytest.mark.parametrize("text", [
    "She was detained at the age of 15 and kept in a cell for weeks.",
    "She was only 14 when police detained her outside the school.",
    "Parsa Nikzad, 19, was a mechanic when he was detained in 2020.",
    "She left school at 14.",
    "The young woman was hit by more than 70 pellets and later killed in hospital.",
    "He was lashed 30 times before being hanged in the prison.",
    "Customs officers seized 4.125 kg of opium and detained the driver in 2020.",
    "Hundreds were put to death in the purges of that summer (7).",
    "He was killed during the protests of 11-12 Aban in the city.",
    "He was killed by gunfire during the strikes in Aban month 1401.",
])
def test_ages_weights_notes_and_date_parts_are_no_counts(text: str) -> None:
    assert claims(text) == []


@pytest.mark.parametrize("text", [
    "When she was 22, she was arrested at work by plainclothes agents.",
    "She and 5 other defendants were charged with espionage in 2020.",
    "Many were detained in the unrest of 2009-10 in the capital.",
])
def test_ages_co_defendants_and_year_ranges_are_no_counts(text: str) -> None:
    assert claims(text) == []
