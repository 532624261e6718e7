"""Stage `events.v1`: typed events, one per type x actor x place x date, with evidence.

How a report becomes events (each step a small function below):

1. Triggers from the lexicon (`data/events.toml`) are found once over the whole text; those
   inside quotations (slogans, officials' words) and in headlines or captions are dropped.
2. Sentences are read in order inside a *frame*: the type, actor and date of the activity
   being described. A frame ends at a headline. A sentence whose trigger is generic
   ("similar activities were reported in ...") takes the frame's type and tactic; a
   sentence with no date takes the frame's date.
3. A trigger yields one event per place it governs (each place goes to the nearest trigger);
   a list of N places yields N events, a place named twice is one event.
4. A trigger with no place yields a country-level event only when it is anchored (a date or
   a count), and only if the same frame does not go on to name places for it.
5. Not events: modal or negated triggers (future, hypothetical, calls, denials, habits), acts
   referred to rather than told (what a march condemns, an anniversary, "families of those
   killed": `_refers_back`, and their places are not the told act's), aggregates ("since April
   21", "at least 550 killed" with no day or town: claims), and history (dated more than
   `history_days` before a stated publication date; a report dated only by inference, a case
   file, tells its earlier acts as its story).
6. Lists: a run of lone lines is a list, not headings (one victim a line); a line opening with a
   town after an activity sentence ("Tabriz — 'slogan'") is that activity there.
7. Recall first: an act its sentence does not place is put where the person it is told of comes
   from (in its own sentence), else where the report is set (`_setting`: the place it names most),
   at a lower confidence; an act told with neither place, date nor figure is kept only so placed.
   A place of birth, residence or burial is never where an act happened.
8. Casualties and summaries: the dead of a clash or blast are its fatalities, not an assault; a
   province-level event summarising the same act told in the province's towns is dropped.

The stage is a package, a module a concern:
- `document`: the per-report lookups (`_Doc`), a sentence's view (`_View`), frames, mention spans;
- `cues`: the tests on wording (quotations, headings, modals, references, origins, credits);
- `fields`: an event's fields (its date, place, counts and confidence) and its making;
- `reader`: the report read sentence by sentence, trigger by trigger, lists included;
- `setting`: after reading (placeholders, the report's setting, casualties, summaries, dedupe);
- `explain`: why each candidate was turned down, for error analysis.
"""

from __future__ import annotations

from dataclasses import replace

from eventledger.models import Analysis, Event
from eventledger.stages.events.cues import is_heading
from eventledger.stages.events.explain import Dropped, explain_events
from eventledger.stages.events.reader import _read_report
from eventledger.stages.events.setting import _dedupe, _drop_placeholders, _fold_casualties, _place_by_setting

__all__ = ["Dropped", "explain_events", "extract_events", "find_events", "is_heading"]


def extract_events(analysis: Analysis) -> list[Event]:
    """The events of one analysed report (needs sentences, places and dates)."""
    doc = _read_report(analysis)
    return _dedupe(_fold_casualties(_place_by_setting(analysis, doc, _drop_placeholders(doc.events))))


def find_events(analysis: Analysis) -> Analysis:
    return replace(analysis, events=tuple(extract_events(analysis)))
