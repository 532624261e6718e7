"""Stage `places.v1`: find place names in a report and resolve each to a gazetteer entry.

Finding and choosing are separate steps:

1. *Candidates*: `gazetteer.matcher` looks up capitalised word n-grams (and Arabic-script
   words) in three tables: blocked phrases ("Fars News"), sites (prisons, universities,
   landmarks -> their city) and the gazetteer's names. Names the text presents as places
   that no table has ("Ghareh Tapeh village (Zanjan)", "the town of Kirmanshah") are then looked
   up by their transliteration skeleton (`fold_names`), under strict conditions.
2. *Context*: the words around each name say what it is: "X province" / "the province of X"
   (a province), "X Street" (a street), "X Central Prison" / "Central Prison of X" (a site),
   "city of X" (a town), "Iraqi X" (not Iranian); a province or country right after a town
   ("Rudbar (Gilan)", "Zahedan, southeastern Iran", "Kiev, Ukraine") qualifies it.
3. *Choice*: a name that is both a province and its capital is the city unless the text says
   province; a province-only name stays a province. Among towns of one name the score adds
   main-name over alternate-name, population, the qualifying province, country or direction,
   and nearness to the unambiguous places named around it.
4. *Filters*: stop words (`places.toml`), small towns (< 10,000 people) only with a cue (a
   list of places, "village of", a qualifier), words glued to another capitalised word
   ("Mehran Samak"), towns named only by an alternate name unless sizeable.
5. *Roles*: "dateline" (``PARIS, FRANCE, Sept. 25, 2021 -``, ``TEHRAN (Reuters) -``), "site",
   "street" (a street or a district of a big city named near it; resolved to that city),
   "qualifier" (a province or country that only locates the town before it), else "event".

Every mention keeps offsets: ``text[start:end] == surface``.

The package, one module a step (each imports only the ones before it; none imports this one):

- `records`: the working records (`Doc`, `Found`) and the population thresholds;
- `words`: the words right around a name, the gap of a list;
- `vocab`: places.toml as keys (`Vocabulary`, `Phrases`), the matcher's tables (`lookup`);
- `caseless`: names in lower case or in a line of capitals (before the look-up);
- `folding`: step 1, names the gazetteer spells otherwise (`fold_names`);
- `reading`: step 2, one name read in its words ("X province", "X Street", sites);
- `qualifiers`: step 2, what locates a town ("Rudbar (Gilan)", "X village near Y");
- `resolve`: step 3, the choice among towns of one name (`km`);
- `filters`: step 4;
- `roles`: step 5 (datelines, streets, vicinity, organisations);
- `country`: the country a report is about (`report_country`, `span_country`);
- this module: `recognise` (the order of the steps), the confidences, the stage `find_places`.
"""

from __future__ import annotations

from dataclasses import replace

from eventledger.gazetteer import load
from eventledger.gazetteer.matcher import find
from eventledger.models import Analysis, PlaceMention
from eventledger.stages.places.caseless import mark_caseless_names
from eventledger.stages.places.country import places_country, report_country, span_country
from eventledger.stages.places.filters import filter_places, is_exact
from eventledger.stages.places.folding import FOLD, fold_names, read_folded
from eventledger.stages.places.qualifiers import link_qualifiers, province_in_parentheses
from eventledger.stages.places.reading import read, site_extension
from eventledger.stages.places.records import MIN_POPULATION, Doc, Found, effective_population
from eventledger.stages.places.resolve import km, resolve_places
from eventledger.stages.places.roles import (
    is_outlet,
    mark_datelines,
    mark_vicinity,
    names_and_regions,
    orphan_qualifiers,
    resolve_streets,
)
from eventledger.stages.places.vocab import Phrases, Vocabulary, lookup, vocabulary

__all__ = [
    "MIN_POPULATION", "Found", "Phrases", "Vocabulary", "effective_population", "find_places", "km",
    "places_country", "recognise", "report_country", "span_country", "vocabulary",
]

VICINITY_CONFIDENCE = 0.5  # a town standing for an unnamed or unknown place near or in it


def _confidence_score(exact: bool, ambiguous: bool, needs_cue: bool) -> float:
    score = 0.9 if exact else 0.75
    if ambiguous:
        score -= 0.1
    if needs_cue:
        score -= 0.15
    return round(score, 2)


# Every confidence (exact, ambiguous, needs a cue), computed once.
_CONFIDENCE = {(e, a, n): _confidence_score(e, a, n) for e in (False, True) for a in (False, True)
               for n in (False, True)}


def _confidence(found: Found) -> float:
    if found.role == "street":
        return 0.6
    if found.vicinity:
        return VICINITY_CONFIDENCE
    # `filters._needs_cue` as `filter_places` found it: since then only a dateline's role (which needs no
    # cue) and a street's place have changed.
    needs_cue = found.needs_cue and found.role != "dateline"
    return _CONFIDENCE[is_exact(found), len(found.candidates) > 1, needs_cue]


def _mention(found: Found, text: str) -> PlaceMention:
    assert found.place is not None
    return PlaceMention(found.start, found.end, text[found.start:found.end], found.place, found.role,
                        _confidence(found))


def recognise(text: str) -> list[PlaceMention]:
    """Every place named in `text`, resolved, in text order (orchestrator: calls the steps above)."""
    gaz, voc = load(), vocabulary()
    doc = Doc.of(text)
    tokens = doc.tokens
    mark_caseless_names(doc, voc)
    matches = find(text, tokens, lookup(), max_words=min(gaz.max_words, 6))
    matches, folded = fold_names(doc, matches, gaz, voc)
    founds = [f for m in matches if (f := read_folded(m, folded[m], tokens, voc) if m.table == FOLD
                                     else read(m, tokens, gaz, voc)) is not None]
    for f in founds:
        site_extension(f, tokens, voc)
        if f.role == "event" and f.after and f.after[0] in voc.organisation_after:
            f.named_after = "organisation"
        province_in_parentheses(f, text, voc)
    link_qualifiers(founds, text, tokens, voc)
    resolve_places(founds)
    founds = filter_places(founds, text, tokens, voc)
    mark_datelines(founds, text, tokens)
    founds = resolve_streets(founds, doc)
    founds = [f for f in founds if not is_outlet(text, f.end)]
    names_and_regions(founds, text)
    orphan_qualifiers(founds)
    mark_vicinity(founds, text, voc)
    return [_mention(f, text) for f in founds]


def find_places(analysis: Analysis) -> Analysis:
    """Stage `places.v1`: fill `Analysis.places` (see the module docstring)."""
    return replace(analysis, places=tuple(recognise(analysis.report.text)))
