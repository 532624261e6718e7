"""The text stage: paragraphs and sentences, and that its sentences are spaCy's sentencizer's."""

from __future__ import annotations

import os
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.models import Analysis, Report
from eventledger.stages import text as text_stage
from eventledger.stages.text import exact_sentence_spans, paragraphs, sentence_spans, sentences, split

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
    "Tabs.\tand\u00a0no-break.\u00a0Spaces.  Two.   Three.\u2009Thin.\u3000Ideographic.",
    "Chinese \u4e2d\u6587\u3002\u7b2c\u4e8c\u53e5\uff01 Japanese \u3067\u3059\u3002 "
    "Hindi \u0939\u0948\u0964 \u0905\u0917\u0932\u093e",
    "URL https://example.com/a.b?c=d. Mail to a.b@example.org! Then \u2026 and (see p. 5). \"Quote.\" [1]. Next",
    "It ended at 9p.m . Then 5 p.m. came.",
    "-_-3pm(._. ) what",
    "\u2019s \u2019sHow\u2019ll\u2019ve< .<.<",
    "Ma'am.6p.m. ' 's))",
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


WORDS = ["Police", "arrested", "said", "Tehran", "U.S.", "U.K.", "Mr.", "Mrs.", "Dr.", "Jan.", "Inc.", "e.g.", "i.e.",
         "etc.", "a.m.", "p.m.", "9", "9p.m.", "9p.m", "3.5", "1,000", "5.", "$5", "5%", "No.", "vs.", "St.", "Gov.",
         "https://example.com/a.b", "www.example.org.", "a.b@example.org", "'s", "\u2019s", "n't", "can't", "o.O",
         ":)", ":-(", "._.", "(:", "<.<", "-_-", "\u4e2d\u6587", "\u0939\u0948",
         "\u062f\u0631", "\u041c\u043e\u0441\u043a\u0432\u0430"]
PUNCT = [".", "!", "?", "...", "\u2026", ",", ";", ":", "-", "\u2014", "\u2013", "\"", "'", "\u201c", "\u201d",
         "\u2018", "\u2019", "(", ")", "[", "]", "{", "}", "?!", "!!",
         "\u061f", "\u06d4", "\u0964", "\u3002", "\uff01", "\uff1f",
         "\u203c", "\u2049", "\uff0e", "*", "/", "&", "#"]
SPACES = [" ", " ", " ", " ", "", "", "  ", "   ", "\t", " \t", "\u00a0", " \u00a0", "\u2009", "\u3000", "\r", "\x0b",
          "\u2028"]
PIECES = st.lists(st.tuples(st.sampled_from(WORDS) | st.sampled_from(PUNCT), st.sampled_from(SPACES)),
                  min_size=1, max_size=50).map(lambda pairs: "".join(a + b for a, b in pairs))


@settings(max_examples=500 * SCALE, derandomize=SCALE == 1, deadline=None, database=None)
@given(PIECES)
def test_sentences_are_the_sentencizers_on_realistic_soup(paragraph: str) -> None:
    """Words, abbreviations, numbers, URLs, emoticons, quotes, brackets and sentence-final marks
    of several scripts, glued together or apart by every kind of white space."""
    paragraph = paragraph.strip()
    assert sentence_spans(paragraph) == reference_spans(paragraph)


@settings(max_examples=100 * SCALE, derandomize=SCALE == 1, deadline=None, database=None)
@given(st.lists(PIECES, min_size=1, max_size=5).map("\n".join))
def test_sentences_of_a_text_are_the_sentencizers_per_paragraph(text: str) -> None:
    expected = [(number, start + a, start + b) for number, (start, end) in enumerate(paragraphs(text))
                for a, b in reference_spans(text[start:end]) if text[start + a:start + b].strip()]
    assert [(s.paragraph, s.start, s.end) for s in sentences(text)] == expected


@settings(max_examples=300 * SCALE, derandomize=SCALE == 1, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from(list("aZ9 .!?()'\"-:;_<>\u2019\u201d\u3002\u00a0\t")), min_size=1, max_size=60))
def test_sentences_are_the_sentencizers_on_character_soup(paragraph: str) -> None:
    paragraph = paragraph.strip()
    assert sentence_spans(paragraph) == reference_spans(paragraph)


def test_exact_path_is_the_sentencizers() -> None:
    for paragraph in CASES:
        assert exact_sentence_spans(paragraph) == reference_spans(paragraph)


def test_special_case_across_chunks_takes_the_exact_path() -> None:
    """"9p.m" "." is one of the special matcher's patterns, so "9p.m ." is tokenized whole."""
    paragraph = "It ended at 9p.m . Then 5 p.m. came."
    with pytest.raises(text_stage._CrossRisk):
        text_stage._fast_spans(paragraph, 0, len(paragraph), text_stage._final_positions(paragraph))
    assert sentence_spans(paragraph) == reference_spans(paragraph)


def test_lone_surrogates_fail_as_in_spacy() -> None:
    with pytest.raises(UnicodeEncodeError):
        reference_spans("Bad \ud800 char")
    with pytest.raises(UnicodeEncodeError):
        sentences("Fine. Bad \ud800 char")


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
