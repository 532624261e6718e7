"""Stage `statements.v1`: someone on the record saying something the report tells as news.

A statement is found in one sentence (vocabulary in `data/statements.toml`):

* Speakers are names written in the text: capitalised runs of 1-4 name words (titles such
  as "former U.S. Vice President" or "Mrs." stripped off and kept to class the speaker), or a
  body from the actor dictionary or a capitalised run with an organisation word ("Erja News",
  "Amnesty International"). No NER model: patterns only.
* Patterns: "X (, appositive,) said/told/acknowledged ... : '...'", "'...,' said X",
  "'...,' X said", "The agency quoted X ... as saying", "X ..., stating that",
  "X's response / remarks of X", "according to X" (a person).
* A bare surname resolves to the full name seen earlier in the report ("Khamenei" ->
  "Ali Khamenei"). Bodies that only act (crowds, activist networks) and the publisher itself
  are not speakers; neither are pronouns, generic subjects ("officials") or anyone whose
  words are themselves inside a quotation.
* `date`: the day-precise date of the sentence nearest the verb, outside quotations; never
  the publication date. `outlet`: the agency that quoted, the outlet told or written in,
  the speaker itself when it is an outlet, or a venue ("video conference").
* A speaker already on record for the same date, or speaking again with no date (a
  continuation, "X added: ..."), adds no statement; a dated statement replaces an undated one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter
from typing import NamedTuple

from eventledger.data import load_toml
from eventledger.models import Analysis, DateMention, PlaceMention, Sentence, Statement
from eventledger.stages.actors import Actor, ActorMention, actor_class, find_actors, lookup
from eventledger.stages.quantities import alternation, alternation_not_after

EXTRACTOR = "statements.v1"
_TOKEN = r"(?:[A-Z]\.){2,}|[A-Z][a-z]{0,3}\.(?=\s+[A-Z])|[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*"
# `(?<![\w'’.-])(?:_TOKEN)` with the look-behind after the first character (which lets the `re` engine
# skip ahead to capitals): the same alternatives, tried in the same order.
_FIRST_TOKEN = (r"[A-ZÀ-ÖØ-ÞĀ-Ž](?<![\w'’.-].)"
                r"(?:(?<=[A-Z])\.(?:[A-Z]\.)+|(?<=[A-Z])[a-z]{0,3}\.(?=\s+[A-Z])|[\w'’-]*)")
_DATE_ROLES_SKIPPED = frozenset({"since", "until", "range"})
_PREPOSITIONS = frozenset({"of", "in", "from", "for", "at", "to", "on", "by", "with"})
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+$")
# The last words of `noun_before` and `_ACCORDING_TO`, which end only with white space after them:
# a text that does not end so (spaces aside) needs no search.
_NOUN_BEFORE_ENDS = ("of", "by", "from", "to")
_ACCORDING_TO_NAME = re.compile(r"[Aa]ccording to\s+[A-ZÀ-ÖØ-ÞĀ-Ž]")  # where a person may follow (see `_TOKEN`)
_MEMBER_OF = re.compile(r"\s+(?:of|from|at)\s+(?:the\s+)?")  # "X of the Y": a person and the body they speak for
_TAIL_OF = re.compile(r"\b([A-Z][\w'’-]*)\s+(?:of|for)\s+(?:the\s+)?$")  # "Ministry of " before a name
# Before a name that completes a description: "the lawyer for ", "a neighbour of ", "a friend who visited "
_COMPLEMENT = re.compile(r"(?:(?<![\w'’-])[a-z][\w'’-]*\s+(?:of|for|with|against|from)\s+(?:the\s+)?"
                         r"|\b(?:who|whom)\s+[a-z][\w'’-]*\s+)$")
_CLOSING_QUOTE_BEFORE = re.compile(r"[”\"],?\s*$")
_WORDISH = re.compile(r"[\w-]")
_START = attrgetter("start")
_END = attrgetter("end")
_QUOTATION = re.compile(r"“[^”“]*(?:”|(?=“)|$)|\"[^\"]*(?:\"|$)")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_APPOSITIVE = re.compile(r"\s*(?:\([^)]*\))?\s*,\s*([^,;“”\"]{1,100})")
_MEMBER_OF_BODY = re.compile(rf"((?:{_MEMBER_OF.pattern})[A-Z][^,;“”\"]{{1,60}})")  # "X of Amnesty International"


def _standalone(text: str, word: str, *, overlapping: bool = False) -> Iterator[int]:
    r"""Where `word` occurs in `text` with no letter, digit or hyphen on either side: the matches of
    `(?<![\w-])word(?![\w-])` (as `re.finditer`, or every one if `overlapping`), found by `str.find`,
    which needs no pattern compiled per word."""
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        if (i == 0 or not _WORDISH.match(text, i - 1)) and not _WORDISH.match(text, end):
            yield i
            i = text.find(word, i + 1 if overlapping else max(end, i + 1))
        else:
            i = text.find(word, i + 1)


# ----------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, eq=False)  # hashed by identity: the key of the per-lexicon caches below
class _Lexicon:
    speech: re.Pattern[str]
    participle: re.Pattern[str]
    verb: re.Pattern[str] | None  # `speech` or `participle` in one scan (see `_verb_pattern`)
    quoting: re.Pattern[str]
    quoting_tail: re.Pattern[str]
    noun_after: re.Pattern[str]
    noun_before: re.Pattern[str]
    noun_of: re.Pattern[str]
    trigger: re.Pattern[str]
    trigger_after: re.Pattern[str]
    run: re.Pattern[str]
    titles: frozenset[str]
    org_words: frozenset[str]
    not_names: frozenset[str]
    countries: frozenset[str]
    pronouns: frozenset[str]
    gap: re.Pattern[str]
    venue: re.Pattern[str]
    venue_of: dict[str, str]
    introducer: re.Pattern[str]
    outlet_prefix: re.Pattern[str]
    outlet_suffix: re.Pattern[str]
    known_outlet: re.Pattern[str]
    media_word: re.Pattern[str]
    outlet_strip: re.Pattern[str]
    state_prefix: re.Pattern[str]
    cues: dict[str, re.Pattern[str]]
    silent_classes: frozenset[str]
    silent_actors: frozenset[str]
    media_actors: frozenset[str]
    passive: re.Pattern[str]  # a passive auxiliary ending the text before a verb
    as_passive: frozenset[str]  # verbs that describe when "as" follows them
    sentencing: re.Pattern[str]  # "condemned X to death", matched from a verb's end
    sentencing_verbs: frozenset[str]
    relay_verbs: frozenset[str]  # what outlets and monitors do with news they pass on
    news_verbs: frozenset[str]  # what outlets (not monitors) also do with it
    ruling_bodies: frozenset[str]
    ruling_verbs: frozenset[str]
    site_words: frozenset[str]
    before_infinitive: frozenset[str]
    occasion: re.Pattern[str]  # "during a sermon by " before a name
    outlet_nouns: str  # an alternation: "newspaper", "news agency", ...


def _words(phrases: list[str]) -> str:
    return alternation(phrases)


def _cue_pattern(cues: list[str]) -> re.Pattern[str]:
    """Short all-letter cues ("US", "UN", "MP") match only in capitals; others in any case."""
    short = [c.upper() for c in cues if len(c) <= 3 and c.isalpha()]
    long = [c for c in cues if not (len(c) <= 3 and c.isalpha())]
    parts = [f"(?i:{alternation(long)})"] + ([alternation(short, lower=False)] if short else [])
    return re.compile(rf"(?<![\w.-])(?:{'|'.join(parts)})(?![\w-])")


def _verb_patterns(verbs: dict) -> dict[str, re.Pattern[str]]:
    triggers = [*verbs["speech"], *verbs["participles"], *verbs["quoting"], "according to"]
    trigger_words = rf"{_words(triggers)}|According\s+to"  # (the phrases are lower-cased: this one opens sentences)
    nouns = _words(verbs["speech_nouns"])
    return {
        "speech": re.compile(rf"(?<![\w-])(?:{_words(verbs['speech'])})(?![\w-])"),
        "participle": re.compile(rf"(?<![\w-])(?:{_words(verbs['participles'])})(?![\w-])"),
        "verb": _verb_pattern(verbs["speech"], verbs["participles"]),
        "quoting": re.compile(rf"{alternation_not_after(verbs['quoting'], _WORDISH.pattern)}\s+"),
        "quoting_tail": re.compile(rf"\b(?:{_words(verbs['quoting_tail'])})\b"),
        "noun_after": re.compile(rf"['’]s\s+(?:[a-z-]+\s+)?(?:{nouns})\b"),
        "noun_before": re.compile(rf"\b(?:{nouns})\s+(?:of|by|from)\s+$"),
        "noun_of": re.compile(rf"(?:{nouns})\s+(?:of|by|from)\s"),  # where `noun_before` may end
        # "(?<![\w-])<trigger>(?![\w-])" or "<noun> of [A-Z]" after no word character (as `\b` before a
        # letter), or "'s <noun>": the first two share one look-behind, which is quicker to scan with.
        "trigger": re.compile(rf"(?<!\w)(?:(?<!-)(?:{trigger_words})(?![\w-])|(?:{nouns})\s+(?:of|by|from)\s+[A-Z])"
                              rf"|['’]s\s+(?:[a-z-]+\s+)?(?:{nouns})\b"),
        # `trigger` with the character before the match consumed (see `_trigger_start`), then a quick test
        # of the next one: what may open a branch ("s" for the apostrophe's), most words can not
        "trigger_after": re.compile(rf"[^\w](?=[{_first_letters([*triggers, *verbs['speech_nouns'], 's'])}A])"
                                    rf"(?:(?P<apostrophe>(?<=['’])s\s+(?:[a-z-]+\s+)?(?:{nouns})\b)"
                                    rf"|(?<!-)(?:{trigger_words})(?![\w-])|(?:{nouns})\s+(?:of|by|from)\s+[A-Z])"),
    }


def _first_letters(phrases: list[str]) -> str:
    """The characters that open `phrases` as `alternation` writes them (lower-cased), for a character set."""
    return "".join(sorted({re.escape(p.strip().lower()[0]) for p in phrases}))


def _verb_pattern(speech: list[str], participles: list[str]) -> re.Pattern[str] | None:
    """`speech` and `participle` as one pattern (the group `speech` or `participle` matched), whose
    matches are those of the two, found with one scan of a sentence instead of two.

    That holds when a match of the one cannot overlap a match of the other: when their phrases are
    words of letters and no phrase of either opens with a word of the other's (a match opens after a
    non-word character, so inside the other's match only at one of its words). Otherwise None."""
    def words(phrases: list[str]) -> list[list[str]]:
        return [p.lower().split() for p in phrases]

    a, b = words(speech), words(participles)
    if not all(w.isalpha() for p in [*a, *b] for w in p):
        return None
    if {p[0] for p in a} & {w for p in b for w in p} or {p[0] for p in b} & {w for p in a for w in p}:
        return None
    return re.compile(rf"(?<![\w-])(?:(?P<speech>{_words(speech)})|(?P<participle>{_words(participles)}))(?![\w-])")


