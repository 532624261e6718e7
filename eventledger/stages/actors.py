"""Actors: who is named in a text, normalised and classed, from `data/actors.toml`.

`find_actors(text)` returns every actor mention in order, with anaphora ("these units",
"the network", "they") resolved to the actor named last before them. `lookup(phrase)` and
`actor_class(name)` classify a single name (a speaker, a claimant).

Aliases of up to four letters ("MEK", "IRGC", "UN") match only as written in capitals, so
that ordinary words ("un-", "us") never match; longer aliases match in any case.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from eventledger.data import load_toml
from eventledger.stages.scan import Alternation, lowered, trie_nodes, trie_pattern

ACTORS_ENV = "EVENTLEDGER_ACTORS"
_SHORT = 4
_PLURAL_POSSESSIVE = re.compile(r"['’]\s+\w")  # "the prisoners’ families"
# A name followed by one of these is a street or a building named after it, not the actor.
_NAMED_PLACE = re.compile(
    r"\s+(?:Street|St\.|Boulevard|Blvd\.?|Square|Avenue|Ave\.?|Road|Highway|Expressway|Alley|Lane|Bridge|"
    r"Hospital|Stadium|Park|Metro|Station)\b")


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    actor_class: str
    reporter: bool = False  # a news outlet or monitoring group: it reports acts, it does not do them


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    surface: str
    actor: Actor
    anaphoric: bool = False
    possessive: bool = False  # "the regime's forces": the actor owns the thing, it does not act


@dataclass(frozen=True)
class ActorIndex:
    by_alias: dict[str, Actor]
    names: Alternation  # long aliases and anaphora, any case
    short_names: Alternation  # short aliases, as written in capitals
    anaphora: frozenset[str]
    tries: _Tries | None = None  # the same two searches, faster (None: they cannot be written so)


@dataclass(frozen=True)
class _Tries:
    """`names` and `short_names` as two trie-shaped patterns, which `_raw_mentions` runs with one
    `finditer` each: several times faster than trying a 300-name alternation word by word.

    A trie gives what the longest-first alternation gives: the names that match at a position are
    prefixes of one another, and its greedy optional tails try the longest first, backing off to a
    shorter name when the tail does not hold. What makes the `re` engine fast is a pattern that opens
    with a set of characters, so that it can skip to the positions where a match may begin:

    - `names` runs, case-sensitive, over " " + the lower-cased text (`scan.lowered`; IGNORECASE would stop
      the skipping) and opens with the character before the name, `[^\\w/]` (the head's look-behind,
      consumed), so that it stops only between words; the name is group 1. Consuming that character
      loses no match because every long name ends with a word character (`_tries` checks).
    - `short_names` runs over the text as written and opens with a capital; the look-behind follows
      it (`U(?<![\\w/]U)N`)."""

    names: re.Pattern[str] | None
    short_names: re.Pattern[str] | None


def _read(path: Path | None) -> dict:
    if path is None:
        return load_toml("actors.toml")
    return tomllib.loads(path.read_text("utf-8"))


def _alternation(phrases: list[str], flags: int) -> Alternation:
    """The phrases as one pattern, longest first, white space flexible, bounded by anything but
    a word character or a slash."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return Alternation([re.escape(p).replace(r"\ ", r"\s+") for p in ordered],
                       head=r"(?<![\w/])", tail=r"(?![\w/])", flags=flags)


_SPACE = r"\s+"  # a space in a name matches any white space
_BOUNDARY = r"[\w/]"  # what may not touch a name on either side


def _names_search(phrases: list[str]) -> re.Pattern[str] | None:
    """See `_Tries.names`; None for no phrases."""
    body = trie_pattern(trie_nodes(set(phrases)), space=_SPACE)
    return re.compile(rf"[^\w/]({body})(?!{_BOUNDARY})") if body else None


def _short_names_search(phrases: list[str]) -> re.Pattern[str] | None:
    """See `_Tries.short_names`; None for no phrases."""
    branches = [f"{re.escape(ch)}(?<!{_BOUNDARY}{re.escape(ch)}){trie_pattern(child, space=_SPACE)}"
                for ch, child in sorted(trie_nodes(set(phrases)).items()) if ch]
    return re.compile("(?:" + "|".join(branches) + f")(?!{_BOUNDARY})") if branches else None


def _tries(long_aliases: list[str], short_aliases: list[str]) -> _Tries | None:
    """The fast searches, when the names allow them: ASCII (see `scan.lowered`), long ones lower-case and
    ending with a word character, short ones not opening with a space; else None."""
    if not all(p.isascii() for p in [*long_aliases, *short_aliases]):
        return None
    if any(p != p.lower() or not re.search(r"\w$", p) for p in long_aliases):
        return None
    if any(p[:1].isspace() for p in short_aliases):
        return None
    return _Tries(_names_search(long_aliases), _short_names_search(short_aliases))


def _is_short(alias: str) -> bool:
    return len(alias) <= _SHORT and alias.replace(".", "").isalpha()


