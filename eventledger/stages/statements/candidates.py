"""Who speaks in a sentence (statements stage): the subject of a speech verb, the name after an inverted
verb ('"...," said X'), the person an agency quotes, the owner of a speech noun ("X's remarks", "the
remarks of X", "according to X")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from eventledger.models import Sentence
from eventledger.stages.scan_statements import (
    may_end_noun_before,
    may_hold_noun_of,
    may_hold_possessive,
    may_speak_without_verb,
)
from eventledger.stages.statements.document import Doc
from eventledger.stages.statements.names import Name
from eventledger.stages.statements.speakers import MEMBER_OF, is_proper, is_silent, outlet_name

_PREPOSITIONS = frozenset({"of", "in", "from", "for", "at", "to", "on", "by", "with"})

_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+$")


# Before a name that completes a description: "the lawyer for ", "a neighbour of ", "a friend who visited "
_COMPLEMENT = re.compile(r"(?:(?<![\w'’-])[a-z][\w'’-]*\s+(?:of|for|with|against|from)\s+(?:the\s+)?"
                         r"|\b(?:who|whom)\s+[a-z][\w'’-]*\s+)$")


_CLOSING_QUOTE_BEFORE = re.compile(r"[”\"],?\s*$")

_END = attrgetter("end")


@dataclass(frozen=True, slots=True)
class Said:
    """A speaker and the words that make them one (absolute offsets)."""

    speaker: Name
    at: int
    end: int
    outlet: str | None = None
    verb: str = ""  # the speech verb, lower-cased, when a verb makes the speaker one


def _without_dates(doc: Doc, start: int, end: int) -> str:
    dates = doc.dates_in(start, end)
    if not dates:  # (most gaps)
        return doc.text[start:end]
    parts, pos = [], start
    for d in dates:
        if d.end <= end:
            parts.append(doc.text[pos:d.start])
            pos = d.end
    return "".join([*parts, doc.text[pos:end]])


def _subject(doc: Doc, names: list[Name], at: int) -> Name | None:
    """The name whose verb starts at `at`: the nearest before it with only an appositive or fillers between."""
    before = sorted((n for n in names if at - 160 <= n.end <= at), key=_END, reverse=True)  # (stable: as by -end)
    fits = (n for n in before if doc.lex.gap.match(_without_dates(doc, n.end, at))  # lazy: the first fit decides
            and not _is_complement(doc, n))
    n = next(fits, None)
    if n is not None and n.kind == "body" and "," in _without_dates(doc, n.end, at):
        # the end of an appositive: "X, one of the regime's officials, told", "X, head of the IRGC, said"
        person = next((p for p in fits if p.kind == "person"), None)
        if person is not None or is_silent(doc, n) or not is_proper(doc, n.name):
            return person
    if n is not None and n.kind == "body":  # "Hiba Morayef of Amnesty International warned": she speaks
        member = next((p for p in names if p.kind == "person" and p.end <= n.run_start
                       and MEMBER_OF.fullmatch(doc.text, p.end, n.run_start)), None)
        return member or n
    return n


def _is_complement(doc: Doc, n: Name) -> bool:
    """A person named inside another's description ("the lawyer for X", "a neighbour of X", "a friend
    who visited X"): not the subject of the verb that follows."""
    return n.kind == "person" and _COMPLEMENT.search(doc.text, max(0, n.run_start - 40), n.run_start) is not None


def _inverted(doc: Doc, names: list[Name], m: re.Match[str]) -> Name | None:
    """'"...," said former Minister X': the name right after a verb that follows a closing quote."""
    if not _CLOSING_QUOTE_BEFORE.search(doc.text[max(0, m.start() - 4):m.start()]):
        return None
    n = next((n for n in names if n.run_start >= m.end() and n.name[:1].isupper()), None)
    lead = doc.text[m.end():n.run_start] if n else ""
    return n if n and lead[:1].isspace() and _title_lead(lead) else None


def _title_lead(lead: str) -> bool:
    """Lowercase words that may precede a speaker's name ("the former", "judiciary spokesman"), but not
    ones that make the name a place ("the prosecutor of Marand")."""
    words = lead.split()
    return len(words) <= 4 and all(w[:1].islower() for w in words) and (not words or words[-1] not in _PREPOSITIONS)


def _sentence_subject(s: Sentence, names: list[Name], at: int) -> Name | None:
    first = next((n for n in names if n.kind == "person" and n.run_start < at), None)
    return first if first and first.run_start - s.start <= 30 else None


def _quoted(doc: Doc, s: Sentence, names: list[Name]) -> list[tuple[Said, tuple[int, int]]]:
    """'The agency quoted X, the ..., on May 5 as saying': X speaks, the agency is the outlet."""
    out = []
    for m in doc.lex.quoting.finditer(doc.text, s.start, s.end):
        tail = doc.lex.quoting_tail.search(doc.text, m.end(), s.end)
        speaker = next((n for n in names if m.end() <= n.run_start <= m.end() + 40 and n.name[:1].isupper()), None)
        lead = doc.text[m.end():speaker.run_start] if speaker else ""
        if tail is None or speaker is None or not _title_lead(lead):
            continue
        source = _subject(doc, names, m.start())
        said = Said(speaker=speaker, at=tail.start(), end=tail.end(),
                    outlet=outlet_name(doc, source) if source else None)
        out.append((said, (m.start(), tail.end())))
    return out


