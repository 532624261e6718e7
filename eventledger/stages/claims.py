"""Stage `claims.v1`: figures someone asserts about many events or a period.

A claim is read from one sentence in five steps (vocabulary in `data/claims.toml`):

1. Figures: `quantities.find_numbers`; only plain counts (no unit, not vague, at least 2).
2. Category: what the figure counts, from the first tier that has a cue: a word governing
   the figure ("massacre of over 30,000", "have executed 24"), a noun right after it
   ("1,000 indictments"), an act after it in the clause ("110 inmates have been sent to the
   gallows"), a person noun after it ("1,500 martyrs"), an act earlier in the sentence when
   the figure counts nothing itself ("executions ..., reaching at least 90 counts").
3. Assertion: figures in futures, hypotheticals, denials and negations are dropped.
4. Period: the sentence's dates (from the dates stage): "since" opens the period, "as of"
   closes it, a year, month or range covers it. A figure dated to one day (or a small exact
   figure with no period) is the size of one event, which the events stage records, unless
   the sentence is a tally ("since", "in total", "so far", "alone").
5. Source: chanted figures belong to the chanters; else a named source ("Amnesty
   International reports that", "according to HRANA", "state media has boasted of",
   "..., Amnesty said"; "the minister of X revealed" -> "Ministry of X"; titles stripped from
   people); else the publisher (which may be None).
6. Place: "the capital" -> the capital of the report's country; else a city or province named
   in the clause or sentence; else the report's country ("IR").

A figure repeated in the same document (same value and category, compatible periods) is one claim.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from eventledger.data import load_toml
from eventledger.models import Analysis, Claim, DateMention, PlaceMention, Sentence
from eventledger.stages.actors import ActorMention, find_actors
from eventledger.stages.quantities import Number, find_numbers, outside
from eventledger.stages.shared import alternation, sentence_actors, strip_titles

EXTRACTOR = "claims.v1"
_POINT_ROLES = frozenset({"point", "relative", "anniversary", "period_day"})
_CAP_RUN = re.compile(r"[A-Z][\w'’.&-]*(?:\s+(?:(?:of|for|and|the|on|in|to)\s+)*[A-Z][\w'’.&-]*)*")
_MINISTER = re.compile(r"\bminist(?:er|ry)\s+(?:of|for)\s+[A-Za-z]+(?:\s+and\s+[A-Za-z]+)?", re.IGNORECASE)
_QUOTES = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")
_SPACES = re.compile(r"\s+")
_WINDOW_CUT = re.compile(r"[;:“”\"()]")
_SPEECH_AFTER = re.compile(r"^,?\s*(?:that|as saying)\b")
_POSSESSIVE_END = re.compile(r"['’]s$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_AGE_APPOSITIVE = re.compile(r"[A-Z][\w.'’-]+,\s*$")  # "Nikzad, " before an age ("Parsa Nikzad, 19, was ...")
_PLACE_SHARE = re.compile(r"\s+(?:in|from|at)\s+(?:the\s+)?[A-Z][\w'’-]*\s*(?:[,;.)]|$|and\b)")
_YEAR_RANGE = re.compile(r"(?<!\d)(?:1[3-9]|20)\d\d\s*[-–/]\s*$")  # "2009-10": the second year
_FOOTNOTE = re.compile(r"[(\[]$")
_AT_AGE = re.compile(r"(?<![\w-])at\s+$")
_CLAUSE_CLOSE = re.compile(r"\s*(?:[.;)]|,\s|$)")
_SOURCE_AFTER = re.compile(r"\s*(?:the\s+)?(?P<src>[^,.;]{2,80}?)(?:\s*[,.;)]|$)")


@dataclass(frozen=True)
class _Lexicon:
    cue_category: dict[str, str]
    tight: re.Pattern[str]
    noun_after: re.Pattern[str]
    person_after: re.Pattern[str]
    any_cue: re.Pattern[str]
    count_after: re.Pattern[str]
    tally: re.Pattern[str]
    hedge: re.Pattern[str]
    chant: re.Pattern[str]
    report_verb: re.Pattern[str]
    according: re.Pattern[str]
    report_by: re.Pattern[str]
    source_gap: re.Pattern[str]
    as_of: re.Pattern[str]
    since: re.Pattern[str]
    since_began: re.Pattern[str]
    comparison: re.Pattern[str]
    speech_date: re.Pattern[str]
    capital: re.Pattern[str]
    capitals: dict[str, str]
    country_words: dict[str, re.Pattern[str]]
    minister: re.Pattern[str]
    negation: re.Pattern[str]
    subset: re.Pattern[str]
    part_before: re.Pattern[str]  # "including (at least) " before a figure
    part_after: re.Pattern[str]  # " of them", " of those" after a figure
    of_figure: re.Pattern[str]  # " of the " before another figure, after a figure ("25 of the 40")
    total_opener: re.Pattern[str]  # "Of the " before the total, opening its clause
    not_count: re.Pattern[str]  # what before a figure makes it no count ("at the age of")
    thing_after: re.Pattern[str]  # what after a figure makes it counts of things ("kg", "pellets")
    date_part: re.Pattern[str]  # a figure that is part of a date the dates stage did not read
    age_after: re.Pattern[str]  # what after a figure makes it an age ("15 when police detained her")
    small: int
    chanters_default: str
    not_sources: frozenset[str]  # sentence-opening words that name no source ("The", "It")
    vague_dates: frozenset[str]
    # a word of each phrase of `tally`, `report_by` and `capital` (see `_needed_words`)
    tally_words: tuple[str, ...] | None
    report_words: tuple[str, ...] | None
    capital_words: tuple[str, ...] | None


def _alt(phrases: Iterable[str]) -> str:
    return alternation(phrases)


def _needed_words(phrases: Iterable[str]) -> tuple[str, ...] | None:
    """The longest word of each phrase, lower-cased: a text in which an IGNORECASE pattern finds one of
    `phrases` has one of these words in its `_lowered` form. None (no such test) unless they are ASCII."""
    words = tuple(sorted({max(p.lower().split(), key=len) for p in phrases}))
    return words if all(w.isascii() for w in words) else None


def _lowered(text: str) -> str | None:
    """`text.lower()`, where an ASCII word that an IGNORECASE pattern matches in `text` is found as a
    substring; None if `text` has "İ", "ı" or "ſ" (IGNORECASE matches them to "i" and "s", `lower`
    does not; no other character is so: tested)."""
    return None if "İ" in text or "ı" in text or "ſ" in text else text.lower()


def _may_contain(low: str | None, words: tuple[str, ...] | None) -> bool:
    """Whether a text whose `_lowered` form is `low` may hold a phrase that has one of `words`: a cheap
    test that spares case-insensitive searches, which the `re` engine tries at every position."""
    return low is None or words is None or any(w in low for w in words)


def _cue_table(categories: dict[str, dict[str, list[str]]], kinds: tuple[str, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, entry in categories.items():
        for kind in kinds:
            for phrase in entry.get(kind, []):
                table.setdefault(phrase, name)
    return table


def _cue_patterns(cats: dict, gap: list[str], counts: list[str]) -> dict[str, re.Pattern[str]]:
    cues = _alt(_cue_table(cats, ("verbs", "nouns")))
    nouns, persons = _alt(_cue_table(cats, ("nouns",))), _alt(_cue_table(cats, ("persons",)))
    after = r"^\s+(?:[\w'’-]+\s+){0,2}?"
    return {
        "tight": re.compile(rf"(?<![\w-])(?P<cue>{cues})(?:\s+(?:{_alt(gap)}))*\s+$", re.IGNORECASE),
        "noun_after": re.compile(rf"{after}(?P<cue>{nouns})(?![\w-])", re.IGNORECASE),
        "person_after": re.compile(rf"{after}(?P<cue>{persons})(?![\w-])", re.IGNORECASE),
        "any_cue": re.compile(rf"(?<![\w-])(?P<cue>{cues})(?![\w-])", re.IGNORECASE),
        "count_after": re.compile(rf"^(?:[^\w\s]|\s*$|\s+(?:{_alt(counts)})(?![\w-]))", re.IGNORECASE),
    }


def _attribution_patterns(table: dict) -> dict[str, re.Pattern[str]]:
    verbs = _alt(table["report_verbs"])
    return {
        "report_verb": re.compile(rf"(?<![\w-])(?:{verbs})(?![\w-])"),
        "according": re.compile(r"\baccording\s+to\s+(?:the\s+)?", re.IGNORECASE),
        "report_by": re.compile(rf"\b(?:{_alt(table['report_nouns'])})\s+(?:by|from|of|compiled by|published by)"
                                r"\s+(?:the\s+)?", re.IGNORECASE),
        "source_gap": re.compile(rf"^(?:['’]s)?(?:\s*\([^)]{{0,40}}\))?(?:\s*,[^,]{{1,90}},)?,?\s*"
                                 rf"(?:(?:{_alt(table['source_gap'])})\s+)*$", re.IGNORECASE),
        "chant": re.compile(rf"\b(?:{_alt(table['chant_verbs'])})\b", re.IGNORECASE),
    }


def _part_patterns(table: dict, qualifiers: list[str], months: list[str]) -> dict[str, re.Pattern[str]]:
    """What makes a figure a part of a total, or no count at all."""
    quals = rf"(?:(?:{_alt(qualifiers)})\s+)?"
    month = alternation(months, lower=False)
    return {
        "part_before": re.compile(rf"(?<![\w-])(?:{_alt(table['subset_words'])})\s+{quals}$", re.IGNORECASE),
        "part_after": re.compile(rf"^\s+(?:{_alt(table['part_of_words'])})(?![\w-])", re.IGNORECASE),
        "of_figure": re.compile(r"^\s+(?:out\s+)?of\s+(?:the\s+|these\s+|those\s+)?$", re.IGNORECASE),
        "total_opener": re.compile(rf"(?:^|[,;:(])\s*(?:{_alt(table['total_openers'])})\s+{quals}$",
                                   re.IGNORECASE),
        "not_count": re.compile(rf"(?<![\w-])(?:{_alt(table['not_count_before'])})\s+$", re.IGNORECASE),
        "thing_after": re.compile(rf"^\s*(?:{_alt(table['not_count_after'])})(?![\w-])", re.IGNORECASE),
        "age_after": re.compile(rf"^\s+(?:{_alt(table['age_after'])})(?![\w-])", re.IGNORECASE),
        "date_part": re.compile(rf"^\s*[-–]\s*\d{{1,2}}\s+(?:of\s+)?(?:{month})(?![\w-])|"
                                rf"(?<![\w-])(?:{month})\s+(?:month\s+)?(?:of\s+)?$"),
    }


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The compiled claims vocabulary (read once from `data/claims.toml`)."""
    table = load_toml("claims.toml")["claims"]
    cats, place = table["category"], table["place"]
    qualifiers = [q for qs in load_toml("claims.toml")["quantities"]["qualifiers"].values() for q in qs]
    cues = _cue_patterns(cats, [*table["tight_gap"], *qualifiers], table["count_nouns"])
    return _Lexicon(
        cue_category=_cue_table(cats, ("verbs", "nouns", "persons")), **cues, **_attribution_patterns(table),
        tally=re.compile(rf"\b(?:{_alt(table['tally'])})\b", re.IGNORECASE),
        hedge=re.compile(rf"(?<![\w-])(?:{_alt(table['hedges'])})(?![\w-])"),
        as_of=re.compile(rf"\b(?:{_alt(table['until_words'])})\s+(?:the\s+)?$", re.IGNORECASE),
        since=re.compile(rf"\b(?:{_alt(table['since_words'])})\s+(?:the\s+)?$", re.IGNORECASE),
        since_began=re.compile(rf"\bsince\s[^,.;:]{{1,60}}?\b(?:{_alt(table['period_start_verbs'])})"
                               r"\s+(?:in|on|at)?\s*(?:the\s+)?$", re.IGNORECASE),
        comparison=re.compile(rf"\b(?:{_alt(table['comparison_words'])})\b[^,.;:]{{0,40}}\bsince\s*(?:the\s+)?$",
                              re.IGNORECASE),
        negation=re.compile(rf"(?<![\w-])(?:{_alt(table['negations'])})(?![\w-])"),
        subset=re.compile(rf"\b(?:{_alt(table['subset_words'])})\s+$", re.IGNORECASE),
        **_part_patterns(table, qualifiers, load_toml("claims.toml")["quantities"]["context"]["months"]),
        speech_date=re.compile(rf"(?:{_alt(table['report_verbs'])})\s+(?:on\s+)?$"),
        capital=re.compile(rf"\b(?:{_alt(place['capital_words'])})\b", re.IGNORECASE),
        capitals=dict(place["capitals"]),
        country_words={c: re.compile(rf"\b(?:{alternation(ws, lower=False)})\b")
                       for c, ws in place["country_words"].items()},
        minister=re.compile(rf"^(?:{_alt(table['minister_prefixes'])})\s+(.+)$", re.IGNORECASE),
        small=int(table["small"]), chanters_default=table["chanters_default"],
        not_sources=frozenset(table["not_sources"]),
        vague_dates=frozenset(table["vague_dates"]),
        tally_words=_needed_words(table["tally"]), report_words=_needed_words(table["report_nouns"]),
        capital_words=_needed_words(place["capital_words"]),
    )


