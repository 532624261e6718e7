"""Date patterns: the regular expressions that find date expressions, compiled once.

Each `Rule` pairs a regular expression with a builder that turns a match into an `Atom`, and
names the trigger family whose cheap hits (a digit, a month name, "anniversary" ...) mark the
stretches of text it needs to run on at all. Vocabulary comes from calendars.toml
(`datevocab.vocab()`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from eventledger.stages.datevocab import (
    Atom,
    CalendarEvent,
    Vocab,
    alternation,
    month_number,
    number_value,
    ordinal_value,
    vocab,
    weekday_number,
)
from eventledger.stages.scan import Scanner, trie, trie_nodes, trie_pattern

# --------------------------------------------------------------------------- patterns


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern and its builder; `starts`, `anywhere` and `needs` are speed hints (see `Hint`)."""

    regex: re.Pattern[str]
    build: Callable[[re.Match[str]], Atom | None]
    prio: int
    family: str
    starts: tuple[str, ...] = ()
    anywhere: tuple[str, ...] = ()
    needs: str | None = None

    @property
    def hinted(self) -> bool:
        """Is the rule tried only at its hints' positions (rather than all over its windows)?"""
        return bool(self.starts or self.anywhere)


DIGIT_RUNS = "digits"  # hint: where a run of digits begins
YEARS = "years"  # hint: a run of digits that begins with a year (1600-2099)


