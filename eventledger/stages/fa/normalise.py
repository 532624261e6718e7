"""Persian text folded for look-up, with the offsets of the original kept.

`fold` maps character to character (the same length): Arabic ي/ك/ة/ۀ to Persian ی/ک/ه, alef forms
to ا, Persian and Arabic-Indic digits to ASCII, the zero-width non-joiner and direction marks to a
space. Diacritics and tatweel are kept in place and skipped by the tokenizer (they are dropped from
a word's key), so that every token's offsets are offsets into the report's text.

`words` gives a sentence's tokens: suffixes written after a joiner (ها، های، اند ...) are joined
to the word before, and the verb prefixes می / نمی to the verb after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_FOLD = str.maketrans({
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ە": "ه", "أ": "ا", "إ": "ا", "آ": "ا",
    "ٱ": "ا", "ؤ": "و", "\u200c": " ", "\u200d": " ", "\u200e": " ", "\u200f": " ", "\u00a0": " ",
    **{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)},
    "٫": ".", "٬": ",", "،": ",", "؛": ";", "؟": "?",
})
_MARKS = "\u064b-\u065f\u0670\u0640"
_DROP_MARKS = str.maketrans({chr(c): None for c in (*range(0x064B, 0x0660), 0x0670, 0x0640)})
_TOKEN = re.compile(rf"[^\W_][^\W_{_MARKS}]*(?:[{_MARKS}]+[^\W_]*)*|[{_MARKS}]+[^\W_]+")
_HAS_MARKS = re.compile(rf"[{_MARKS}]")
_PERSIAN_LETTER = re.compile(r"[\u0600-\u06ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
VERB_PREFIXES = ("می", "نمی")


def fold(text: str) -> str:
    """`text` folded for look-up, character for character (same length, same offsets)."""
    return text.translate(_FOLD)


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """The look-up key of a word or phrase: folded, diacritics dropped, spaces single."""
    return " ".join(fold(word).translate(_DROP_MARKS).split())


@lru_cache(maxsize=8192)
def is_persian_sentence(text: str) -> bool:
    """More Persian-script letters than Latin ones (a Latin name inside Persian text stays Persian)."""
    persian = len(_PERSIAN_LETTER.findall(text))
    return persian > 0 and persian >= len(_LATIN_LETTER.findall(text))


_last: tuple[str | None, bool] = (None, False)  # the text last asked about and the answer (one tuple: thread-safe)


def has_persian(text: str) -> bool:
    """Whether `text` has a Persian-script letter (remembered for the last text asked about: every
    stage asks it of the same report)."""
    global _last
    last_text, found = _last
    if last_text is text:
        return found
    found = not text.isascii() and _PERSIAN_LETTER.search(text) is not None
    _last = (text, found)
    return found


@dataclass(slots=True)
class Word:
    """A token: offsets in the report's text, its key, and `negated` for a verb written with ن/نمی."""

    start: int
    end: int
    key: str
    prefix: str = ""  # a verb prefix joined to it (می / نمی)
    compound: bool = False  # joined by a zero-width non-joiner to a word that is not a suffix ("هفت‌تپه")


@lru_cache(maxsize=2048)
def words(text: str, offset: int, suffixes: frozenset[str]) -> tuple[Word, ...]:
    """The words of `text` (which starts at `offset` in the report), suffixes and prefixes joined.
    (Cached: the places and events of a sentence read the same words; nothing changes a Word.)"""
    return tuple(_words(text, offset, suffixes))


def _words(text: str, offset: int, suffixes: frozenset[str]) -> list[Word]:
    folded = fold(text)
    marked = _HAS_MARKS.search(folded) is not None
    joiners = "\u200c" in text or "\u200d" in text
    out: list[Word] = []
    pending_prefix = ""
    prefix_start = 0
    for m in _TOKEN.finditer(folded):
        k = m.group().translate(_DROP_MARKS) if marked else m.group()
        start, end = m.start() + offset, m.end() + offset
        joined = joiners and m.start() > 0 and text[m.start() - 1] in "\u200c\u200d"
        if out and joined and k in suffixes and not pending_prefix:
            out[-1].end = end
            continue
        if k in VERB_PREFIXES and m.end() < len(text) and text[m.end()] in "\u200c\u200d ":
            pending_prefix = k
            prefix_start = start
            continue
        if pending_prefix:
            out.append(Word(prefix_start, end, k, pending_prefix))
            pending_prefix = ""
            continue
        if out and joined:
            out[-1].compound = True
        out.append(Word(start, end, k, compound=joined))
    if pending_prefix:
        out.append(Word(prefix_start, prefix_start + len(pending_prefix), pending_prefix))
    return out
