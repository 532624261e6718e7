"""Why each candidate event was turned down (`explain_events`), for `eventledger quality --errors`.
Never on the extraction path: it reads the report again."""

from __future__ import annotations

from typing import NamedTuple

from eventledger.models import Analysis
from eventledger.stages import lexicon as lex
from eventledger.stages.events.cues import _headings
from eventledger.stages.events.document import _DEDUPE, _HEADING, _PLACEHOLDER, _PLACELESS, _QUOTATION, _within
from eventledger.stages.events.reader import _read_report
from eventledger.stages.events.setting import (
    _country_wide,
    _dedupe_key,
    _drop_placeholders,
    _place_by_setting,
    _setting,
)


class Dropped(NamedTuple):
    """A candidate event the rules turned down: its trigger (or, for the last two filters, its
    sentence), its type, its place if it had one, and why."""

    start: int
    end: int
    event_type: str
    place: str | None
    reason: str


def explain_events(analysis: Analysis) -> list[Dropped]:
    """Every candidate event of a report that `extract_events` turns down, with the reason.

    For error analysis (`eventledger quality --errors`), never on the extraction path: it reads
    the report again."""
    doc = _read_report(analysis)
    text = analysis.report.text
    kept = {(t.start, t.end) for t in doc.triggers}
    out = [Dropped(t.start, t.end, t.event_type, None, _QUOTATION)
           for t in lex.find_triggers(text) if (t.start, t.end) not in kept]
    for s, heading in zip(analysis.sentences, _headings(analysis.sentences), strict=True):
        if heading:
            found = _within(doc.triggers, s.start, s.end)
            out += [Dropped(t.start, t.end, t.event_type, None, _HEADING) for t in found]
    for start, end, event_type, place, reason in doc.rejected:
        out.append(Dropped(start, end, event_type, place.place.name if place else None, reason))
    superseded = _drop_placeholders(doc.events)
    survivors = {id(e) for e in superseded}
    out += [Dropped(e.evidence_start or 0, e.evidence_end or 0, e.event_type, None, _PLACEHOLDER)
            for e, _ in doc.events if id(e) not in survivors]
    located = _place_by_setting(analysis, doc, superseded)
    unplaced = [e for e in superseded if id(e) in doc.loose  # loose acts that no setting placed
                and (_country_wide(analysis, e) or _setting(analysis, e.event_type) is None)]
    out += [Dropped(e.evidence_start or 0, e.evidence_end or 0, e.event_type, None, _PLACELESS) for e in unplaced]
    seen: set[tuple] = set()
    for e in located:
        key = _dedupe_key(e)
        if key in seen:
            out.append(Dropped(e.evidence_start or 0, e.evidence_end or 0, e.event_type,
                               e.location or e.admin1, _DEDUPE))
        seen.add(key)
    return sorted(out)
