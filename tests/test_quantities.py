"""Figures in text: values, qualifiers, units and what is not a count."""

from __future__ import annotations

from dataclasses import replace

import pytest

from eventledger.stages.quantities import Number, find_numbers, parse_number


def counts(text: str) -> list[tuple[str, int | None, str]]:
    """(surface, value, qualifier) of the plain counts in `text`."""
    return [(n.surface, n.value, n.qualifier) for n in find_numbers(text) if n.unit is None and not n.vague]


def only(text: str) -> Number:
    found = find_numbers(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("surface", "value"), [
    ("1,500", 1500), ("10,000", 10000), ("250,000", 250000), ("1,000,000", 1000000), ("30.000", 30000),
    ("7", 7), ("1.5 million", 1500000), ("2 million", 2000000), ("5k", 5000), ("12K", 12000),
    ("two", 2), ("eight", 8), ("twenty-four", 24), ("three thousand", 3000), ("a hundred", 100),
    ("one hundred and fifty", 150), ("two hundred thousand", 200000), ("a dozen", 12),
    ("۱۰۰۰۰", 10000), ("٣", 3), ("۲٬۵۰۰", 2500),
])
def test_parse_number(surface: str, value: int) -> None:
    assert parse_number(surface) == value


def test_parse_number_rejects_vague_and_broken() -> None:
    assert parse_number("dozens") is None
    assert parse_number("thousands") is None
    assert parse_number("two three") is None
    assert parse_number("abc") is None


def test_digits_words_and_offsets() -> None:
    text = "Police held 1,250 people and released forty-two of them."
    found = find_numbers(text, offset=100)
    assert [(n.surface, n.value) for n in found] == [("1,250", 1250), ("forty-two", 42)]
    assert all(text[n.start - 100:n.end - 100] == n.surface for n in found)


def test_persian_digits_next_to_persian_letters() -> None:
    n = only("گزارش ۲۵۰۰نفر")
    assert n.value == 2500 and n.unit is None


@pytest.mark.parametrize(("text", "qualifier"), [
    ("at least 40 were held", "at_least"), ("more than 900 died", "at_least"), ("over 3,000 marched", "at_least"),
    ("upwards of 60 were hurt", "at_least"), ("no fewer than 12 were shot", "at_least"),
    ("a 1,500+ crowd", "at_least"), ("around 70 gathered", "about"), ("about 70 gathered", "about"),
    ("nearly 800 fled", "about"), ("almost 20 were held", "about"), ("some 4,000 workers", "about"),
    ("approximately 35 students", "about"), ("roughly 90 nurses", "about"), ("an estimated 6,000 people", "about"),
    ("close to 300 people", "about"), ("up to 50 people", "about"), ("fewer than 10 people", "about"),
    ("exactly 17 people", "exact"), ("the 45 strikers", "exact"),
])
def test_qualifiers(text: str, qualifier: str) -> None:
    assert only(text).qualifier == qualifier


def test_vague_amounts_have_no_value_but_a_floor() -> None:
    found = find_numbers("Tens of thousands marched; dozens were held; hundreds of thousands watched; thousands")
    assert [(n.value, n.vague, n.floor, n.qualifier) for n in found] == [
        (None, True, 10000, "at_least"), (None, True, 12, "at_least"),
        (None, True, 100000, "at_least"), (None, True, 1000, "at_least")]


@pytest.mark.parametrize(("text", "unit"), [
    ("a 64 percent rise", "percent"), ("rose by 12%", "percent"), ("12 per cent", "percent"),
    ("after 43 years of rule", "years"), ("for five long years", "years"), ("sentenced to 90 months", "months"),
    ("a strike of three days", "days"), ("two nights of unrest", "days"), ("for 6 weeks", "weeks"),
    ("a 3-day strike", "days"), ("a 62-year-old teacher", "age"), ("an 8-point plan", "modifier"),
    ("$3 million in bail", "money"), ("fined 500,000 tomans", "money"), ("given 74 lashes", "lashes"),
    ("over four decades", "decades"),
])
def test_units(text: str, unit: str) -> None:
    assert only(text).unit == unit