# ----------------------------------------------------------------------------- per document


@dataclass
class _Doc:
    """Lookups shared by the helpers below, built once per report."""

    analysis: Analysis
    lex: _Lexicon
    text: str  # the report text with typographic apostrophes made plain (same length)
    dates: list[DateMention]
    date_starts: list[int]
    places: list[PlaceMention]
    country: str | None
    numbers: list[Number]
    number_starts: list[int]
    place_starts: list[int]
    # per sentence (by start), what every figure in it reads alike: computed for its first figure
    sentence_dates: dict[int, list[DateMention]] = field(default_factory=dict)
    tallies: dict[int, bool] = field(default_factory=dict)
    according: dict[int, str | None] = field(default_factory=dict)
    lowered: dict[int, str | None] = field(default_factory=dict)  # `_lowered(s.text)`

    def lowered_sentence(self, s: Sentence) -> str | None:
        if s.start not in self.lowered:
            self.lowered[s.start] = _lowered(s.text)
        return self.lowered[s.start]

    def numbers_in(self, start: int, end: int) -> list[Number]:
        i, j = bisect.bisect_left(self.number_starts, start), bisect.bisect_left(self.number_starts, end)
        return [n for n in self.numbers[i:j] if n.end <= end]

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        i = bisect.bisect_left(self.date_starts, start)
        j = bisect.bisect_left(self.date_starts, end)
        return self.dates[i:j]

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        i, j = bisect.bisect_left(self.place_starts, start), bisect.bisect_right(self.place_starts, end)
        return [p for p in self.places[i:j] if p.end <= end]


