"""Who said what, from Persian sentences: "X، سخنگوی ...، روز شنبه گفت: «...»", "دادستان تهران از ...
خبر داد", "به گزارش خبرگزاری ایرنا، ...".

A sentence with a speech verb (data/fa.toml `[statements] speech_verbs`, not negated) names its
speaker before the verb: the words after the sentence's credit ("به گزارش X،") up to a comma or a
word that ends a name ("روز", "در" ...). A pronoun ("وی", "او") is the speaker named last. The
quote is the «...» after the verb; the outlet the credited agency.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from eventledger.models import DateMention, Report, Sentence, Statement
from eventledger.stages.fa.events import Hit, actors, triggers
from eventledger.stages.fa.normalise import Word, key
from eventledger.stages.fa.vocabulary import Trigger, Vocabulary, phrase_words
from eventledger.stages.fa.vocabulary import load as load_vocabulary

_QUOTE = re.compile(r"«([^»]{2,600})»")
_COMMA = ("،", ",", ":", "؛")
MAX_SPEAKER_WORDS = 6


@dataclass(frozen=True)
class SpeechWords:
    verbs: dict[str, tuple[Trigger, ...]]  # speech verbs as triggers (event_type "speech")
    leads: tuple[tuple[str, ...], ...]
    ends: frozenset[str]
    anaphora: frozenset[str]
    titles: frozenset[str]


@lru_cache(maxsize=1)
def speech_words() -> SpeechWords:
    vocab = load_vocabulary()
    cfg = vocab.raw["statements"]
    verbs: dict[str, list[Trigger]] = {}
    for phrase in cfg["speech_verbs"]:
        found = phrase_words(phrase, vocab.suffixes)
        verbs.setdefault(found[0] or "", []).append(Trigger("speech", None, "verb", found))
    return SpeechWords({k: tuple(v) for k, v in verbs.items()},
                       tuple(tuple(key(c).split()) for c in cfg["outlet_leads"]),
                       frozenset(key(w) for w in cfg["speaker_ends"]),
                       frozenset(key(w) for w in cfg["anaphora"]),
                       frozenset(key(w) for w in cfg["state_titles"]))


def _lead_end(ws: Sequence[Word], text: str, offset: int, sw: SpeechWords) -> tuple[int, str | None]:
    """(index of the first word after a credit "به گزارش X،", the credited outlet) or (0, None)."""
    for lead in sw.leads:
        n = len(lead)
        if tuple(w.key for w in ws[:n]) == lead:
            for i in range(n, len(ws)):
                if text[ws[i].end - offset:ws[i].end - offset + 1] in _COMMA:
                    return i + 1, text[ws[n].start - offset:ws[i].end - offset]
            return 0, None
    return 0, None


def _speaker(ws: Sequence[Word], text: str, offset: int, first: int, verb: int, sw: SpeechWords) -> str | None:
    last = first
    while last < verb and last - first < MAX_SPEAKER_WORDS:
        if ws[last].key in sw.ends and last > first:
            last -= 1
            break
        if text[ws[last].end - offset:ws[last].end - offset + 1] in _COMMA:
            break
        last += 1
    else:
        last -= 1
    if last < first:
        return None
    return text[ws[first].start - offset:ws[last].end - offset]


def sentence_statement(vocab: Vocabulary, report: Report, sentence: Sentence, ws: Sequence[Word],
                       dates: list[DateMention], last: Statement | None) -> Statement | None:
    sw = speech_words()
    spoken = [h for h in _speech(vocab, sw, ws) if not h.negated]
    if not spoken:
        return None
    verb = spoken[0].first
    text, offset = sentence.text, sentence.start
    first, outlet = _lead_end(ws, text, offset, sw)
    if first >= verb:
        return None
    speaker = _speaker(ws, text, offset, first, verb, sw)
    if speaker is None:
        return None
    if key(speaker) in sw.anaphora:
        if last is None:
            return None
        speaker = last.speaker
    quote = _QUOTE.search(text, ws[verb].start - offset)
    date = dates[0].date_start if dates and dates[0].date_start else report.published
    return Statement(doc=report.doc, speaker=speaker, speaker_class=_speaker_class(vocab, sw, ws[first:verb]),
                     date=date.isoformat() if date else None, outlet=outlet or (last.outlet if last else None),
                     quote=quote.group(1) if quote else None, evidence=text, evidence_start=sentence.start,
                     evidence_end=sentence.end, confidence=0.7)


def _speech(vocab: Vocabulary, sw: SpeechWords, ws: Sequence[Word]) -> list[Hit]:
    """The speech verbs of a sentence (matched as triggers are)."""
    if not any(w.key in sw.verbs or (vocab.lemma(w.key) or ("",))[0] in sw.verbs for w in ws):
        return []
    return triggers(_speech_vocabulary(), ws)


@lru_cache(maxsize=1)
def _speech_vocabulary() -> Vocabulary:
    """The vocabulary with the speech verbs as its only triggers."""
    return replace(load_vocabulary(), triggers=speech_words().verbs, _stems={})


def _speaker_class(vocab: Vocabulary, sw: SpeechWords, ws: Sequence[Word]) -> str | None:
    found = [a for a in actors(vocab, ws) if not a.actor.reporter]
    if found:
        return found[0].actor.actor_class
    if any(w.key in sw.titles for w in ws):
        return "state"
    return None


def find(vocab: Vocabulary, report: Report, sentences: Sequence[tuple[Sentence, Sequence[Word]]],
         dates: list[DateMention]) -> list[Statement]:
    out: dict[str, Statement] = {}
    last: Statement | None = None
    for sentence, ws in sentences:
        inside = [d for d in dates if sentence.start <= d.start < sentence.end]
        found = sentence_statement(vocab, report, sentence, ws, inside, last)
        if found is None:
            continue
        last = found
        if found.speaker not in out:
            out[found.speaker] = found
    return list(out.values())