def _name_patterns(names: dict) -> dict:
    from spacy.lang.en.stop_words import STOP_WORDS

    particles = alternation(names["particles"])
    return {
        "run": re.compile(rf"{_FIRST_TOKEN}(?:[ \t]+(?:(?:{particles})[ \t-]+)?(?:{_TOKEN}))*"),
        "titles": frozenset(t.lower() for t in names["titles"]),
        "org_words": frozenset(w.lower() for w in names["org_words"]),
        "not_names": frozenset([*(w.lower() for w in names["not_names"]), *STOP_WORDS]),
        "pronouns": frozenset(names["pronouns"]),
    }


def _outlet_patterns(outlets: dict) -> dict:
    prefixes = alternation(outlets["prefixes"])
    return {
        "venue": re.compile(rf"\b(?:{alternation(outlets['venues'])})\b", re.IGNORECASE),
        "venue_of": {k.lower(): v for k, v in outlets["venues"].items()},
        "introducer": re.compile(rf"\b(?:{alternation(outlets['introducers'])})\s+(?:the\s+)?"),
        "outlet_prefix": re.compile(rf"^(?:(?:{prefixes})\s+)*$", re.IGNORECASE),
        "outlet_suffix": re.compile(rf"\s+(?:{alternation(outlets['suffixes'])})\b", re.IGNORECASE),
        "known_outlet": re.compile(rf"{alternation_not_after(outlets['known'], _WORDISH.pattern, lower=False)}(?![\w-])"
                                   r"(?!\s+[A-Z])"),
        "media_word": re.compile(rf"\b(?:{alternation(outlets['name_words'], lower=False)})\b"),
        "outlet_nouns": alternation(outlets["strip"]),
        "outlet_strip": re.compile(rf"\s+(?:{alternation(outlets['strip'], lower=False)})$"),
        "state_prefix": re.compile(rf"(?i:{alternation(outlets['state_prefixes'])})\s+(?:\w+\s+){{0,2}}$"),
    }


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The compiled statements vocabulary (read once from `data/statements.toml`)."""
    table = load_toml("statements.toml")
    classes = table["classes"]
    gap = re.compile(rf"^(?:['’]s)?\s*(?:\([^)]{{0,60}}\)\s*)?(?:,[^,;“”\"]{{1,150}},\s*|,\s*(?:the\s+)?"
                     rf"(?-i:[A-Z])[^,;“”\"]{{0,80}}?\s+)?(?:(?:{alternation(table['verbs']['subject_gap'])})\s+)*,?\s*$",
                     re.IGNORECASE)
    return _Lexicon(
        **_verb_patterns(table["verbs"]), **_name_patterns(table["names"]), **_outlet_patterns(table["outlets"]),
        countries=frozenset(c.lower() for c in classes["countries"]), gap=gap,
        cues={
            "foreign": _cue_pattern([*classes["foreign"], *classes["countries"]]),
            "opposition": _cue_pattern(classes["opposition"]),
            "state": _cue_pattern(classes["state"]),
        },
        silent_classes=frozenset(table["speakers"]["silent_classes"]),
        silent_actors=frozenset(table["speakers"]["silent_actors"]),
        media_actors=frozenset(table["speakers"]["media_actors"]),
        **_voice_patterns(table["verbs"]),
    )


def _voice_patterns(verbs: dict) -> dict:
    """What makes a speech verb not a speech: passive voice, "described as", a sentence passed; and the
    verbs with which outlets and monitors relay news."""
    fillers = alternation(verbs["passive_fillers"])
    return {
        "passive": re.compile(rf"(?<![\w-])(?:{alternation(verbs['passive_auxiliaries'])})\s+(?:(?:{fillers})\s+)*$",
                              re.IGNORECASE),
        "as_passive": frozenset(verbs["as_passive"]),
        "sentencing": re.compile(rf"[^,;:“”\"]{{0,80}}?\bto\s+(?:[\w-]+\s+){{0,2}}?"
                                 rf"(?:{alternation(verbs['sentencing_objects'])})(?![\w-])"),
        "sentencing_verbs": frozenset(verbs["sentencing_verbs"]),
        "relay_verbs": frozenset(verbs["relay_verbs"]),
        "news_verbs": frozenset(verbs["news_verbs"]),
        "ruling_bodies": frozenset(verbs["ruling_bodies"]),
        "ruling_verbs": frozenset(verbs["ruling_verbs"]),
        "site_words": frozenset(verbs["site_words"]),
        "before_infinitive": frozenset(verbs["before_infinitive"]),
        "occasion": re.compile(rf"\b(?:{alternation(verbs['occasion_words'])})\s+(?:a|an|the|his|her|their|its)\s+"
                               rf"(?:[\w-]+\s+)?(?:{_words(verbs['speech_nouns'])})\s+(?:of|by|from)\s+(?:the\s+)?$",
                               re.IGNORECASE),
    }


# ----------------------------------------------------------------------------- names


class _Name(NamedTuple):  # a named tuple: many are made, and one is made faster than a frozen dataclass
    """A name in a sentence: a person or a body (absolute offsets)."""

    start: int  # of the name proper (titles excluded)
    end: int
    name: str
    run_start: int  # of the whole run (titles included)
    titles: tuple[str, ...] = ()
    kind: str = "person"  # person | body
    actor: Actor | None = None


@lru_cache(maxsize=16384)
def _token_kind(token: str, lex: _Lexicon) -> str:
    low = token.lower()
    bare = low.rstrip(".")
    if low in lex.titles or bare in lex.titles or bare in lex.countries:
        return "title"
    if len(token) > 1 and token.replace(".", "").replace("-", "").isupper():
        return "title"
    if bare in lex.org_words:
        return "org"
    if bare in lex.not_names or low.endswith(".") or not token[:1].isupper():
        return "stop"
    return "name"


def _unpossessed(token: str) -> str:
    return token[:-2] if token.endswith(("'s", "’s")) else token


def _split_run(text: str, lex: _Lexicon) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]], bool]:
    """A run's leading titles, its name tokens (as offsets into `text`), and whether it names a body."""
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
    kinds = [_token_kind(_unpossessed(t), lex) for _, _, t in tokens]
    if "org" in kinds:
        return [], [], True
    titles, names = [], []
    for (a, b, t), kind in zip(tokens, kinds, strict=True):
        if not names and kind in ("title", "stop"):
            titles.append((a, b, t))
        elif kind == "name" or (names and not t[:1].isupper() and kind == "stop" and "-" in t):
            names.append((a, b, t))
            if _unpossessed(t) != t:
                break
        else:
            break
    return titles, names[:4], False


