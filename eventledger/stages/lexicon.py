"""The event lexicon (`data/events.toml`) compiled once: triggers, modal cues, defaults."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from eventledger.data import load_toml
from eventledger.stages.scan import Scanner


@dataclass(frozen=True, slots=True)
class TriggerRule:
    event_type: str
    tactic: str | None
    form: str  # verb | noun | generic
    pattern: re.Pattern[str]
    order: int


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger found in the text: offsets into the report text."""

    start: int
    end: int
    event_type: str
    tactic: str | None
    form: str


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[TriggerRule, ...]
    modal: re.Pattern[str]
    history_days: int
    default_actor: dict[str, tuple[str, str]]
    scanner: Scanner  # the rules' patterns, scanned together (`stages.scan`)


@lru_cache(maxsize=1)
def load() -> Lexicon:
    table = load_toml("events.toml")
    rules = tuple(
        TriggerRule(
            event_type=entry["event_type"],
            tactic=entry["tactic"] or None,
            form=entry["form"],
            pattern=re.compile(r"\b(?:" + "|".join(entry["patterns"]) + r")\b", re.IGNORECASE),
            order=i,
        )
        for i, entry in enumerate(table["trigger"])
    )
    cfg = table["rules"]
    modal = re.compile(r"\b(?:" + "|".join(cfg["modal_cues"]) + r")\b")
    defaults = {k: (v[0], v[1]) for k, v in cfg["default_actor"].items()}
    scanner = Scanner([rule.pattern for rule in rules])
    return Lexicon(rules, modal, int(cfg["history_days"]), defaults, scanner)


def find_triggers(text: str, lexicon: Lexicon | None = None) -> list[Trigger]:
    """Non-overlapping triggers in text order; longer matches win, then earlier rules."""
    lexicon = lexicon or load()
    found = [
        (m.start(), m.end(), rule)
        for rule, matches in zip(lexicon.rules, lexicon.scanner.scan(text), strict=True)
        for m in matches
        if m.end() > m.start()
    ]
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2].order, f[0]))
    starts: list[int] = []  # the triggers taken, in text order (never overlapping)
    taken: list[tuple[int, int, TriggerRule]] = []
    for start, end, rule in found:
        i = bisect_right(starts, start)
        # only the neighbours can overlap: the last taken starting at or before `start` (its end is the
        # furthest of those), and the first starting after it
        if (i == 0 or taken[i - 1][1] <= start) and (i == len(taken) or end <= taken[i][0]):
            starts.insert(i, start)
            taken.insert(i, (start, end, rule))
    return [Trigger(a, b, r.event_type, r.tactic, r.form) for a, b, r in taken]
