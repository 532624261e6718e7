"""Contested figures: what different sources claim about the same count, side by side.

Claims are grouped when they count the same thing (`category`) at the same place and over the
same period, and at least `min_sources` different sources make them ("576 executions in 2022"
from one, "582" from another). Periods are the same when:

* both are closed and their overlap covers at least `PERIOD_OVERLAP` of the longer one;
* both are open-ended ("since April 21") and start within `OPEN_START_DAYS` of each other;
* neither states a period.

A claim's source is its `claimed_by`, else the publisher of its document, else the document
itself (an unattributed figure is its document's own). Grouping is transitive within a
category and place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from eventledger.corroborate.unionfind import UnionFind
from eventledger.models import Claim

PERIOD_OVERLAP = 0.5
OPEN_START_DAYS = 7


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Claims of one category, place and period from different sources."""

    category: str
    place: str | None
    period_start: str | None
    period_end: str | None
    claims: tuple[Claim, ...]
    sources: tuple[str, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(sorted({c.value for c in self.claims}))

    @property
    def contested(self) -> bool:
        """Whether the sources give different figures."""
        return len(self.values) > 1


def _day(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def same_period(a: Claim, b: Claim) -> bool:
    """Whether two claims cover the same period (see the module notes)."""
    a0, a1, b0, b1 = _day(a.period_start), _day(a.period_end), _day(b.period_start), _day(b.period_end)
    if a0 is None or b0 is None:
        return a0 is None and b0 is None
    if a1 is None or b1 is None:
        return a1 is None and b1 is None and abs((a0 - b0).days) <= OPEN_START_DAYS
    overlap = (min(a1, b1) - max(a0, b0)).days + 1
    longer = max((a1 - a0).days, (b1 - b0).days) + 1
    return overlap >= PERIOD_OVERLAP * longer


def source(claim: Claim, publishers: Mapping[str, str | None]) -> str:
    return claim.claimed_by or publishers.get(claim.doc) or f"unattributed ({claim.doc})"


def _place(claim: Claim) -> str:
    return " ".join((claim.place or "").casefold().split())


def _periods(claims: Sequence[Claim]) -> list[list[Claim]]:
    """Claims split into transitive groups of the same period."""
    sets = UnionFind(len(claims))
    for i, j in combinations(range(len(claims)), 2):
        if sets.find(i) != sets.find(j) and same_period(claims[i], claims[j]):
            sets.union(i, j)
    return [[claims[i] for i in group] for group in sets.groups()]


def _group(claims: Sequence[Claim], publishers: Mapping[str, str | None]) -> ClaimGroup:
    ordered = sorted(claims, key=lambda c: (c.value, c.doc, c.evidence_start))
    return ClaimGroup(
        category=ordered[0].category, place=ordered[0].place,
        period_start=min((c.period_start for c in ordered if c.period_start), default=None),
        period_end=max((c.period_end for c in ordered if c.period_end), default=None),
        claims=tuple(ordered), sources=tuple(sorted({source(c, publishers) for c in ordered})))


def contested_figures(claims: Iterable[Claim], *, publishers: Mapping[str, str | None] | None = None,
                      min_sources: int = 2) -> list[ClaimGroup]:
    """Groups of claims of one category, place and period made by `min_sources` or more sources."""
    by_topic: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        by_topic[claim.category, _place(claim)].append(claim)
    groups = [_group(g, publishers or {}) for topic in by_topic.values() for g in _periods(topic)]
    kept = [g for g in groups if len(g.sources) >= min_sources]
    return sorted(kept, key=lambda g: (g.category, g.place or "", g.period_start or "", g.period_end or ""))
