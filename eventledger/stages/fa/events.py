"""Typed events from Persian sentences: triggers by lemma, then actor, place, date and figures.

One event per type x actor x place x date (as the English stage). Persian is verb-final, so a
place goes to the nearest trigger after it (else the last before). A trigger whose verb is
negated (ن / نمی) is no event; a noun trigger needs a place or a date in its sentence and is no
event after a cue that refers to it ("در اعتراض به اعدام ...", "پس از بازداشت").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from eventledger.models import DateMention, Event, PlaceMention, Report, Sentence
from eventledger.stages.events import is_heading
from eventledger.stages.fa.normalise import Word
from eventledger.stages.fa.numbers import Figure, figures
from eventledger.stages.fa.vocabulary import GAP, Actor, Trigger, Vocabulary

_REPRESSION = frozenset({"arrest", "assault", "execution", "sentence"})
_FATAL = frozenset({"assault", "execution", "armed_clash", "explosion"})
_COMBAT = frozenset({"armed_clash", "explosion"})
_KILLED = frozenset({"کشته", "کشتن", "جان", "قتل", "اعدام", "شهادت"})
_NOT_HERE = frozenset({"اهل", "ساکن", "زادگاه", "متولد", "زاده"})  # a person's home, not where it happened
_PLACE_ROLES = frozenset({"event", "site"})
AGGREGATE_MIN = 10
# a noun trigger followed by these names people or refers back: "بازداشت‌شدگان", "اعتراضات اخیر"
_AFTER_NOUN = frozenset({"شدگان", "شدگانی", "اخیر", "گذشته", "پیشین", "قبلی"})


@dataclass(frozen=True, slots=True)
class Hit:
    trigger: Trigger
    first: int
    last: int
    negated: bool

    @property
    def verbal(self) -> bool:
        return self.trigger.form == "verb" and any(w is not GAP and w.endswith("ن") for w in self.trigger.words[-1:])


@dataclass(frozen=True, slots=True)
class ActorHit:
    actor: Actor
    first: int
    last: int


def _forms(vocab: Vocabulary, ws: Sequence[Word]) -> list[tuple[frozenset[str], bool]]:
    """Each word's keys a phrase word may be (as written, its stem, its verb's infinitive) and
    whether it is a negated verb: worked out once per word, for every trigger that tries it."""
    out = []
    for w in ws:
        lemma = vocab.lemma(w.key, w.prefix)
        keys = {w.key, vocab.stem(w.key)}
        if lemma is not None:
            keys.add(lemma[0])
        out.append((frozenset(keys), bool(lemma and lemma[1])))
    return out


def _match_at(vocab: Vocabulary, forms: list[tuple[frozenset[str], bool]], i: int, trigger: Trigger) -> Hit | None:
    pos, negated, gap, n_words = i, False, 0, len(forms)
    for pw in trigger.words:
        if pw is GAP:
            gap = vocab.max_gap
            continue
        for j in range(pos, min(n_words, pos + gap + 1)):
            if pw in forms[j][0]:
                break
        else:
            return None
        negated = negated or forms[j][1]
        pos, gap = j + 1, 0
    return Hit(trigger, i, pos - 1, negated)


def triggers(vocab: Vocabulary, ws: Sequence[Word]) -> list[Hit]:
    """The triggers of a sentence: longest first, no two sharing a word."""
    forms = _forms(vocab, ws)
    found: list[Hit] = []
    index = vocab.triggers
    last = len(forms) - 1
    for i, (keys, _) in enumerate(forms):
        for k in keys:
            for trigger in index.get(k, ()):
                second = trigger.words[1] if len(trigger.words) > 1 else GAP
                if second is not GAP and (i == last or second not in forms[i + 1][0]):
                    continue  # a quick test of the next word ("به" begins many phrases)
                hit = _match_at(vocab, forms, i, trigger)
                if hit is not None:
                    found.append(hit)
    found.sort(key=lambda h: (-h.trigger.weight, h.first))
    used: set[int] = set()
    out: list[Hit] = []
    for hit in found:
        span = set(range(hit.first, hit.last + 1))
        if span & used:
            continue
        used |= span
        out.append(hit)
    return sorted(out, key=lambda h: h.first)


def actors(vocab: Vocabulary, ws: Sequence[Word]) -> list[ActorHit]:
    out: list[ActorHit] = []
    i = 0
    while i < len(ws):
        hit = None
        for k in (ws[i].key, vocab.stem(ws[i].key)):
            for alias, actor in vocab.actors.get(k, ()):
                if all(i + n < len(ws) and (ws[i + n].key == a or vocab.stem(ws[i + n].key) == vocab.stem(a))
                       for n, a in enumerate(alias)):
                    hit = ActorHit(actor, i, i + len(alias) - 1)
                    break
            if hit:
                break
        if hit:
            out.append(hit)
            i = hit.last + 1
        else:
            i += 1
    return out


def _cued(vocab: Vocabulary, ws: Sequence[Word], hit: Hit) -> bool:
    """A cue ("در اعتراض به", "پس از") a few words before a noun trigger: it is referred to."""
    if hit.verbal:
        return False
    if hit.last + 1 < len(ws) and ws[hit.last + 1].key in _AFTER_NOUN:
        return True
    window = [w.key for w in ws[max(0, hit.first - vocab.cue_window):hit.first]]
    for cue in vocab.modal_cues:
        n = len(cue)
        if any(tuple(window[k:k + n]) == cue for k in range(len(window) - n + 1)):
            return True
    return False


def _tactic(vocab: Vocabulary, hit: Hit, ws: Sequence[Word]) -> str | None:
    """A hit's tactic; a sentence's from the words nearest it ("به قصاص محکوم": death; "شش سال حبس": prison)."""
    if hit.trigger.event_type != "sentence" or hit.trigger.tactic:
        return hit.trigger.tactic
    near = list(range(hit.last, max(-1, hit.first - 5), -1))
    rest = [i for i in range(len(ws)) if i not in near]
    for i in (*near, *rest):
        found = vocab.sentence_tactics.get(ws[i].key) or vocab.sentence_tactics.get(vocab.stem(ws[i].key))
        if found:
            return found
    return None


def _pluperfect(vocab: Vocabulary, hit: Hit, ws: Sequence[Word]) -> bool:
    """"محکوم شده بودند": told as background, before what the report is about."""
    nxt = hit.last + 1
    return hit.verbal and nxt < len(ws) and (vocab.lemma(ws[nxt].key) or ("",))[0] == "بودن"


def _actor(vocab: Vocabulary, hit: Hit, found: list[ActorHit]) -> Actor | None:
    doers = [a for a in found if not a.actor.reporter]
    event_type = hit.trigger.event_type
    if event_type in _REPRESSION:
        state = [a for a in doers if a.actor.actor_class in ("state", "foreign")]
        before = [a for a in state if a.last < hit.first]
        chosen = before[-1] if before else (state[0] if state else None)
    elif event_type == "armed_clash":
        before = [a for a in doers if a.last < hit.first]
        chosen = before[0] if before else None
    else:
        before = [a for a in doers if a.last < hit.first and a.actor.actor_class != "state"]
        chosen = before[0] if before else None
        if hit.trigger.form == "noun":  # "تجمع خانواده‌ها": who gathered follows the noun
            after = [a for a in doers if 0 < a.first - hit.last <= 2 and a.actor.actor_class != "state"]
            chosen = after[0] if after else chosen
    if chosen is not None:
        return chosen.actor
    return vocab.default_actor.get(event_type)


def _place_fields(mention: PlaceMention | None) -> dict[str, object]:
    if mention is None:
        return {"country": "IR", "geo_precision": "country"}
    place = mention.place
    if place.level == "city":
        return {"location": place.name, "admin1": place.admin1, "country": place.country, "geonameid": place.geonameid,
                "latitude": place.latitude, "longitude": place.longitude, "geo_precision": "city"}
    if place.level == "province":
        return {"admin1": place.admin1, "country": place.country, "geo_precision": "province"}
    return {"country": place.country, "geo_precision": "country"}


def _date_fields(mention: DateMention | None, report: Report) -> tuple[str | None, str | None, str | None]:
    if mention is None or mention.date_start is None:
        if report.published is None:
            return None, None, None
        return (report.published - dt.timedelta(days=30)).isoformat(), report.published.isoformat(), "month"
    end = mention.date_end or mention.date_start
    precision = "span" if mention.precision == "day" and end != mention.date_start else mention.precision
    return mention.date_start.isoformat(), end.isoformat(), precision


def _stale(start: str | None, end: str | None, report: Report, days: int) -> bool:
    if report.published is None or not start or not end:
        return False
    return (dt.date.fromisoformat(end) < report.published - dt.timedelta(days=days)
            or dt.date.fromisoformat(start) > report.published)


def _assign(hits: list[Hit], places: list[tuple[int, PlaceMention]]) -> dict[int, list[PlaceMention]]:
    """Each place (by word index) to the nearest trigger after it, else the last before it."""
    out: dict[int, list[PlaceMention]] = {n: [] for n in range(len(hits))}
    for index, place in places:
        after = [n for n, h in enumerate(hits) if h.first >= index]
        n = after[0] if after else len(hits) - 1
        if place.place.geonameid not in {p.place.geonameid for p in out[n]} or place.place.geonameid is None:
            out[n].append(place)
    return out


def _word_index(ws: Sequence[Word], offset: int) -> int:
    return next((n for n, w in enumerate(ws) if w.end > offset), len(ws))


def _figure_for(hit: Hit, found: list[Figure], ws: Sequence[Word]) -> Figure | None:
    """The figure before the trigger (within 12 words), else one right after it, else the sentence's
    first figure of people before it ("سه زندانی که ... اعدام شدند"). A measure ("پنج سال") counts nothing."""
    found = [f for f in found if not f.unit]
    inside = [f for f in found if hit.first < f.first and f.last < hit.last]  # "حکم اعدام سه زندانی ... اجرا شد"
    if inside:
        return inside[0]
    before = [f for f in found if f.last < hit.first and hit.first - f.last <= 12]
    if before:
        return before[-1]
    after = [f for f in found if f.first > hit.last and f.first - hit.last <= 4]
    if after:
        return after[0]
    return next((f for f in found if f.people and f.last < hit.first), None)


@dataclass
class Context:
    """What earlier sentences of the report said: the date and place later sentences refer to."""

    date: DateMention | None = None
    place: PlaceMention | None = None
    paragraph: int = -1


def sentence_events(vocab: Vocabulary, report: Report, sentence: Sentence, ws: Sequence[Word],
                    places: list[PlaceMention], dates: list[DateMention], context: Context) -> list[Event]:
    if sentence.paragraph != context.paragraph:
        context.paragraph = sentence.paragraph
    hits = [h for h in triggers(vocab, ws) if not h.negated and not _cued(vocab, ws, h)]
    background = [h for h in hits if _pluperfect(vocab, h, ws)]
    if background and (not dates or len(background) < len(hits)):  # the main act is told in another tense
        hits = [h for h in hits if h not in background]
    located = [(_word_index(ws, p.start), p) for p in places if p.role in _PLACE_ROLES]
    located = [(i, p) for i, p in located if not (i > 0 and ws[i - 1].key in _NOT_HERE)]
    has_anchor = bool(located or dates)
    hits = [h for h in hits if h.trigger.form == "verb" or has_anchor]
    if any(h.trigger.event_type in _COMBAT for h in hits):  # the dead of a clash or blast are its own
        hits = [h for h in hits if not (h.trigger.event_type == "assault" and h.trigger.tactic == "unspecified")]
    precise = [d for d in dates if d.precision in ("day", "span")] or dates
    if not hits:
        _remember(context, located, precise)
        return []
    found_actors = actors(vocab, ws)
    found_figures = figures(ws, [(d.start, d.end) for d in dates])
    reporter = next((a.actor.name for a in found_actors if a.actor.reporter), None)
    assigned = _assign(hits, located) if located else {n: [] for n in range(len(hits))}
    out: dict[tuple, Event] = {}
    for n, hit in enumerate(hits):
        date = _nearest_date(precise, ws[hit.first].start) or context.date
        start, end, precision = _date_fields(date, report)
        if _stale(start, end, report, vocab.history_days):
            continue
        actor = _actor(vocab, hit, found_actors)
        figure = _figure_for(hit, found_figures, ws)
        if _aggregate(hit, figure, [p for _, p in located], date):
            continue
        targets: Sequence[PlaceMention | None] = (_most_precise(assigned[n]) or _nearest_place(located, hit)
                                                  or [context.place])
        for place in targets:
            event = _event(report, sentence, hit, _tactic(vocab, hit, ws), actor, place, (start, end, precision),
                           figure, ws, reporter, bool(assigned[n]), date is not None)
            k = (event.event_type, event.actor1, event.geonameid, event.admin1, event.date_start)
            if k in out:
                out[k] = _merged(out[k], event)
            else:
                out[k] = event
    _remember(context, located, precise)
    return list(out.values())


def _most_precise(places: list[PlaceMention]) -> list[PlaceMention]:
    """A trigger's towns, without the provinces and countries that only locate them."""
    towns = [p for p in places if p.place.level == "city"]
    return towns or places


