"""`eventledger quality`: the quality gate, and error analysis by kind.

Every gold set found is extracted in this process (or on a pool of `workers`) and scored by
`eventledger.evaluate` (the codebook's rules, the same as ``../shared/eval/score.py``):

* ``own``: the project's own gold corpus, committed in ``tests/gold/`` (always there);
* ``seeds``: ``SHARED/corpus/seeds`` against ``SHARED/corpus/gold.jsonl``;
* every ``SHARED/dev/NAME/`` holding ``docs.jsonl`` and ``gold.jsonl``. A set whose README says
  that only recall is meaningful (the gold lists one event of many) is *recall only*.

Each figure is compared with its floor in ``quality-floors.json`` (repository root); a figure
more than the file's ``margin`` below its floor fails the gate. Floors of sets not found are
skipped with a note. With `errors`, missed and spurious events are sorted into kinds by cause
(`classify_miss`, `classify_false_alarm`).
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventledger import evaluate as ev
from eventledger.ingest import IngestFailure, read_paths
from eventledger.limits import Limits
from eventledger.models import Analysis, PlaceMention

Row = dict[str, Any]

FLOORS_FILE = "quality-floors.json"
OWN_GOLD = Path("tests") / "gold"
OWN_GOLD_FA = Path("tests") / "gold-fa"  # our own Persian reports: the set `own-fa`
DEFAULT_MARGIN = 0.005
RECALL_ONLY_NOTE = "only recall is meaningful"
# the figures of a set, in the table's order: (name, kind of the summary, key in it)
METRICS: tuple[tuple[str, str, str], ...] = (
    ("events_precision", "events", "precision"), ("events_recall", "events", "recall"),
    ("events_f1", "events", "f1"), ("dates_lenient", "events", "date_lenient"),
    ("dates_strict", "events", "date_strict"), ("claims_f1", "claims", "f1"),
    ("statements_f1", "statements", "f1"),
)
RECALL_METRICS = ("events_recall",)  # what a floor guards on a recall-only set
EXAMPLES = 3  # example documents shown per error kind


# --------------------------------------------------------------------------- sets


@dataclass(frozen=True)
class GoldSet:
    """Reports (files or directories) and the gold file that codes them."""

    name: str
    inputs: tuple[Path, ...]
    gold: Path
    recall_only: bool = False


def repo_root() -> Path:
    """The checkout holding ``quality-floors.json`` and ``tests/gold``: the one this package runs
    from, else (an installed package) the current folder."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / FLOORS_FILE).is_file() else Path.cwd()


def default_shared() -> Path | None:
    """``$EVENTLEDGER_SHARED``, else ``../shared`` beside the repository, else beside the current folder."""
    env = os.environ.get("EVENTLEDGER_SHARED")
    if env:
        return Path(env)
    for base in (repo_root(), Path.cwd()):
        candidate = base.parent / "shared"
        if candidate.is_dir():
            return candidate
    return None


def _recall_only(folder: Path) -> bool:
    readme = folder / "README.md"
    if not readme.is_file():
        return False
    text = " ".join(readme.read_text(encoding="utf-8", errors="replace").lower().split())
    return "only recall is meaningful" in text


def find_sets(shared: Path | None, own: Path | None = None) -> list[GoldSet]:
    """The gold sets present: our own, then the shared seeds, then every shared dev set."""
    own = own if own is not None else repo_root() / OWN_GOLD
    sets = []
    if (own / "docs.jsonl").is_file() and (own / "gold.jsonl").is_file():
        sets.append(GoldSet("own", (own / "docs.jsonl",), own / "gold.jsonl"))
    own_fa = own.parent / OWN_GOLD_FA.name
    if (own_fa / "docs.jsonl").is_file() and (own_fa / "gold.jsonl").is_file():
        sets.append(GoldSet("own-fa", (own_fa / "docs.jsonl",), own_fa / "gold.jsonl"))
    if shared is None or not shared.is_dir():
        return sets
    seeds, seed_gold = shared / "corpus" / "seeds", shared / "corpus" / "gold.jsonl"
    if seeds.is_dir() and seed_gold.is_file():
        sets.append(GoldSet("seeds", (seeds,), seed_gold))
    for folder in sorted(p for p in (shared / "dev").glob("*") if p.is_dir()):
        docs, gold = folder / "docs.jsonl", folder / "gold.jsonl"
        if docs.is_file() and gold.is_file():
            sets.append(GoldSet(folder.name, (docs,), gold, _recall_only(folder)))
    return sets