# A run's reading depends on its text alone, and names recur within and across reports: the readings
# below are cached by run text, with offsets relative to the run's start.


@lru_cache(maxsize=16384)
def _person_in_run(run: str, lex: _Lexicon) -> tuple[int, str, tuple[str, ...]] | None:
    """The person a capitalised run names: (offset of the name in the run, name, titles), else None."""
    titles, names, body = _split_run(run, lex)
    if body or not names:
        return None
    a, b = names[0][0], names[-1][1]
    return a, re.sub(r"['’]s$", "", run[a:b]), tuple(t.rstrip(",") for _, _, t in titles)


@lru_cache(maxsize=16384)
def _body_in_run(run: str, lex: _Lexicon) -> tuple[int, str] | None:
    """The body a capitalised run names: (offset of the name in the run, name), else None."""
    tokens = list(re.finditer(r"\S+", run))
    # "Verdict The Provincial Court": a run that goes on over "The" is two phrases; the body is the last
    tokens = tokens[max((i for i, t in enumerate(tokens) if t.group() == "The"), default=0):]
    while tokens and (_token_kind(tokens[0].group(), lex) == "stop" or tokens[0].group() in ("The", "A", "An")
                      or re.search(r"['’]s$", tokens[0].group())):
        tokens.pop(0)
    if not tokens or all(_token_kind(t.group(), lex) != "org" for t in tokens):
        return None
    a, b = tokens[0].start(), tokens[-1].end()
    return a, re.sub(r"['’]s$", "", run[a:b])


def _person(m: re.Match[str], lex: _Lexicon) -> _Name | None:
    found = _person_in_run(m.group(), lex)
    if found is None:
        return None
    a, name, titles = found
    return _Name(m.start() + a, m.start() + a + len(name), name, m.start(), titles)


def strip_titles(phrase: str) -> str:
    """A capitalised phrase without the titles before a person's name ("Interior Minister Ahmad Vahidi"
    -> "Ahmad Vahidi"); the phrase itself when it names no person."""
    m = lexicon().run.fullmatch(phrase.strip())
    person = _person(m, lexicon()) if m else None
    return person.name if person and person.end == m.end() else phrase


@lru_cache(maxsize=16384)
def _read_run(run: str, lex: _Lexicon) -> tuple[int, str, tuple[str, ...], str] | None:
    """The person, else the body, a run names: (offset of the name in the run, name, titles, kind)."""
    person = _person_in_run(run, lex)
    if person is not None:
        return (*person, "person")
    body = _body_in_run(run, lex)
    return (*body, (), "body") if body is not None else None


