"""Roles after the choice: datelines, streets and districts (resolved to their city), vicinity
("a village near X"), organisations and provinces beside their towns, outlets ("Fars News")."""

from __future__ import annotations

import re
from collections import defaultdict

from eventledger.gazetteer.matcher import Tokens
from eventledger.models import Place
from eventledger.stages.places.filters import is_district
from eventledger.stages.places.records import GLUED_POPULATION, Doc, Found, effective_population
from eventledger.stages.places.resolve import km
from eventledger.stages.places.vocab import Vocabulary
from eventledger.stages.places.words import in_list

DISTRICT_KM = 25.0
DISTRICT_CITY_POPULATION = 300_000
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?)"
# (the year is optional: wire datelines omit it, "TEHRAN, Oct. 3 (IRNA) -")
_DATELINE = re.compile(
    r"(?P<place>(?:\s*,\s*[A-Z][A-Za-z.'\u2019 -]{1,40}?)?)"
    rf"(?P<date>(?:\s*,?\s*(?:[A-Z][a-z]+day,?\s+)?{_DATE})?)"
    r"(?P<agency>\s*(?:\([^()\n]{1,40}\))?)"
    r"\s*[-\u2013\u2014]"
)


_LINE_LEAD = " \t\u00a0*_#>\ufeff"  # what may stand between a line's start and a dateline


def _line_start(text: str, pos: int) -> bool:
    if pos and text[pos - 1] not in _LINE_LEAD:  # the usual case: a word or punctuation right before
        return text[pos - 1] == "\n"
    line = text.rfind("\n", 0, pos) + 1
    return text[line:pos].strip(_LINE_LEAD) == ""


def _dateline_end(found: Found, text: str, tokens: Tokens) -> int | None:
    """End offset of a dateline starting with this name, or None."""
    if not _line_start(text, found.start):
        return None
    m = _DATELINE.match(text, found.end, min(len(text), found.end + 90))
    if not m:
        return None
    strong = m.group("date") or m.group("agency").strip() or tokens.upper(found.match.first)
    return m.end() if strong else None


def mark_datelines(founds: list[Found], text: str, tokens: Tokens) -> None:
    end = -1
    for f in founds:
        if f.start < end:
            f.role = "dateline"
            continue
        stop = _dateline_end(f, text, tokens)
        if stop is not None:
            f.role, end = "dateline", stop


def _city_before(found: Found, paragraph: list[Found]) -> Place | None:
    """The last town named before `found` in its paragraph, if any."""
    for other in reversed([f for f in paragraph if f.start < found.start]):
        if other.role in ("event", "site") and other.place and other.place.level == "city":
            return other.place
    return None


def _small_town(place: Place | None) -> bool:
    """A town that may be a district of a big city named near it."""
    return place is not None and place.level == "city" and effective_population(place) < GLUED_POPULATION


def _big_city_near(found: Found, paragraph: list[Found]) -> Place | None:
    """A big city in the same paragraph within DISTRICT_KM of a small place: it is a district."""
    place = found.place
    if place is None or not _small_town(place):
        return None
    for other in paragraph:
        big = other.place
        if (big and other is not found and big.level == "city" and big.population >= DISTRICT_CITY_POPULATION
                and km(place, big) <= DISTRICT_KM):
            return big
    return None


def resolve_streets(founds: list[Found], doc: Doc) -> list[Found]:
    """Streets and districts take the city named before them (or near them); else dropped."""
    paragraph_of = [doc.paragraph(f.start) for f in founds]
    paragraphs: dict[int, list[Found]] = defaultdict(list)
    for f, at in zip(founds, paragraph_of, strict=True):
        paragraphs[at].append(f)
    out = []
    for f, at in zip(founds, paragraph_of, strict=True):
        paragraph = paragraphs[at]
        big = _big_city_near(f, paragraph) if f.role == "event" and _small_town(f.place) else None
        if big is not None:
            f.role, f.place = "street", big
        elif f.role == "street" or (f.after_street and is_district(f)):
            f.role, f.place = "street", _city_before(f, paragraph)
        if f.place is not None:
            out.append(f)
    return out


