"""The events stage reads a report sentence by sentence: usable triggers, their places, dates and
doers, a frame carried across sentences, lists of towns after an activity (`_read_report`)."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left

from eventledger.models import Analysis, DateMention, Event, PlaceMention, Sentence
from eventledger.stages import lexicon as lex
from eventledger.stages.actors import Actor, ActorMention, find_actors
from eventledger.stages.events.cues import (
    _event_places,
    _headings,
    _is_modal,
    _quote_test,
    _refers_back,
    _reporters,
    _sentence_actors,
    _sentence_dates,
)
from eventledger.stages.events.document import (
    _AGGREGATE,
    _FUTURE,
    _HISTORY,
    _M,
    _MODAL,
    _NOUN_BESIDE_VERB,
    _NOUN_UNANCHORED,
    _PLACELESS,
    _REFERENCE,
    _REPRESSION,
    _TALLY,
    Frame,
    _any_start,
    _Doc,
    _nearest,
    _Spans,
    _View,
    _view,
    _within,
)
from eventledger.stages.events.fields import (
    _FATAL_TYPES,
    _NO_COUNTS,
    _confidence,
    _counts,
    _counts_many,
    _dated,
    _is_aggregate,
    _is_future,
    _is_told_story,
    _placed,
    build_event,
)
from eventledger.stages.places import report_country
from eventledger.stages.quantities import Number, find_numbers, outside

_SAME_DAY = re.compile(r"\b(?:on )?the same day\b", re.IGNORECASE)


_AND_JOIN = re.compile(r"\band\b")


_NEW_CLAUSE = re.compile(r"[;:]|\b(?:while|but|whereas|after|before|when)\b")


_CLAUSE_START = re.compile(r"[,;:—–]\s*")


_WHERE = re.compile(r",?\s+where\b", re.IGNORECASE)  # a place's relative clause: what follows happened there


def _assign_places(triggers: list[lex.Trigger], places: list[PlaceMention]) -> dict[int, list[PlaceMention]]:
    """Each place goes to the trigger that governs it: the nearest one before it, else the first after.

    ("putting up posters in Tehran, Shiraz and Ahvaz, chanted ..." - all three go to the posters.)
    """
    if len(triggers) == 1:
        return {0: list(places)}
    out: dict[int, list[PlaceMention]] = {i: [] for i in range(len(triggers))}
    starts = [t.start for t in triggers]
    ordered = starts == sorted(starts)  # as `lex.find_triggers` gives them
    for place in places:
        if ordered:  # the last trigger starting before the place
            last = bisect_left(starts, place.start) - 1
        else:
            last = max((i for i, start in enumerate(starts) if start < place.start), default=-1)
        out[max(last, 0)].append(place)
    return out


def _share_places(doc: _Doc, triggers: list[lex.Trigger], by_trigger: dict[int, list[PlaceMention]]) -> None:
    """"attacked protesters in Tehran and arrested several": the second verb shares the first's places;
    "arrested in Izeh, where police fired": the verb of a place's "where" clause takes that place."""
    for i in range(1, len(triggers)):
        a, b = triggers[i - 1].end, triggers[i].start
        gap = doc.report.text[a:b]
        dated = _any_start(doc.dates, a, b)  # "... and on August 6, they executed ...": its own act
        tail = doc.report.text[max(a, by_trigger[i - 1][-1].end if by_trigger[i - 1] else a):b]
        joined = _AND_JOIN.search(tail) and not (_NEW_CLAUSE.search(gap) or dated)
        if not by_trigger[i] and by_trigger[i - 1] and joined:
            by_trigger[i] = list(by_trigger[i - 1])
        elif not by_trigger[i] and by_trigger[i - 1] and _WHERE.match(doc.report.text, by_trigger[i - 1][-1].end, b):
            by_trigger[i] = [by_trigger[i - 1][-1]]  # "protests in Najafabad, where police fired tear gas"


def _date_for(view: _View, pos: int, frame: Frame | None) -> DateMention | None:
    """The date of an act: the nearest before it, preferring a day or span to a month or year
    ("on August 22, the prisoner who killed a man in 2009 was executed" is dated August 22)."""
    precise = [d for d in view.precise_dates if d.start <= pos] if view.precise_dates else None
    return _nearest(precise or view.usable_dates, pos) or (frame.date if frame else None)


