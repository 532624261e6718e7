"""Find place names in text: tokens, then a dictionary look-up of their 1..n-grams.

No regex per name and no fuzzy matching: every word is normalised once (see `names`), and
each run of words that may be a name is looked up as a key in plain dicts built once. A
Latin-script name must start and end with a capitalised word; Arabic-script words have no
case. Words join into a name across a space or a hyphen only, never across punctuation.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import accumulate, compress
from operator import itemgetter, sub
from typing import NamedTuple

from eventledger.gazetteer.names import EZAFE, token_key

# A letter, then letters, digits, combining marks, joiners, or apostrophes followed by a letter.
# (Possessive `*+`/`++` only spare the engine its backtracking records: nothing follows the loop.)
_TOKEN = re.compile(
    r"[^\W\d_](?:[^\W_]++|[\u0300-\u036f\u064b-\u065f\u0670\u200c\u200d]|['\u2019\u02bc](?=[^\W\d_]))*+|&"
)
_MARK = r"[\u0300-\u036f\u064b-\u065f\u0670\u200c\u200d]"
# The same words as a capturing split, the loop unrolled (letters and digits run in one step between
# marks and apostrophes): the pieces alternate gap, word, gap, ..., gap, and their lengths give
# every offset, with no match object per word.
_TOKEN_SPLIT = re.compile(rf"([^\W\d_][^\W_]*+(?:(?:{_MARK}|['\u2019\u02bc](?=[^\W\d_]))[^\W_]*+)*+|&)")
_POSSESSIVE = ("'s", "\u2019s", "\u02bcs")
_JOINER = re.compile(r"[ \u00a0]?[-\u2010\u2011]?[ \u00a0]?")
_CONJUNCTIONS = {"va": "and", "&": "and", "wa": "and"}
MAX_WORDS = 6
MAX_JOINED = 3  # names also match with their words run together up to this many words


class Token(NamedTuple):
    """A word of the text: offsets, normalised key, and how it is written (one row of `Tokens`)."""

    start: int
    end: int
    key: str
    capital: bool  # starts with an upper-case letter (always True for Arabic script)
    upper: bool  # written all in capitals (Latin, two letters or more)
    arabic: bool
    possessive: bool  # followed by "'s" (stripped from the token)


class Tokens:
    """The words of a text as columns: `keys[i]`, `capital[i]`, `starts[i]`, `ends[i]` describe
    word i; `tokens[i]` gives the whole `Token`, `upper(i)`, `arabic(i)` and `possessive(i)` the rest.

    Columns rather than one object per word because a report has ~800 words and only the few
    around capitalised ones are ever looked at: building a row object per word cost more than
    the rest of tokenizing. `gaps[i]` is the text between word i-1 and word i as split (with a
    possessive "'s" still in it), `gaps[0]` the text before the first word. `end(i)` is where
    word i ends; the whole `ends` column is built only if asked for (few words' ends are read).
    """

    __slots__ = ("_ends", "_info", "_offsets", "capital", "gaps", "keys", "starts", "text")

    def __init__(self, text: str, parts: list[str]) -> None:
        """`parts`: `text` split into gap, word, gap, ..., gap."""
        offsets = list(accumulate(map(len, parts)))
        self._info = info = _words_info(parts[1::2])
        self.text = text
        self._offsets = offsets
        self._ends: list[int] | None = None
        self.starts = offsets[0:-1:2]
        self.keys = list(map(itemgetter(1), info))
        self.capital = list(map(itemgetter(2), info))
        self.gaps = parts[0::2]

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, i: int) -> Token:
        return Token(self.starts[i], self.end(i), *self._info[i][1:])

    def end(self, i: int) -> int:
        """Where word i ends (before a possessive "'s")."""
        return self._offsets[2 * i + 1] - self._info[i][0]

    @property
    def ends(self) -> list[int]:
        """`end(i)` of every word."""
        if self._ends is None:
            self._ends = list(map(sub, self._offsets[1::2], map(itemgetter(0), self._info)))
        return self._ends

    def upper(self, i: int) -> bool:
        return self._info[i][3]

    def arabic(self, i: int) -> bool:
        return self._info[i][4]

    def possessive(self, i: int) -> bool:
        return self._info[i][5]

    def joins(self, i: int) -> bool:
        """Words i and i+1 may belong to one name (space or hyphen between them)."""
        if i + 1 >= len(self.keys) or self._info[i][5]:
            return False
        return _joining_gap(self.gaps[i + 1])


class Match(NamedTuple):
    """Tokens `first`..`last` (inclusive) form a name known under `key` in `table`."""

    first: int
    last: int
    start: int
    end: int
    key: str
    table: str


_WordInfo = tuple[int, str, bool, bool, bool, bool]


class _WordCache(dict[str, _WordInfo]):
    """word -> `_word(word)`, worked out on first sight (at most `_WORD_CACHE_MAX` words kept)."""

    def __missing__(self, word: str) -> _WordInfo:
        if len(self) >= _WORD_CACHE_MAX:
            self.clear()
        info = self[word] = _word(word)
        return info


_WORD_CACHE_MAX = 65536
_WORDS = _WordCache()


def _words_info(words: list[str]) -> list[_WordInfo]:
    """`_word` of each word, read from `_WORDS` by one `itemgetter` (speed: its loop runs in C with
    no call per word; a `lru_cache` wrapper called per word cost more than the rest of `Tokens`)."""
    if len(words) < 2:  # (`itemgetter` of one item gives the item, of none cannot be made)
        return [_WORDS[w] for w in words]
    return list(itemgetter(*words)(_WORDS))


def _word(word: str) -> _WordInfo:
    """(characters to drop at the end, key, capital, upper, arabic, possessive) of a matched word."""
    possessive = word.endswith(_POSSESSIVE) and len(word) > 2
    if possessive:
        word = word[:-2]
    arabic = "\u0600" <= word[0] <= "\u06ff"
    key = token_key(word)
    return (2 if possessive else 0, _CONJUNCTIONS.get(key, key), arabic or word[0].isupper(),
            len(word) > 1 and word.isupper(), arabic, possessive)


@lru_cache(maxsize=4096)
def _joining_gap(gap: str) -> bool:
    return gap == " " or (bool(gap) and _JOINER.fullmatch(gap) is not None)


def tokenize(text: str) -> Tokens:
    """The words of `text` in order, possessive "'s" split off."""
    # Hot (every word of every report): the loops run in C (split, map), not in Python.
    return Tokens(text, _TOKEN_SPLIT.split(text))


def joinable(tokens: Tokens) -> list[bool]:
    """joinable[i]: tokens i and i+1 may belong to one name (space or hyphen between them)."""
    return [tokens.joins(i) for i in range(len(tokens))]


def keys_of(words: list[str]) -> Iterator[str]:
    """Keys to try for a run of word keys: spaced without ezafe, then run together."""
    plain = [w for i, w in enumerate(words) if i == 0 or w not in EZAFE] if len(words) > 1 else words
    yield " ".join(plain)
    if 1 < len(words) <= MAX_JOINED:
        yield "".join(plain)
        yield "".join(words)


_NOT_EDGE = EZAFE | {"and"}  # words that neither start nor end a name


def _edge(key: str) -> bool:
    """A capitalised word with this key may start or end a name."""
    return key not in _NOT_EDGE


class Lookup:
    """Tables merged for matching, built once: each key -> the first table (in order) that has it,
    and every word-prefix of every key ("bandar", "bandar abbas"), so that a run of words that
    begins no key is given up after one set test instead of trying each of its lengths."""

    def __init__(self, tables: Mapping[str, Mapping[str, object]]) -> None:
        table_of: dict[str, str] = {}
        for name, table in tables.items():
            for key in table:
                table_of.setdefault(key, name)
        self.table_of = table_of
        prefixes: set[str] = set()
        for key in table_of:
            parts = key.split(" ")
            prefixes.update(" ".join(parts[:n]) for n in range(1, len(parts) + 1))
        self.prefixes = frozenset(prefixes)
        self._sorted = sorted(table_of)

    def extends(self, key: str) -> bool:
        """Some key begins with `key` and is longer (keys that begin with it follow it in sort order)."""
        i = bisect.bisect_right(self._sorted, key)
        return i < len(self._sorted) and self._sorted[i].startswith(key)


def find(text: str, tokens: Tokens, tables: Lookup | Mapping[str, Mapping[str, object]],
         max_words: int = MAX_WORDS) -> list[Match]:
    """Longest names first, left to right, without overlaps; `tables` are looked up in order."""
    lookup = tables if isinstance(tables, Lookup) else Lookup(tables)
    keys, capital, prefixes, table_of = tokens.keys, tokens.capital, lookup.prefixes, lookup.table_of
    starts = tokens.starts
    out: list[Match] = []
    nxt = 0
    for i in compress(range(len(keys)), capital):  # only capitalised words start a name
        key = keys[i]
        if i < nxt or key in _NOT_EDGE:
            continue
        # A run-together name must end on a capitalised word within MAX_JOINED words. Fast path
        # for most capitalised words ("The", "He"): no key begins with the word, and none follows.
        joined = True in capital[i + 1:i + MAX_JOINED]
        if not joined and key not in prefixes:
            continue
        if tokens.joins(i):
            # A run-together key that begins here starts with this word's key and is longer: when the
            # tables have none, only spaced keys may (most capitalised words before a name: "on Tuesday
            # in Qarchak", "Qazvin and Karaj").
            joined = joined and lookup.extends(key)
            if joined or keys[i + 1] in EZAFE or f"{key} {keys[i + 1]}" in prefixes:
                found = _longest_at(i, tokens, lookup, max_words, joined)
                if found:
                    out.append(found)
                    nxt = found.last + 1
                continue
        # Fast path for a one-word name ("Tehran, Isfahan", "Tehran said"): the next word cannot
        # join it, or no longer key can start here, so `_longest_at` would try only the word itself
        # (every key is also in `prefixes`).
        table = table_of.get(key)
        if table is not None:
            out.append(Match(i, i, starts[i], tokens.end(i), key, table))
            nxt = i + 1
    return out


def _longest_at(i: int, tokens: Tokens, lookup: Lookup, max_words: int, joined: bool = True) -> Match | None:
    """The longest name starting at word i: for each end, longest first, the spaced key, then
    the run-together keys (as `keys_of`), each looked up in the tables in order. `joined`:
    whether a run-together name may start here (False when it has no capitalised word to end on)."""
    keys, capital = tokens.keys, tokens.capital
    spaced, last = _run_at(i, tokens, lookup.prefixes, max_words, joined)
    table_of = lookup.table_of
    for j in range(last, i - 1, -1):
        if not (capital[j] and _edge(keys[j])):
            continue
        n = j - i
        candidates = [spaced[n]] if n < len(spaced) else []
        if 0 < n < MAX_JOINED:
            candidates += _run_together(keys[i:j + 1])
        for key in candidates:
            table = table_of.get(key)
            if table is not None:
                return Match(i, j, tokens.starts[i], tokens.end(j), key, table)
    return None


def _run_together(words: list[str]) -> list[str]:
    """The run-together keys of `keys_of(words)`: without ezafe, then with it (once if the same)."""
    plain = words[0] + "".join(w for w in words[1:] if w not in EZAFE)
    whole = "".join(words)
    return [plain] if plain == whole else [plain, whole]


def _run_at(i: int, tokens: Tokens, prefixes: frozenset[str], max_words: int,
            joined: bool) -> tuple[list[str], int]:
    """The spaced keys of words i..i, i..i+1, ... (ezafe dropped after the first word) as long as
    each begins some key, and the last word a name starting at word i can reach.

    The run ends at a gap that does not join, at `max_words`, and once neither kind of key can
    grow: no spaced key begins with the words so far, and run-together keys (if `joined`) stop
    at MAX_JOINED words."""
    keys = tokens.keys
    key = keys[i]
    spaced = [key] if key in prefixes else []
    last = i
    reach = MAX_JOINED if joined else 1  # words a run-together key may still need
    while last - i + 1 < max_words and (len(spaced) > last - i or last - i + 1 < reach) and tokens.joins(last):
        last += 1
        if len(spaced) == last - i:  # every spaced key so far begins some key: try one word more
            w = keys[last]
            if w not in EZAFE:
                key = f"{key} {w}"
                if key not in prefixes:
                    continue
            spaced.append(key)
    return spaced, last
