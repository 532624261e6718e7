"""The extraction pipeline: named stages run in order over a stream of reports.

Stages, in order (each a pure function ``Analysis -> Analysis``): text, published, places,
dates, events, claims, statements. Each is registered by a versioned name with what it reads
and what it adds (`REGISTRY`, `StageSpec`; docs/architecture.md's table of stages is generated
from it).

A `Pipeline` is checked when it is built (`check_order`): a stage that reads what no earlier
stage adds is refused with a `PipelineError`. `run_stages` stamps every record a stage adds
with the stage's registered name (`Event.extractor == "events.v1"`), so a stage registered as
``events.v2`` shows in the data.

One bad report never stops a batch. Around the stages the pipeline keeps three guards
(`eventledger.limits.Limits`), each reported as a `Problem` of stage ``pipeline``:

* a stage that raises (or returns something other than an `Analysis`) is recorded and the
  report goes on through the remaining stages;
* a report runs under a time budget (`Limits.seconds`): when it is spent, the running stage is
  stopped, the later stages are skipped and the records found so far are kept;
* sentences longer than `Limits.max_sentence_chars` are cut into pieces before the next stage
  sees them, and a report with more than `Limits.max_records` records keeps the first ones.
"""

from __future__ import annotations

import gc
import importlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter
from typing import Any

from eventledger.limits import BudgetExceeded, Limits, time_budget
from eventledger.models import Analysis, Claim, Event, Problem, Report, Sentence, Statement

Stage = Callable[[Analysis], Analysis]
# What a stage may read or add: a field of `Analysis`, or "published" (the report's publication date).
ARTIFACTS: tuple[str, ...] = ("sentences", "published", "places", "dates", "events", "claims", "statements")
RECORD_FIELDS: tuple[str, ...] = ("events", "claims", "statements")  # artifacts made of ledger records


class PipelineError(ValueError):
    """A pipeline that cannot run as built: an unknown stage, or a stage whose input no earlier stage adds."""


@dataclass(frozen=True)
class StageSpec:
    """A registered stage: where its function lives ("module:function"), what it reads and what it adds.

    As spaCy's factories declare `requires` and `assigns`: the registry checks a pipeline's order
    when it is built (`check_order`), and `run_stages` stamps the records a stage adds with the
    stage's registered name (`Event.extractor == "events.v1"`).
    """

    target: str
    reads: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [a for a in (*self.reads, *self.adds) if a not in ARTIFACTS]
        if unknown:
            raise PipelineError(f"unknown artifact(s) {', '.join(unknown)}; known: {', '.join(ARTIFACTS)}")


# name -> stage; imported lazily so that a stage's data loads only when used. The stages that read the report's
# language go through `stages.language`: each sentence's script chooses the English or the Persian rules, so
# places and dates read the sentences too.
REGISTRY: dict[str, StageSpec] = {
    "text.v1": StageSpec("eventledger.stages.text:split", reads=(), adds=("sentences",)),
    "published.v1": StageSpec("eventledger.stages.published:resolve_published", reads=(), adds=("published",)),
    "places.v1": StageSpec("eventledger.stages.language:find_places", reads=("sentences",), adds=("places",)),
    "dates.v1": StageSpec("eventledger.stages.language:find_dates", reads=("sentences", "published"),
                          adds=("dates",)),
    "events.v1": StageSpec("eventledger.stages.language:find_events",
                           reads=("sentences", "places", "dates"), adds=("events",)),
    "claims.v1": StageSpec("eventledger.stages.language:find_claims",
                           reads=("sentences", "places", "dates"), adds=("claims",)),
    "statements.v1": StageSpec("eventledger.stages.language:find_statements",
                               reads=("sentences", "places", "dates"), adds=("statements",)),
}
DEFAULT_STAGES: tuple[str, ...] = (
    "text.v1", "published.v1", "places.v1", "dates.v1", "events.v1", "claims.v1", "statements.v1",
)
GUARD = "pipeline"  # the `Problem.stage` of what the pipeline's own guards report
READER = "ingest"  # the `Problem.stage` of what reading a report repaired (`Report.notes`)
WARM_UP_TEXT = "TEHRAN, May 2, 2024 - Workers rallied in Tabriz on Monday; police detained 12 people, a group said.\n"
_SPACE = re.compile(r"\s+")


def register(name: str, target: str | StageSpec, *, reads: Sequence[str] = (), adds: Sequence[str] = ()) -> None:
    """Make a stage available under `name` (its function as "module:function", with what it reads
    and adds; or a whole `StageSpec`), e.g. to replace one."""
    spec = target if isinstance(target, StageSpec) else StageSpec(target, tuple(reads), tuple(adds))
    REGISTRY[name] = spec


def load_stage(name: str) -> Stage:
    module, _, func = REGISTRY[name].target.partition(":")
    return getattr(importlib.import_module(module), func)