def _clause_start(doc: _Doc, view: _View, pos: int) -> int:
    """Where the clause holding `pos` starts: the end of the last `_CLAUSE_START` mark before it, as
    `_CLAUSE_START.finditer(text, sentence.start, pos)` finds them (a mark reaching past `pos` ends
    there). The sentence's marks are found once, for all its triggers."""
    sentence = view.sentence
    if view._clauses is None:
        marks = [m.span() for m in _CLAUSE_START.finditer(doc.report.text, sentence.start, sentence.end)]
        view._clauses = ([a for a, _ in marks], [b for _, b in marks])
    starts, ends = view._clauses
    i = bisect_left(starts, pos) - 1  # the last mark that starts before pos
    return min(ends[i], pos) if i >= 0 else sentence.start


def _subject(doc: _Doc, view: _View, trigger: lex.Trigger, inside: list[ActorMention]) -> ActorMention | None:
    """The doer of a non-repressive act: the first actor of the trigger's clause, else of the sentence."""
    before = [a for a in inside if a.end <= trigger.start]
    clause_start = _clause_start(doc, view, trigger.start)
    in_clause = [a for a in before if a.start >= clause_start]
    found = in_clause or before  # an actor after the verb is its object, not its doer
    return found[0] if found else None


def _actor_for(doc: _Doc, view: _View, trigger: lex.Trigger, frame: Frame | None) -> Actor | None:
    inside = view.actors
    if trigger.event_type in _REPRESSION:
        inside = [a for a in inside if a.actor.actor_class in ("state", "foreign")]
        subject = _nearest(inside, trigger.start, before_only=True) or _nearest(inside, trigger.start)
    else:
        subject = _subject(doc, view, trigger, inside)
    if subject is not None:
        return subject.actor
    if frame is not None and frame.actor is not None and _REPRESSION.isdisjoint({trigger.event_type, frame.event_type}):
        return frame.actor
    default = doc.lexicon.default_actor.get(trigger.event_type)
    return Actor(*default) if default else None


def _number_for(view: _View, trigger: lex.Trigger, place: PlaceMention | None) -> Number | None:
    """The count that goes with a trigger: between the verb and its place, else its object, else before."""
    numbers = view.counts
    if not numbers:
        return None
    if place is not None and place.start > trigger.start:
        between = [n for n in numbers if trigger.start <= n.start and n.end <= place.start]
        if between:
            return between[-1]
    after = next((n for n in numbers if trigger.start <= n.start <= trigger.end + 40), None)
    if after is not None:
        return after
    killed = _killed(view, trigger)
    if killed is not None:
        return killed
    anchor = place.start if place is not None else trigger.start
    return _nearest([n for n in numbers if n.end <= anchor], anchor, before_only=True)


def _killed(view: _View, trigger: lex.Trigger) -> Number | None:
    """For an attack or an execution, a figure after it that a fatality cue leads to, anywhere in
    the sentence ("Security forces opened fire on mourners in Izeh on Friday, killing seven")."""
    lead = view.fatality_lead
    if lead is None or trigger.event_type not in _FATAL_TYPES:
        return None
    text, offset = view.sentence.text, view.sentence.start
    for number in view.counts:
        at = number.start - offset
        if number.start >= trigger.end and lead.search(text, max(0, at - 60), at):
            return number
    return None


def _has_term(view: _View, trigger: lex.Trigger) -> bool:
    """A sentence with its term stated ("to five years in prison") is a specific act."""
    return trigger.event_type == "sentence" and any(
        n.unit in ("years", "months") for n in view.numbers if n.start >= trigger.end)


def _resolve_type(trigger: lex.Trigger, frame: Frame | None) -> tuple[str, str | None]:
    if trigger.form == "generic" and frame is not None and frame.event_type:
        return frame.event_type, frame.tactic
    return trigger.event_type, trigger.tactic


