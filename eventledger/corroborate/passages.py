"""Near-duplicate passages: paragraphs that recur within and across reports.

A report's text is cut into paragraphs (blocks between blank lines); a paragraph of fewer than
`MIN_WORDS` words (a title, byline or caption) takes no part. Candidates come from MinHash +
LSH over word-bigram shingles of the case-folded words (`LSH_THRESHOLD`, low enough to find
copies with one word in ten changed); each candidate pair is confirmed by `rapidfuzz`'s
normalised Indel similarity of the two word sequences (`FUZZY_THRESHOLD`). Confirmed pairs are
joined transitively into groups of passages.

**A copy reports the same thing.** Word overlap alone would join template-written notes ("On 3
March, retirees protested outside the pension office in <town>" for twenty towns), so two
passages are near-identical only if they also state the same figures (words holding a digit:
days, years, counts) and name the same names (`names`: words written with a capital letter
that do not open a sentence — towns, provinces, months, organisations), up to spelling: a name
found in only one passage (or more often in it) is matched to one found only in the other when they are spelled
alike (`NAME_SPELLING`, "Tehran" and "Teheran"); the passages differ when each names something
the other does not (another town, another month). A name added on one side only (an
attribution, "Tehran" beside "Tehran, Iran") does not make them differ.

Documents are near-copies when the paragraphs of each that recur in the other cover at least
`COVERAGE` of each one's words (so a syndicated copy with its own header and footer is a copy,
and a compilation that repeats one article among others is not), and they report the same
events: the (type, place) of their events (`index.incident_base`) do not differ both ways
(`same_report`: one may report an event more, as an edited copy can, but not when the other
reports none; a note about another town whose other paragraphs are boilerplate is no copy). The original is the earliest
published, then the first seen; every other member of a set of near-copies names it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from eventledger.corroborate.unionfind import UnionFind
from eventledger.models import Report

MIN_WORDS = 8
SHINGLE = 2
NUM_PERM = 64
LSH_THRESHOLD = 0.3
FUZZY_THRESHOLD = 0.8
COVERAGE = 0.6
BOILERPLATE_DOCS = 25  # a paragraph found in more documents than this is boilerplate
COPY_RULES = {  # `Document.duplicate_rule` -> what it means
    "identical-text": "the same text as its original",
    "shared-paragraphs": f"near-identical paragraphs (same figures and names) cover at least {COVERAGE:.0%} of the "
                         "words of both documents, and both report the same events (type and place)",
}
NAME_SPELLING = 0.75  # Indel similarity of two spellings of one name (and at most `NAME_LENGTH_GAP` letters apart)
NAME_LENGTH_GAP = 2

_BREAK = re.compile(r"\n[^\S\n]*\n\s*")  # a blank line (and the blank space around it)
_WORD = re.compile(r"\w+")
_FIGURE = re.compile(r"[^\W\d]*\d\w*")  # a word (of `Passage.words`, space-separated) holding a digit
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?\n\"\u201c\u00ab:;])[\s\"'\u201c\u2018\u00ab(\[-]*$")


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph of a report: `report.text[start:end]`, with its words case-folded.

    `report` is the position of its report in the sequence the passages were read from, which
    tells reports apart even when two share a `doc` (two files of one name in two folders).
    """

    doc: str
    start: int
    end: int
    words: tuple[str, ...]
    report: int = 0
    names: tuple[str, ...] = ()

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


PassageGroup = tuple[Passage, ...]  # near-identical passages, the original first


def paragraphs(report: Report, position: int = 0) -> list[Passage]:
    """The paragraphs of `report` long enough to compare, with their offsets."""
    found = []
    for start, end in _blocks(report.text):
        words = tuple(w.casefold() for w in _WORD.findall(report.text, start, end))
        if len(words) >= MIN_WORDS:
            found.append(Passage(report.doc, start, end, words, position, names_in(report.text, start, end)))
    return found