def check_order(names: Sequence[str]) -> None:
    """Raise `PipelineError` unless every stage of `names` is registered and reads only what an
    earlier stage adds."""
    added: set[str] = set()
    for position, name in enumerate(names):
        spec = REGISTRY.get(name)
        if spec is None:
            raise PipelineError(f"unknown stage {name!r}; registered: {', '.join(sorted(REGISTRY))}")
        missing = [artifact for artifact in spec.reads if artifact not in added]
        if missing:
            providers = sorted(n for n, s in REGISTRY.items() if set(missing) & set(s.adds))
            earlier = ", ".join(names[:position]) or "none"
            raise PipelineError(
                f"stage {name!r} reads {', '.join(missing)}, which no earlier stage adds "
                f"(earlier stages: {earlier}); add {' or '.join(providers) or 'a stage that adds it'} before it")
        added.update(spec.adds)


def warm_up(names: Sequence[str] = DEFAULT_STAGES) -> list[tuple[str, Stage]]:
    """Load the stages `names`, run them once so that their data is loaded, then `settle()`.

    For a process that is about to analyse a batch: the CLI's and API's extraction, every
    worker of `eventledger.parallel` (and the forkserver they are forked from), `bench`.
    """
    check_order(names)
    stages = [(name, load_stage(name)) for name in names]
    run_stages(Report(doc="warm-up", text=WARM_UP_TEXT), stages)
    settle()
    return stages


def settle() -> None:
    """Take what is alive now (the stages' data: gazetteer, tries, lexicons: some 100,000
    objects that live as long as the process) out of the garbage collector's sight.

    Without it every full collection scans all of it again, and a batch makes a full
    collection every few hundred reports: about 0.3 ms of every report's 10 ms went there.
    `gc.freeze` moves the objects alive now to a permanent generation; they are still freed
    by reference counting, only reference cycles among them stay until `gc.unfreeze()`.
    Forked workers inherit the frozen generation, and their pages stay shared longer.

    A batch also allocates a few hundred thousand short-lived objects per report (mentions,
    matches, records), and the default youngest-generation threshold (700) made the collector
    run thousands of times a batch over objects that reference counting frees anyway: some 10 %
    of the stages' time (measured with the collector off). The threshold `YOUNG_GC_THRESHOLD`
    makes a young collection rarer; cycles are still found, a little later.
    """
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_GC_THRESHOLD), middle, old)


YOUNG_GC_THRESHOLD = 50_000  # allocations between young collections while a batch runs (`settle`)


@dataclass(frozen=True)
class Pipeline:
    """An ordered list of stages; call it on a report to get its analysis."""

    stage_names: tuple[str, ...] = DEFAULT_STAGES
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        check_order(self.stage_names)

    def stages(self) -> list[tuple[str, Stage]]:
        return [(name, load_stage(name)) for name in self.stage_names]

    def __call__(self, report: Report) -> Analysis:
        return run_stages(report, self.stages(), limits=self.limits)

    def run(self, reports: Iterable[Report]) -> Iterator[Analysis]:
        stages = self.stages()
        for report in reports:
            yield run_stages(report, stages, limits=self.limits)


def run_stages(report: Report, stages: Sequence[tuple[str, Stage]], *, limits: Limits | None = None) -> Analysis:
    """The analysis of `report` by `stages`, in order, within `limits` (default: `Limits()`)."""
    limits = limits or Limits()
    analysis = Analysis(report=report, problems=tuple(Problem(report.doc, READER, n) for n in report.notes))
    finished: list[str] = []
    running: str | None = None
    try:
        with time_budget(limits.seconds) as budget:
            for name, stage in stages:
                if finished:
                    budget.check()  # where the budget cannot interrupt, no stage starts after the deadline
                running = name
                analysis = _run_stage(analysis, name, stage, limits)
                running = None
                finished.append(name)
    except BudgetExceeded:
        names = [name for name, _ in stages]
        analysis = _with_problem(analysis, _over_budget(names, finished, running, limits.seconds))
    return _capped(analysis, limits.max_records)


def _run_stage(analysis: Analysis, name: str, stage: Stage, limits: Limits) -> Analysis:
    """One stage's result; its failure recorded on `analysis` instead."""
    try:
        result = stage(analysis)
    except Exception as exc:  # noqa: BLE001 - a stage failure is data, not a crash
        return _with_problem(analysis, _describe(exc), stage=name)
    if not isinstance(result, Analysis):
        return _with_problem(analysis, f"returned {type(result).__name__}, not an Analysis", stage=name)
    if result.sentences is not analysis.sentences:
        result = _cut_long_sentences(result, limits.max_sentence_chars)
    return _stamped(result, analysis, name)