def _make_event(doc: _Doc, view: _View, trigger: lex.Trigger, event_type: str, tactic: str | None,
                actor: Actor | None, place: PlaceMention | None, date: DateMention | None) -> Event | None:
    """The event of a trigger (its type and tactic resolved in the frame) at a place on a date, if it is one."""
    sentence = view.sentence
    start, end, precision, stale = _dated(doc, date)
    told = stale and _is_told_story(doc.report, start)
    if stale and not told:
        why = _FUTURE if _is_future(start, doc.report) else _HISTORY
        doc.rejected.append((trigger.start, trigger.end, event_type, place, why))
        return None
    number = _number_for(view, trigger, place)
    in_sentence = date is not None and sentence.start <= date.start < sentence.end
    if _is_aggregate(view, number, in_sentence, place is not None):
        doc.rejected.append((trigger.start, trigger.end, event_type, place, _AGGREGATE))
        return None
    if in_sentence and _counts_many(event_type, number, start, end, precision):
        doc.rejected.append((trigger.start, trigger.end, event_type, place, _TALLY))
        return None
    reporter = view.reporter
    event = build_event(
        doc.report.doc, event_type, tactic, (start, end, precision), _placed(doc, place), actor,
        _counts(event_type, number), reporter if reporter != doc.report.publisher else None, sentence,
        _confidence(date is not None, place is not None, trigger.form))
    if told and place is None:
        doc.loose.add(id(event))  # an earlier act of the story told nowhere: only where the report is set
    return event


def _usable_triggers(doc: _Doc, sentence: Sentence) -> list[lex.Trigger]:
    found = _within(doc.triggers, sentence.start, sentence.end)
    if not found:
        return found
    usable = []
    for t in found:
        if _is_modal(doc, sentence, t):
            doc.rejected.append((t.start, t.end, t.event_type, None, _MODAL))
        elif _refers_back(doc, sentence, t):
            doc.rejected.append((t.start, t.end, t.event_type, None, _REFERENCE))
            doc.referred.append(t)
        else:
            usable.append(t)
    if len(usable) > 1 and any(t.form != "noun" for t in usable):  # a noun beside a verb: the setting, not the act
        doc.rejected.extend((t.start, t.end, t.event_type, None, _NOUN_BESIDE_VERB) for t in usable if t.form == "noun")
        usable = [t for t in usable if t.form != "noun"]
    return usable


def _anchored(view: _View, trigger: lex.Trigger) -> bool:
    """A place-less trigger is an event only with a date or an exact count in its sentence."""
    dates = view.anchors  # "in recent weeks" anchors nothing
    if trigger.form == "noun":
        return bool(dates)
    number = _number_for(view, trigger, None)
    exact = number is not None and number.qualifier == "exact" and number.value is not None
    return bool(dates) or exact or _has_term(view, trigger)


def _same_day(doc: _Doc, sentence: Sentence, frame: Frame | None) -> DateMention | None:
    # "day" in the lower-cased text: a quick test the pattern needs (only D, A, Y match d, a, y ignoring case)
    if frame is not None and "day" in sentence.text.lower() and _SAME_DAY.search(sentence.text):
        return frame.date
    return None


def _read_sentence(doc: _Doc, sentence: Sentence, frame: Frame | None) -> Frame | None:
    """Add the sentence's events to `doc.events`; return the frame for the next sentence."""
    triggers = _usable_triggers(doc, sentence)
    if not triggers:
        return _time_of(doc, sentence, frame)
    places = _within(doc.places, sentence.start, sentence.end)
    referred = [t for t in doc.referred if t.start >= sentence.start] if doc.referred else None
    if places and referred:
        places = _outside_references(places, triggers, referred)
    view = _view(doc, sentence)
    if referred and view.usable_dates:  # "involved in the clash in Rusk on 15 December": the clash's date
        view.usable_dates = _outside_references(view.usable_dates, triggers, referred)
        view.precise_dates = _outside_references(view.precise_dates, triggers, referred)
    same_day = _same_day(doc, sentence, frame)
    by_trigger = _assign_places(triggers, places) if places else {i: [] for i in range(len(triggers))}
    _share_places(doc, triggers, by_trigger)
    new_frame = frame
    for i, trigger in enumerate(triggers):
        new_frame = _read_trigger(doc, view, trigger, by_trigger[i], same_day, frame) or new_frame
    return new_frame


