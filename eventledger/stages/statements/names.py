"""Who a sentence names (statements stage): persons and bodies, from the actor dictionary, the known
outlets and capitalised runs (`shared.read_run`), outside quotations."""

from __future__ import annotations

import re
from operator import attrgetter
from typing import NamedTuple

from eventledger.models import Sentence
from eventledger.stages.actors import Actor
from eventledger.stages.scan_statements import Quotes
from eventledger.stages.shared import Names, person_in_run, read_run, sentence_actors
from eventledger.stages.statements.lexicon import Lexicon

_START = attrgetter("start")

_LEADING_THE = re.compile(r"^(?:the|The)\s+")


class Name(NamedTuple):  # a named tuple: many are made, and one is made faster than a frozen dataclass
    """A name in a sentence: a person or a body (absolute offsets)."""

    start: int  # of the name proper (titles excluded)
    end: int
    name: str
    run_start: int  # of the whole run (titles included)
    titles: tuple[str, ...] = ()
    kind: str = "person"  # person | body
    actor: Actor | None = None


def person_of(m: re.Match[str], vocab: Names) -> Name | None:
    """The person a capitalised run (`m`, a match of `vocab.run`) names, if any."""
    found = person_in_run(m.group(), vocab)
    if found is None:
        return None
    a, name, titles = found
    return Name(start=m.start() + a, end=m.start() + a + len(name), name=name, run_start=m.start(), titles=titles)


def _actor_names(text: str, s: Sentence) -> list[Name]:
    out = []
    for mention in sentence_actors(text[s.start:s.end], s.start):
        if mention.anaphoric:
            continue
        surface = mention.surface
        if surface.startswith(("the", "The")):  # (`_LEADING_THE` needs one of them: no search for the rest)
            surface = _LEADING_THE.sub("", surface)
        start = mention.end - len(surface)
        out.append(Name(start=start, end=mention.end, name=surface, run_start=mention.start, kind="body",
                        actor=mention.actor))
    return out


def _known_outlets(text: str, s: Sentence, lex: Lexicon, actors: list[Name]) -> list[Name]:
    found = [m for m in lex.known_outlet.finditer(text, s.start, s.end)]
    return [Name(start=m.start(), end=m.end(), name=m.group(), run_start=m.start(), kind="body") for m in found
            if not any(a.start <= m.start() < a.end for a in actors)]


def sentence_names(text: str, s: Sentence, lex: Lexicon, quotes: Quotes) -> list[Name]:
    """Every person and body named in sentence `s` outside quotations, in text order."""
    actors = _actor_names(text, s)
    actors += _known_outlets(text, s, lex, actors)
    names = _without_overlaps(actors, _run_names(text, s, lex))
    if quotes.may_cover(s.start, s.end):
        names = [n for n in names if not quotes.covers(n.start)]
    return sorted(names, key=_START)


def _run_names(text: str, s: Sentence, lex: Lexicon) -> list[Name]:
    """The persons and bodies the capitalised runs of sentence `s` name (offsets made absolute)."""
    out = []
    vocab = lex.names
    for m in vocab.run.finditer(text, s.start, s.end):
        found = read_run(m.group(), vocab)
        if found is not None:
            a, name, titles, kind = found
            start = m.start() + a
            out.append(Name(start=start, end=start + len(name), name=name, run_start=start - a, titles=titles,
                            kind=kind))
    return out


def _without_overlaps(actors: list[Name], runs: list[Name]) -> list[Name]:
    """Dictionary actors and capitalised runs, one per stretch of text: a longer body run wins over an
    actor inside it ("Islamic Republic News Agency"); an actor in a person's titles goes ("U.S. Vice
    President X"); otherwise the actor wins."""
    if not actors or not runs:
        return [*actors, *runs]
    longer = [r for r in runs if r.kind == "body" and any(_contains(r, a) and a.end - a.start < r.end - r.start
                                                          for a in actors)]
    actors = [a for a in actors if not any(_contains(r, a) for r in longer)]
    runs = [r for r in runs if r in longer or not any(a.start < r.end and r.start < a.end for a in actors)]
    titled = [(r.run_start, r.start) for r in runs if r.kind == "person" and r.run_start < r.start]
    return [*(a for a in actors if not any(x <= a.start < y for x, y in titled)), *runs]


def _contains(outer: Name, inner: Name) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end
