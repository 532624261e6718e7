"""Fast scanning of many word-anchored patterns over one text.

Running forty trigger patterns (or one alternation of three hundred actor names) with
`re.finditer` costs a full pass of the regex engine over the text per pattern, and CPython's
engine cannot skip ahead when a pattern starts with `\\b` or a look-behind. `Scanner` gives the
same matches as `pattern.finditer(text)` for each pattern, but tries a pattern only at the
starts of words that begin with one of the pattern's possible first letters:

1. from the parsed pattern, `literal_prefixes` works out every string of up to `K` lower-case
   characters a match can begin with ("arrest(?:ed|ing)" -> {"arr"});
2. the text is lower-cased once and split into words; a word whose first `K` letters are a
   prefix of some pattern is a candidate start for that pattern;
3. the pattern is tried with `pattern.match(text, start)` at its candidates, left to right,
   skipping the ones inside its previous match, exactly as `finditer` would.

This is sound only for patterns every match of which starts at the start of a word (the
pattern begins with `\\b` or a look-behind excluding word characters, and its first character
is a word character). Any other pattern, one the analysis cannot bound, or a text whose
lower-casing changes its length, falls back to plain `finditer`.

The analysis reads `re._parser`, CPython's own parse tree; if that ever changes shape, the
analysis fails and every pattern falls back to `finditer` (slower, never different).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from typing import Any

try:  # CPython's regular-expression parser (private; see the module docstring)
    from re import _constants as sre_c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another interpreter
    sre_c = sre_parse = None  # type: ignore[assignment]

K = 4  # length of the prefixes compared
_MAX_SET = 64  # a character class larger than this is "anything"
_MAX_PREFIXES = 2000

# A partial prefix: (text so far, open) where open means the match may go on after it.
_Partial = tuple[str, bool]


class _Unbounded(Exception):
    """The pattern can start with too many different strings to be worth prefiltering."""


def _class_chars(items: list[tuple[Any, Any]]) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_c.LITERAL:
            chars.add(chr(av).lower())
        elif op is sre_c.RANGE and av[1] - av[0] < _MAX_SET:
            chars.update(chr(c).lower() for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, large ranges
            raise _Unbounded
        if len(chars) > _MAX_SET:
            raise _Unbounded
    return chars


def _item(op: Any, av: Any, room: int) -> set[_Partial]:
    """What one parsed item can contribute: strings of at most `room` characters."""
    if op is sre_c.LITERAL:
        return {(chr(av).lower()[:room], True)}
    if op is sre_c.IN:
        return {(c[:room], True) for c in _class_chars(av)}
    if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
        return {("", True)}  # zero width
    if op is sre_c.SUBPATTERN:
        return _sequence(av[-1], room)
    if op is sre_c.BRANCH:
        out: set[_Partial] = set()
        for alternative in av[1]:
            out |= _sequence(alternative, room)
        return out
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
        low, high, body = av
        out = {("", True)} if low == 0 else set()
        current: set[_Partial] = {("", True)}
        for count in range(1, min(high, low + room) + 1):
            current = _extend(current, body, room)
            if count >= low:
                out |= current
        return out
    raise _Unbounded  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...


def _step(partials: set[_Partial], room: int, options: Callable[[int], set[_Partial]]) -> set[_Partial]:
    """Every open partial followed by each of `options(room left)`; closed ones stay as they are."""
    out: set[_Partial] = set()
    for text, open_ in partials:
        if not open_ or len(text) >= room:
            out.add((text, False))
            continue
        for more, more_open in options(room - len(text)):
            combined = text + more
            out.add((combined, more_open and len(combined) < room))
    if len(out) > _MAX_PREFIXES:
        raise _Unbounded
    return out


def _extend(partials: set[_Partial], items: Any, room: int) -> set[_Partial]:
    return _step(partials, room, lambda left: _sequence(items, left))


def _item_or_stop(op: Any, av: Any, room: int) -> set[_Partial]:
    """`_item`, or, where anything may follow, the end of what is known: the match starts
    with the text so far."""
    try:
        return _item(op, av, room)
    except _Unbounded:
        return {("", False)}


def _sequence(items: Any, room: int) -> set[_Partial]:
    partials: set[_Partial] = {("", True)}
    for op, av in items:
        if all(not o or len(t) >= room for t, o in partials):
            break
        partials = _step(partials, room, partial(_item_or_stop, op, av))
    return partials


def _starts_at_word(items: Any) -> bool:
    """Does the pattern begin with `\\b` or a look-behind that excludes word characters?"""
    if not items:
        return False
    op, av = items[0]
    if op is sre_c.AT:
        return av is sre_c.AT_BOUNDARY
    if op is sre_c.ASSERT_NOT and av[0] == -1:
        body = av[1]
        return (len(body) == 1 and body[0][0] is sre_c.IN
                and (sre_c.CATEGORY, sre_c.CATEGORY_WORD) in body[0][1])
    return False


@lru_cache(maxsize=512)
def literal_prefixes(pattern: re.Pattern[str], k: int = K) -> frozenset[str] | None:
    """The lower-case strings (of at most `k` characters) every match of `pattern` starts with
    one of, if every match starts at the start of a word; else None."""
    if sre_parse is None:
        return None
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
        items = list(tree)
        if not _starts_at_word(items):
            return None
        prefixes = {text for text, _open in _sequence(items, k)}
    except (_Unbounded, AttributeError, TypeError, ValueError, IndexError):
        return None
    if not prefixes or any(not p or not (p[0].isalnum() or p[0] == "_") for p in prefixes):
        return None
    return frozenset(prefixes)


def trie_nodes(words: Iterable[str]) -> dict[str, dict]:
    """The words as a character trie: {"a": {"b": {"": {}}, ...}}; "" marks a word's end."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return root


