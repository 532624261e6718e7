"""The words right around a name (on its line, spaces between) and the gap that joins two names of a list."""

from __future__ import annotations

import re
from functools import lru_cache

from eventledger.gazetteer.matcher import Tokens
from eventledger.stages.places.records import Found

LIST_GAP = re.compile(r"\s*(?:,|،|;|/|&|and|or|, and|, or|و)\s*", re.IGNORECASE)


def words_after(tokens: Tokens, last: int, n: int) -> tuple[str, ...]:
    """Keys of up to `n` words right after token `last` on the same line, spaces between
    (or a possessive "'s" before the first of them)."""
    keys, gaps, possessive = tokens.keys, tokens.gaps, tokens.possessive
    out: list[str] = []
    for prev in range(last, min(last + n, len(keys) - 1)):
        # `gaps[prev + 1]` is the text between the words, unless word `prev` lost an "'s" to it.
        if possessive(prev):
            gap = tokens.text[tokens.end(prev):tokens.starts[prev + 1]]
            if out or gap.strip() not in ("'s", "\u2019s"):
                break
        elif (gap := gaps[prev + 1]) != " " and not _short_space(gap):  # (most gaps: one space)
            break
        out.append(keys[prev + 1])
    return tuple(out)


def words_before(tokens: Tokens, first: int, n: int) -> tuple[str, ...]:
    """Keys of up to `n` words right before token `first` on the same line, spaces between."""
    gaps, possessive = tokens.gaps, tokens.possessive
    at = first
    for tok in range(first - 1, max(0, first - n) - 1, -1):
        # (after a possessive word the text between starts with its "'s": not a space)
        if possessive(tok) or ((gap := gaps[tok + 1]) != " " and not _short_space(gap)):
            break
        at = tok
    return tuple(tokens.keys[at:first])


@lru_cache(maxsize=4096)
def _short_space(gap: str) -> bool:
    """`gap` (between two words) is at most two white-space characters, no line break."""
    return gap.strip() == "" and "\n" not in gap and len(gap) <= 2


def in_list(a: Found, b: Found, text: str) -> bool:
    """`a` and `b` are next to each other in a list of places ("Babol, Sari and Amol")."""
    # (matched in place: the text between two names is often long, and slicing it was the cost)
    return LIST_GAP.fullmatch(text, a.end, b.start) is not None