def _time_of(doc: _Doc, sentence: Sentence, frame: Frame | None) -> Frame | None:
    """"He was tried in Zahedan on November 5. The court sentenced him to death.": a sentence that tells
    no act of the lexicon but states one day sets the time of the acts told next, when no act before it
    in the section did (a frame of no type: it dates, it types nothing)."""
    if frame is not None and frame.date is not None:
        return frame
    days = [d for d in _within(doc.sentence_dates, sentence.start, sentence.end)
            if d.precision == "day" and d.role not in ("since", "until", "relative")]
    if len(days) != 1 or _dated(doc, days[0])[3]:
        return frame
    return Frame("", None, None, days[0], sentence.start, narrative=True)


def _outside_references(places: list[_M], told: list[lex.Trigger], referred: list[lex.Trigger]) -> list[_M]:
    """The places (or dates) of a sentence that are not where (or when) an act referred to happened
    ("rallied in Zanjan to condemn the bombing in Kerman": Kerman is the bombing's place), as places go
    to the nearest act before them (`_assign_places`)."""
    marks = sorted([(t.start, False) for t in told] + [(t.start, True) for t in referred])
    starts = [start for start, _ in marks]
    kept = []
    for place in places:
        i = bisect_left(starts, place.start) - 1
        if i < 0 or not marks[i][1]:
            kept.append(place)
    return kept


def _read_trigger(doc: _Doc, view: _View, trigger: lex.Trigger, places: list[PlaceMention],
                  same_day: DateMention | None, frame: Frame | None) -> Frame | None:
    sentence = view.sentence
    event_type, tactic = _resolve_type(trigger, frame)
    continuing = frame is not None and frame.event_type == event_type
    inherited = frame if frame is not None and (continuing or frame.narrative) else None
    date = same_day or _date_for(view, trigger.start, inherited)
    if trigger.form == "noun" and not view.anchors:
        doc.rejected.append((trigger.start, trigger.end, event_type, None, _NOUN_UNANCHORED))
        return None  # "slogans of protest in Zahedan" names no act; a dated noun does
    frame_start = frame.start if continuing and frame is not None else sentence.start
    actor = _actor_for(doc, view, trigger, frame)  # the doer of its events and of the frame
    if not places and not _anchored(view, trigger):
        # no event of its own sentence, but the activity goes on being described: keep its time, take its
        # doer. A reported act is kept loose: it is an event if the report is set in one place.
        if trigger.form != "noun":
            _add_loose(doc, _make_event(doc, view, trigger, event_type, tactic, actor, None, date), frame_start)
        else:
            doc.rejected.append((trigger.start, trigger.end, event_type, None, _PLACELESS))
        kept = inherited if continuing else None
        return Frame(event_type, tactic, actor, kept.date if kept else None, frame_start,
                     kept.narrative if kept else False)
    place_dates: list[tuple[PlaceMention | None, DateMention | None]] = [
        (p, same_day or _date_for(view, p.start, inherited)) for p in _unique_places(places)]
    for place, pdate in place_dates or [(None, date)]:
        event = _make_event(doc, view, trigger, event_type, tactic, actor, place, pdate)
        if event is not None:
            doc.events.append((event, frame_start))
    frame_date = place_dates[0][1] if place_dates else date
    return Frame(event_type, tactic, actor, frame_date, frame_start, _is_narrative(doc, trigger, frame_date))


def _add_loose(doc: _Doc, event: Event | None, frame_start: int) -> None:
    """Keep an act told with neither place, date nor figure: `_place_by_setting` places it or drops it."""
    if event is not None:
        doc.loose.add(id(event))
        doc.events.append((event, frame_start))


def _is_narrative(doc: _Doc, trigger: lex.Trigger, date: DateMention | None) -> bool:
    """Whether the acts told next, of any type, happened when this one did: a recent day or span.
    A month or a year ("... were executed in 2024") is a period, not the time of a story going on."""
    if trigger.form == "noun" or date is None or date.date_start is None or date.precision in ("month", "year"):
        return False
    # `_is_history`, on the date itself
    return doc.recent_from is None or (date.date_end or date.date_start) >= doc.recent_from


