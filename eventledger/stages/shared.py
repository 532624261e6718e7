"""What the claims and statements stages (and the quantities reader) share.

* Phrase alternations: `alternation` (a list of phrases as one pattern, built as a trie) and
  `alternation_not_after`.
* Names in capitalised runs (vocabulary in `data/statements.toml`, `[names]`): `names()` holds the
  run pattern and the word lists that tell titles, organisation words and other words apart;
  `read_run` reads the person, else the body, a run names; `strip_titles` drops the titles before
  a person's name ("Interior Minister Ahmad Vahidi" -> "Ahmad Vahidi").
* `sentence_actors`: the dictionary actors of a sentence, remembered for the last few sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from eventledger.data import load_toml
from eventledger.stages.actors import ActorMention, find_actors
from eventledger.stages.scan import trie_nodes, trie_pattern
from eventledger.stages.scan_statements import token_patterns

# ----------------------------------------------------------------------------- alternations

_ANY_SPACE = r"\s+"  # a space in a phrase matches any white space


def alternation(phrases: Iterable[str], *, lower: bool = True) -> str:
    """A regex matching any of `phrases` (longest first; spaces match any white space).

    Built as a trie, which the `re` engine scans several times faster than a flat alternation.
    """
    return trie_pattern(_phrase_trie(phrases, lower), space=_ANY_SPACE)


def _phrase_trie(phrases: Iterable[str], lower: bool) -> dict[str, dict]:
    cleaned = {re.sub(r"\s+", " ", p.strip()) for p in phrases if p.strip()}
    return trie_nodes(sorted({p.lower() for p in cleaned} if lower else cleaned))


def alternation_not_after(phrases: Iterable[str], not_after: str, *, lower: bool = True) -> str:
    """`(?<!{not_after})(?:{alternation(phrases)})`: any of `phrases`, not right after a character that
    `not_after` (a one-character pattern) matches.

    The look-behind is written after each phrase's first character (`a(?<![\\w-]a)dded|...`), so that
    the `re` engine can skip ahead to the characters that may open a phrase: a leading look-behind makes it
    try every position. This pays when few characters open a phrase (capitals, say)."""
    branches = [f"{re.escape(ch)}(?<!{not_after}{re.escape(ch)}){trie_pattern(child, space=_ANY_SPACE)}"
                for ch, child in sorted(_phrase_trie(phrases, lower).items()) if ch]
    return "(?:" + "|".join(branches) + ")"


# ----------------------------------------------------------------------------- names in capitalised runs

_CAPITAL = "[A-ZÀ-ÖØ-ÞĀ-Ž]"
# A name token, tried in this order: initials ("U.S."), an abbreviation before a name ("Mr.", "Gen."),
# a capitalised word. Written as (first character, rest) for `token_patterns`.
_TOKEN_PARTS = (
    ("[A-Z]", r"\.(?:[A-Z]\.)+"),
    ("[A-Z]", r"[a-z]{0,3}\.(?=\s+[A-Z])"),
    (_CAPITAL, r"[\w'’-]*"),
)
_NOT_BEFORE_TOKEN = r"[\w'’.-]"  # what may not come right before a run's first token
# TOKEN: the plain alternation; FIRST_TOKEN: `(?<!{_NOT_BEFORE_TOKEN})(?:{TOKEN})`, quicker to scan for
TOKEN, FIRST_TOKEN = token_patterns(_CAPITAL, _TOKEN_PARTS, _NOT_BEFORE_TOKEN)


@dataclass(frozen=True, eq=False)  # hashed by identity: the key of the per-vocabulary caches below
class Names:
    """The compiled names vocabulary."""

    run: re.Pattern[str]  # a capitalised run: 1 or more tokens, with particles ("al-", "bin") between
    titles: frozenset[str]
    org_words: frozenset[str]
    not_names: frozenset[str]
    countries: frozenset[str]
    pronouns: frozenset[str]


@lru_cache(maxsize=1)
def names() -> Names:
    """The names vocabulary (read once from `data/statements.toml`)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    table = load_toml("statements.toml")
    words = table["names"]
    particles = alternation(words["particles"])
    return Names(
        run=re.compile(rf"{FIRST_TOKEN}(?:[ \t]+(?:(?:{particles})[ \t-]+)?(?:{TOKEN}))*"),
        titles=frozenset(t.lower() for t in words["titles"]),
        org_words=frozenset(w.lower() for w in words["org_words"]),
        not_names=frozenset([*(w.lower() for w in words["not_names"]), *STOP_WORDS]),
        countries=frozenset(c.lower() for c in table["classes"]["countries"]),
        pronouns=frozenset(words["pronouns"]),
    )


