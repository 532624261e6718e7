"""Date patterns: the regular expressions that find date expressions, compiled once.

Each `Rule` pairs a regular expression with a builder that turns a match into an `Atom`, and
names the trigger family whose cheap hits (a digit, a month name, "anniversary" ...) mark the
stretches of text it needs to run on at all. The rules are data: calendars.toml's date grammar
(`[[date_rules]]`: pattern, builder, priority, trigger family, speed hint), its patterns written
with fragments (`{MON}`, `{YEAR}` ...) that this module builds from the same file's vocabulary
(`datevocab.vocab()`). Where the rules are tried (the speed hints) is `datehints`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from eventledger.stages import datehints as hints
from eventledger.stages.datehints import DIGIT_RUNS, YEARS, Hint, Openers, PhraseOpeners
from eventledger.stages.datevocab import (
    Atom,
    CalendarEvent,
    DateRule,
    month_number,
    number_value,
    ordinal_value,
    vocab,
    weekday_number,
    year_before,
)
from eventledger.stages.scan import Scanner, longest_first, trie

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


@dataclass(frozen=True)
class Patterns:
    rules: tuple[Rule, ...]
    families: dict[str, tuple[tuple[int, Rule], ...]]  # trigger family -> (number, rule) in rule order
    triggers: dict[str, tuple[re.Pattern[str], int, int]]
    digit_runs: re.Pattern[str]  # the "digit" trigger: its hits are the key scan's digit runs
    keys: re.Pattern[str]  # the character before a hint keyword's word start (group 1: the keyword), see `Hints`
    key_hints: dict[str, tuple[str, ...]]  # keyword (as `keys` finds it) -> hint lists it is in
    hint_lists: tuple[str, ...]  # the names of the keyword lists (`hint_words`)
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
        "MON": rf"(?:\b(?i:{longest_first(full)})\b|\b(?:{longest_first(abbr)})\b\.?)",
        "WD": rf"\b(?i:{longest_first(wfull)})\b",
        "WDX": rf"(?:\b(?i:{longest_first(wfull)})\b|\b(?:{longest_first(wabbr)})\b\.?)",
        "JMON": rf"(?:\b(?:{longest_first(jlatin)})\b|(?<!\w)(?:{longest_first(jfa)})(?!\w))",
        "JMONL": rf"\b(?:{longest_first(jlatin)})\b",
        "DAY": r"(?<![\d,.])[0-3]?\d(?:st|nd|rd|th)?(?!\d|:\d|[.,]\d)",
        "YEAR": r"(?<![\d,.$£€])(?:1[6-9]\d\d|20\d\d)(?!\d|[.,]\d)",
        "JYEAR": r"(?<![\d,.])1[2-4]\d\d(?!\d|[.,]\d)",
        "NUM": rf"(?:\d{{1,3}}|{longest_first(nums)})",
        "ORD": rf"(?:\d{{1,4}}(?:st|nd|rd|th)|{longest_first(v.ordinals)})",
        "UNIT": r"(?:hours?|days?|weeks?|months?|years?|decades?)",
        "PART": r"\b(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)",
        "SEASON": longest_first(list(v.seasons)),
        "YEAR_BEFORE": longest_first(year_before(v)),
        "YEAR_NOUNS": longest_first(ctx["year_nouns"], escape=False),
        "NOT_YEAR": longest_first(ctx["not_year_nouns"]),
        "GENERIC": v.generic,
        **v.fragments,
    }


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
    """A month name that is also a verb (calendars.toml's `verb_months`), in lower case, is a verb
    unless a year follows."""
    return word.islower() and word.rstrip(".") in vocab().context["verb_months"] and not has_year


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
    month_word = m.group("month")
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
    month_word = m.group("month")
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
    month = month_number(m.group("month"))
    if month is None:
        return None
    return Atom(m.start(), m.end(), "month", y=_year_of(m), m=month, part=_part(m))


def _month_alone(m: re.Match[str]) -> Atom | None:
    word = m.group("month")
    month = month_number(word)
    if month is None or _lower_ambiguous(word, False):
        return None
    mode = (m.group("mode") or "").lower() or None
    start = m.start("mode") if mode else (m.start("part") if m.group("part") else m.start("month"))
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
    return Atom(m.start(), m.end(), "decade", y=int(m.group("decade")), part=_part(m))


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


Builder = Callable[[re.Match[str]], Atom | None]
# builder name (calendars.toml's date rules) -> what a match makes; `_FACTORIES` take the rule's options
BUILDERS: dict[str, Builder] = {
    "date": _date, "iso": _iso, "day_range": _day_range, "month_year": _month_year, "month_alone": _month_alone,
    "season": _season, "decade": _decade, "year_range": _year_range, "weekday": _weekday,
    "day_offset": _day_offset, "window": _window, "ago": _ago, "calendar_unit": _calendar_unit,
    "recently": _recently, "jalali_date": _jalali_date, "jalali_month": _jalali_month, "anniv_ref": _anniv_ref,
    "period_day": _period_day, "same_day": _same_day, "day_before_after": _day_before_after,
    "iranian_year": _iranian_year,
}
_FACTORIES: dict[str, Callable[..., Builder]] = {"year": _year, "event": _event_atom}


def _builder(row: DateRule) -> Builder:
    if row.builder in _FACTORIES:
        return _FACTORIES[row.builder](**dict(row.options))
    if row.builder not in BUILDERS or row.options:
        raise ValueError(f"calendars.toml: date rule {row.pattern[:60]!r}: unknown builder {row.builder!r}"
                         f"{' (with options)' if row.options else ''}")
    return BUILDERS[row.builder]


def _rules() -> list[tuple[str, Builder, int, int, str, Hint]]:
    """(pattern, builder, priority, flags, trigger family, speed hint) for every kind of expression:
    calendars.toml's date grammar, its fragments filled; a rule `each_event` once per event named alone."""
    v = vocab()
    names_all = _names(v.events)
    out = []
    for row in v.rules:
        build, hint = _builder(row), Hint(row.starts, row.anywhere, row.needs)
        flags = re.IGNORECASE if row.ignore_case else 0
        if not row.each_event:
            out.append((_g(row.pattern, names_all), build, row.priority, flags, row.family, hint))
            continue
        for k, event in enumerate(v.events):
            if event.alone:
                pattern = row.pattern.replace("{k}", str(k)).replace("{event}", "|".join(event.names))
                out.append((pattern, build, row.priority, flags, f"{row.family}:{k}", hint))
    return out


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    v = vocab()
    ctx = v.context
    rules = _compiled_rules()
    families: dict[str, list[tuple[int, Rule]]] = {}
    for number, rule in enumerate(rules):
        families.setdefault(rule.family, []).append((number, rule))
    triggers = hints.triggers(v)
    key_hints = hints.key_hints(hints.hint_words())
    gates = tuple((max(p.split(), key=len), re.compile(re.escape(p).replace(r"\ ", r"\s+")), ks)
                  for p, ks in hints.gates(v.events).items() if p)
    opening = hints.trigger_openers(v)
    events_any = re.compile(r"\b(?:" + _names(v.events) + r")", re.IGNORECASE)
    starts: list[tuple[str, re.Pattern[str] | None]] = [
        (word, triggers[family][0]) for family, words in opening.items() for word in words]
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
        openers=hints.openers(starts),
        events_any=events_any,
        event_scanner=Scanner([events_any]),
        generic=re.compile(r"\b" + v.generic + r"\b", re.IGNORECASE),
        cue=re.compile(r"\b(?:(?P<since>" + longest_first(ctx["since"]) + r")|(?P<until>" + longest_first(ctx["until"])
                       + r"))\s+(?:the\s+)?$", re.IGNORECASE),
        future_before=re.compile(r"\b(?:" + longest_first(ctx["future_before"]) + r")\b", re.IGNORECASE),
        cue_openers=hints.phrase_openers([*ctx["since"], *ctx["until"]]),
        future_openers=hints.phrase_openers(ctx["future_before"]),
        future_after=re.compile(r"^[\s,]*(?:" + longest_first(ctx["future_after"]) + r")\b", re.IGNORECASE),
        connector=re.compile(r"^\s*,?\s*(?:-|–|—|to|through|thru|until|till|and)\s*$", re.IGNORECASE),
        # r'[.!?]["”’)]*\s+|\n' opening with one set (the `re` engine skips to its characters)
        boundary=re.compile(r"[.!?\n](?:(?<=\n)|(?<=[.!?])[\"”’)]*\s+)"),
    )


def _compiled_rules() -> tuple[Rule, ...]:
    return tuple(Rule(re.compile(p, flags), build, prio, fam, hint.starts, hint.anywhere, hint.needs)
                 for p, build, prio, flags, fam, hint in _rules())


