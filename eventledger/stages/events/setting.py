"""After the reading: placeholders superseded, acts placed by the report's setting or a person's
origin, casualties folded into their attack, province summaries dropped, duplicates merged."""

from __future__ import annotations

import re
from dataclasses import replace

from eventledger.models import Analysis, Event, PlaceMention
from eventledger.stages.events.cues import _is_origin
from eventledger.stages.events.document import _Doc
from eventledger.stages.events.fields import _placed


def _overlap(a: Event, b: Event) -> bool:
    return bool(a.date_start and b.date_start and a.date_start <= (b.date_end or b.date_start)
                and b.date_start <= (a.date_end or a.date_start))


def _drop_placeholders(events: list[tuple[Event, int]]) -> list[Event]:
    """Drop a country-level event when its frame goes on to name the places of the same act."""
    located = [(e, start) for e, start in events if e.geo_precision != "country"]

    def superseded(event: Event, start: int) -> bool:
        return any(o.event_type == event.event_type and s == start and _overlap(o, event) for o, s in located)

    kept = [e for e, start in events if e.geo_precision != "country" or not superseded(e, start)]
    return _drop_province_summaries(kept)


def _drop_province_summaries(events: list[Event]) -> list[Event]:
    """Drop a province-level event when the report tells the same act (type, overlapping dates) in a
    town of that province: "protesters killed in Kurdistan province in recent days" above the list of
    towns where each was killed is that list's summary, not another event. (A province listed among
    towns in one sentence is an item of the list.)"""
    towns = [e for e in events if e.geo_precision == "city"]
    if not towns:
        return events

    def summarised(event: Event) -> bool:
        return any(t.event_type == event.event_type and t.admin1 == event.admin1 and _overlap(t, event)
                   and t.evidence_start != event.evidence_start for t in towns)  # a list item is no summary

    return [e for e in events if e.geo_precision != "province" or not summarised(e)]


_SITE_TYPES = frozenset({"execution", "sentence", "arrest"})  # acts done in prisons and courts


def _setting(analysis: Analysis, event_type: str) -> PlaceMention | None:
    """The place a report is about, for an act it tells without naming where: the place it names most
    (a prison or court counts double for acts done there; a place of birth, residence or burial counts
    half), when that place holds at least half of all the weight; the first named of equals. A province
    holds its towns' weight too, and gives way to the town of it the report names most."""
    text = analysis.report.text
    weights: dict[tuple, float] = {}
    first: dict[tuple, PlaceMention] = {}
    for mention in analysis.places:
        place = mention.place
        if mention.role not in ("event", "site", "street") or place.level not in ("city", "province"):
            continue
        key = (place.level, place.geonameid, place.admin1, place.name)
        weight = 2.0 if mention.role == "site" and event_type in _SITE_TYPES else 1.0
        if _is_origin(text, mention):
            weight /= 2
        weights[key] = weights.get(key, 0.0) + weight
        first.setdefault(key, mention)
    if not weights:
        return None
    best = max(weights, key=weights.__getitem__)  # the first of equals: dicts keep their order
    held = weights[best]
    if best[0] == "province":  # the province's towns are in it too; its most named town is more precise
        towns = [k for k in weights if k[0] == "city" and k[2] == best[2]]
        held += sum(weights[k] for k in towns)
        best = max(towns, key=weights.__getitem__) if towns else best
    return first[best] if 2 * held >= sum(weights.values()) else None


_COUNTRY_WIDE = re.compile(
    r"\b(?:nation-?wide|countrywide|across the country|throughout the country|all over the country|"
    r"across (?:the )?(?:provinces|cities)|"
    r"in (?:many|several|various|dozens of|numerous) (?:cities|towns|provinces))\b",
    re.IGNORECASE)


_ACROSS = re.compile(r"\b(?:across|throughout|all over|around|cities of|towns of|provinces of)\s+(?:the\s+)?$",
                     re.IGNORECASE)


_CROWD_ACROSS_TOWNS = 1000