def _stamped(result: Analysis, before: Analysis, name: str) -> Analysis:
    """`result` with the records `name` adds stamped `extractor=name`: the registered name is the
    one source of a record's extractor. A registered stage owns the record kinds it declares it
    adds; a stage run without registration, the kinds it changed."""
    spec = REGISTRY.get(name)
    owned = [f for f in RECORD_FIELDS if (f in spec.adds if spec else getattr(result, f) is not getattr(before, f))]
    changes: dict[str, Any] = {}  # record field -> its records (tuple[Event | Claim | Statement, ...])
    for kind in owned:
        records = getattr(result, kind)
        unstamped = [r for r in records if r.extractor != name]
        if not unstamped:
            continue
        earlier = {id(r) for r in getattr(before, kind)}
        if any(id(r) in earlier for r in unstamped):  # records the stage passed on: stamped copies
            changes[kind] = tuple(r if r.extractor == name else _with_extractor(r, name) for r in records)
        else:
            for record in unstamped:
                _stamp_new(record, name)
    return replace(result, **changes) if changes else result


def _stamp_new(record: Event | Claim | Statement, name: str) -> None:
    """Set the `extractor` of a record the stage has just made, in place. The records are frozen, and
    a new one costs some 4 µs to build (26 fields, each set through `object.__setattr__`, as the
    dataclass's own `__init__` does); a report has fifty or more. No one else holds such a record
    yet: it is not in the analysis the stage was given (`_stamped` copies those instead)."""
    object.__setattr__(record, "extractor", name)


def _with_extractor(record: Event | Claim | Statement, name: str) -> Event | Claim | Statement:
    """`dataclasses.replace(record, extractor=name)`, at half its cost (the fields read in C)."""
    cls = type(record)
    values, at = _FIELDS[cls]
    row = values(record)
    args = (*row[:at], name, *row[at + 1:])  # one tuple: mypy maps a leading *args onto every parameter
    return cls(*args)


def _fields(cls: type) -> tuple[Callable[[Any], tuple[Any, ...]], int]:
    names = [f.name for f in fields(cls) if f.init]
    return attrgetter(*names), names.index("extractor")


_FIELDS = {cls: _fields(cls) for cls in (Event, Claim, Statement)}


def _describe(exc: Exception, limit: int = 300) -> str:
    """The exception's type and first line, shortened: hostile text must not flood the ledger."""
    first = (str(exc).strip().splitlines() or [""])[0]
    message = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return message if len(message) <= limit else message[:limit - 1] + "…"


def _with_problem(analysis: Analysis, message: str, *, stage: str = GUARD) -> Analysis:
    problem = Problem(doc=analysis.report.doc, stage=stage, message=message)
    return replace(analysis, problems=(*analysis.problems, problem))


def _over_budget(names: list[str], finished: list[str], running: str | None, seconds: float | None) -> str:
    skipped = [name for name in names[len(finished):] if name != running]
    parts = [f"time budget of {seconds:g} s exceeded"]
    if running:
        parts.append(f"stopped in {running}")
    if skipped:
        parts.append(f"skipped {', '.join(skipped)}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- length and count guards


def cut_sentence(sentence: Sentence, max_chars: int) -> list[Sentence]:
    """`sentence` cut into pieces of at most `max_chars` characters, at the last white space
    before the limit where there is one; each piece keeps `text == report.text[start:end]`."""
    pieces: list[Sentence] = []
    text, offset = sentence.text, 0
    while len(text) - offset > max_chars:
        window = text[offset:offset + max_chars]
        cut = max((m.start() for m in _SPACE.finditer(window, max_chars // 2)), default=max_chars) or max_chars
        pieces.append(_piece(sentence, offset, offset + cut))
        space = _SPACE.match(text, offset + cut)
        offset = space.end() if space else offset + cut
    if offset < len(text):
        pieces.append(_piece(sentence, offset, len(text)))
    return [p for p in pieces if p.text.strip()]


def _piece(sentence: Sentence, a: int, b: int) -> Sentence:
    text = sentence.text[a:b].rstrip()
    return Sentence(start=sentence.start + a, end=sentence.start + a + len(text), text=text,
                    paragraph=sentence.paragraph)


def _cut_long_sentences(analysis: Analysis, max_chars: int) -> Analysis:
    long = sum(1 for s in analysis.sentences if len(s.text) > max_chars)
    if not long:
        return analysis
    cut = tuple(p for s in analysis.sentences for p in (cut_sentence(s, max_chars) if len(s.text) > max_chars else [s]))
    message = f"{long} sentence{'s' * (long != 1)} longer than {max_chars} characters cut into pieces"
    return _with_problem(replace(analysis, sentences=cut), message)


def _capped(analysis: Analysis, max_records: int) -> Analysis:
    """At most `max_records` events, claims and statements (in that order of preference)."""
    total = len(analysis.events) + len(analysis.claims) + len(analysis.statements)
    if total <= max_records:
        return analysis
    events = analysis.events[:max_records]
    claims = analysis.claims[:max_records - len(events)]
    statements = analysis.statements[:max_records - len(events) - len(claims)]
    capped = replace(analysis, events=events, claims=claims, statements=statements)
    return _with_problem(capped, f"too many records: kept {max_records} of {total}")
