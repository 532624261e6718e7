"""The text stage: paragraphs and sentences, and that its sentences are spaCy's sentencizer's."""

from __future__ import annotations

import os
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.models import Analysis, Report
from eventledger.stages.text import paragraphs, sentence_spans, sentences, split

SCALE = int(os.environ.get("EVENTLEDGER_FUZZ_SCALE", "1"))


@lru_cache(maxsize=1)
def _reference():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def reference_spans(paragraph: str) -> list[tuple[int, int]]:
    """What spaCy's own sentencizer makes of `paragraph`."""
    return [(s.start_char, s.end_char) for s in _reference()(paragraph).sents]


CASES = [
    "Protesters gathered in Tehran on Monday. Police arrested 12 people.",
    "Mr. Smith left the U.S. on Jan. 5. He said: \u201cWe won\u2019t stop.\u201d Then he left!",
    "Why? Because they could... And they did?!  Two spaces before this one.",
    "\u201cNo,\u201d she said. \u201cNever.\u201d (It was 9 p.m.) Crowds stayed.",
    "A headline without a full stop",
    "...",
    "!!! Wow",
    "Numbers like 3.5 and 1,000. Then e.g. this. Sites: example.com. Done",
    "Persian \u061f question mark\u061f Next \u06d4 and Devanagari \u0964 end",
    "Ends with punctuation and a quote.\u201d",
]


@pytest.mark.parametrize("paragraph", CASES)
def test_sentences_are_the_sentencizers(paragraph: str) -> None:
    assert sentence_spans(paragraph) == reference_spans(paragraph)


@settings(max_examples=200 * SCALE, derandomize=SCALE == 1, deadline=None, database=None)
@given(st.lists(st.sampled_from(["Police", "U.S.", "Mr.", "arrested", ".", "!", "?", "\u2019s", "\u201c", "\u201d",
                                 "\"", "(", ")", "...", "5.", "3.5", "  ", ",", "\u061f", "e.g.", "-", "\u2014"]),
                min_size=1, max_size=40).map(" ".join))
def test_sentences_are_the_sentencizers_on_any_token_soup(paragraph: str) -> None:
    paragraph = paragraph.strip()
    assert sentence_spans(paragraph) == reference_spans(paragraph)


def test_paragraphs_are_stripped_lines() -> None:
    text = "  Title  \n\n   \nFirst line. Second.\n\tLast\n"
    assert [text[a:b] for a, b in paragraphs(text)] == ["Title", "First line. Second.", "Last"]


def test_sentences_carry_offsets_and_paragraph_numbers() -> None:
    text = "Headline\n\nPolice arrested 5 people in Shiraz. Mrs. Rahimi said so.\nAnother paragraph."
    found = sentences(text)
    assert [s.text for s in found] == ["Headline", "Police arrested 5 people in Shiraz.", "Mrs. Rahimi said so.",
                                       "Another paragraph."]
    assert [s.paragraph for s in found] == [0, 1, 1, 2]
    assert all(text[s.start:s.end] == s.text for s in found)


def test_split_stage_fills_the_analysis() -> None:
    analysis = split(Analysis(report=Report(doc="d", text="One. Two.")))
    assert [s.text for s in analysis.sentences] == ["One.", "Two."]


def test_empty_text_has_no_sentences() -> None:
    assert sentences("") == []
    assert sentences("\n \n") == []
