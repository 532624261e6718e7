"""Filters: names that are not places here (small towns without a cue, names glued to another
capitalised word, short capitals, the end of a longer unknown name)."""

from __future__ import annotations

from itertools import pairwise

from eventledger.gazetteer.matcher import Tokens
from eventledger.stages.places.records import (
    GLUED_POPULATION,
    MIN_ALTERNATE_POPULATION,
    MIN_POPULATION,
    Found,
    effective_population,
)
from eventledger.stages.places.resolve import km
from eventledger.stages.places.vocab import Vocabulary
from eventledger.stages.places.words import in_list

NEAR_KM = 60.0  # "X village near Y": farther than this from Y, the X found is another place
SHORT_CAPS_POPULATION = 100_000


def is_exact(found: Found) -> bool:
    place = found.place
    if place is None:
        return False
    # `is`, then the name, before the field-by-field dataclass comparison (hot: every mention;
    # a loop, not `any` over a generator, which cost more than the test for one or two candidates).
    for c in found.candidates:
        if c.exact and (c.place is place or (c.place.name == place.name and c.place == place)):
            return True
    return False


def _needs_cue(found: Found) -> bool:
    place = found.place
    if place is None or place.level != "city" or found.role in ("site", "dateline"):
        return False
    population = effective_population(place)
    return population < MIN_POPULATION or (population < MIN_ALTERNATE_POPULATION and not is_exact(found))


def _glued(found: Found, tokens: Tokens, founds_at: set[int], voc: Vocabulary) -> bool:
    """A small town's name glued to another capitalised word is likely part of a person's name; a
    province or country name followed by one is part of an organisation's name ("Kurdistan Human Rights")."""
    place, m = found.place, found.match
    if place is None:
        return False
    after = found.after[:1]
    if after and tokens.capital[m.last + 1] and m.last + 1 not in founds_at and not _is_cue_word(after[0], voc) \
            and (place.level != "city" or effective_population(place) < GLUED_POPULATION):
        return True
    if place.level != "city" or effective_population(place) >= GLUED_POPULATION:
        return False
    before = found.before[-1:]
    return bool(before) and tokens.capital[m.first - 1] and m.first - 1 not in founds_at \
        and before[0] not in voc.stopwords


def _far_from_its_town(found: Found) -> bool:
    """"Sardasht village near Bam" when the Sardasht chosen lies far from Bam: another, unknown place."""
    near = found.near
    return near is not None and found.place is not None and near.place is not None \
        and km(found.place, near.place) > NEAR_KM


def _in_longer_name(found: Found, tokens: Tokens, founds_at: set[int], voc: Vocabulary) -> bool:
    """"Deh Bala Kalateh village": a small town's name after another capitalised word and before a
    town word is the end of a longer name the gazetteer does not know ("Bandar" and the like aside)."""
    place, m = found.place, found.match
    if place is None or place.level != "city" or effective_population(place) >= GLUED_POPULATION:
        return False
    if not found.after or found.after[0] not in voc.town_after or not found.before or m.first == 0:
        return False
    word = found.before[-1]
    return tokens.capital[m.first - 1] and not tokens.arabic(m.first - 1) and m.first - 1 not in founds_at \
        and word not in voc.stopwords and word not in voc.name_prefixes and not _is_cue_word(word, voc)


def _is_cue_word(word: str, voc: Vocabulary) -> bool:
    return (word in voc.street_words or word in voc.province_after or word in voc.town_after
            or word in voc.site_after.first_words)


def _short_caps(found: Found, tokens: Tokens) -> bool:
    """"MEK", "IRGC": a short all-capitals word is a place only if the place is big."""
    m, place = found.match, found.place
    if m.first != m.last or not tokens.upper(m.first) or place is None or found.cue:
        return False
    return len(m.key) <= 4 and place.level == "city" and place.population < SHORT_CAPS_POPULATION


def _spread_cues(founds: list[Found], text: str, needs_cue: list[bool]) -> None:
    """Names in a list with an accepted place are presented as places. (`needs_cue[i]`:
    `_needs_cue(founds[i])`, which the cues do not change; the list links are found once too.)"""
    links = [k for k, (a, b) in enumerate(pairwise(founds)) if in_list(a, b, text)]
    changed = True
    while changed:
        changed = False
        for k in links:
            a, b = founds[k], founds[k + 1]
            if (not needs_cue[k] or a.cue) != (not needs_cue[k + 1] or b.cue):
                a.cue = b.cue = changed = True


def filter_places(founds: list[Found], text: str, tokens: Tokens, voc: Vocabulary) -> list[Found]:
    at = {i for f in founds for i in range(f.match.first, f.match.last + 1)}
    kept = [f for f in founds if not f.misread and not _far_from_its_town(f) and not _short_caps(f, tokens) and not (
        not f.cue and f.role == "event" and _glued(f, tokens, at, voc)) and not _in_longer_name(f, tokens, at, voc)]
    needs_cue = [_needs_cue(f) for f in kept]
    for f, needs in zip(kept, needs_cue, strict=True):
        f.needs_cue = needs
    _spread_cues(kept, text, needs_cue)
    return [f for f, needs in zip(kept, needs_cue, strict=True) if f.cue or not needs or is_district(f)]


def is_district(found: Found) -> bool:
    """"Farhan Boulevard in Saadat Abad": a small place right after a street is a district."""
    place = found.place
    return found.after_street and place is not None and place.level == "city" \
        and effective_population(place) < MIN_ALTERNATE_POPULATION
