"""When a claim holds (claims stage): the period its dates give ("since" opens it, "as of" closes it),
and whether a figure is the size of one event rather than a claim."""

from __future__ import annotations

import datetime as dt
import re

from eventledger.models import DateMention, Sentence
from eventledger.stages.claims.document import Doc
from eventledger.stages.quantities import Number
from eventledger.stages.scan_claims import clause, lowered, may_contain

_POINT_ROLES = frozenset({"point", "relative", "anniversary", "period_day"})
_SPEECH_AFTER = re.compile(r"^,?\s*(?:that|as saying)\b")


def _is_speech_date(doc: Doc, d: DateMention) -> bool:
    before = doc.text[max(0, d.start - 40):d.start]
    after = doc.text[d.end:d.end + 20]
    return bool(doc.lex.speech_date.search(before)) or bool(_SPEECH_AFTER.match(after))


def _distance(d: DateMention, start: int, end: int) -> int:
    return max(d.start - end, start - d.end, 0)


def _kind(doc: Doc, d: DateMention) -> str:
    before = doc.text[max(0, d.start - 30):d.start]
    if d.role == "since" or doc.lex.since.search(before) or doc.lex.since_began.search(
            doc.text, max(0, d.start - 90), d.start):
        return "since"
    if d.role == "until" or doc.lex.as_of.search(before):
        return "until"
    return "range" if d.role == "range" else "point"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def claim_period(doc: Doc, dates: list[DateMention], nearest: DateMention | None) -> tuple[str | None, str | None]:
    if nearest is None:
        return None, None
    kinds = {_kind(doc, d): d for d in sorted(dates, key=lambda d: -d.start)}
    kind = _kind(doc, nearest)
    since, until = kinds.get("since"), kinds.get("until")
    if kind == "since":
        return _iso(nearest.date_start), _iso(until.date_end or until.date_start) if until else None
    if kind == "until":
        return (_iso(since.date_start) if since else None), _iso(nearest.date_end or nearest.date_start)
    return _iso(nearest.date_start), _iso(nearest.date_end or nearest.date_start)


def _usable_date(doc: Doc, d: DateMention) -> bool:
    vague = d.surface.strip().lower() in doc.lex.vague_dates
    # "the highest number since 2015": "since" before the date or opening it
    opening = 5 if d.surface[:5].lower() == "since" else 0
    lo, hi = max(0, d.start - 60), d.start + opening
    compared = may_contain(lowered(doc.text[lo:hi]), ("since",)) and doc.lex.comparison.search(doc.text, lo, hi)
    return d.date_start is not None and not vague and not compared and not _is_speech_date(doc, d)


def claim_dates(doc: Doc, s: Sentence, n: Number) -> tuple[list[DateMention], DateMention | None]:
    """The sentence's dates and the one nearest the figure (those in its clause first)."""
    dates = doc.sentence_dates.get(s.start)
    if dates is None:
        dates = doc.sentence_dates[s.start] = [d for d in doc.dates_in(s.start, s.end) if _usable_date(doc, d)]
    if not dates:
        return [], None
    a, b = clause(s.text, n.start - s.start, n.end - s.start)
    lo, hi = s.start + a, s.start + b
    return dates, min(dates, key=lambda d: (not lo <= d.start < hi, _distance(d, n.start, n.end), d.start > n.start))


def is_event_size(doc: Doc, s: Sentence, n: Number, nearest: DateMention | None) -> bool:
    """A figure that is the size of one event (the events stage's business), not a claim."""
    tally = doc.tallies.get(s.start)
    if tally is None:
        tally = doc.tallies[s.start] = (may_contain(doc.lowered_sentence(s), doc.lex.tally_words)
                                        and doc.lex.tally.search(s.text) is not None)
    if tally:
        return False
    if nearest is not None and nearest.role in _POINT_ROLES and nearest.precision == "day":
        return _kind(doc, nearest) == "point"
    return nearest is None and n.qualifier == "exact" and (n.value or 0) <= doc.lex.small
