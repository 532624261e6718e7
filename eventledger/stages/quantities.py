"""Figures in text: digits, number words and Persian digits, with their qualifier and unit.

`find_numbers(text)` returns every figure that counts something, in order, with offsets:
"1,500", "30.000", "۱۰۰۰۰", "٣", "1.5 million", "5k", "twenty-four", "three thousand",
"a hundred". Vague amounts ("thousands", "tens of thousands", "dozens") come back with
`value=None`, `vague=True` and the least they imply in `floor`.

The words before a figure give its qualifier ("at least", "more than", "over" -> at_least;
"around", "nearly", "some", "up to", "fewer than" -> about: the codebook has no upper bound).
What follows gives its `unit` ("percent", "years", "months", "days", "money", "age",
"modifier" for "10-point"...): a count has `unit None`, callers filter on that.
Figures that are not amounts are left out: years ("in 2022"), days of the month
("April 21"), ordinals ("262nd"), clock times, image sizes ("728 x 90") and figures inside
names ("COVID-19", "Flight 752", "the Ten-Point Plan"). Vocabulary: `data/claims.toml`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from eventledger.data import load_toml
from eventledger.stages.scan import lowered
from eventledger.stages.shared import alternation

_NON_ASCII_D = "\u06f0-\u06f9\u0660-\u0669"
_D = "0-9" + _NON_ASCII_D
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٬٫", "01234567890123456789,.")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;“\"‘(\n—–]|\s[-–—])\s*$")
_CAPITAL_BEFORE = re.compile(r"(?:(\S+)\s+)?([A-Z][\w.'’-]*)\s+$")


@dataclass(frozen=True, slots=True)
class Number:
    """A figure in the text: offsets (shifted by the caller's `offset`), value and context."""

    start: int
    end: int
    surface: str
    value: int | None
    qualifier: str = "exact"
    unit: str | None = None
    vague: bool = False
    floor: int | None = None


@dataclass(frozen=True)
class _Vocab:
    digits: re.Pattern[str]
    words: re.Pattern[str]
    vague: re.Pattern[str]
    words_lower: re.Pattern[str]  # `words` and `vague` without IGNORECASE, for lower-cased text
    vague_lower: re.Pattern[str]
    word_values: dict[str, int]
    scales: dict[str, int]
    vague_floor: dict[str, int]
    qualifier: re.Pattern[str]
    qualifier_of: dict[str, str]
    unit_after: re.Pattern[str]
    unit_of: dict[str, str]
    currency_before: re.Pattern[str]
    hyphen_units: dict[str, str]
    hyphen_counts: frozenset[str]
    time_after: re.Pattern[str]
    month_before: re.Pattern[str]
    month_after: re.Pattern[str]
    calendar_words: frozenset[str]
    name_nouns: frozenset[str]
    function_words: frozenset[str]
    year_count_after: re.Pattern[str]
    one_before: re.Pattern[str]
    one_after: re.Pattern[str]
    # `words_lower` and `vague_lower` as `_between` writes them, for " " + the lower-cased text (or None)
    words_between: re.Pattern[str] | None = None
    vague_between: re.Pattern[str] | None = None
    # what the text before a figure must end with for `qualifier` / `month_before` to match (`_may_end_with`)
    qualifier_ends: tuple[str, ...] | None = None
    month_ends: tuple[str, ...] | None = None


def _digits_pattern(scales: dict[str, int], suffixes: dict[str, int]) -> re.Pattern[str]:
    d = f"[{_D}]"
    grouped = rf"{d}{{1,3}}(?:[,\u066c]{d}{{3}})+(?:[.\u066b]{d}+)?"
    dotted = rf"{d}{{1,3}}(?:\.{d}{{3}})+(?![.\u066b]?{d})"
    plain = rf"{d}+(?:[.\u066b]{d}+)?"
    scale = rf"(?:\s+(?P<scale>{alternation(scales)})\b|(?P<suffix>{'|'.join(suffixes)})\b)?"
    return re.compile(
        rf"(?<![A-Za-z0-9_.,\u066b\u066c/{_NON_ASCII_D}])(?<![A-Za-z]-)"
        rf"(?:(?P<grouped>{grouped})|(?P<dotted>{dotted})|(?P<plain>{plain})){scale}"
        rf"(?P<plus>\+|-plus\b)?(?![A-Za-z0-9_]|[.,\u066b\u066c][{_D}])")


def _words_body(words: list[str]) -> str:
    """The pattern of a run of number words, but for its leading `\\b`."""
    word = alternation(words)
    big = r"hundred|thousand|million|billion|dozen"
    joint = r"(?:\s*-\s*|\s+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+|(?<=million)\s+and\s+)"
    return rf"(?:(?:a|an)\s+(?=(?:{big})\b))?(?:{word})(?:{joint}(?:{word}))*\b"


def _between(body: str, phrases: Iterable[str]) -> re.Pattern[str] | None:
    """`\\b(?:body)` (case-sensitive, for lower-cased text) written as `[^\\w](body)`, to run over
    " " + the text: group 1 is the match. The `re` engine skips to the characters a pattern can open
    with, so this one stops only between words, where a leading `\\b` makes it try every position.
    The same matches, when every match opens and ends with a word character (every phrase does; else
    None): then the `\\b` is the character before, and a match never takes the one before the next."""
    if not all(re.match(r"\w", p) and re.search(r"\w$", p) for p in phrases):
        return None
    return re.compile(rf"[^\w]({body})")


def _last_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """The last words of `phrases`, lower-cased: one of them ends any text that `_before(phrases)`
    finds a match in (after its trailing white space)."""
    return tuple(sorted({p.split()[-1].lower() for p in phrases if p.strip()}))


def _month_ends(months: list[str]) -> tuple[str, ...] | None:
    """The months, if `month_before` reads them as plain words (else None: no prefilter)."""
    return tuple(months) if all(m.isalpha() for m in months) else None


def _may_end_with(before: str, ends: tuple[str, ...] | None, *, lower: bool = True) -> bool:
    """Whether `before`, but for trailing white space, may end with one of `ends`: a quick test that
    the patterns anchored at the end (`qualifier`, `month_before`) need to pass, and that saves searching
    them from every position of `before`. `lower`: the pattern ignores case (a token with other than
    ASCII in it, which IGNORECASE may match to ASCII letters, always passes)."""
    if ends is None:
        return True
    tail = before.rstrip()
    if not lower:
        return tail.endswith(ends) or (tail.endswith(".") and tail[:-1].endswith(ends))
    token = tail.rsplit(None, 1)[-1] if tail else ""
    return bool(token) and (not token.isascii() or token.lower().endswith(ends))


def _before(phrases: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(rf"(?:^|(?<=[\s(\[]))(?:{alternation(phrases)})\s*$", flags)


def _unit_maps(table: dict) -> tuple[re.Pattern[str], dict[str, str]]:
    unit_of = {w.lower(): unit for unit, ws in table["units_after"].items()
               if isinstance(ws, list) and unit not in ("unit_adjectives", "currency_before", "hyphen_counts",
                                                        "times_after") for w in ws}
    adjectives = alternation(table["units_after"]["unit_adjectives"])
    pattern = re.compile(rf"^(?:\s*(?P<sym>%)|\s+(?:(?:{adjectives})\s+)?(?P<word>{alternation(unit_of)})(?![\w]))",
                         re.IGNORECASE)
    return pattern, unit_of


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    """The compiled vocabulary (read once from `data/claims.toml`)."""
    table = load_toml("claims.toml")["quantities"]
    units, scales, ctx, after = table["units"], table["scales"], table["context"], table["units_after"]
    months = "|".join(sorted(ctx["months"], key=len, reverse=True))
    unit_after, unit_of = _unit_maps(table)
    number_words = [*units, *scales]
    words = re.compile(r"\b" + _words_body(number_words), re.IGNORECASE)
    vague_body = rf"(?:{alternation(table['vague'])})\b"
    vague = re.compile(r"\b" + vague_body, re.IGNORECASE)
    return _Vocab(
        digits=_digits_pattern(scales, table["suffix_scales"]),
        words=words, vague=vague, words_lower=re.compile(words.pattern), vague_lower=re.compile(vague.pattern),
        word_values={**units}, scales={**scales, **table["suffix_scales"]}, vague_floor=dict(table["vague"]),
        qualifier=_before([p for ps in table["qualifiers"].values() for p in ps]),
        qualifier_of={p.lower(): q for q, ps in table["qualifiers"].items() for p in ps},
        unit_after=unit_after, unit_of=unit_of,
        currency_before=re.compile(rf"(?:{'|'.join(map(re.escape, after['currency_before']))})\s*$"),
        hyphen_units=dict(after["hyphen_units"]), hyphen_counts=frozenset(after["hyphen_counts"]),
        time_after=re.compile(rf"^\s*(?:{alternation(after['times_after'])})(?!\w)|^:\d", re.IGNORECASE),
        month_before=re.compile(rf"\b(?:{months})\.?\s*$"),
        month_after=re.compile(rf"^\s*(?:of\s+)?(?:{months})\b"),
        calendar_words=frozenset([*ctx["months"], *ctx["weekdays"]]),
        name_nouns=frozenset(ctx["name_nouns"]), function_words=frozenset(ctx["function_words"]),
        year_count_after=re.compile(rf"^\s+(?:{alternation(ctx['year_count_nouns'])})\b", re.IGNORECASE),
        one_before=_before(ctx["pronoun_one_before"]),
        one_after=re.compile(rf"^[\s-]+(?:{alternation(ctx['pronoun_one_after'])})\b", re.IGNORECASE),
        words_between=_between(_words_body(number_words), [*number_words, "a", "an"]),
        vague_between=_between(vague_body, table["vague"]),
        qualifier_ends=_last_words(p for ps in table["qualifiers"].values() for p in ps),
        month_ends=_month_ends(ctx["months"]),
    )


# ----------------------------------------------------------------------------- parsing


def _digits_value(m: re.Match[str], v: _Vocab) -> int | None:
    raw = (m.group("grouped") or m.group("dotted") or m.group("plain")).translate(_TO_ASCII)
    if m.group("dotted") and not m.group("scale"):
        raw = raw.replace(".", "")
    if raw.count(".") > 1:
        return None
    number = float(raw.replace(",", ""))
    scale = m.group("scale") or m.group("suffix")
    if scale:
        number *= v.scales[scale.lower()]
    return round(number) if number == int(number) or scale else None


def _word_tokens(surface: str) -> list[re.Match[str]]:
    return [t for t in re.finditer(r"[A-Za-z]+", surface) if t.group().lower() != "and"]


def _words_value(surface: str, v: _Vocab) -> tuple[int | None, int]:
    """Value of a run of number words and how many characters of it form one number."""
    total, current, last, end = 0, 0, "", 0
    for token in _word_tokens(surface):
        word = token.group().lower()
        if word in ("a", "an"):
            current, last = 1, "unit"
        elif word in v.word_values:
            n = v.word_values[word]
            if last == "unit" or (last == "tens" and n >= 10):
                break
            current, last = current + n, "tens" if n >= 20 and n % 10 == 0 else "unit"
        elif word in ("hundred", "dozen"):
            current, last = max(current, 1) * v.scales[word], "hundred"
        else:
            total, current, last = total + max(current, 1) * v.scales[word], 0, "scale"
        end = token.end()
    return (total + current if end else None), end


def parse_number(surface: str) -> int | None:
    """The integer a figure's surface stands for ("1,500", "three thousand", "۱۰۰۰۰"), else None."""
    v = vocab()
    text = surface.strip()
    m = v.digits.fullmatch(text)
    if m:
        return _digits_value(m, v)
    m = v.words.fullmatch(text)
    if m:
        value, end = _words_value(text, v)
        return value if end == len(text) else None
    return None


# ----------------------------------------------------------------------------- finding


@dataclass(frozen=True, slots=True)
class _Raw:
    start: int
    end: int
    value: int | None
    kind: str  # digits | words | vague
    plain_year: bool = False
    plus: bool = False


_DIGIT_RUN = re.compile(f"[{_D}]+")


def _digit_matches(text: str, v: _Vocab) -> list[re.Match[str]]:
    """`v.digits.finditer(text)`, tried only where a run of digits starts. Its look-behinds make the `re`
    engine try every position; but every match opens with a digit, not after another digit."""
    found: list[re.Match[str]] = []
    end = 0
    for run in _DIGIT_RUN.finditer(text):
        at = run.start()
        if at < end:
            continue  # inside the previous match: finditer would not look here
        m = v.digits.match(text, at)
        if m is not None:
            found.append(m)
            end = m.end()
    return found


def _raw_digits(text: str, v: _Vocab) -> list[_Raw]:
    out = []
    for m in _digit_matches(text, v):
        plain = m.group("plain") or ""
        year = len(plain) == 4 and plain.isascii() and not (m.group("scale") or m.group("suffix"))
        end = m.end("plus") if m.group("plus") else m.end()
        out.append(_Raw(m.start(), end, _digits_value(m, v), "digits", year, bool(m.group("plus"))))
    return out


def _raw_words(text: str, v: _Vocab, low: str | None) -> list[_Raw]:
    if low is not None and v.words_between is not None:
        return _raw_words_between(text, v, " " + low)
    pattern, scanned = (v.words, text) if low is None else (v.words_lower, low)
    out, m = [], pattern.search(scanned)
    while m:
        value, length = _words_value(text[m.start():m.end()], v)
        if value is not None:
            out.append(_Raw(m.start(), m.start() + length, value, "words"))
        m = pattern.search(scanned, m.start() + max(length, 1))
    return out


def _raw_words_between(text: str, v: _Vocab, spaced: str) -> list[_Raw]:
    """`_raw_words` with `v.words_between` over `spaced` (" " + the lower-cased text): a position p of
    the text is p + 1 there, and a search from p finds the words that start at p or later."""
    assert v.words_between is not None
    out, m = [], v.words_between.search(spaced)
    while m:
        start, end = m.start(1) - 1, m.end(1) - 1
        value, length = _words_value(text[start:end], v)
        if value is not None:
            out.append(_Raw(start, start + length, value, "words"))
        m = v.words_between.search(spaced, start + max(length, 1))
    return out


def _raw_vague(text: str, v: _Vocab, low: str | None) -> list[_Raw]:
    if low is not None and v.vague_between is not None:
        return [_Raw(a - 1, b - 1, None, "vague") for a, b in (m.span(1) for m in v.vague_between.finditer(" " + low))]
    pattern, scanned = (v.vague, text) if low is None else (v.vague_lower, low)
    return [_Raw(m.start(), m.end(), None, "vague") for m in pattern.finditer(scanned)]


_CLOCK_BEFORE = re.compile(r"\d:$")  # "10:" + "30"
_SIZE_AFTER = re.compile(r"^\s*[x×]\s*\d")  # "728" + " x 90"
_SIZE_BEFORE = re.compile(r"\d\s*[x×]\s*$")
_HYPHEN_AFTER = re.compile(r"^-([A-Za-z]+)(-old)?")  # "10" + "-year", "5" + "-year-old"
_YEARS_OLD_AFTER = re.compile(r"^\s+\w*\s*years?\s+old\b")
_STAMP = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}:\d{2}\b")
_STAMP_SEPARATOR = re.compile(r"[-/.:]")  # every stamp has one of them


def _candidates(text: str, v: _Vocab) -> list[_Raw]:
    """Figures in text order, overlaps removed; none inside a date or time stamp ("2023-08-21")."""
    low = lowered(text)
    found = sorted([*_raw_vague(text, v, low), *_raw_digits(text, v), *_raw_words(text, v, low)],
                   key=lambda r: (r.start, -(r.end - r.start)))
    out: list[_Raw] = []
    for raw in found:
        if (not out or raw.start >= out[-1].end) and not _in_stamp(text, raw):
            out.append(raw)
    return out


def _in_stamp(text: str, raw: _Raw) -> bool:
    if raw.kind != "digits":
        return False
    lo, hi = max(0, raw.start - 11), raw.end + 11
    if _STAMP_SEPARATOR.search(text, lo, hi) is None:  # most figures: no stamp near them
        return False
    return any(m.start() <= raw.start < m.end() for m in _STAMP.finditer(text, lo, hi))


def _is_sentence_start(before: str) -> bool:
    return bool(_SENTENCE_START.search(before))


def _ends_with_capitalised_word(before: str) -> bool:
    """Whether `before` ends with white space after a word with a capital in it: what `_CAPITAL_BEFORE`
    needs (its capitalised word runs up to the white space at the end). A cheap test: that pattern is
    slow to search for."""
    tail = before.rstrip()
    word = tail.rsplit(None, 1)[-1] if len(tail) < len(before) and tail else ""
    return any("A" <= c <= "Z" for c in word)


def _is_name_part(raw: _Raw, text: str, before: str, v: _Vocab) -> bool:
    if raw.kind != "digits":
        word = text[raw.start:raw.end]
        return word[:1].isupper() and not _is_sentence_start(before)
    m = _CAPITAL_BEFORE.search(before) if _ends_with_capitalised_word(before) else None
    if not m or m.group(2) in v.calendar_words or m.group(2) in v.function_words:
        return False
    if m.group(2) in v.name_nouns:
        return True
    prev = m.group(1) or ""
    return prev[:1].isupper() and prev not in v.function_words and prev not in v.calendar_words


def _is_date_part(raw: _Raw, before: str, after: str, qualified: bool, v: _Vocab) -> bool:
    if raw.kind != "digits":
        return False
    if _may_end_with(before, v.month_ends, lower=False) and v.month_before.search(before):
        return True
    if v.month_after.match(after):
        return True
    year = raw.plain_year and raw.value is not None and 1900 <= raw.value <= 2100
    return year and not qualified and not v.year_count_after.match(after)


def _is_other_figure(raw: _Raw, text: str, before: str, after: str, v: _Vocab) -> bool:
    """Clock times, image sizes and "one" as a pronoun."""
    if v.time_after.match(after) or _CLOCK_BEFORE.search(before):
        return True
    if _SIZE_AFTER.match(after) or _SIZE_BEFORE.search(before):
        return True
    if text[raw.start:raw.end].lower() == "one":
        return bool(v.one_before.search(before) or v.one_after.match(after))
    return False


def _unit(raw: _Raw, before: str, after: str, v: _Vocab) -> str | None:
    hyphen = _HYPHEN_AFTER.match(after) if after.startswith("-") else None  # the pattern opens with "-"
    if hyphen and not raw.plus:
        word = hyphen.group(1).lower()
        if hyphen.group(2):
            return "age"
        return None if word in v.hyphen_counts else v.hyphen_units.get(word, "modifier")
    if v.currency_before.search(before):
        return "money"
    m = v.unit_after.match(after)
    if not m:
        return None
    if m.group("sym"):
        return "percent"
    word = re.sub(r"\s+", " ", m.group("word").lower())
    unit = v.unit_of.get(word)
    return "age" if unit == "years" and _YEARS_OLD_AFTER.match(after) else unit


def _qualifier(raw: _Raw, before: str, v: _Vocab) -> str:
    if raw.plus or raw.kind == "vague":
        return "at_least"
    m = v.qualifier.search(before) if _may_end_with(before, v.qualifier_ends) else None
    if not m:
        return "exact"
    return v.qualifier_of.get(re.sub(r"\s+", " ", m.group().strip().lower()), "about")


def _number(raw: _Raw, text: str, offset: int, v: _Vocab) -> Number | None:
    before, after = text[max(0, raw.start - 60):raw.start], text[raw.end:raw.end + 60]
    qualifier = _qualifier(raw, before, v)
    if _is_date_part(raw, before, after, qualifier != "exact", v) or _is_name_part(raw, text, before, v):
        return None
    if _is_other_figure(raw, text, before, after, v):
        return None
    floor = v.vague_floor.get(re.sub(r"\s+", " ", text[raw.start:raw.end].lower())) if raw.kind == "vague" else None
    return Number(raw.start + offset, raw.end + offset, text[raw.start:raw.end], raw.value, qualifier,
                  _unit(raw, before, after, v), raw.kind == "vague", floor)


def find_numbers(text: str, offset: int = 0) -> list[Number]:
    """Every figure in `text`, in order; offsets are shifted by `offset`."""
    return list(_find_numbers(text, offset))


def outside(numbers: list[Number], spans: Iterable[tuple[int, int]]) -> list[Number]:
    """The figures that start inside none of `spans`: e.g. the days of a date the dates stage
    read ("between 25 and 30 August"), which are no counts."""
    ordered = sorted(spans)
    if not ordered:
        return numbers
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))  # the furthest end of the spans so far
    out = []
    for number in numbers:
        i = bisect_right(starts, number.start) - 1
        if i < 0 or number.start >= reach[i]:
            out.append(number)
    return out


# Several stages read the figures of the same report text (events, claims): the last few
# answers are kept. `Number` is frozen, and each caller gets a list of its own.
@lru_cache(maxsize=8)
def _find_numbers(text: str, offset: int) -> tuple[Number, ...]:
    v = vocab()
    numbers = (_number(raw, text, offset, v) for raw in _candidates(text, v))
    return tuple(n for n in numbers if n is not None)