@lru_cache(maxsize=64)
def sentence_actors(sentence: str, offset: int) -> tuple[ActorMention, ...]:
    """`find_actors(sentence, offset=offset)`, remembered for the last few sentences: the claims and
    statements stages both read a sentence's actors, claims once per figure."""
    return tuple(find_actors(sentence, offset=offset))


def _actor_names(text: str, s: Sentence) -> list[_Name]:
    out = []
    for mention in sentence_actors(text[s.start:s.end], s.start):
        if mention.anaphoric:
            continue
        surface = mention.surface
        if surface.startswith(("the", "The")):  # (`_LEADING_THE` needs one of them: no search for the rest)
            surface = _LEADING_THE.sub("", surface)
        start = mention.end - len(surface)
        out.append(_Name(start, mention.end, surface, mention.start, (), "body", mention.actor))
    return out


def _known_outlets(text: str, s: Sentence, lex: _Lexicon, actors: list[_Name]) -> list[_Name]:
    found = [m for m in lex.known_outlet.finditer(text, s.start, s.end)]
    return [_Name(m.start(), m.end(), m.group(), m.start(), kind="body") for m in found
            if not any(a.start <= m.start() < a.end for a in actors)]


def _sentence_names(text: str, s: Sentence, lex: _Lexicon, quotes: _Quotes) -> list[_Name]:
    """Every person and body named in sentence `s` outside quotations, in text order."""
    actors = _actor_names(text, s)
    actors += _known_outlets(text, s, lex, actors)
    names = _without_overlaps(actors, _run_names(text, s, lex))
    if quotes.may_cover(s.start, s.end):
        names = [n for n in names if not quotes.covers(n.start)]
    return sorted(names, key=_START)


def _run_names(text: str, s: Sentence, lex: _Lexicon) -> list[_Name]:
    """The persons and bodies the capitalised runs of sentence `s` name (offsets made absolute)."""
    out = []
    for m in lex.run.finditer(text, s.start, s.end):
        found = _read_run(m.group(), lex)
        if found is not None:
            a, name, titles, kind = found
            start = m.start() + a
            out.append(_Name(start, start + len(name), name, start - a, titles, kind))
    return out


def _without_overlaps(actors: list[_Name], runs: list[_Name]) -> list[_Name]:
    """Dictionary actors and capitalised runs, one per stretch of text: a longer body run wins over an
    actor inside it ("Islamic Republic News Agency"); an actor in a person's titles goes ("U.S. Vice
    President X"); otherwise the actor wins."""
    if not actors or not runs:
        return [*actors, *runs]
    longer = [r for r in runs if r.kind == "body" and any(_contains(r, a) and a.end - a.start < r.end - r.start
                                                          for a in actors)]
    actors = [a for a in actors if not any(_contains(r, a) for r in longer)]
    runs = [r for r in runs if r in longer or not any(a.start < r.end and r.start < a.end for a in actors)]
    titled = [(r.run_start, r.start) for r in runs if r.kind == "person" and r.run_start < r.start]
    return [*(a for a in actors if not any(x <= a.start < y for x, y in titled)), *runs]


def _contains(outer: _Name, inner: _Name) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a < pos < b for a, b in spans)


class _Quotes:
    """A report's quotations (see `_quote_spans`, none empty), with a fast test for an offset inside one."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [a for a, _ in spans]
        # In text order and apart (as they are when the paragraphs are), only the last quotation
        # opening before an offset can hold it; otherwise every quotation is tried.
        self._ordered = all(end <= start for (_, end), (start, _) in pairwise(spans))

    def covers(self, pos: int) -> bool:
        """Whether `pos` is strictly inside a quotation (as `_inside(spans, pos)`)."""
        if not self._ordered:
            return _inside(self.spans, pos)
        i = bisect.bisect_left(self._starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]

    def may_cover(self, start: int, end: int) -> bool:
        """False when no offset from `start` to `end` is inside a quotation (True may be wrong)."""
        if not self._ordered:
            return True
        i = bisect.bisect_left(self._starts, end) - 1  # the last to open before `end` ends last
        return i >= 0 and self.spans[i][1] > start


# ----------------------------------------------------------------------------- per document


@dataclass
class _Doc:
    analysis: Analysis
    lex: _Lexicon
    text: str  # report text, typographic apostrophes made plain (same length)
    quotes: _Quotes
    dates: list[DateMention]
    date_starts: list[int]
    publisher: Actor | None
    earlier: dict[str, list[tuple[_Name, str]]] = field(default_factory=dict)
    out: list[Statement] = field(default_factory=list)
    persons: set[str] = field(default_factory=set)
    outlets: dict[str, bool] = field(default_factory=dict)  # name -> written with an outlet noun after it
    places: list[PlaceMention] | None = None  # by start, once `overlaps_place` needs them
    place_starts: list[int] = field(default_factory=list)
    longest_place: int = 0

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        i, j = bisect.bisect_left(self.date_starts, start), bisect.bisect_left(self.date_starts, end)
        return self.dates[i:j]

    def overlaps_place(self, start: int, end: int) -> bool:
        """Whether a place found in the report overlaps [start, end)."""
        if self.places is None:
            places = sorted(self.analysis.places, key=lambda p: p.start)
            self.places, self.place_starts = places, [p.start for p in places]
            self.longest_place = max((p.end - p.start for p in places), default=0)
        # a place that starts `longest_place` or more before `start` ends by then
        i = bisect.bisect_right(self.place_starts, start - self.longest_place)
        j = bisect.bisect_left(self.place_starts, end)
        return any(start < p.end for p in self.places[i:j])


def _paragraph_spans(sentences: tuple[Sentence, ...]) -> list[tuple[int, int]]:
    spans: dict[int, tuple[int, int]] = {}
    for s in sentences:
        first = spans.get(s.paragraph)
        spans[s.paragraph] = (s.start if first is None else first[0], s.end)
    return list(spans.values())


def _quote_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations (marks included): “…” or "…" inside a paragraph; an unclosed one runs to its end."""
    return [m.span() for a, b in paragraphs for m in _QUOTATION.finditer(text, a, b)]  # (`$`: at `b`)


def _doc(analysis: Analysis) -> _Doc:
    text = analysis.report.text.replace("’", "'")
    dates = sorted(analysis.dates, key=lambda d: d.start)
    publisher = lookup(analysis.report.publisher) if analysis.report.publisher else None
    quotes = _Quotes(_quote_spans(text, _paragraph_spans(analysis.sentences)))
    return _Doc(analysis, lexicon(), text, quotes, dates, [d.start for d in dates], publisher)


# ----------------------------------------------------------------------------- who speaks


