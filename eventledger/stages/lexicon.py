"""The event lexicon (`data/events.toml`) compiled once: triggers, modal cues, defaults."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eventledger.data import load_toml, path
from eventledger.stages.scan import Scanner, prefix_test

# Length of the prefixes the trigger scanner compares (`scan.Scanner`): with 8 rather than the default 4,
# "the " (of "the hangings") no longer makes every "the" a place to try that rule.
_TRIGGER_PREFIX = 8


@dataclass(frozen=True, slots=True)
class TriggerRule:
    event_type: str
    tactic: str | None
    form: str  # verb | noun | generic | weak (a verb that is the act only most of the time)
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


_DONE_TO_PEOPLE = frozenset({"assault", "execution", "arrest", "sentence"})  # the types of `Lexicon.kin`


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[TriggerRule, ...]
    modal: re.Pattern[str]
    history_days: int
    default_actor: dict[str, tuple[str, str]]
    scanner: Scanner  # the rules' patterns, scanned together (`stages.scan`)
    # `modal` for a yes/no search over " " + the text (`has_modal`), or None when it cannot be written so
    modal_between: re.Pattern[str] | None = None
    # what, right before a figure, makes it the number killed ("..., killing two people"): `fatality_lead`
    fatality_lead: re.Pattern[str] | None = None
    # what, a few words before a trigger, makes it the object of another act ("to condemn the bombing")
    reference: re.Pattern[str] | None = None
    # the same for what was done to people the sentence describes ("families of those killed")
    kin: re.Pattern[str] | None = None
    # where a match of `reference` or `kin` may begin (`scan.prefix_test` of their cues): a pre-test
    cue_start: re.Pattern[str] | None = None

    def refers_back(self, before: str, event_type: str) -> bool:
        """Whether the text right before a trigger makes it an act referred to, not one told."""
        if self.reference is not None and self.reference.search(before) is not None:
            return True
        return event_type in _DONE_TO_PEOPLE and self.kin is not None and self.kin.search(before) is not None

    def has_modal(self, text: str) -> bool:
        """Whether `modal` matches anywhere in `text`."""
        if self.modal_between is None:
            return self.modal.search(text) is not None
        return self.modal_between.search(" " + text) is not None


# ----------------------------------------------------------------------------- lemmas
# An entry's patterns may name a lemma instead of spelling its forms: `<stage>` is every form of the
# verb "stage" (stage, stages, staged, staging), `<arrest:ed,ing>` only some of them, `<rally:n>` the
# noun's (rally, rallies). The forms come from lemminflect, computed by `scripts/build_inflections.py`
# into `data/inflections.json` (so loading needs no lemminflect). Selectors:
#   verb: v (base), s (3rd person), ed (past and participle), ing; none given: all four
#   noun: n (singular and plural), sg, pl
# An entry's `lemmas` are phrases whose head word is such a lemma: the first word of a verb (or generic)
# entry's phrase ("take into custody"), the last word of a noun entry's ("death sentence"), with the
# entry's `inflect` selectors (default: all forms of its part of speech).
INFLECTIONS_FILE = "inflections.json"
PLACEHOLDER = re.compile(r"(?<![?P])<([a-z][a-z'-]*)(?::([a-z,]+))?>")
_VERB_TAGS = {"v": ("VB", "VBP"), "s": ("VBZ",), "ed": ("VBD", "VBN"), "ing": ("VBG",)}
_NOUN_TAGS = {"n": ("NN", "NNS"), "sg": ("NN",), "pl": ("NNS",)}
_TAGS = {**_VERB_TAGS, **_NOUN_TAGS}
_HEAD_FIRST = re.compile(r"^([a-z][a-z'-]*)")
_HEAD_LAST = re.compile(r"([a-z][a-z'-]*)$")


def _pos(selectors: Iterable[str]) -> str:
    """"noun" or "verb": the part of speech the selectors ask for (never both)."""
    kinds = {"noun" if s in _NOUN_TAGS else "verb" for s in selectors}
    if len(kinds) != 1 or not all(s in _TAGS for s in selectors):
        raise ValueError(f"bad lemma selectors: {sorted(selectors)}")
    return kinds.pop()


def _selectors(spec: str | None) -> tuple[str, ...]:
    return tuple(spec.split(",")) if spec else tuple(_VERB_TAGS)


def lemma_phrase(phrase: str, form: str, inflect: str | None = None) -> str:
    """An entry's `lemmas` phrase as a pattern: its head word made a placeholder (unless it has one)."""
    if PLACEHOLDER.search(phrase):
        return phrase
    noun = form == "noun"
    spec = inflect or ("n" if noun else None)
    m = (_HEAD_LAST if noun else _HEAD_FIRST).search(phrase)
    if m is None:
        raise ValueError(f"lemma phrase without a head word: {phrase!r}")
    tag = f"<{m.group(1)}{':' + spec if spec else ''}>"
    return phrase[: m.start()] + tag + phrase[m.end():]


