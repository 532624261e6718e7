"""Stage `claims.v1`: figures someone asserts about many events or a period.

A claim is read from one sentence in five steps (vocabulary in `data/claims.toml`):

1. Figures: `quantities.find_numbers`; only plain counts (no unit, not vague, at least 2).
2. Category: what the figure counts, from the first tier that has a cue: a word governing
   the figure ("massacre of over 30,000", "have executed 24"), a noun right after it
   ("1,000 indictments"), an act after it in the clause ("110 inmates have been sent to the
   gallows"), a person noun after it ("1,500 martyrs"), an act earlier in the sentence when
   the figure counts nothing itself ("executions ..., reaching at least 90 counts").
3. Assertion: figures in futures, hypotheticals, denials and negations are dropped.
4. Period: the sentence's dates (from the dates stage): "since" opens the period, "as of"
   closes it, a year, month or range covers it. A figure dated to one day (or a small exact
   figure with no period) is the size of one event, which the events stage records, unless
   the sentence is a tally ("since", "in total", "so far", "alone").
5. Source: chanted figures belong to the chanters; else a named source ("Amnesty
   International reports that", "according to HRANA", "state media has boasted of",
   "..., Amnesty said"; "the minister of X revealed" -> "Ministry of X"; titles stripped from
   people); else the publisher (which may be None).
6. Place: "the capital" -> the capital of the report's country; else a city or province named
   in the clause or sentence; else the report's country ("IR").

A figure repeated in the same document (same value and category, compatible periods) is one claim.

Modules: `lexicon` (the vocabulary), `document` (a report's figures, dates, places), `figures`
(steps 1-3), `period` (step 4), `source` (steps 5-6); this one puts a claim together. Fast paths:
`stages/scan_claims.py`; `strip_titles` and a sentence's actors: `stages/shared.py`.
"""

from __future__ import annotations

from dataclasses import replace

from eventledger.models import Analysis, Claim, Sentence
from eventledger.stages.claims.document import Doc, document_of
from eventledger.stages.claims.figures import Cue, figure_category, is_countable, is_hedged, is_part, no_count
from eventledger.stages.claims.lexicon import lexicon
from eventledger.stages.claims.period import claim_dates, claim_period, is_event_size
from eventledger.stages.claims.source import claim_place, claimant
from eventledger.stages.quantities import Number
from eventledger.stages.scan_claims import has_figure

__all__ = ["find_claims", "lexicon"]



def _confidence(cue: Cue, period: tuple[str | None, str | None], sourced: bool, n: Number) -> float:
    score = 0.55 + (0.15 if cue.tier <= 1 else 0.05 if cue.tier == 2 else 0.0)
    score += (0.1 if any(period) else 0.0) + (0.1 if sourced else 0.0) + (0.05 if n.qualifier != "exact" else 0.0)
    return round(min(score, 0.95), 2)


def _claim(doc: Doc, s: Sentence, n: Number, cue: Cue) -> Claim | None:
    if is_hedged(doc.lex, s, n, cue):
        return None
    dates, nearest = claim_dates(doc, s, n)
    if is_event_size(doc, s, n, nearest):
        return None
    period = claim_period(doc, dates, nearest)
    source = claimant(doc, s, n)
    return Claim(
        doc=doc.analysis.report.doc, value=int(n.value or 0), qualifier=n.qualifier, category=cue.category,
        period_start=period[0], period_end=period[1], place=claim_place(doc, s, n, cue), claimed_by=source,
        evidence=s.text, evidence_start=s.start, evidence_end=s.end,
        confidence=_confidence(cue, period, source != doc.analysis.report.publisher, n),
    )


def _sentence_claims(doc: Doc, s: Sentence) -> list[Claim]:
    """The claims of one sentence: one per value and category."""
    numbers = doc.numbers_in(s.start, s.end)
    out: list[Claim] = []
    for i, n in enumerate(numbers):
        countable = is_countable(n) and not no_count(doc.lex, s, n) and not is_part(doc.lex, s, numbers, i)
        cue = figure_category(doc.lex, s, numbers, i) if countable else None
        if cue is None or any((c.value, c.category) == (int(n.value or 0), cue.category) for c in out):
            continue  # (a second claim of the same value and category would be dropped: not built)
        claim = _claim(doc, s, n, cue)
        if claim:
            out.append(claim)
    return out


def _compatible(a: Claim, b: Claim) -> bool:
    if (a.value, a.category) != (b.value, b.category):
        return False
    return (a.period_start, a.period_end) == (b.period_start, b.period_end) or not (
        any((a.period_start, a.period_end)) and any((b.period_start, b.period_end)))


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per figure in a document: a repeated figure keeps its most specific reading."""
    out: list[Claim] = []
    for claim in claims:
        i = next((i for i, c in enumerate(out) if _compatible(c, claim)), None)
        if i is None:
            out.append(claim)
        elif not any((out[i].period_start, out[i].period_end)) and any((claim.period_start, claim.period_end)):
            out[i] = claim
    return out


def find_claims(analysis: Analysis) -> Analysis:
    """Stage `claims.v1`: fill `Analysis.claims` (needs sentences; uses dates and places if present)."""
    doc = document_of(analysis)
    starts = doc.number_starts
    claims = [c for s in analysis.sentences if has_figure(starts, s) for c in _sentence_claims(doc, s)]
    return replace(analysis, claims=tuple(_dedupe(claims)))