@dataclass(frozen=True, slots=True)
class _Said:
    """A speaker and the words that make them one (absolute offsets)."""

    speaker: _Name
    at: int
    end: int
    outlet: str | None = None
    verb: str = ""  # the speech verb, lower-cased, when a verb makes the speaker one


def _without_dates(doc: _Doc, start: int, end: int) -> str:
    dates = doc.dates_in(start, end)
    if not dates:  # (most gaps)
        return doc.text[start:end]
    parts, pos = [], start
    for d in dates:
        if d.end <= end:
            parts.append(doc.text[pos:d.start])
            pos = d.end
    return "".join([*parts, doc.text[pos:end]])


def _subject(doc: _Doc, names: list[_Name], at: int) -> _Name | None:
    """The name whose verb starts at `at`: the nearest before it with only an appositive or fillers between."""
    before = sorted((n for n in names if at - 160 <= n.end <= at), key=_END, reverse=True)  # (stable: as by -end)
    fits = (n for n in before if doc.lex.gap.match(_without_dates(doc, n.end, at))  # lazy: the first fit decides
            and not _is_complement(doc, n))
    n = next(fits, None)
    if n is not None and n.kind == "body" and "," in _without_dates(doc, n.end, at):
        # the end of an appositive: "X, one of the regime's officials, told", "X, head of the IRGC, said"
        person = next((p for p in fits if p.kind == "person"), None)
        if person is not None or _is_silent(doc, n) or not _is_proper(doc, n.name):
            return person
    if n is not None and n.kind == "body":  # "Hiba Morayef of Amnesty International warned": she speaks
        member = next((p for p in names if p.kind == "person" and p.end <= n.run_start
                       and _MEMBER_OF.fullmatch(doc.text, p.end, n.run_start)), None)
        return member or n
    return n


def _is_complement(doc: _Doc, n: _Name) -> bool:
    """A person named inside another's description ("the lawyer for X", "a neighbour of X", "a friend
    who visited X"): not the subject of the verb that follows."""
    return n.kind == "person" and _COMPLEMENT.search(doc.text, max(0, n.run_start - 40), n.run_start) is not None


def _inverted(doc: _Doc, names: list[_Name], m: re.Match[str]) -> _Name | None:
    """'"...," said former Minister X': the name right after a verb that follows a closing quote."""
    if not _CLOSING_QUOTE_BEFORE.search(doc.text[max(0, m.start() - 4):m.start()]):
        return None
    n = next((n for n in names if n.run_start >= m.end() and n.name[:1].isupper()), None)
    lead = doc.text[m.end():n.run_start] if n else ""
    return n if n and lead[:1].isspace() and _title_lead(lead) else None


def _title_lead(lead: str) -> bool:
    """Lowercase words that may precede a speaker's name ("the former", "judiciary spokesman"), but not
    ones that make the name a place ("the prosecutor of Marand")."""
    words = lead.split()
    return len(words) <= 4 and all(w[:1].islower() for w in words) and (not words or words[-1] not in _PREPOSITIONS)


def _sentence_subject(s: Sentence, names: list[_Name], at: int) -> _Name | None:
    first = next((n for n in names if n.kind == "person" and n.run_start < at), None)
    return first if first and first.run_start - s.start <= 30 else None


def _quoted(doc: _Doc, s: Sentence, names: list[_Name]) -> list[tuple[_Said, tuple[int, int]]]:
    """'The agency quoted X, the ..., on May 5 as saying': X speaks, the agency is the outlet."""
    out = []
    for m in doc.lex.quoting.finditer(doc.text, s.start, s.end):
        tail = doc.lex.quoting_tail.search(doc.text, m.end(), s.end)
        speaker = next((n for n in names if m.end() <= n.run_start <= m.end() + 40 and n.name[:1].isupper()), None)
        lead = doc.text[m.end():speaker.run_start] if speaker else ""
        if tail is None or speaker is None or not _title_lead(lead):
            continue
        source = _subject(doc, names, m.start())
        said = _Said(speaker, tail.start(), tail.end(), _outlet_name(doc, source) if source else None)
        out.append((said, (m.start(), tail.end())))
    return out


def _trigger_start(lex: _Lexicon, text: str, start: int, end: int) -> int | None:
    """Where the first `trigger` match in `text[start:end]` starts (`trigger.search(text, start, end)`), or None.

    A fast path: `trigger` opens with look-behinds, so the `re` engine tries it at every position;
    `trigger_after` opens with the non-word character before a trigger word instead (consumed, then
    tested by look-behind: `(?<!-)`), or the apostrophe of "'s <noun>", which lets the engine skip
    through words. Its match at `x` is `trigger`'s at `x` ("'s <noun>", tried first) or else at `x + 1`;
    as it tries `x` only where no earlier match exists, that is also the first match of `trigger`."""
    if start == 0:  # no character before the first one to consume
        m = lex.trigger.search(text, start, end)
        return None if m is None else m.start()
    m = lex.trigger_after.search(text, start - 1, end)
    if m is None:
        return None
    if m.start("apostrophe") < 0:
        return m.start() + 1
    if m.start() >= start:
        return m.start()
    m = lex.trigger.search(text, start, end)  # "'s" right before `start`: rare
    return None if m is None else m.start()


def _verbs(doc: _Doc, s: Sentence, start: int) -> list[tuple[re.Match[str], bool]]:
    """The speech verbs and participles of sentence `s` outside quotations (participle or not), in that order.

    `start`: where the sentence's first `trigger` match starts; as every speech verb or participle
    is a trigger, none starts before it."""
    quoted = doc.quotes.may_cover(start, s.end)
    if doc.lex.verb is None:
        return [(m, participle) for pattern, participle in ((doc.lex.speech, False), (doc.lex.participle, True))
                for m in pattern.finditer(doc.text, start, s.end) if not (quoted and doc.quotes.covers(m.start()))]
    found = [m for m in doc.lex.verb.finditer(doc.text, start, s.end) if not (quoted and doc.quotes.covers(m.start()))]
    return [*((m, False) for m in found if m.lastgroup == "speech"),
            *((m, True) for m in found if m.lastgroup == "participle")]


def _may_speak(doc: _Doc, s: Sentence) -> bool:
    """Whether sentence `s`, which has no speech verb outside quotations, has a pattern that `_quoted` or
    `_noun_said` may read; a cheap test (no names needed) that saves reading the names of the others."""
    text = doc.text
    return bool("'s" in text[s.start:s.end + 2]  # `noun_after`, at the end of a name
                or doc.lex.quoting.search(text, s.start, s.end) or doc.lex.noun_of.search(text, s.start, s.end)
                or _ACCORDING_TO_NAME.search(text, s.start, s.end))