# --------------------------------------------------------------------------- extraction


def _analyses(sets: Sequence[GoldSet], workers: int) -> Iterator[tuple[GoldSet, list[Analysis], list[IngestFailure]]]:
    """Each set's analyses (corroborated as one batch, as `eventledger extract` does) and failures,
    all sets on one pool of `workers` processes."""
    from eventledger.corroborate import corroborate
    from eventledger.parallel import ParallelPipeline, analyse_parallel

    limits = Limits()

    def collect(gset: GoldSet, items: Iterable[Analysis | IngestFailure]) -> tuple:
        found = list(items)
        analyses = [i for i in found if isinstance(i, Analysis)]
        return gset, corroborate(analyses), [i for i in found if isinstance(i, IngestFailure)]

    if workers <= 1:
        for gset in sets:
            yield collect(gset, analyse_parallel(read_paths(gset.inputs, limits=limits), workers=1, limits=limits))
        return
    with ParallelPipeline(workers=workers, limits=limits) as pool:
        for gset in sets:
            yield collect(gset, pool.map(read_paths(gset.inputs, limits=limits)))


def figures(summary: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    """The gate's figures of one evaluation summary (`METRICS`)."""
    return {name: float(summary[kind][key]) for name, kind, key in METRICS}


def _counted(gold_rows: list[Row]) -> set[str]:
    """The metrics a set can be judged on: those whose kind of record its gold codes."""
    kinds = {r.get("kind") for r in gold_rows if not r.get("optional")}
    out = set()
    for name, kind, _ in METRICS:
        if {"events": "event", "claims": "claim", "statements": "statement"}[kind] in kinds:
            out.add(name)
    return out


@dataclass
class SetResult:
    name: str
    docs: int
    recall_only: bool
    figures: dict[str, float]
    judged: set[str]  # the metrics that mean something on this set
    summary: dict[str, Any]
    failures: list[str] = field(default_factory=list)
    errors: dict[str, Any] | None = None
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {"docs": self.docs, "recall_only": self.recall_only, "figures": self.figures,
                "judged": sorted(self.judged), "summary": self.summary, "failures": self.failures,
                "errors": self.errors, "seconds": round(self.seconds, 2)}


def run_sets(sets: Sequence[GoldSet], *, workers: int = 1, errors: bool = False,
             progress: Callable[[str], None] | None = None) -> list[SetResult]:
    """Extract and score every set; with `errors`, sort its misses and false alarms into kinds."""
    import time

    results = []
    started = time.perf_counter()
    for gset, analyses, failures in _analyses(sets, workers):
        gold_rows = ev.load_rows(gset.gold)
        records = [r for a in analyses for r in a.records()]
        summary = ev.evaluate(gold_rows, records)
        result = SetResult(gset.name, len(analyses), gset.recall_only, figures(summary), _counted(gold_rows),
                           summary, [f"{f.path}: {f.reason}" for f in failures])
        if errors:
            result.errors = error_kinds(gold_rows, records, analyses)
        now = time.perf_counter()
        result.seconds, started = now - started, now
        if progress:
            progress(f"{gset.name}: {result.docs} documents in {result.seconds:.1f} s")
        results.append(result)
    return results


# --------------------------------------------------------------------------- floors


@dataclass(frozen=True)
class Check:
    set: str
    metric: str
    value: float
    floor: float

    def passed(self, margin: float) -> bool:
        return self.value >= self.floor - margin - 1e-9


@dataclass
class Verdict:
    margin: float
    checks: list[Check]
    skipped: list[str]  # notes on floors that could not be checked

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed(self.margin)]

    @property
    def passed(self) -> bool:
        return not self.failed()


