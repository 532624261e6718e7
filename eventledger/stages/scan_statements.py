"""Fast paths of the statements stage: each gives what a plain rule gives, only quicker.

The statements stage reads every sentence of every report, and most sentences hold no statement.
The rules (`stages/statements/`) are written plainly; what makes them fast lives here, each with
the plain rule it stands for (named in its docstring) and a property test comparing the two
(`tests/test_scan_statements.py`):

* `TriggerScan.first_start`: the first match of the trigger pattern (`TriggerScan.pattern`), found
  with a twin pattern that lets the `re` engine skip through words.
* `token_patterns`: a name token as the plain alternation and as the twin that opens with a capital
  (its look-behind moved after the first character).
* `one_scan`: speech verbs and participles found in one scan instead of two.
* `Quotes.covers` / `Quotes.may_cover`: whether an offset lies inside a quotation (`inside`), by bisection.
* `standalone`, `written_as_outlet`, `after_lowercase`: `str.find` and character tests instead of a
  pattern compiled per name.
* `may_speak_without_verb`, `may_hold_possessive`, `may_end_noun_before`, `may_hold_noun_of`:
  cheap pre-tests; where they say no, the rule they guard finds nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

_WORDISH = re.compile(r"[\w-]")


# ----------------------------------------------------------------------------- triggers


@dataclass(frozen=True)
class TriggerScan:
    """A trigger rule, `pattern` = `(?<!\\w)(?:<word branches>)|['’]<possessive>`, with its fast twin `after`.

    `after` opens with the non-word character before a word branch (consumed, then tested by the
    branches' own look-behinds), or with the apostrophe of the possessive branch, and a look-ahead
    for the characters a branch may open with: the `re` engine then skips through words, where a
    pattern that opens with look-behinds is tried at every position."""

    pattern: re.Pattern[str]
    after: re.Pattern[str]

    def first_start(self, text: str, start: int, end: int) -> int | None:
        """Where the first match of `pattern` in `text[start:end]` starts (`pattern.search(text, start, end)`).

        `after`'s match at `x` is `pattern`'s at `x` (the possessive, tried first) or else at `x + 1`;
        as it tries `x` only where no earlier match exists, that is also the first match of `pattern`."""
        if start == 0:  # no character before the first one to consume
            m = self.pattern.search(text, start, end)
            return None if m is None else m.start()
        m = self.after.search(text, start - 1, end)
        if m is None:
            return None
        if m.start("apostrophe") < 0:
            return m.start() + 1
        if m.start() >= start:
            return m.start()
        m = self.pattern.search(text, start, end)  # the apostrophe right before `start`: rare
        return None if m is None else m.start()


def trigger_scan(branches: Sequence[str], openers: str, possessive: str) -> TriggerScan:
    """The trigger rule and its twin from one source.

    `branches`: patterns that match after a non-word character (each opening with a character of
    `openers`, a character-set body); `possessive`: what matches after an apostrophe (opening with
    a letter)."""
    words = "|".join(branches)
    first = re.escape(possessive[0])
    return TriggerScan(
        pattern=re.compile(rf"(?<!\w)(?:{words})|['’]{possessive}"),
        after=re.compile(rf"[^\w](?=[{openers}{first}])(?:(?P<apostrophe>(?<=['’]){possessive})|{words})"),
    )


def first_letters(phrases: Iterable[str]) -> str:
    """The characters that open `phrases` as `alternation` writes them (lower-cased), for a character set."""
    return "".join(sorted({re.escape(p.strip().lower()[0]) for p in phrases}))


# ----------------------------------------------------------------------------- name tokens


def token_patterns(opener: str, parts: Sequence[tuple[str, str]], not_after: str) -> tuple[str, str]:
    """A name token as (plain, first): `plain` is the alternation of `first + rest` of `parts`;
    `first` matches what `(?<!{not_after})(?:{plain})` matches, written to open with `opener` (a
    character set holding every part's first) and the look-behind after that character, which lets
    the `re` engine skip ahead to capitals. The parts are tried in the same order; a part whose first
    is not `opener` itself gets a look-behind for it."""
    plain = "|".join(first + rest for first, rest in parts)
    branches = [rest if first == opener else f"(?<={first}){rest}" for first, rest in parts]
    return plain, f"{opener}(?<!{not_after}.)(?:{'|'.join(branches)})"


# ----------------------------------------------------------------------------- speech verbs


def one_scan(speech: list[str], participles: list[str], words: Callable[[list[str]], str]) -> re.Pattern[str] | None:
    """`speech` and `participles` (standalone words, `(?<![\\w-])(?:{words(...)})(?![\\w-])`) as one
    pattern (the group `speech` or `participle` matched), whose matches are those of the two, found
    with one scan of a sentence instead of two.

    That holds when a match of the one cannot overlap a match of the other: when their phrases are
    words of letters and no phrase of either opens with a word of the other's (a match opens after a
    non-word character, so inside the other's match only at one of its words). Otherwise None."""
    def split(phrases: list[str]) -> list[list[str]]:
        return [p.lower().split() for p in phrases]

    a, b = split(speech), split(participles)
    if not all(w.isalpha() for p in [*a, *b] for w in p):
        return None
    if {p[0] for p in a} & {w for p in b for w in p} or {p[0] for p in b} & {w for p in a for w in p}:
        return None
    return re.compile(rf"(?<![\w-])(?:(?P<speech>{words(speech)})|(?P<participle>{words(participles)}))(?![\w-])")


# ----------------------------------------------------------------------------- quotations


def inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """The plain rule: whether `pos` is strictly inside one of `spans`."""
    return any(a < pos < b for a, b in spans)


class Quotes:
    """A report's quotations (none empty), with a fast test for an offset inside one."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [a for a, _ in spans]
        # In text order and apart (as they are when the paragraphs are), only the last quotation
        # opening before an offset can hold it; otherwise every quotation is tried.
        self._ordered = all(end <= start for (_, end), (start, _) in pairwise(spans))

    def covers(self, pos: int) -> bool:
        """Whether `pos` is strictly inside a quotation (as `inside(spans, pos)`)."""
        if not self._ordered:
            return inside(self.spans, pos)
        i = bisect.bisect_left(self._starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]

    def may_cover(self, start: int, end: int) -> bool:
        """False when no offset from `start` to `end` is inside a quotation (True may be wrong)."""
        if not self._ordered:
            return True
        i = bisect.bisect_left(self._starts, end) - 1  # the last to open before `end` ends last
        return i >= 0 and self.spans[i][1] > start


# ----------------------------------------------------------------------------- words found by str.find


def standalone(text: str, word: str, *, overlapping: bool = False) -> Iterator[int]:
    r"""Where `word` occurs in `text` with no letter, digit or hyphen on either side: the matches of
    `(?<![\w-])word(?![\w-])` (as `re.finditer`, or every one if `overlapping`), found by `str.find`,
    which needs no pattern compiled per word."""
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        if (i == 0 or not _WORDISH.match(text, i - 1)) and not _WORDISH.match(text, end):
            yield i
            i = text.find(word, i + 1 if overlapping else max(end, i + 1))
        else:
            i = text.find(word, i + 1)


def written_as_outlet(text: str, name: str, nouns: str) -> bool:
    """Whether `text` writes `name` (any case, as a whole word) with an outlet noun (`nouns`, an
    alternation) right after it: `(?<![\\w-])name\\s+(?:nouns)(?![\\w-])` in any case. The name is found
    with `str.find` (compiling a pattern for each name would cost more than the search)."""
    lowered, key = text.lower(), name.lower()
    if len(lowered) != len(text) or not key:  # offsets would not line up: the plain pattern
        return re.search(rf"(?<![\w-]){re.escape(name)}\s+(?:{nouns})(?![\w-])", text, re.IGNORECASE) is not None
    after = _outlet_after(nouns)
    at = lowered.find(key)
    while at >= 0:
        end = at + len(key)
        whole = at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] in "_-")
        if whole and after.match(text, end):
            return True
        at = lowered.find(key, at + 1)
    return False


@lru_cache(maxsize=4)
def _outlet_after(nouns: str) -> re.Pattern[str]:
    return re.compile(rf"\s+(?:{nouns})(?![\w-])", re.IGNORECASE)


def after_lowercase(text: str, i: int) -> bool:
    r"""Whether white space and, before it, a lowercase letter or a comma, semicolon or colon come before
    offset `i` (as `[a-z,;:]\s+` ending at `i`)."""
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return 0 < j < i and text[j - 1] in "abcdefghijklmnopqrstuvwxyz,;:"


# ----------------------------------------------------------------------------- pre-tests

_ACCORDING_TO_NAME = re.compile(r"[Aa]ccording to\s+[A-ZÀ-ÖØ-ÞĀ-Ž]")  # where a person may follow (name tokens)
# The last words of the statements lexicon's `noun_before` and of "according to", which end only
# with white space after them: a text that does not end so (spaces aside) needs no search.
_NOUN_BEFORE_ENDS = ("of", "by", "from", "to")


def may_hold_possessive(text: str, start: int, end: int) -> bool:
    """Whether "'s" (which opens `noun_after` at the end of a name) may follow a name in `text[start:end]`."""
    return "'s" in text[start:end + 2]


def may_speak_without_verb(text: str, start: int, end: int, quoting: re.Pattern[str],
                           noun_of: re.Pattern[str]) -> bool:
    """Whether `text[start:end]`, a sentence with no speech verb, may hold a speaker that a quoting verb
    ("the agency quoted X") or a speech noun ("X's remarks", "the remarks of X", "according to X")
    makes one: where not, neither pattern finds one, and the sentence's names need not be read."""
    return bool(may_hold_possessive(text, start, end) or quoting.search(text, start, end)
                or noun_of.search(text, start, end) or _ACCORDING_TO_NAME.search(text, start, end))


def may_end_noun_before(before: str) -> bool:
    """Whether `before` (the text before a name) may end as "<noun> of " or "according to " do."""
    return before.rstrip().endswith(_NOUN_BEFORE_ENDS)


def may_hold_noun_of(text: str, start: int, end: int, noun_of: re.Pattern[str]) -> bool:
    """Whether `text[start:end]` holds "<speech noun> of" (`noun_of`) or "according to" (either case:
    "ccording to" is in both) somewhere, which a name's lead must end with to make it a speaker."""
    return "ccording to" in text[start:end] or noun_of.search(text, start, end) is not None
