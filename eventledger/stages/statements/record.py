"""What is recorded of a speaker (statements stage): the outlet, date and quotation, the speaker's class;
what is no statement (rulings, news relayed); one statement per speaker and date."""

from __future__ import annotations

import re
from dataclasses import replace

from eventledger.models import Sentence, Statement
from eventledger.stages.actors import actor_class
from eventledger.stages.statements.candidates import Said
from eventledger.stages.statements.document import Doc
from eventledger.stages.statements.names import Name
from eventledger.stages.statements.speakers import (
    actor_class_in,
    cue_class,
    earlier_hint,
    earlier_persons,
    is_outlet,
    names_outlet,
    outlet_name,
    recorded_speaker,
    speaker_context,
    surface_of,
)

_DATE_ROLES_SKIPPED = frozenset({"since", "until", "range"})


def _is_ruling(doc: Doc, said: Said) -> bool:
    """A court condemning or declaring ("the provincial court declared him guilty"): a
    ruling, which the events stage records, not a statement."""
    words = said.speaker.name.lower().split()
    return bool(words) and words[-1] in doc.lex.ruling_bodies and said.verb in doc.lex.ruling_verbs


def _introduced_outlet(doc: Doc, s: Sentence, names: list[Name]) -> str | None:
    """"told the state-run Resalat daily", "in an interview with IRNA"."""
    for m in doc.lex.introducer.finditer(doc.text, s.start, s.end):
        n = next((n for n in names if n.run_start >= m.end() and n.name[:1].isupper()), None)
        lead = doc.text[m.end():n.start] if n else ""
        if n is None or doc.quotes.covers(m.start()) or not doc.lex.outlet_prefix.match(lead):
            continue
        if n.kind == "body" and is_outlet(doc, n):
            return outlet_name(doc, n)
        if lead.strip() or doc.lex.outlet_suffix.match(doc.text, n.end):
            return n.name
    return None


def _venue(doc: Doc, s: Sentence) -> str | None:
    for m in doc.lex.venue.finditer(doc.text, s.start, s.end):
        if not doc.quotes.covers(m.start()):
            return doc.lex.venue_of.get(re.sub(r"\s+", " ", m.group().lower()))
    return None


def _outlet(doc: Doc, s: Sentence, said: Said, names: list[Name]) -> str | None:
    own = outlet_name(doc, said.speaker)
    return said.outlet or own or _introduced_outlet(doc, s, names) or _venue(doc, s)


def _date(doc: Doc, s: Sentence, said: Said) -> str | None:
    dates = [d for d in doc.dates_in(s.start, s.end)
             if d.date_start and d.precision == "day" and d.role not in _DATE_ROLES_SKIPPED
             and not doc.quotes.covers(d.start)]
    if not dates:
        return None
    nearest = min(dates, key=lambda d: max(d.start - said.end, said.at - d.end, 0))
    return nearest.date_start.isoformat() if nearest.date_start else None


def _quote_span(doc: Doc, s: Sentence, said: Said) -> tuple[int, int] | None:
    """The quotation a speaker is credited with: one introduced after the verb ("said: '...'"), else
    the one just before the speaker ("'...,' said X"), else the next one in the sentence."""
    after = [q for q in doc.quotes.spans if said.end <= q[0] < s.end - 1]
    if after and (":" in doc.text[said.end:after[0][0]] or after[0][0] - said.end <= 3):
        return after[0]
    near = min(said.at, said.speaker.run_start)
    before = [q for q in doc.quotes.spans if s.start < q[1] and near - 4 <= q[1] <= near]
    return before[-1] if before else (after[0] if after else None)


def _quote(doc: Doc, s: Sentence, said: Said) -> str | None:
    q = _quote_span(doc, s, said)
    if q is None:
        return None
    raw = doc.analysis.report.text
    end = q[1] - 1 if raw[q[1] - 1] in "”\"" and q[1] - 1 > q[0] else q[1]
    return raw[q[0] + 1:end].rstrip(" ,") or None


