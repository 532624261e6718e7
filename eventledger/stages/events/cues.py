"""The events stage's tests on wording: quotations, headings and list lines, modal and negated
triggers, acts referred to rather than told, places of origin, datelines, credits and reporters."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence

from eventledger.ingest.sources import load_registry
from eventledger.models import DateMention, PlaceMention, Report, Sentence
from eventledger.stages import lexicon as lex
from eventledger.stages import scan
from eventledger.stages.actors import ActorMention
from eventledger.stages.events.document import _EVENT_ROLES, _Doc
from eventledger.stages.scan import last_word

_QUOTE = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.MULTILINE)  # an unclosed quote runs to the line end


_SENTENCE_END = re.compile(r"[.!?:;…][\"”'’)\]]*\s*$")  # a closing quote alone ends a headline, not a sentence


_DATELINE_DASH = re.compile(r"\s*[—–-]")


_CREDIT_DASH = re.compile(r"\s+[—–]\s")  # "NCRI – ..." (`ingest.text` reads the credit the same way)


_CLAUSE_BREAK = re.compile(r"[,;:]\s")


_FUTURE_AFTER = re.compile(
    r"^\W*(?:\w+\s+){0,2}?(?:will|would|could|might|is to be|are to be|is planned|are planned|is scheduled|"
    r"are scheduled|planned for|scheduled for)\b", re.IGNORECASE)


def is_heading(sentence: Sentence, sentences_in_paragraph: int, text_line: bool = False) -> bool:
    """A headline, caption or link text: a lone line without sentence-final punctuation that text
    follows. A `text_line` is not one, however it ends: the last paragraph of a report (a note), or an
    entry of a list of such lines (`_lone_lines`)."""
    return sentences_in_paragraph == 1 and not text_line and not _SENTENCE_END.search(sentence.text)


def _quote_test(text: str) -> Callable[[int], bool]:
    """Whether a position of `text` is inside a quotation."""
    quotes = [m.span() for m in _QUOTE.finditer(text)]  # in text order, never overlapping
    starts = [a for a, _ in quotes]

    def in_quote(pos: int) -> bool:
        i = bisect_left(starts, pos) - 1  # the last quote opening before pos
        return i >= 0 and pos < quotes[i][1]

    return in_quote


def _is_modal(doc: _Doc, sentence: Sentence, trigger: lex.Trigger) -> bool:
    # Only the last 80 characters of the clause are read: the last 81 of the sentence before the trigger
    # hold them (a clause break is two characters; one that starts earlier leaves 80 or more after it).
    head = doc.report.text[max(sentence.start, trigger.start - 81):trigger.start]
    clause = _CLAUSE_BREAK.split(head)[-1] if trigger.form != "generic" else head
    after = doc.report.text[trigger.end:min(sentence.end, trigger.end + 40)]
    if _FUTURE_AFTER.match(after) is not None:
        return True
    return doc.lexicon.has_modal(clause[-80:]) and not _describes_people(doc.report.text, trigger)


_PARTICIPLE = re.compile(r"(?:ed|shot|beaten|hanged|hung|held|slain|taken)$", re.IGNORECASE)


_PEOPLE = re.compile(r"(?:\w+s|those|people|men|women|children)$", re.IGNORECASE)


_AUXILIARY = frozenset({"was", "is", "has", "as", "us", "this", "his", "its", "hers", "yours", "ours", "theirs"})


def _describes_people(text: str, trigger: lex.Trigger) -> bool:
    """"must release the teachers arrested in Shiraz": a participle right after the people it describes
    tells an act already done, whatever the modal before them governs (the release)."""
    if not _PARTICIPLE.search(text, trigger.start, trigger.end):
        return False
    before = last_word(text, trigger.start)
    return before not in _AUXILIARY and _PEOPLE.match(before) is not None


def _refers_back(doc: _Doc, sentence: Sentence, trigger: lex.Trigger) -> bool:
    """"marched to condemn the bombing in Kerman": the bombing is what the march is about, not an act
    told here (only a trigger after the sentence's first act can be one referred to)."""
    if trigger.start == sentence.start:
        return False
    before = doc.report.text[max(sentence.start, trigger.start - 64):trigger.start]
    if doc.lexicon.cue_start is not None and doc.lexicon.cue_start.search(before) is None:
        return False  # no cue can begin in the window (a pre-test only: `Lexicon.cue_start`)
    return doc.lexicon.refers_back(before, trigger.event_type)


# A place of birth, residence or burial ("born in X", "a resident of the city of X", "from X"): where a
# person comes from, not where an act happened (`_setting` still counts it, at half weight).
_ORIGIN = re.compile(
    r"(?:\b(?:born|raised|grew up|resid(?:ed|ing|es)|lived|living|buried|laid to rest)(?:\s+[\w-]+)?\s+(?:in|at)"
    r"|\b(?:natives?|residents?|hometown|birthplace|burial place)\s+of|\boriginally from|\bfrom)"
    r"(?:\s+the\s+(?:city|town|village|county)\s+of)?\s+$", re.IGNORECASE)


def _is_origin(text: str, mention: PlaceMention) -> bool:
    start = max(0, mention.start - 48)
    if not _ORIGIN_START.begins_between(text, start, mention.start):
        return False  # a pre-test: no match of the rule can begin in the window
    return _ORIGIN.search(text, start, mention.start) is not None


_ORIGIN_START = scan.StartIndex([_ORIGIN])  # where an `_ORIGIN` match may begin (`_is_origin`'s pre-test)


def _event_places(places: Iterable[PlaceMention], in_quote: Callable[[int], bool],
                  text: str) -> list[PlaceMention]:
    """The places that can be where an event happened: towns and provinces named as its site, not quoted,
    not where a person comes from."""
    located = [p for p in places if p.role in _EVENT_ROLES and p.place.level in ("city", "province")]
    return [p for p in located if not in_quote(p.start) and not _is_origin(text, p)]


def _sentence_dates(dates: Iterable[DateMention], report: Report) -> list[DateMention]:
    """The dates that can date what a sentence reports."""
    usable = [d for d in dates if d.date_start is not None and d.confidence >= 0.5]  # "Free Iran 2023" is a name
    return [d for d in usable if not _is_dateline(report, d)]


def _is_dateline(report: Report, date: DateMention) -> bool:
    """"Iran, March 14, 2024 — ...": the filing date, not the date of what is reported."""
    return date.date_start == report.published and bool(_DATELINE_DASH.match(report.text, date.end))


def _sentence_actors(actors: Iterable[ActorMention], in_quote: Callable[[int], bool],
                     report: Report) -> list[ActorMention]:
    """The actors that can do something: not possessives, reporters, quoted or a paragraph's credit."""
    return [a for a in actors if not a.possessive and not a.actor.reporter and not in_quote(a.start)
            and not _is_credit(report, a)]


def _is_credit(report: Report, mention: ActorMention) -> bool:
    """"NCRI – On Friday, ...": the outlet a paragraph opens with, before a spaced dash, is who
    reports it (the report's publisher, or a source of the registry), not who did it."""
    text = report.text
    at_line_start = mention.start == 0 or text[mention.start - 1] == "\n"
    if not at_line_start or not _CREDIT_DASH.match(text, mention.end):
        return False
    return mention.actor.name == report.publisher or load_registry().by_name(mention.surface) is not None


def _reporters(actors: Iterable[ActorMention], in_quote: Callable[[int], bool]) -> list[ActorMention]:
    """The outlets and monitors a sentence can attribute its report to ("according to state media"):
    the first in a sentence is its `_View.reporter`."""
    return [a for a in actors if a.actor.reporter and not in_quote(a.start)]


def _lone_lines(sentences: Sequence[Sentence], per_paragraph: dict[int, int]) -> dict[int, bool]:
    """paragraph -> whether it cannot be a heading for what follows it: the last paragraph of a report,
    or an entry of a list: a run of at least `_LIST_LINES` different lone lines without a full stop (a
    heading printed twice is still a heading)."""
    order = sorted(per_paragraph)
    bare = {s.paragraph: s.text.strip() for s in sentences
            if per_paragraph[s.paragraph] == 1 and not _SENTENCE_END.search(s.text)}
    out: dict[int, bool] = {}
    run: list[int] = []
    for p in [*order, None]:
        if p is not None and p in bare:
            run.append(p)
            continue
        if len({bare[q] for q in run}) >= _LIST_LINES:
            out.update(dict.fromkeys(run, True))
        run = []
    if order:
        out[order[-1]] = True
    return out


_LIST_LINES = 3


def _headings(sentences: Sequence[Sentence]) -> list[bool]:
    """For each sentence, whether it is a heading (`is_heading`, with `_lone_lines`)."""
    per_paragraph: dict[int, int] = {}
    for s in sentences:
        per_paragraph[s.paragraph] = per_paragraph.get(s.paragraph, 0) + 1
    lines = _lone_lines(sentences, per_paragraph)
    return [is_heading(s, per_paragraph[s.paragraph], lines.get(s.paragraph, False)) for s in sentences]
