"""Stage `text.v1`: split a report into paragraphs and sentences with character offsets.

Paragraphs are runs of text between line breaks (headlines and captions stand alone);
sentences inside a paragraph follow the rule of spaCy's rule-based sentencizer over spaCy's
tokenizer, which knows abbreviations such as "U.S." and "Mrs.": a sentence ends at a
sentence-final punctuation token ("." "!" "?" and their equivalents in other scripts), together
with any punctuation that follows it, and the next sentence starts at the next token that is not
punctuation (`exact_sentence_spans` applies that rule to the token arrays of a paragraph).

Fast path, and why it gives the very same sentences: spaCy's tokenizer cuts the text at white
space into chunks and tokenizes each chunk on its own; a run of white space other than a single
" " after a chunk becomes one token (less that first " "), which is never punctuation. Only its
special-case matcher looks across chunks, and its only patterns of several tokens are special
cases without white space, so it can touch a chunk only where the end of that chunk and the start
of its neighbour spell such a special case cut at a token boundary (`_cross_risk`). A
sentence-final token is a single sentence-final character, so it only comes from a chunk holding
one; only those chunks, and a chunk right after one that leaves a sentence-final token open and
starts with a punctuation character, are tokenized (alone, the result cached per chunk). Every
other sentence start is a plain fact of the string: the white-space token or the chunk after the
open sentence-final token. A paragraph where a tokenized chunk has a risky neighbour goes through
the tokenizer whole.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from eventledger.models import Analysis, Sentence

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

_PARAGRAPH = re.compile(r"[^\n]+")
_CHUNK = re.compile(r"\S+")
_SPACE_BUT_BLANK = re.compile(r"[^\S ]")  # white space other than " "
_ASCII = bytes(range(128))
_CHUNK_CACHE_SIZE = 50_000

# (offsets of the sentence starts inside a chunk, whether a sentence-final token is open at its end)
ChunkScan = tuple[tuple[int, ...], bool]


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """A blank English tokenizer (no model weights needed)."""
    import spacy

    return spacy.blank("en").tokenizer


@lru_cache(maxsize=1)
def _final_chars() -> tuple[frozenset[str], frozenset[str]]:
    """The sentencizer's sentence-final punctuation, as (ASCII, other) single characters."""
    from spacy.pipeline import Sentencizer

    finals = frozenset(Sentencizer.default_punct_chars)
    if any(len(f) != 1 for f in finals):
        raise ValueError("the fast sentence path needs single-character sentence-final punctuation")
    return frozenset(f for f in finals if f.isascii()), frozenset(f for f in finals if not f.isascii())


@lru_cache(maxsize=1)
def _final_hashes() -> frozenset[int]:
    """The string hashes (`ORTH`) of the sentencizer's sentence-final punctuation."""
    from spacy.strings import hash_string  # type: ignore[attr-defined]  # (missing from spaCy's strings.pyi)

    return frozenset(hash_string(p) for group in _final_chars() for p in group)


@lru_cache(maxsize=1)
def _first_char_decides() -> bool:
    """Whether a token whose first character is not punctuation is never `is_punct`: true for
    spaCy's own `is_punct` (every character must be punctuation)."""
    from spacy.attrs import IS_PUNCT
    from spacy.lang.lex_attrs import is_punct

    return tokenizer().vocab.lex_attr_getters.get(IS_PUNCT) is is_punct


