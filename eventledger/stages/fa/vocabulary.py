"""The Persian vocabulary (data/fa.toml), loaded once: verb forms by infinitive, triggers, actors,
date, number and claim words. See the data file's header for how entries are written."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from eventledger.stages.fa.normalise import key, words

GAP = None  # a phrase word that skips up to `max_gap` words
_PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند")
_PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
_NEGATIVE = "ن"


@dataclass(frozen=True, slots=True)
class Trigger:
    event_type: str
    tactic: str | None
    form: str  # "verb" | "noun"
    words: tuple[str | None, ...]  # keys; None is a gap; an infinitive matches every form of its verb

    @property
    def weight(self) -> int:
        return sum(1 for w in self.words if w is not GAP)


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    actor_class: str
    reporter: bool = False


@dataclass(frozen=True)
class Vocabulary:
    verb_forms: dict[str, tuple[str, bool]]  # written form -> (infinitive, negated)
    triggers: dict[str, tuple[Trigger, ...]]  # first word -> triggers starting with it, longest first
    max_gap: int
    suffixes: frozenset[str]
    noun_endings: tuple[str, ...]
    actors: dict[str, tuple[tuple[tuple[str, ...], Actor], ...]]  # first word -> (words, actor), longest first
    default_actor: dict[str, Actor]
    sentence_tactics: dict[str, str]
    modal_cues: tuple[tuple[str, ...], ...]
    cue_window: int
    history_days: int
    raw: dict[str, Any]
    _stems: dict[str, str] = field(default_factory=dict)  # word key -> `stem`, filled as words are met

    def lemma(self, word_key: str, prefix: str = "") -> tuple[str, bool] | None:
        """(infinitive, negated) of a verb form, None for a word that is not one."""
        found = self.verb_forms.get(word_key)
        if found is None or not prefix:
            return found
        return (found[0], found[1] or prefix == "نمی")

    def stem(self, word_key: str) -> str:
        found = self._stems.get(word_key)
        if found is None:
            if len(self._stems) > 65536:
                self._stems.clear()
            found = self._stems[word_key] = _stem(word_key, self.noun_endings)
        return found


def _stem(word_key: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if word_key.endswith(ending) and len(word_key) - len(ending) >= 3:
            return word_key[: -len(ending)]
    return word_key


def conjugate(infinitive: str, present: str) -> dict[str, bool]:
    """Written forms of a verb -> negated: past and present in every person, the participle, the
    prefixes می / نمی / ب / ن (joined as written without a joiner)."""
    past = key(infinitive)[:-1]
    present = key(present)
    forms: dict[str, bool] = {}
    base = [past + e for e in _PAST_ENDINGS] + [past + "ه"]
    glide = "ی" if present.endswith("ا") else ""
    current = [present + glide + e for e in _PRESENT_ENDINGS] if len(present) > 1 else []
    for form in base:
        forms.setdefault(form, False)
        forms.setdefault("می" + form, False)
        if not form.startswith("ا"):
            forms.setdefault(_NEGATIVE + form, True)
        forms.setdefault("نمی" + form, True)
    for form in current:
        forms.setdefault(form, False)
        forms.setdefault("می" + form, False)
        forms.setdefault("ب" + form, False)
        if not form.startswith("ا"):
            forms.setdefault(_NEGATIVE + form, True)
        forms.setdefault("نمی" + form, True)
    forms[key(infinitive)] = False
    return forms


def phrase_words(phrase: str, suffixes: frozenset[str]) -> tuple[str | None, ...]:
    out: list[str | None] = []
    for i, part in enumerate(phrase.split("…")):
        if i:
            out.append(GAP)
        out.extend(w.key for w in words(part, 0, suffixes))
    return tuple(out)


def _data() -> dict[str, Any]:
    with resources.files("eventledger.data").joinpath("fa.toml").open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def load() -> Vocabulary:
    cfg = _data()
    suffixes = frozenset(key(s) for s in cfg["suffixes"])
    verb_forms: dict[str, tuple[str, bool]] = {}
    for infinitive, present in cfg["verbs"].items():
        for form, negated in conjugate(infinitive, present).items():
            verb_forms.setdefault(form, (key(infinitive), negated))
    triggers: dict[str, list[Trigger]] = defaultdict(list)
    for entry in cfg["trigger"]:
        for phrase in entry["phrases"]:
            found = phrase_words(phrase, suffixes)
            if found and found[0] is not GAP:
                trigger = Trigger(entry["event_type"], entry["tactic"] or None, entry["form"], found)
                triggers[found[0]].append(trigger)
    actors: dict[str, list[tuple[tuple[str, ...], Actor]]] = defaultdict(list)
    for entry in cfg["actor"]:
        actor = Actor(entry["name"], entry["class"], bool(entry.get("reporter", False)))
        for alias in entry["aliases"]:
            alias_words = tuple(w for w in phrase_words(alias, suffixes) if w)
            if alias_words:
                actors[alias_words[0]].append((alias_words, actor))
    cues = cfg["cues"]
    return Vocabulary(
        verb_forms=verb_forms,
        triggers={k: tuple(sorted(v, key=lambda t: -len(t.words))) for k, v in triggers.items()},
        max_gap=int(cfg["max_gap"]),
        suffixes=suffixes,
        noun_endings=tuple(sorted((key(e) for e in cfg["noun_endings"]), key=len, reverse=True)),
        actors={k: tuple(sorted(v, key=lambda a: -len(a[0]))) for k, v in actors.items()},
        default_actor={t: Actor(n, c) for t, (n, c) in cfg["default_actor"].items()},
        sentence_tactics={key(k): v for k, v in cfg["sentence_tactics"].items()},
        modal_cues=tuple(tuple(w for w in phrase_words(c, suffixes) if w) for c in cues["modal"]),
        cue_window=int(cues["cue_window"]),
        history_days=int(cues["history_days"]),
        raw=cfg,
    )