def _verb_said(doc: _Doc, s: Sentence, names: list[_Name], verbs: list[tuple[re.Match[str], bool]],
               covered: list[tuple[int, int]]) -> list[_Said]:
    out = []
    for m, participle in verbs:
        if any(a <= m.start() < b for a, b in covered) or _not_spoken(doc, s, m):
            continue
        speaker = _inverted(doc, names, m) or _subject(doc, names, m.start())
        if speaker is None and participle:
            speaker = _sentence_subject(s, names, m.start())
            if speaker is not None and _ACCORDING_TO.search(doc.text, max(s.start, speaker.run_start - 20),
                                                            speaker.run_start):
                speaker = None  # "According to X, students ... calling for": X is a source, not the subject
        if speaker is not None:
            out.append(_Said(speaker, m.start(), m.end(), verb=m.group().lower()))
    return out


def _not_spoken(doc: _Doc, s: Sentence, m: re.Match[str]) -> bool:
    """A speech verb whose subject did not speak: passive ("the execution was announced", "he was told"),
    describing ("a teacher described as", "the verdict was announced as") or a sentence passed ("the court
    condemned him to death")."""
    text, lex = doc.text, doc.lex
    if lex.passive.search(text, max(s.start, m.start() - 60), m.start()):
        return True
    verb = m.group().lower()
    if verb in lex.as_passive and text.startswith(" as ", m.end()):
        return True
    if verb in lex.before_infinitive and text.startswith(" to ", m.end()):
        return True
    return verb in lex.sentencing_verbs and lex.sentencing.match(text, m.end(), s.end) is not None


def _is_ruling(doc: _Doc, said: _Said) -> bool:
    """A court condemning or declaring ("the provincial court declared him guilty"): a
    ruling, which the events stage records, not a statement."""
    words = said.speaker.name.lower().split()
    return bool(words) and words[-1] in doc.lex.ruling_bodies and said.verb in doc.lex.ruling_verbs


def _noun_said(doc: _Doc, s: Sentence, names: list[_Name]) -> list[_Said]:
    """"X's response", "the remarks of X", "according to X" (a person)."""
    persons = [n for n in names if n.kind == "person"]
    if not persons:
        return []
    text = doc.text
    # what the patterns need somewhere in the sentence, tested once: "'s" after a name, "<noun> of"
    # (the latter only when a name's lead ends as `noun_before` or `_ACCORDING_TO` must: rarely)
    possessive = "'s" in text[s.start:s.end + 2]
    noun_of: bool | None = None
    out = []
    for n in persons:
        after = doc.lex.noun_after.match(text, n.end) if possessive else None
        if after:
            out.append(_Said(n, after.start(), after.end()))
            continue
        before = text[max(s.start, n.run_start - 40):n.run_start]
        if not before.rstrip().endswith(_NOUN_BEFORE_ENDS):
            continue
        if noun_of is None:
            # ("ccording to": "According to" too)
            noun_of = "ccording to" in text[s.start:s.end] or doc.lex.noun_of.search(text, s.start, s.end) is not None
        if doc.lex.occasion.search(before):
            continue  # "during a sermon by X": an occasion, no words reported
        if noun_of and (doc.lex.noun_before.search(before) or (_ACCORDING_TO.search(before) and " " in n.name)):
            verb = "according to" if _ACCORDING_TO.search(before) else ""
            out.append(_Said(n, n.run_start - 1, n.run_start, verb=verb))
    return out


def _candidates(doc: _Doc, s: Sentence, names: list[_Name], verbs: list[tuple[re.Match[str], bool]]) -> list[_Said]:
    quoted = _quoted(doc, s, names)
    covered = [span for _, span in quoted]
    said = [*(q for q, _ in quoted), *_verb_said(doc, s, names, verbs, covered), *_noun_said(doc, s, names)]
    return sorted(said, key=lambda x: x.at)


# ----------------------------------------------------------------------------- what is recorded


def _is_outlet(doc: _Doc, n: _Name) -> bool:
    if n.actor is not None and n.actor.name in doc.lex.media_actors:
        return True
    if doc.lex.known_outlet.fullmatch(n.name) or doc.lex.media_word.search(n.name):
        return True
    return bool(doc.lex.outlet_suffix.match(doc.text, n.end))


def _surface(doc: _Doc, n: _Name) -> str:
    """A name as the report writes it (typographic apostrophes kept)."""
    return doc.analysis.report.text[n.start:n.end]


def _outlet_name(doc: _Doc, n: _Name) -> str | None:
    if n.kind != "body" or not _is_outlet(doc, n):
        return None
    return doc.lex.outlet_strip.sub("", _surface(doc, n))


def _introduced_outlet(doc: _Doc, s: Sentence, names: list[_Name]) -> str | None:
    """"told the state-run Resalat daily", "in an interview with IRNA"."""
    for m in doc.lex.introducer.finditer(doc.text, s.start, s.end):
        n = next((n for n in names if n.run_start >= m.end() and n.name[:1].isupper()), None)
        lead = doc.text[m.end():n.start] if n else ""
        if n is None or doc.quotes.covers(m.start()) or not doc.lex.outlet_prefix.match(lead):
            continue
        if n.kind == "body" and _is_outlet(doc, n):
            return _outlet_name(doc, n)
        if lead.strip() or doc.lex.outlet_suffix.match(doc.text, n.end):
            return n.name
    return None


def _venue(doc: _Doc, s: Sentence) -> str | None:
    for m in doc.lex.venue.finditer(doc.text, s.start, s.end):
        if not doc.quotes.covers(m.start()):
            return doc.lex.venue_of.get(re.sub(r"\s+", " ", m.group().lower()))
    return None


def _outlet(doc: _Doc, s: Sentence, said: _Said, names: list[_Name]) -> str | None:
    own = _outlet_name(doc, said.speaker)
    return said.outlet or own or _introduced_outlet(doc, s, names) or _venue(doc, s)


def _date(doc: _Doc, s: Sentence, said: _Said) -> str | None:
    dates = [d for d in doc.dates_in(s.start, s.end)
             if d.date_start and d.precision == "day" and d.role not in _DATE_ROLES_SKIPPED
             and not doc.quotes.covers(d.start)]
    if not dates:
        return None
    nearest = min(dates, key=lambda d: max(d.start - said.end, said.at - d.end, 0))
    return nearest.date_start.isoformat() if nearest.date_start else None


def _quote_span(doc: _Doc, s: Sentence, said: _Said) -> tuple[int, int] | None:
    """The quotation a speaker is credited with: one introduced after the verb ("said: '...'"), else
    the one just before the speaker ("'...,' said X"), else the next one in the sentence."""
    after = [q for q in doc.quotes.spans if said.end <= q[0] < s.end - 1]
    if after and (":" in doc.text[said.end:after[0][0]] or after[0][0] - said.end <= 3):
        return after[0]
    near = min(said.at, said.speaker.run_start)
    before = [q for q in doc.quotes.spans if s.start < q[1] and near - 4 <= q[1] <= near]
    return before[-1] if before else (after[0] if after else None)


