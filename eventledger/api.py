"""The library API behind every command: extract, ingest, export, evaluate.

Each function takes paths or records and returns a summary; none prints. The CLI
(`eventledger.cli`) is a thin skin over these.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from eventledger.export import dumps_record
from eventledger.ingest import IngestFailure, Limits, read_paths
from eventledger.models import Analysis, Problem, Report
from eventledger.pipeline import Pipeline, run_stages

Progress = Callable[[Analysis | IngestFailure], None]


@dataclass
class RunSummary:
    """What a batch did: documents read, records made, inputs skipped and why."""

    documents: int = 0
    records: Counter = field(default_factory=Counter)
    failures: list[IngestFailure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failures and not self.problems

    def add(self, item: Analysis | IngestFailure) -> None:
        if isinstance(item, IngestFailure):
            self.failures.append(item)
            return
        self.documents += 1
        for record in item.records():
            self.records[record.kind] += 1
        self.problems.extend(item.problems)


def analyse(reports: Iterable[Report], *, pipeline: Pipeline | None = None) -> Iterator[Analysis]:
    """Run the pipeline over reports you already hold (no files involved)."""
    return (pipeline or Pipeline()).run(reports)


def extract(paths: Iterable[str | Path], *, pipeline: Pipeline | None = None,
            limits: Limits | None = None) -> Iterator[Analysis | IngestFailure]:
    """Read every report under `paths` and analyse it; failures are yielded, never raised."""
    stages = (pipeline or Pipeline()).stages()
    for item in read_paths(paths, limits=limits or Limits()):
        yield item if isinstance(item, IngestFailure) else run_stages(item, stages)


def write_jsonl(analyses: Iterable[Analysis | IngestFailure], out: IO[str], *,
                progress: Progress | None = None) -> RunSummary:
    """Write the records of each analysis as JSON Lines; return what was done."""
    summary = RunSummary()
    for item in analyses:
        summary.add(item)
        if progress:
            progress(item)
        if isinstance(item, Analysis):
            for record in item.records():
                out.write(dumps_record(record) + "\n")
    return summary


def extract_to_jsonl(paths: Iterable[str | Path], out: str | Path, *, progress: Progress | None = None,
                     limits: Limits | None = None) -> RunSummary:
    """`eventledger extract`: all records of all reports under `paths` into one JSONL file.

    The file is written to a temporary name and renamed when complete.
    """
    target = Path(out)
    tmp = target.with_name(target.name + ".part")
    with tmp.open("w", encoding="utf-8") as f:
        summary = write_jsonl(extract(paths, limits=limits), f, progress=progress)
    tmp.replace(target)
    return summary


def ingest(paths: Iterable[str | Path], *, db: str | Path = "ledger.db", progress: Progress | None = None,
           limits: Limits | None = None) -> RunSummary:
    """`eventledger ingest`: analyse reports and store them, one transaction per document."""
    from eventledger.store import Ledger

    summary = RunSummary()
    with Ledger(db) as ledger:
        for item in extract(paths, limits=limits):
            summary.add(item)
            if isinstance(item, Analysis):
                ledger.write(item)
            if progress:
                progress(item)
    return summary


def export_ledger(db: str | Path, fmt: str, out: str | Path | IO[str] | None) -> int:
    """`eventledger export`: every record of the ledger in format `fmt`; returns rows written."""
    from eventledger.export import export
    from eventledger.store import Ledger

    with Ledger(db) as ledger:
        documents = {d.doc: d for d in ledger.documents()}
        return export(ledger.records(), fmt, None if out == "-" else out, documents=documents)


def ledger_summary(db: str | Path) -> dict[str, Any]:
    """`eventledger summary`: what the ledger holds."""
    from eventledger.store import Ledger

    with Ledger(db) as ledger:
        return ledger.summary()


def format_ledger_summary(info: dict[str, Any]) -> str:
    """The summary as a few lines of text."""
    by_type = ", ".join(f"{n} {t}" for t, n in sorted(info.get("events_by_type", {}).items(), key=lambda x: -x[1]))
    lines = [
        f"documents   {info.get('documents', 0)}",
        f"events      {info.get('events', 0)}" + (f"  ({by_type})" if by_type else ""),
        f"claims      {info.get('claims', 0)}",
        f"statements  {info.get('statements', 0)}",
        f"dates       {info.get('date_from') or '-'} to {info.get('date_to') or '-'}",
        f"places      {info.get('places', 0)} distinct towns and provinces",
    ]
    return "\n".join(lines)