def _unique_places(places: list[PlaceMention]) -> list[PlaceMention]:
    if len(places) < 2:
        return places
    seen: set[tuple] = set()
    out = []
    for p in places:
        key = (p.place.level, p.place.geonameid, p.place.admin1, p.place.name)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _prepare(analysis: Analysis) -> _Doc:
    report = analysis.report
    text = report.text
    in_quote = _quote_test(text)
    actors = find_actors(text)
    lexicon = lex.load()
    recent_from = None if report.published is None else report.published - dt.timedelta(days=lexicon.history_days)
    return _Doc(
        report=report, triggers=_Spans(t for t in lex.find_triggers(text) if not in_quote(t.start)),
        places=_Spans(_event_places(analysis.places, in_quote, text)), dates=_Spans(analysis.dates),
        sentence_dates=_Spans(_sentence_dates(analysis.dates, report)),
        doers=_Spans(_sentence_actors(actors, in_quote, report)), reporters=_Spans(_reporters(actors, in_quote)),
        numbers=_Spans(outside(find_numbers(text), [(d.start, d.end) for d in analysis.dates])),
        lexicon=lexicon, recent_from=recent_from, country=report_country(analysis),
    )


def _read_report(analysis: Analysis) -> _Doc:
    """The report read sentence by sentence: its candidate events (`_Doc.events`) and rejections."""
    doc = _prepare(analysis)
    frame: Frame | None = None
    for sentence, heading in zip(analysis.sentences, _headings(analysis.sentences), strict=True):
        entry = _list_entry(doc, sentence) if frame is not None and frame.event_type else None
        if entry is not None and frame is not None:
            _add_listed(doc, sentence, entry, frame)
            continue
        if heading:
            frame = None
            continue
        frame = _read_sentence(doc, sentence, frame)
    return doc


_ENTRY_LEAD = 10  # characters of bullet or number before the town of a list entry, at most (`_ENTRY_START`)


_ENTRY_START = re.compile(r"[\s\-•*·▪–—]{0,4}(?:\d{1,3}[.)]\s?)?")  # a bullet or a number before a list entry


_ENTRY_MARK = re.compile(r"\s*(?:city|province)?\s*(?:\([^)\n]{1,40}\))?\s*(?:[—–:]|-\s|\s-|[.,;]?\s*$)")


def _list_entry(doc: _Doc, sentence: Sentence) -> PlaceMention | None:
    """"Tehran — 'Death to the dictator'": a line opening with a town and a dash or colon, after a
    sentence that told an activity, is that activity in that town. (Its text is a slogan or a note.)"""
    text = doc.report.text
    i = bisect_left(doc.places.starts, sentence.start)  # a quick test first: a place opens the sentence
    if i == len(doc.places) or doc.places.starts[i] > sentence.start + _ENTRY_LEAD:
        return None
    places = _within(doc.places, sentence.start, sentence.end)
    if not places or "\n" in text[sentence.start:sentence.end].strip():
        return None
    if _within(doc.triggers, sentence.start, sentence.end):  # "Tehran: police arrested ...": its own act
        return None
    first = places[0]
    lead = _ENTRY_START.match(text, sentence.start, first.start)
    end = sentence.start + len(text[sentence.start:sentence.end].rstrip())
    if lead is None or lead.end() != first.start or not _ENTRY_MARK.match(text, first.end, end):
        return None
    return first


def _add_listed(doc: _Doc, sentence: Sentence, entry: PlaceMention, frame: Frame) -> None:
    """The frame's activity at a town of a list (`_list_entry`), on the frame's date."""
    start, end, precision, stale = _dated(doc, frame.date)
    if stale and not _is_told_story(doc.report, start):
        return
    event = build_event(doc.report.doc, frame.event_type, frame.tactic, (start, end, precision), _placed(doc, entry),
                        frame.actor, _NO_COUNTS, None, sentence, _confidence(frame.date is not None, True, "generic"))
    doc.events.append((event, frame.start))
