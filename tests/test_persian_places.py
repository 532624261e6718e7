"""Persian place forms: plain, with the prefixes شهر / استان / زندان, prisons, lists, outlets."""

from __future__ import annotations

import pytest

from eventledger.stages.fa.normalise import words
from eventledger.stages.fa.places import find
from eventledger.stages.fa.vocabulary import load


def places(text: str) -> list[tuple[str, str, str]]:
    ws = words(text, 0, load().suffixes)
    return [(m.place.name, m.place.level, m.role) for m in find(text, ws, 0)]


@pytest.mark.parametrize(("text", "expected"), [
    ("تجمع در زاهدان", [("Zahedan", "city", "event")]),
    ("تجمع در شهر زاهدان", [("Zahedan", "city", "event")]),
    ("تجمع در استان سیستان و بلوچستان", [("Sistan and Baluchestan", "province", "event")]),
    ("تجمع در استان کرمانشاه", [("Kermanshah", "province", "event")]),
    ("تجمع در کرمانشاه", [("Kermanshah", "city", "event")]),
    ("زندانی در زندان اوین", [("Tehran", "city", "site")]),
    ("زندانی در زندان قزل‌حصار کرج", [("Karaj", "city", "site"), ("Karaj", "city", "event")]),
    ("زندانی در زندان مرکزی زاهدان", [("Zahedan", "city", "site")]),
    ("در خیابان‌های سنندج", [("Sanandaj", "city", "event")]),
    ("در مشهد، اصفهان و شیراز",
     [("Mashhad", "city", "event"), ("Isfahan", "city", "event"), ("Shiraz", "city", "event")]),
    ("در بندر ماهشهر", [("Mahshahr", "city", "event")]),
    ("به گزارش خبرگزاری فارس", []),
    ("دو نفر و سه تن", []),
])
def test_place_forms(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert places(text) == expected


def test_arabic_letters_and_joiners_fold() -> None:
    assert places("در شهر كرمانشاه") == [("Kermanshah", "city", "event")]


def test_second_half_of_a_compound_word_is_no_place() -> None:
    assert places("کامیون‌داران در کرمان") == [("Kerman", "city", "event")]


def test_a_prefix_alone_is_no_place() -> None:
    assert places("در شهرستان و بخش مرکزی") == []