def _quote(doc: _Doc, s: Sentence, said: _Said) -> str | None:
    q = _quote_span(doc, s, said)
    if q is None:
        return None
    raw = doc.analysis.report.text
    end = q[1] - 1 if raw[q[1] - 1] in "”\"" and q[1] - 1 > q[0] else q[1]
    return raw[q[0] + 1:end].rstrip(" ,") or None


def _own_words(doc: _Doc, s: Sentence, said: _Said) -> bool:
    """Whether a quotation gives the speaker's words: one right after the verb ("reported: '...'") or
    right before the speaker ("'...,' IRNA reported"), not one quoted inside what it relays."""
    after = next((q for q in doc.quotes.spans if said.end <= q[0] < s.end - 1), None)
    if after and (":" in doc.text[said.end:after[0]] or after[0] - said.end <= 3):
        return True
    near = min(said.at, said.speaker.run_start)
    return any(s.start < q[1] and near - 4 <= q[1] <= near for q in doc.quotes.spans)


def _relays(doc: _Doc, said: _Said) -> bool:
    """An outlet or a monitor passing on news ("IRNA reported that", "the daily wrote that"), with no
    words of its own quoted: the source the news was reported by, not a speaker."""
    n, lex, verb = said.speaker, doc.lex, said.verb
    if verb in lex.relay_verbs:
        return (n.actor is not None and n.actor.reporter) or _names_outlet(doc, n)
    return verb in lex.news_verbs and _names_outlet(doc, n)


def _names_outlet(doc: _Doc, n: _Name) -> bool:
    """Whether a name is a newspaper's, an agency's or a website's: as `_is_outlet` for a body, or one
    the report writes with such a noun after it ("Nur-e Sahar newspaper") anywhere."""
    if n.kind == "body" and _is_outlet(doc, n):
        return True
    if n.name not in doc.outlets:
        doc.outlets[n.name] = _written_as_outlet(doc.text, n.name, doc.lex.outlet_nouns)
    return doc.outlets[n.name]


def _written_as_outlet(text: str, name: str, nouns: str) -> bool:
    """Whether `text` writes `name` (any case, as a whole word) with an outlet noun right after it. The
    name is found with `str.find` (compiling a pattern for each name would cost more than the search)."""
    lowered, key = text.lower(), name.lower()
    if len(lowered) != len(text) or not key:  # offsets would not line up: the plain pattern
        return re.search(rf"(?<![\w-]){re.escape(name)}\s+(?:{nouns})(?![\w-])", text, re.IGNORECASE) is not None
    after = _outlet_after(nouns)
    at = lowered.find(key)
    while at >= 0:
        end = at + len(key)
        whole = at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] in "_-")
        if whole and after.match(text, end):
            return True
        at = lowered.find(key, at + 1)
    return False


@lru_cache(maxsize=4)
def _outlet_after(nouns: str) -> re.Pattern[str]:
    return re.compile(rf"\s+(?:{nouns})(?![\w-])", re.IGNORECASE)


def _is_silent(doc: _Doc, n: _Name) -> bool:
    """Bodies that act but do not speak on the record here: crowds, networks, the publisher itself."""
    if n.actor is None:
        return False
    lex = doc.lex
    if n.actor.actor_class in lex.silent_classes or n.actor.name in lex.silent_actors or n.actor == doc.publisher:
        return True
    return doc.publisher is None and n.actor.actor_class == "opposition"


def _speaker(doc: _Doc, s: Sentence, n: _Name) -> str | None:
    """The speaker as recorded: a full name (bare surnames resolved), or a body's name."""
    if n.kind == "body":
        if _is_silent(doc, n) or not _is_proper(doc, n.name) or _is_site(doc, n):
            return None
        return _outlet_name(doc, n) or _surface(doc, n)
    if n.name.lower() in doc.lex.pronouns or _is_place(doc, n) or (" " not in n.name and _is_name_tail(doc, n)):
        return None
    if " " in n.name:
        return _surface(doc, n)
    longer = [p for p in _earlier(doc, n.name, s.start) if " " in p.name]
    if longer:
        return _surface(doc, longer[-1])
    return _surface(doc, n) if _is_name_word(doc, s, n) else None


def _is_site(doc: _Doc, n: _Name) -> bool:
    """A body named as a place ("Blue Mosque", "Gilan Province") or by one bare organisation word
    ("the Office", "the Bureau"): not one that speaks on the record."""
    words = n.name.lower().split()
    if not words:
        return False
    if n.actor is not None:  # "the Chief Prosecutor": a lone role word names no one; "the Chief of the Bureau"
        lone_role = words[0] in doc.lex.titles and words[0] not in doc.lex.org_words
        return len(words) == 1 and (lone_role or _is_name_tail(doc, n))
    if _is_name_tail(doc, n):
        return True
    return words[-1] in doc.lex.site_words or (len(words) == 1 and words[0] in doc.lex.org_words)


def _is_name_tail(doc: _Doc, n: _Name) -> bool:
    """The end of a longer name ("Ministry of Labour", "the Chief of the Bureau", "Council for
    Civil Liberties"): a run after "of" or "for" that follows a title or organisation word."""
    m = _TAIL_OF.search(doc.text, max(0, n.run_start - 40), n.run_start)
    return m is not None and (m.group(1).lower() in doc.lex.titles or m.group(1).lower() in doc.lex.org_words)


def _is_name_word(doc: _Doc, s: Sentence, n: _Name) -> bool:
    """A lone capitalised word opening a sentence ("Lawyers said") is a name only if the report also
    capitalises it mid-sentence."""
    if doc.text[s.start:n.run_start].strip():
        return True
    return any(_after_lowercase(doc.text, i) for i in _standalone(doc.text, n.name, overlapping=True))


def _after_lowercase(text: str, i: int) -> bool:
    r"""Whether white space and, before it, a lowercase letter or a comma, semicolon or colon come before
    offset `i` (as `[a-z,;:]\s+` ending at `i`)."""
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return 0 < j < i and text[j - 1] in "abcdefghijklmnopqrstuvwxyz,;:"


def _is_proper(doc: _Doc, name: str) -> bool:
    """A proper name, not a generic one ("Tasnim news agency", "IRNA"; not "state media", "Iranian officials")."""
    words = [w for w in name.split() if w not in ("The", "A", "An")]
    return any(w[:1].isupper() and w.lower() not in doc.lex.not_names and w.lower() not in doc.lex.countries
               for w in words)


