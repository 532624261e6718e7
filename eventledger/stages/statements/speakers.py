"""Who a name in a report is (statements stage): an outlet, a silent body, a place, a proper name; the
full name of a bare surname; what the text says of a person (their class)."""

from __future__ import annotations

import re

from eventledger.models import Sentence
from eventledger.stages.actors import find_actors
from eventledger.stages.scan_statements import (
    after_lowercase,
    standalone,
    written_as_outlet,
)
from eventledger.stages.statements.document import Doc
from eventledger.stages.statements.names import Name, person_of

MEMBER_OF = re.compile(r"\s+(?:of|from|at)\s+(?:the\s+)?")  # "X of the Y": a person and the body they speak for

_TAIL_OF = re.compile(r"\b([A-Z][\w'’-]*)\s+(?:of|for)\s+(?:the\s+)?$")  # "Ministry of " before a name

_APPOSITIVE = re.compile(r"\s*(?:\([^)]*\))?\s*,\s*([^,;“”\"]{1,100})")

_MEMBER_OF_BODY = re.compile(rf"((?:{MEMBER_OF.pattern})[A-Z][^,;“”\"]{{1,60}})")  # "X of Amnesty International"


def is_outlet(doc: Doc, n: Name) -> bool:
    """A newspaper, an agency or a website, by the actor dictionary or the outlet vocabulary."""
    if n.actor is not None and n.actor.name in doc.lex.media_actors:
        return True
    if doc.lex.known_outlet.fullmatch(n.name) or doc.lex.media_word.search(n.name):
        return True
    return bool(doc.lex.outlet_suffix.match(doc.text, n.end))


def surface_of(doc: Doc, n: Name) -> str:
    """A name as the report writes it (typographic apostrophes kept)."""
    return doc.analysis.report.text[n.start:n.end]


def outlet_name(doc: Doc, n: Name) -> str | None:
    if n.kind != "body" or not is_outlet(doc, n):
        return None
    return doc.lex.outlet_strip.sub("", surface_of(doc, n))


def names_outlet(doc: Doc, n: Name) -> bool:
    """Whether a name is a newspaper's, an agency's or a website's: as `is_outlet` for a body, or one
    the report writes with such a noun after it ("Nur-e Sahar newspaper") anywhere."""
    if n.kind == "body" and is_outlet(doc, n):
        return True
    if n.name not in doc.outlets:
        doc.outlets[n.name] = written_as_outlet(doc.text, n.name, doc.lex.outlet_nouns)
    return doc.outlets[n.name]


def is_silent(doc: Doc, n: Name) -> bool:
    """Bodies that act but do not speak on the record here: crowds, networks, the publisher itself."""
    if n.actor is None:
        return False
    lex = doc.lex
    if n.actor.actor_class in lex.silent_classes or n.actor.name in lex.silent_actors or n.actor == doc.publisher:
        return True
    return doc.publisher is None and n.actor.actor_class == "opposition"


def recorded_speaker(doc: Doc, s: Sentence, n: Name) -> str | None:
    """The speaker as recorded: a full name (bare surnames resolved), or a body's name."""
    if n.kind == "body":
        if is_silent(doc, n) or not is_proper(doc, n.name) or _is_site(doc, n):
            return None
        return outlet_name(doc, n) or surface_of(doc, n)
    if n.name.lower() in doc.lex.names.pronouns or _is_place(doc, n) or (" " not in n.name and _is_name_tail(doc, n)):
        return None
    if " " in n.name:
        return surface_of(doc, n)
    longer = [p for p in earlier_persons(doc, n.name, s.start) if " " in p.name]
    if longer:
        return surface_of(doc, longer[-1])
    return surface_of(doc, n) if _is_name_word(doc, s, n) else None


def _is_site(doc: Doc, n: Name) -> bool:
    """A body named as a place ("Blue Mosque", "Gilan Province") or by one bare organisation word
    ("the Office", "the Bureau"): not one that speaks on the record."""
    words = n.name.lower().split()
    if not words:
        return False
    if n.actor is not None:  # "the Chief Prosecutor": a lone role word names no one; "the Chief of the Bureau"
        lone_role = words[0] in doc.lex.names.titles and words[0] not in doc.lex.names.org_words
        return len(words) == 1 and (lone_role or _is_name_tail(doc, n))
    if _is_name_tail(doc, n):
        return True
    return words[-1] in doc.lex.site_words or (len(words) == 1 and words[0] in doc.lex.names.org_words)


