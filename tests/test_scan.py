"""`stages.scan`: prefiltered scanning must give exactly what `finditer` gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.stages.actors import load as load_actors
from eventledger.stages.events import cues as events_stage
from eventledger.stages.lexicon import load as load_lexicon
from eventledger.stages.scan import Alternation, Scanner, StartIndex, literal_prefixes, prefix_test

TEXTS = [
    "Activists put up posters in two towns; others were arrested and later executed.",
    "On Monday the network's members set the office of the militia on fire, a witness said.",
    "ARRESTED: three teachers. The MEK and the IRGC traded claims; a hanging was reported.",
    "Protesters rallied, marched and chanted. Security forces opened fire and detained 40.",
    "İstanbul-based monitors (HRW, Amnesty) said the units put   up banners overnight.",
    "", "x", "   ", "arrest", "they", "a hanging", "set\nfire",
]


def spans(matches: list[re.Match[str]]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


@pytest.mark.parametrize("pattern, expected", [
    (r"\b(?:arrest(?:ed|ing)|detain(?:ed|ing))\b", {"arre", "deta"}),
    (r"\b(?:land ?mines?|ied)\b", {"land", "ied"}),
    (r"\b(?:(?:the|a) hangings?)\b", {"the ", "a ha"}),
    (r"(?<![\w/])(?:u\.n\.|eu)(?![\w/])", {"u.n.", "eu"}),
])
def test_literal_prefixes(pattern: str, expected: set[str]) -> None:
    assert literal_prefixes(re.compile(pattern, re.IGNORECASE), 4) == expected


@pytest.mark.parametrize("pattern", [
    r"arrested",  # no boundary before: a match may start inside a word
    r"\b\w+ed\b",  # any word
    r"\b(?:[^x]oo)\b",  # a negated class
    r"\b(?=\d)",  # empty
    r"\b(?:-x)",  # starts with something that is not a word character
])
def test_unbounded_patterns_are_not_prefiltered(pattern: str) -> None:
    assert literal_prefixes(re.compile(pattern)) is None


def test_scanner_equals_finditer_on_lexicon_and_fallbacks() -> None:
    patterns = [rule.pattern for rule in load_lexicon().rules]
    patterns += [re.compile(r"arrest"), re.compile(r"\b\w+ed\b")]  # two that fall back
    scanner = Scanner(patterns)
    for text in [*TEXTS, " ".join(TEXTS) * 3]:
        assert [spans(m) for m in scanner.scan(text)] == [spans(list(p.finditer(text))) for p in patterns], text


def test_scanner_falls_back_when_lowercasing_changes_length() -> None:
    text = "İİİ arrested"  # "İ".lower() is two characters
    pattern = re.compile(r"\barrested\b", re.IGNORECASE)
    assert len(text.lower()) != len(text)
    assert spans(Scanner([pattern]).scan(text)[0]) == [(4, 12, "arrested")]


def test_alternation_takes_the_first_alternative_that_matches() -> None:
    names = Alternation(["security forces", "security", "forces", "sec"], head=r"\b", tail=r"\b",
                        flags=re.IGNORECASE)
    text = "Security forces and security men; forces. SECURITY"
    assert spans(names.finditer(text)) == spans(list(names.pattern.finditer(text)))
    assert [m.group() for m in names.finditer(text)] == ["Security forces", "security", "forces", "SECURITY"]


def test_alternation_equals_finditer_on_actor_names() -> None:
    index = load_actors()
    for names in (index.names, index.short_names):
        for text in [*TEXTS, " ".join(TEXTS)]:
            assert spans(names.finditer(text)) == spans(list(names.pattern.finditer(text))), text


def test_empty_alternation_matches_nothing() -> None:
    assert Alternation([]).finditer("anything at all") == []


def test_scanner_candidates_are_the_word_starts_a_prefix_opens() -> None:
    """One pass with the prefix closure gives, for each pattern, the word starts where one of its
    prefixes begins: what looking every prefix up at every word start gives."""
    patterns = [rule.pattern for rule in load_lexicon().rules]
    scanner = Scanner(patterns)
    text = " ".join(TEXTS).lower() + " a hanging, the arrests; setting fire"
    expected: list[list[int]] = [[] for _ in patterns]
    for m in re.finditer(r"\b\w", text):
        for i, p in enumerate(patterns):
            if any(text.startswith(prefix, m.start()) for prefix in literal_prefixes(p) or ()):
                expected[i].append(m.start())
    assert scanner.candidates(text) == expected


# --------------------------------------------------------------------------- pre-tests of the events rules


_WORDS = ["to", "condemn", "the", "bombing", "families", "of", "people", "killed", "in", "anniversary", "born",
          "resident", "from", "Tabriz", "protest", "at", "execution", "memory", "involved", "a", "city", "residents",
          "living", "mourn", "for", ",", "against", "recent", "portraits", "relatives", "executed"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30), st.sampled_from(["killed", "executed",
                                                                                     "bombing", "arrested"]))
def test_the_reference_pre_test_never_hides_a_reference(words: list[str], trigger: str) -> None:
    """`Lexicon.cue_start` (a `scan.prefix_test`) finds nothing only where `Lexicon.refers_back` says no."""
    lexicon = load_lexicon()
    text = " ".join(words) + " " + trigger
    before = text[max(0, len(text) - len(trigger) - 64):len(text) - len(trigger)]
    assert lexicon.cue_start is not None
    for event_type in ("assault", "protest"):
        if lexicon.refers_back(before, event_type):
            assert lexicon.cue_start.search(before) is not None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=12))
def test_the_origin_pre_test_never_hides_an_origin(words: list[str]) -> None:
    """`_is_origin`'s pre-test finds a word beginning wherever its rule alone matches."""
    text = " ".join(words) + " "
    pos = len(text)
    rule = events_stage._ORIGIN.search(text, max(0, pos - 48), pos) is not None
    if rule:
        assert events_stage._ORIGIN_START.begins_between(text, max(0, pos - 48), pos)


def test_a_prefix_test_finds_where_each_pattern_can_begin() -> None:
    patterns = [re.compile(r"\b(?:to (?:condemn|mourn))", re.I), re.compile(r"\banniversary of", re.I)]
    test = prefix_test(patterns)
    assert test is not None
    assert test.search("they met To Condemn it") and test.search("the anniversary of")
    assert test.search("a potato market") is None  # "to" inside a word is no start


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["born", "in", "Reborn", "from", "FROM", "Fromage", "x", " ", "lived", "the", "_from",
                                 "İ", "é", "9from", "-born", "\n", "Ölived"]), max_size=14),
       st.integers(0, 60), st.integers(0, 60))
def test_a_start_index_finds_what_its_plain_test_finds(words: list[str], a: int, b: int) -> None:
    """`StartIndex` (one pass of lower-case prefixes over the lower-cased text, kept at word starts) gives
    the starts of its plain test (a look-behind and IGNORECASE), and `begins_between` says yes exactly
    where one of them lies in the window, so wherever `search` over the window finds a match."""
    index = StartIndex([re.compile(r"\b(?:born|lived) in|\bfrom", re.I)])
    text = "".join(w if i % 2 else w + " " for i, w in enumerate(words))
    assert index.starts(text) == [m.start() for m in index.test.finditer(text)]
    found = index.begins_between(text, a, b)
    assert found == any(a <= m.start() < b for m in index.test.finditer(text))
    if index.test.search(text, a, b) is not None:
        assert found
