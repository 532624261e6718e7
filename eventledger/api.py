"""The library API behind every command: extract, ingest, export, evaluate.

Each function takes paths or records and returns a summary; none prints. The CLI
(`eventledger.cli`) is a thin skin over these.
"""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from eventledger.export import dumps_record
from eventledger.ingest import IngestFailure, Limits, read_paths
from eventledger.models import Analysis, Problem, Report, RunSummary
from eventledger.pipeline import Pipeline
from eventledger.query import EventQuery

STALE_WARNING = ("warning: stale: an ingest stopped before deciding near-copies, records read twice and incidents;"
                 " the counts above may change. The next `eventledger ingest` repairs it.")
Progress = Callable[[Analysis | IngestFailure], None]


def analyse(reports: Iterable[Report], *, pipeline: Pipeline | None = None) -> Iterator[Analysis]:
    """Run the pipeline over reports you already hold (no files involved)."""
    return (pipeline or Pipeline()).run(reports)


def extract(paths: Iterable[str | Path], *, pipeline: Pipeline | None = None,
            limits: Limits | None = None, workers: int = 1) -> Iterator[Analysis | IngestFailure]:
    """Read every report under `paths` and analyse it; failures are yielded, never raised.

    With `workers > 1` the reports are analysed on that many processes (`eventledger.parallel`);
    the results are the same, in the same order.
    """
    from eventledger.parallel import analyse_parallel  # with one worker, in this process

    limits = limits or (pipeline.limits if pipeline else Limits())
    yield from analyse_parallel(read_paths(paths, limits=limits), workers=workers,
                                pipeline_names=(pipeline or Pipeline()).stage_names, limits=limits)


def extract_dask(paths: Iterable[str | Path], out_dir: str | Path, *, scheduler: Any = None,
                 partition_size: int | None = None, corroborate: bool = True,
                 limits: Limits | None = None) -> RunSummary:
    """`eventledger extract --engine dask`: the pipeline on a Dask cluster (`scheduler`: its
    address, or None for one on this machine), records as partitioned Parquet in `out_dir`."""
    from eventledger.distributed import DEFAULT_PARTITION_SIZE, run_dask

    return run_dask(paths, scheduler=scheduler, out_dir=out_dir, corroborate=corroborate, limits=limits,
                    partition_size=partition_size or DEFAULT_PARTITION_SIZE)


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
                     limits: Limits | None = None, workers: int = 1) -> RunSummary:
    """`eventledger extract`: all records of all reports under `paths` into one JSONL file.

    Records are written once the whole batch is read: near-copies (`duplicate_of`), records read
    twice from repeated passages and incidents are decided over all of it (`eventledger.corroborate`).
    The file is written to a temporary name and renamed when complete; a run that read no
    report leaves no file (and an existing one as it was).
    """
    target = Path(out)
    tmp = target.with_name(target.name + ".part")
    items = _corroborated(_collected(extract(paths, limits=limits, workers=workers), progress))
    with tmp.open("w", encoding="utf-8") as f:
        summary = write_jsonl(items, f)
    if summary.documents == 0:
        tmp.unlink()
    else:
        tmp.replace(target)
    return summary


def _collected(items: Iterable[Analysis | IngestFailure], progress: Progress | None) -> list[Analysis | IngestFailure]:
    out = []
    for item in items:
        out.append(item)
        if progress:
            progress(item)
    return out


def _corroborated(items: list[Analysis | IngestFailure]) -> list[Analysis | IngestFailure]:
    """The items with their analyses corroborated as one batch; failures stay where they were."""
    from eventledger.corroborate import corroborate

    analyses = iter(corroborate([i for i in items if isinstance(i, Analysis)]))
    return [next(analyses) if isinstance(i, Analysis) else i for i in items]


