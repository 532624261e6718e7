"""The working records of the places stage: the text being read (`Doc`), a name found in it
(`Found`), and the population thresholds shared by the steps."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from eventledger.gazetteer import Candidate
from eventledger.gazetteer.matcher import Match, Tokens, tokenize
from eventledger.models import Place

MIN_POPULATION = 10_000  # towns below this need a cue
MIN_ALTERNATE_POPULATION = 50_000  # towns named by an alternate name below this need a cue
UNKNOWN_POPULATION = 10_000  # GeoNames gives 0 for some county seats
GLUED_POPULATION = 20_000  # below this, a town glued to another capitalised word is a person's name
_NEWLINE = re.compile(r"\n")
CITY = frozenset({"city"})


@dataclass(frozen=True)
class Doc:
    """The text being read, its words and where its lines break."""

    text: str
    tokens: Tokens
    newlines: list[int]

    @classmethod
    def of(cls, text: str) -> Doc:
        return cls(text=text, tokens=tokenize(text), newlines=[m.start() for m in _NEWLINE.finditer(text)])

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos)


@dataclass(slots=True)
class Found:
    """A name found in the text while it is being resolved (internal, mutable)."""

    match: Match
    candidates: tuple[Candidate, ...]  # (shared with the gazetteer's and `reading._level_choice`'s tuples)
    levels: frozenset[str]  # the levels of `candidates` (set with them: read for every pair of names)
    start: int
    end: int
    before: tuple[str, ...] = ()  # up to 3 word keys right before the name (`words_before`)
    after: tuple[str, ...] = ()  # up to 3 word keys right after it (`words_after`)
    role: str = "event"
    place: Place | None = None
    cue: bool = False  # the text presents it as a place ("village of X", in a list, qualified)
    province_hint: str | None = None
    country_hint: str | None = None
    direction_hint: str | None = None
    after_street: bool = False  # "Farhan Boulevard in X"
    needs_cue: bool = False  # `filters._needs_cue`, as `filter_places` found it
    qualifies: Found | None = None  # for a qualifier: the place it locates
    near: Found | None = None  # the town that locates it ("X village near Y": Y)
    named_after: str = ""  # "site" or "organisation": it names one ("Sahand University", "a steel company of Ahvaz")
    vicinity: bool = False  # stands for an unnamed or unknown place near or in it ("a village near X")
    misread: bool = False  # part of a longer unknown name, or placed by its qualifier elsewhere


def levels_of(candidates: tuple[Candidate, ...]) -> frozenset[str]:
    return frozenset({c.place.level for c in candidates})


def effective_population(place: Place) -> int:
    if place.level != "city":
        return max(place.population, 1_000_000)
    return place.population or UNKNOWN_POPULATION