def _country_wide(analysis: Analysis, event: Event) -> bool:
    """Whether an event is told as country-wide: its sentence places it across a country ("across Iran",
    "nationwide"), or thousands take part in it with no town named."""
    if (event.count or 0) >= _CROWD_ACROSS_TOWNS:  # "5,000 supporters sent messages": no one town's act
        return True
    start, end = event.evidence_start, event.evidence_end
    if _COUNTRY_WIDE.search(analysis.report.text, start, end):
        return True
    text = analysis.report.text
    return any(start <= m.start < end and m.place.level == "country" and _ACROSS.search(text, max(0, m.start - 24),
                                                                                          m.start)
               for m in analysis.places)


def _origin_in(analysis: Analysis, event: Event) -> PlaceMention | None:
    """"A resident of Ilam was detained": where the person the act is told of comes from, named in
    its own sentence, is a nearer guess than the report's setting."""
    text = analysis.report.text
    found = [m for m in analysis.places if event.evidence_start <= m.start < event.evidence_end
             and m.role in ("event", "site") and m.place.level in ("city", "province") and _is_origin(text, m)]
    return found[-1] if found else None  # "from Dezful, living in Isfahan": where the person lived


def _place_by_setting(analysis: Analysis, doc: _Doc, events: list[Event]) -> list[Event]:
    """Recall first: an act the report places nowhere is put where the person it is told of comes from
    (`_origin_in`), else at the place the report is about (`_setting`), with a lower confidence, rather
    than left at country level. A loose act (told with neither place, date nor figure) is an event
    only so placed. An act so placed where the report already has an act of its type is that act told
    again (a case file names the hanging three times), not another."""
    out = []
    told = {(e.event_type, _place_key(e)) for e in events if e.geo_precision != "country"}
    settings: dict[bool, PlaceMention | None] = {}  # `_setting` depends only on whether prisons count double
    for event in events:
        wide = event.geo_precision != "country" or _country_wide(analysis, event)
        mention = None if wide else _origin_in(analysis, event)
        if mention is None and not wide:
            site = event.event_type in _SITE_TYPES
            if site not in settings:
                settings[site] = _setting(analysis, event.event_type)
            mention = settings[site]
        if mention is None:
            if id(event) not in doc.loose:
                out.append(event)
            continue
        placed = replace(event, **_placed(doc, mention)._asdict(),
                         confidence=round(event.confidence - 0.1, 2))
        if (placed.event_type, _place_key(placed)) not in told:
            told.add((placed.event_type, _place_key(placed)))
            out.append(placed)
    return out


def _place_key(event: Event) -> tuple:
    return event.geo_precision, event.geonameid, event.admin1, event.location


_ATTACKS = frozenset({"armed_clash", "explosion"})  # acts whose dead and wounded are their own casualties


def _fold_casualties(events: list[Event]) -> list[Event]:
    """"Gunmen clashed with police near Rasak. As a result, an officer was killed.": the killing is the
    clash's casualty, not an assault of its own. A killing or wounding with no tactic of its own, at the
    place and time of a clash or a blast the report tells, is folded into it (its figure becomes the
    clash's fatalities when the clash has none)."""
    attacks = [e for e in events if e.event_type in _ATTACKS]
    if not attacks:
        return events
    out: list[Event] = []
    folded: dict[int, Event] = {}
    for event in events:
        attack = _attack_of(event, attacks) if event.event_type == "assault" else None
        if attack is None:
            out.append(event)
        elif event.fatalities and not (folded.get(id(attack)) or attack).fatalities:
            folded[id(attack)] = replace(folded.get(id(attack), attack), fatalities=event.fatalities)
    return [folded.get(id(e), e) for e in out]


def _attack_of(event: Event, attacks: list[Event]) -> Event | None:
    if event.tactic not in (None, "unspecified"):
        return None
    key = _place_key(event)
    return next((a for a in attacks if _place_key(a) == key and _overlap(a, event)), None)


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per type x place x date x actor class (a repeated passage is not a new event).

    When two readings merge, the more specific tactic and the stated counts are kept.
    """
    kept: dict[tuple, Event] = {}
    for e in events:
        key = _dedupe_key(e)
        first = kept.get(key)
        if first is None:
            kept[key] = e
        elif first.tactic is None and e.tactic is not None:
            kept[key] = replace(first, tactic=e.tactic)
    return list(kept.values())


def _dedupe_key(e: Event) -> tuple:
    return (e.event_type, e.geo_precision, e.geonameid, e.admin1, e.location, e.date_start, e.date_end,
            e.actor_class)
