"""A report as the statements stage reads it: plain apostrophes, quotations, dates and places by offset."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from eventledger.models import Analysis, DateMention, PlaceMention, Sentence, Statement
from eventledger.stages.actors import Actor, lookup
from eventledger.stages.scan_statements import (
    Quotes,
)
from eventledger.stages.statements.lexicon import Lexicon, lexicon
from eventledger.stages.statements.names import Name

_QUOTATION = re.compile(r"“[^”“]*(?:”|(?=“)|$)|\"[^\"]*(?:\"|$)")


@dataclass
class Doc:
    """A report and what the statements stage found in it so far."""

    analysis: Analysis
    lex: Lexicon
    text: str  # report text, typographic apostrophes made plain (same length)
    quotes: Quotes
    dates: list[DateMention]
    date_starts: list[int]
    publisher: Actor | None
    earlier: dict[str, list[tuple[Name, str]]] = field(default_factory=dict)
    out: list[Statement] = field(default_factory=list)
    persons: set[str] = field(default_factory=set)
    outlets: dict[str, bool] = field(default_factory=dict)  # name -> written with an outlet noun after it
    places: list[PlaceMention] | None = None  # by start, once `overlaps_place` needs them
    place_starts: list[int] = field(default_factory=list)
    longest_place: int = 0

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        i, j = bisect.bisect_left(self.date_starts, start), bisect.bisect_left(self.date_starts, end)
        return self.dates[i:j]

    def overlaps_place(self, start: int, end: int) -> bool:
        """Whether a place found in the report overlaps [start, end)."""
        if self.places is None:
            places = sorted(self.analysis.places, key=lambda p: p.start)
            self.places, self.place_starts = places, [p.start for p in places]
            self.longest_place = max((p.end - p.start for p in places), default=0)
        # a place that starts `longest_place` or more before `start` ends by then
        i = bisect.bisect_right(self.place_starts, start - self.longest_place)
        j = bisect.bisect_left(self.place_starts, end)
        return any(start < p.end for p in self.places[i:j])


def _paragraph_spans(sentences: tuple[Sentence, ...]) -> list[tuple[int, int]]:
    spans: dict[int, tuple[int, int]] = {}
    for s in sentences:
        first = spans.get(s.paragraph)
        spans[s.paragraph] = (s.start if first is None else first[0], s.end)
    return list(spans.values())


def _quote_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations (marks included): “…” or "…" inside a paragraph; an unclosed one runs to its end."""
    return [m.span() for a, b in paragraphs for m in _QUOTATION.finditer(text, a, b)]  # (`$`: at `b`)


def document_of(analysis: Analysis) -> Doc:
    text = analysis.report.text.replace("’", "'")
    dates = sorted(analysis.dates, key=lambda d: d.start)
    publisher = lookup(analysis.report.publisher) if analysis.report.publisher else None
    quotes = Quotes(_quote_spans(text, _paragraph_spans(analysis.sentences)))
    return Doc(analysis=analysis, lex=lexicon(), text=text, quotes=quotes, dates=dates,
               date_starts=[d.start for d in dates], publisher=publisher)
