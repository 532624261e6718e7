"""Figures in Persian words: digits (already folded to ASCII) or number words ("بیست و پنج",
"دو هزار"), with a qualifier before them ("دست‌کم" at_least, "حدود" about) and whether a word for
people follows ("نفر", "تن", "زندانی")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from eventledger.stages.fa.normalise import Word, key
from eventledger.stages.fa.vocabulary import load as load_vocabulary

_ARTICLE = frozenset({"یک", "یکی"})


@dataclass(frozen=True, slots=True)
class Figure:
    value: int
    first: int
    last: int
    qualifier: str
    people: bool
    unit: bool = False  # a measure ("پنج سال", "۷۴ ضربه"): no count of people or acts


@dataclass(frozen=True)
class NumberWords:
    words: dict[str, int]
    multipliers: dict[str, int]
    people: frozenset[str]
    units: frozenset[str]
    qualifiers: dict[tuple[str, ...], str]


@lru_cache(maxsize=1)
def number_words() -> NumberWords:
    cfg = load_vocabulary().raw["numbers"]
    return NumberWords({key(k): v for k, v in cfg["words"].items()},
                       {key(k): v for k, v in cfg["multipliers"].items()},
                       frozenset(key(p) for p in cfg["people"]), frozenset(key(u) for u in cfg["units"]),
                       {tuple(key(k).split()): v for k, v in cfg["qualifiers"].items()})


def _value_at(ws: Sequence[Word], i: int, nw: NumberWords) -> tuple[int, int] | None:
    """(value, last word) of the figure starting at word i."""
    k = ws[i].key
    if ws[i].compound:
        return None  # "هفت‌تپه": a number inside a name
    if k.isdigit():
        value, last = int(k), i
        if last + 1 < len(ws) and ws[last + 1].key in nw.multipliers:
            value, last = value * nw.multipliers[ws[last + 1].key], last + 1
        return value, last
    if k in _ARTICLE and not (i + 1 < len(ws) and ws[i + 1].key in nw.people):
        return None  # "یک تیم": the indefinite article, not a count
    if k not in nw.words or ws[i].end - ws[i].start != len(k) + len(ws[i].prefix) + (1 if ws[i].prefix else 0):
        return None  # "ده‌ها", "صدها": tens, hundreds (a suffix was joined to the word)
    total, current, last, j = 0, nw.words[k], i, i + 1
    while j < len(ws):
        w = ws[j].key
        if w in nw.multipliers:
            total, current, last, j = total + current * nw.multipliers[w], 0, j, j + 1
        elif w == "و" and j + 1 < len(ws) and ws[j + 1].key in nw.words:
            current, last, j = current + nw.words[ws[j + 1].key], j + 1, j + 2
        else:
            break
    return total + current, last


def figures(ws: Sequence[Word], skip: list[tuple[int, int]] | None = None) -> list[Figure]:
    """The figures of a sentence's words; `skip`: spans (dates) whose numbers are not figures."""
    nw = number_words()
    out: list[Figure] = []
    i = 0
    while i < len(ws):
        k = ws[i].key
        if not (k.isdigit() or k in nw.words) or (skip and any(a <= ws[i].start < b for a, b in skip)):
            i += 1
            continue
        found = _value_at(ws, i, nw)
        if found is None:
            i += 1
            continue
        value, last = found
        qualifier = "exact"
        for words, q in nw.qualifiers.items():
            n = len(words)
            if i - n >= 0 and tuple(w.key for w in ws[i - n:i]) == words:
                qualifier = q
        after = ws[last + 1].key if last + 1 < len(ws) else None
        out.append(Figure(value, i, last, qualifier, after in nw.people, after in nw.units))
        i = last + 1
    return out
