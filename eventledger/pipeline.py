"""The extraction pipeline: named stages run in order over a stream of reports.

Stages, in order (each a pure function ``Analysis -> Analysis``, registered by a versioned name):

1. ``text``        sentences and paragraphs with character offsets      (stages/text.py)
2. ``published``   publication date from a dateline, or inferred         (stages/published.py)
3. ``places``      gazetteer candidates -> chosen places, with offsets    (stages/places.py)
4. ``dates``       date expressions resolved against the publication date (stages/dates.py)
5. ``events``      typed events, one per type x actor x place x date      (stages/events.py)
6. ``claims``      figures about many events or a period                 (stages/claims.py)
7. ``statements``  who said what, where and when                         (stages/statements.py)

A stage that raises is recorded as a `Problem` on the analysis and the report goes on
through the remaining stages; one bad report never stops a batch.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from eventledger.models import Analysis, Problem, Report

Stage = Callable[[Analysis], Analysis]

# name -> "module:function"; imported lazily so that a stage's data loads only when used.
REGISTRY: dict[str, str] = {
    "text.v1": "eventledger.stages.text:split",
    "published.v1": "eventledger.stages.published:resolve_published",
    "places.v1": "eventledger.stages.places:find_places",
    "dates.v1": "eventledger.stages.dates:find_dates",
    "events.v1": "eventledger.stages.events:find_events",
    "claims.v1": "eventledger.stages.claims:find_claims",
    "statements.v1": "eventledger.stages.statements:find_statements",
}
DEFAULT_STAGES: tuple[str, ...] = (
    "text.v1", "published.v1", "places.v1", "dates.v1", "events.v1", "claims.v1", "statements.v1",
)


def register(name: str, target: str) -> None:
    """Make a stage available under `name` ("module:function"), e.g. to replace one."""
    REGISTRY[name] = target


def load_stage(name: str) -> Stage:
    module, _, func = REGISTRY[name].partition(":")
    return getattr(importlib.import_module(module), func)


@dataclass(frozen=True)
class Pipeline:
    """An ordered list of stages; call it on a report to get its analysis."""

    stage_names: tuple[str, ...] = DEFAULT_STAGES

    def stages(self) -> list[tuple[str, Stage]]:
        return [(name, load_stage(name)) for name in self.stage_names]

    def __call__(self, report: Report) -> Analysis:
        return run_stages(report, self.stages())

    def run(self, reports: Iterable[Report]) -> Iterator[Analysis]:
        stages = self.stages()
        for report in reports:
            yield run_stages(report, stages)


def run_stages(report: Report, stages: Sequence[tuple[str, Stage]]) -> Analysis:
    analysis = Analysis(report=report)
    for name, stage in stages:
        try:
            analysis = stage(analysis)
        except Exception as exc:  # noqa: BLE001 - a stage failure is data, not a crash
            problem = Problem(doc=report.doc, stage=name, message=f"{type(exc).__name__}: {exc}")
            analysis = replace(analysis, problems=(*analysis.problems, problem))
    return analysis