def load_floors(path: Path) -> tuple[float, dict[str, dict[str, float]]]:
    """(margin, floors per set and metric) of a floors file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("floors", {}), dict):
        raise ValueError(f"{path}: expected {{\"margin\": ..., \"floors\": {{set: {{metric: value}}}}}}")
    floors = {str(s): {str(m): float(v) for m, v in metrics.items()} for s, metrics in data.get("floors", {}).items()}
    return float(data.get("margin", DEFAULT_MARGIN)), floors


def judge(results: Sequence[SetResult], margin: float, floors: Mapping[str, Mapping[str, float]],
          only: str | None = None) -> Verdict:
    """Each figure against its floor; a floor of a set not run is skipped with a note."""
    by_name = {r.name: r for r in results}
    checks, skipped = [], []
    for name, metrics in floors.items():
        if only is not None and name != only:
            continue
        result = by_name.get(name)
        if result is None:
            skipped.append(f"{name}: set not found, {len(metrics)} floors skipped")
            continue
        for metric, floor in metrics.items():
            if metric not in result.figures:
                skipped.append(f"{name}: unknown metric {metric}")
                continue
            checks.append(Check(name, metric, result.figures[metric], floor))
    return Verdict(margin, checks, skipped)


def round_down(value: float) -> float:
    return math.floor(value * 1000 + 1e-6) / 1000


def measured_floors(results: Sequence[SetResult]) -> dict[str, dict[str, float]]:
    """Floors at today's figures, rounded down to 3 decimals: for a recall-only set its recall,
    else every figure the set's gold can judge."""
    out = {}
    for r in results:
        names = [m for m in RECALL_METRICS if m in r.judged] if r.recall_only else \
            [m for m, _, _ in METRICS if m in r.judged]
        out[r.name] = {m: round_down(r.figures[m]) for m in names}
    return out


def write_floors(path: Path, margin: float, floors: Mapping[str, Mapping[str, float]]) -> None:
    """Write the floors, keeping any other key of an existing file (its `about` note)."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.update(margin=margin, floors=floors)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- report


def _cell(value: float, judged: bool) -> str:
    return f"{value:.3f}" if judged else "  -  "


def format_table(results: Sequence[SetResult]) -> str:
    head = (f"{'set':<10} {'docs':>5}  {'events P':>8} {'R':>6} {'F1':>6}  {'dates len/strict':>16}  "
            f"{'claims F1':>9}  {'stmts F1':>8}")
    lines = [head]
    for r in results:
        j = r.judged
        p_f1 = not r.recall_only
        f = r.figures
        dates = f"{_cell(f['dates_lenient'], 'dates_lenient' in j)}/{_cell(f['dates_strict'], 'dates_strict' in j)}"
        line = (f"{r.name:<10} {r.docs:>5}  {_cell(f['events_precision'], p_f1 and 'events_precision' in j):>8} "
                f"{_cell(f['events_recall'], 'events_recall' in j):>6} "
                f"{_cell(f['events_f1'], p_f1 and 'events_f1' in j):>6}  {dates:>16}  "
                f"{_cell(f['claims_f1'], 'claims_f1' in j):>9}  {_cell(f['statements_f1'], 'statements_f1' in j):>8}")
        lines.append(line + (f"  ({RECALL_ONLY_NOTE})" if r.recall_only else ""))
    return "\n".join(lines)


def format_verdict(verdict: Verdict) -> str:
    lines = []
    for c in verdict.failed():
        lines.append(f"BELOW FLOOR  {c.set} {c.metric} {c.value:.3f} < floor {c.floor:.3f} "
                     f"(margin {verdict.margin:g})")
    lines += [f"note: {note}" for note in verdict.skipped]
    status = "passed" if verdict.passed else "FAILED"
    lines.append(f"quality gate {status}: {len(verdict.checks) - len(verdict.failed())} of {len(verdict.checks)} "
                 f"figures at or above their floors (noise margin {verdict.margin:g})")
    return "\n".join(lines)


def format_kinds(errors: Mapping[str, Any], label: str = "") -> str:
    """The counts of `error_kinds`, a line per kind with example documents."""
    lines = []
    for side, title in (("missed", "missed gold events"), ("false_alarms", "false alarms")):
        kinds = errors[side]
        total = sum(k["count"] for k in kinds.values())
        lines.append(f"{label}{total} {title}")
        for kind, info in kinds.items():
            lines.append(f"  {info['count']:>5}  {kind:<46} e.g. {', '.join(info['examples'])}")
    return "\n".join(lines)


def format_errors(results: Sequence[SetResult]) -> str:
    return "\n".join(format_kinds(r.errors, f"{r.name}: ") for r in results if r.errors)


# --------------------------------------------------------------------------- error kinds


NO_TRIGGER = "no trigger"
NO_TRIGGER_OF_TYPE = "no trigger of its type"
NOT_IN_GAZETTEER = "place not in gazetteer"
NO_PLACE = "no place"
NOT_A_SITE = "place named only as {role}"
WRONG_TYPE = "wrong type"
COARSER = "placed at country/province only"
WRONG_PLACE = "wrong place"
MERGED = "merged with another gold event at its place"
DROPPED = "dropped by a filter: {reason}"
UNEXPLAINED = "trigger and place found, no candidate"
NOT_PREDICTED = "no event of its type predicted"  # when the report was not read (`facts` is None)

FA_NO_GOLD = "document has no gold event"
FA_COUNTRY = "country-level"
FA_PROVINCE_DUP = "province duplicate of a city event"
FA_COARSER = "province where gold has the town"
FA_DUPLICATE = "second event at a gold place"
FA_WRONG_TYPE = "wrong type"
FA_NOT_IN_GOLD = "not in gold at that place"


@dataclass(frozen=True)
class DocFacts:
    """What the extractor saw in one document: trigger types, place mentions, turned-down candidates."""

    trigger_types: frozenset[str]
    places: tuple[PlaceMention, ...]
    dropped: tuple[Any, ...]  # `eventledger.stages.events.Dropped`


def doc_facts(analysis: Analysis) -> DocFacts:
    from eventledger.stages import lexicon as lex
    from eventledger.stages.events import explain_events

    types = frozenset(t.event_type for t in lex.find_triggers(analysis.report.text))
    return DocFacts(types, tuple(analysis.places), tuple(explain_events(analysis)))


def mention_row(mention: PlaceMention) -> Row:
    """A place mention in the shape of an event row's place fields."""
    p = mention.place
    return {"location": p.name if p.level == "city" else None, "admin1": p.admin1, "country": p.country,
            "geonameid": p.geonameid, "latitude": p.latitude, "longitude": p.longitude, "geo_precision": p.level}


