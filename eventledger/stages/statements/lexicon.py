"""The statements vocabulary (`data/statements.toml`) compiled once: speech verbs and nouns, outlets,
classes of speakers, and what makes a speech verb no statement. Names use `shared.names()`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from eventledger.data import load_toml
from eventledger.stages.scan_statements import TriggerScan, first_letters, one_scan, trigger_scan
from eventledger.stages.shared import Names, alternation, alternation_not_after, names

_WORDISH = re.compile(r"[\w-]")


@dataclass(frozen=True, eq=False)  # hashed by identity: the key of the per-lexicon caches below
class Lexicon:
    speech: re.Pattern[str]
    participle: re.Pattern[str]
    verb: re.Pattern[str] | None  # `speech` or `participle` in one scan (`scan_statements.one_scan`)
    quoting: re.Pattern[str]
    quoting_tail: re.Pattern[str]
    noun_after: re.Pattern[str]
    noun_before: re.Pattern[str]
    noun_of: re.Pattern[str]
    trigger: TriggerScan  # what a sentence must hold to hold a statement (its `pattern`), and where
    names: Names  # capitalised runs, titles, organisation words (`shared.names()`)
    gap: re.Pattern[str]
    venue: re.Pattern[str]
    venue_of: dict[str, str]
    introducer: re.Pattern[str]
    outlet_prefix: re.Pattern[str]
    outlet_suffix: re.Pattern[str]
    known_outlet: re.Pattern[str]
    media_word: re.Pattern[str]
    outlet_strip: re.Pattern[str]
    state_prefix: re.Pattern[str]
    cues: dict[str, re.Pattern[str]]
    silent_classes: frozenset[str]
    silent_actors: frozenset[str]
    media_actors: frozenset[str]
    passive: re.Pattern[str]  # a passive auxiliary ending the text before a verb
    as_passive: frozenset[str]  # verbs that describe when "as" follows them
    sentencing: re.Pattern[str]  # "condemned X to death", matched from a verb's end
    sentencing_verbs: frozenset[str]
    relay_verbs: frozenset[str]  # what outlets and monitors do with news they pass on
    news_verbs: frozenset[str]  # what outlets (not monitors) also do with it
    ruling_bodies: frozenset[str]
    ruling_verbs: frozenset[str]
    site_words: frozenset[str]
    before_infinitive: frozenset[str]
    occasion: re.Pattern[str]  # "during a sermon by " before a name
    outlet_nouns: str  # an alternation: "newspaper", "news agency", ...


def _words(phrases: list[str]) -> str:
    return alternation(phrases)


def _cue_pattern(cues: list[str]) -> re.Pattern[str]:
    """Short all-letter cues ("US", "UN", "MP") match only in capitals; others in any case."""
    short = [c.upper() for c in cues if len(c) <= 3 and c.isalpha()]
    long = [c for c in cues if not (len(c) <= 3 and c.isalpha())]
    parts = [f"(?i:{alternation(long)})"] + ([alternation(short, lower=False)] if short else [])
    return re.compile(rf"(?<![\w.-])(?:{'|'.join(parts)})(?![\w-])")


def _verb_patterns(verbs: dict) -> dict:
    triggers = [*verbs["speech"], *verbs["participles"], *verbs["quoting"], "according to"]
    trigger_words = rf"{_words(triggers)}|According\s+to"  # (the phrases are lower-cased: this one opens sentences)
    nouns = _words(verbs["speech_nouns"])
    return {
        "speech": re.compile(rf"(?<![\w-])(?:{_words(verbs['speech'])})(?![\w-])"),
        "participle": re.compile(rf"(?<![\w-])(?:{_words(verbs['participles'])})(?![\w-])"),
        "verb": one_scan(verbs["speech"], verbs["participles"], _words),
        "quoting": re.compile(rf"{alternation_not_after(verbs['quoting'], _WORDISH.pattern)}\s+"),
        "quoting_tail": re.compile(rf"\b(?:{_words(verbs['quoting_tail'])})\b"),
        "noun_after": re.compile(rf"['’]s\s+(?:[a-z-]+\s+)?(?:{nouns})\b"),
        "noun_before": re.compile(rf"\b(?:{nouns})\s+(?:of|by|from)\s+$"),
        "noun_of": re.compile(rf"(?:{nouns})\s+(?:of|by|from)\s"),  # where `noun_before` may end
        # a speech word or phrase standing alone, "<noun> of [A-Z]" (both after no word character), "'s <noun>"
        "trigger": trigger_scan(
            [rf"(?<!-)(?:{trigger_words})(?![\w-])", rf"(?:{nouns})\s+(?:of|by|from)\s+[A-Z]"],
            first_letters([*triggers, *verbs["speech_nouns"]]) + "A",
            rf"s\s+(?:[a-z-]+\s+)?(?:{nouns})\b",
        ),
    }


def _outlet_patterns(outlets: dict) -> dict:
    prefixes = alternation(outlets["prefixes"])
    return {
        "venue": re.compile(rf"\b(?:{alternation(outlets['venues'])})\b", re.IGNORECASE),
        "venue_of": {k.lower(): v for k, v in outlets["venues"].items()},
        "introducer": re.compile(rf"\b(?:{alternation(outlets['introducers'])})\s+(?:the\s+)?"),
        "outlet_prefix": re.compile(rf"^(?:(?:{prefixes})\s+)*$", re.IGNORECASE),
        "outlet_suffix": re.compile(rf"\s+(?:{alternation(outlets['suffixes'])})\b", re.IGNORECASE),
        "known_outlet": re.compile(rf"{alternation_not_after(outlets['known'], _WORDISH.pattern, lower=False)}(?![\w-])"
                                   r"(?!\s+[A-Z])"),
        "media_word": re.compile(rf"\b(?:{alternation(outlets['name_words'], lower=False)})\b"),
        "outlet_nouns": alternation(outlets["strip"]),
        "outlet_strip": re.compile(rf"\s+(?:{alternation(outlets['strip'], lower=False)})$"),
        "state_prefix": re.compile(rf"(?i:{alternation(outlets['state_prefixes'])})\s+(?:\w+\s+){{0,2}}$"),
    }


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled statements vocabulary (read once from `data/statements.toml`)."""
    table = load_toml("statements.toml")
    classes = table["classes"]
    gap = re.compile(rf"^(?:['’]s)?\s*(?:\([^)]{{0,60}}\)\s*)?(?:,[^,;“”\"]{{1,150}},\s*|,\s*(?:the\s+)?"
                     rf"(?-i:[A-Z])[^,;“”\"]{{0,80}}?\s+)?(?:(?:{alternation(table['verbs']['subject_gap'])})\s+)*,?\s*$",
                     re.IGNORECASE)
    return Lexicon(
        **_verb_patterns(table["verbs"]), names=names(), **_outlet_patterns(table["outlets"]), gap=gap,
        cues={
            "foreign": _cue_pattern([*classes["foreign"], *classes["countries"]]),
            "opposition": _cue_pattern(classes["opposition"]),
            "state": _cue_pattern(classes["state"]),
        },
        silent_classes=frozenset(table["speakers"]["silent_classes"]),
        silent_actors=frozenset(table["speakers"]["silent_actors"]),
        media_actors=frozenset(table["speakers"]["media_actors"]),
        **_voice_patterns(table["verbs"]),
    )


