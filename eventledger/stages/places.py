"""Stage `places.v1`: find place names in a report and resolve each to a gazetteer entry.

Finding and choosing are separate steps:

1. *Candidates*: `gazetteer.matcher` looks up capitalised word n-grams (and Arabic-script
   words) in three tables: blocked phrases ("Fars News"), sites (prisons, universities,
   landmarks -> their city) and the gazetteer's names. Names the text presents as places
   that no table has ("Ghareh Tapeh village (Zanjan)", "the town of Kirmanshah") are then looked
   up by their transliteration skeleton (`_fold_names`), under strict conditions.
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
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, pairwise, repeat
from operator import lt, sub

from eventledger.data import load_toml
from eventledger.gazetteer import Candidate, Gazetteer, load
from eventledger.gazetteer.matcher import Lookup, Match, Tokens, find, tokenize
from eventledger.gazetteer.names import EZAFE, name_key, skeleton
from eventledger.models import Analysis, Place, PlaceMention

MIN_POPULATION = 10_000  # towns below this need a cue
MIN_ALTERNATE_POPULATION = 50_000  # towns named by an alternate name below this need a cue
UNKNOWN_POPULATION = 10_000  # GeoNames gives 0 for some county seats
GLUED_POPULATION = 20_000  # below this, a town glued to another capitalised word is a person's name
DISTRICT_KM = 25.0
VICINITY_CONFIDENCE = 0.5  # a town standing for an unnamed or unknown place near or in it
QUALIFIER_GAP_MAX = 80  # characters between a place and what qualifies it, at most
NEAR_KM = 60.0  # "X village near Y": farther than this from Y, the X found is another place
DISTRICT_CITY_POPULATION = 300_000
SHORT_CAPS_POPULATION = 100_000
IRAN_CENTRE = (32.4, 53.7)
NEARNESS_KM = 200.0  # a town this much farther (on average) from the places around it loses one point
_NEWLINE = re.compile(r"\n")
_LIST_GAP = re.compile(r"\s*(?:,|،|;|/|&|and|or|, and|, or|و)\s*", re.IGNORECASE)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?)"
# (the year is optional: wire datelines omit it, "TEHRAN, Oct. 3 (IRNA) -")
_DATELINE = re.compile(
    r"(?P<place>(?:\s*,\s*[A-Z][A-Za-z.'\u2019 -]{1,40}?)?)"
    rf"(?P<date>(?:\s*,?\s*(?:[A-Z][a-z]+day,?\s+)?{_DATE})?)"
    r"(?P<agency>\s*(?:\([^()\n]{1,40}\))?)"
    r"\s*[-\u2013\u2014]"
)


# ----------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Vocabulary:
    """The run-time part of places.toml, as normalised keys."""

    sites: dict[str, Place]
    blocked: dict[str, bool]
    stopwords: frozenset[str]
    street_words: frozenset[str]
    site_after: Phrases
    site_before: Phrases
    province_after: frozenset[str]
    province_before: Phrases
    town_before: Phrases
    town_after: frozenset[str]
    foreign_before: frozenset[str]
    directions: dict[str, str]
    qualifier_gap: re.Pattern[str]
    vicinity_before: re.Pattern[str]
    vicinity_words: frozenset[str]  # the words of `vicinity_before`'s phrases (but "of", "in", "to"...)
    organisation_after: frozenset[str]
    town_word_paren: re.Pattern[str]
    caseless_glue: frozenset[str]
    near_gap: re.Pattern[str]
    name_prefixes: frozenset[str]
    fold_before_pairs: frozenset[tuple[str, str]]  # their last two words (("village", "of")), or ("", "near")
    fold_after: frozenset[str]  # after a folded name: a settlement ("village", "county")
    fold_villages: frozenset[str]  # cue words of a village: a folded name needs its province named
    fold_cue_words: frozenset[str]  # `fold_after` and the last words of `town_before`: may cue a folded name


class Phrases:
    """Cue phrases as word-key tuples ("central", "prison", "of"), matched at the start or the end
    of a window of words, longest first: one set look-up per phrase length, not a comparison per
    phrase (every name's context is tested against several of these)."""

    def __init__(self, phrases: tuple[tuple[str, ...], ...]) -> None:
        self.phrases = phrases
        lengths = sorted({len(p) for p in phrases}, reverse=True)
        self._by_length = tuple((n, frozenset(p for p in phrases if len(p) == n)) for n in lengths)
        self.first_words = frozenset(p[0] for p in phrases if p)
        self._last_words = frozenset(p[-1] for p in phrases if p)
        self._empty = () in phrases

    def ending(self, words: tuple[str, ...]) -> tuple[str, ...] | None:
        """The longest phrase `words` ends with, or None."""
        if not self._empty and (not words or words[-1] not in self._last_words):
            return None  # the usual case, in one set test
        for n, group in self._by_length:
            if n <= len(words) and (tail := words[len(words) - n:]) in group:
                return tail
        return None

    def starting(self, words: tuple[str, ...]) -> tuple[str, ...] | None:
        """The longest phrase `words` starts with, or None."""
        if not self._empty and (not words or words[0] not in self.first_words):
            return None  # the usual case, in one set test
        for n, group in self._by_length:
            if (head := words[:n]) in group:
                return head
        return None


def _phrases(items: list[str]) -> Phrases:
    """Word-key tuples, longest first."""
    return Phrases(tuple(sorted({tuple(name_key(p).split()) for p in items}, key=len, reverse=True)))


def _site_table(gaz: Gazetteer, sites: list[dict]) -> dict[str, Place]:
    table = {}
    for site in sites:
        city = next(p for p in gaz.lookup(site["city"]) if p.level == "city" and p.admin1 == site["province"])
        table.update({name_key(n): city for n in site["names"]})
    return table


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data, gaz = load_toml("places.toml"), load()
    cues = data["cues"]
    return Vocabulary(
        sites=_site_table(gaz, data["site"]),
        blocked={name_key(p): True for p in data["blocked"]["phrases"] if " " in name_key(p)},
        stopwords=frozenset(name_key(w) for w in data["stopwords"]["words"]),
        street_words=frozenset(name_key(w) for w in data["streets"]["words"]),
        site_after=_phrases(data["site_words"]["after"]),
        site_before=_phrases(data["site_words"]["before"]),
        province_after=frozenset(name_key(w) for w in cues["province_after"]),
        province_before=_phrases(cues["province_before"]),
        town_before=_phrases(cues["town_before"]),
        town_after=frozenset(name_key(w) for w in cues["town_after"]),
        foreign_before=frozenset(name_key(w) for w in cues["foreign_before"]),
        directions={name_key(k).replace(" ", ""): v for k, v in cues["directions"].items()},
        qualifier_gap=_qualifier_gap(cues["town_after"]),
        vicinity_before=_vicinity_before(cues["vicinity_words"], cues["near"]),
        vicinity_words=frozenset(w for p in [*cues["near"], *cues["vicinity_words"]] for w in name_key(p).split()
                                 if w not in ("of", "in", "to", "the", "on", "from", "not")),
        caseless_glue=frozenset(name_key(w) for w in cues["caseless_glue"]) | frozenset(
            name_key(w) for w in cues["organisation_after"]),
        town_word_paren=re.compile(rf"\b(?:{_words_re(cues['town_after'])})\s*\($", re.IGNORECASE),
        organisation_after=frozenset(name_key(w) for w in cues["organisation_after"]),
        near_gap=_near_gap(cues["town_after"], cues["near"]),
        name_prefixes=frozenset(name_key(w) for w in cues["name_prefixes"]),
        fold_before_pairs=frozenset(tuple(["", *name_key(p).split()][-2:])
                                    for p in [*cues["town_before"], *cues["province_before"]]),
        fold_after=frozenset(name_key(w) for w in cues["fold_after"]),
        fold_villages=frozenset(name_key(w) for w in cues["fold_villages"]),
        fold_cue_words=frozenset(name_key(w) for w in [*cues["fold_after"], *cues["province_after"]])
        | frozenset(name_key(p).split()[-1] for p in [*cues["town_before"], *cues["province_before"]]),
    )


def _words_re(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _qualifier_gap(town_words: list[str]) -> re.Pattern[str]:
    """The text between a town and the province or country that locates it: "Rudbar (Gilan)",
    "Behbahan city (Khuzestan)", "Saravan County, Sistan", "a district of Kerman in the province of"."""
    return re.compile(rf"\s*(?:(?:{_words_re(town_words)})\b\s*)?(?:\(|,|،|-|–|in|of)\s*(?:the\s+)?"
                      r"(?:province\s+of\s+)?", re.IGNORECASE)


def _vicinity_before(words: list[str], near: list[str]) -> re.Pattern[str]:
    """What stands before a town that only locates an unnamed or unknown place: "a village near",
    "in a district of", "outside"."""
    return re.compile(rf"(?:\b(?:{_words_re(words)})\s+(?:of|in)|\b(?:{_words_re(near)}))\s+(?:the\s+)?"
                      r"(?:(?:city|town|county)\s+of\s+)?$", re.IGNORECASE)


def _near_gap(town_words: list[str], near: list[str]) -> re.Pattern[str]:
    """The text between a place and a town that only locates it: "Sardasht village near Mahabad",
    "a district of Kerman", "a village in Khaf county" (a town word, then "of" or "in";
    or "near", "outside")."""
    town = _words_re(town_words)
    return re.compile(rf"\s*(?:(?:{town})\b\s*)?,?\s*(?:{_words_re(near)})\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?"
                      rf"|\s*(?:{town})\s+(?:of|in)\s+(?:the\s+)?(?:(?:city|town|county)\s+of\s+)?",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _lookup() -> Lookup:
    """The matcher's tables, merged once: blocked phrases, then sites, then the gazetteer."""
    gaz, voc = load(), vocabulary()
    return Lookup({"blocked": voc.blocked, "site": voc.sites, "place": gaz.index})


# ----------------------------------------------------------------------------- names not capitalised

LOWERCASE_POPULATION = 100_000  # a town this big is a place even in lower case (unless a common word)
CASELESS_MAX_WORDS = 4
_CAPS_LINE_WORDS = 4  # a line of at least this many words, all in capitals, says nothing by its case


@dataclass(frozen=True)
class _Caseless:
    """Names to look for among words whose case says nothing (lower case, or a line in capitals):
    `plain`, places by themselves (provinces, countries, big towns; not common words); `cued`, any
    place's own name, if the words around it present it as a place ("in X city", "village of x")."""

    plain: frozenset[str]
    cued: frozenset[str]
    first_words: frozenset[str]
    plain_first: frozenset[str]  # the first words of `plain` names
    cue_words: frozenset[str]  # the words that may end a cue before a name or begin one after it


@lru_cache(maxsize=1)
def _caseless() -> _Caseless:
    gaz, voc = load(), vocabulary()
    common = frozenset(name_key(w) for w in load_toml("places.toml")["cues"]["lowercase_needs_cue"])
    plain, cued = set(), set()
    for key, candidates in gaz.index.items():
        words = key.split(" ")
        if len(words) > CASELESS_MAX_WORDS or key in voc.stopwords or key in voc.blocked or not key.isascii() \
                or len(key) < 3 or words[0] in voc.stopwords:
            continue
        exact = [c.place for c in candidates if c.exact]
        if not exact:
            continue
        cued.add(key)
        if len(key) >= 4 and key not in common and not (len(words) == 1 and key in voc.stopwords) \
                and any(p.level != "city" or effective_population(p) >= LOWERCASE_POPULATION for p in exact):
            plain.add(key)
    blocked = frozenset(voc.blocked)
    plain.update(k for k in voc.sites if k.isascii() and k not in voc.stopwords and k not in common)
    cued.update(plain)
    cued.update(blocked)
    plain |= blocked
    cue_words = {p[-1] for p in (*voc.town_before.phrases, *voc.province_before.phrases) if p}
    cue_words |= voc.town_after | voc.province_after | voc.site_after.first_words | voc.street_words
    return _Caseless(frozenset(plain), frozenset(cued), frozenset(k.split(" ")[0] for k in cued),
                     frozenset(k.split(" ")[0] for k in plain), frozenset(cue_words))


def _caps_lines(doc: _Doc) -> list[tuple[int, int]]:
    """Word ranges [first, last) of the lines written all in capitals."""
    text, tokens = doc.text, doc.tokens
    out = []
    start = 0
    for end in [*doc.newlines, len(text)]:
        line = text[start:end]
        if line.isupper() and len(line.split()) >= _CAPS_LINE_WORDS:
            out.append((bisect.bisect_left(tokens.starts, start), bisect.bisect_left(tokens.starts, end)))
        start = end + 1
    return out


def _mark_caseless_names(doc: _Doc, voc: Vocabulary) -> None:
    """Let the matcher see place names written in lower case ("protests in tehran") or in a line in
    capitals ("CLASHES IN ZAHEDAN"): their words are marked as capitalised when they form a name of
    `_Caseless` (its `cued` names only with a cue around them); a line in capitals first loses its marks."""
    tokens = doc.tokens
    keys, capital = tokens.keys, tokens.capital
    caps = _caps_lines(doc)
    if caps:
        capital = tokens.capital = list(capital)
        for first, last in caps:
            capital[first:last] = [tokens.arabic(i) for i in range(first, last)]
    table = _caseless()
    if table.first_words.isdisjoint(keys):
        return
    for i in compress(range(len(keys)), map(table.first_words.__contains__, keys)):
        if capital[i] or (i and capital[i - 1] and tokens.joins(i - 1)):
            continue
        if keys[i] not in table.plain_first and (not i or keys[i - 1] not in table.cue_words) \
                and table.cue_words.isdisjoint(keys[i + 1:i + CASELESS_MAX_WORDS + 1]):
            continue  # (a cued name only: no cue word around it)
        n = _caseless_name(tokens, i, table, voc)
        if n and not (i + n < len(keys) and keys[i + n] in voc.caseless_glue and tokens.joins(i + n - 1)):
            if capital is doc.tokens.capital and not caps:
                capital = tokens.capital = list(capital)
            capital[i:i + n] = [True] * n


def _caseless_name(tokens: Tokens, i: int, table: _Caseless, voc: Vocabulary) -> int:
    """The number of words of the longest caseless name starting at word i (0 if none)."""
    keys = tokens.keys
    for n in range(min(CASELESS_MAX_WORDS, len(keys) - i), 0, -1):
        if n > 1 and not all(tokens.joins(j) for j in range(i, i + n - 1)):
            continue
        key = " ".join([keys[i], *(w for w in keys[i + 1:i + n] if w not in EZAFE)])
        if key in table.plain:
            return n
        if key in table.cued and _caseless_cue(tokens, i, i + n - 1, voc):
            return n
    return 0


def _caseless_cue(tokens: Tokens, first: int, last: int, voc: Vocabulary) -> bool:
    """The words around word first..last present it as a place: "city of x", "near x", "x county"."""
    before, after = _words_before(tokens, first, 3), _words_after(tokens, last, 1)
    if after and (after[0] in voc.town_after or after[0] in voc.province_after or after[0] in voc.site_after.first_words
                  or after[0] in voc.street_words):
        return True
    return bool(voc.town_before.ending(before) or voc.province_before.ending(before))


# ----------------------------------------------------------------------------- working records


@dataclass(frozen=True)
class _Doc:
    """The text being read, its words and where its lines break."""

    text: str
    tokens: Tokens
    newlines: list[int]

    @classmethod
    def of(cls, text: str) -> _Doc:
        return cls(text=text, tokens=tokenize(text), newlines=[m.start() for m in _NEWLINE.finditer(text)])

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos)



@dataclass(slots=True)
class Found:
    """A name found in the text while it is being resolved (internal, mutable)."""

    match: Match
    candidates: tuple[Candidate, ...]  # (shared with the gazetteer's and `_level_choice`'s tuples)
    levels: frozenset[str]  # the levels of `candidates` (set with them: read for every pair of names)
    start: int
    end: int
    before: tuple[str, ...] = ()  # up to 3 word keys right before the name (`_words_before`)
    after: tuple[str, ...] = ()  # up to 3 word keys right after it (`_words_after`)
    role: str = "event"
    place: Place | None = None
    cue: bool = False  # the text presents it as a place ("village of X", in a list, qualified)
    province_hint: str | None = None
    country_hint: str | None = None
    direction_hint: str | None = None
    after_street: bool = False  # "Farhan Boulevard in X"
    needs_cue: bool = False  # `_needs_cue`, as `_filter` found it
    qualifies: Found | None = None  # for a qualifier: the place it locates
    near: Found | None = None  # the town that locates it ("X village near Y": Y)
    named_after: str = ""  # "site" or "organisation": it names one ("Sahand University", "a steel company of Ahvaz")
    vicinity: bool = False  # stands for an unnamed or unknown place near or in it ("a village near X")
    misread: bool = False  # part of a longer unknown name, or placed by its qualifier elsewhere


def _levels(candidates: tuple[Candidate, ...]) -> frozenset[str]:
    return frozenset({c.place.level for c in candidates})


def effective_population(place: Place) -> int:
    if place.level != "city":
        return max(place.population, 1_000_000)
    return place.population or UNKNOWN_POPULATION


# ----------------------------------------------------------------------------- context


def _words_after(tokens: Tokens, last: int, n: int) -> tuple[str, ...]:
    """Keys of up to `n` words right after token `last` on the same line, spaces between
    (or a possessive "'s" before the first of them)."""
    keys, gaps, possessive = tokens.keys, tokens.gaps, tokens.possessive
    out: list[str] = []
    for prev in range(last, min(last + n, len(keys) - 1)):
        # `gaps[prev + 1]` is the text between the words, unless word `prev` lost an "'s" to it.
        if possessive(prev):
            gap = tokens.text[tokens.end(prev):tokens.starts[prev + 1]]
            if out or gap.strip() not in ("'s", "\u2019s"):
                break
        elif (gap := gaps[prev + 1]) != " " and not _short_space(gap):  # (most gaps: one space)
            break
        out.append(keys[prev + 1])
    return tuple(out)


def _words_before(tokens: Tokens, first: int, n: int) -> tuple[str, ...]:
    """Keys of up to `n` words right before token `first` on the same line, spaces between."""
    gaps, possessive = tokens.gaps, tokens.possessive
    at = first
    for tok in range(first - 1, max(0, first - n) - 1, -1):
        # (after a possessive word the text between starts with its "'s": not a space)
        if possessive(tok) or ((gap := gaps[tok + 1]) != " " and not _short_space(gap)):
            break
        at = tok
    return tuple(tokens.keys[at:first])


@lru_cache(maxsize=4096)
def _short_space(gap: str) -> bool:
    """`gap` (between two words) is at most two white-space characters, no line break."""
    return gap.strip() == "" and "\n" not in gap and len(gap) <= 2


# ----------------------------------------------------------------------------- spellings the gazetteer lacks

FOLD = "fold"  # the table of a name found by its transliteration skeleton
FOLD_MAX_WORDS = 4
FOLD_MIN_CONSONANTS = 4  # shorter skeletons ("kVnVk") fit too many places: only one town of the province named
FOLD_MIN_POPULATION = MIN_POPULATION  # with no province named, smaller places share their names with too many others
FOLD_DOMINANCE = 10  # with no province named, one of several towns of a skeleton is meant if this many times bigger
_PAREN_GAP = re.compile(r"\s*\(\s*")
_COMMA_GAP = re.compile(r"\s*[,\u060c]\s*")
_FOLD_BEFORE_COMMA = frozenset({"in", "at", "from", "near", "outside"})  # "in X, Y province" presents X as a town


@dataclass(frozen=True)
class _Run:
    """Capitalised words `first`..`last` the text presents as a place: `from_end` when a cue
    follows them ("X village", "X (Kerman)"), else one precedes them ("the village of X")."""

    first: int
    last: int
    from_end: bool
    village: bool = False  # the cue says village: with no province named, too many places share its name
    level: str = "city"  # "province" after "province" ("X province") or before it ("the province of X")


def _fold_names(doc: _Doc, matches: list[Match], gaz: Gazetteer,
                voc: Vocabulary) -> tuple[list[Match], dict[Match, tuple[Candidate, ...]]]:
    """Names the exact look-up missed, found by their transliteration skeleton (`Gazetteer.folded`):
    only where the text presents them as places ("Ghareh Tapeh village", "the village of X",
    "in X (Kerman)", "in X, Kerman province", "Zandjan province"), never under 5 letters, never
    instead of a name the look-up found on the same words (a longer name may take in a shorter one:
    "Qareh [Tappeh]"). A province named right after a town keeps only its towns (most populous
    first); with none named, the skeleton must fit one town. Provinces are folded first, so that
    they can place the towns. Returns the matches with the folded ones in, and their candidates."""
    owner = {i: m for m in matches for i in range(m.first, m.last + 1)}
    runs = _cued_runs(doc, matches, owner, voc)
    folded: dict[Match, tuple[Candidate, ...]] = {}
    for level in ("province", "city"):
        found: dict[Match, tuple[Candidate, ...]] = {}
        taken: set[int] = set()
        for run in runs:
            if run.level == level and (got := _fold_run(run, doc, matches, owner, folded, gaz, voc)) is not None \
                    and taken.isdisjoint(range(got[0].first, got[0].last + 1)):
                found[got[0]] = got[1]
                taken.update(range(got[0].first, got[0].last + 1))
        if found:
            kept = [m for m in matches if taken.isdisjoint(range(m.first, m.last + 1))]
            matches = sorted([*kept, *found], key=lambda m: m.first)
            owner = {i: m for m in matches for i in range(m.first, m.last + 1)}
            folded.update(found)
    return matches, folded


def _cued_runs(doc: _Doc, matches: list[Match], owner: dict[int, Match], voc: Vocabulary) -> list[_Run]:
    """Runs of capitalised words (not all of them found already) that a cue presents as a place."""
    tokens = doc.tokens
    keys, capital = tokens.keys, tokens.capital
    runs = []
    after, pairs = voc.fold_after, voc.fold_before_pairs
    for j in compress(range(len(keys)), map(voc.fold_cue_words.__contains__, keys)):  # (one pass over the words)
        key = keys[j]
        if (key in after or key in voc.province_after) and j and capital[j - 1] and j not in owner \
                and tokens.joins(j - 1) and not tokens.arabic(j - 1) \
                and (first := _run_start(tokens, j - 1, voc)) is not None:  # "X village", "X county", "X province"
            runs.append(_Run(first, j - 1, True, key in voc.fold_villages,
                             "province" if key in voc.province_after else "city"))
        first = j + 1
        if first < len(keys) and capital[first] and first not in owner and (
                ("", key) in pairs or (j and (keys[j - 1], key) in pairs)) and not tokens.arabic(first) \
                and (last := _run_end(tokens, first, voc)) is not None:  # "the village of X", "province of X"
            before = _words_before(tokens, first, 3)
            if voc.town_before.ending(before):
                runs.append(_Run(first, last, False, j > 0 and keys[j - 1] in voc.fold_villages))
            elif voc.province_before.ending(before):
                runs.append(_Run(first, last, False, level="province"))
    for m in matches:  # "X (Kerman)", "in X, Kerman province"
        last = m.first - 1
        if last < 0 or not capital[last] or last in owner or tokens.arabic(last) or not _names_province(m.key, m.table):
            continue
        first = _run_start(tokens, last, voc)
        if first is None:
            continue
        gap = (doc.text, tokens.end(last), m.start)
        before = _words_before(tokens, first, 1)
        if _PAREN_GAP.fullmatch(*gap) or (_COMMA_GAP.fullmatch(*gap) and before and before[0] in _FOLD_BEFORE_COMMA):
            runs.append(_Run(first, last, True))
    return runs


def _edge_word(key: str, voc: Vocabulary, stop: bool = True) -> bool:
    """A word that may begin or end a folded name (`stop`: and is no stop word)."""
    return key not in EZAFE and key != "and" and not (stop and key in voc.stopwords)


def _run_start(tokens: Tokens, last: int, voc: Vocabulary) -> int | None:
    """The first of the capitalised words joined up to word `last`, back to a stop word ("In",
    "Monday"); None if more than FOLD_MAX_WORDS."""
    first = last
    while first > 0 and tokens.joins(first - 1) and (tokens.capital[first - 1] or tokens.keys[first - 1] in EZAFE) \
            and not tokens.arabic(first - 1) and tokens.keys[first - 1] not in voc.stopwords:
        first -= 1
        if last - first + 1 > FOLD_MAX_WORDS:
            return None
    return first


def _run_end(tokens: Tokens, first: int, voc: Vocabulary) -> int | None:
    """The last of the capitalised words joined from word `first`, up to a stop word; None if
    more than FOLD_MAX_WORDS."""
    last = first
    keys = tokens.keys
    while last + 1 < len(keys) and tokens.joins(last) and (tokens.capital[last + 1] or keys[last + 1] in EZAFE) \
            and not tokens.arabic(last + 1) and keys[last + 1] not in voc.stopwords:
        last += 1
        if last - first + 1 > FOLD_MAX_WORDS:
            return None
    return last


@lru_cache(maxsize=4096)
def _names_province(key: str, table: str) -> bool:
    return table == "place" and any(c.place.level == "province" for c in load().candidates(key))


def _fold_run(run: _Run, doc: _Doc, matches: list[Match], owner: dict[int, Match],
              folded_before: dict[Match, tuple[Candidate, ...]], gaz: Gazetteer,
              voc: Vocabulary) -> tuple[Match, tuple[Candidate, ...]] | None:
    """The run as one name, if its skeleton names a place that fits (a shorter part of it would be
    the end of a longer name the gazetteer does not know: "Chal Kirmanshah village"); first with the
    capitalised stop word before it, which may begin a name ("North Khurasan province")."""
    tokens = doc.tokens
    keys, first = tokens.keys, run.first
    spans = [(first, False)]
    if run.from_end and first and tokens.capital[first - 1] and keys[first - 1] in voc.stopwords \
            and _edge_word(keys[first - 1], voc, stop=False) and tokens.joins(first - 1):
        spans.insert(0, (first - 1, True))
    for start, extended in spans:
        inside = {owner[i] for i in range(start, run.last + 1) if i in owner}
        if any(m.first < start or m.last > run.last or (m.first, m.last) == (start, run.last) for m in inside):
            return None  # (a name found on these words wins, or one that reaches beyond them)
        found = _fold_span(start, run, extended, doc, matches, folded_before, gaz, voc)
        if found is not None:
            return found
    return None


def _fold_span(first: int, run: _Run, extended: bool, doc: _Doc, matches: list[Match],
               folded_before: dict[Match, tuple[Candidate, ...]], gaz: Gazetteer,
               voc: Vocabulary) -> tuple[Match, tuple[Candidate, ...]] | None:
    """Words `first`..`run.last` as a folded name, if it fits (see `_fold_names`)."""
    tokens = doc.tokens
    keys, last = tokens.keys, run.last
    words = [keys[first], *(w for w in keys[first + 1:last + 1] if w not in EZAFE)]
    # (a stop word may begin a name after a cue or with the run after it: "province of North Khurasan")
    if not (_edge_word(keys[first], voc, stop=run.from_end and not extended) and _edge_word(keys[last], voc)) \
            or not voc.street_words.isdisjoint(words):
        return None
    folded = skeleton(" ".join(words))
    candidates = gaz.folded(folded, run.level) if folded else ()
    if not candidates or run.level == "province":  # (31 provinces: a skeleton fits one or none)
        return _folded_match(first, last, words, tokens, candidates) if len(candidates) == 1 else None
    province = _province_after(run, doc, matches, folded_before, gaz, voc)
    short = len(folded) - folded.count("V") < FOLD_MIN_CONSONANTS
    if province is not None:  # its towns, most populous first (only one if the skeleton is short)
        candidates = tuple(c for c in candidates if c.place.admin1 == province)
        return _folded_match(first, last, words, tokens, candidates) if len(candidates) == 1 or (
            candidates and not short) else None
    # no province: one sizeable town, or one far bigger than the others
    candidates = _dominant(candidates) if len(candidates) > 1 else candidates
    if short or run.village or not candidates or effective_population(candidates[0].place) < FOLD_MIN_POPULATION:
        return None
    return _folded_match(first, last, words, tokens, candidates)


def _folded_match(first: int, last: int, words: list[str], tokens: Tokens,
                  candidates: tuple[Candidate, ...]) -> tuple[Match, tuple[Candidate, ...]]:
    return Match(first, last, tokens.starts[first], tokens.end(last), " ".join(words), FOLD), candidates


def _dominant(candidates: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """The first (most populous) town alone if it is FOLD_DOMINANCE times the next, else none."""
    first, second = (effective_population(c.place) for c in candidates[:2])
    return candidates[:1] if first >= FOLD_DOMINANCE * second else ()


def _province_after(run: _Run, doc: _Doc, matches: list[Match], folded: dict[Match, tuple[Candidate, ...]],
                    gaz: Gazetteer, voc: Vocabulary) -> str | None:
    """The province the text puts the run in right after it: a province ("X (Kerman)", "X village,
    Kerman province") or the province of a town that locates it ("X village near Bam", "X village in
    Bam"; of the biggest town of that name)."""
    end = doc.tokens.end(run.last)
    i = bisect.bisect_left([m.start for m in matches], end)
    if i >= len(matches) or matches[i].table not in ("place", FOLD):
        return None
    nxt = matches[i]
    qualifier = voc.qualifier_gap.fullmatch(doc.text, end, nxt.start) is not None
    if not qualifier and not voc.near_gap.fullmatch(doc.text, end, nxt.start):
        return None
    candidates = folded[nxt] if nxt.table == FOLD else gaz.candidates(nxt.key)
    province = next((c.place.name for c in candidates if c.place.level == "province"), None)
    if province is not None and qualifier:
        return province
    return next((c.place.admin1 for c in candidates if c.exact and c.place.level == "city"), None)  # (the biggest)


def _read_folded(match: Match, candidates: tuple[Candidate, ...], tokens: Tokens, voc: Vocabulary) -> Found | None:
    """A Found for a folded name: a town the text presents as one (so `cue`)."""
    before = _words_before(tokens, match.first, 3)
    after = _words_after(tokens, match.last, 3)
    if (before and before[-1] in voc.foreign_before) or (after and (
            after[0] in voc.street_words or after[0] in voc.site_after.first_words
            or after[0] in voc.organisation_after)):
        return None
    return Found(match, candidates, _levels(candidates), match.start, match.end, before, after, cue=True)


# ----------------------------------------------------------------------------- reading one name


def _is_stopword(match: Match, tokens: Tokens, voc: Vocabulary) -> bool:
    if match.first != match.last or tokens.arabic(match.first):
        return False
    return match.key in voc.stopwords


def _read(match: Match, tokens: Tokens, gaz: Gazetteer, voc: Vocabulary) -> Found | None:
    """A Found for a match with its context applied, or None when it is not a place."""
    table = match.table
    if table == "blocked" or _is_stopword(match, tokens, voc):
        return None
    before = _words_before(tokens, match.first, 3)
    if before and before[-1] in voc.foreign_before:
        return None
    after = _words_after(tokens, match.last, 3)
    if table == "site":
        candidates = _site_candidates(match.key)
        return Found(match, candidates, _levels(candidates), match.start, match.end, before, after,
                     role="site", cue=True)
    found = _context(match, before, after if not tokens.possessive(match.last) else ())
    found.before, found.after = before, after
    return found if found.candidates else None


@lru_cache(maxsize=1024)
def _site_candidates(key: str) -> tuple[Candidate, ...]:
    return (Candidate(vocabulary().sites[key], True),)


def _context(match: Match, before: tuple[str, ...], after: tuple[str, ...]) -> Found:
    """A Found for a gazetteer name, its level and role from the words around it."""
    candidates, levels, role, cue, after_street = _reading(match.key, before, after)
    found = Found(match, candidates, levels, match.start, match.end, role=role, cue=cue)
    found.after_street = after_street
    return found


@lru_cache(maxsize=16384)
def _reading(key: str, before: tuple[str, ...], after: tuple[str, ...]) -> tuple[
        tuple[Candidate, ...], frozenset[str], str, bool, bool]:
    """(candidates, their levels, role, cue, after a street) of a gazetteer name from the words
    around it: the same for every mention of a name in the same words (speed: a report names a
    few places many times, and the reading was most of `_read`)."""
    gaz, voc = load(), vocabulary()
    first_after = after[0] if after else None
    role = "event"
    if first_after in voc.province_after or voc.province_before.ending(before):
        candidates, cue = _keep_levels(gaz.candidates(key), "province"), True
        levels = _levels(candidates)
    else:
        cue = False
        if first_after in voc.street_words:
            candidates, role = _keep_levels(gaz.candidates(key), "city"), "street"
            levels = _levels(candidates)
        else:  # (candidates still as the gazetteer lists them under the key: the choice is cached)
            candidates, levels = _level_choice(key)
    after_street = len(before) >= 2 and before[-2] in voc.street_words and before[-1] in ("in", "of")
    if voc.town_before.ending(before) or first_after in voc.town_after:
        cue = True
    return candidates, levels, role, cue, after_street


def _keep_levels(candidates: tuple[Candidate, ...], level: str) -> tuple[Candidate, ...]:
    kept = tuple(c for c in candidates if c.place.level == level)
    return kept or candidates


@lru_cache(maxsize=16384)
def _level_choice(key: str) -> tuple[tuple[Candidate, ...], frozenset[str]]:
    """`_choose_level` of the gazetteer's candidates for `key` (the same for every mention), and
    their levels."""
    chosen = tuple(_choose_level(list(load().candidates(key))))
    return chosen, _levels(chosen)


def _choose_level(candidates: list[Candidate]) -> list[Candidate]:
    """Province and town of one name: the town if it is the province's capital, else the province."""
    exact = [c for c in candidates if c.exact] or candidates
    provinces = [c for c in exact if c.place.level == "province"]
    countries = [c for c in exact if c.place.level == "country"]
    if countries:
        return countries
    if provinces:
        province = provinces[0].place
        capital = [c for c in exact if c.place.level == "city" and c.place.admin1 == province.name]
        return capital[:1] if capital else provinces
    return candidates


# ----------------------------------------------------------------------------- roles around sites


_CITY = frozenset({"city"})


def _site_extension(found: Found, tokens: Tokens, voc: Vocabulary) -> None:
    """"Shiraz Central Prison", "Hamedan's Central Prison", "Central Prison of Shiraz": a site."""
    if found.role != "event" or found.levels != _CITY:
        return
    m = found.match
    phrase = voc.site_after.starting(found.after)
    if phrase:
        found.role, found.end, found.named_after = "site", tokens.end(m.last + len(phrase)), "site"
        return
    phrase = voc.site_before.ending(found.before)
    if phrase:
        found.role, found.start = "site", tokens.starts[m.first - len(phrase)]


# ----------------------------------------------------------------------------- qualifiers


def _link_qualifiers(founds: list[Found], text: str, tokens: Tokens, voc: Vocabulary) -> None:
    """A province or country right after a town locates it: "Rudbar (Gilan)", "Kiev, Ukraine",
    "Behbahan city (Khuzestan)"; so does a town after "X village near", "X district of"."""
    for i, (a, b) in enumerate(pairwise(founds)):
        # (a town that locates another, "X village near Bam (Kerman)", takes a province too)
        if b.start - a.end > QUALIFIER_GAP_MAX or "city" not in a.levels or (
                a.role not in ("event", "site") and a.qualifies is None):
            continue
        gap = text[a.end:b.start]
        if b.levels - {"province", "country"} and not (b.role == "event" and _parenthesised_province(a, b, gap, voc)):
            _link_near(a, b, gap, voc)
            continue
        direction = _direction_between(a, b, tokens, voc)
        if direction is None and not voc.qualifier_gap.fullmatch(gap):
            continue
        place = b.candidates[0].place
        after = founds[i + 2] if i + 2 < len(founds) else None
        continues = after is not None and _LIST_GAP.fullmatch(text[b.end:after.start]) is not None
        if not _qualifies(a, b, place, gap, continues):
            _misplaced(a, b, place, gap)
            continue
        b.role, b.qualifies, a.cue = "qualifier", a, True
        a.direction_hint = direction or a.direction_hint
        if place.level == "province":
            a.province_hint = place.name
        else:
            a.country_hint = place.country


def _parenthesised_province(a: Found, b: Found, gap: str, voc: Vocabulary) -> bool:
    """"Bushehr city (Bushehr)", "Khark (Bushehr)": a name in parentheses after a town, both a town
    and a province, is the province when the town may lie in it; `b` is then read as the province."""
    if "(" not in gap or not voc.qualifier_gap.fullmatch(gap):
        return False
    provinces = tuple(c for c in load().candidates(b.match.key) if c.place.level == "province")
    if not provinces or not any(c.place.admin1 == provinces[0].place.name for c in a.candidates):
        return False
    b.candidates, b.levels = provinces, _levels(provinces)
    return True


def _province_in_parentheses(found: Found, text: str, voc: Vocabulary) -> None:
    """"in Tazeh village (Semnan)": a name in parentheses after a town word is the province."""
    if found.role != "event" or "province" in found.levels or found.start < 2 or text[found.start - 1] != "(":
        return
    if not voc.town_word_paren.search(text, max(0, found.start - 30), found.start):
        return
    provinces = tuple(c for c in load().candidates(found.match.key) if c.place.level == "province")
    if provinces:
        found.candidates, found.levels, found.cue = provinces, _levels(provinces), True


def _misplaced(a: Found, b: Found, place: Place, gap: str) -> None:
    """"Kalateh village (Gilan)" when no Kalateh the gazetteer knows lies in Gilan: the text names
    another, unknown place of that name; the province stays as the event's place."""
    if "(" in gap and place.level == "province" and a.role == "event" and a.levels == _CITY \
            and all(effective_population(c.place) < GLUED_POPULATION for c in a.candidates):
        a.misread = True


def _link_near(a: Found, b: Found, gap: str, voc: Vocabulary) -> None:
    """"Sardasht village near Mahabad", "Kalaleh district of Gorgan": the second town only locates
    the first (a qualifier); its province helps choose the first."""
    if b.role != "event" or b.levels != _CITY or not voc.near_gap.fullmatch(gap):
        return
    b.role, b.qualifies, a.cue, a.near = "qualifier", a, True, b
    if len(b.candidates) == 1:
        a.province_hint = a.province_hint or b.candidates[0].place.admin1


def _qualifies(a: Found, b: Found, place: Place, gap: str, continues: bool) -> bool:
    """Whether `b` (a province or country) locates `a` rather than being the next list item."""
    fits = [c for c in a.candidates if (c.place.admin1 if place.level == "province" else c.place.country)
            == (place.name if place.level == "province" else place.country)]
    if not fits:
        return False
    if "(" in gap or b.cue or place.level == "country":
        return True
    return len(a.candidates) > 1 or not continues


def _direction_between(a: Found, b: Found, tokens: Tokens, voc: Vocabulary) -> str | None:
    """"Zahedan, southeastern Iran" / "Gorgan, in northern Iran": the direction word."""
    first, stop = a.match.last + 1, b.match.first
    if not 0 < stop - first <= 3 or b.candidates[0].place.level != "country":
        return None
    between = tokens.keys[first:stop]
    words = [w.replace(" ", "") for w in between if w not in ("in", "the", "of")]
    joined = "".join(words)
    return voc.directions.get(joined) if len(words) <= 2 else None


# ----------------------------------------------------------------------------- choosing a place


def km(a: Place, b: Place) -> float:
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return 0.0
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dl = math.radians(b.longitude - a.longitude)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


_KM_PAIRS: dict[tuple[int, int], tuple[Place, Place, float]] = {}
_KM_PAIRS_MAX = 65536


def _km_pair(a: Place, b: Place) -> float:
    """`km(a, b)`, remembered per pair: a report's anchors are a few places that recur, and so
    do the pairs across reports (on the bench corpus 8.5k distinct pairs among 47k distances).
    Keyed by identity, since hashing a Place hashes every field; each entry keeps both places,
    so that their ids cannot be reused while it lives."""
    key = (id(a), id(b))
    hit = _KM_PAIRS.get(key)
    if hit is None:
        if len(_KM_PAIRS) >= _KM_PAIRS_MAX:
            _KM_PAIRS.clear()
        hit = _KM_PAIRS[key] = (a, b, km(a, b))
    return hit[2]


def _direction_ok(place: Place, direction: str) -> bool:
    if place.country != "IR" or place.latitude is None or place.longitude is None:
        return False
    lat, lon = place.latitude - IRAN_CENTRE[0], place.longitude - IRAN_CENTRE[1]
    tests = {"n": lat > 1.0, "s": lat < -0.5, "e": lon > 2.0, "w": lon < -2.5,
             "c": abs(lat) <= 2.5 and abs(lon) <= 3.0}
    return all(tests[ch] for ch in direction)


def _score(candidate: Candidate, found: Found, anchors: list[Place]) -> float:
    place = candidate.place
    score = (1.0 if candidate.exact else 0.0) + math.log10(effective_population(place))
    if found.province_hint and place.admin1 == found.province_hint:
        score += 3.0
    if found.country_hint and place.country == found.country_hint:
        score += 3.0
    if found.direction_hint and _direction_ok(place, found.direction_hint):
        score += 1.5
    if anchors:
        score -= sum(_km_pair(place, other) for other in anchors) / len(anchors) / NEARNESS_KM
    return score


def _anchors(found: Found, unambiguous: list[Found], starts: list[int], k: int = 4,
             ordered: bool = False) -> list[Place]:
    """Places of the nearest (in the text) unambiguous mentions of other names (`starts`: theirs,
    `ordered`: strictly increasing)."""
    if ordered:
        return _anchors_outward(found, unambiguous, starts, k)
    # Distances and their stable order computed in C; the same as filtering, then sorting by distance.
    distances = list(map(abs, map(sub, starts, repeat(found.start))))
    out: list[Place] = []
    for i in sorted(range(len(distances)), key=distances.__getitem__):
        f = unambiguous[i]
        if f is not found and f.match.key != found.match.key:
            out.append(f.place)
            if len(out) == k:
                break
    return [p for p in out if p is not None]


def _anchors_outward(found: Found, unambiguous: list[Found], starts: list[int], k: int) -> list[Place]:
    """`_anchors` when `starts` increase strictly (as they do unless a site took in words before
    it): walk outwards from the name's position, taking the nearer side, the earlier on a tie --
    the order of the stable sort by distance, without sorting every mention for each name."""
    start, key = found.start, found.match.key
    right = bisect.bisect_left(starts, start)
    left = right - 1
    out: list[Place] = []
    while left >= 0 or right < len(starts):
        if right >= len(starts) or (left >= 0 and start - starts[left] <= starts[right] - start):
            f = unambiguous[left]
            left -= 1
        else:
            f = unambiguous[right]
            right += 1
        if f is not found and f.match.key != key:
            out.append(f.place)
            if len(out) == k:
                break
    return [p for p in out if p is not None]


def _resolve(founds: list[Found]) -> None:
    for f in founds:
        if len(f.candidates) == 1:
            f.place = f.candidates[0].place
    # Only single-candidate mentions anchor, and their places are fixed above: list them once.
    unambiguous = [f for f in founds if f.place is not None and len(f.candidates) == 1
                   and f.place.level in ("city", "province") and f.role != "qualifier"]
    starts = [f.start for f in unambiguous]
    ordered = all(map(lt, starts, starts[1:]))
    for f in founds:
        if f.place is None:
            anchors = _anchors(f, unambiguous, starts, ordered=ordered)
            f.place = max(f.candidates, key=lambda c: _score(c, f, anchors)).place


# ----------------------------------------------------------------------------- filters


def _is_exact(found: Found) -> bool:
    place = found.place
    if place is None:
        return False
    # `is`, then the name, before the field-by-field dataclass comparison (hot: every mention;
    # a loop, not `any` over a generator, which cost more than the test for one or two candidates).
    for c in found.candidates:
        if c.exact and (c.place is place or (c.place.name == place.name and c.place == place)):
            return True
    return False


def _needs_cue(found: Found) -> bool:
    place = found.place
    if place is None or place.level != "city" or found.role in ("site", "dateline"):
        return False
    population = effective_population(place)
    return population < MIN_POPULATION or (population < MIN_ALTERNATE_POPULATION and not _is_exact(found))


def _glued(found: Found, tokens: Tokens, founds_at: set[int], voc: Vocabulary) -> bool:
    """A small town's name glued to another capitalised word is likely part of a person's name; a
    province or country name followed by one is part of an organisation's name ("Kurdistan Human Rights")."""
    place, m = found.place, found.match
    if place is None:
        return False
    after = found.after[:1]
    if after and tokens.capital[m.last + 1] and m.last + 1 not in founds_at and not _is_cue_word(after[0], voc) \
            and (place.level != "city" or effective_population(place) < GLUED_POPULATION):
        return True
    if place.level != "city" or effective_population(place) >= GLUED_POPULATION:
        return False
    before = found.before[-1:]
    return bool(before) and tokens.capital[m.first - 1] and m.first - 1 not in founds_at \
        and before[0] not in voc.stopwords


def _far_from_its_town(found: Found) -> bool:
    """"Sardasht village near Bam" when the Sardasht chosen lies far from Bam: another, unknown place."""
    near = found.near
    return near is not None and found.place is not None and near.place is not None \
        and km(found.place, near.place) > NEAR_KM


def _in_longer_name(found: Found, tokens: Tokens, founds_at: set[int], voc: Vocabulary) -> bool:
    """"Deh Bala Kalateh village": a small town's name after another capitalised word and before a
    town word is the end of a longer name the gazetteer does not know ("Bandar" and the like aside)."""
    place, m = found.place, found.match
    if place is None or place.level != "city" or effective_population(place) >= GLUED_POPULATION:
        return False
    if not found.after or found.after[0] not in voc.town_after or not found.before or m.first == 0:
        return False
    word = found.before[-1]
    return tokens.capital[m.first - 1] and not tokens.arabic(m.first - 1) and m.first - 1 not in founds_at \
        and word not in voc.stopwords and word not in voc.name_prefixes and not _is_cue_word(word, voc)


def _is_cue_word(word: str, voc: Vocabulary) -> bool:
    return (word in voc.street_words or word in voc.province_after or word in voc.town_after
            or word in voc.site_after.first_words)


def _short_caps(found: Found, tokens: Tokens) -> bool:
    """"MEK", "IRGC": a short all-capitals word is a place only if the place is big."""
    m, place = found.match, found.place
    if m.first != m.last or not tokens.upper(m.first) or place is None or found.cue:
        return False
    return len(m.key) <= 4 and place.level == "city" and place.population < SHORT_CAPS_POPULATION


def _in_list(a: Found, b: Found, text: str) -> bool:
    # (matched in place: the text between two names is often long, and slicing it was the cost)
    return _LIST_GAP.fullmatch(text, a.end, b.start) is not None


def _spread_cues(founds: list[Found], text: str, needs_cue: list[bool]) -> None:
    """Names in a list with an accepted place are presented as places. (`needs_cue[i]`:
    `_needs_cue(founds[i])`, which the cues do not change; the list links are found once too.)"""
    links = [k for k, (a, b) in enumerate(pairwise(founds)) if _in_list(a, b, text)]
    changed = True
    while changed:
        changed = False
        for k in links:
            a, b = founds[k], founds[k + 1]
            if (not needs_cue[k] or a.cue) != (not needs_cue[k + 1] or b.cue):
                a.cue = b.cue = changed = True


def _filter(founds: list[Found], text: str, tokens: Tokens, voc: Vocabulary) -> list[Found]:
    at = {i for f in founds for i in range(f.match.first, f.match.last + 1)}
    kept = [f for f in founds if not f.misread and not _far_from_its_town(f) and not _short_caps(f, tokens) and not (
        not f.cue and f.role == "event" and _glued(f, tokens, at, voc)) and not _in_longer_name(f, tokens, at, voc)]
    needs_cue = [_needs_cue(f) for f in kept]
    for f, needs in zip(kept, needs_cue, strict=True):
        f.needs_cue = needs
    _spread_cues(kept, text, needs_cue)
    return [f for f, needs in zip(kept, needs_cue, strict=True) if f.cue or not needs or _is_district(f)]


# ----------------------------------------------------------------------------- roles


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


def _mark_datelines(founds: list[Found], text: str, tokens: Tokens) -> None:
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


def _is_district(found: Found) -> bool:
    """"Farhan Boulevard in Saadat Abad": a small place right after a street is a district."""
    place = found.place
    return found.after_street and place is not None and place.level == "city" \
        and effective_population(place) < MIN_ALTERNATE_POPULATION


def _streets(founds: list[Found], doc: _Doc) -> list[Found]:
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
        elif f.role == "street" or (f.after_street and _is_district(f)):
            f.role, f.place = "street", _city_before(f, paragraph)
        if f.place is not None:
            out.append(f)
    return out


# ----------------------------------------------------------------------------- confidence, output


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
    # `_needs_cue` as `_filter` found it: since then only a dateline's role (which needs no
    # cue) and a street's place have changed.
    needs_cue = found.needs_cue and found.role != "dateline"
    return _CONFIDENCE[_is_exact(found), len(found.candidates) > 1, needs_cue]


def _mention(found: Found, text: str) -> PlaceMention:
    assert found.place is not None
    return PlaceMention(found.start, found.end, text[found.start:found.end], found.place, found.role,
                        _confidence(found))


def recognise(text: str) -> list[PlaceMention]:
    """Every place named in `text`, resolved, in text order (orchestrator: calls the steps above)."""
    gaz, voc = load(), vocabulary()
    doc = _Doc.of(text)
    tokens = doc.tokens
    _mark_caseless_names(doc, voc)
    matches = find(text, tokens, _lookup(), max_words=min(gaz.max_words, 6))
    matches, folded = _fold_names(doc, matches, gaz, voc)
    founds = [f for m in matches if (f := _read_folded(m, folded[m], tokens, voc) if m.table == FOLD
                                     else _read(m, tokens, gaz, voc)) is not None]
    for f in founds:
        _site_extension(f, tokens, voc)
        if f.role == "event" and f.after and f.after[0] in voc.organisation_after:
            f.named_after = "organisation"
        _province_in_parentheses(f, text, voc)
    _link_qualifiers(founds, text, tokens, voc)
    _resolve(founds)
    founds = _filter(founds, text, tokens, voc)
    _mark_datelines(founds, text, tokens)
    founds = _streets(founds, doc)
    founds = [f for f in founds if not _is_outlet(text, f.end)]
    _names_and_regions(founds, text)
    _orphan_qualifiers(founds)
    _mark_vicinity(founds, text, voc)
    return [_mention(f, text) for f in founds]


_CITY_OF = frozenset({("city", "of"), ("town", "of"), ("county", "of")})  # "a district of the city of"


def _mark_vicinity(founds: list[Found], text: str, voc: Vocabulary) -> None:
    """"a village near Bam", "in a district of Kerman": the event's place is only the town around it."""
    for f in founds:
        # (the search only where the words right before may end such a phrase: it is per mention)
        before = f.before
        if f.role == "event" and before and (not voc.vicinity_words.isdisjoint(before) or before[-2:] in _CITY_OF):
            f.vicinity = voc.vicinity_before.search(text, max(0, f.start - 60), f.start) is not None


_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")
_SITE_IN = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?", re.IGNORECASE)


def _names_and_regions(founds: list[Found], text: str) -> None:
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
            town = next((g for g in others if g.place.level == "city" and g.place.admin1 == f.place.name), None)
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
    return (i > 0 and _in_list(founds[i - 1], founds[i], text)) or \
        (i + 1 < len(founds) and _in_list(founds[i], founds[i + 1], text))


def _orphan_qualifiers(founds: list[Found]) -> None:
    """A qualifier whose place was dropped (part of a longer unknown name, a person's name) is the
    only place left for it: "in Deh Bala Kalateh village (Gilan)" happened in Gilan."""
    kept = {id(f) for f in founds}
    for f in founds:
        if f.role == "qualifier" and f.qualifies is not None and id(f.qualifies) not in kept:
            f.role = "event"


_OUTLET_AFTER = re.compile(r"\s+(?:News|news agency|Agency|TV|Daily|daily|Times|Radio)\b|,\s+(?:a|the)\s+"
                           r"(?:state-run|state|semi-official|official|government)\b")


def _is_outlet(text: str, end: int) -> bool:
    """"Fars News", "reported Fars, a state-run news agency": a medium named after a place."""
    return bool(_OUTLET_AFTER.match(text, end))


# ----------------------------------------------------------------------------- the country a text is about

REPORT_COUNTRY_SHARE = 2 / 3  # the share of the weight one country needs to be the report's


def _country_weight(mention: PlaceMention) -> int:
    """A town or province where something happened counts more than a country named in passing;
    a dateline (where the report was filed) and a town naming an organisation count little or nothing."""
    if mention.role == "organisation" or not mention.place.country:
        return 0
    if mention.role == "dateline" or mention.place.level == "country":
        return 1
    return 2


def places_country(places: Iterable[PlaceMention]) -> str | None:
    """The country (ISO alpha-2) that `places` are in, when one has at least REPORT_COUNTRY_SHARE of
    their weight (`_country_weight`); None when they name none, or several with no clear lead."""
    votes: Counter[str] = Counter()
    for m in places:
        if (weight := _country_weight(m)) and m.place.country:
            votes[m.place.country] += weight
    if not votes:
        return None
    country, top = votes.most_common(1)[0]
    return country if top >= REPORT_COUNTRY_SHARE * sum(votes.values()) else None


def report_country(analysis: Analysis) -> str | None:
    """The country the report is about, from its place mentions (`places_country`), or None when it
    names no place or places of several countries with none clearly first. For an event with no place:
    `span_country` of its sentence first, then this, then the language's default."""
    return places_country(analysis.places)


def span_country(analysis: Analysis, start: int, end: int) -> str | None:
    """The country of the places named within text[start:end] (a sentence), as `places_country`."""
    return places_country(m for m in analysis.places if start <= m.start < end)


def find_places(analysis: Analysis) -> Analysis:
    """Stage `places.v1`: fill `Analysis.places` (see the module docstring)."""
    return replace(analysis, places=tuple(recognise(analysis.report.text)))