def _mentions_place(gold: Row, mention: PlaceMention) -> bool:
    """Whether a mention names the gold event's town (or, for a province-level event, its province)."""
    row = mention_row(mention)
    if ev.level(gold) == "province":
        return ev.norm_name(gold.get("admin1")) == ev.norm_name(row.get("admin1"))
    return row["geo_precision"] == "city" and ev.same_city(gold, row)


@lru_cache(maxsize=1)
def _gazetteer() -> Any:
    from eventledger import gazetteer

    return gazetteer.load()


@lru_cache(maxsize=1)
def _towns() -> tuple[Row, ...]:
    return tuple({"location": p.name, "geonameid": p.geonameid, "latitude": p.latitude, "longitude": p.longitude}
                 for p in _gazetteer().places if p.level == "city")


def in_gazetteer(gold: Row) -> bool:
    """Whether the packaged gazetteer knows the gold place: its town by name (or, when the coded
    name is not one the gazetteer has, a town within the scorer's 30 km); its province by name."""
    gaz = _gazetteer()
    lvl = ev.level(gold)
    if lvl == "country":
        return True
    if lvl == "province":
        return gaz.province(str(gold.get("admin1") or "")) is not None
    towns = [mention_row(PlaceMention(0, 0, p.name, p)) for p in gaz.lookup(str(gold.get("location") or ""))
             if p.level == "city"]
    if any(ev.same_city(gold, t) for t in towns):
        return True
    return not towns and ev.coords(gold) is not None and any(ev.same_city(gold, t) for t in _towns())


def _coarser(gold: Row, pred: Row) -> bool:
    lg, lp = ev.level(gold), ev.level(pred)
    rank = {"city": 0, "province": 1, "country": 2}
    if rank[lp] <= rank[lg]:
        return False
    return lp == "country" or ev.norm_name(gold.get("admin1")) == ev.norm_name(pred.get("admin1"))