def _nearest_place(located: list[tuple[int, PlaceMention]], hit: Hit) -> list[PlaceMention]:
    if not located:
        return []
    return [min(located, key=lambda ip: abs(ip[0] - hit.first))[1]]


def _aggregate(hit: Hit, figure: Figure | None, places: list[PlaceMention], date: DateMention | None) -> bool:
    """"دست‌کم ۱۲۰ نفر ... در ایران اعدام شده‌اند": a figure of many people, qualified or over a month or
    more, with no town in its sentence, is a claim about many events (claims), not one event."""
    if figure is None or figure.value < AGGREGATE_MIN or hit.trigger.event_type not in _REPRESSION:
        return False
    long_period = date is not None and date.precision in ("month", "year")
    return (figure.qualifier != "exact" or long_period) and all(p.place.level != "city" for p in places)


def _merged(a: Event, b: Event) -> Event:
    fatalities = a.fatalities or b.fatalities
    count = a.count or b.count
    return replace(a, fatalities=fatalities, arrests=a.arrests or b.arrests,
                   count=None if count == fatalities else count, tactic=a.tactic or b.tactic)


def _remember(context: Context, located: list[tuple[int, PlaceMention]], dates: list[DateMention]) -> None:
    if located:
        context.place = located[-1][1]
    if dates:
        context.date = dates[-1]


