"""Each fast path of the statements stage (`stages/scan_statements.py`) gives what its plain rule gives.

Texts are generated (hypothesis) from fragments that exercise the edges of each pattern: word
characters and hyphens around a word, apostrophes of both kinds, capitals, initials, the start of
the text. All sentences are invented.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.data import load_toml
from eventledger.models import Analysis, Report
from eventledger.stages import scan_statements as scan
from eventledger.stages.shared import FIRST_TOKEN, TOKEN, alternation, alternation_not_after, names
from eventledger.stages.statements import find_statements, lexicon
from eventledger.stages.text import split

_TABLE = load_toml("statements.toml")
_VERBS = _TABLE["verbs"]


def _texts(fragments: list[str], max_size: int = 16) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(fragments), max_size=max_size).map("".join)


# ----------------------------------------------------------------------------- triggers

_TRIGGER_FRAGMENTS = [
    "said", "told", "quoted", "according to", "According to", "remarks", "statement", "of", "by", " ", "  ",
    "'s", "’s", "'", "’", "s", "-", "x", "A", "Ali", ",", ".", "\n", "(", "the ", "recent ", "\"",
]


@settings(max_examples=250, deadline=None)
@given(_texts(_TRIGGER_FRAGMENTS, 12), st.integers(0, 60))
def test_trigger_first_start_is_the_first_match_of_the_trigger_rule(text: str, cut: int) -> None:
    trigger = lexicon().trigger
    for start in range(len(text) + 1):
        for end in {len(text), min(len(text), start + cut)}:
            m = trigger.pattern.search(text, start, end)
            assert trigger.first_start(text, start, end) == (m.start() if m else None), (start, end)


def test_trigger_first_start_on_hand_written_edges() -> None:
    trigger = lexicon().trigger
    text = ("'s remarks of Ali said -said xsaid, the minister's statement; IRNA’s  recent remarks by Ali, "
            "according to Ali's words.'said (told) remarks from X, ’s speech 'statement of Y' -remarks of Z")
    for start in range(len(text)):
        for end in range(start, len(text) + 1, 3):
            m = trigger.pattern.search(text, start, end)
            assert trigger.first_start(text, start, end) == (m.start() if m else None), (start, end)


def test_trigger_rule_reads_as_written() -> None:
    """The rule: a speech word standing alone, "<noun> of <Name>", or "'s <noun>"."""
    triggers = [*_VERBS["speech"], *_VERBS["participles"], *_VERBS["quoting"], "according to"]
    nouns = alternation(_VERBS["speech_nouns"])
    plain = re.compile(rf"(?<![\w-])(?:{alternation(triggers)}|According\s+to)(?![\w-])"
                       rf"|['’]s\s+(?:[a-z-]+\s+)?(?:{nouns})\b|\b(?:{nouns})\s+(?:of|by|from)\s+[A-Z]")
    text = ("the minister's statement; -said xsaid said; remarks of Ali, according to him, According to X "
            "statement by the court ’s remarks")
    for a in range(len(text)):
        assert [m.span() for m in lexicon().trigger.pattern.finditer(text, a)] == \
            [m.span() for m in plain.finditer(text, a)]


# ----------------------------------------------------------------------------- name tokens

_NAME_FRAGMENTS = ["A", "B", "U.", "S.", "Mr.", "Dr", ".", " ", "\t", "a", "bc", "'", "’", "-", "É", "Ā", "al", "x",
                   "1", ",", "Ali", "de", "bin"]
_NAME_TEXTS = _texts(_NAME_FRAGMENTS, 18)


def _every_short_text(alphabet: str, longest: int) -> list[str]:
    texts = [""]
    for _ in range(longest):
        texts += [t + c for t in texts if len(t) == len(texts[-1]) for c in alphabet]
    return texts


def test_first_token_and_run_on_every_short_text() -> None:
    """Exhaustive over short texts of the characters where the token's parts differ (ASCII or not,
    capital or not, the abbreviation's dot and the space after it)."""
    token = re.compile(rf"(?<![\w'’.-])(?:{TOKEN})")
    particles = alternation(_TABLE["names"]["particles"])
    run = re.compile(rf"(?<![\w'’.-])(?:{TOKEN})(?:[ \t]+(?:(?:{particles})[ \t-]+)?(?:{TOKEN}))*")
    for text in _every_short_text("AÉa. -'", 5):
        assert [m.span() for m in re.finditer(FIRST_TOKEN, text)] == [m.span() for m in token.finditer(text)], text
        assert [m.span() for m in names().run.finditer(text)] == [m.span() for m in run.finditer(text)], text