def _voice_patterns(verbs: dict) -> dict:
    """What makes a speech verb not a speech: passive voice, "described as", a sentence passed; and the
    verbs with which outlets and monitors relay news."""
    fillers = alternation(verbs["passive_fillers"])
    return {
        "passive": re.compile(rf"(?<![\w-])(?:{alternation(verbs['passive_auxiliaries'])})\s+(?:(?:{fillers})\s+)*$",
                              re.IGNORECASE),
        "as_passive": frozenset(verbs["as_passive"]),
        "sentencing": re.compile(rf"[^,;:“”\"]{{0,80}}?\bto\s+(?:[\w-]+\s+){{0,2}}?"
                                 rf"(?:{alternation(verbs['sentencing_objects'])})(?![\w-])"),
        "sentencing_verbs": frozenset(verbs["sentencing_verbs"]),
        "relay_verbs": frozenset(verbs["relay_verbs"]),
        "news_verbs": frozenset(verbs["news_verbs"]),
        "ruling_bodies": frozenset(verbs["ruling_bodies"]),
        "ruling_verbs": frozenset(verbs["ruling_verbs"]),
        "site_words": frozenset(verbs["site_words"]),
        "before_infinitive": frozenset(verbs["before_infinitive"]),
        "occasion": re.compile(rf"\b(?:{alternation(verbs['occasion_words'])})\s+(?:a|an|the|his|her|their|its)\s+"
                               rf"(?:[\w-]+\s+)?(?:{_words(verbs['speech_nouns'])})\s+(?:of|by|from)\s+(?:the\s+)?$",
                               re.IGNORECASE),
    }
