"""Fast paths of the claims stage: each gives what a plain rule gives, only quicker.

The rules (`stages/claims/`) are written plainly; what makes them fast lives here, each with the
plain rule it stands for (named in its docstring) and a property test comparing the two
(`tests/test_scan_claims.py`):

* `needed_words`, `lowered`, `may_contain`: a substring pre-test for a case-insensitive search, which
  the `re` engine tries at every position of a sentence.
* `has_figure`: whether a figure starts in a sentence, by bisection over the report's figures.
* `clause`: the comma-delimited stretch around a figure, from clause marks found once per sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

from eventledger.models import Sentence


def needed_words(phrases: Iterable[str]) -> tuple[str, ...] | None:
    """The longest word of each phrase, lower-cased: a text in which an IGNORECASE pattern finds one of
    `phrases` has one of these words in its `lowered` form. None (no such test) unless they are ASCII."""
    words = tuple(sorted({max(p.lower().split(), key=len) for p in phrases}))
    return words if all(w.isascii() for w in words) else None


def lowered(text: str) -> str | None:
    """`text.lower()`, where an ASCII word that an IGNORECASE pattern matches in `text` is found as a
    substring; None if `text` has "İ", "ı" or "ſ" (IGNORECASE matches them to "i" and "s", `lower`
    does not; no other character is so: tested)."""
    return None if "İ" in text or "ı" in text or "ſ" in text else text.lower()


def may_contain(low: str | None, words: tuple[str, ...] | None) -> bool:
    """Whether a text whose `lowered` form is `low` may hold a phrase that has one of `words`: a cheap
    test that spares case-insensitive searches. Where it says no, the search finds nothing."""
    return low is None or words is None or any(w in low for w in words)


def has_figure(starts: list[int], s: Sentence) -> bool:
    """Whether a figure starts in sentence `s` (`starts`: the report's, ascending), as
    `any(s.start <= x < s.end for x in starts)`: most sentences have none, and need no reading."""
    i = bisect.bisect_left(starts, s.start)
    return i < len(starts) and starts[i] < s.end


_CLAUSE_MARK = re.compile(r"[,;:“”\"]")


def clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The comma/semicolon-delimited stretch of `text` around [start, end) (`start` and `end` not
    negative): from just after the last mark before `start` to the first mark at or after `end`
    (as `rfind` and `find` of each mark give)."""
    marks = _clause_marks(text)
    i = bisect.bisect_left(marks, start)
    j = bisect.bisect_left(marks, end)
    return (marks[i - 1] + 1 if i else 0), (marks[j] if j < len(marks) else len(text))


@lru_cache(maxsize=64)
def _clause_marks(text: str) -> tuple[int, ...]:
    """Where `text` (a sentence, read for each of its figures) has a clause mark, ascending."""
    return tuple(m.start() for m in _CLAUSE_MARK.finditer(text))
