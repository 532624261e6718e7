"""Qualifiers: a province or country right after a town locates it ("Rudbar (Gilan)", "Kiev,
Ukraine", "Zahedan, southeastern Iran"); so does a town after "X village near"."""

from __future__ import annotations

from itertools import pairwise

from eventledger.gazetteer import load
from eventledger.gazetteer.matcher import Tokens
from eventledger.models import Place
from eventledger.stages.places.records import CITY, GLUED_POPULATION, Found, effective_population, levels_of
from eventledger.stages.places.vocab import Vocabulary
from eventledger.stages.places.words import LIST_GAP

QUALIFIER_GAP_MAX = 80  # characters between a place and what qualifies it, at most


def link_qualifiers(founds: list[Found], text: str, tokens: Tokens, voc: Vocabulary) -> None:
    """A province or country right after a town locates it: "Rudbar (Gilan)", "Kiev, Ukraine",
    "Behbahan city (Khuzestan)"; so does a town after "X village near", "X district of"."""
    for i, (a, b) in enumerate(pairwise(founds)):
        # (a town that locates another, "X village near Bam (Kerman)", takes a province too)
        if b.start - a.end > QUALIFIER_GAP_MAX or "city" not in a.levels or (
                a.role not in ("event", "site") and a.qualifies is None):
            continue
        gap = text[a.end:b.start]
        if b.levels - {"province", "country"} and not (b.role == "event" and _parenthesised_province(a, b, gap, voc)):
            _link_near(a, b, gap, voc)
            continue
        direction = _direction_between(a, b, tokens, voc)
        if direction is None and not voc.qualifier_gap.fullmatch(gap):
            continue
        place = b.candidates[0].place
        after = founds[i + 2] if i + 2 < len(founds) else None
        continues = after is not None and LIST_GAP.fullmatch(text[b.end:after.start]) is not None
        if not _qualifies(a, b, place, gap, continues):
            _misplaced(a, b, place, gap)
            continue
        b.role, b.qualifies, a.cue = "qualifier", a, True
        a.direction_hint = direction or a.direction_hint
        if place.level == "province":
            a.province_hint = place.name
        else:
            a.country_hint = place.country


def _parenthesised_province(a: Found, b: Found, gap: str, voc: Vocabulary) -> bool:
    """"Bushehr city (Bushehr)", "Khark (Bushehr)": a name in parentheses after a town, both a town
    and a province, is the province when the town may lie in it; `b` is then read as the province."""
    if "(" not in gap or not voc.qualifier_gap.fullmatch(gap):
        return False
    provinces = tuple(c for c in load().candidates(b.match.key) if c.place.level == "province")
    if not provinces or not any(c.place.admin1 == provinces[0].place.name for c in a.candidates):
        return False
    b.candidates, b.levels = provinces, levels_of(provinces)
    return True


def province_in_parentheses(found: Found, text: str, voc: Vocabulary) -> None:
    """"in Tazeh village (Semnan)": a name in parentheses after a town word is the province."""
    if found.role != "event" or "province" in found.levels or found.start < 2 or text[found.start - 1] != "(":
        return
    if not voc.town_word_paren.search(text, max(0, found.start - 30), found.start):
        return
    provinces = tuple(c for c in load().candidates(found.match.key) if c.place.level == "province")
    if provinces:
        found.candidates, found.levels, found.cue = provinces, levels_of(provinces), True


def _misplaced(a: Found, b: Found, place: Place, gap: str) -> None:
    """"Kalateh village (Gilan)" when no Kalateh the gazetteer knows lies in Gilan: the text names
    another, unknown place of that name; the province stays as the event's place."""
    if "(" in gap and place.level == "province" and a.role == "event" and a.levels == CITY \
            and all(effective_population(c.place) < GLUED_POPULATION for c in a.candidates):
        a.misread = True


def _link_near(a: Found, b: Found, gap: str, voc: Vocabulary) -> None:
    """"Sardasht village near Mahabad", "Kalaleh district of Gorgan": the second town only locates
    the first (a qualifier); its province helps choose the first."""
    if b.role != "event" or b.levels != CITY or not voc.near_gap.fullmatch(gap):
        return
    b.role, b.qualifies, a.cue, a.near = "qualifier", a, True, b
    if len(b.candidates) == 1:
        a.province_hint = a.province_hint or b.candidates[0].place.admin1


def _qualifies(a: Found, b: Found, place: Place, gap: str, continues: bool) -> bool:
    """Whether `b` (a province or country) locates `a` rather than being the next list item."""
    fits = [c for c in a.candidates if (c.place.admin1 if place.level == "province" else c.place.country)
            == (place.name if place.level == "province" else place.country)]
    if not fits:
        return False
    if "(" in gap or b.cue or place.level == "country":
        return True
    return len(a.candidates) > 1 or not continues


def _direction_between(a: Found, b: Found, tokens: Tokens, voc: Vocabulary) -> str | None:
    """"Zahedan, southeastern Iran" / "Gorgan, in northern Iran": the direction word."""
    first, stop = a.match.last + 1, b.match.first
    if not 0 < stop - first <= 3 or b.candidates[0].place.level != "country":
        return None
    between = tokens.keys[first:stop]
    words = [w.replace(" ", "") for w in between if w not in ("in", "the", "of")]
    joined = "".join(words)
    return voc.directions.get(joined) if len(words) <= 2 else None
