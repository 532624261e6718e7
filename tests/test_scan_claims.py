"""Each fast path of the claims stage (`stages/scan_claims.py`) gives what its plain rule gives."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.data import load_toml
from eventledger.models import Sentence
from eventledger.stages.claims import lexicon
from eventledger.stages.scan_claims import clause, has_figure, lowered, may_contain, needed_words
from eventledger.stages.shared import alternation


def test_clause_is_the_stretch_between_marks() -> None:
    """`clause` (marks found once per sentence) gives what searching for each mark gives."""
    def by_search(text: str, start: int, end: int) -> tuple[int, int]:
        left = max(text.rfind(c, 0, start) for c in ",;:“”\"")
        right = [i for i in (text.find(c, end) for c in ",;:“”\"") if i >= 0]
        return left + 1, min(right, default=len(text))

    rng = random.Random(3)
    for _ in range(2000):
        text = "".join(rng.choice("ab ,;:“”\"") for _ in range(rng.randint(0, 30)))
        start = rng.randint(0, len(text) + 2)
        end = rng.randint(start, len(text) + 3)
        assert clause(text, start, end) == by_search(text, start, end)


def test_lowered_keeps_what_ignorecase_finds() -> None:
    """`lowered`: but for the three characters it refuses, whatever IGNORECASE matches to an ASCII letter
    lower-cases to that letter, so an ASCII word found by a case-insensitive pattern is in `text.lower()`."""
    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    letters = {m.group() for m in re.finditer(r"(?i)[a-z]", every)}
    odd = sorted(c for c in letters if re.fullmatch(r"[a-z]", c.lower()) is None)
    assert odd == ["İ", "ı", "ſ"] and all(lowered(f"x{c}x") is None for c in odd)
    for c in set(letters) - set(odd):
        assert [x for x in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(x, c, re.IGNORECASE)] == [c.lower()]
    assert may_contain(lowered("ACCORDING to"), ("according",))
    assert not may_contain(lowered("so far"), ("according",))


_TABLE = load_toml("claims.toml")["claims"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["in total", "IN", "Total", "so far", "so", "far", "a report by", "report", " ",
                                 "x", "-", "alone", "K", "ſ", "ı", "İ", "capital", "Capital city", "."]),
                max_size=10).map(" ".join),
       st.sampled_from(["tally", "report_nouns"]))
def test_the_word_pre_test_never_hides_a_match(text: str, key: str) -> None:
    """Where `may_contain` says no, the case-insensitive pattern of the phrases finds nothing."""
    phrases = _TABLE[key]
    pattern = re.compile(rf"\b(?:{alternation(phrases)})\b", re.IGNORECASE)
    if not may_contain(lowered(text), needed_words(phrases)):
        assert pattern.search(text) is None


def test_the_lexicon_keeps_a_pre_test_for_each_case_insensitive_search() -> None:
    lex = lexicon()
    assert lex.tally_words and lex.report_words and lex.capital_words
    assert needed_words(["in total", "exécutions"]) is None  # not ASCII: no pre-test


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=8).map(sorted), st.integers(0, 60), st.integers(0, 20))
def test_has_figure_is_any_start_in_the_sentence(starts: list[int], start: int, length: int) -> None:
    s = Sentence(start=start, end=start + length, text="x" * length, paragraph=0)
    assert has_figure(starts, s) == any(s.start <= x < s.end for x in starts)