def ingest(paths: Iterable[str | Path], *, db: str | Path = "ledger.db", progress: Progress | None = None,
           limits: Limits | None = None, workers: int = 1) -> RunSummary:
    """`eventledger ingest`: analyse reports and store them, one transaction per document; then
    near-copies, records read twice and incidents are decided again where the documents written
    change them (`corroborate.incremental`: the whole-ledger decisions, without reloading the ledger).
    A run that creates the ledger and reads no report removes it again: a failed run leaves no
    empty database."""
    from eventledger.corroborate.incremental import corroborate_incremental
    from eventledger.restore import is_export, restore
    from eventledger.store import Ledger

    summary = RunSummary()
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    exports = [p for p in given if is_export(p)]  # its own export, named as a file: a restore
    created = not Path(db).exists()
    with Ledger(db) as ledger:
        for export_file in exports:
            corroborate_incremental(ledger)  # what is pending is decided before a restore sets its own
            for item in restore(export_file, ledger):
                summary.add(item)
                if progress:
                    progress(item)
        reports = [p for p in given if p not in exports]
        for item in extract(reports, limits=limits, workers=workers) if reports else ():
            if isinstance(item, Analysis):
                item = _unclashed(ledger, item)
                ledger.write(item)
            else:
                ledger.add_failure(item.path, item.reason)
            summary.add(item)
            if progress:
                progress(item)
        corroborate_incremental(ledger)
    if created and summary.documents == 0:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return summary


def _unclashed(ledger: Any, analysis: Analysis) -> Analysis:
    """`analysis`, under a qualified id when the ledger holds another report under its id (one
    from another source path, with another text): a clash is reported, never overwritten.
    The same file or the same text again is a re-ingest, and replaces."""
    import hashlib

    from eventledger.ingest.names import clash_note, free_id

    report = analysis.report
    stored = ledger.stored_origin(report.doc)
    sha1 = hashlib.sha1(report.text.encode("utf-8")).hexdigest()

    def other(doc: str) -> bool:
        found = ledger.stored_origin(doc)
        return found is not None and found[0] != report.source_path and found[1] != sha1

    if not other(report.doc):
        return analysis
    new = free_id(report.doc, report.source_path or "", other)
    return renamed(analysis, new, clash_note(report.doc, stored[0] if stored else None, new))


def renamed(analysis: Analysis, doc: str, note: str) -> Analysis:
    """`analysis` with every record under the id `doc`, and `note` as a problem of stage ingest."""
    from dataclasses import replace

    from eventledger.pipeline import READER

    def move(records: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(replace(r, doc=doc) for r in records)

    problems = (*move(analysis.problems), Problem(doc, READER, note))
    return replace(analysis, report=replace(analysis.report, doc=doc), events=move(analysis.events),
                   claims=move(analysis.claims), statements=move(analysis.statements), problems=problems)


def import_export(paths: Iterable[str | Path], *, db: str | Path = "ledger.db",
                  progress: Progress | None = None) -> RunSummary:
    """`eventledger import`: store the records of `jsonl` exports as they are (`eventledger.restore`)."""
    from eventledger.corroborate.incremental import corroborate_incremental
    from eventledger.restore import restore
    from eventledger.store import Ledger

    summary = RunSummary()
    with Ledger(db) as ledger:
        corroborate_incremental(ledger)
        for path in paths:
            try:
                items = list(restore(path, ledger))
            except (OSError, UnicodeDecodeError) as exc:
                items = [IngestFailure(str(path), f"cannot read export ({exc})")]
            for item in items:
                if isinstance(item, IngestFailure):
                    ledger.add_failure(item.path, item.reason)
                summary.add(item)
                if progress:
                    progress(item)
    return summary


def export_ledger(db: str | Path, fmt: str, out: str | Path | IO[str] | None, *, reviewed_only: bool = False,
                  query: EventQuery | None = None) -> int:
    """`eventledger export`: the ledger in format `fmt`; returns rows written.

    ``jsonl`` (and ``parquet`` into a folder) is every record as extracted, or with
    `reviewed_only` the records a reviewer accepted or edited, with their edits
    (`Ledger.reviewed_records`). The event formats (``csv``, ``acled-csv``, ``geojson``,
    ``parquet`` as one file) are the events `query` selects, with reviewers' edits and
    without rejected events, exactly as the browser downloads them (`export.export_events`)."""
    from eventledger.corroborate.ledger import ledger_corroboration
    from eventledger.export import export, export_events
    from eventledger.store import Ledger

    to_folder = fmt == "parquet" and isinstance(out, str | Path) and Path(out).is_dir()
    with Ledger(db, readonly=True) as ledger:
        if fmt != "jsonl" and not to_folder:
            return export_events(ledger, query, fmt, None if out == "-" else out, reviewed_only=reviewed_only)
        if query is not None and not query.is_empty():
            raise ValueError(f"filters select events: they apply to csv, acled-csv, geojson and parquet, not {fmt}")
        documents = {d.doc: d for d in ledger.documents()}
        records = ledger.reviewed_records() if reviewed_only else ledger.records()
        return export(records, fmt, None if out == "-" else out, documents=documents,
                      corroboration=ledger_corroboration(ledger))


def ledger_summary(db: str | Path) -> dict[str, Any]:
    """`eventledger summary`: what the ledger holds."""
    from eventledger.corroborate.ledger import corroboration_counts
    from eventledger.store import Ledger

    with Ledger(db, readonly=True) as ledger:
        return {**ledger.summary(), "incidents_by_corroboration": corroboration_counts(ledger)}


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
        f"incidents   {info.get('incidents', 0)}" + _by_corroboration(info.get("incidents_by_corroboration", {})),
        f"near-copies {info.get('duplicate_documents', 0)} documents (their records are not counted)",
    ]
    if info.get("stale"):
        lines.append(STALE_WARNING)
    return "\n".join(lines)


