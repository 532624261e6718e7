"""Spellings the gazetteer lacks: names the text presents as places, looked up by their
transliteration skeleton (`fold_names`), under strict conditions."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from eventledger.gazetteer import Candidate, Gazetteer, load
from eventledger.gazetteer.matcher import Match, Tokens
from eventledger.gazetteer.names import EZAFE, skeleton
from eventledger.stages.places.records import MIN_POPULATION, Doc, Found, effective_population, levels_of
from eventledger.stages.places.vocab import Vocabulary
from eventledger.stages.places.words import words_after, words_before

FOLD = "fold"  # the table of a name found by its transliteration skeleton
FOLD_MAX_WORDS = 4
FOLD_MIN_CONSONANTS = 4  # shorter skeletons ("kVnVk") fit too many places: only one town of the province named
FOLD_MIN_POPULATION = MIN_POPULATION  # with no province named, smaller places share their names with too many others
FOLD_DOMINANCE = 10  # with no province named, one of several towns of a skeleton is meant if this many times bigger
_PAREN_GAP = re.compile(r"\s*\(\s*")
_COMMA_GAP = re.compile(r"\s*[,\u060c]\s*")
_FOLD_BEFORE_COMMA = frozenset({"in", "at", "from", "near", "outside"})  # "in X, Y province" presents X as a town


@dataclass(frozen=True)
class _Run:
    """Capitalised words `first`..`last` the text presents as a place: `from_end` when a cue
    follows them ("X village", "X (Kerman)"), else one precedes them ("the village of X")."""

    first: int
    last: int
    from_end: bool
    village: bool = False  # the cue says village: with no province named, too many places share its name
    level: str = "city"  # "province" after "province" ("X province") or before it ("the province of X")


def fold_names(doc: Doc, matches: list[Match], gaz: Gazetteer,
                voc: Vocabulary) -> tuple[list[Match], dict[Match, tuple[Candidate, ...]]]:
    """Names the exact look-up missed, found by their transliteration skeleton (`Gazetteer.folded`):
    only where the text presents them as places ("Ghareh Tapeh village", "the village of X",
    "in X (Kerman)", "in X, Kerman province", "Zandjan province"), never under 5 letters, never
    instead of a name the look-up found on the same words (a longer name may take in a shorter one:
    "Qareh [Tappeh]"). A province named right after a town keeps only its towns (most populous
    first); with none named, the skeleton must fit one town. Provinces are folded first, so that
    they can place the towns. Returns the matches with the folded ones in, and their candidates."""
    owner = {i: m for m in matches for i in range(m.first, m.last + 1)}
    runs = _cued_runs(doc, matches, owner, voc)
    folded: dict[Match, tuple[Candidate, ...]] = {}
    for level in ("province", "city"):
        found: dict[Match, tuple[Candidate, ...]] = {}
        taken: set[int] = set()
        for run in runs:
            if run.level == level and (got := _fold_run(run, doc, matches, owner, folded, gaz, voc)) is not None \
                    and taken.isdisjoint(range(got[0].first, got[0].last + 1)):
                found[got[0]] = got[1]
                taken.update(range(got[0].first, got[0].last + 1))
        if found:
            kept = [m for m in matches if taken.isdisjoint(range(m.first, m.last + 1))]
            matches = sorted([*kept, *found], key=lambda m: m.first)
            owner = {i: m for m in matches for i in range(m.first, m.last + 1)}
            folded.update(found)
    return matches, folded


def _cued_runs(doc: Doc, matches: list[Match], owner: dict[int, Match], voc: Vocabulary) -> list[_Run]:
    """Runs of capitalised words (not all of them found already) that a cue presents as a place."""
    tokens = doc.tokens
    keys, capital = tokens.keys, tokens.capital
    runs = []
    after, pairs = voc.fold_after, voc.fold_before_pairs
    for j in compress(range(len(keys)), map(voc.fold_cue_words.__contains__, keys)):  # (one pass over the words)
        key = keys[j]
        if (key in after or key in voc.province_after) and j and capital[j - 1] and j not in owner \
                and tokens.joins(j - 1) and not tokens.arabic(j - 1) \
                and (first := _run_start(tokens, j - 1, voc)) is not None:  # "X village", "X county", "X province"
            runs.append(_Run(first, j - 1, True, key in voc.fold_villages,
                             "province" if key in voc.province_after else "city"))
        first = j + 1
        if first < len(keys) and capital[first] and first not in owner and (
                ("", key) in pairs or (j and (keys[j - 1], key) in pairs)) and not tokens.arabic(first) \
                and (last := _run_end(tokens, first, voc)) is not None:  # "the village of X", "province of X"
            before = words_before(tokens, first, 3)
            if voc.town_before.ending(before):
                runs.append(_Run(first, last, False, j > 0 and keys[j - 1] in voc.fold_villages))
            elif voc.province_before.ending(before):
                runs.append(_Run(first, last, False, level="province"))
    for m in matches:  # "X (Kerman)", "in X, Kerman province"
        last = m.first - 1
        if last < 0 or not capital[last] or last in owner or tokens.arabic(last) or not _names_province(m.key, m.table):
            continue
        first = _run_start(tokens, last, voc)
        if first is None:
            continue
        gap = (doc.text, tokens.end(last), m.start)
        before = words_before(tokens, first, 1)
        if _PAREN_GAP.fullmatch(*gap) or (_COMMA_GAP.fullmatch(*gap) and before and before[0] in _FOLD_BEFORE_COMMA):
            runs.append(_Run(first, last, True))
    return runs


def _edge_word(key: str, voc: Vocabulary, stop: bool = True) -> bool:
    """A word that may begin or end a folded name (`stop`: and is no stop word)."""
    return key not in EZAFE and key != "and" and not (stop and key in voc.stopwords)


def _run_start(tokens: Tokens, last: int, voc: Vocabulary) -> int | None:
    """The first of the capitalised words joined up to word `last`, back to a stop word ("In",
    "Monday"); None if more than FOLD_MAX_WORDS."""
    first = last
    while first > 0 and tokens.joins(first - 1) and (tokens.capital[first - 1] or tokens.keys[first - 1] in EZAFE) \
            and not tokens.arabic(first - 1) and tokens.keys[first - 1] not in voc.stopwords:
        first -= 1
        if last - first + 1 > FOLD_MAX_WORDS:
            return None
    return first


def _run_end(tokens: Tokens, first: int, voc: Vocabulary) -> int | None:
    """The last of the capitalised words joined from word `first`, up to a stop word; None if
    more than FOLD_MAX_WORDS."""
    last = first
    keys = tokens.keys
    while last + 1 < len(keys) and tokens.joins(last) and (tokens.capital[last + 1] or keys[last + 1] in EZAFE) \
            and not tokens.arabic(last + 1) and keys[last + 1] not in voc.stopwords:
        last += 1
        if last - first + 1 > FOLD_MAX_WORDS:
            return None
    return last


@lru_cache(maxsize=4096)
def _names_province(key: str, table: str) -> bool:
    return table == "place" and any(c.place.level == "province" for c in load().candidates(key))


def _fold_run(run: _Run, doc: Doc, matches: list[Match], owner: dict[int, Match],
              folded_before: dict[Match, tuple[Candidate, ...]], gaz: Gazetteer,
              voc: Vocabulary) -> tuple[Match, tuple[Candidate, ...]] | None:
    """The run as one name, if its skeleton names a place that fits (a shorter part of it would be
    the end of a longer name the gazetteer does not know: "Chal Kirmanshah village"); first with the
    capitalised stop word before it, which may begin a name ("North Khurasan province")."""
    tokens = doc.tokens
    keys, first = tokens.keys, run.first
    spans = [(first, False)]
    if run.from_end and first and tokens.capital[first - 1] and keys[first - 1] in voc.stopwords \
            and _edge_word(keys[first - 1], voc, stop=False) and tokens.joins(first - 1):
        spans.insert(0, (first - 1, True))
    for start, extended in spans:
        inside = {owner[i] for i in range(start, run.last + 1) if i in owner}
        if any(m.first < start or m.last > run.last or (m.first, m.last) == (start, run.last) for m in inside):
            return None  # (a name found on these words wins, or one that reaches beyond them)
        found = _fold_span(start, run, extended, doc, matches, folded_before, gaz, voc)
        if found is not None:
            return found
    return None


def _fold_span(first: int, run: _Run, extended: bool, doc: Doc, matches: list[Match],
               folded_before: dict[Match, tuple[Candidate, ...]], gaz: Gazetteer,
               voc: Vocabulary) -> tuple[Match, tuple[Candidate, ...]] | None:
    """Words `first`..`run.last` as a folded name, if it fits (see `fold_names`)."""
    tokens = doc.tokens
    keys, last = tokens.keys, run.last
    words = [keys[first], *(w for w in keys[first + 1:last + 1] if w not in EZAFE)]
    # (a stop word may begin a name after a cue or with the run after it: "province of North Khurasan")
    if not (_edge_word(keys[first], voc, stop=run.from_end and not extended) and _edge_word(keys[last], voc)) \
            or not voc.street_words.isdisjoint(words):
        return None
    folded = skeleton(" ".join(words))
    candidates = gaz.folded(folded, run.level) if folded else ()
    if not candidates or run.level == "province":  # (31 provinces: a skeleton fits one or none)
        return _folded_match(first, last, words, tokens, candidates) if len(candidates) == 1 else None
    province = _province_after(run, doc, matches, folded_before, gaz, voc)
    short = len(folded) - folded.count("V") < FOLD_MIN_CONSONANTS
    if province is not None:  # its towns, most populous first (only one if the skeleton is short)
        candidates = tuple(c for c in candidates if c.place.admin1 == province)
        return _folded_match(first, last, words, tokens, candidates) if len(candidates) == 1 or (
            candidates and not short) else None
    # no province: one sizeable town, or one far bigger than the others
    candidates = _dominant(candidates) if len(candidates) > 1 else candidates
    if short or run.village or not candidates or effective_population(candidates[0].place) < FOLD_MIN_POPULATION:
        return None
    return _folded_match(first, last, words, tokens, candidates)


def _folded_match(first: int, last: int, words: list[str], tokens: Tokens,
                  candidates: tuple[Candidate, ...]) -> tuple[Match, tuple[Candidate, ...]]:
    return Match(first, last, tokens.starts[first], tokens.end(last), " ".join(words), FOLD), candidates


def _dominant(candidates: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """The first (most populous) town alone if it is FOLD_DOMINANCE times the next, else none."""
    first, second = (effective_population(c.place) for c in candidates[:2])
    return candidates[:1] if first >= FOLD_DOMINANCE * second else ()


def _province_after(run: _Run, doc: Doc, matches: list[Match], folded: dict[Match, tuple[Candidate, ...]],
                    gaz: Gazetteer, voc: Vocabulary) -> str | None:
    """The province the text puts the run in right after it: a province ("X (Kerman)", "X village,
    Kerman province") or the province of a town that locates it ("X village near Bam", "X village in
    Bam"; of the biggest town of that name)."""
    end = doc.tokens.end(run.last)
    i = bisect.bisect_left([m.start for m in matches], end)
    if i >= len(matches) or matches[i].table not in ("place", FOLD):
        return None
    nxt = matches[i]
    qualifier = voc.qualifier_gap.fullmatch(doc.text, end, nxt.start) is not None
    if not qualifier and not voc.near_gap.fullmatch(doc.text, end, nxt.start):
        return None
    candidates = folded[nxt] if nxt.table == FOLD else gaz.candidates(nxt.key)
    province = next((c.place.name for c in candidates if c.place.level == "province"), None)
    if province is not None and qualifier:
        return province
    return next((c.place.admin1 for c in candidates if c.exact and c.place.level == "city"), None)  # (the biggest)


def read_folded(match: Match, candidates: tuple[Candidate, ...], tokens: Tokens, voc: Vocabulary) -> Found | None:
    """A Found for a folded name: a town the text presents as one (so `cue`)."""
    before = words_before(tokens, match.first, 3)
    after = words_after(tokens, match.last, 3)
    if (before and before[-1] in voc.foreign_before) or (after and (
            after[0] in voc.street_words or after[0] in voc.site_after.first_words
            or after[0] in voc.organisation_after)):
        return None
    return Found(match, candidates, levels_of(candidates), match.start, match.end, before, after, cue=True)