@dataclass(frozen=True)
class Hint:
    r"""Where a rule can match, as names of position lists (`datetext.Hints` finds them).

    `starts`: every match of the rule begins at one of these: `DIGIT_RUNS`, `YEARS` (for a match
    that opens with the {YEAR} fragment: its look-behind rules out a digit before it), or the name
    of a keyword list (`_hint_words`) whose words the rule anchors at a word start (`\b` or
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


def _phrase_openers(phrases: list[str]) -> PhraseOpeners:
    body = trie_pattern(trie_nodes(p.lower() for p in phrases), space=r"\s+")
    return PhraseOpeners(re.compile(body), re.compile(rf"\W(?={body})"))


@dataclass(frozen=True)
class Patterns:
    rules: tuple[Rule, ...]
    families: dict[str, tuple[tuple[int, Rule], ...]]  # trigger family -> (number, rule) in rule order
    triggers: dict[str, tuple[re.Pattern[str], int, int]]
    digit_runs: re.Pattern[str]  # the "digit" trigger: its hits are the key scan's digit runs
    keys: re.Pattern[str]  # the character before a hint keyword's word start (group 1: the keyword), see `Hints`
    key_hints: dict[str, tuple[str, ...]]  # keyword (as `keys` finds it) -> hint lists it is in
    hint_lists: tuple[str, ...]  # the names of the keyword lists (`_hint_words`)
    key_families: frozenset[str]  # the families with rules that use `keys`
    year: re.Pattern[str]  # a digit run that is a year (hint `YEARS`)
    gates: tuple[tuple[str, re.Pattern[str], tuple[int, ...]], ...]
    # one scan for the triggers (but "digit") and the gates' words: `finder` stops wherever one may
    # begin, `openers` says which (trigger regexes, gate words) by the word it found there
    finder: re.Pattern[str]
    openers: Openers
    events_any: re.Pattern[str]
    event_scanner: Scanner  # `events_any` tried only at word starts where an event's name may begin
    generic: re.Pattern[str]
    cue: re.Pattern[str]
    future_before: re.Pattern[str]
    cue_openers: PhraseOpeners  # where `cue` may begin its match (a speed prefilter, `datetext._may_begin`)
    future_openers: PhraseOpeners  # where `future_before` may begin its match
    future_after: re.Pattern[str]
    connector: re.Pattern[str]
    boundary: re.Pattern[str]


def _fragments() -> dict[str, str]:
    v = vocab()
    full = [k for k in v.months if k.islower()]
    abbr = [k for k in v.months if not k.islower()]
    wfull = [k for k in v.weekdays if k.islower()]
    wabbr = [k for k in v.weekdays if not k.islower()]
    jlatin = [k for k in v.jalali if k.isascii()]
    jfa = [k for k in v.jalali if not k.isascii()]
    nums = [k for k in v.numbers if k not in ("a", "an")]
    ctx = v.context
    return {
        "MON": rf"(?:\b(?i:{alternation(full)})\b|\b(?:{alternation(abbr)})\b\.?)",
        "WD": rf"\b(?i:{alternation(wfull)})\b",
        "WDX": rf"(?:\b(?i:{alternation(wfull)})\b|\b(?:{alternation(wabbr)})\b\.?)",
        "JMON": rf"(?:\b(?:{alternation(jlatin)})\b|(?<!\w)(?:{alternation(jfa)})(?!\w))",
        "JMONL": rf"\b(?:{alternation(jlatin)})\b",
        "DAY": r"(?<![\d,.])[0-3]?\d(?:st|nd|rd|th)?(?!\d|:\d|[.,]\d)",
        "YEAR": r"(?<![\d,.$£€])(?:1[6-9]\d\d|20\d\d)(?!\d|[.,]\d)",
        "JYEAR": r"(?<![\d,.])1[2-4]\d\d(?!\d|[.,]\d)",
        "NUM": rf"(?:\d{{1,3}}|{alternation(nums)})",
        "ORD": rf"(?:\d{{1,4}}(?:st|nd|rd|th)|{alternation(v.ordinals)})",
        "UNIT": r"(?:hours?|days?|weeks?|months?|years?|decades?)",
        "PART": r"\b(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)",
        "YEAR_BEFORE": alternation(ctx["year_before"]),
        "YEAR_NOUNS": alternation(ctx["year_nouns"], escape=False),
        "NOT_YEAR": alternation(ctx["not_year_nouns"]),
        "GENERIC": v.generic,
    }


def _hint_words() -> dict[str, tuple[str, ...]]:
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
        "season": [*parts, "spring", "summer", "autumn", "fall", "winter"],
        "decade": parts,
        "year_before": [*(p.split()[0] for p in v.context["year_before"]), *parts],
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


def _key_hints(lists: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Keyword -> every list naming a word it begins with (the `keys` scan finds the longest).

    Keywords are cut at their first non-letter, so no keyword found can cover a word start."""
    cut = {name: {re.match(r"[^\W\d_]*", w).group() for w in words} - {""}  # type: ignore[union-attr]
           for name, words in lists.items()}
    keys = set().union(*cut.values())
    return {key: tuple(sorted(name for name, words in cut.items() if any(key.startswith(w) for w in words)))
            for key in keys}


def _g(pattern: str, names: str = "") -> str:
    """Fill {NAME} fragments ({NAME:group} wraps one in a named group) and {names}."""
    frag = _fragments()

    def sub(m: re.Match[str]) -> str:
        name, _, group = m.group(1).partition(":")
        body = frag[name]
        return f"(?P<{group}>{body})" if group else f"(?:{body})"

    return re.sub(r"\{([A-Z_]+(?::\w+)?)\}", sub, pattern).replace("{names}", names)


def _names(events: tuple[CalendarEvent, ...]) -> str:
    """All event names as one alternation; group e<k> says which event matched."""
    return "|".join(f"(?P<e{k}>{'|'.join(e.names)})" for k, e in enumerate(events) if e.names)


# --------------------------------------------------------------------------- atom builders


def _year_of(m: re.Match[str], group: str = "y") -> int | None:
    value = m.groupdict().get(group)
    return int(value) if value else None


def _lower_ambiguous(word: str, has_year: bool) -> bool:
    """'may' and 'march' in lower case are verbs unless a year follows."""
    return word.islower() and word.rstrip(".") in ("may", "march") and not has_year


def _valid_day(y: int | None, m: int, d: int) -> bool:
    try:
        dt.date(y or 2000, m, d)
    except ValueError:
        return False
    return True


