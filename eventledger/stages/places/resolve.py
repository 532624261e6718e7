"""Choosing a place among the towns of one name: main name, population, the qualifying province,
country or direction, and nearness to the unambiguous places named around it (`resolve_places`)."""

from __future__ import annotations

import bisect
import math
from itertools import repeat
from operator import lt, sub

from eventledger.gazetteer import Candidate
from eventledger.models import Place
from eventledger.stages.places.records import Found, effective_population

IRAN_CENTRE = (32.4, 53.7)
NEARNESS_KM = 200.0  # a town this much farther (on average) from the places around it loses one point


def km(a: Place, b: Place) -> float:
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return 0.0
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dl = math.radians(b.longitude - a.longitude)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


_KM_PAIRS: dict[tuple[int, int], tuple[Place, Place, float]] = {}
_KM_PAIRS_MAX = 65536


def _km_pair(a: Place, b: Place) -> float:
    """`km(a, b)`, remembered per pair: a report's anchors are a few places that recur, and so
    do the pairs across reports (on the bench corpus 8.5k distinct pairs among 47k distances).
    Keyed by identity, since hashing a Place hashes every field; each entry keeps both places,
    so that their ids cannot be reused while it lives."""
    key = (id(a), id(b))
    hit = _KM_PAIRS.get(key)
    if hit is None:
        if len(_KM_PAIRS) >= _KM_PAIRS_MAX:
            _KM_PAIRS.clear()
        hit = _KM_PAIRS[key] = (a, b, km(a, b))
    return hit[2]


def _direction_ok(place: Place, direction: str) -> bool:
    if place.country != "IR" or place.latitude is None or place.longitude is None:
        return False
    lat, lon = place.latitude - IRAN_CENTRE[0], place.longitude - IRAN_CENTRE[1]
    tests = {"n": lat > 1.0, "s": lat < -0.5, "e": lon > 2.0, "w": lon < -2.5,
             "c": abs(lat) <= 2.5 and abs(lon) <= 3.0}
    return all(tests[ch] for ch in direction)


def _score(candidate: Candidate, found: Found, anchors: list[Place]) -> float:
    place = candidate.place
    score = (1.0 if candidate.exact else 0.0) + math.log10(effective_population(place))
    if found.province_hint and place.admin1 == found.province_hint:
        score += 3.0
    if found.country_hint and place.country == found.country_hint:
        score += 3.0
    if found.direction_hint and _direction_ok(place, found.direction_hint):
        score += 1.5
    if anchors:
        score -= sum(_km_pair(place, other) for other in anchors) / len(anchors) / NEARNESS_KM
    return score


def _anchors(found: Found, unambiguous: list[Found], starts: list[int], k: int = 4,
             ordered: bool = False) -> list[Place]:
    """Places of the nearest (in the text) unambiguous mentions of other names (`starts`: theirs,
    `ordered`: strictly increasing)."""
    if ordered:
        return _anchors_outward(found, unambiguous, starts, k)
    # Distances and their stable order computed in C; the same as filtering, then sorting by distance.
    distances = list(map(abs, map(sub, starts, repeat(found.start))))
    out: list[Place | None] = []  # (a None counts towards `k`, then is dropped)
    for i in sorted(range(len(distances)), key=distances.__getitem__):
        f = unambiguous[i]
        if f is not found and f.match.key != found.match.key:
            out.append(f.place)
            if len(out) == k:
                break
    return [p for p in out if p is not None]


def _anchors_outward(found: Found, unambiguous: list[Found], starts: list[int], k: int) -> list[Place]:
    """`_anchors` when `starts` increase strictly (as they do unless a site took in words before
    it): walk outwards from the name's position, taking the nearer side, the earlier on a tie --
    the order of the stable sort by distance, without sorting every mention for each name."""
    start, key = found.start, found.match.key
    right = bisect.bisect_left(starts, start)
    left = right - 1
    out: list[Place | None] = []  # (a None counts towards `k`, then is dropped)
    while left >= 0 or right < len(starts):
        if right >= len(starts) or (left >= 0 and start - starts[left] <= starts[right] - start):
            f = unambiguous[left]
            left -= 1
        else:
            f = unambiguous[right]
            right += 1
        if f is not found and f.match.key != key:
            out.append(f.place)
            if len(out) == k:
                break
    return [p for p in out if p is not None]


def resolve_places(founds: list[Found]) -> None:
    for f in founds:
        if len(f.candidates) == 1:
            f.place = f.candidates[0].place
    # Only single-candidate mentions anchor, and their places are fixed above: list them once.
    unambiguous = [f for f in founds if f.place is not None and len(f.candidates) == 1
                   and f.place.level in ("city", "province") and f.role != "qualifier"]
    starts = [f.start for f in unambiguous]
    ordered = all(map(lt, starts, starts[1:]))
    for f in founds:
        if f.place is None:
            anchors = _anchors(f, unambiguous, starts, ordered=ordered)
            f.place = max(f.candidates, key=lambda c: _score(c, f, anchors)).place