def _own_words(doc: Doc, s: Sentence, said: Said) -> bool:
    """Whether a quotation gives the speaker's words: one right after the verb ("reported: '...'") or
    right before the speaker ("'...,' IRNA reported"), not one quoted inside what it relays."""
    after = next((q for q in doc.quotes.spans if said.end <= q[0] < s.end - 1), None)
    if after and (":" in doc.text[said.end:after[0]] or after[0] - said.end <= 3):
        return True
    near = min(said.at, said.speaker.run_start)
    return any(s.start < q[1] and near - 4 <= q[1] <= near for q in doc.quotes.spans)


def _relays(doc: Doc, said: Said) -> bool:
    """An outlet or a monitor passing on news ("IRNA reported that", "the daily wrote that"), with no
    words of its own quoted: the source the news was reported by, not a speaker."""
    n, lex, verb = said.speaker, doc.lex, said.verb
    if verb in lex.relay_verbs:
        return (n.actor is not None and n.actor.reporter) or names_outlet(doc, n)
    return verb in lex.news_verbs and names_outlet(doc, n)


def _speaker_class(doc: Doc, s: Sentence, said: Said, speaker: str, outlet: str | None) -> str:
    n = said.speaker
    if n.kind == "body":
        known = n.actor.actor_class if n.actor else (cue_class(doc, speaker) or actor_class(speaker))
        prefix = doc.lex.state_prefix.search(doc.text, max(s.start, n.run_start - 40), n.run_start)
        return "state" if prefix and known == "unknown" else known
    context = speaker_context(doc, s, n)
    found = cue_class(doc, context) or actor_class_in(doc, context) or earlier_hint(doc, speaker, s.start)
    if found:
        return found
    return "state" if outlet and actor_class(outlet) == "state" and said.outlet else "unknown"


def _confidence(quote: str | None, date: str | None, n: Name) -> float:
    score = 0.6 + (0.1 if quote else 0.0) + (0.1 if date else 0.0)
    return round(score + (0.1 if " " in n.name or n.kind == "body" else 0.0), 2)


def build_statement(doc: Doc, s: Sentence, said: Said, names: list[Name]) -> Statement | None:
    speaker = recorded_speaker(doc, s, said.speaker)
    if speaker is None:
        return None
    outlet = _outlet(doc, s, said, names)
    if said.speaker.kind == "person":
        doc.persons.add(speaker)
    speaker_class, date = _speaker_class(doc, s, said, speaker, outlet), _date(doc, s, said)
    quote = _quote(doc, s, said)
    if _is_ruling(doc, said) or (_relays(doc, said) and not _own_words(doc, s, said)):
        return None
    return Statement(
        doc=doc.analysis.report.doc, speaker=speaker, speaker_class=speaker_class, date=date, outlet=outlet,
        quote=quote, evidence=s.text, evidence_start=s.start, evidence_end=s.end,
        confidence=_confidence(quote, date, said.speaker),
    )


def _same_speaker(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or (" " not in a and b.split()[-1] == a) or (" " not in b and a.split()[-1] == b)


def add_statement(doc: Doc, statement: Statement) -> None:
    """Keep one statement per speaker and date; an undated one is a continuation (or is dated later)."""
    same = [i for i, o in enumerate(doc.out) if _same_speaker(o.speaker, statement.speaker)]
    if any(doc.out[i].date == statement.date for i in same) or (same and statement.date is None):
        return
    undated = next((i for i in same if doc.out[i].date is None), None)
    if undated is None:
        doc.out.append(statement)
    else:
        doc.out[undated] = statement


def resolve_later(doc: Doc, statement: Statement) -> Statement:
    """A bare surname spoken before the full name appears: resolve it (and its class) from the whole report."""
    if " " in statement.speaker or statement.speaker not in doc.persons:
        return statement
    longer = [p for p in earlier_persons(doc, statement.speaker, len(doc.text)) if " " in p.name]
    if not longer:
        return statement
    full = surface_of(doc, longer[-1])
    known = statement.speaker_class if statement.speaker_class != "unknown" else None
    hint = known or earlier_hint(doc, longer[-1].name, len(doc.text))
    return replace(statement, speaker=full, speaker_class=hint or "unknown")
