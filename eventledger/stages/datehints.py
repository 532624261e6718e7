"""Where the date rules can match: the speed hints of the date grammar, apart from the rules.

None of this changes what is found, only where the rules are tried. Each rule (calendars.toml's
`[[date_rules]]`) names a trigger family, whose cheap hits (a digit, a month name,
"anniversary" ...) mark the stretches of text it needs to run on at all (`triggers`), and a
`Hint`: the positions (word starts of its keywords, digit runs, years) where a match may begin
or that it must hold. `datetext.Hints` finds those positions once per text; the gates
(`gates`) are the literal words an event named alone holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventledger.stages.datevocab import CalendarEvent, Vocab, vocab, year_before
from eventledger.stages.scan import trie_nodes, trie_pattern

DIGIT_RUNS = "digits"  # hint: where a run of digits begins
YEARS = "years"  # hint: a run of digits that begins with a year (1600-2099)


@dataclass(frozen=True)
class Hint:
    r"""Where a rule can match, as names of position lists (`datetext.Hints` finds them).

    `starts`: every match of the rule begins at one of these: `DIGIT_RUNS`, `YEARS` (for a match
    that opens with the {YEAR} fragment: its look-behind rules out a digit before it), or the name
    of a keyword list (`hint_words`) whose words the rule anchors at a word start (`\b` or
    `(?<!\w)` before them), so only word starts where such a word begins are tried.
    `anywhere`: literal words a match may begin with even inside a word ("bathe 4 June" has
    the match "the 4 June"). The rule is tried (`regex.match`, which finds what `finditer`
    finds: no rule matches the empty string) only at those positions. `needs`: every match
    contains a position of this list (`DIGIT_RUNS`, `YEARS` or a keyword list), so a window
    without one is skipped, and a start with none after it in its window is not tried.
    """

    starts: tuple[str, ...] = ()
    anywhere: tuple[str, ...] = ()
    needs: str | None = None


Openers = dict[str, tuple[tuple[tuple[re.Pattern[str], int], ...], tuple[str, ...]]]  # see `Patterns.openers`


@dataclass(frozen=True)
class PhraseOpeners:
    """Where a case-insensitive `\\b(?:phrase|...)` pattern may begin a match, in the lowercased text:
    `at` matches where a phrase begins, `word_starts` the non-word character before a word that
    begins with one (over " " + the text, so at the word's own offset in the text)."""

    at: re.Pattern[str]
    word_starts: re.Pattern[str]


def phrase_openers(phrases: list[str]) -> PhraseOpeners:
    body = trie_pattern(trie_nodes(p.lower() for p in phrases), space=r"\s+")
    return PhraseOpeners(re.compile(body), re.compile(rf"\W(?={body})"))



def hint_words() -> dict[str, tuple[str, ...]]:
    """Name -> the lowercase words (the rules' own) that a rule's match may begin with, or (a list
    a rule `needs`) that every match holds one of at a word start."""
    v = vocab()
    datewords = [*v.months, *v.weekdays]
    parts = ["early", "mid", "late", "the"]
    lists: dict[str, list[str]] = {
        "dateword": datewords,
        "month": list(v.months),
        "part_or_dateword": [*parts, *datewords],
        "month_cue": ["in", "since", "during", "until", "till", "by", "of", "from", "to", "through",
                      "throughout", "last", "this", "next", *parts],
        "season": [*parts, *v.seasons],
        "decade": parts,
        "year_before": [*(p.split()[0] for p in year_before(v)), *parts],
        "weekday": ["last", "this", "next", "past", "on", "every", "each", *(k for k in v.weekdays if k.islower())],
        "day_offset": ["earlier", "later", "the", "yesterday", "today", "tonight", "this", "last"],
        "day_offset_word": ["yesterday", "today", "tonight", "morning", "afternoon", "evening", "night"],
        "window": ["in", "over", "during", "within", "for", "throughout", "the", "recent"],
        "window_word": ["past", "last", "previous", "recent"],  # one is in every match (needs)
        "ago": ["ago"],
        "calendar_unit": ["earlier", "later", "last", "this", "next", "previous"],
        "recently": ["recently"],
        "jalali": list(v.jalali),
        "iranian_year": ["iranian", "persian", "solar", "shamsi"],
        "period_day": ["day", *v.ordinals],
    }
    return {name: tuple(sorted({w.lower() for w in words})) for name, words in lists.items()}


def key_hints(lists: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Keyword -> every list naming a word it begins with (the `keys` scan finds the longest).

    Keywords are cut at their first non-letter, so no keyword found can cover a word start."""
    cut = {name: {re.split(r"[\W\d_]", w, maxsplit=1)[0] for w in words} - {""}  # (the letters before any other)
           for name, words in lists.items()}
    keys = set().union(*cut.values())
    return {key: tuple(sorted(name for name, words in cut.items() if any(key.startswith(w) for w in words)))
            for key in keys}



def gate_phrase(name: str) -> str:
    """Lowercase words that every match of the name regex contains (its longest literal run)."""
    core = re.sub(r"\\s[?*]", "|", name)
    core = re.sub(r"\\s\+?", " ", core)
    core = re.sub(r"\\x[0-9a-fA-F]{2}|\\.", "|", core)
    core = re.sub(r"\[[^\]]*\]", "|", core)
    while (shorter := re.sub(r"\([^()]*\)", "|", core)) != core:
        core = shorter
    core = re.sub(r".[?*]|.\{0,\d*\}", "|", core)  # optional characters and groups
    phrases = [" ".join(p.split()) for p in re.split(r"[^a-z0-9 ]", core.lower())]
    return max(phrases, key=lambda p: (max(map(len, p.split()), default=0), len(p)), default="")


def gates(events: tuple[CalendarEvent, ...]) -> dict[str, tuple[int, ...]]:
    """Trigger phrase (lowercase, single spaces) -> indices of the events it may name."""
    gates: dict[str, set[int]] = {}
    for k, event in enumerate(events):
        for name in event.names if event.alone else ():
            gates.setdefault(gate_phrase(name), set()).add(k)
    return {phrase: tuple(sorted(ks)) for phrase, ks in gates.items()}


def trigger_openers(v: Vocab) -> dict[str, tuple[str, ...]]:
    """family -> the words every hit of its trigger (`triggers`; all but "digit") begins with."""
    return {
        "month": tuple({k.lower()[:3] for k in v.months}),
        "weekday": tuple({k.lower() for k in v.weekdays if k.islower()}),
        "relative": tuple(_RELATIVE.split("|")),
        "anniv_of": ("nniversar",),
        "anniv_poss": ("nniversar",),
        "start": ("start", "onset", "beginning", "outbreak", "launch"),
        "day": ("day",),
        "same": ("same", "following", "next", "previous", "day"),
    }


def openers(starts: list[tuple[str, re.Pattern[str] | None]]) -> Openers:
    """`finder`'s match (the longest opening word at a stop) -> (the triggers that may begin there,
    the gate words that do). `starts` pairs each opening word with its trigger's regex, or None for
    a gate word; every opening word found at a stop is a prefix of the longest one."""
    out: Openers = {}
    for longest in {word for word, _ in starts}:
        regexes: dict[re.Pattern[str], None] = {}
        words: dict[str, None] = {}
        for word, regex in starts:
            if longest.startswith(word):
                if regex is None:
                    words[word] = None
                else:
                    regexes[regex] = None
        out[longest] = (tuple((regex, literal_hit(regex, starts, longest)) for regex in regexes), tuple(words))
    return out


def literal_hit(regex: re.Pattern[str], starts: list[tuple[str, re.Pattern[str] | None]], longest: str) -> int:
    """The length of `regex`'s match where `longest` is the longest opening word, when the regex is
    a plain list of opening words ("jan|feb|..."): the first of them that `longest` begins with (no
    other can match there; speed: no `match` call). 0 when the regex has to be tried."""
    if not re.fullmatch(r"[a-z]+(?:\|[a-z]+)*", regex.pattern):
        return 0
    alternatives = regex.pattern.split("|")
    if not set(alternatives) <= {word for word, r in starts if r is regex}:
        return 0
    return next((len(a) for a in alternatives if longest.startswith(a)), 0)


_RELATIVE = "day|week|month|year|decade|night|morning|afternoon|evening|hour|recent"


def triggers(v: Vocab) -> dict[str, tuple[re.Pattern[str], int, int]]:
    """family -> (regex over the lowercased text, chars before, chars after) to look around."""
    months = sorted({k.lower()[:3] for k in v.months}, key=len, reverse=True)
    weekdays = sorted({k.lower() for k in v.weekdays if k.islower()}, key=len, reverse=True)
    relative = _RELATIVE
    return {
        "digit": (re.compile(r"\d\d*"), 32, 22),  # as \d+; a pattern opening with a set scans faster
        "month": (re.compile("|".join(months)), 30, 18),
        "weekday": (re.compile("|".join(weekdays)), 20, 30),
        "relative": (re.compile(relative), 40, 12),
        "anniv_of": (re.compile("nniversar"), 40, 200),
        "anniv_poss": (re.compile("nniversar"), 90, 15),
        # alternatives that open with a letter each, not a group: the regex engine skips ahead faster
        "start": (re.compile(r"start\s+of\b|onset\s+of\b|beginning\s+of\b|outbreak\s+of\b|launch\s+of\b"), 20, 170),
        "day": (re.compile("day"), 30, 40),
        "same": (re.compile(r"same\s+day|following\s+day|next\s+day|previous\s+day|day\s+before|day\s+after"), 20, 10),
    }

