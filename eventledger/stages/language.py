"""The language of each sentence chooses the rules that read it.

The English stages (places, dates, events, claims, statements) read the sentences in Latin
script; the Persian module (`stages.fa`) reads those in Persian script. For a report with no
Persian letter each wrapper is the English stage itself (one regex search of the text more).
Registered in `pipeline.REGISTRY` under the stages' usual names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from eventledger.models import Analysis, Sentence
from eventledger.stages import claims as en_claims
from eventledger.stages import dates as en_dates
from eventledger.stages import events as en_events
from eventledger.stages import places as en_places
from eventledger.stages import statements as en_statements
from eventledger.stages.fa import claims as fa_claims
from eventledger.stages.fa import dates as fa_dates
from eventledger.stages.fa import events as fa_events
from eventledger.stages.fa import places as fa_places
from eventledger.stages.fa import statements as fa_statements
from eventledger.stages.fa.normalise import Word, has_persian, is_persian_sentence, words
from eventledger.stages.fa.vocabulary import load as load_vocabulary


def split(analysis: Analysis) -> tuple[tuple[Sentence, ...], tuple[Sentence, ...]]:
    """(sentences for the English rules, sentences in Persian)."""
    if not has_persian(analysis.report.text):
        return analysis.sentences, ()
    persian = tuple(s for s in analysis.sentences if is_persian_sentence(s.text))
    if not persian:
        return analysis.sentences, ()
    chosen = {id(s) for s in persian}
    return tuple(s for s in analysis.sentences if id(s) not in chosen), persian


def _inside(start: int, sentences: tuple[Sentence, ...]) -> bool:
    return any(s.start <= start < s.end for s in sentences)


def _masked(stage: Callable[[Analysis], Analysis], analysis: Analysis, english: tuple[Sentence, ...],
            persian: tuple[Sentence, ...]) -> Analysis:
    """The English `stage` (one that reads the whole text) run with the Persian sentences blanked
    out (spaces: offsets kept); not run at all when no sentence is English."""
    if not english:
        return analysis
    text = analysis.report.text
    parts, at = [], 0
    for s in persian:
        parts += [text[at:s.start], " " * (s.end - s.start)]
        at = s.end
    parts.append(text[at:])
    blank = replace(analysis.report, text="".join(parts))
    return replace(stage(replace(analysis, report=blank)), report=analysis.report)


def find_places(analysis: Analysis) -> Analysis:
    english, persian = split(analysis)
    if not persian:
        return en_places.find_places(analysis)
    found = _masked(en_places.find_places, analysis, english, persian)
    suffixes = load_vocabulary().suffixes
    mine = [m for s in persian for m in fa_places.find(s.text, words(s.text, s.start, suffixes), s.start)]
    kept = [m for m in found.places if not _inside(m.start, persian)]
    return replace(found, places=tuple(sorted((*kept, *mine), key=lambda m: m.start)))


def find_dates(analysis: Analysis) -> Analysis:
    english, persian = split(analysis)
    if not persian:
        return en_dates.find_dates(analysis)
    found = _masked(en_dates.find_dates, analysis, english, persian)
    published = found.report.published
    mine = [d for s in persian for d in fa_dates.find(s.text, s.start, published)]
    kept = [d for d in found.dates if not any(d.start < m.end and m.start < d.end for m in mine)]
    return replace(found, dates=tuple(sorted((*kept, *mine), key=lambda d: d.start)))


def _english_only(stage: Callable[[Analysis], Analysis], analysis: Analysis, english: tuple[Sentence, ...]) -> Analysis:
    """The English `stage` run on the report's English sentences only (none: not run)."""
    if not english:
        return analysis
    return replace(stage(replace(analysis, sentences=english)), sentences=analysis.sentences)


PersianWords = list[tuple[Sentence, tuple[Word, ...]]]


def _by_language(analysis: Analysis, english_stage: Callable[[Analysis], Analysis],
                 persian_rule: Callable[[Analysis, PersianWords], Sequence[Any]]) -> tuple[Analysis, Sequence[Any]]:
    """The English stage run on the English sentences, and the records the Persian rule finds in the
    Persian ones (none for a report without Persian)."""
    english, persian = split(analysis)
    if not persian:
        return english_stage(analysis), ()
    return _english_only(english_stage, analysis, english), persian_rule(analysis, _persian_words(persian))


def _persian_words(persian: tuple[Sentence, ...]) -> PersianWords:
    suffixes = load_vocabulary().suffixes
    return [(s, words(s.text, s.start, suffixes)) for s in persian]


def find_events(analysis: Analysis) -> Analysis:
    found, mine = _by_language(analysis, en_events.find_events, lambda a, ws: fa_events.find(
        load_vocabulary(), a.report, ws, list(a.places), list(a.dates), a.sentences))
    return replace(found, events=(*found.events, *mine)) if mine else found


def find_claims(analysis: Analysis) -> Analysis:
    found, mine = _by_language(analysis, en_claims.find_claims, lambda a, ws: fa_claims.find(
        load_vocabulary(), a.report, ws, list(a.places), list(a.dates)))
    return replace(found, claims=(*found.claims, *mine)) if mine else found


def find_statements(analysis: Analysis) -> Analysis:
    found, mine = _by_language(analysis, en_statements.find_statements, lambda a, ws: fa_statements.find(
        load_vocabulary(), a.report, ws, list(a.dates)))
    return replace(found, statements=(*found.statements, *mine)) if mine else found