def _doc_country(analysis: Analysis, lex: _Lexicon) -> str | None:
    counts = Counter(p.place.country for p in analysis.places if p.place.country)
    if counts:
        return counts.most_common(1)[0][0]
    return next((c for c, pattern in lex.country_words.items() if pattern.search(analysis.report.text)), None)


def _doc(analysis: Analysis) -> _Doc:
    lex = lexicon()
    dates = sorted(analysis.dates, key=lambda d: d.start)
    numbers = outside(find_numbers(analysis.report.text), [(d.start, d.end) for d in dates])
    places = sorted(analysis.places, key=lambda p: p.start)
    return _Doc(analysis, lex, analysis.report.text.replace("’", "'"), dates, [d.start for d in dates],
                places, _doc_country(analysis, lex), numbers, [n.start for n in numbers], [p.start for p in places])


# ----------------------------------------------------------------------------- category


@dataclass(frozen=True, slots=True)
class _Cue:
    category: str
    start: int  # absolute offsets of the cue word(s)
    end: int
    tier: int  # 0 governs the figure ... 4 earlier in the sentence


def _cue(lex: _Lexicon, m: re.Match[str] | None, base: int, tier: int) -> _Cue | None:
    if m is None:
        return None
    phrase = _SPACES.sub(" ", m.group("cue").lower())
    return _Cue(lex.cue_category[phrase], base + m.start("cue"), base + m.end("cue"), tier)