@lru_cache(maxsize=4)
def load(path: str | None = None) -> ActorIndex:
    """The actor index from the packaged file plus, if set, the user's file."""
    tables = [_read(None)]
    extra = path or os.environ.get(ACTORS_ENV)
    if extra:
        tables.append(_read(Path(extra)))
    by_alias: dict[str, Actor] = {}
    anaphora: set[str] = set()
    for table in tables:
        for entry in table.get("actor", []):
            actor = Actor(entry["name"], entry["class"], bool(entry.get("reporter", False)))
            for alias in [entry["name"], *entry.get("aliases", [])]:
                by_alias[alias.lower()] = actor
        anaphora.update(p.lower() for p in table.get("anaphora", {}).get("phrases", []))
    long_aliases = [a for a in by_alias if not _is_short(a)] + sorted(anaphora)
    short_aliases = [a.upper() for a in by_alias if _is_short(a)]
    return ActorIndex(by_alias, _alternation(long_aliases, re.IGNORECASE), _alternation(short_aliases, 0),
                      frozenset(anaphora), _tries(long_aliases, short_aliases))


_SPACES = re.compile(r"\s+")
_THE = re.compile(r"^the ")
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")


@lru_cache(maxsize=4096)  # the surfaces of names repeat (a few hundred names, a few spellings each)
def _norm(phrase: str) -> str:
    s = _SPACES.sub(" ", phrase.strip().lower())
    s = _THE.sub("", s)
    return _POSSESSIVE_END.sub("", s)


def lookup(phrase: str, *, index: ActorIndex | None = None) -> Actor | None:
    """The actor a phrase names, or None. Tries the whole phrase, then its longest known part."""
    index = index or load()
    key = _norm(phrase)
    if key in index.by_alias:
        return index.by_alias[key]
    hits = [m for m in _raw_mentions(phrase, index) if m[2].lower() not in index.anaphora]
    if not hits:
        return None
    _start, _end, surface = max(hits, key=lambda m: m[1] - m[0])
    return index.by_alias.get(_norm(surface))


def actor_class(name: str | None) -> str:
    """The actor class of a name ("Fars News" -> state); "unknown" when not in the dictionary."""
    actor = lookup(name) if name else None
    return actor.actor_class if actor else "unknown"


def _raw_mentions(text: str, index: ActorIndex) -> list[tuple[int, int, str]]:
    low = lowered(text) if index.tries is not None else None
    if index.tries is not None and low is not None:
        long, short = _trie_mentions(text, low, index.tries)
        if not short or not long:  # the matches of one `finditer`: in order and apart already
            return long or short
        found = long + short
    else:
        low = text.lower()
        found = [(m.start(), m.end(), m.group())
                 for names in (index.names, index.short_names) for m in names.finditer(text, low)]
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out: list[tuple[int, int, str]] = []
    for m in found:
        if not out or m[0] >= out[-1][1]:
            out.append(m)
    return out


_Raw = list[tuple[int, int, str]]  # (start, end, surface) of names


def _trie_mentions(text: str, lowered: str, tries: _Tries) -> tuple[_Raw, _Raw]:
    """The matches of the long names and of the short names, each list in text order."""
    long = [] if tries.names is None else [
        (a - 1, b - 1, text[a - 1:b - 1]) for a, b in (m.span(1) for m in tries.names.finditer(" " + lowered))]
    short = [] if tries.short_names is None else [
        (m.start(), m.end(), m.group()) for m in tries.short_names.finditer(text)]
    return long, short


def _same_phrase(previous: ActorMention, actor: Actor, start: int, text: str, offset: int) -> bool:
    """Whether a state actor's name follows another's after one space, in one noun phrase ("IRGC
    intelligence agents", "police security forces"): the second names the same body, less precisely."""
    return (previous.end + 1 == start and not previous.anaphoric and actor.actor_class == "state"
            and previous.actor.actor_class == "state" and text[previous.end - offset] == " ")


def find_actors(text: str, *, offset: int = 0, index: ActorIndex | None = None) -> list[ActorMention]:
    """Every actor mention in `text` (offsets shifted by `offset`), anaphora resolved."""
    index = index or load()
    out: list[ActorMention] = []
    last: Actor | None = None
    for start, end, surface in _raw_mentions(text, index):
        after = text[end:end + 1]  # both patterns below need a certain next character: test it first
        if after.isspace() and _NAMED_PLACE.match(text, end):
            continue
        key = _norm(surface)
        if key in index.anaphora or surface.lower() in index.anaphora:
            if last is None or (key == "they" and last.actor_class == "state"):
                continue
            out.append(ActorMention(start + offset, end + offset, surface, last, True))  # anaphoric
            continue
        actor = index.by_alias.get(key)
        if actor is None:
            continue
        if out and _same_phrase(out[-1], actor, start + offset, text, offset):
            continue  # "IRGC intelligence agents": one state actor, named by its first words
        possessive = text.startswith(("'s", "’s"), end) or (
            after in ("'", "’") and bool(_PLURAL_POSSESSIVE.match(text, end)))
        # positional (anaphoric False): keywords cost more than half again as much, for every mention
        out.append(ActorMention(start + offset, end + offset, surface, actor, False, possessive))
        last = actor
    return out