def trie_pattern(node: dict[str, dict], *, space: str | None = None) -> str:
    """The regular expression of a trie (`trie_nodes`); `space`, if given, is what a space becomes
    (e.g. `\\s+`)."""
    branches = [(space if ch == " " and space is not None else re.escape(ch)) + trie_pattern(child, space=space)
                for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def longest_first(words: Iterable[str], escape: bool = True) -> str:
    """A flat alternation of `words`, longest first (escaped unless `escape` is False; a space matches
    any white space). For small lists inside larger patterns; `trie` for large ones."""
    items = sorted(words, key=len, reverse=True)
    return "|".join((re.escape(w) if escape else w).replace(r"\ ", r"\s+") for w in items)


def trie(words: Iterable[str]) -> str:
    """A regular expression for any of `words`, shaped as a trie ("ab|ac" -> "a(?:b|c)"): CPython's
    engine tries it far faster than a flat alternation, and, its optional tails being greedy, it
    matches the longest word that fits."""
    return trie_pattern(trie_nodes(words))


class _PrefixIndex:
    """Which patterns (or alternatives), by number, may start at a word start of a text.

    One regular-expression pass finds them: `[^\\w](?=(trie))` over " " + the text stops only
    between words (a pattern that opens with a set of characters lets the `re` engine skip to
    them; `\\b` would not), and its group is the longest prefix found there, whose numbers include
    those of the shorter prefixes it begins with (`_closure`)."""

    def __init__(self, prefixes: Iterable[tuple[int, frozenset[str]]]) -> None:
        ids: dict[str, set[int]] = {}  # prefix -> numbers it may start
        for i, strings in prefixes:
            for prefix in strings:
                ids.setdefault(prefix, set()).add(i)
        self._ids = {prefix: _closure(prefix, ids) for prefix in ids}
        # the character before every word start that begins with a prefix (the prefix is not consumed:
        # prefixes may hold a space); prefixes open with a word character (`literal_prefixes`)
        self._finder = re.compile(r"\W(?=(" + trie(ids) + "))") if ids else None

    def hits(self, lowered: str) -> Iterator[tuple[int, tuple[int, ...]]]:
        """The word starts of `lowered` where something may start, in order, each with the numbers
        that may start there (sorted, no repeats)."""
        if self._finder is None:
            return iter(())
        ids = self._ids
        return ((m.start(), ids[m.group(1)]) for m in self._finder.finditer(" " + lowered))


def _closure(prefix: str, ids: dict[str, set[int]]) -> tuple[int, ...]:
    """The numbers of `prefix` and of every shorter prefix it begins with, sorted."""
    found = set().union(*(ids.get(prefix[:length], ()) for length in range(1, len(prefix) + 1)))
    return tuple(sorted(found))


class Scanner:
    """`finditer` for several patterns at once, trying each only where it can start."""

    def __init__(self, patterns: Sequence[re.Pattern[str]], k: int = K) -> None:
        self.patterns = tuple(patterns)
        prefixes = [(i, literal_prefixes(p, k)) for i, p in enumerate(self.patterns)]
        self._always = {i for i, found in prefixes if found is None}  # cannot be prefiltered
        self._index = _PrefixIndex((i, found) for i, found in prefixes if found is not None)

    def candidates(self, lowered: str) -> list[list[int]]:
        """For each pattern, the word starts in `lowered` where it may match, in order."""
        starts: list[list[int]] = [[] for _ in self.patterns]
        for at, numbers in self._index.hits(lowered):
            for i in numbers:
                starts[i].append(at)
        return starts

    def scan(self, text: str, lowered: str | None = None) -> list[list[re.Match[str]]]:
        """For each pattern, its matches in `text`: the same as `list(pattern.finditer(text))`."""
        lowered = text.lower() if lowered is None else lowered
        if len(lowered) != len(text):  # offsets would not line up: no prefilter
            return [list(p.finditer(text)) for p in self.patterns]
        starts = self.candidates(lowered)
        return [list(pattern.finditer(text)) if i in self._always else _match_at(pattern, text, starts[i])
                for i, pattern in enumerate(self.patterns)]


def _match_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    end = 0
    for at in starts:
        if at < end:
            continue  # inside the previous match: finditer would not look here
        m = pattern.match(text, at)
        if m is not None and m.end() > m.start():
            found.append(m)
            end = m.end()
    return found


class Alternation:
    """`re.compile(head + "(?:a1|a2|...)" + tail, flags).finditer(text)`, for a long list of
    alternatives (a dictionary of names): at each candidate word start only the alternatives
    that can begin there are tried, in their original order, so the first that matches is the
    one the whole alternation would have taken."""

    def __init__(self, alternatives: Sequence[str], *, head: str = r"\b", tail: str = r"\b",
                 flags: int = 0, k: int = K) -> None:
        self.alternatives = tuple(alternatives)
        self.head, self.tail, self.flags = head, tail, flags
        self.pattern = self._compile(range(len(self.alternatives)))
        prefixes = [(i, literal_prefixes(self._compile([i]), k)) for i in range(len(self.alternatives))]
        self._exact = all(found is not None for _, found in prefixes)  # else: use `pattern`
        self._index = _PrefixIndex((i, found) for i, found in prefixes if found is not None)
        self._subsets: dict[tuple[int, ...], re.Pattern[str]] = {}

    def _compile(self, indices: Iterable[int]) -> re.Pattern[str]:
        body = "|".join(self.alternatives[i] for i in indices)
        return re.compile(f"{self.head}(?:{body}){self.tail}", self.flags)

    def _subset(self, indices: tuple[int, ...]) -> re.Pattern[str]:
        pattern = self._subsets.get(indices)
        if pattern is None:
            pattern = self._subsets[indices] = self._compile(indices)
        return pattern

    def finditer(self, text: str, lowered: str | None = None) -> list[re.Match[str]]:
        """The matches `self.pattern.finditer(text)` would give, in order."""
        lowered = text.lower() if lowered is None else lowered
        if not self.alternatives or not self._exact or len(lowered) != len(text):
            return list(self.pattern.finditer(text)) if self.alternatives else []
        found: list[re.Match[str]] = []
        end = 0
        for at, numbers in self._index.hits(lowered):
            if at < end:
                continue
            m = self._subset(numbers).match(text, at)
            if m is not None and m.end() > m.start():
                found.append(m)
                end = m.end()
        return found


def prefix_test(patterns: Sequence[re.Pattern[str]], k: int = K) -> re.Pattern[str] | None:
    """A pattern that matches wherever a match of any of `patterns` may begin: one of their literal
    prefixes (`literal_prefixes`) at the start of a word, in any case. It is a cheap pre-test for a
    rule that searches those patterns: where it finds nothing, none of them can match. None when a
    pattern cannot be bounded so."""
    found = _all_prefixes(patterns, k)
    return re.compile(rf"(?<!\w)(?:{trie(found)})", re.IGNORECASE) if found else None


def _all_prefixes(patterns: Sequence[re.Pattern[str]], k: int) -> set[str] | None:
    """The literal prefixes any of `patterns` may begin with; None if one of them cannot be bounded."""
    found: set[str] = set()
    for pattern in patterns:
        prefixes = literal_prefixes(pattern, k)
        if prefixes is None:
            return None
        found |= prefixes
    return found


class StartIndex:
    """Where a match of any of `patterns` may begin in a text (what `prefix_test(patterns)` finds), found
    in one pass over the whole text and kept for it, so that a rule asking of many windows of one report
    whether one begins there (`begins_between`) bisects instead of searching each window.

    The pass runs a case-sensitive pattern of the lower-case prefixes over the lower-cased text and keeps
    the hits at a word start (the character before is no word character: `\\w` is `isalnum()` or "_"):
    the same starts as `test.finditer(text)` (a look-behind and IGNORECASE make that one try every
    position), when lower-casing keeps every offset (else that is used)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]], k: int = K) -> None:
        found = _all_prefixes(patterns, k)
        if found is None:
            raise ValueError(f"no literal prefixes bound {[p.pattern for p in patterns]!r}")
        body = trie(found) if found else "(?!)"
        self.test = re.compile(rf"(?<!\w)(?:{body})", re.IGNORECASE)  # the plain rule
        self._lower = re.compile(body)

    def starts(self, text: str) -> list[int]:
        """The offsets where `test` matches in `text`, in order."""
        return _starts(self, text)

    def begins_between(self, text: str, start: int, end: int) -> bool:
        """Whether a match of `test` begins in [start, end) of `text`: true wherever
        `test.search(text, start, end)` finds one (a match may also run past `end`)."""
        starts = _starts(self, text)
        return bisect_left(starts, start) < bisect_left(starts, end)


@lru_cache(maxsize=8)
def _starts(index: StartIndex, text: str) -> list[int]:
    low = lowered(text)
    if low is None:  # offsets or case folding differ: the plain rule
        return [m.start() for m in index.test.finditer(text)]
    return [i for i in (m.start() for m in index._lower.finditer(low))
            if i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_")]


def lowered(text: str) -> str | None:
    """`text.lower()`, if a lower-case pattern finds in it what the same pattern with IGNORECASE finds
    in `text`, at the same offsets (scanning is quicker without IGNORECASE); else None. It does unless
    lower-casing changes the length ("İ") or the text has "ı" or "ſ", which IGNORECASE matches to "i"
    and "s" but lower() keeps."""
    low = text.lower()
    return low if len(low) == len(text) and "ı" not in text and "ſ" not in text else None


def last_word(text: str, pos: int, room: int = 16) -> str:
    """The word that ends the text before `pos` (lower-cased; "" if none ends within `room` characters)."""
    words = text[max(0, pos - room):pos].split()
    return words[-1].lower() if words else ""