def _nearest_date(dates: list[DateMention], pos: int) -> DateMention | None:
    before = [d for d in dates if d.start <= pos]
    if before:
        return before[-1]
    return dates[0] if dates else None


def _event(report: Report, sentence: Sentence, hit: Hit, tactic: str | None, actor: Actor | None,
           place: PlaceMention | None, date: tuple[str | None, str | None, str | None], figure: Figure | None,
           ws: Sequence[Word], reporter: str | None, placed: bool, dated: bool) -> Event:
    event_type = hit.trigger.event_type
    fatalities = arrests = count = None
    if figure is not None:
        if event_type in _FATAL and (event_type == "execution" or _killed(hit, ws)):
            fatalities = figure.value
        elif event_type == "arrest":
            arrests = figure.value
        else:
            count = figure.value
    confidence = 0.55 + 0.15 * placed + 0.15 * dated + (0.05 if hit.trigger.form == "verb" else 0.0)
    return Event(doc=report.doc, event_type=event_type, tactic=tactic, date_start=date[0], date_end=date[1],
                 time_precision=date[2], actor1=actor.name if actor else None,
                 actor_class=actor.actor_class if actor else "unknown", fatalities=fatalities, arrests=arrests,
                 count=count, reported_by=reporter, evidence=sentence.text, evidence_start=sentence.start,
                 evidence_end=sentence.end, confidence=round(confidence, 2),
                 **_place_fields(place))  # type: ignore[arg-type]


