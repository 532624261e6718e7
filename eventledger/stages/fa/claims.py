"""Figures about many events or a period, from Persian sentences: "دست‌کم ۱۲۰ نفر از ابتدای دی ماه
در زندان‌های ایران اعدام شده‌اند" -> 120, at_least, executed, since 1 Dey until publication, IR.

A figure of at least `min_value` (or any qualified figure) followed within a few words by a word
of a category (data/fa.toml `[claims.categories]`) is a claim; a category word that names people
("بازداشت‌شدگان") does not count. Who claims it: the outlet or group the sentence credits, else the
publisher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from eventledger.models import Claim, DateMention, PlaceMention, Report, Sentence
from eventledger.stages.fa.events import actors
from eventledger.stages.fa.normalise import Word, key
from eventledger.stages.fa.numbers import figures
from eventledger.stages.fa.vocabulary import Vocabulary
from eventledger.stages.fa.vocabulary import load as load_vocabulary

WINDOW = 10  # words after a figure in which its category word may come
_PEOPLE_AFTER = frozenset({"شدگان", "شدگانی"})


@dataclass(frozen=True)
class ClaimWords:
    min_value: int
    categories: dict[tuple[str, ...], str]
    since: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def claim_words() -> ClaimWords:
    cfg = load_vocabulary().raw["claims"]
    return ClaimWords(int(cfg["min_value"]), {tuple(key(k).split()): v for k, v in cfg["categories"].items()},
                      tuple(tuple(key(c).split()) for c in cfg["since_cues"]))


def _category(vocab: Vocabulary, cw: ClaimWords, ws: Sequence[Word], first: int) -> str | None:
    for i in range(first, min(len(ws), first + WINDOW)):
        if i + 1 < len(ws) and ws[i + 1].key in _PEOPLE_AFTER:
            continue
        for words, category in cw.categories.items():
            n = len(words)
            keys = tuple(w.key for w in ws[i:i + n])
            if keys == words or (n == 1 and vocab.stem(ws[i].key) == words[0]):
                return category
    return None


def _period(report: Report, dates: list[DateMention], ws: Sequence[Word],
            cw: ClaimWords) -> tuple[str | None, str | None]:
    if not dates:
        return None, None
    date = dates[0]
    if date.date_start is None:
        return None, None
    before = [w.key for w in ws if w.end <= date.start][-2:]
    since = any(tuple(before[-len(c):]) == c for c in cw.since)
    end = report.published if since and report.published else (date.date_end or date.date_start)
    return date.date_start.isoformat(), end.isoformat()


def _place(places: list[PlaceMention]) -> str:
    for mention in places:
        if mention.place.level == "city":
            return mention.place.name
        if mention.place.level == "province":
            return mention.place.admin1 or mention.place.name
    return "IR"


def sentence_claims(vocab: Vocabulary, report: Report, sentence: Sentence, ws: Sequence[Word],
                    places: list[PlaceMention], dates: list[DateMention]) -> list[Claim]:
    cw = claim_words()
    out: list[Claim] = []
    for figure in figures(ws, [(d.start, d.end) for d in dates]):
        if figure.value < cw.min_value:
            continue
        category = _category(vocab, cw, ws, figure.last + 1)
        if category is None:
            continue
        start, end = _period(report, dates, ws, cw)
        credited = next((a.actor.name for a in actors(vocab, ws) if a.actor.reporter), None)
        out.append(Claim(doc=report.doc, value=figure.value, qualifier=figure.qualifier, category=category,
                         period_start=start, period_end=end, place=_place(places),
                         claimed_by=credited or report.publisher, evidence=sentence.text,
                         evidence_start=sentence.start, evidence_end=sentence.end, confidence=0.7))
    return out


def find(vocab: Vocabulary, report: Report, sentences: Sequence[tuple[Sentence, Sequence[Word]]],
         places: list[PlaceMention], dates: list[DateMention]) -> list[Claim]:
    out: list[Claim] = []
    for sentence, ws in sentences:
        inside_places = [p for p in places if sentence.start <= p.start < sentence.end]
        inside_dates = [d for d in dates if sentence.start <= d.start < sentence.end]
        out.extend(sentence_claims(vocab, report, sentence, ws, inside_places, inside_dates))
    return out