_CITY_OF = frozenset({("city", "of"), ("town", "of"), ("county", "of")})  # "a district of the city of"


def mark_vicinity(founds: list[Found], text: str, voc: Vocabulary) -> None:
    """"a village near Bam", "in a district of Kerman": the event's place is only the town around it."""
    for f in founds:
        # (the search only where the words right before may end such a phrase: it is per mention)
        before = f.before
        if f.role == "event" and before and (not voc.vicinity_words.isdisjoint(before) or before[-2:] in _CITY_OF):
            f.vicinity = voc.vicinity_before.search(text, max(0, f.start - 60), f.start) is not None


_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")
_SITE_IN = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?", re.IGNORECASE)


def names_and_regions(founds: list[Found], text: str) -> None:
    """Within a sentence, only the towns where things happen are event places:

    - a town naming an organisation ("the Arak steel company") beside another town: "organisation";
    - a town naming a site right before "in" another town ("Bam University in Kerman"): "organisation";
    - a province named beside a town of that province ("Khuzestan workers ... in Ahvaz"): "qualifier"
      of that town (the province only contains it)."""
    for i, f in enumerate(founds):
        if f.role not in ("event", "site") or f.place is None or not (
                f.named_after or (f.role == "event" and f.place.level == "province")):
            continue  # (the usual case: only these few mentions look at their sentence)
        others = [g for g in _sentence_mates(founds, i, text) if g.role in ("event", "site")
                  and g.place is not None and g.place is not f.place]
        if _names_an_organisation(founds, i, others, text):
            f.role = "organisation"
        elif f.role == "event" and f.place.level == "province" and not _listed(founds, i, text):
            town = next((g for g in others if g.place is not None  # (so are all `others`)
                         and g.place.level == "city" and g.place.admin1 == f.place.name), None)
            if town is not None:
                f.role, f.qualifies = "qualifier", town


def _sentence_mates(founds: list[Found], i: int, text: str) -> list[Found]:
    """The other mentions in the sentence of mention i (walking out from it to a sentence end)."""
    out = []
    for step in (-1, 1):
        j, last = i + step, founds[i]
        while 0 <= j < len(founds):
            g = founds[j]
            lo, hi = (g.end, last.start) if step < 0 else (last.end, g.start)
            if hi - lo > 400 or _SENTENCE_END.search(text, lo, max(lo, hi)):
                break
            out.append(g)
            last, j = g, j + step
    return out


def _names_an_organisation(founds: list[Found], i: int, others: list[Found], text: str) -> bool:
    f = founds[i]
    if f.named_after == "organisation":
        return any(g.place is not None and g.place.level == "city" and not g.named_after for g in others)
    if f.named_after != "site" or i + 1 >= len(founds):
        return False
    nxt = founds[i + 1]
    return nxt.place is not None and nxt.place.level == "city" \
        and _SITE_IN.fullmatch(text, f.end, nxt.start) is not None


def _listed(founds: list[Found], i: int, text: str) -> bool:
    """Mention i is an item of a list of places ("Babolsar, Mazandaran, Sirjan")."""
    return (i > 0 and in_list(founds[i - 1], founds[i], text)) or \
        (i + 1 < len(founds) and in_list(founds[i], founds[i + 1], text))


def orphan_qualifiers(founds: list[Found]) -> None:
    """A qualifier whose place was dropped (part of a longer unknown name, a person's name) is the
    only place left for it: "in Deh Bala Kalateh village (Gilan)" happened in Gilan."""
    kept = {id(f) for f in founds}
    for f in founds:
        if f.role == "qualifier" and f.qualifies is not None and id(f.qualifies) not in kept:
            f.role = "event"


_OUTLET_AFTER = re.compile(r"\s+(?:News|news agency|Agency|TV|Daily|daily|Times|Radio)\b|,\s+(?:a|the)\s+"
                           r"(?:state-run|state|semi-official|official|government)\b")


def is_outlet(text: str, end: int) -> bool:
    """"Fars News", "reported Fars, a state-run news agency": a medium named after a place."""
    return bool(_OUTLET_AFTER.match(text, end))