def _is_name_tail(doc: Doc, n: Name) -> bool:
    """The end of a longer name ("Ministry of Labour", "the Chief of the Bureau", "Council for
    Civil Liberties"): a run after "of" or "for" that follows a title or organisation word."""
    m = _TAIL_OF.search(doc.text, max(0, n.run_start - 40), n.run_start)
    vocab = doc.lex.names
    return m is not None and (m.group(1).lower() in vocab.titles or m.group(1).lower() in vocab.org_words)


def _is_name_word(doc: Doc, s: Sentence, n: Name) -> bool:
    """A lone capitalised word opening a sentence ("Lawyers said") is a name only if the report also
    capitalises it mid-sentence."""
    if doc.text[s.start:n.run_start].strip():
        return True
    return any(after_lowercase(doc.text, i) for i in standalone(doc.text, n.name, overlapping=True))


def is_proper(doc: Doc, name: str) -> bool:
    """A proper name, not a generic one ("Tasnim news agency", "IRNA"; not "state media", "Iranian officials")."""
    words = [w for w in name.split() if w not in ("The", "A", "An")]
    return any(w[:1].isupper() and w.lower() not in doc.lex.names.not_names and w.lower() not in doc.lex.names.countries
               for w in words)


def _is_place(doc: Doc, n: Name) -> bool:
    """A name that the places or dates stages read as a place or a date ("Tehran said", "on Friday")."""
    dates = doc.dates_in(n.start - 60, n.end)
    return doc.overlaps_place(n.start, n.end) or any(d.start < n.end and n.start < d.end for d in dates)


def speaker_context(doc: Doc, s: Sentence, n: Name) -> str:
    """A name's titles, the words just before it and its appositive: what says who the speaker is."""
    return _description(doc, n, s.start, s.end)


def _description(doc: Doc, n: Name, lo: int, hi: int) -> str:
    """What the text between `lo` and `hi` says of a name in it: titles, the words before it, appositive."""
    before = _lead(doc.text, max(lo, n.run_start - 40), min(n.start, hi))
    m = _APPOSITIVE.match(doc.text, n.end, hi) or _MEMBER_OF_BODY.match(doc.text, n.end, hi)
    appositive = doc.lex.speech.split(m.group(1))[0] if m else ""
    return " ".join([*n.titles, before, appositive])


def _lead(text: str, start: int, end: int) -> str:
    """`text[start:end]` (up to 40 characters before a name) from its last sentence or quotation mark on."""
    lead = text[start:end]
    return lead[max(lead.rfind(c) for c in ".!?;:“”\"") + 1:]


def actor_class_in(doc: Doc, context: str) -> str | None:
    """The class of the first organised actor named in a speaker's description ("director of IHR")."""
    classes = [m.actor.actor_class for m in find_actors(context) if not m.anaphoric]
    return next((c for c in classes if c not in doc.lex.silent_classes), None)


def cue_class(doc: Doc, context: str) -> str | None:
    return next((c for c, pattern in doc.lex.cues.items() if pattern.search(context)), None)


def earlier_persons(doc: Doc, name: str, before: int) -> list[Name]:
    """Persons named before offset `before` whose name ends with `name` (a surname or a full name)."""
    return [p for p, _ in _mentions(doc, name) if p.start < before]


def _mentions(doc: Doc, name: str) -> list[tuple[Name, str]]:
    """Every person in the report whose name ends with `name`, with what the text says of them (cached)."""
    name = name.replace("’", "'")
    if name not in doc.earlier:
        found = []
        for hit in standalone(doc.text, name):
            for m in doc.lex.names.run.finditer(doc.text, max(0, hit - 80), hit + len(name) + 40):
                person = person_of(m, doc.lex.names) if m.start() <= hit < m.end() else None
                if person and person.name.endswith(name) and not _is_place(doc, person):
                    found.append((person, _description(doc, person, 0, len(doc.text))))
        doc.earlier[name] = found
    return doc.earlier[name]


def earlier_hint(doc: Doc, name: str, before: int) -> str | None:
    """What earlier mentions of a person say about them ("the regime's Supreme Leader Ali Khamenei")."""
    found = (cue_class(doc, text) for person, text in _mentions(doc, name) if person.start < before)
    return next((c for c in found if c), None)