def _window_after(text: str, start: int, stop: int) -> str:
    window = text[start:min(stop, start + 110)]
    cut = _WINDOW_CUT.search(window)
    return window[:cut.start()] if cut else window


def _category(lex: _Lexicon, s: Sentence, numbers: list[Number], i: int) -> _Cue | None:
    n, text = numbers[i], s.text
    a, b = n.start - s.start, n.end - s.start
    prev_end = numbers[i - 1].end - s.start if i else 0
    later = (m.start - s.start for m in numbers[i + 1:] if not lex.subset.search(text, 0, m.start - s.start))
    next_start = next(later, len(text))  # the next figure that is not a subset of this one
    after = _window_after(text, b, next_start)
    found = (_cue(lex, lex.tight.search(text, prev_end, a), s.start, 0)
             or _cue(lex, lex.noun_after.match(after), s.start + b, 1)
             or _cue(lex, lex.any_cue.search(after), s.start + b, 2)
             or _cue(lex, lex.person_after.match(after), s.start + b, 3))
    if found or not lex.count_after.match(text[b:]):
        return found
    earlier = list(lex.any_cue.finditer(text, prev_end, a))
    return _cue(lex, earlier[-1], s.start, 4) if earlier else None


# ----------------------------------------------------------------------------- assertion, period


