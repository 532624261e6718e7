"""Stage `text.v1`: split a report into paragraphs and sentences with character offsets.

Paragraphs are runs of text between line breaks (headlines and captions stand alone);
sentences inside a paragraph come from spaCy's rule-based sentencizer over its tokenizer,
which knows abbreviations such as "U.S." and "Mrs.".
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from eventledger.models import Analysis, Sentence

if TYPE_CHECKING:
    from spacy.language import Language

_PARAGRAPH = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def nlp() -> Language:
    """A blank English pipeline with the sentencizer (no model weights needed)."""
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


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


def sentences(text: str) -> list[Sentence]:
    """All sentences of `text`, in order, each with `text[start:end] == sentence.text`."""
    spans = paragraphs(text)
    out: list[Sentence] = []
    docs = nlp().pipe(text[a:b] for a, b in spans)
    for number, ((start, _), doc) in enumerate(zip(spans, docs, strict=True)):
        for sent in doc.sents:
            a, b = start + sent.start_char, start + sent.end_char
            if text[a:b].strip():
                out.append(Sentence(start=a, end=b, text=text[a:b], paragraph=number))
    return out


def split(analysis: Analysis) -> Analysis:
    return replace(analysis, sentences=tuple(sentences(analysis.report.text)))