def _weekday_of(m: re.Match[str]) -> int | None:
    word = m.groupdict().get("wd")
    return weekday_number(word) if word else None


def _date(m: re.Match[str]) -> Atom | None:
    y = _year_of(m)
    month_word = m.group("mon")
    d = int(re.sub(r"\D", "", m.group("d")))
    month = month_number(month_word)
    if month is None or _lower_ambiguous(month_word, y is not None) or not _valid_day(y, month, d):
        return None
    return Atom(m.start(), m.end(), "date", y=y, m=month, d=d, wd=_weekday_of(m))


def _iso(m: re.Match[str]) -> Atom | None:
    y, month, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    jalali = 1200 <= y < 1500
    if not 1 <= month <= 12 or not 1 <= d <= 31 or (not jalali and not _valid_day(y, month, d)):
        return None
    return Atom(m.start(), m.end(), "date", y=y, m=month, d=d, jalali=jalali)


def _day_range(m: re.Match[str]) -> Atom | None:
    y = _year_of(m)
    month_word = m.group("mon")
    month = month_number(month_word)
    d1, d2 = (int(re.sub(r"\D", "", m.group(g))) for g in ("d", "d2"))
    if month is None or _lower_ambiguous(month_word, y is not None) or not d1 < d2 <= 31:
        return None
    if not (_valid_day(y, month, d1) and _valid_day(y, month, d2)):
        return None
    a = Atom(m.start(), m.end(), "date", y=y, m=month, d=d1)
    b = Atom(m.start(), m.end(), "date", y=y, m=month, d=d2)
    return Atom(m.start(), m.end(), "range", sub=(a, b))


def _month_year(m: re.Match[str]) -> Atom | None:
    month = month_number(m.group("mon"))
    if month is None:
        return None
    return Atom(m.start(), m.end(), "month", y=_year_of(m), m=month, part=_part(m))


def _month_alone(m: re.Match[str]) -> Atom | None:
    word = m.group("mon")
    month = month_number(word)
    if month is None or _lower_ambiguous(word, False):
        return None
    mode = (m.group("mode") or "").lower() or None
    start = m.start("mode") if mode else (m.start("part") if m.group("part") else m.start("mon"))
    return Atom(start, m.end(), "month", m=month, part=_part(m), mode=mode)


def _part(m: re.Match[str]) -> str | None:
    part = (m.groupdict().get("part") or "").lower()
    if not part:
        return None
    for key in ("early", "mid", "late", "beginning", "start", "middle", "end"):
        if key in part:
            return {"beginning": "early", "start": "early", "middle": "mid", "end": "late"}.get(key, key)
    return None


def _season(m: re.Match[str]) -> Atom | None:
    return Atom(m.start(), m.end(), "season", y=_year_of(m), unit=m.group("season").lower(), part=_part(m))


def _decade(m: re.Match[str]) -> Atom | None:
    return Atom(m.start(), m.end(), "decade", y=int(m.group("dec")), part=_part(m))