def _by_corroboration(levels: dict[int, int]) -> str:
    parts = [f"{n} with {level}" for level, n in sorted(levels.items())]
    return f"  (independent affiliations reporting each: {', '.join(parts)})" if parts else ""


def incidents_text(db: str | Path, *, as_json: bool = False) -> str:
    """`eventledger incidents`: every incident with its reports and corroboration."""
    from eventledger.corroborate.ledger import ledger_incidents
    from eventledger.corroborate.render import format_incidents, incident_data
    from eventledger.store import Ledger

    with Ledger(db, readonly=True) as ledger:
        found = ledger_incidents(ledger)
        if as_json:
            return json.dumps([incident_data(i) for i in found], ensure_ascii=False, indent=2)
        return format_incidents(found, {d.doc: d for d in ledger.documents()})


def figures_text(db: str | Path, *, as_json: bool = False, min_sources: int = 2) -> str:
    """`eventledger figures`: claims of one category, place and period from different sources."""
    from eventledger.corroborate.ledger import ledger_figures
    from eventledger.corroborate.render import figure_data, format_figures
    from eventledger.store import Ledger

    with Ledger(db, readonly=True) as ledger:
        groups = ledger_figures(ledger, min_sources=min_sources)
        if as_json:
            return json.dumps([figure_data(g) for g in groups], ensure_ascii=False, indent=2)
        return format_figures(groups, {d.doc: d for d in ledger.documents()})


class _IngestPackage(types.ModuleType):
    """The package `eventledger.ingest`, callable as `ingest` above.

    The public API is `from eventledger import extract, ingest` (README, `eventledger.__all__`), but
    once the package `eventledger.ingest` is imported (this module imports it) it is an attribute of
    `eventledger` that the package's `__getattr__` cannot override: Python sets a subpackage on its
    parent. So the package answers a call as `ingest` does, and `eventledger.ingest.urls` and
    `from eventledger.ingest import read_paths` keep working."""

    def __call__(self, paths: Iterable[str | Path], **options: Any) -> RunSummary:
        return ingest(paths, **options)


sys.modules["eventledger.ingest"].__class__ = _IngestPackage