@settings(max_examples=400, deadline=None)
@given(_NAME_TEXTS)
def test_first_token_is_the_token_not_after_a_word(text: str) -> None:
    plain = re.compile(rf"(?<![\w'’.-])(?:{TOKEN})")
    assert [m.span() for m in re.finditer(FIRST_TOKEN, text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_NAME_TEXTS)
def test_name_run_is_the_plain_run(text: str) -> None:
    particles = alternation(_TABLE["names"]["particles"])
    plain = re.compile(rf"(?<![\w'’.-])(?:{TOKEN})(?:[ \t]+(?:(?:{particles})[ \t-]+)?(?:{TOKEN}))*")
    assert [m.span() for m in names().run.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_token_patterns_keep_the_order_of_the_parts() -> None:
    plain, first = scan.token_patterns("[A-Z]", [("[A-C]", r"\.x"), ("[A-Z]", r"\w*")], r"\w")
    assert plain == r"[A-C]\.x|[A-Z]\w*"
    text = "B.x Bz aB.x D.x"
    assert [m.group() for m in re.finditer(first, text)] == [m.group() for m in re.finditer(rf"(?<!\w)(?:{plain})",
                                                                                           text)]


def test_rewritten_patterns_match_as_before() -> None:
    lex = lexicon()
    before = {
        lex.known_outlet: rf"(?<![\w-])(?:{alternation(_TABLE['outlets']['known'], lower=False)})(?![\w-])(?!\s+[A-Z])",
        lex.quoting: rf"(?<![\w-])(?:{alternation(_VERBS['quoting'])})\s+",
    }
    text = ("U.S. Vice President Mr. Ali al-Sadr-Nouri of IRNA, xIRNA and -IRNA told Élodie Ālex; Dr. Who "
            "cited Fars, quoted IRNA News, a.B. C. O'Neil-Jones and IRNA’s chief quoting him, -said, resaid, "
            "the -remarks of Ali, xremarks of Ali, remarks by Ali, according to Ali, Ali's statement")
    for new, old in before.items():
        for a in range(0, len(text), 7):
            assert [m.span() for m in new.finditer(text, a)] == [m.span() for m in re.compile(old).finditer(text, a)]
    assert re.fullmatch(alternation_not_after(["added", "asked"], r"[\w-]"), "added")
    assert not re.search(alternation_not_after(["added"], r"[\w-]"), "xadded")


# ----------------------------------------------------------------------------- speech verbs in one scan


@settings(max_examples=300, deadline=None)
@given(_texts(["said", "saying", "told", "telling", "called for", "calling for", "noted", "noting", " ", "-",
               "x", ",", "in", "  ", "stating", "went on to say", "claimed"], 12))
def test_one_scan_finds_what_the_two_patterns_find(text: str) -> None:
    lex = lexicon()
    assert lex.verb is not None
    found = [(m.span(), m.lastgroup) for m in lex.verb.finditer(text)]
    expected = [(m.span(), name) for name, pattern in (("speech", lex.speech), ("participle", lex.participle))
                for m in pattern.finditer(text)]
    assert sorted(found) == sorted(expected)


def test_one_scan_refuses_phrases_that_may_overlap() -> None:
    assert scan.one_scan(["said", "called for"], ["saying", "calling for"], alternation) is not None
    assert scan.one_scan(["said in"], ["saying", "in depth"], alternation) is None  # "in depth" may open inside
    assert scan.one_scan(["said"], ["o'saying"], alternation) is None


# ----------------------------------------------------------------------------- quotations

_SPANS = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1])), max_size=5)