def _year_range(m: re.Match[str]) -> Atom | None:
    y1, raw = int(m.group("y")), m.group("y2")
    y2 = int(raw) if len(raw) == 4 else (y1 // 100) * 100 + int(raw)
    if not y1 < y2 <= y1 + 100:
        return None
    a = Atom(m.start(), m.start() + 4, "year", y=y1)
    b = Atom(m.end() - len(raw), m.end(), "year", y=y2)
    return Atom(m.start(), m.end(), "range", sub=(a, b))


def _year(weak: bool = False, prio: int = 0) -> Callable[[re.Match[str]], Atom | None]:
    def build(m: re.Match[str]) -> Atom | None:
        name = m.groupdict().get("name")
        if name and (month_number(name) or weekday_number(name) or name.lower() in _CUE_WORDS):
            return None
        start = m.start("part") if m.groupdict().get("part") else m.start("y")
        return Atom(start, m.end("y"), "year", y=int(m.group("y")), weak=weak, part=_part(m), prio=prio)

    return build


_CUE_WORDS = frozenset({"in", "since", "from", "until", "till", "to", "through", "during", "by", "of",
                        "before", "after", "between", "and", "the", "a", "its", "their", "this", "that"})


def _weekday(m: re.Match[str]) -> Atom | None:
    mode = (m.group("mode") or "").lower()
    if m.group("pl") or mode in ("every", "each"):
        return None
    start = m.start("mode") if mode in ("last", "this", "next") else m.start("wd")
    return Atom(start, m.end(), "weekday", wd=weekday_number(m.group("wd")),
                mode=mode if mode in ("last", "this", "next") else None)


_DAY_OFFSETS = {"the day before yesterday": 2, "yesterday": 1, "today": 0, "tonight": 0,
                "this morning": 0, "this afternoon": 0, "this evening": 0, "last night": 1}


def _day_offset(m: re.Match[str]) -> Atom | None:
    word = " ".join(m.group("w").lower().split())
    return Atom(m.start(), m.end(), "relative", mode="offset", n=_DAY_OFFSETS[word], unit="day")


def _unit(word: str) -> str:
    return word.lower().rstrip("s")


def _window(m: re.Match[str]) -> Atom | None:
    unit = _unit(m.group("unit") or m.group("unit2"))
    raw = m.groupdict().get("n")
    if m.group("unit2") or (raw and raw.lower().split()[-1] in ("few", "several", "of")):
        n = None  # vague: how far back comes from [recent]
    else:
        n = number_value(raw) if raw else 1
    if raw is None and not m.group("unit2") and (unit in ("day", "hour") or m.group("which").lower() == "previous"):
        return None  # "the last day of ...", "the previous year" (before another date) are not windows
    return Atom(m.start(), m.end(), "relative", mode="window", n=n, unit=unit)


def _ago(m: re.Match[str]) -> Atom | None:
    raw = m.group("n")
    n = number_value(raw)
    if n is None:
        return None
    if raw.lower().split()[-1] in ("few", "several"):
        n = 3
    return Atom(m.start(), m.end(), "relative", mode="ago", n=n, unit=_unit(m.group("unit")))


def _calendar_unit(m: re.Match[str]) -> Atom | None:
    mode = m.group("mode").lower()
    mode = "last" if mode == "previous" else mode
    pre = (m.group("pre") or "").lower()
    return Atom(m.start(), m.end(), "relative", mode=mode, unit=m.group("unit").lower(),
                future=pre == "later")


def _recently(m: re.Match[str]) -> Atom | None:
    return Atom(m.start(), m.end(), "relative", mode="recently", unit="day")


def _jalali_date(m: re.Match[str]) -> Atom | None:
    month = vocab().jalali.get(m.group("jm"))
    d = int(re.sub(r"\D", "", m.group("d")))
    if month is None or not 1 <= d <= 31:
        return None
    return Atom(m.start(), m.end(), "date", y=_year_of(m), m=month, d=d, jalali=True)


def _jalali_month(m: re.Match[str]) -> Atom | None:
    month = vocab().jalali.get(m.group("jm"))
    if month is None:
        return None
    return Atom(m.start(), m.end(), "month", y=int(m.group("y")), m=month, jalali=True)


def event_key(m: re.Match[str]) -> str | None:
    events = vocab().events
    for name, value in m.groupdict().items():
        if value is not None and name.startswith("e") and name[1:].isdigit():
            return events[int(name[1:])].key
    return "generic" if m.groupdict().get("generic") else None


def _event_atom(mode: str) -> Callable[[re.Match[str]], Atom | None]:
    def build(m: re.Match[str]) -> Atom | None:
        key = event_key(m)
        if key is None:
            return None
        raw = m.groupdict().get("ord")
        return Atom(m.start(), m.end(), "event", key=key, mode=mode,
                    n=ordinal_value(raw) if raw else None, prio=5)

    return build


def _anniv_ref(m: re.Match[str]) -> Atom | None:
    n = ordinal_value(m.group("ord"))
    return Atom(m.start("ord"), m.end(), "anniv_ref", n=n) if n else None


def _period_day(m: re.Match[str]) -> Atom | None:
    raw = m.group("ord") or m.group("num")
    n = ordinal_value(raw)
    if not n:
        return None
    if not m.group("wd"):
        return Atom(m.start(), m.end(), "period_day", n=n)
    wd = weekday_number(m.group("wd"))
    # the weekday alone, for when no day count fits ("on strike for a second day on Saturday")
    weekday = Atom(m.start("wd"), m.end(), "weekday", wd=wd)
    return Atom(m.start(), m.end(), "period_day", n=n, wd=wd, sub=(weekday,))


def _same_day(m: re.Match[str]) -> Atom | None:
    word = (m.group("rel") or "same").lower()
    return Atom(m.start(), m.end(), "same_day", n={"same": 0, "following": 1, "next": 1, "previous": -1}[word])


def _day_before_after(m: re.Match[str]) -> Atom | None:
    return Atom(m.start(), m.end(), "same_day", n=-1 if m.group("w").lower() == "before" else 1)


def _iranian_year(m: re.Match[str]) -> Atom | None:
    return Atom(m.start(), m.end(), "year", y=int(m.group("y")), jalali=True)


def _rules() -> list[tuple[str, Callable[[re.Match[str]], Atom | None], int, int, str, Hint]]:
    """(pattern, builder, priority, flags, trigger family, speed hint) for every kind of expression."""
    v = vocab()
    i = re.IGNORECASE
    names_all = _names(v.events)
    not_unit = r"(?!\s*(?:years?|months?|weeks?|days?|hours?|people|persons|percent|%|lashes|times|prisoners)\b)"
    return [
        (_g(r"(?:{WDX:wd},?\s+(?:the\s+)?)?{MON:mon}\s+{DAY:d}(?:(?:,\s*|\s+)(?:of\s+)?{YEAR:y})?"),
         _date, 3, 0, "digit", Hint(("dateword",), needs=DIGIT_RUNS)),
        (_g(r"(?:{WDX:wd},?\s+)?(?:the\s+)?{DAY:d}(?:\s+of)?\s+{MON:mon}(?:,?\s+{YEAR:y})?"), _date, 3, 0, "digit",
         Hint((DIGIT_RUNS, "dateword"), anywhere=("the",), needs="month")),
        (r"(?<![\d/.-])(?P<y>1[2-4]\d\d|1[89]\d\d|20\d\d)([-/])(?P<m>[01]?\d)\2(?P<d>[0-3]?\d)(?![\d/-]|\.\d)",
         _iso, 4, 0, "digit", Hint((DIGIT_RUNS,))),
        *((_g(mday + r"\s*{DAY:d2}" + not_unit + r"(?:,?\s+{YEAR:y})?"), _day_range, 4, 0, "digit", hint)
          for mday, hint in (
            (r"{MON:mon}\s+{DAY:d}\s*(?:-|–|—|to|through|until|till)", Hint(("dateword",), needs=DIGIT_RUNS)),
            (r"(?i:between)\s+{MON:mon}\s+{DAY:d}\s+and", Hint(anywhere=("between",))))),
        *((_g(dday + r"\s*{DAY:d2}\s+(?:of\s+)?{MON:mon}(?:,?\s+{YEAR:y})?"), _day_range, 4, 0, "digit", hint)
          for dday, hint in (
            (r"{DAY:d}\s*(?:-|–|—|to|through|until|till)", Hint((DIGIT_RUNS,), needs="month")),
            (r"(?i:between)\s+{DAY:d}\s+and", Hint(anywhere=("between",))))),
        (_g(r"(?:(?i:{PART:part})[\s-]+)?{MON:mon},?\s+(?:of\s+)?{YEAR:y}"), _month_year, 3, 0, "digit",
         Hint(("part_or_dateword",), needs=YEARS)),
        (_g(r"(?:(?i:\b(?:in|since|during|until|till|by|of|from|to|through|the|throughout)\s+|\b(?P<mode>last|this|next)\s+)"
            r"|(?=(?i:{PART})))(?:(?i:{PART:part})[\s-]+)?{MON:mon}(?![\s,.]*(?:[0-3]?\d(?!\d|,\d)|1[6-9]\d\d|20\d\d))"),
         _month_alone, 2, 0, "month", Hint(("month_cue",), needs="month")),
        (_g(r"\b(?:the\s+)?(?:{PART:part}[\s-]+)?(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?{YEAR:y}"),
         _season, 3, i, "digit", Hint(("season",), needs=YEARS)),
        (r"\b(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<dec>1[6-9]\d0|20\d0)['’]?s\b", _decade, 3, i, "digit",
         Hint((YEARS, "decade"), needs=YEARS)),
        (_g(r"{YEAR:y}\s*(?:-|–|—|/|to|through|until)\s*(?P<y2>1[6-9]\d\d|20\d\d|\d\d)(?![\d,]|\.\d)"),
         _year_range, 3, 0, "digit", Hint((YEARS,))),
        (_g(r"(?:(?i:\b(?:{YEAR_BEFORE})\s+(?:the\s+year\s+)?)|(?=(?i:{PART})))(?:(?i:{PART:part})[\s-]+)?"
            r"{YEAR:y}(?!['’]?s\b)(?!\s+(?i:{NOT_YEAR})\b)"), _year(prio=2), 2, 0, "digit",
         Hint(("year_before",), needs=YEARS)),
        (_g(r"(?i:\b(?:the|a|its|their|this|that|[a-z]+['’]s)\s+){YEAR:y}(?=\s+(?:[A-Za-z-]+\s+)?(?i:{YEAR_NOUNS})\b)"),
         _year(prio=2), 2, 0, "digit", Hint(needs=YEARS)),
        (_g(r"{YEAR:y}['’]s\s"), _year(prio=2), 2, 0, "digit", Hint((YEARS,))),
        (_g(r"\({YEAR:y}\)"), _year(prio=1), 1, 0, "digit", Hint(needs=YEARS)),
        (_g(r"\b(?P<name>[A-Z][\w’'-]*)\s+{YEAR:y}(?!\s+(?i:{NOT_YEAR})\b)"), _year(weak=True), 0, 0, "digit",
         Hint(needs=YEARS)),
        (_g(r"(?i:\b(?P<mode>last|this|next|past|on|every|each)\s+)?(?P<wd>{WD})(?P<pl>s)?\b"
            r"(?!\s+(?i:prayers?|sermons?|imams?|times|telegraph)\b)"
            r"(?:\s+(?i:morning|afternoon|evening|night)\b)?"), _weekday, 1, 0, "weekday",
         Hint(("weekday",))),
        (r"\b(?:(?:earlier|later)\s+)?(?P<w>the\s+day\s+before\s+yesterday|yesterday|today|tonight"
         r"|this\s+(?:morning|afternoon|evening)|last\s+night)\b", _day_offset, 2, i, "relative",
         Hint(("day_offset",), needs="day_offset_word")),
        (_g(r"\b(?:(?:in|over|during|within|for|throughout)\s+)?(?:the\s+(?P<which>past|last|previous)\s+(?:(?P<n>(?:a\s+)?{NUM})\s+)?"
            r"(?P<unit>{UNIT})\b(?!\s+of\b)|recent\s+(?P<unit2>days|weeks|months|years))"), _window, 2, i, "relative",
         Hint(("window",), needs="window_word")),
        (_g(r"\b(?P<n>(?:a\s+)?{NUM}|a|an)\s+(?P<unit>{UNIT})\s+ago\b"), _ago, 2, i, "relative", Hint(needs="ago")),
        (r"(?<!the\s)\b(?:(?P<pre>earlier|later)\s+)?(?P<mode>last|this|next|previous)\s+(?P<unit>week|weekend|month|year)\b",
         _calendar_unit, 2, i, "relative", Hint(("calendar_unit",))),
        (r"\brecently\b", _recently, 0, i, "relative", Hint(("recently",))),
        (_g(r"{DAY:d}\s+(?:of\s+)?(?P<jm>{JMON})(?:\s*,?\s*(?P<y>{JYEAR}))?"), _jalali_date, 3, 0, "digit",
         Hint((DIGIT_RUNS,), needs="jalali")),
        (_g(r"(?P<jm>{JMONL})\s+{DAY:d}(?:,?\s+(?P<y>{JYEAR}))?"), _jalali_date, 3, 0, "digit",
         Hint(("jalali",))),
        (_g(r"(?P<jm>{JMON})\s+(?:of\s+)?(?P<y>{JYEAR})"), _jalali_month, 3, 0, "digit", Hint(("jalali",))),
        (_g(r"\b(?:the\s+)?(?:(?P<ord>{ORD})\s+)?(?:founding\s+|death\s+)?anniversar(?:y|ies)\s+of\s+"
            r"(?:the\s+|Iran['’]s\s+|this\s+year['’]s\s+)*(?:{names}|(?P<generic>{GENERIC}))", names=names_all),
         _event_atom("anniversary"), 5, i, "anniv_of", Hint()),
        (_g(r"\b(?:the\s+)?(?:{names}|(?P<generic>{GENERIC}))(?:['’]s)?\s+(?:(?P<ord>{ORD})\s+)?"
            r"(?:founding\s+|death\s+)?anniversar(?:y|ies)\b", names=names_all), _event_atom("anniversary"), 5, i,
         "anniv_poss", Hint()),
        (_g(r"\b(?:marks?|marked|marking|its|their|the)\s+(?P<ord>{ORD})\s+anniversary\b(?!\s+of\b)"),
         _anniv_ref, 4, i, "anniv_poss", Hint()),
        (_g(r"\b(?:the\s+)?(?:start|onset|beginning|outbreak|launch)\s+of\s+(?:the\s+|Iran['’]s\s+)*"
            r"(?:{names}|(?P<generic>{GENERIC}))", names=names_all), _event_atom("start"), 5, i, "start",
         Hint(anywhere=("the", "start", "onset", "beginning", "outbreak", "launch"))),
        *((rf"\b(?P<e{k}>{'|'.join(e.names)})\b", _event_atom("alone"), 5, i, f"alone:{k}", Hint())
          for k, e in enumerate(v.events) if e.alone),
        (_g(r"\b(?:(?P<ord>{ORD})\s+day\b|day\s+(?P<num>\d{1,4})\s+of\b)"
            r"(?:\s*(?:,|on|—|–)?\s*(?P<wd>{WD})(?!s))?"), _period_day, 4, i, "day", Hint((DIGIT_RUNS, "period_day"))),
        (r"\b(?:on\s+)?(?:the|that)\s+(?P<rel>same|following|next|previous)\s+day\b", _same_day, 2, i, "same", Hint()),
        (r"\b(?:on\s+)?the\s+day\s+(?P<w>before|after)\b(?!\s+(?:yesterday|tomorrow))", _day_before_after, 2, i,
         "same", Hint()),
        (_g(r"\b(?:Iranian|Persian|solar|Solar\s+Hijri|Shamsi)\s+(?:calendar\s+)?year\s+(?P<y>{JYEAR})"),
         _iranian_year, 3, 0, "digit", Hint(("iranian_year",))),
    ]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    v = vocab()
    ctx = v.context
    rules = _compiled_rules()
    families: dict[str, list[tuple[int, Rule]]] = {}
    for number, rule in enumerate(rules):
        families.setdefault(rule.family, []).append((number, rule))
    triggers = _triggers(v)
    key_hints = _key_hints(_hint_words())
    gates = tuple((max(p.split(), key=len), re.compile(re.escape(p).replace(r"\ ", r"\s+")), ks)
                  for p, ks in _gates(v.events).items() if p)
    opening = _trigger_openers(v)
    events_any = re.compile(r"\b(?:" + _names(v.events) + r")", re.IGNORECASE)
    starts = [(word, triggers[family][0]) for family, words in opening.items() for word in words]
    starts += [(word, None) for word, _, _ in gates]
    return Patterns(
        rules=rules,
        families={family: tuple(members) for family, members in families.items()},
        triggers=triggers,
        digit_runs=triggers["digit"][0],
        # the longest keyword that fits (`trie`) after a non-word character: a pattern that opens with a
        # set lets the `re` engine skip to such characters (`(?<!\w)` would be tried everywhere)
        keys=re.compile(rf"\W(?=({trie(key_hints)}))"),
        key_hints=key_hints,
        hint_lists=tuple(sorted({name for names in key_hints.values() for name in names})),
        key_families=frozenset(rule.family for rule in rules
                               if {*rule.starts, rule.needs} - {DIGIT_RUNS, YEARS, None}),
        year=re.compile(r"1[6-9]\d\d|20\d\d"),
        gates=gates,
        finder=re.compile(trie({word for word, _ in starts})),
        openers=_openers(starts),
        events_any=events_any,
        event_scanner=Scanner([events_any]),
        generic=re.compile(r"\b" + v.generic + r"\b", re.IGNORECASE),
        cue=re.compile(r"\b(?:(?P<since>" + alternation(ctx["since"]) + r")|(?P<until>" + alternation(ctx["until"])
                       + r"))\s+(?:the\s+)?$", re.IGNORECASE),
        future_before=re.compile(r"\b(?:" + alternation(ctx["future_before"]) + r")\b", re.IGNORECASE),
        cue_openers=_phrase_openers([*ctx["since"], *ctx["until"]]),
        future_openers=_phrase_openers(ctx["future_before"]),
        future_after=re.compile(r"^[\s,]*(?:" + alternation(ctx["future_after"]) + r")\b", re.IGNORECASE),
        connector=re.compile(r"^\s*,?\s*(?:-|–|—|to|through|thru|until|till|and)\s*$", re.IGNORECASE),
        # r'[.!?]["”’)]*\s+|\n' opening with one set (the `re` engine skips to its characters)
        boundary=re.compile(r"[.!?\n](?:(?<=\n)|(?<=[.!?])[\"”’)]*\s+)"),
    )


def _compiled_rules() -> tuple[Rule, ...]:
    return tuple(Rule(re.compile(p, flags), build, prio, fam, hint.starts, hint.anywhere, hint.needs)
                 for p, build, prio, flags, fam, hint in _rules())


def _gate_phrase(name: str) -> str:
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


def _gates(events: tuple[CalendarEvent, ...]) -> dict[str, tuple[int, ...]]:
    """Trigger phrase (lowercase, single spaces) -> indices of the events it may name."""
    gates: dict[str, set[int]] = {}
    for k, event in enumerate(events):
        for name in event.names if event.alone else ():
            gates.setdefault(_gate_phrase(name), set()).add(k)
    return {phrase: tuple(sorted(ks)) for phrase, ks in gates.items()}


def _trigger_openers(v: Vocab) -> dict[str, tuple[str, ...]]:
    """family -> the words every hit of its trigger (`_triggers`; all but "digit") begins with."""
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


def _openers(starts: list[tuple[str, re.Pattern[str] | None]]) -> Openers:
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
        out[longest] = (tuple((regex, _literal_hit(regex, starts, longest)) for regex in regexes), tuple(words))
    return out


def _literal_hit(regex: re.Pattern[str], starts: list[tuple[str, re.Pattern[str] | None]], longest: str) -> int:
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


def _triggers(v: Vocab) -> dict[str, tuple[re.Pattern[str], int, int]]:
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
