"""Stage `text.v1`: split a report into paragraphs and sentences with character offsets.

Paragraphs are runs of text between line breaks (headlines and captions stand alone);
sentences inside a paragraph follow the rule of spaCy's rule-based sentencizer over spaCy's
tokenizer, which knows abbreviations such as "U.S." and "Mrs.": a sentence ends at a
sentence-final punctuation token ("." "!" "?" and their equivalents in other scripts), together
with any punctuation that follows it, and the next sentence starts at the next token that is not
punctuation. The rule is applied to the tokenizer's token arrays (`Doc.to_array`), which gives
the sentencizer's very sentences without building a Python object per token.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from eventledger.models import Analysis, Sentence

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

_PARAGRAPH = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """A blank English tokenizer (no model weights needed)."""
    import spacy

    return spacy.blank("en").tokenizer


@lru_cache(maxsize=1)
def _final_hashes() -> frozenset[int]:
    """The string hashes (`ORTH`) of the sentencizer's sentence-final punctuation."""
    from spacy.pipeline import Sentencizer
    from spacy.strings import hash_string

    return frozenset(hash_string(p) for p in Sentencizer.default_punct_chars)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, stripped of surrounding white space."""
    spans = []
    for m in _PARAGRAPH.finditer(text):
        chunk = m.group()
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            spans.append((m.start() + lead, m.start() + trail))
    return spans


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of one paragraph: the sentencizer's rule
    (`Sentencizer.predict`) over the token arrays, with no Python object per token."""
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

    doc = tokenizer()(paragraph)
    if not len(doc):
        return []
    begins, lengths, punct, orths = doc.to_array([IDX, LENGTH, IS_PUNCT, ORTH]).T.tolist()
    finals = _final_hashes()
    starts = [0]
    seen_final = False
    for i, orth in enumerate(orths):
        if orth in finals:
            seen_final = True
        elif seen_final and not punct[i]:
            starts.append(i)
            seen_final = False
    ends = [*starts[1:], len(orths)]
    return [(begins[a], begins[b - 1] + lengths[b - 1]) for a, b in zip(starts, ends, strict=True)]


def sentences(text: str) -> list[Sentence]:
    """All sentences of `text`, in order, each with `text[start:end] == sentence.text`."""
    out: list[Sentence] = []
    for number, (start, end) in enumerate(paragraphs(text)):
        for a, b in sentence_spans(text[start:end]):
            a, b = start + a, start + b
            if text[a:b].strip():
                out.append(Sentence(start=a, end=b, text=text[a:b], paragraph=number))
    return out


def split(analysis: Analysis) -> Analysis:
    return replace(analysis, sentences=tuple(sentences(analysis.report.text)))