_CLAUSE_MARK = re.compile(r"[,;:“”\"]")


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The comma/semicolon-delimited stretch of `text` around [start, end) (`start` and `end` not
    negative): from just after the last mark before `start` to the first mark at or after `end`."""
    marks = _clause_marks(text)
    i = bisect.bisect_left(marks, start)
    j = bisect.bisect_left(marks, end)
    return (marks[i - 1] + 1 if i else 0), (marks[j] if j < len(marks) else len(text))


@lru_cache(maxsize=64)
def _clause_marks(text: str) -> tuple[int, ...]:
    """Where `text` (a sentence, read for each of its figures) has a clause mark, ascending."""
    return tuple(m.start() for m in _CLAUSE_MARK.finditer(text))


def _is_hedged(lex: _Lexicon, s: Sentence, n: Number, cue: _Cue) -> bool:
    """A future, hypothetical or denial in the figure's clause, or a negation between figure and cue."""
    lo, hi = min(n.start, cue.start) - s.start, max(n.end, cue.end) - s.start
    a, b = _clause(s.text, lo, hi)
    if cue.start >= n.end:  # "300 people were not arrested"
        negated = lex.negation.search(s.text, n.end - s.start, cue.start - s.start)
    else:  # "did not kill 300"
        negated = lex.negation.search(s.text, max(a, cue.start - s.start - 12), cue.end - s.start)
    return bool(lex.hedge.search(s.text, a, b) or negated)


def _is_speech_date(doc: _Doc, d: DateMention) -> bool:
    before = doc.text[max(0, d.start - 40):d.start]
    after = doc.text[d.end:d.end + 20]
    return bool(doc.lex.speech_date.search(before)) or bool(_SPEECH_AFTER.match(after))


def _distance(d: DateMention, start: int, end: int) -> int:
    return max(d.start - end, start - d.end, 0)


def _kind(doc: _Doc, d: DateMention) -> str:
    before = doc.text[max(0, d.start - 30):d.start]
    if d.role == "since" or doc.lex.since.search(before) or doc.lex.since_began.search(
            doc.text, max(0, d.start - 90), d.start):
        return "since"
    if d.role == "until" or doc.lex.as_of.search(before):
        return "until"
    return "range" if d.role == "range" else "point"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _period(doc: _Doc, dates: list[DateMention], nearest: DateMention | None) -> tuple[str | None, str | None]:
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


def _usable_date(doc: _Doc, d: DateMention) -> bool:
    vague = d.surface.strip().lower() in doc.lex.vague_dates
    # "the highest number since 2015": "since" before the date or opening it
    opening = 5 if d.surface[:5].lower() == "since" else 0
    lo, hi = max(0, d.start - 60), d.start + opening
    compared = _may_contain(_lowered(doc.text[lo:hi]), ("since",)) and doc.lex.comparison.search(doc.text, lo, hi)
    return d.date_start is not None and not vague and not compared and not _is_speech_date(doc, d)


