"""The places stage's vocabulary: `places.toml` as normalised keys (`Vocabulary`), its cue phrases
(`Phrases`), the patterns of the gaps between places, and the matcher's merged tables (`lookup`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from eventledger.data import load_toml
from eventledger.gazetteer import Gazetteer, load
from eventledger.gazetteer.matcher import Lookup
from eventledger.gazetteer.names import name_key
from eventledger.models import Place
from eventledger.stages.scan import longest_first


@dataclass(frozen=True)
class Vocabulary:
    """The run-time part of places.toml, as normalised keys."""

    sites: dict[str, Place]
    blocked: dict[str, bool]
    stopwords: frozenset[str]
    street_words: frozenset[str]
    site_after: Phrases
    site_before: Phrases
    province_after: frozenset[str]
    province_before: Phrases
    town_before: Phrases
    town_after: frozenset[str]
    foreign_before: frozenset[str]
    directions: dict[str, str]
    qualifier_gap: re.Pattern[str]
    vicinity_before: re.Pattern[str]
    vicinity_words: frozenset[str]  # the words of `vicinity_before`'s phrases (but "of", "in", "to"...)
    organisation_after: frozenset[str]
    town_word_paren: re.Pattern[str]
    caseless_glue: frozenset[str]
    near_gap: re.Pattern[str]
    name_prefixes: frozenset[str]
    fold_before_pairs: frozenset[tuple[str, str]]  # their last two words (("village", "of")), or ("", "near")
    fold_after: frozenset[str]  # after a folded name: a settlement ("village", "county")
    fold_villages: frozenset[str]  # cue words of a village: a folded name needs its province named
    fold_cue_words: frozenset[str]  # `fold_after` and the last words of `town_before`: may cue a folded name


class Phrases:
    """Cue phrases as word-key tuples ("central", "prison", "of"), matched at the start or the end
    of a window of words, longest first: one set look-up per phrase length, not a comparison per
    phrase (every name's context is tested against several of these)."""

    def __init__(self, phrases: tuple[tuple[str, ...], ...]) -> None:
        self.phrases = phrases
        lengths = sorted({len(p) for p in phrases}, reverse=True)
        self._by_length = tuple((n, frozenset(p for p in phrases if len(p) == n)) for n in lengths)
        self.first_words = frozenset(p[0] for p in phrases if p)
        self._last_words = frozenset(p[-1] for p in phrases if p)
        self._empty = () in phrases

    def ending(self, words: tuple[str, ...]) -> tuple[str, ...] | None:
        """The longest phrase `words` ends with, or None."""
        if not self._empty and (not words or words[-1] not in self._last_words):
            return None  # the usual case, in one set test
        for n, group in self._by_length:
            if n <= len(words) and (tail := words[len(words) - n:]) in group:
                return tail
        return None

    def starting(self, words: tuple[str, ...]) -> tuple[str, ...] | None:
        """The longest phrase `words` starts with, or None."""
        if not self._empty and (not words or words[0] not in self.first_words):
            return None  # the usual case, in one set test
        for n, group in self._by_length:
            if (head := words[:n]) in group:
                return head
        return None


def _phrases(items: list[str]) -> Phrases:
    """Word-key tuples, longest first."""
    return Phrases(tuple(sorted({tuple(name_key(p).split()) for p in items}, key=len, reverse=True)))


def _last_two(phrase: str) -> tuple[str, str]:
    """A phrase's last two word keys; ("", word) for a single word."""
    words = ["", *name_key(phrase).split()]
    return words[-2], words[-1]


def _site_table(gaz: Gazetteer, sites: list[dict]) -> dict[str, Place]:
    table = {}
    for site in sites:
        city = next(p for p in gaz.lookup(site["city"]) if p.level == "city" and p.admin1 == site["province"])
        table.update({name_key(n): city for n in site["names"]})
    return table


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data, gaz = load_toml("places.toml"), load()
    cues = data["cues"]
    return Vocabulary(
        sites=_site_table(gaz, data["site"]),
        blocked={name_key(p): True for p in data["blocked"]["phrases"] if " " in name_key(p)},
        stopwords=frozenset(name_key(w) for w in data["stopwords"]["words"]),
        street_words=frozenset(name_key(w) for w in data["streets"]["words"]),
        site_after=_phrases(data["site_words"]["after"]),
        site_before=_phrases(data["site_words"]["before"]),
        province_after=frozenset(name_key(w) for w in cues["province_after"]),
        province_before=_phrases(cues["province_before"]),
        town_before=_phrases(cues["town_before"]),
        town_after=frozenset(name_key(w) for w in cues["town_after"]),
        foreign_before=frozenset(name_key(w) for w in cues["foreign_before"]),
        directions={name_key(k).replace(" ", ""): v for k, v in cues["directions"].items()},
        qualifier_gap=_qualifier_gap(cues["town_after"]),
        vicinity_before=_vicinity_before(cues["vicinity_words"], cues["near"]),
        vicinity_words=frozenset(w for p in [*cues["near"], *cues["vicinity_words"]] for w in name_key(p).split()
                                 if w not in ("of", "in", "to", "the", "on", "from", "not")),
        caseless_glue=frozenset(name_key(w) for w in cues["caseless_glue"]) | frozenset(
            name_key(w) for w in cues["organisation_after"]),
        town_word_paren=re.compile(rf"\b(?:{longest_first(cues['town_after'])})\s*\($", re.IGNORECASE),
        organisation_after=frozenset(name_key(w) for w in cues["organisation_after"]),
        near_gap=_near_gap(cues["town_after"], cues["near"]),
        name_prefixes=frozenset(name_key(w) for w in cues["name_prefixes"]),
        fold_before_pairs=frozenset(_last_two(p) for p in [*cues["town_before"], *cues["province_before"]]),
        fold_after=frozenset(name_key(w) for w in cues["fold_after"]),
        fold_villages=frozenset(name_key(w) for w in cues["fold_villages"]),
        fold_cue_words=frozenset(name_key(w) for w in [*cues["fold_after"], *cues["province_after"]])
        | frozenset(name_key(p).split()[-1] for p in [*cues["town_before"], *cues["province_before"]]),
    )


def _qualifier_gap(town_words: list[str]) -> re.Pattern[str]:
    """The text between a town and the province or country that locates it: "Rudbar (Gilan)",
    "Behbahan city (Khuzestan)", "Saravan County, Sistan", "a district of Kerman in the province of"."""
    return re.compile(rf"\s*(?:(?:{longest_first(town_words)})\b\s*)?(?:\(|,|،|-|–|in|of)\s*(?:the\s+)?"
                      r"(?:province\s+of\s+)?", re.IGNORECASE)


def _vicinity_before(words: list[str], near: list[str]) -> re.Pattern[str]:
    """What stands before a town that only locates an unnamed or unknown place: "a village near",
    "in a district of", "outside"."""
    return re.compile(rf"(?:\b(?:{longest_first(words)})\s+(?:of|in)|\b(?:{longest_first(near)}))\s+(?:the\s+)?"
                      r"(?:(?:city|town|county)\s+of\s+)?$", re.IGNORECASE)


def _near_gap(town_words: list[str], near: list[str]) -> re.Pattern[str]:
    """The text between a place and a town that only locates it: "Sardasht village near Mahabad",
    "a district of Kerman", "a village in Khaf county" (a town word, then "of" or "in";
    or "near", "outside")."""
    town = longest_first(town_words)
    return re.compile(rf"\s*(?:(?:{town})\b\s*)?,?\s*(?:{longest_first(near)})\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?"
                      rf"|\s*(?:{town})\s+(?:of|in)\s+(?:the\s+)?(?:(?:city|town|county)\s+of\s+)?",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def lookup() -> Lookup:
    """The matcher's tables, merged once: blocked phrases, then sites, then the gazetteer."""
    gaz, voc = load(), vocabulary()
    return Lookup({"blocked": voc.blocked, "site": voc.sites, "place": gaz.index})