def speech_verbs(doc: Doc, s: Sentence, start: int) -> list[tuple[re.Match[str], bool]]:
    """The speech verbs and participles of sentence `s` outside quotations (participle or not), in that order.

    `start`: where the sentence's first `trigger` match starts; as every speech verb or participle
    is a trigger, none starts before it."""
    quoted = doc.quotes.may_cover(start, s.end)
    if doc.lex.verb is None:
        return [(m, participle) for pattern, participle in ((doc.lex.speech, False), (doc.lex.participle, True))
                for m in pattern.finditer(doc.text, start, s.end) if not (quoted and doc.quotes.covers(m.start()))]
    found = [m for m in doc.lex.verb.finditer(doc.text, start, s.end) if not (quoted and doc.quotes.covers(m.start()))]
    return [*((m, False) for m in found if m.lastgroup == "speech"),
            *((m, True) for m in found if m.lastgroup == "participle")]


def may_speak(doc: Doc, s: Sentence) -> bool:
    """Whether sentence `s`, which has no speech verb outside quotations, has a pattern that `_quoted` or
    `_noun_said` may read (`scan_statements.may_speak_without_verb`): where not, its names need no reading."""
    return may_speak_without_verb(doc.text, s.start, s.end, doc.lex.quoting, doc.lex.noun_of)


def _verb_said(doc: Doc, s: Sentence, names: list[Name], verbs: list[tuple[re.Match[str], bool]],
               covered: list[tuple[int, int]]) -> list[Said]:
    out = []
    for m, participle in verbs:
        if any(a <= m.start() < b for a, b in covered) or _not_spoken(doc, s, m):
            continue
        speaker = _inverted(doc, names, m) or _subject(doc, names, m.start())
        if speaker is None and participle:
            speaker = _sentence_subject(s, names, m.start())
            if speaker is not None and _ACCORDING_TO.search(doc.text, max(s.start, speaker.run_start - 20),
                                                            speaker.run_start):
                speaker = None  # "According to X, students ... calling for": X is a source, not the subject
        if speaker is not None:
            out.append(Said(speaker=speaker, at=m.start(), end=m.end(), verb=m.group().lower()))
    return out


def _not_spoken(doc: Doc, s: Sentence, m: re.Match[str]) -> bool:
    """A speech verb whose subject did not speak: passive ("the execution was announced", "he was told"),
    describing ("a teacher described as", "the verdict was announced as") or a sentence passed ("the court
    condemned him to death")."""
    text, lex = doc.text, doc.lex
    if lex.passive.search(text, max(s.start, m.start() - 60), m.start()):
        return True
    verb = m.group().lower()
    if verb in lex.as_passive and text.startswith(" as ", m.end()):
        return True
    if verb in lex.before_infinitive and text.startswith(" to ", m.end()):
        return True
    return verb in lex.sentencing_verbs and lex.sentencing.match(text, m.end(), s.end) is not None


def _noun_said(doc: Doc, s: Sentence, names: list[Name]) -> list[Said]:
    """"X's response", "the remarks of X", "according to X" (a person)."""
    persons = [n for n in names if n.kind == "person"]
    if not persons:
        return []
    text = doc.text
    # pre-tests (`scan_statements`), for the sentence once, then for each name's lead
    possessive = may_hold_possessive(text, s.start, s.end)
    noun_of: bool | None = None  # tested only when a lead may end as the patterns must: rarely
    out = []
    for n in persons:
        after = doc.lex.noun_after.match(text, n.end) if possessive else None
        if after:
            out.append(Said(speaker=n, at=after.start(), end=after.end()))
            continue
        before = text[max(s.start, n.run_start - 40):n.run_start]
        if not may_end_noun_before(before):
            continue
        if noun_of is None:
            noun_of = may_hold_noun_of(text, s.start, s.end, doc.lex.noun_of)
        if doc.lex.occasion.search(before):
            continue  # "during a sermon by X": an occasion, no words reported
        if noun_of and (doc.lex.noun_before.search(before) or (_ACCORDING_TO.search(before) and " " in n.name)):
            verb = "according to" if _ACCORDING_TO.search(before) else ""
            out.append(Said(speaker=n, at=n.run_start - 1, end=n.run_start, verb=verb))
    return out


def find_said(doc: Doc, s: Sentence, names: list[Name], verbs: list[tuple[re.Match[str], bool]]) -> list[Said]:
    """Every speaker the sentence makes one, in text order of the words that make them one."""
    quoted = _quoted(doc, s, names)
    covered = [span for _, span in quoted]
    said = [*(q for q, _ in quoted), *_verb_said(doc, s, names, verbs, covered), *_noun_said(doc, s, names)]
    return sorted(said, key=lambda x: x.at)
