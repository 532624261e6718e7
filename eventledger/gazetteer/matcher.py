"""Find place names in text: tokens, then a dictionary look-up of their 1..n-grams.

No regex per name and no fuzzy matching: every word is normalised once (see `names`), and
each run of words that may be a name is looked up as a key in plain dicts built once. A
Latin-script name must start and end with a capitalised word; Arabic-script words have no
case. Words join into a name across a space or a hyphen only, never across punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import pairwise, repeat
from operator import sub
from typing import NamedTuple

from eventledger.gazetteer.names import EZAFE, token_key

# A letter, then letters, digits, combining marks, joiners, or apostrophes followed by a letter.
# (Possessive `*+`/`++` only spare the engine its backtracking records: nothing follows the loop.)
_TOKEN = re.compile(
    r"[^\W\d_](?:[^\W_]++|[\u0300-\u036f\u064b-\u065f\u0670\u200c\u200d]|['\u2019\u02bc](?=[^\W\d_]))*+|&"
)
_POSSESSIVE = ("'s", "\u2019s", "\u02bcs")
_JOINER = re.compile(r"[ \u00a0]?[-\u2010\u2011]?[ \u00a0]?")
_CONJUNCTIONS = {"va": "and", "&": "and", "wa": "and"}
MAX_WORDS = 6
MAX_JOINED = 3  # names also match with their words run together up to this many words


class Token(NamedTuple):
    """A word of the text: offsets, normalised key, and how it is written."""

    start: int
    end: int
    key: str
    capital: bool  # starts with an upper-case letter (always True for Arabic script)
    upper: bool  # written all in capitals (Latin, two letters or more)
    arabic: bool
    possessive: bool  # followed by "'s" (stripped from the token)


class Match(NamedTuple):
    """Tokens `first`..`last` (inclusive) form a name known under `key` in `table`."""

    first: int
    last: int
    start: int
    end: int
    key: str
    table: str


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[int, str, bool, bool, bool, bool]:
    """(characters to drop at the end, key, capital, upper, arabic, possessive) of a matched word."""
    possessive = word.endswith(_POSSESSIVE) and len(word) > 2
    if possessive:
        word = word[:-2]
    arabic = "\u0600" <= word[0] <= "\u06ff"
    key = token_key(word)
    return (2 if possessive else 0, _CONJUNCTIONS.get(key, key), arabic or word[0].isupper(),
            len(word) > 1 and word.isupper(), arabic, possessive)


def tokenize(text: str) -> list[Token]:
    """The words of `text` in order, possessive "'s" split off."""
    # Hot (every word of every report): the loops run in C through map/zip, not in Python.
    found = list(_TOKEN.finditer(text))
    if not found:
        return []
    cuts, keys, capitals, uppers, arabics, possessives = zip(*map(_word, map(re.Match.group, found)), strict=True)
    ends = map(sub, map(re.Match.end, found), cuts)
    fields = zip(map(re.Match.start, found), ends, keys, capitals, uppers, arabics, possessives, strict=True)
    return list(map(tuple.__new__, repeat(Token), fields))


def joinable(text: str, tokens: list[Token]) -> list[bool]:
    """joinable[i]: tokens i and i+1 may belong to one name (space or hyphen between them)."""
    return [_joins(text, a, b) for a, b in pairwise(tokens)] + [False]


def _joins(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end:b.start]
    return gap == " " or (bool(gap) and not a.possessive and _JOINER.fullmatch(gap) is not None)


def keys_of(words: list[str]) -> Iterator[str]:
    """Keys to try for a run of word keys: spaced without ezafe, then run together."""
    plain = [w for i, w in enumerate(words) if i == 0 or w not in EZAFE] if len(words) > 1 else words
    yield " ".join(plain)
    if 1 < len(words) <= MAX_JOINED:
        yield "".join(plain)
        yield "".join(words)


def can_start(token: Token) -> bool:
    return token.capital and token.key not in EZAFE and token.key != "and"


def can_end(token: Token) -> bool:
    return token.capital and token.key not in EZAFE and token.key != "and"


def find(text: str, tokens: list[Token], tables: Mapping[str, Mapping[str, object]],
         max_words: int = MAX_WORDS) -> list[Match]:
    """Longest names first, left to right, without overlaps; `tables` are looked up in order."""
    out: list[Match] = []
    i = 0
    while i < len(tokens):
        found = _longest_at(i, text, tokens, tables, max_words) if can_start(tokens[i]) else None
        if found:
            out.append(found)
            i = found.last + 1
        else:
            i += 1
    return out


def _longest_at(i: int, text: str, tokens: list[Token], tables: Mapping[str, Mapping[str, object]],
                max_words: int) -> Match | None:
    last = i
    while last + 1 < len(tokens) and last - i + 1 < max_words and _joins(text, tokens[last], tokens[last + 1]):
        last += 1
    for j in range(last, i - 1, -1):
        if not can_end(tokens[j]):
            continue
        words = [t.key for t in tokens[i:j + 1]]
        for key in keys_of(words):
            for name, table in tables.items():
                if key in table:
                    return Match(first=i, last=j, start=tokens[i].start, end=tokens[j].end, key=key, table=name)
    return None