def _claim_dates(doc: _Doc, s: Sentence, n: Number) -> tuple[list[DateMention], DateMention | None]:
    """The sentence's dates and the one nearest the figure (those in its clause first)."""
    dates = doc.sentence_dates.get(s.start)
    if dates is None:
        dates = doc.sentence_dates[s.start] = [d for d in doc.dates_in(s.start, s.end) if _usable_date(doc, d)]
    if not dates:
        return [], None
    a, b = _clause(s.text, n.start - s.start, n.end - s.start)
    lo, hi = s.start + a, s.start + b
    return dates, min(dates, key=lambda d: (not lo <= d.start < hi, _distance(d, n.start, n.end), d.start > n.start))


def _is_event_size(doc: _Doc, s: Sentence, n: Number, nearest: DateMention | None) -> bool:
    """A figure that is the size of one event (the events stage's business), not a claim."""
    tally = doc.tallies.get(s.start)
    if tally is None:
        tally = doc.tallies[s.start] = (_may_contain(doc.lowered_sentence(s), doc.lex.tally_words)
                                        and doc.lex.tally.search(s.text) is not None)
    if tally:
        return False
    if nearest is not None and nearest.role in _POINT_ROLES and nearest.precision == "day":
        return _kind(doc, nearest) == "point"
    return nearest is None and n.qualifier == "exact" and (n.value or 0) <= doc.lex.small


# ----------------------------------------------------------------------------- source, place


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTES.finditer(text)]


def _chanters(doc: _Doc, s: Sentence, rel: int) -> str | None:
    spans = _quote_spans(s.text)
    quote = next((q for q in spans if q[0] < rel < q[1]), None)
    if quote is None:
        return None
    verb = [m for m in doc.lex.chant.finditer(s.text, 0, quote[0]) if not any(a <= m.start() < b for a, b in spans)]
    if not verb:
        return None
    actors = [a for a in find_actors(doc.text[s.start:s.start + verb[-1].start()])]
    if actors and actors[-1].actor.actor_class != "civilians":
        return actors[-1].actor.name
    return doc.lex.chanters_default


def _clean_source(surface: str, lex: _Lexicon) -> str:
    name = _POSSESSIVE_END.sub("", _SPACES.sub(" ", surface.strip(" ,.;:")))
    name = strip_titles(_LEADING_THE.sub("", name))
    m = lex.minister.match(name)
    return f"Ministry of {m.group(1).title().replace(' And ', ' and ')}" if m else name


def _named_before(doc: _Doc, s: Sentence, end: int, actors: Iterable[ActorMention]) -> tuple[int, str] | None:
    """The source named right before relative offset `end`: (its relative start, its name)."""
    text = doc.text[s.start:s.start + end]
    spans = [(a.start - s.start, a.end - s.start, a.surface) for a in actors if a.end - s.start <= end]
    spans += [(m.start(), m.end(), m.group()) for m in (*_CAP_RUN.finditer(text), *_MINISTER.finditer(text))]
    for start, stop, _ in sorted(spans, key=lambda t: (-t[1], t[0])):
        if end - stop > 120:
            break
        if doc.lex.source_gap.match(text[stop:]):
            name = _clean_source(doc.analysis.report.text[s.start + start:s.start + stop], doc.lex)
            if name.casefold() not in doc.lex.not_sources:
                return start, name
    return None


def _named_after(doc: _Doc, s: Sentence, start: int, actors: Iterable[ActorMention]) -> str | None:
    """The source named right after relative offset `start` ("according to the X, ...")."""
    base = s.start + start
    m = _SOURCE_AFTER.match(doc.text[base:s.end])
    if not m:
        return None
    inside = [a for a in actors if base <= a.start < base + m.end("src")]
    a, b = (inside[0].start, inside[0].end) if inside else (base + m.start("src"), base + m.end("src"))
    head = doc.analysis.report.text[a:b]
    return _clean_source(head, doc.lex) if head[:1].isupper() or inside else None


# What may follow a source's verb at the end of a sentence: "..., Amnesty said on Monday."
_CLAUSE_END = re.compile(r"(?:\s+(?:on|in|last|this|earlier|late|today|yesterday|tonight)\b[^,.;]{0,30})?"
                         r"\s*(?:[.,;)]|$)")


