"""Place names whose case says nothing: written in lower case ("protests in tehran") or in a line
all in capitals ("CLASHES IN ZAHEDAN"); their words are marked as capitalised for the matcher."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from eventledger.data import load_toml
from eventledger.gazetteer import load
from eventledger.gazetteer.matcher import Tokens
from eventledger.gazetteer.names import EZAFE, name_key
from eventledger.stages.places.records import Doc, effective_population
from eventledger.stages.places.vocab import Vocabulary, vocabulary
from eventledger.stages.places.words import words_after, words_before

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


def _caps_lines(doc: Doc) -> list[tuple[int, int]]:
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


def mark_caseless_names(doc: Doc, voc: Vocabulary) -> None:
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
    before, after = words_before(tokens, first, 3), words_after(tokens, last, 1)
    if after and (after[0] in voc.town_after or after[0] in voc.province_after or after[0] in voc.site_after.first_words
                  or after[0] in voc.street_words):
        return True
    return bool(voc.town_before.ending(before) or voc.province_before.ending(before))