@pytest.mark.parametrize("text", [
    "in 2021 they marched", "since 1979", "on 14 March", "on March 14, 2022", "the 43rd day", "its 5th anniversary",
    "at 10:30", "at 9 p.m.", "banner 960 x 540", "photo 800x600", "the COVID-19 crisis", "Flight 752 was downed",
    "under Article 18 of the law", "the Ten-Point Plan", "no one was hurt", "they helped one another",
    "the 1990s", "abc123 and 45def", "posted on 2023-08-21", "dated 21/08/2023",
])
def test_not_counts(text: str) -> None:
    assert counts(text) == []


def test_year_with_qualifier_or_people_noun_is_a_count() -> None:
    assert counts("at least 2000 protesters") == [("2000", 2000, "at_least")]
    assert counts("the 2000 workers struck") == [("2000", 2000, "exact")]


def test_sentence_initial_number_word_is_a_count() -> None:
    assert counts("Two students were held.") == [("Two", 2, "exact")]
    assert counts("They met Two Rivers officials.") == []


def test_broken_word_run_splits_into_numbers() -> None:
    assert [n.value for n in find_numbers("two three")] == [2, 3]


def test_find_numbers_gives_each_caller_its_own_list() -> None:
    text = "At least 30 people were arrested and 12 injured."
    first = find_numbers(text)
    first.clear()
    assert [n.value for n in find_numbers(text)] == [30, 12]
    assert [n.start for n in find_numbers(text, offset=5)] == [n.start + 5 for n in find_numbers(text)]


def test_lower_cased_scan_finds_what_ignorecase_finds() -> None:
    from eventledger.stages.quantities import vocab
    from eventledger.stages.scan import lowered

    v = vocab()
    for text in ("Twenty-Four people; THOUSANDS more, Hundreds of Thousands", "Dozens and ONE HUNDRED AND FIVE",
                 "\u212aelvin: two", "۱۰۰ and Three", "tens of thousands"):
        low = lowered(text)
        assert low is not None
        for fast, slow in ((v.words_lower, v.words), (v.vague_lower, v.vague)):
            assert [m.span() for m in fast.finditer(low)] == [m.span() for m in slow.finditer(text)]
    assert lowered("ſeven") is None and lowered("dotless ı") is None and lowered("İki") is None


def test_capitalised_word_test_is_necessary_for_the_pattern() -> None:
    import itertools

    from eventledger.stages.quantities import _CAPITAL_BEFORE, _ends_with_capitalised_word

    parts = ["", " ", "\n", "Flight", "flight", "x,Tehran", "(Ward", "killed", "U.S.", "é", "\u00a0"]
    for combo in itertools.product(parts, repeat=3):
        before = "".join(combo)
        assert _ends_with_capitalised_word(before) or not _CAPITAL_BEFORE.search(before), before


def test_patterns_between_words_find_what_the_lower_cased_ones_find() -> None:
    from eventledger.stages.quantities import _raw_vague, _raw_words, vocab
    from eventledger.stages.scan import lowered

    v = vocab()
    assert v.words_between is not None and v.vague_between is not None
    slow = replace(v, words_between=None, vague_between=None)
    for text in ("Twenty-Four people; thousands more, hundreds of thousands", "dozens and one hundred and five",
                 "tens of thousands", "xtwo two-x a hundred an thousand,three", "one", "", "scores of scores of"):
        low = lowered(text)
        for find in (_raw_words, _raw_vague):
            assert find(text, v, low) == find(text, slow, low), text


def test_end_test_passes_whatever_the_anchored_patterns_find() -> None:
    from eventledger.stages.quantities import _may_end_with, vocab

    v = vocab()
    for before in ("killed at least ", "at\nleast\n", "(about ", "approx. ", "AT LEAST", "\u212aILLED ", "over",
                   "in March ", "in March. ", "Sept.", "Marches ", "of 2022 ", "", "  "):
        assert _may_end_with(before, v.qualifier_ends) or not v.qualifier.search(before), before
        assert _may_end_with(before, v.month_ends, lower=False) or not v.month_before.search(before), before


def test_a_count_of_places_has_the_unit_places() -> None:
    text = "Nurses in at least 20 cities and 3 provinces struck; 40 people rallied."
    units = [(n.value, n.unit) for n in find_numbers(text)]
    assert units == [(20, "places"), (3, "places"), (40, None)]