def _killed(hit: Hit, ws: Sequence[Word]) -> bool:
    """The figure of an attack is of the dead when its words, or the sentence's words after them, say so
    ("کشته شدند"; "... با شلیک مستقیم ماموران جان باخت": the verb ends the sentence), else of the hurt
    or of those attacked (`count`)."""
    return hit.trigger.event_type == "execution" or any(w.key in _KILLED for w in ws[hit.first:])


def heading(sentence: Sentence, sentences: Sequence[Sentence]) -> bool:
    """A headline: a paragraph of one sentence without sentence-final punctuation that other text follows
    (as `stages.events.is_heading`); its act is told again, dated and placed, in the text below."""
    alone = sum(1 for s in sentences if s.paragraph == sentence.paragraph) == 1
    later = any(s.paragraph > sentence.paragraph for s in sentences)
    return alone and later and is_heading(sentence, 1)


def find(vocab: Vocabulary, report: Report, sentences: Iterable[tuple[Sentence, Sequence[Word]]],
         places: list[PlaceMention], dates: list[DateMention],
         all_sentences: Sequence[Sentence] = ()) -> list[Event]:
    context = Context()
    out: dict[tuple, Event] = {}
    for sentence, ws in sentences:
        if heading(sentence, all_sentences):
            continue
        inside_places = [p for p in places if sentence.start <= p.start < sentence.end]
        inside_dates = [d for d in dates if sentence.start <= d.start < sentence.end]
        for event in sentence_events(vocab, report, sentence, ws, inside_places, inside_dates, context):
            k = _identity(event)
            if k not in out and event.actor1 is None:  # "در این درگیری ...": the same act, its doer named before
                k = next((o for o in out if o[0] == k[0] and o[2:] == k[2:]), k)
            out[k] = _merged(out[k], event) if k in out else event
    return list(out.values())


def _identity(event: Event) -> tuple:
    """One event per type x actor x place x date: a later sentence telling more of it adds its figures."""
    return (event.event_type, event.actor1, event.geonameid, event.admin1, event.date_start, event.date_end)
