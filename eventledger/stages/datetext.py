"""Finding date expressions in text: the candidate side of `eventledger.stages.dates`.

`scan(text)` returns every date expression as an `Atom`, in text order, with its offsets and
what the words say (a year, a month, a weekday, "the past few days", "the uprising's 262nd
day", "the anniversary of the Constitutional Revolution" ...), but nothing resolved: resolving
needs the publication date and is done by `dates.resolve_atom`.

Each pattern (`datepatterns`) runs only on the stretches of text around the cheap hits of its
trigger family, which keeps a news article well under a few milliseconds. Persian and
Arabic-Indic digits are read as ASCII digits (one character for one, so offsets do not move).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from eventledger.stages.datehints import DIGIT_RUNS, YEARS, PhraseOpeners
from eventledger.stages.datepatterns import Patterns, Rule, event_key, patterns
from eventledger.stages.datevocab import DIGITS, Atom, CalendarEvent, ascii_digits, event_by_key, vocab

__all__ = ["DIGITS", "Atom", "CalendarEvent", "ascii_digits", "event_by_key", "header_spans", "scan", "vocab"]

_DAYISH = frozenset({"date", "weekday"})
_SPANISH = frozenset({"month", "season", "year", "decade"})


# --------------------------------------------------------------------------- scanning


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_ALONE_MARGIN = 70
_WORD_REST = re.compile(r"(?:[^\W_]|['’])*")  # str.isalnum() (sre's \w but "_") or an apostrophe

Span = tuple[int, int]


def _word_end(text: str, b: int) -> int:
    """`b` (clipped to the text) stretched to the end of the word it falls in."""
    rest = _WORD_REST.match(text, min(len(text), b))
    return rest.end() if rest else b  # it always matches (maybe the empty string)


def _add_window(spans: list[Span], text: str, a: int, b: int) -> None:
    """Append [a, b) clipped to the text and stretched to a word's end; merge with the last."""
    a = max(0, a)
    b = _word_end(text, b)
    if spans and spans[-1][0] <= a <= spans[-1][1]:
        spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
    else:
        spans.append((a, b))


def _around(text: str, hits: list[Span], before: int, after: int) -> list[Span]:
    """What `_add_window` gives for each hit (in text order) in turn, stretching an end to its
    word's end only when the next hit may begin past it: `_word_end` never decreases, so a hit
    that begins before the unstretched end joins the window either way."""
    spans: list[Span] = []
    a = raw = -1  # the open window: its start and its unstretched end
    for start, end in hits:
        lo = max(0, start - before)
        if raw >= 0 and lo <= raw:
            raw = max(raw, end + after)
            continue
        if raw >= 0:
            stretched = _word_end(text, raw)
            if lo <= stretched:
                raw = max(raw, end + after)
                continue
            spans.append((a, stretched))
        a, raw = lo, end + after
    if raw >= 0:
        spans.append((a, _word_end(text, raw)))
    return spans


def _windows(text: str, low: str, pats: Patterns, digit_runs: list[Span]) -> dict[str, list[Span]]:
    """family -> merged stretches of text around its trigger's hits, ending at a word's end."""
    out: dict[str, list[Span]] = {}
    found, words = _hits(low, pats)
    found[pats.digit_runs] = digit_runs  # families may share a trigger
    for name, (regex, before, after) in pats.triggers.items():
        out[name] = _around(text, found[regex], before, after)
    for word, phrase, events in pats.gates:
        for at in words[word]:
            m = phrase.search(low, max(0, at - 40), at + 40)
            if m:
                for k in events:
                    _add_window(out.setdefault(f"alone:{k}", []), text, m.start() - _ALONE_MARGIN,
                                m.end() + _ALONE_MARGIN)
    return {name: _merged(spans) if name.startswith("alone:") else spans for name, spans in out.items()}


