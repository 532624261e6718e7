"""What a figure counts (claims stage): a count of people or acts, its category from the cue words
around it, whether it is part of a total, and whether it is asserted (not hedged or negated)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventledger.models import Sentence
from eventledger.stages.claims.lexicon import Lexicon
from eventledger.stages.quantities import Number
from eventledger.stages.scan_claims import clause

_SPACES = re.compile(r"\s+")
_WINDOW_CUT = re.compile(r"[;:“”\"()]")
_AGE_APPOSITIVE = re.compile(r"[A-Z][\w.'’-]+,\s*$")  # "Nikzad, " before an age ("Parsa Nikzad, 19, was ...")
_PLACE_SHARE = re.compile(r"\s+(?:in|from|at)\s+(?:the\s+)?[A-Z][\w'’-]*\s*(?:[,;.)]|$|and\b)")
_YEAR_RANGE = re.compile(r"(?<!\d)(?:1[3-9]|20)\d\d\s*[-–/]\s*$")  # "2009-10": the second year
_FOOTNOTE = re.compile(r"[(\[]$")
_AT_AGE = re.compile(r"(?<![\w-])at\s+$")
_CLAUSE_CLOSE = re.compile(r"\s*(?:[.;)]|,\s|$)")


@dataclass(frozen=True, slots=True)
class Cue:
    """The words that say what a figure counts."""

    category: str
    start: int  # absolute offsets of the cue word(s)
    end: int
    tier: int  # 0 governs the figure ... 4 earlier in the sentence


def _cue(lex: Lexicon, m: re.Match[str] | None, base: int, tier: int) -> Cue | None:
    if m is None:
        return None
    phrase = _SPACES.sub(" ", m.group("cue").lower())
    return Cue(category=lex.cue_category[phrase], start=base + m.start("cue"), end=base + m.end("cue"), tier=tier)


def _window_after(text: str, start: int, stop: int) -> str:
    window = text[start:min(stop, start + 110)]
    cut = _WINDOW_CUT.search(window)
    return window[:cut.start()] if cut else window


def figure_category(lex: Lexicon, s: Sentence, numbers: list[Number], i: int) -> Cue | None:
    n, text = numbers[i], s.text
    a, b = n.start - s.start, n.end - s.start
    prev_end = numbers[i - 1].end - s.start if i else 0
    later = (m.start - s.start for m in numbers[i + 1:] if not lex.subset.search(text, 0, m.start - s.start))
    next_start = next(later, len(text))  # the next figure that is not a subset of this one
    after = _window_after(text, b, next_start)
    found = (_cue(lex, lex.tight.search(text, prev_end, a), s.start, 0)
             or _cue(lex, lex.noun_after.match(after), s.start + b, 1)
             or _cue(lex, lex.any_cue.search(after), s.start + b, 2)
             or _cue(lex, lex.person_after.match(after), s.start + b, 3))
    if found or not lex.count_after.match(text[b:]):
        return found
    earlier = list(lex.any_cue.finditer(text, prev_end, a))
    return _cue(lex, earlier[-1], s.start, 4) if earlier else None


def is_hedged(lex: Lexicon, s: Sentence, n: Number, cue: Cue) -> bool:
    """A future, hypothetical or denial in the figure's clause, or a negation between figure and cue."""
    lo, hi = min(n.start, cue.start) - s.start, max(n.end, cue.end) - s.start
    a, b = clause(s.text, lo, hi)
    if cue.start >= n.end:  # "300 people were not arrested"
        negated = lex.negation.search(s.text, n.end - s.start, cue.start - s.start)
    else:  # "did not kill 300"
        negated = lex.negation.search(s.text, max(a, cue.start - s.start - 12), cue.end - s.start)
    return bool(lex.hedge.search(s.text, a, b) or negated)


def is_countable(n: Number) -> bool:
    return n.unit is None and not n.vague and n.value is not None and n.value >= 2


def no_count(lex: Lexicon, s: Sentence, n: Number) -> bool:
    """A figure that counts no people or acts: an age ("at the age of 15"), a page, a weight or a
    number of pellets ("70 pellets"), co-defendants of one case ("and 5 other defendants"), or part of a
    date ("11-12 Aban", "Aban month 1401", "2009-10")."""
    a, b, text = n.start - s.start, n.end - s.start, s.text
    lo = max(0, a - 20)
    after = text[b:b + 24]
    if lex.not_count.search(text, lo, a) or lex.thing_after.match(after) or lex.age_after.match(after):
        return True
    if (_AGE_APPOSITIVE.search(text, lo, a) and after[:1] == ",") or (_FOOTNOTE.search(text, lo, a)
                                                                     and after[:1] in ")]"):
        return True  # "Parsa Nikzad, 19, was ...", "(7)"
    if _AT_AGE.search(text, lo, a) and _CLAUSE_CLOSE.match(after):
        return True  # "she left school at 14."
    return bool(lex.date_part.match(after) or lex.date_part.search(text, lo, a) or _YEAR_RANGE.search(text, lo, a))


def is_part(lex: Lexicon, s: Sentence, numbers: list[Number], i: int) -> bool:
    """A figure that breaks a total down: "including 10 children", "25 of them", "25 of the 40",
    "Of the 40 executed, 25 were ...". It belongs to the total and is no claim of its own."""
    n, text = numbers[i], s.text
    a, b = n.start - s.start, n.end - s.start
    if lex.part_before.search(text, max(0, a - 40), a) or lex.part_after.match(text[b:b + 20]):
        return True
    if i and _PLACE_SHARE.match(text, b) and text[:a].rstrip().endswith(","):
        return True  # "33 died, 9 in Aleppo"
    later = numbers[i + 1] if i + 1 < len(numbers) else None
    if later is not None and lex.of_figure.match(text[b:later.start - s.start]):
        return True
    for m in numbers[:i]:  # a total opening an earlier clause: "Of the 40 ..., 25 ..."
        start = m.start - s.start
        if lex.total_opener.search(text, 0, start) and "," in text[m.end - s.start:a]:
            return True
    return False
