"""Who asserts a figure and where (claims stage): chanters, a named source ("according to X", "X
reported"), else the publisher; the capital, a city or province, else the report's country."""

from __future__ import annotations

import re
from collections.abc import Iterable

from eventledger.models import Sentence
from eventledger.stages.actors import ActorMention, find_actors
from eventledger.stages.claims.document import Doc
from eventledger.stages.claims.figures import Cue
from eventledger.stages.claims.lexicon import Lexicon
from eventledger.stages.quantities import Number
from eventledger.stages.scan_claims import clause, may_contain
from eventledger.stages.shared import sentence_actors, strip_titles

_SPACES = re.compile(r"\s+")
_CAP_RUN = re.compile(r"[A-Z][\w'’.&-]*(?:\s+(?:(?:of|for|and|the|on|in|to)\s+)*[A-Z][\w'’.&-]*)*")
_MINISTER = re.compile(r"\bminist(?:er|ry)\s+(?:of|for)\s+[A-Za-z]+(?:\s+and\s+[A-Za-z]+)?", re.IGNORECASE)
_QUOTES = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")
_POSSESSIVE_END = re.compile(r"['’]s$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_SOURCE_AFTER = re.compile(r"\s*(?:the\s+)?(?P<src>[^,.;]{2,80}?)(?:\s*[,.;)]|$)")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTES.finditer(text)]


def _chanters(doc: Doc, s: Sentence, rel: int) -> str | None:
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


def _clean_source(surface: str, lex: Lexicon) -> str:
    name = _POSSESSIVE_END.sub("", _SPACES.sub(" ", surface.strip(" ,.;:")))
    name = strip_titles(_LEADING_THE.sub("", name))
    m = lex.minister.match(name)
    return f"Ministry of {m.group(1).title().replace(' And ', ' and ')}" if m else name


def _named_before(doc: Doc, s: Sentence, end: int, actors: Iterable[ActorMention]) -> tuple[int, str] | None:
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


def _named_after(doc: Doc, s: Sentence, start: int, actors: Iterable[ActorMention]) -> str | None:
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


def _reported_by(doc: Doc, s: Sentence, n: Number, verbs: list[re.Match[str]]) -> str | None:
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


def _according(doc: Doc, s: Sentence) -> str | None:
    """The source after "according to" or "a report by" anywhere in the sentence."""
    low = doc.lowered_sentence(s)
    for pattern, words in ((doc.lex.according, ("according",)), (doc.lex.report_by, doc.lex.report_words)):
        m = pattern.search(doc.text, s.start, s.end) if may_contain(low, words) else None
        if m:
            source = _named_after(doc, s, m.end() - s.start, sentence_actors(doc.text[s.start:s.end], s.start))
            if source:
                return source
    return None


def claimant(doc: Doc, s: Sentence, n: Number) -> str | None:
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


def claim_place(doc: Doc, s: Sentence, n: Number, cue: Cue) -> str | None:
    a, b = clause(s.text, min(n.start, cue.start) - s.start, max(n.end, cue.end) - s.start)
    if (may_contain(doc.lowered_sentence(s), doc.lex.capital_words) and doc.lex.capital.search(s.text, a, b)
            and doc.country in doc.lex.capitals):
        return doc.lex.capitals[doc.country]
    for lo, hi in ((s.start + a, s.start + b), (s.start, s.end)):
        named = [p for p in doc.places_in(lo, hi) if p.place.level in ("city", "province") and p.role != "dateline"]
        if named:
            return named[0].place.name
    return doc.country