@settings(max_examples=300, deadline=None)
@given(_SPANS, st.booleans())
def test_quotes_cover_what_the_plain_test_covers(spans: list[tuple[int, int]], ordered: bool) -> None:
    if ordered:  # apart and in order, as quotations in paragraphs are
        kept: list[tuple[int, int]] = []
        for span in sorted(spans):
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        spans = kept
    quotes = scan.Quotes(spans)
    assert [quotes.covers(i) for i in range(42)] == [scan.inside(spans, i) for i in range(42)]
    for a in range(0, 42, 3):
        for b in range(a, 42, 2):
            assert quotes.may_cover(a, b) or not any(scan.inside(spans, i) for i in range(a, b + 1))


# ----------------------------------------------------------------------------- words found by str.find


@settings(max_examples=300, deadline=None)
@given(_texts(["Ali", " ", "x", "-", "Reza", ".", "al-", "é", "_", "1"], 12), st.sampled_from(["Ali", "Ali Ali", "li"]),
       st.booleans())
def test_standalone_is_the_plain_pattern(text: str, word: str, overlapping: bool) -> None:
    plain = re.compile(rf"(?=(?<![\w-]){re.escape(word)}(?![\w-]))" if overlapping
                       else rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    assert list(scan.standalone(text, word, overlapping=overlapping)) == [m.start() for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Kayhan", "kayhan", "daily", "newspaper", "said", "-", "Ex", "Kayhanx", "the",
                                 "news", "agency", "\n", "  ", "İ"]), max_size=14))
def test_finding_a_name_written_as_an_outlet_agrees_with_the_plain_pattern(words: list[str]) -> None:
    text, nouns = " ".join(words), "daily|newspaper|news agency"
    plain = re.search(rf"(?<![\w-]){re.escape('Kayhan')}\s+(?:{nouns})(?![\w-])", text, re.IGNORECASE)
    assert scan.written_as_outlet(text, "Kayhan", nouns) == (plain is not None)


@settings(max_examples=200, deadline=None)
@given(_texts(["a", "Z", ",", ";", ":", " ", "\t", "\n", ".", "\u2003", "1"], 10), st.integers(0, 12))
def test_after_lowercase_is_the_plain_pattern(text: str, i: int) -> None:
    i = min(i, len(text))
    assert scan.after_lowercase(text, i) == (re.search(r"[a-z,;:]\s+\Z", text[:i]) is not None)


# ----------------------------------------------------------------------------- pre-tests, through the whole stage

_SENTENCE_FRAGMENTS = [
    "Reza Karimi", "Amnesty International", "IRNA", "the lawyer for Kaveh Sadri", "Nouri", "the court",
    "said", "told reporters", "quoted", "as saying", "According to", "according to", "'s remarks", "’s speech",
    "the remarks of", "a statement by", "stating", "added", "reported", "that the strike would go on",
    "on Monday", ",", ":", "“We will not yield,”", "\"Enough,\"", "during a sermon by", "the", "officials",
    "Tasnim news agency",
]


def _sentence(fragments: list[str]) -> str:
    return re.sub(r" (?=[,:'’])", "", " ".join(fragments)) + "."


def _plain_fast_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pre-test says yes, and the trigger scan starts at the sentence's start: the plain rules."""
    from eventledger.stages.statements import candidates

    monkeypatch.setattr(scan.TriggerScan, "first_start", lambda self, text, start, end: start)
    monkeypatch.setattr(candidates, "may_speak_without_verb", lambda *args: True)
    monkeypatch.setattr(candidates, "may_hold_possessive", lambda *args: True)
    monkeypatch.setattr(candidates, "may_end_noun_before", lambda *args: True)
    monkeypatch.setattr(candidates, "may_hold_noun_of", lambda *args: True)


def _statements(text: str) -> tuple:
    report = Report(doc="t.txt", text=text, publisher="Example Wire")
    return find_statements(replace(split(Analysis(report=report)), dates=(), places=())).statements


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_SENTENCE_FRAGMENTS), min_size=1, max_size=9).map(_sentence),
                min_size=1, max_size=3))
def test_pre_tests_drop_no_statement(sentences: list[str]) -> None:
    text = " ".join(sentences)
    fast = _statements(text)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _plain_fast_paths(monkeypatch)
        assert _statements(text) == fast