def names_in(text: str, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    """Case-folded words of `text[start:end]` written with a capital that do not open a sentence
    (nor follow a colon or an opening quote): the names a passage mentions, in order."""
    found = []
    for match in _WORD.finditer(text, start, len(text) if end is None else end):
        word = match.group()
        if not word[0].isupper() or word.isdigit():
            continue
        before = text[max(start, match.start() - 4):match.start()]
        if match.start() == start or _OPENS_SENTENCE.search(before):
            continue
        found.append(word.casefold())
    return tuple(found)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the blocks of `text` between blank lines."""
    start = 0
    for gap in _BREAK.finditer(text):
        yield start, gap.start()
        start = gap.end()
    yield start, len(text)


def seen_order(reports: Sequence[Report]) -> list[tuple[dt.date, int]]:
    """Sort key of originality of each report: earliest published first (undated last), then first seen."""
    return [(r.published or dt.date.max, i) for i, r in enumerate(reports)]


# --------------------------------------------------------------------------- matching


def _shingles(words: tuple[str, ...]) -> set[bytes]:
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


def _candidates(texts: Sequence[tuple[str, ...]]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of texts whose estimated Jaccard similarity may pass `LSH_THRESHOLD`."""
    from datasketch import MinHash, MinHashLSH  # heavy (numpy, scipy): imported when first needed

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    signatures = MinHash.bulk((_shingles(t) for t in texts), num_perm=NUM_PERM)
    for i, signature in enumerate(signatures):
        for j in lsh.query(signature):
            yield j, i
        lsh.insert(i, signature, check_duplication=False)


def similar(a: tuple[str, ...], b: tuple[str, ...], names_a: Sequence[str] = (),
            names_b: Sequence[str] = ()) -> bool:
    """Whether two word sequences are near-identical (fuzzy confirmation of a candidate), state the
    same figures and name the same names (`names_a`, `names_b`; see the module notes): templated
    text with other dates, numbers or places ("On 3 May, 40 workers ... in Arak" beside "On 4 May,
    25 workers ... in Rasht") reports something else, however many of its words it shares."""
    if 2 * min(len(a), len(b)) < FUZZY_THRESHOLD * (len(a) + len(b)):  # the bound on their similarity
        return False
    if Indel.normalized_similarity(a, b, score_cutoff=FUZZY_THRESHOLD) < FUZZY_THRESHOLD:
        return False
    return same_names(names_a, names_b) and _figures(a) == _figures(b)


def _spelled_alike(x: str, y: str) -> bool:
    return (abs(len(x) - len(y)) <= NAME_LENGTH_GAP
            and Indel.normalized_similarity(x, y, score_cutoff=NAME_SPELLING) >= NAME_SPELLING)


def same_names(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two passages name the same things, up to spelling: not when each names something
    (not spelled like any name of the other) that the other does not, or names it more often
    ("Arak city (Markazi province)" beside "Markazi city (Markazi province)")."""
    if a == b:
        return True
    count_a, count_b = Counter(a), Counter(b)
    only_a, only_b = set(count_a - count_b), set(count_b - count_a)
    if not only_a or not only_b:
        return True
    unmatched_a = [x for x in only_a if not any(_spelled_alike(x, y) for y in only_b)]
    unmatched_b = [y for y in only_b if not any(_spelled_alike(x, y) for x in only_a)]
    return not (unmatched_a and unmatched_b)


def _figures(words: tuple[str, ...]) -> frozenset[str]:
    """The words of a passage that hold a digit (days, years, counts)."""
    return frozenset(_FIGURE.findall(" ".join(words)))


Text = tuple[tuple[str, ...], tuple[str, ...]]  # the words of a passage and its names


def _clusters(texts: Sequence[Text]) -> list[list[int]]:
    """Groups (of two or more) of indices of near-identical texts."""
    unique: dict[Text, int] = {}
    keys = [unique.setdefault(t, len(unique)) for t in texts]
    distinct = list(unique)
    sets = UnionFind(len(distinct))
    for i, j in _candidates([words for words, _ in distinct]):
        (words_i, names_i), (words_j, names_j) = distinct[i], distinct[j]
        if sets.find(i) != sets.find(j) and similar(words_i, words_j, names_i, names_j):
            sets.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        groups[sets.find(key)].append(index)
    return [g for g in groups.values() if len(g) > 1]


def repeated_passages(reports: Sequence[Report]) -> list[PassageGroup]:
    """Paragraphs that recur (near-identically) within or across `reports`.

    Each group lists its passages original first: earliest published report, then the report
    seen first, then the earliest position in the text.
    """
    passages = [p for i, r in enumerate(reports) for p in paragraphs(r, i)]
    order = seen_order(reports)
    groups = []
    for members in _clusters([(p.words, p.names) for p in passages]):
        group = sorted((passages[i] for i in members), key=lambda p: (order[p.report], p.start))
        groups.append(tuple(group))
    return sorted(groups, key=lambda g: (order[g[0].report], g[0].start))


# --------------------------------------------------------------------------- documents


def _content_words(reports: Sequence[Report], boilerplate: set[tuple[int, int]]) -> list[int]:
    """Words of each report's paragraphs, boilerplate left out."""
    return [sum(len(p.words) for p in paragraphs(r, i) if (i, p.start) not in boilerplate)
            for i, r in enumerate(reports)]


def _shared_words(groups: Iterable[PassageGroup]) -> Counter[tuple[int, int]]:
    """(report, other) -> words of the report's passages that recur in the other."""
    shared: Counter[tuple[int, int]] = Counter()
    for group in groups:
        members = {p.report for p in group}
        for passage in group:
            for other in members - {passage.report}:
                shared[passage.report, other] += len(passage.words)
    return shared


def _is_boilerplate(group: PassageGroup) -> bool:
    return len({p.report for p in group}) > BOILERPLATE_DOCS


def same_report(a: Collection[str], b: Collection[str]) -> bool:
    """Whether two documents reporting events of these (type, place) keys report the same: not when
    each reports one the other does not, nor when only one reports any."""
    if bool(a) != bool(b):
        return False
    return not (set(a) - set(b) and set(b) - set(a))


def copy_pairs(reports: Sequence[Report], groups: Sequence[PassageGroup],
               reported: Sequence[Collection[str]] | None = None) -> list[tuple[int, int]]:
    """Pairs of reports (positions) that are near-copies of each other, by their shared passages and
    (when `reported` gives each report's event keys) what they report."""
    boilerplate = {(p.report, p.start) for g in groups if _is_boilerplate(g) for p in g}
    content = _content_words(reports, boilerplate)
    shared = _shared_words(g for g in groups if not _is_boilerplate(g))
    pairs = []
    for a, b in sorted({(min(pair), max(pair)) for pair in shared}):
        if min(shared[a, b] / (content[a] or 1), shared[b, a] / (content[b] or 1)) >= COVERAGE and (
                reported is None or same_report(reported[a], reported[b])):
            pairs.append((a, b))
    return pairs


def originals(reports: Sequence[Report], pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """position -> position of the original it copies, for every near-copy but the original of its set."""
    order = seen_order(reports)
    sets = UnionFind(len(reports))
    for a, b in pairs:
        sets.union(a, b)
    first: dict[int, int] = {}
    for position in sorted(range(len(reports)), key=order.__getitem__):  # the first of a set is its original
        first.setdefault(sets.find(position), position)
    return {i: first[sets.find(i)] for i in range(len(reports)) if first[sets.find(i)] != i}


def copies_from_groups(reports: Sequence[Report], groups: Sequence[PassageGroup],
                       reported: Sequence[Collection[str]] | None = None) -> dict[int, int]:
    """position of each near-copy -> position of its original, given the repeated passages (and the
    event keys of each report, `copy_pairs`)."""
    return originals(reports, copy_pairs(reports, groups, reported))


def copy_rule(copy: Report, original: Report) -> str:
    """Which rule (`COPY_RULES`) makes `copy` a near-copy of `original`."""
    return "identical-text" if copy.text == original.text else "shared-paragraphs"


def find_duplicate_documents(reports: Sequence[Report]) -> dict[str, str]:
    """doc -> original doc for every report that is a near-copy of another.

    The original is the earliest published, then the first seen in `reports`.
    """
    found = copies_from_groups(reports, repeated_passages(reports))
    return {reports[c].doc: reports[o].doc for c, o in found.items()}
