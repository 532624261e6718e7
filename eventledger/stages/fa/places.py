"""Persian place names in Persian sentences, looked up in the packaged gazetteer.

A name is one to four words (their keys joined with spaces, or run together where a joiner
stood: "رجایی‌شهر"). The word before a name says what it is: شهر / شهرستان / روستای ... a town,
استان a province, زندان / بازداشتگاه a site resolved to its town (data/fa.toml `[places.sites]`
names prisons GeoNames lacks). Ezafe is unwritten in Persian script, so "زندان اوین تهران" and
"شهر زاهدان" are plain word sequences. A name found only as an alternate name of a small place
must be introduced (a prefix, or a preposition such as در / از) to count: common words are the
alternate names of many villages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from eventledger.gazetteer import Candidate, name_key
from eventledger.gazetteer import load as load_gazetteer
from eventledger.models import Place, PlaceMention
from eventledger.stages.fa.normalise import Word, key
from eventledger.stages.fa.vocabulary import load as load_vocabulary

MAX_WORDS = 4
MIN_POPULATION = 20000  # a town named with no word introducing it must be at least this big
_INTRODUCERS = frozenset({"در", "از", "به", "اطراف", "حومه", "نزدیک", "مرکز", "خیابان", "خیابانهای", "میدان", "و",
                          "تا", "حوالی", "شهرهای", "استانهای", "مناطق", "منطقه", "محله", "بازار", "دانشگاه", "ساکن"})
_STOP = frozenset({"کشور", "مرکز", "مرکزی", "شهر", "استان", "روستا", "زندان"})  # names only after استان
_BLOCKERS = frozenset({"خبرگزاری", "روزنامه", "سایت", "کانال", "شبکه", "تلویزیون", "رادیو"})  # an outlet's name follows


@dataclass(frozen=True)
class PlaceWords:
    city_prefixes: dict[tuple[str, ...], str]  # prefix words -> "city" | "province" | "site"
    sites: dict[str, Place]
    max_prefix: int
    first_words: frozenset[str]  # the first word of every name (gazetteer keys and sites): a quick pre-test


@lru_cache(maxsize=1)
def place_words() -> PlaceWords:
    cfg = load_vocabulary().raw["places"]
    gaz = load_gazetteer()
    prefixes: dict[tuple[str, ...], str] = {}
    for level, names in (("city", cfg["city_prefixes"]), ("province", cfg["province_prefixes"]),
                         ("site", cfg["site_prefixes"])):
        for name in names:
            prefixes[tuple(key(name).split())] = level
    sites = {}
    for name, town in cfg["sites"].items():
        found = [p for p in gaz.lookup(town) if p.level == "city"]
        if found:
            sites[name_key(name)] = found[0]
    first = {k.split(" ")[0] for k in gaz.index if not k.isascii()} | {k.split(" ")[0] for k in sites}
    return PlaceWords(prefixes, sites, max(len(p) for p in prefixes), frozenset(first))


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    """Numbers and the vocabulary's own words: never a place unless a prefix says so."""
    raw = load_vocabulary().raw
    found = {key(w) for w in raw["numbers"]["words"]}
    found |= {key(w) for entry in raw["actor"] for alias in entry["aliases"] for w in alias.split()}
    return frozenset(found)


def _prefix_at(ws: Sequence[Word], i: int, pw: PlaceWords) -> tuple[str, int] | None:
    """The kind of place the words ending just before word i announce, and where they start."""
    for n in range(pw.max_prefix, 0, -1):
        if i - n >= 0:
            found = pw.city_prefixes.get(tuple(w.key for w in ws[i - n:i]))
            if found:
                return found, i - n
    return None


def _candidates(text: str, ws: Sequence[Word], i: int, j: int, offset: int) -> tuple[str, tuple[Candidate, ...]]:
    gaz = load_gazetteer()
    surface = text[ws[i].start - offset:ws[j].end - offset]
    k = name_key(surface)
    found = gaz.candidates(k)
    if not found and j > i:
        found = gaz.candidates(k.replace(" ", ""))
    return k, found


def _choose(found: tuple[Candidate, ...], kind: str | None) -> Place | None:
    if kind == "province":
        province = next((c.place for c in found if c.place.level == "province"), None)
        town = next((c.place for c in found if c.place.level == "city" and c.place.admin1_code), None)
        if province is None and town is not None:  # "استان کرمانشاه": the province of the town of that name
            province = load_gazetteer().province(town.admin1_code or "")
        return province
    iranian = [c for c in found if c.place.country == "IR" or c.exact]
    if not iranian:
        return None
    if kind in ("city", "site"):
        return next((c.place for c in iranian if c.place.level == "city"), iranian[0].place)
    return iranian[0].place


def _plausible(place: Place, candidates: tuple[Candidate, ...], kind: str | None, introduced: bool) -> bool:
    if kind is not None or place.level != "city":
        return True
    exact = any(c.exact and c.place == place for c in candidates)
    return exact or place.population >= MIN_POPULATION or (introduced and place.population >= 1000)


def find(text: str, ws: Sequence[Word], offset: int) -> list[PlaceMention]:
    """Places named in one sentence (`text` starts at `offset` in the report; `ws` its words)."""
    pw = place_words()
    first = pw.first_words
    out: list[PlaceMention] = []
    i = 0
    while i < len(ws):
        if ws[i].key not in first:  # most words begin no name (the same test `_longest` makes, inline)
            i += 1
            continue
        hit = _longest(text, ws, i, offset, pw)
        if hit is None:
            i += 1
            continue
        mention, last = hit
        out.append(mention)
        i = last + 1
    return out


def _longest(text: str, ws: Sequence[Word], i: int, offset: int, pw: PlaceWords) -> tuple[PlaceMention, int] | None:
    if len(ws[i].key) < 2 or name_key(ws[i].key) not in pw.first_words or (i > 0 and ws[i - 1].key in _BLOCKERS):
        return None
    at = ws[i].start - offset
    if at > 0 and text[at - 1] in "\u200c\u200d":  # "کامیون‌داران": the second half of a compound word
        return None
    prefix = _prefix_at(ws, i, pw)
    kind = prefix[0] if prefix else None
    if kind is None and (len(ws[i].key) < 3 or ws[i].key in _function_words()):
        return None
    stop = (ws[i].key in _STOP or (ws[i].key,) in pw.city_prefixes) and kind != "province"
    if (ws[i].key,) in pw.city_prefixes:  # a name that holds its prefix ("استان کرمانشاه" is a town's alias too)
        kind = pw.city_prefixes[(ws[i].key,)]
    introduced = i > 0 and ws[i - 1].key in _INTRODUCERS
    for j in range(min(len(ws), i + MAX_WORDS) - 1, i - 1, -1):
        if j == i and stop:  # "شهرستان", "بندر" alone are no names ("بندر ماهشهر" is)
            break
        k, found = _candidates(text, ws, i, j, offset)
        site = pw.sites.get(k)
        if site is not None:
            return _mention(ws, i, j, offset, text, site, "site", prefix), j
        if not found:
            continue
        place = _choose(found, kind)
        if place is None or not _plausible(place, found, kind, introduced):
            continue
        role = "site" if kind == "site" else "event"
        return _mention(ws, i, j, offset, text, place, role, prefix), j
    return None


def _mention(ws: Sequence[Word], i: int, j: int, offset: int, text: str, place: Place, role: str,
             prefix: tuple[str, int] | None) -> PlaceMention:
    start, end = ws[i].start, ws[j].end
    return PlaceMention(start=start, end=end, surface=text[start - offset:end - offset], place=place, role=role,
                        confidence=0.8 if prefix else 0.7)
