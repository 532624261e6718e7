"""A document's text cut into segments at the evidence offsets of its records, for highlighting.

Spans may overlap (two records read from one sentence): the text is cut at every span boundary
and each segment lists the records whose evidence covers it. Offsets outside the text are
clamped; the template escapes every segment.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    ref: str  # "event-12"


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    refs: tuple[str, ...] = ()
    current: bool = False


def segments(text: str, spans: Sequence[Span], current: str | None = None) -> list[Segment]:
    """`text` in order, cut at every span boundary; `current` marks the segments of that record."""
    n = len(text)
    clamped = [Span(max(0, min(s.start, n)), max(0, min(s.end, n)), s.ref) for s in spans]
    clamped = [s for s in clamped if s.end > s.start]
    cuts = sorted({0, n, *(s.start for s in clamped), *(s.end for s in clamped)})
    out = []
    for start, end in itertools.pairwise(cuts):
        refs = tuple(s.ref for s in clamped if s.start <= start and end <= s.end)
        out.append(Segment(text[start:end], refs, current in refs))
    return out