@lru_cache(maxsize=1)
def _matcher_cuts() -> tuple[frozenset[str], dict[str, tuple[str, ...]], int, int]:
    """The special cases that the tokenizer's special matcher finds as several tokens, cut in two
    at each of their token boundaries: ({"<last char of head> <first char of tail>"},
    {head: tails}, length of the longest head, length of the longest tail)."""
    from spacy.tokenizer import Tokenizer

    tok = tokenizer()
    # the matcher's patterns are the special cases tokenized without special cases
    bare = Tokenizer(tok.vocab, rules={}, prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                     infix_finditer=tok.infix_finditer, token_match=tok.token_match, url_match=tok.url_match)
    pairs: set[str] = set()
    tails: dict[str, set[str]] = {}
    for rule in tok.rules:
        if any(c.isspace() for c in rule):
            if not rule.isspace():
                raise ValueError(f"the fast sentence path does not handle the special case {rule!r}")
            continue  # white space only: one white-space token, never across chunks
        in_matcher = (not tok.faster_heuristics or tok.find_prefix(rule) or tok.find_suffix(rule)
                      or tok.find_infix(rule))
        if not in_matcher:
            continue
        cut = 0
        for token in bare(rule)[:-1]:
            cut += len(token.text)
            pairs.add(f"{rule[cut - 1]} {rule[cut]}")
            tails.setdefault(rule[:cut], set()).add(rule[cut:])
    longest_head = max(map(len, tails), default=0)
    longest_tail = max((len(t) for group in tails.values() for t in group), default=0)
    return frozenset(pairs), {head: tuple(t) for head, t in tails.items()}, longest_head, longest_tail


def _cross_risk(text: str, gap: int, low: int, high: int) -> bool:
    """Whether the chunks on either side of the single " " at `gap` (inside [low, high)) may
    together spell a special case, i.e. whether the special matcher may match across them."""
    pairs, tails, longest_head, longest_tail = _matcher_cuts()
    if text[gap - 1:gap + 2] not in pairs:
        return False
    left = text[max(low, gap - longest_head):gap]
    right = text[gap + 1:min(high, gap + 1 + longest_tail)]
    for cut in range(len(left)):
        found = tails.get(left[cut:])
        if found and right.startswith(found):
            return True
    return False


class _CrossRisk(Exception):
    """A chunk to tokenize alone may be changed by a special-case match across chunks."""


def _check_risk(text: str, start: int, end: int, low: int, high: int) -> None:
    """Raise _CrossRisk if the chunk text[start:end] may be part of a cross-chunk match. (A
    "<char> <char>" of `_matcher_cuts` has one " " between two non-white-space characters, so
    its mere presence around the chunk tells a single " " between two chunks.)"""
    pairs = _matcher_cuts()[0]
    if start > low and text[start - 2:start + 1] in pairs and _cross_risk(text, start - 1, low, high):
        raise _CrossRisk
    if end < high and text[end - 1:end + 2] in pairs and _cross_risk(text, end, low, high):
        raise _CrossRisk


_chunk_scans: dict[tuple[str, bool], ChunkScan] = {}


def _scan_chunk(chunk: str, open_final: bool) -> ChunkScan:
    """The sentencizer's rule over the tokens of one chunk, tokenized alone, entering with
    `open_final` (a sentence-final token seen and no sentence started since)."""
    key = (chunk, open_final)
    found = _chunk_scans.get(key)
    if found is None:
        from spacy.attrs import IDX, IS_PUNCT, ORTH

        begins, punct, orths = tokenizer()(chunk).to_array([IDX, IS_PUNCT, ORTH]).T.tolist()
        finals = _final_hashes()
        starts = []
        for begin, is_punct, orth in zip(begins, punct, orths, strict=True):
            if orth in finals:
                open_final = True
            elif open_final and not is_punct:
                starts.append(begin)
                open_final = False
        if len(_chunk_scans) >= _CHUNK_CACHE_SIZE:
            _chunk_scans.clear()
        found = _chunk_scans[key] = (tuple(starts), open_final)
    return found


def _final_positions(text: str) -> list[int]:
    """Offsets of every sentence-final character of `text`, in order. str.find per character
    present; the non-ASCII ones present are found among the text's non-ASCII characters (the
    UTF-8 bytes of the text less its ASCII bytes), much faster than a regex over the text."""
    ascii_finals, other_finals = _final_chars()
    present = [f for f in ascii_finals if f in text]
    if not text.isascii():
        # strict UTF-8: a lone surrogate raises UnicodeEncodeError, as in spaCy's tokenizer
        present.extend(other_finals.intersection(text.encode().translate(None, _ASCII).decode()))
    positions = []
    for final in present:
        at = text.find(final)
        while at >= 0:
            positions.append(at)
            at = text.find(final, at + 1)
    if len(present) > 1:
        positions.sort()
    return positions