def _reported_by(doc: _Doc, s: Sentence, n: Number, verbs: list[re.Match[str]]) -> str | None:
    """A source whose reporting verb comes before the figure, else one closing the sentence after it."""
    rel = n.start - s.start
    actors = sentence_actors(doc.text[s.start:s.end], s.start)
    for m in sorted((m for m in verbs if m.start() < n.start), key=lambda m: -m.start()):
        found = _named_before(doc, s, m.start() - s.start, actors)
        if found:
            return found[1]
    for m in (m for m in verbs if m.start() > n.end and _CLAUSE_END.match(doc.text, m.end(), s.end)):
        found = _named_before(doc, s, m.start() - s.start, actors)
        if found and found[0] > rel:
            return found[1]
    return None


def _according(doc: _Doc, s: Sentence) -> str | None:
    """The source after "according to" or "a report by" anywhere in the sentence."""
    low = doc.lowered_sentence(s)
    for pattern, words in ((doc.lex.according, ("according",)), (doc.lex.report_by, doc.lex.report_words)):
        m = pattern.search(doc.text, s.start, s.end) if _may_contain(low, words) else None
        if m:
            source = _named_after(doc, s, m.end() - s.start, sentence_actors(doc.text[s.start:s.end], s.start))
            if source:
                return source
    return None


def _claimant(doc: _Doc, s: Sentence, n: Number) -> str | None:
    """Who asserts the figure: the chanters, a named source, else the publisher."""
    source = _chanters(doc, s, n.start - s.start)
    if not source:
        if s.start not in doc.according:
            doc.according[s.start] = _according(doc, s)
        source = doc.according[s.start]
    verbs = list(doc.lex.report_verb.finditer(doc.text, s.start, s.end)) if source is None else []
    if verbs:
        source = _reported_by(doc, s, n, verbs)
    return source or doc.analysis.report.publisher


def _place(doc: _Doc, s: Sentence, n: Number, cue: _Cue) -> str | None:
    a, b = _clause(s.text, min(n.start, cue.start) - s.start, max(n.end, cue.end) - s.start)
    if (_may_contain(doc.lowered_sentence(s), doc.lex.capital_words) and doc.lex.capital.search(s.text, a, b)
            and doc.country in doc.lex.capitals):
        return doc.lex.capitals[doc.country]
    for lo, hi in ((s.start + a, s.start + b), (s.start, s.end)):
        named = [p for p in doc.places_in(lo, hi) if p.place.level in ("city", "province") and p.role != "dateline"]
        if named:
            return named[0].place.name
    return doc.country


# ----------------------------------------------------------------------------- claims


def _confidence(cue: _Cue, period: tuple[str | None, str | None], sourced: bool, n: Number) -> float:
    score = 0.55 + (0.15 if cue.tier <= 1 else 0.05 if cue.tier == 2 else 0.0)
    score += (0.1 if any(period) else 0.0) + (0.1 if sourced else 0.0) + (0.05 if n.qualifier != "exact" else 0.0)
    return round(min(score, 0.95), 2)


def _claim(doc: _Doc, s: Sentence, n: Number, cue: _Cue) -> Claim | None:
    if _is_hedged(doc.lex, s, n, cue):
        return None
    dates, nearest = _claim_dates(doc, s, n)
    if _is_event_size(doc, s, n, nearest):
        return None
    period = _period(doc, dates, nearest)
    source = _claimant(doc, s, n)
    return Claim(
        doc=doc.analysis.report.doc, value=int(n.value or 0), qualifier=n.qualifier, category=cue.category,
        period_start=period[0], period_end=period[1], place=_place(doc, s, n, cue), claimed_by=source,
        evidence=s.text, evidence_start=s.start, evidence_end=s.end,
        confidence=_confidence(cue, period, source != doc.analysis.report.publisher, n), extractor=EXTRACTOR,
    )


def _countable(n: Number) -> bool:
    return n.unit is None and not n.vague and n.value is not None and n.value >= 2


