"""Reading one name: its level and role from the words around it ("X province", "X Street",
"city of X"), sites ("Shiraz Central Prison")."""

from __future__ import annotations

from functools import lru_cache

from eventledger.gazetteer import Candidate, Gazetteer, load
from eventledger.gazetteer.matcher import Match, Tokens
from eventledger.stages.places.records import CITY, Found, levels_of
from eventledger.stages.places.vocab import Vocabulary, vocabulary
from eventledger.stages.places.words import words_after, words_before


def _is_stopword(match: Match, tokens: Tokens, voc: Vocabulary) -> bool:
    if match.first != match.last or tokens.arabic(match.first):
        return False
    return match.key in voc.stopwords


def read(match: Match, tokens: Tokens, gaz: Gazetteer, voc: Vocabulary) -> Found | None:
    """A Found for a match with its context applied, or None when it is not a place."""
    table = match.table
    if table == "blocked" or _is_stopword(match, tokens, voc):
        return None
    before = words_before(tokens, match.first, 3)
    if before and before[-1] in voc.foreign_before:
        return None
    after = words_after(tokens, match.last, 3)
    if table == "site":
        candidates = _site_candidates(match.key)
        return Found(match, candidates, levels_of(candidates), match.start, match.end, before, after,
                     role="site", cue=True)
    found = _context(match, before, after if not tokens.possessive(match.last) else ())
    found.before, found.after = before, after
    return found if found.candidates else None


@lru_cache(maxsize=1024)
def _site_candidates(key: str) -> tuple[Candidate, ...]:
    return (Candidate(vocabulary().sites[key], True),)


def _context(match: Match, before: tuple[str, ...], after: tuple[str, ...]) -> Found:
    """A Found for a gazetteer name, its level and role from the words around it."""
    candidates, levels, role, cue, after_street = _reading(match.key, before, after)
    found = Found(match, candidates, levels, match.start, match.end, role=role, cue=cue)
    found.after_street = after_street
    return found


@lru_cache(maxsize=16384)
def _reading(key: str, before: tuple[str, ...], after: tuple[str, ...]) -> tuple[
        tuple[Candidate, ...], frozenset[str], str, bool, bool]:
    """(candidates, their levels, role, cue, after a street) of a gazetteer name from the words
    around it: the same for every mention of a name in the same words (speed: a report names a
    few places many times, and the reading was most of `read`)."""
    gaz, voc = load(), vocabulary()
    first_after = after[0] if after else None
    role = "event"
    if first_after in voc.province_after or voc.province_before.ending(before):
        candidates, cue = _keep_levels(gaz.candidates(key), "province"), True
        levels = levels_of(candidates)
    else:
        cue = False
        if first_after in voc.street_words:
            candidates, role = _keep_levels(gaz.candidates(key), "city"), "street"
            levels = levels_of(candidates)
        else:  # (candidates still as the gazetteer lists them under the key: the choice is cached)
            candidates, levels = _level_choice(key)
    after_street = len(before) >= 2 and before[-2] in voc.street_words and before[-1] in ("in", "of")
    if voc.town_before.ending(before) or first_after in voc.town_after:
        cue = True
    return candidates, levels, role, cue, after_street


def _keep_levels(candidates: tuple[Candidate, ...], level: str) -> tuple[Candidate, ...]:
    kept = tuple(c for c in candidates if c.place.level == level)
    return kept or candidates


@lru_cache(maxsize=16384)
def _level_choice(key: str) -> tuple[tuple[Candidate, ...], frozenset[str]]:
    """`_choose_level` of the gazetteer's candidates for `key` (the same for every mention), and
    their levels."""
    chosen = tuple(_choose_level(list(load().candidates(key))))
    return chosen, levels_of(chosen)


def _choose_level(candidates: list[Candidate]) -> list[Candidate]:
    """Province and town of one name: the town if it is the province's capital, else the province."""
    exact = [c for c in candidates if c.exact] or candidates
    provinces = [c for c in exact if c.place.level == "province"]
    countries = [c for c in exact if c.place.level == "country"]
    if countries:
        return countries
    if provinces:
        province = provinces[0].place
        capital = [c for c in exact if c.place.level == "city" and c.place.admin1 == province.name]
        return capital[:1] if capital else provinces
    return candidates


def site_extension(found: Found, tokens: Tokens, voc: Vocabulary) -> None:
    """"Shiraz Central Prison", "Hamedan's Central Prison", "Central Prison of Shiraz": a site."""
    if found.role != "event" or found.levels != CITY:
        return
    m = found.match
    phrase = voc.site_after.starting(found.after)
    if phrase:
        found.role, found.end, found.named_after = "site", tokens.end(m.last + len(phrase)), "site"
        return
    phrase = voc.site_before.ending(found.before)
    if phrase:
        found.role, found.start = "site", tokens.starts[m.first - len(phrase)]