def _chunk_around(text: str, at: int, low: int, high: int) -> tuple[int, int]:
    """(start, end) of the white-space-delimited chunk of text[low:high] holding offset `at`."""
    start = text.rfind(" ", low, at) + 1 or low
    end = text.find(" ", at, high)
    if end < 0:
        end = high
    if _SPACE_BUT_BLANK.search(text, start, end):  # other white space: walk the characters
        start, end = at, at + 1
        while start > low and not text[start - 1].isspace():
            start -= 1
        while end < high and not text[end].isspace():
            end += 1
    return start, end


def _fast_spans(text: str, low: int, high: int, finals: list[int]) -> list[tuple[int, int]]:
    """(start, end) of the sentences of the stripped paragraph text[low:high] whose sentence-final
    characters are at `finals`, tokenizing only the chunks that can matter (see the module
    docstring). Raises _CrossRisk where that is not safe."""
    cuts: list[tuple[int, int]] = []  # (end of a sentence, start of the next one)
    done = low  # end of the last chunk scanned
    for at in finals:
        if at < done:
            continue
        start, end = _chunk_around(text, at, low, high)
        open_final = False
        previous_end = start
        while True:
            _check_risk(text, start, end, low, high)
            inside, open_final = _scan_chunk(text[start:end], open_final)
            for offset in inside:
                cuts.append((start + offset if offset else previous_end, start + offset))
            done = end
            if not open_final or end == high:
                break
            # a sentence-final token is open after this chunk: the next token starts a sentence
            # unless it is punctuation
            if text[end] != " " or text[end + 1].isspace():  # a white-space token
                cuts.append((end, end + 1 if text[end] == " " else end))
                break
            if not _may_be_punct(text[end + 1]):
                cuts.append((end, end + 1))
                break
            previous_end, start = end, end + 1
            chunk = _CHUNK.match(text, start, high)
            assert chunk is not None  # text[start] is no white space
            end = chunk.end()
    starts = [low, *(start for _, start in cuts)]
    ends = [*(end for end, _ in cuts), high]
    return list(zip(starts, ends, strict=True))


@lru_cache(maxsize=4096)
def _may_be_punct(char: str) -> bool:
    """Whether a token starting with `char` may be punctuation."""
    return not _first_char_decides() or unicodedata.category(char).startswith("P")


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


def exact_sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of one paragraph: the sentencizer's rule
    (`Sentencizer.predict`) over the token arrays of the whole paragraph."""
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


def _paragraph_spans(text: str, low: int, high: int, finals: list[int]) -> list[tuple[int, int]]:
    """The sentences of the stripped paragraph text[low:high], as offsets into `text`."""
    try:
        return _fast_spans(text, low, high, finals)
    except _CrossRisk:
        return [(low + a, low + b) for a, b in exact_sentence_spans(text[low:high])]


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of one paragraph (spaCy's sentencizer's)."""
    if not paragraph or paragraph != paragraph.strip():
        return exact_sentence_spans(paragraph)  # the fast path wants a stripped paragraph
    return _paragraph_spans(paragraph, 0, len(paragraph), _final_positions(paragraph))


def sentences(text: str) -> list[Sentence]:
    """All sentences of `text`, in order, each with `text[start:end] == sentence.text`."""
    out: list[Sentence] = []
    finals = _final_positions(text)
    first = 0  # index in `finals` of the first one inside the paragraph (none is between paragraphs)
    for number, (start, end) in enumerate(paragraphs(text)):
        last = bisect_left(finals, end, first)
        for a, b in _paragraph_spans(text, start, end, finals[first:last]):
            if text[a:b].strip():
                out.append(Sentence(start=a, end=b, text=text[a:b], paragraph=number))
        first = last
    return out


def split(analysis: Analysis) -> Analysis:
    return replace(analysis, sentences=tuple(sentences(analysis.report.text)))