@lru_cache(maxsize=16384)
def token_kind(token: str, vocab: Names) -> str:
    """title | org | stop | name."""
    low = token.lower()
    bare = low.rstrip(".")
    if low in vocab.titles or bare in vocab.titles or bare in vocab.countries:
        return "title"
    if len(token) > 1 and token.replace(".", "").replace("-", "").isupper():
        return "title"
    if bare in vocab.org_words:
        return "org"
    if bare in vocab.not_names or low.endswith(".") or not token[:1].isupper():
        return "stop"
    return "name"


def _unpossessed(token: str) -> str:
    return token[:-2] if token.endswith(("'s", "’s")) else token


def _split_run(text: str, vocab: Names) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]], bool]:
    """A run's leading titles, its name tokens (as offsets into `text`), and whether it names a body."""
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
    kinds = [token_kind(_unpossessed(t), vocab) for _, _, t in tokens]
    if "org" in kinds:
        return [], [], True
    titles: list[tuple[int, int, str]] = []
    found: list[tuple[int, int, str]] = []
    for (a, b, t), kind in zip(tokens, kinds, strict=True):
        if not found and kind in ("title", "stop"):
            titles.append((a, b, t))
        elif kind == "name" or (found and not t[:1].isupper() and kind == "stop" and "-" in t):
            found.append((a, b, t))
            if _unpossessed(t) != t:
                break
        else:
            break
    return titles, found[:4], False


# A run's reading depends on its text alone, and names recur within and across reports: the readings
# below are cached by run text, with offsets relative to the run's start.


@lru_cache(maxsize=16384)
def person_in_run(run: str, vocab: Names) -> tuple[int, str, tuple[str, ...]] | None:
    """The person a capitalised run names: (offset of the name in the run, name, titles), else None."""
    titles, found, body = _split_run(run, vocab)
    if body or not found:
        return None
    a, b = found[0][0], found[-1][1]
    return a, re.sub(r"['’]s$", "", run[a:b]), tuple(t.rstrip(",") for _, _, t in titles)


@lru_cache(maxsize=16384)
def _body_in_run(run: str, vocab: Names) -> tuple[int, str] | None:
    """The body a capitalised run names: (offset of the name in the run, name), else None."""
    tokens = list(re.finditer(r"\S+", run))
    # "Verdict The Provincial Court": a run that goes on over "The" is two phrases; the body is the last
    tokens = tokens[max((i for i, t in enumerate(tokens) if t.group() == "The"), default=0):]
    while tokens and (token_kind(tokens[0].group(), vocab) == "stop" or tokens[0].group() in ("The", "A", "An")
                      or re.search(r"['’]s$", tokens[0].group())):
        tokens.pop(0)
    if not tokens or all(token_kind(t.group(), vocab) != "org" for t in tokens):
        return None
    a, b = tokens[0].start(), tokens[-1].end()
    return a, re.sub(r"['’]s$", "", run[a:b])


@lru_cache(maxsize=16384)
def read_run(run: str, vocab: Names) -> tuple[int, str, tuple[str, ...], str] | None:
    """The person, else the body, a run names: (offset of the name in the run, name, titles, kind)."""
    person = person_in_run(run, vocab)
    if person is not None:
        return (*person, "person")
    body = _body_in_run(run, vocab)
    return (*body, (), "body") if body is not None else None


def strip_titles(phrase: str) -> str:
    """A capitalised phrase without the titles before a person's name ("Interior Minister Ahmad Vahidi"
    -> "Ahmad Vahidi"); the phrase itself when it names no person."""
    vocab = names()
    m = vocab.run.fullmatch(phrase.strip())
    person = person_in_run(m.group(), vocab) if m is not None else None
    if m is None or person is None:
        return phrase
    a, name, _ = person
    return name if a + len(name) == len(m.group()) else phrase


# ----------------------------------------------------------------------------- actors


@lru_cache(maxsize=64)
def sentence_actors(sentence: str, offset: int) -> tuple[ActorMention, ...]:
    """`find_actors(sentence, offset=offset)`, remembered for the last few sentences: the claims and
    statements stages both read a sentence's actors, claims once per figure."""
    return tuple(find_actors(sentence, offset=offset))