def _no_count(lex: _Lexicon, s: Sentence, n: Number) -> bool:
    """A figure that counts no people or acts: an age ("at the age of 15"), a page, a weight or a
    number of pellets ("70 pellets"), co-defendants of one case ("and 5 other defendants"), or part of a
    date ("11-12 Aban", "Aban month 1401", "2009-10")."""
    a, b, text = n.start - s.start, n.end - s.start, s.text
    lo = max(0, a - 20)
    after = text[b:b + 24]
    if lex.not_count.search(text, lo, a) or lex.thing_after.match(after) or lex.age_after.match(after):
        return True
    if (_AGE_APPOSITIVE.search(text, lo, a) and after[:1] == ",") or (_FOOTNOTE.search(text, lo, a)
                                                                     and after[:1] in ")]"):
        return True  # "Parsa Nikzad, 19, was ...", "(7)"
    if _AT_AGE.search(text, lo, a) and _CLAUSE_CLOSE.match(after):
        return True  # "she left school at 14."
    return bool(lex.date_part.match(after) or lex.date_part.search(text, lo, a) or _YEAR_RANGE.search(text, lo, a))


def _is_part(lex: _Lexicon, s: Sentence, numbers: list[Number], i: int) -> bool:
    """A figure that breaks a total down: "including 10 children", "25 of them", "25 of the 40",
    "Of the 40 executed, 25 were ...". It belongs to the total and is no claim of its own."""
    n, text = numbers[i], s.text
    a, b = n.start - s.start, n.end - s.start
    if lex.part_before.search(text, max(0, a - 40), a) or lex.part_after.match(text[b:b + 20]):
        return True
    if i and _PLACE_SHARE.match(text, b) and text[:a].rstrip().endswith(","):
        return True  # "33 died, 9 in Aleppo"
    later = numbers[i + 1] if i + 1 < len(numbers) else None
    if later is not None and lex.of_figure.match(text[b:later.start - s.start]):
        return True
    for m in numbers[:i]:  # a total opening an earlier clause: "Of the 40 ..., 25 ..."
        start = m.start - s.start
        if lex.total_opener.search(text, 0, start) and "," in text[m.end - s.start:a]:
            return True
    return False


def _sentence_claims(doc: _Doc, s: Sentence) -> list[Claim]:
    """The claims of one sentence: one per value and category."""
    numbers = doc.numbers_in(s.start, s.end)
    out: list[Claim] = []
    for i, n in enumerate(numbers):
        countable = _countable(n) and not _no_count(doc.lex, s, n) and not _is_part(doc.lex, s, numbers, i)
        cue = _category(doc.lex, s, numbers, i) if countable else None
        if cue is None or any((c.value, c.category) == (int(n.value or 0), cue.category) for c in out):
            continue  # (a second claim of the same value and category would be dropped: not built)
        claim = _claim(doc, s, n, cue)
        if claim:
            out.append(claim)
    return out


def _has_figure(starts: list[int], s: Sentence) -> bool:
    """Whether a figure starts in sentence `s` (`starts`: the report's, ascending): most sentences have
    none, and need no call to `_sentence_claims`."""
    i = bisect.bisect_left(starts, s.start)
    return i < len(starts) and starts[i] < s.end


def _compatible(a: Claim, b: Claim) -> bool:
    if (a.value, a.category) != (b.value, b.category):
        return False
    return (a.period_start, a.period_end) == (b.period_start, b.period_end) or not (
        any((a.period_start, a.period_end)) and any((b.period_start, b.period_end)))


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per figure in a document: a repeated figure keeps its most specific reading."""
    out: list[Claim] = []
    for claim in claims:
        i = next((i for i, c in enumerate(out) if _compatible(c, claim)), None)
        if i is None:
            out.append(claim)
        elif not any((out[i].period_start, out[i].period_end)) and any((claim.period_start, claim.period_end)):
            out[i] = claim
    return out


def find_claims(analysis: Analysis) -> Analysis:
    """Stage `claims.v1`: fill `Analysis.claims` (needs sentences; uses dates and places if present)."""
    doc = _doc(analysis)
    starts = doc.number_starts
    claims = [c for s in analysis.sentences if _has_figure(starts, s) for c in _sentence_claims(doc, s)]
    return replace(analysis, claims=tuple(_dedupe(claims)))
