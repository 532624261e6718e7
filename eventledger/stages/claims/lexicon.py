"""The claims vocabulary (`data/claims.toml`) compiled once: category cues, attribution, period and
assertion words, what makes a figure a part or no count."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from eventledger.data import load_toml
from eventledger.stages.scan_claims import needed_words
from eventledger.stages.shared import alternation


@dataclass(frozen=True)
class Lexicon:
    cue_category: dict[str, str]
    tight: re.Pattern[str]
    noun_after: re.Pattern[str]
    person_after: re.Pattern[str]
    any_cue: re.Pattern[str]
    count_after: re.Pattern[str]
    tally: re.Pattern[str]
    hedge: re.Pattern[str]
    chant: re.Pattern[str]
    report_verb: re.Pattern[str]
    according: re.Pattern[str]
    report_by: re.Pattern[str]
    source_gap: re.Pattern[str]
    as_of: re.Pattern[str]
    since: re.Pattern[str]
    since_began: re.Pattern[str]
    comparison: re.Pattern[str]
    speech_date: re.Pattern[str]
    capital: re.Pattern[str]
    capitals: dict[str, str]
    country_words: dict[str, re.Pattern[str]]
    minister: re.Pattern[str]
    negation: re.Pattern[str]
    subset: re.Pattern[str]
    part_before: re.Pattern[str]  # "including (at least) " before a figure
    part_after: re.Pattern[str]  # " of them", " of those" after a figure
    of_figure: re.Pattern[str]  # " of the " before another figure, after a figure ("25 of the 40")
    total_opener: re.Pattern[str]  # "Of the " before the total, opening its clause
    not_count: re.Pattern[str]  # what before a figure makes it no count ("at the age of")
    thing_after: re.Pattern[str]  # what after a figure makes it counts of things ("kg", "pellets")
    date_part: re.Pattern[str]  # a figure that is part of a date the dates stage did not read
    age_after: re.Pattern[str]  # what after a figure makes it an age ("15 when police detained her")
    small: int
    chanters_default: str
    not_sources: frozenset[str]  # sentence-opening words that name no source ("The", "It")
    vague_dates: frozenset[str]
    # a word of each phrase of `tally`, `report_by` and `capital` (see `needed_words`)
    tally_words: tuple[str, ...] | None
    report_words: tuple[str, ...] | None
    capital_words: tuple[str, ...] | None


def _alt(phrases: Iterable[str]) -> str:
    return alternation(phrases)


def _cue_table(categories: dict[str, dict[str, list[str]]], kinds: tuple[str, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, entry in categories.items():
        for kind in kinds:
            for phrase in entry.get(kind, []):
                table.setdefault(phrase, name)
    return table


def _cue_patterns(cats: dict, gap: list[str], counts: list[str]) -> dict[str, re.Pattern[str]]:
    cues = _alt(_cue_table(cats, ("verbs", "nouns")))
    nouns, persons = _alt(_cue_table(cats, ("nouns",))), _alt(_cue_table(cats, ("persons",)))
    after = r"^\s+(?:[\w'’-]+\s+){0,2}?"
    return {
        "tight": re.compile(rf"(?<![\w-])(?P<cue>{cues})(?:\s+(?:{_alt(gap)}))*\s+$", re.IGNORECASE),
        "noun_after": re.compile(rf"{after}(?P<cue>{nouns})(?![\w-])", re.IGNORECASE),
        "person_after": re.compile(rf"{after}(?P<cue>{persons})(?![\w-])", re.IGNORECASE),
        "any_cue": re.compile(rf"(?<![\w-])(?P<cue>{cues})(?![\w-])", re.IGNORECASE),
        "count_after": re.compile(rf"^(?:[^\w\s]|\s*$|\s+(?:{_alt(counts)})(?![\w-]))", re.IGNORECASE),
    }


def _attribution_patterns(table: dict) -> dict[str, re.Pattern[str]]:
    verbs = _alt(table["report_verbs"])
    return {
        "report_verb": re.compile(rf"(?<![\w-])(?:{verbs})(?![\w-])"),
        "according": re.compile(r"\baccording\s+to\s+(?:the\s+)?", re.IGNORECASE),
        "report_by": re.compile(rf"\b(?:{_alt(table['report_nouns'])})\s+(?:by|from|of|compiled by|published by)"
                                r"\s+(?:the\s+)?", re.IGNORECASE),
        "source_gap": re.compile(rf"^(?:['’]s)?(?:\s*\([^)]{{0,40}}\))?(?:\s*,[^,]{{1,90}},)?,?\s*"
                                 rf"(?:(?:{_alt(table['source_gap'])})\s+)*$", re.IGNORECASE),
        "chant": re.compile(rf"\b(?:{_alt(table['chant_verbs'])})\b", re.IGNORECASE),
    }


def _part_patterns(table: dict, qualifiers: list[str], months: list[str]) -> dict[str, re.Pattern[str]]:
    """What makes a figure a part of a total, or no count at all."""
    quals = rf"(?:(?:{_alt(qualifiers)})\s+)?"
    month = alternation(months, lower=False)
    return {
        "part_before": re.compile(rf"(?<![\w-])(?:{_alt(table['subset_words'])})\s+{quals}$", re.IGNORECASE),
        "part_after": re.compile(rf"^\s+(?:{_alt(table['part_of_words'])})(?![\w-])", re.IGNORECASE),
        "of_figure": re.compile(r"^\s+(?:out\s+)?of\s+(?:the\s+|these\s+|those\s+)?$", re.IGNORECASE),
        "total_opener": re.compile(rf"(?:^|[,;:(])\s*(?:{_alt(table['total_openers'])})\s+{quals}$",
                                   re.IGNORECASE),
        "not_count": re.compile(rf"(?<![\w-])(?:{_alt(table['not_count_before'])})\s+$", re.IGNORECASE),
        "thing_after": re.compile(rf"^\s*(?:{_alt(table['not_count_after'])})(?![\w-])", re.IGNORECASE),
        "age_after": re.compile(rf"^\s+(?:{_alt(table['age_after'])})(?![\w-])", re.IGNORECASE),
        "date_part": re.compile(rf"^\s*[-–]\s*\d{{1,2}}\s+(?:of\s+)?(?:{month})(?![\w-])|"
                                rf"(?<![\w-])(?:{month})\s+(?:month\s+)?(?:of\s+)?$"),
    }


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled claims vocabulary (read once from `data/claims.toml`)."""
    table = load_toml("claims.toml")["claims"]
    cats, place = table["category"], table["place"]
    qualifiers = [q for qs in load_toml("claims.toml")["quantities"]["qualifiers"].values() for q in qs]
    cues = _cue_patterns(cats, [*table["tight_gap"], *qualifiers], table["count_nouns"])
    return Lexicon(
        cue_category=_cue_table(cats, ("verbs", "nouns", "persons")), **cues, **_attribution_patterns(table),
        tally=re.compile(rf"\b(?:{_alt(table['tally'])})\b", re.IGNORECASE),
        hedge=re.compile(rf"(?<![\w-])(?:{_alt(table['hedges'])})(?![\w-])"),
        as_of=re.compile(rf"\b(?:{_alt(table['until_words'])})\s+(?:the\s+)?$", re.IGNORECASE),
        since=re.compile(rf"\b(?:{_alt(table['since_words'])})\s+(?:the\s+)?$", re.IGNORECASE),
        since_began=re.compile(rf"\bsince\s[^,.;:]{{1,60}}?\b(?:{_alt(table['period_start_verbs'])})"
                               r"\s+(?:in|on|at)?\s*(?:the\s+)?$", re.IGNORECASE),
        comparison=re.compile(rf"\b(?:{_alt(table['comparison_words'])})\b[^,.;:]{{0,40}}\bsince\s*(?:the\s+)?$",
                              re.IGNORECASE),
        negation=re.compile(rf"(?<![\w-])(?:{_alt(table['negations'])})(?![\w-])"),
        subset=re.compile(rf"\b(?:{_alt(table['subset_words'])})\s+$", re.IGNORECASE),
        **_part_patterns(table, qualifiers, load_toml("claims.toml")["quantities"]["context"]["months"]),
        speech_date=re.compile(rf"(?:{_alt(table['report_verbs'])})\s+(?:on\s+)?$"),
        capital=re.compile(rf"\b(?:{_alt(place['capital_words'])})\b", re.IGNORECASE),
        capitals=dict(place["capitals"]),
        country_words={c: re.compile(rf"\b(?:{alternation(ws, lower=False)})\b")
                       for c, ws in place["country_words"].items()},
        minister=re.compile(rf"^(?:{_alt(table['minister_prefixes'])})\s+(.+)$", re.IGNORECASE),
        small=int(table["small"]), chanters_default=table["chanters_default"],
        not_sources=frozenset(table["not_sources"]),
        vague_dates=frozenset(table["vague_dates"]),
        tally_words=needed_words(table["tally"]), report_words=needed_words(table["report_nouns"]),
        capital_words=needed_words(place["capital_words"]),
    )