def _hits(low: str, pats: Patterns) -> tuple[dict[re.Pattern[str], list[Span]], dict[str, list[int]]]:
    """What each trigger's `finditer` finds (all but "digit") and where each gate word is (as `find`
    from the end of the last finds it), in one scan (speed): `pats.finder` stops wherever one of
    them may begin, and each is tried there unless its last match or occurrence covers it."""
    hits: dict[re.Pattern[str], list[Span]] = {regex: [] for regex, _, _ in pats.triggers.values()
                                               if regex is not pats.digit_runs}
    words: dict[str, list[int]] = {word: [] for word, _, _ in pats.gates}
    free: dict[re.Pattern[str] | str, int] = {}  # where a trigger's or word's next match may begin
    finder, openers = pats.finder, pats.openers
    m = finder.search(low)
    while m is not None:
        p = m.start()
        regexes, gate_words = openers[m.group()]
        for regex, length in regexes:
            if p < free.get(regex, 0):
                continue
            if length:  # a plain list of words: its hit is known
                hits[regex].append((p, p + length))
                free[regex] = p + length
            elif (hit := regex.match(low, p)) is not None:
                hits[regex].append(hit.span())
                free[regex] = hit.end()
        for word in gate_words:
            if p >= free.get(word, 0) and low.startswith(word, p):
                words[word].append(p)
                free[word] = p + len(word)
        m = finder.search(low, p + 1)
    return hits, words