def entry_patterns(entry: dict[str, Any]) -> list[str]:
    """An entry's patterns with its `lemmas` phrases, placeholders not yet expanded."""
    lemmas = [lemma_phrase(p, entry["form"], entry.get("inflect")) for p in entry.get("lemmas", [])]
    return [*lemmas, *entry.get("patterns", [])]


def lemmas_needed(table: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (part of speech, lemma) the triggers' placeholders name."""
    return {(_pos(_selectors(m.group(2))), m.group(1))
            for entry in table["trigger"] for pattern in entry_patterns(entry)
            for m in PLACEHOLDER.finditer(pattern)}


def compute_inflections(needed: Iterable[tuple[str, str]]) -> dict[str, dict[str, dict[str, list[str]]]]:
    """Forms of each (pos, lemma) by Penn tag, from lemminflect (its dictionary, else its rules for
    unknown words); lower-cased, the lemma itself always among the base forms."""
    import lemminflect  # imported here: only the build script (and a stale data file) needs it

    out: dict[str, dict[str, dict[str, list[str]]]] = {"verb": {}, "noun": {}}
    for pos, lemma in sorted(needed):
        upos = pos.upper()
        table = lemminflect.getAllInflections(lemma, upos=upos) or lemminflect.getAllInflectionsOOV(lemma, upos=upos)
        forms = {tag: sorted({f.lower() for f in fs}) for tag, fs in table.items()}
        base = "VB" if pos == "verb" else "NN"
        forms[base] = sorted({*forms.get(base, []), lemma})
        out[pos][lemma] = dict(sorted(forms.items()))
    return out


@lru_cache(maxsize=1)
def _stored_inflections() -> dict[str, dict[str, dict[str, list[str]]]]:
    with path(INFLECTIONS_FILE).open(encoding="utf-8") as f:
        return json.load(f)


def expand(pattern: str, inflections: dict[str, dict[str, dict[str, list[str]]]]) -> str:
    """`pattern` with each placeholder replaced by an alternation of the forms it selects (longest
    first); a lemma missing from `inflections` is inflected now (lemminflect; slow, only when the data
    file is stale)."""

    def forms(m: re.Match[str]) -> str:
        lemma, sels = m.group(1), _selectors(m.group(2))
        pos = _pos(sels)
        table = inflections.get(pos, {}).get(lemma)
        if table is None:
            table = compute_inflections([(pos, lemma)])[pos][lemma]
        words = {w for s in sels for tag in _TAGS[s] for w in table.get(tag, [])}
        return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"

    return PLACEHOLDER.sub(forms, pattern)


@lru_cache(maxsize=1)
def load() -> Lexicon:
    table = load_toml("events.toml")
    inflections = _stored_inflections()
    rules = tuple(
        TriggerRule(
            event_type=entry["event_type"],
            tactic=entry["tactic"] or None,
            form=entry["form"],
            pattern=re.compile(r"\b(?:" + "|".join(expand(p, inflections) for p in entry_patterns(entry)) + r")\b",
                               re.IGNORECASE),
            order=i,
        )
        for i, entry in enumerate(table["trigger"])
    )
    cfg = table["rules"]
    modal = re.compile(r"\b(?:" + "|".join(cfg["modal_cues"]) + r")\b")
    defaults = {k: (v[0], v[1]) for k, v in cfg["default_actor"].items()}
    scanner = Scanner([rule.pattern for rule in rules], k=_TRIGGER_PREFIX)
    return Lexicon(rules, modal, int(cfg["history_days"]), defaults, scanner, _modal_between(cfg["modal_cues"]),
                   fatality_lead(cfg.get("fatality_cues", []), cfg.get("figure_qualifiers", [])),
                   reference_lead(cfg.get("reference_cues", [])), kin_lead(cfg.get("kin_cues", [])),
                   cue_start(cfg.get("reference_cues", []) + cfg.get("kin_cues", [])))


def cue_start(cues: list[str]) -> re.Pattern[str] | None:
    """Where the cues of `reference_lead` and `kin_lead` may begin: every match of those begins with one."""
    return prefix_test([re.compile(rf"\b(?:{cue})", re.IGNORECASE) for cue in cues]) if cues else None


def kin_lead(cues: list[str]) -> re.Pattern[str] | None:
    """"families of people " + "killed": a kin cue and "of", then at most three words, before a trigger."""
    if not cues:
        return None
    return re.compile(rf"\b(?:{'|'.join(cues)})\s+of(?:\s+[\w’'-]+){{0,3}}\s+$", re.IGNORECASE)


def reference_lead(cues: list[str]) -> re.Pattern[str] | None:
    """A pattern that matches at the end of the text before a trigger when a reference cue stands at most
    five words before it ("... to condemn the suicide " + "bombing"), none of them starting a verb phrase
    of its own (`_NEW_VERB`)."""
    if not cues:
        return None
    return re.compile(rf"\b(?:{'|'.join(cues)})(?:\s+(?!{_NEW_VERB}\b)[\w’'-]+){{0,5}}\s+$", re.IGNORECASE)


# A word that starts a new verb phrase between a cue and a trigger: "a man involved in the protests was
# arrested" tells the arrest (the cue's object ends before "was").
_NEW_VERB = "(?-i:was|were|is|are|has|have|had|been|be|being|and|but|who|which|that)"  # lower case: "IS" is a name


def fatality_lead(cues: list[str], qualifiers: list[str]) -> re.Pattern[str] | None:
    """A pattern that matches at the end of the text before a figure when a cue (and perhaps a
    qualifier) leads to it: search it with `endpos` at the figure's start."""
    if not cues:
        return None
    qualified = rf"(?:(?:{'|'.join(qualifiers)})\s+)?" if qualifiers else ""
    return re.compile(rf"\b(?:{'|'.join(cues)})\s+{qualified}$", re.IGNORECASE)


_TOP_LEVEL_BAR = re.compile(r"\\.|[()|]")  # an escape, a bracket or a bar (`_plain_head`)


def _plain_head(cue: str) -> bool:
    """Whether `cue` opens with a letter that stands for itself (no quantifier after it) and has no
    `|` outside brackets (a character class counts as outside: cues have none)."""
    if not (cue[:1].isascii() and cue[:1].isalpha()) or cue[1:2] in ("?", "*", "+", "{") or "[" in cue:
        return False
    depth = 0
    for m in _TOP_LEVEL_BAR.finditer(cue):
        token = m.group()
        if token == "|" and depth == 0:
            return False
        depth += {"(": 1, ")": -1}.get(token, 0)
    return True


def _modal_between(cues: list[str]) -> re.Pattern[str] | None:
    """`\\b(?:cues)\\b` for a yes/no search, written `[^\\w](?:c(?:ould|alled for)|w(?:ill|ould))\\b`
    to run over " " + the text: about twice as fast, for a test made for every trigger.

    The same answer when every cue opens with a plain letter (`_plain_head`): a match then opens with a
    word character, so the `\\b` before it is the non-word character (or the added space) before it; the
    engine stops only there, not at every position; and there it tries the cues by their first letter
    instead of one by one. (Which cue matches first may differ; whether one matches does not.)"""
    if not cues or not all(_plain_head(c) for c in cues):
        return None
    by_letter: dict[str, list[str]] = {}
    for cue in cues:
        by_letter.setdefault(cue[0], []).append(cue[1:])
    body = "|".join(f"{letter}(?:{'|'.join(rests)})" for letter, rests in sorted(by_letter.items()))
    return re.compile(rf"[^\w](?:{body})\b")


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
