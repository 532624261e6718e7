"""A report as the claims stage reads it: its figures, dates and places by offset, its country."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from eventledger.models import Analysis, DateMention, PlaceMention, Sentence
from eventledger.stages.claims.lexicon import Lexicon, lexicon
from eventledger.stages.quantities import Number, find_numbers, outside
from eventledger.stages.scan_claims import lowered


@dataclass
class Doc:
    """Lookups shared by the helpers below, built once per report."""

    analysis: Analysis
    lex: Lexicon
    text: str  # the report text with typographic apostrophes made plain (same length)
    dates: list[DateMention]
    date_starts: list[int]
    places: list[PlaceMention]
    country: str | None
    numbers: list[Number]
    number_starts: list[int]
    place_starts: list[int]
    # per sentence (by start), what every figure in it reads alike: computed for its first figure
    sentence_dates: dict[int, list[DateMention]] = field(default_factory=dict)
    tallies: dict[int, bool] = field(default_factory=dict)
    according: dict[int, str | None] = field(default_factory=dict)
    lowered: dict[int, str | None] = field(default_factory=dict)  # `lowered(s.text)`

    def lowered_sentence(self, s: Sentence) -> str | None:
        if s.start not in self.lowered:
            self.lowered[s.start] = lowered(s.text)
        return self.lowered[s.start]

    def numbers_in(self, start: int, end: int) -> list[Number]:
        i, j = bisect.bisect_left(self.number_starts, start), bisect.bisect_left(self.number_starts, end)
        return [n for n in self.numbers[i:j] if n.end <= end]

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        i = bisect.bisect_left(self.date_starts, start)
        j = bisect.bisect_left(self.date_starts, end)
        return self.dates[i:j]

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        i, j = bisect.bisect_left(self.place_starts, start), bisect.bisect_right(self.place_starts, end)
        return [p for p in self.places[i:j] if p.end <= end]


def _doc_country(analysis: Analysis, lex: Lexicon) -> str | None:
    counts = Counter(p.place.country for p in analysis.places if p.place.country)
    if counts:
        return counts.most_common(1)[0][0]
    return next((c for c, pattern in lex.country_words.items() if pattern.search(analysis.report.text)), None)


def document_of(analysis: Analysis) -> Doc:
    """The report with its figures (outside dates), dates and places by offset."""
    lex = lexicon()
    dates = sorted(analysis.dates, key=lambda d: d.start)
    numbers = outside(find_numbers(analysis.report.text), [(d.start, d.end) for d in dates])
    places = sorted(analysis.places, key=lambda p: p.start)
    return Doc(analysis=analysis, lex=lex, text=analysis.report.text.replace("’", "'"), dates=dates,
               date_starts=[d.start for d in dates], places=places, country=_doc_country(analysis, lex),
               numbers=numbers, number_starts=[n.start for n in numbers], place_starts=[p.start for p in places])