def classify_miss(gold: Row, preds: Sequence[Row], facts: DocFacts | None,
                  known: Callable[[Row], bool] = in_gazetteer) -> str:
    """Why a gold event was missed. `preds`: the predicted events of its document; `facts`: what the
    extractor saw there (None: unknown); `known`: whether the gazetteer has the gold place."""
    types = ev.gold_types(gold)
    if facts is not None and not facts.trigger_types:
        return NO_TRIGGER
    if not known(gold):
        return NOT_IN_GAZETTEER
    if facts is not None and ev.level(gold) != "country":
        named = [m for m in facts.places if _mentions_place(gold, m)]
        if not named:
            return NO_PLACE
        if not any(m.role in ("event", "site") for m in named):
            return NOT_A_SITE.format(role="/".join(sorted({m.role for m in named})))
    same_type = [p for p in preds if p.get("event_type") in types]
    if any(ev.same_place(gold, p) for p in same_type):
        return MERGED
    if any(ev.same_place(gold, p) for p in preds):
        return WRONG_TYPE
    if any(_coarser(gold, p) for p in same_type):
        return COARSER
    if same_type:
        return WRONG_PLACE
    if facts is None:
        return NOT_PREDICTED
    dropped = [d for d in facts.dropped if d.event_type in types]
    if dropped:
        at_place = [d for d in dropped if d.place and ev.norm_name(d.place) in
                    {ev.norm_name(gold.get("location")), ev.norm_name(gold.get("admin1"))}]
        reason = Counter(d.reason for d in (at_place or dropped)).most_common(1)[0][0]
        return DROPPED.format(reason=reason)
    if not facts.trigger_types & set(types):
        return NO_TRIGGER_OF_TYPE
    return UNEXPLAINED


def classify_false_alarm(pred: Row, golds: Sequence[Row], preds: Sequence[Row]) -> str:
    """Why a predicted event matched no gold one. `golds`, `preds`: the events of its document."""
    if not golds:
        return FA_NO_GOLD
    lvl = ev.level(pred)
    if lvl == "country":
        return FA_COUNTRY
    kind = pred.get("event_type")
    if lvl == "province":
        if any(p.get("event_type") == kind and ev.level(p) == "city"
               and ev.norm_name(p.get("admin1")) == ev.norm_name(pred.get("admin1")) for p in preds):
            return FA_PROVINCE_DUP
        if any(kind in ev.gold_types(g) and ev.level(g) == "city"
               and ev.norm_name(g.get("admin1")) == ev.norm_name(pred.get("admin1")) for g in golds):
            return FA_COARSER
    at_place = [g for g in golds if ev.same_place(g, pred)]
    if any(kind in ev.gold_types(g) for g in at_place):
        return FA_DUPLICATE
    if at_place:
        return FA_WRONG_TYPE
    return FA_NOT_IN_GOLD


def _tally(kinds: Iterable[tuple[str, str]]) -> dict[str, Any]:
    counts: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for kind, doc in kinds:
        counts[kind] += 1
        seen = examples.setdefault(kind, [])
        if doc not in seen and len(seen) < EXAMPLES:
            seen.append(doc)
    return {kind: {"count": n, "examples": examples[kind]} for kind, n in counts.most_common()}


def error_kinds(gold: ev.Source, pred: ev.Source, analyses: Iterable[Analysis] = ()) -> dict[str, Any]:
    """Missed gold events and false alarms, counted by kind with example documents."""
    golds, preds = ev.split(gold, pred)["event"]
    matching = ev.match_events(golds, preds)
    by_doc_gold: dict[str, list[Row]] = {}
    by_doc_pred: dict[str, list[Row]] = {}
    for g in golds:
        by_doc_gold.setdefault(g["doc"], []).append(g)
    for p in preds:
        by_doc_pred.setdefault(p["doc"], []).append(p)
    missed = matching.missed()
    wanted = {g["doc"] for g in missed}
    facts = {os.path.basename(a.report.doc): doc_facts(a) for a in analyses
             if os.path.basename(a.report.doc) in wanted}
    misses = ((classify_miss(g, by_doc_pred.get(g["doc"], []), facts.get(g["doc"])), g["doc"]) for g in missed)
    alarms = ((classify_false_alarm(p, by_doc_gold.get(p["doc"], []), by_doc_pred.get(p["doc"], [])), p["doc"])
              for p in matching.spurious())
    return {"missed": _tally(misses), "false_alarms": _tally(alarms)}
