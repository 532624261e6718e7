"""The event lexicon (`data/events.toml`) compiled once: triggers, modal cues, defaults."""

from __future__ import annotations

import re
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
    taken: list[tuple[int, int, TriggerRule]] = []
    for start, end, rule in found:
        if all(end <= a or start >= b for a, b, _ in taken):
            taken.append((start, end, rule))
    taken.sort(key=lambda f: f[0])
    return [Trigger(a, b, r.event_type, r.tactic, r.form) for a, b, r in taken]