def _merged(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


# re.IGNORECASE matches "i" to "ı" and "İ" and "s" to "ſ"; str.lower() does not fold them to
# ASCII, so the hints (found in the lowercased text) could miss a match: then no hints.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f")


class Hints:
    """The positions the rules' hints name (`datepatterns.Hint`).

    Hint keywords are looked for (`Patterns.keys`, one scan) only in `spans`, the windows of the
    families whose rules use them: a rule's match, and so the keyword it begins with or needs,
    lies inside one of its family's windows.
    """

    def __init__(self, low: str, pats: Patterns, digit_runs: list[Span], spans: list[Span]) -> None:
        self.low = low
        self.at: dict[str, list[int]] = {  # hint name -> positions, ascending
            DIGIT_RUNS: [a for a, _ in digit_runs],
            YEARS: [a for a, _ in digit_runs if pats.year.match(low, a)],
        }
        at, key_hints, keys = self.at, pats.key_hints, pats.keys
        for name in pats.hint_lists:  # a list with no keyword in the windows: no position
            at[name] = []
        # `keys` matches the non-word character before a keyword, so over " " + low it matches at the
        # keyword's own offset in `low`, and [a, b + 1) of it holds the keywords that begin and end in
        # [a, b) of `low` (keywords are letters: a word start inside one cannot be missed)
        padded = " " + low
        for a, b in spans:
            for m in keys.finditer(padded, a, b + 1):
                p = m.start()
                for name in key_hints[m.group(1)]:
                    at[name].append(p)

    def positions(self, name: str) -> list[int]:
        """The positions of a keyword list, `DIGIT_RUNS` or `YEARS` (`Hint.anywhere` words are
        looked for in the windows only: `_literal_within`)."""
        return self.at[name]


def _inside(positions: list[int], spans: list[Span]) -> list[Span]:
    """(position, end of its span) for the positions inside one of `spans` (both ascending)."""
    return _within(positions, [(a, b, b) for a, b in spans])


def _within(positions: list[int], reach: list[tuple[int, int, int]]) -> list[Span]:
    """(position, end) for the positions from a start to a limit of `reach` ((start, limit, end),
    ascending and apart; see `_reach`)."""
    out: list[Span] = []
    if len(positions) < len(reach):  # fewer positions than windows: find each one's window
        starts = [a for a, _, _ in reach]
        for s in positions:
            i = bisect.bisect_right(starts, s) - 1
            if i >= 0 and s < reach[i][1]:
                out.append((s, reach[i][2]))
        return out
    lo, n = 0, len(positions)
    for a, limit, b in reach:
        lo = bisect.bisect_left(positions, a, lo)
        if lo == n:
            break
        if positions[lo] < limit:
            hi = bisect.bisect_left(positions, limit, lo)
            out.extend(zip(positions[lo:hi], repeat(b, hi - lo), strict=True))
            lo = hi
    return out


def _reach(spans: list[Span], needed: list[int]) -> list[tuple[int, int, int]]:
    """(start, limit, end) for the spans holding a position of `needed`, `limit` just past the last
    one: a match that begins at or after it cannot hold one (it ends by the span's end)."""
    out = []
    for a, b in spans:
        i = bisect.bisect_left(needed, b) - 1
        if i >= 0 and needed[i] >= a:
            out.append((a, needed[i] + 1, b))
    return out


def _candidates(text: str, pats: Patterns, low: str | None = None) -> list[Atom]:
    """Every rule's matches, each rule run only near the words it needs (speed), in rule order;
    `low` is `_lower(text)` if given."""
    low = _lower(text) if low is None else low
    digit_runs = [m.span() for m in pats.digit_runs.finditer(low)]
    windows = _windows(text, low, pats, digit_runs)
    hints = Hints(low, pats, digit_runs, _merged([s for f in pats.key_families for s in windows.get(f, ())]))
    hinted = not any(ch in text for ch in _FOLDS_TO_ASCII)
    found: list[tuple[int, Atom]] = []  # (rule number, atom)
    for family, rules in pats.families.items():
        spans = windows.get(family)
        if not spans:
            continue
        shares = _Shares(spans, hints)
        for number, rule in rules:
            if not hinted:
                matches: Iterable[re.Match[str]] = _everywhere(rule, text, spans)
            elif rule.hinted:
                matches = _matches_at(rule.regex, text, _starts(rule, shares))
            else:
                matches = _everywhere(rule, text, shares.needed(rule.needs))
            for m in matches:
                atom = rule.build(m)
                if atom is not None and atom.end > atom.start:
                    found.append((number, _with_prio(atom, rule.prio)))
    found.sort(key=itemgetter(0))  # stable: each rule's matches in text order, as if run one by one
    return [atom for _, atom in found]


def _with_prio(atom: Atom, prio: int) -> Atom:
    """The rule's priority unless the builder gave one. The builder's atom is new and not yet
    shared, so it is set in place (`dataclasses.replace` would copy all its fields)."""
    if prio and not atom.prio:
        object.__setattr__(atom, "prio", prio)
    return atom


def _everywhere(rule: Rule, text: str, spans: list[Span]) -> Iterator[re.Match[str]]:
    for a, b in spans:
        yield from rule.regex.finditer(text, a, b)


class _Shares:
    """A family's windows and what its rules ask of them, each worked out once for the family
    (speed: several rules of a family share a needed hint, and some a start hint as well)."""

    def __init__(self, spans: list[Span], hints: Hints) -> None:
        self.spans = spans
        self.hints = hints
        self._needed: dict[str | None, list[Span]] = {None: spans}
        self._reach: dict[str, list[tuple[int, int, int]]] = {}
        self._starts: dict[tuple[str, bool, str | None], list[Span]] = {}

    def needed(self, needs: str | None) -> list[Span]:
        """The spans holding a position of the hint `needs` (all of them for None)."""
        found = self._needed.get(needs)
        if found is None:
            found = self._needed[needs] = _needed(needs, self.spans, self.hints)
        return found

    def reach(self, needs: str) -> list[tuple[int, int, int]]:
        """`_reach` of the spans and the hint `needs`."""
        found = self._reach.get(needs)
        if found is None:
            found = self._reach[needs] = _reach(self.spans, self.hints.positions(needs))
        return found

    def starts(self, name: str, listed: bool, needs: str | None) -> list[Span]:
        """(position, end of its span) for the positions of the hint `name` (`listed`; else of the
        `Hint.anywhere` word `name`) in the spans, before the last position of `needs` in each."""
        key = (name, listed, needs)
        found = self._starts.get(key)
        if found is None:
            hints = self.hints
            if needs is None:
                found = (_inside(hints.positions(name), self.spans) if listed
                         else _literal_within(hints.low, name, [(a, b, b) for a, b in self.spans]))
            else:
                reach = self.reach(needs)
                found = _within(hints.positions(name), reach) if listed else _literal_within(hints.low, name, reach)
            self._starts[key] = found
        return found


def _needed(needs: str | None, spans: list[Span], hints: Hints) -> list[Span]:
    """The spans holding a position of the hint `needs` (all of them if None)."""
    if needs is None:
        return spans
    positions = hints.positions(needs)
    if not positions:
        return []
    return [(a, b) for a, b in spans if bisect.bisect_left(positions, a) < bisect.bisect_left(positions, b)]


def _starts(rule: Rule, shares: _Shares) -> list[Span]:
    """(start, window end) for every position in the family's windows where the rule's hints allow
    a match, ascending; with `needs`, only starts with a needed position after them in their window."""
    needs = rule.needs
    if needs is not None and not shares.reach(needs):
        return []
    lists = [*(shares.starts(name, True, needs) for name in rule.starts),
             *(shares.starts(word, False, needs) for word in rule.anywhere)]
    return lists[0] if len(lists) == 1 else sorted(set().union(*lists))


def _literal_within(low: str, word: str, reach: list[tuple[int, int, int]]) -> list[Span]:
    """What `_within` gives for the occurrences of `word` (`Hint.anywhere`), looked for only there."""
    out: list[Span] = []
    for a, limit, b in reach:
        stop = limit + len(word) - 1  # an occurrence that begins before `limit` ends by `stop`
        at = low.find(word, a, stop)
        while at >= 0:
            out.append((at, b))
            at = low.find(word, at + 1, stop)
    return out


def _matches_at(regex: re.Pattern[str], text: str, starts: list[Span]) -> Iterator[re.Match[str]]:
    """Non-overlapping matches beginning at `starts` ((position, end of its window), ascending):
    what `finditer` over each window finds when no match can begin elsewhere, since
    `match(text, s, end)` is the attempt `finditer` makes at `s`. Windows do not overlap, so a
    match ends before the next window begins."""
    pos = 0
    for s, end in starts:
        if s >= pos:
            m = regex.match(text, s, end)
            if m is not None:
                yield m
                pos = m.end()


def _select(atoms: list[Atom]) -> list[Atom]:
    """Non-overlapping atoms: longer first, then higher priority, then earlier."""
    atoms.sort(key=lambda a: (-(a.end - a.start), -a.prio, a.start))
    taken: list[Atom] = []
    spans: list[tuple[int, int]] = []
    for atom in atoms:
        i = bisect.bisect_left(spans, (atom.start, atom.start))
        left = spans[i - 1] if i else None
        right = spans[i] if i < len(spans) else None
        if (left and left[1] > atom.start) or (right and right[0] < atom.end):
            continue
        spans.insert(i, (atom.start, atom.end))
        taken.append(atom)
    taken.sort(key=lambda a: a.start)
    return taken


def _rangeable(a: Atom, b: Atom) -> bool:
    if a.jalali != b.jalali or a.cue or b.cue:
        return False
    if a.kind in _DAYISH and b.kind in _DAYISH:
        return True
    return a.kind in _SPANISH and b.kind in _SPANISH and a.kind != "decade" and not (a.weak or b.weak)


_OPENER = re.compile(r"(?:\b(?P<w>from|between)\s+)$", re.IGNORECASE)


def _combine(text: str, atoms: list[Atom], pats: Patterns) -> list[Atom]:
    """Join "A to B", "from A to B", "A-B", "between A and B" into ranges."""
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None and _rangeable(a, b) and pats.connector.match(text[a.end:b.start]):
            opener = _OPENER.search(text[max(0, a.start - 10):a.start])
            between = "and" in text[a.end:b.start].lower()
            if not between or (opener and opener.group("w").lower() == "between"):
                start = a.start - len(opener.group(0)) if opener else a.start
                out.append(Atom(start, b.end, "range", sub=(a, b), prio=a.prio))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _sentence_starts(text: str, pats: Patterns) -> list[int]:
    return [0, *(m.end() for m in pats.boundary.finditer(text))]


def _may_begin(low: str | None, openers: PhraseOpeners, lo: int, hi: int) -> bool:
    """May a phrase pattern's match begin in the slice [lo, hi) of the text (`low` lowercased;
    None: it may)? It begins where `\\b` holds in the slice: at the slice's own start or at a word
    start after it, which `word_starts` finds from the non-word character before it (speed: a
    case-sensitive trie that opens with a set of characters, where the pattern is an alternation
    tried case-insensitively at every position)."""
    if low is None:
        return True
    return openers.at.match(low, lo, hi) is not None or openers.word_starts.search(low, lo, hi) is not None


def _context(text: str, atom: Atom, starts: list[int], pats: Patterns, low: str | None = None) -> Atom:
    """The atom with its sentence, a "since"/"until" cue before it and whether its sentence looks
    ahead; `low` (`_lower(text)`, None where `_FOLDS_TO_ASCII` are in it) lets short slices without a
    phrase's opening skip the phrase patterns (`_may_begin`)."""
    sent = starts[bisect.bisect_right(starts, atom.start) - 1]
    start, cue = atom.start, None
    if atom.kind not in ("range", "relative", "anniv_ref", "period_day", "same_day"):
        lo = max(sent, atom.start - 30)
        if _may_begin(low, pats.cue_openers, lo, atom.start):
            m = pats.cue.search(text[lo:atom.start])
            if m:
                cue = "since" if m.group("since") else "until"
                start = atom.start - (len(m.group(0)))
    lo = max(sent, atom.start - 50)
    future = atom.future
    if not future and _may_begin(low, pats.future_openers, lo, start):
        future = bool(pats.future_before.search(text[lo:start]))
    if not future:
        i = bisect.bisect_right(starts, atom.end)
        nxt = starts[i] if i < len(starts) else len(text)
        future = pats.future_after.match(text[atom.end:min(nxt, atom.end + 40)]) is not None  # it opens with ^
    return _with_context(atom, start, cue, future, sent)


def _with_context(atom: Atom, start: int, cue: str | None, future: bool, sent: int) -> Atom:
    """`replace(atom, start=..., cue=..., future=..., sent=...)`, set in place (speed): every atom
    `_context` sees is new and not yet shared (from a rule's builder or `_combine`)."""
    for name, value in (("start", start), ("cue", cue), ("future", future), ("sent", sent)):
        object.__setattr__(atom, name, value)
    return atom


def _period_context(text: str, atom: Atom, atoms: list[Atom], starts: list[int], pats: Patterns) -> Atom | None:
    """A day count needs a period named in its sentence (else only its weekday, if any, is a
    date); a weekday there checks it."""
    i = bisect.bisect_right(starts, atom.sent)
    window = text[atom.sent:starts[i] if i < len(starts) else len(text)]
    key = None
    for m in _event_names(window, pats):
        event = event_by_key(event_key(m) or "")
        if event is not None and event.day is not None and (event.counted or event.kind == "death"):
            key = event.key
            break
    if key is None and pats.generic.search(window):
        key = "generic"
    if key is None:  # "on strike for a second day on Saturday": no period counted, the weekday stands
        return replace(atom.sub[0], sent=atom.sent, future=atom.future, cue=atom.cue) if atom.sub else None
    wd = atom.wd
    if wd is None:
        wd = next((a.wd for a in atoms if a.kind == "weekday" and a.sent == atom.sent and a.mode is None), None)
    return replace(atom, key=key, wd=wd)


def _event_names(text: str, pats: Patterns) -> list[re.Match[str]]:
    """`pats.events_any.finditer(text)`, tried only at the word starts where a name may begin
    (speed: the case-insensitive alternation of every name costs ~0.5 µs a character when tried
    everywhere). Where case-insensitive matching folds a character that `str.lower` keeps
    (`_FOLDS_TO_ASCII`), the word starts could be missed: there the plain `finditer`."""
    if any(ch in text for ch in _FOLDS_TO_ASCII):
        return list(pats.events_any.finditer(text))
    return pats.event_scanner.scan(text, _lower(text))[0]


def scan(text: str) -> list[Atom]:
    """Every date expression of `text`, unresolved, in text order, without overlaps."""
    return list(_scan(text))


@lru_cache(maxsize=8)
def _scan(text: str) -> tuple[Atom, ...]:
    text = ascii_digits(text)
    pats = patterns()
    low = _lower(text)
    atoms = _combine(text, _select(_candidates(text, pats, low)), pats)
    starts = _sentence_starts(text, pats)
    folds = any(ch in text for ch in _FOLDS_TO_ASCII)  # `low` could hide a phrase: search every slice
    atoms = [_context(text, a, starts, pats, None if folds else low) for a in atoms]
    out: list[Atom] = []
    for atom in atoms:
        kept = _period_context(text, atom, atoms, starts, pats) if atom.kind == "period_day" else atom
        if kept is not None:
            out.append(kept)
    return tuple(out)


# --------------------------------------------------------------------------- page headers

_TIME = re.compile(r"\s*[|,-]?\s*(?:\d{1,2}:\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?)?\s*$", re.IGNORECASE)


def header_spans(text: str, atoms: list[Atom] | None = None, max_lines: int = 8) -> list[tuple[int, int]]:
    """Lines near the top that hold nothing but a full date (the day a page was viewed)."""
    atoms = scan(text) if atoms is None else atoms
    spans: list[tuple[int, int]] = []
    seen = 0
    for m in re.finditer(r"[^\n]+", text[:2000]):
        line = m.group()
        if not line.strip():
            continue
        seen += 1
        if seen > max_lines:
            break
        a = m.start() + len(line) - len(line.lstrip())
        inside = [t for t in atoms if a <= t.start and t.end <= m.end()]
        if len(inside) == 1 and inside[0].start == a and inside[0].kind == "date" and inside[0].y is not None \
                and inside[0].end >= m.start() + len(_TIME.sub("", line.rstrip())):  # last: slow on long lines
            spans.append((a, m.end()))
    return spans