def _is_place(doc: _Doc, n: _Name) -> bool:
    """A name that the places or dates stages read as a place or a date ("Tehran said", "on Friday")."""
    dates = doc.dates_in(n.start - 60, n.end)
    return doc.overlaps_place(n.start, n.end) or any(d.start < n.end and n.start < d.end for d in dates)


def _context(doc: _Doc, s: Sentence, n: _Name) -> str:
    """A name's titles, the words just before it and its appositive: what says who the speaker is."""
    return _description(doc, n, s.start, s.end)


def _description(doc: _Doc, n: _Name, lo: int, hi: int) -> str:
    """What the text between `lo` and `hi` says of a name in it: titles, the words before it, appositive."""
    before = _lead(doc.text, max(lo, n.run_start - 40), min(n.start, hi))
    m = _APPOSITIVE.match(doc.text, n.end, hi) or _MEMBER_OF_BODY.match(doc.text, n.end, hi)
    appositive = doc.lex.speech.split(m.group(1))[0] if m else ""
    return " ".join([*n.titles, before, appositive])


def _lead(text: str, start: int, end: int) -> str:
    """`text[start:end]` (up to 40 characters before a name) from its last sentence or quotation mark on."""
    lead = text[start:end]
    return lead[max(lead.rfind(c) for c in ".!?;:“”\"") + 1:]


def _actor_class_in(doc: _Doc, context: str) -> str | None:
    """The class of the first organised actor named in a speaker's description ("director of IHR")."""
    classes = [m.actor.actor_class for m in find_actors(context) if not m.anaphoric]
    return next((c for c in classes if c not in doc.lex.silent_classes), None)


def _cue_class(doc: _Doc, context: str) -> str | None:
    return next((c for c, pattern in doc.lex.cues.items() if pattern.search(context)), None)


def _speaker_class(doc: _Doc, s: Sentence, said: _Said, speaker: str, outlet: str | None) -> str:
    n = said.speaker
    if n.kind == "body":
        known = n.actor.actor_class if n.actor else (_cue_class(doc, speaker) or actor_class(speaker))
        prefix = doc.lex.state_prefix.search(doc.text, max(s.start, n.run_start - 40), n.run_start)
        return "state" if prefix and known == "unknown" else known
    context = _context(doc, s, n)
    found = _cue_class(doc, context) or _actor_class_in(doc, context) or _hint(doc, speaker, s.start)
    if found:
        return found
    return "state" if outlet and actor_class(outlet) == "state" and said.outlet else "unknown"


def _earlier(doc: _Doc, name: str, before: int) -> list[_Name]:
    """Persons named before offset `before` whose name ends with `name` (a surname or a full name)."""
    return [p for p, _ in _mentions(doc, name) if p.start < before]


def _mentions(doc: _Doc, name: str) -> list[tuple[_Name, str]]:
    """Every person in the report whose name ends with `name`, with what the text says of them (cached)."""
    name = name.replace("’", "'")
    if name not in doc.earlier:
        found = []
        for hit in _standalone(doc.text, name):
            for m in doc.lex.run.finditer(doc.text, max(0, hit - 80), hit + len(name) + 40):
                person = _person(m, doc.lex) if m.start() <= hit < m.end() else None
                if person and person.name.endswith(name) and not _is_place(doc, person):
                    found.append((person, _description(doc, person, 0, len(doc.text))))
        doc.earlier[name] = found
    return doc.earlier[name]


def _hint(doc: _Doc, name: str, before: int) -> str | None:
    """What earlier mentions of a person say about them ("the regime's Supreme Leader Ali Khamenei")."""
    found = (_cue_class(doc, text) for person, text in _mentions(doc, name) if person.start < before)
    return next((c for c in found if c), None)


def _confidence(quote: str | None, date: str | None, n: _Name) -> float:
    score = 0.6 + (0.1 if quote else 0.0) + (0.1 if date else 0.0)
    return round(score + (0.1 if " " in n.name or n.kind == "body" else 0.0), 2)


def _statement(doc: _Doc, s: Sentence, said: _Said, names: list[_Name]) -> Statement | None:
    speaker = _speaker(doc, s, said.speaker)
    if speaker is None:
        return None
    outlet = _outlet(doc, s, said, names)
    if said.speaker.kind == "person":
        doc.persons.add(speaker)
    speaker_class, date = _speaker_class(doc, s, said, speaker, outlet), _date(doc, s, said)
    quote = _quote(doc, s, said)
    if _is_ruling(doc, said) or (_relays(doc, said) and not _own_words(doc, s, said)):
        return None
    return Statement(
        doc=doc.analysis.report.doc, speaker=speaker, speaker_class=speaker_class, date=date, outlet=outlet,
        quote=quote, evidence=s.text, evidence_start=s.start, evidence_end=s.end,
        confidence=_confidence(quote, date, said.speaker), extractor=EXTRACTOR,
    )


def _same_speaker(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or (" " not in a and b.split()[-1] == a) or (" " not in b and a.split()[-1] == b)


def _add(doc: _Doc, statement: Statement) -> None:
    """Keep one statement per speaker and date; an undated one is a continuation (or is dated later)."""
    same = [i for i, o in enumerate(doc.out) if _same_speaker(o.speaker, statement.speaker)]
    if any(doc.out[i].date == statement.date for i in same) or (same and statement.date is None):
        return
    undated = next((i for i in same if doc.out[i].date is None), None)
    if undated is None:
        doc.out.append(statement)
    else:
        doc.out[undated] = statement


def _resolve_later(doc: _Doc, statement: Statement) -> Statement:
    """A bare surname spoken before the full name appears: resolve it (and its class) from the whole report."""
    if " " in statement.speaker or statement.speaker not in doc.persons:
        return statement
    longer = [p for p in _earlier(doc, statement.speaker, len(doc.text)) if " " in p.name]
    if not longer:
        return statement
    full = _surface(doc, longer[-1])
    known = statement.speaker_class if statement.speaker_class != "unknown" else None
    hint = known or _hint(doc, longer[-1].name, len(doc.text))
    return replace(statement, speaker=full, speaker_class=hint or "unknown")


def find_statements(analysis: Analysis) -> Analysis:
    doc = _doc(analysis)
    for s in analysis.sentences:
        trigger = _trigger_start(doc.lex, doc.text, s.start, s.end)
        if trigger is None:
            continue
        verbs = _verbs(doc, s, trigger)
        if not verbs and not _may_speak(doc, s):
            continue
        names = _sentence_names(doc.text, s, doc.lex, doc.quotes)
        for said in _candidates(doc, s, names, verbs):
            statement = _statement(doc, s, said, names)
            if statement is not None:
                _add(doc, statement)
    return replace(analysis, statements=tuple(_resolve_later(doc, st) for st in doc.out))
