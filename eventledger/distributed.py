"""The distributed engine: the same pipeline on a Dask cluster, records as partitioned Parquet.

    summary = run_dask(["reports/"], scheduler="tcp://10.0.0.5:8786", out_dir="out/")
    for record in read_records("out/"):        # the records, in input order
        ...

The client lists the input files and cuts them into **partitions** of about
`partition_size` reports: consecutive files, and large JSON Lines files cut into slices of
rows (found by scanning the file for line ends). Each partition is one task: a worker reads
its files, runs the pipeline (loaded once per worker process) and the records go to

    out_dir/documents/part-00000.parquet   out_dir/events/part-00000.parquet
    out_dir/claims/part-00000.parquet      out_dir/statements/part-00000.parquet   ...

one file per kind and partition (empty partitions too, so every kind has every part), plus
`out_dir/manifest.json` with the counts and the inputs that were skipped. Workers read the
inputs by the paths the client gives, so inputs must be on storage every worker sees.

`corroborate=True` (the default, as `eventledger extract` does) decides near-copies,
repeated passages and incidents over the whole batch: the analyses come back to the client,
which corroborates them and writes the files (holding the batch in memory, as the local
path does). With `corroborate=False` every record stays on the workers, which write the
files themselves (so `out_dir` must be shared storage too); that is the mode for batches
larger than the client's memory, and its records are `eventledger.extract`'s exactly.

Dask (``pip install 'eventledger[dask]'``) is imported only by the functions of this module.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from eventledger.ingest import IngestFailure, Limits, kind_of, read_paths, sources
from eventledger.ingest import jsonl as jsonl_reader
from eventledger.ingest.names import clean_report, escape_name
from eventledger.ingest.sources import load_registry
from eventledger.models import RECORD_TYPES, Analysis, Record, Report, RunSummary, record_from_dict
from eventledger.pipeline import (
    DEFAULT_STAGES,
    REGISTRY,
    Stage,
    StageSpec,
    check_order,
    load_stage,
    register,
    run_stages,
)

DEFAULT_PARTITION_SIZE = 500
TABLES = {"document": "documents", "event": "events", "claim": "claims", "statement": "statements"}
MANIFEST = "manifest.json"
_SNIFF_BYTES = 8192
_SCAN_BLOCK = 1 << 20
Item = Report | IngestFailure


class DaskUnavailable(ImportError):
    """Dask is not installed (`pip install 'eventledger[dask]'`)."""


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Unit:
    """A file, or a slice of a JSON Lines file's rows: bytes [start, stop), first row `line`."""

    path: str
    start: int = 0
    stop: int | None = None  # None: the whole file, read as the local path reads it
    line: int = 1
    size: int = 1  # reports it is expected to give
    name: str = field(default="", compare=False)  # the name relative to its argument (`ingest.sources`)


def _line_starts(path: Path, every: int) -> list[tuple[int, int]]:
    """(byte offset, line number) of line 1 and every `every`-th line after it, and of the end."""
    marks, line, offset, last = [(0, 1)], 1, 0, b"\n"
    with path.open("rb") as handle:
        while block := handle.read(_SCAN_BLOCK):
            start = 0
            while (found := block.find(b"\n", start)) != -1:
                line += 1
                start = found + 1
                if (line - 1) % every == 0:
                    marks.append((offset + start, line))
            offset += len(block)
            last = block[-1:]
    if marks[-1][0] != offset:
        marks.append((offset, line if last == b"\n" else line + 1))
    return marks


def _sliceable(path: Path, limits: Limits) -> bool:
    """A JSON Lines file the local reader would read row by row (so its rows can be split)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    return kind_of(path) == "jsonl" and 0 < size <= limits.max_jsonl_bytes and b"\x00" not in head


def units(paths: Iterable[str | Path], *, partition_size: int, limits: Limits) -> Iterator[Unit]:
    """The work of `paths`: one unit per file, JSON Lines files of many rows cut in slices."""
    for found in sources(paths):
        if isinstance(found, IngestFailure):  # an unreadable folder: its path reads as a failure
            yield Unit(found.path)
            continue
        path, name = found
        if not _sliceable(path, limits):
            yield Unit(str(path), name=name)
            continue
        marks = _line_starts(path, partition_size)
        if len(marks) <= 2:
            yield Unit(str(path), size=max(1, marks[-1][1] - 1))
            continue
        for (start, line), (stop, next_line) in pairwise(marks):
            yield Unit(str(path), start=start, stop=stop, line=line, size=next_line - line)


def plan(paths: Iterable[str | Path], *, partition_size: int = DEFAULT_PARTITION_SIZE,
         limits: Limits | None = None) -> list[list[Unit]]:
    """Consecutive units grouped into partitions of at most `partition_size` expected reports."""
    partitions: list[list[Unit]] = []
    current: list[Unit] = []
    load = 0
    for unit in units(paths, partition_size=partition_size, limits=limits or Limits()):
        if current and load + unit.size > partition_size:
            partitions.append(current)
            current, load = [], 0
        current.append(unit)
        load += unit.size
    if current:
        partitions.append(current)
    return partitions


# --------------------------------------------------------------------------- on a worker


@lru_cache(maxsize=4)
def _stages(targets: tuple[tuple[str, StageSpec], ...]) -> list[tuple[str, Stage]]:
    """The pipeline of this worker process, loaded once (with the client's registrations)."""
    for name, target in targets:
        register(name, target)
    return [(name, load_stage(name)) for name, _ in targets]


def _slice_items(unit: Unit, limits: Limits) -> Iterator[Item]:
    """The rows of a JSON Lines slice, as the JSON Lines reader reads them."""
    path = Path(unit.path)
    registry = load_registry()
    with path.open("rb") as handle:
        handle.seek(unit.start)
        data = handle.read((unit.stop or 0) - unit.start)
    for number, raw in enumerate(data.splitlines(keepends=True), start=unit.line):
        line = raw.rstrip(b"\r\n")
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        item = jsonl_reader.read_row(line, f"{path}:{number}", path, registry, limits.max_bytes)
        if item is not None:
            yield clean_report(item) if isinstance(item, Report) else item


def _read_unit(unit: Unit, limits: Limits) -> Iterator[Item]:
    if unit.stop is None:
        return _named(read_paths([unit.path], limits=limits), unit)
    return _slice_items(unit, limits)


def _named(items: Iterator[Item], unit: Unit) -> Iterator[Item]:
    """A text or HTML report under its name relative to its argument, as the local engine names it."""
    base = escape_name(Path(unit.path).name)
    for item in items:
        if unit.name and isinstance(item, Report) and item.fmt in ("text", "html") and item.doc == base:
            item = replace(item, doc=unit.name)
        yield item


def analyse_partition(partition: Sequence[Unit], targets: tuple[tuple[str, StageSpec], ...],
                      limits: Limits) -> list[Analysis | IngestFailure]:
    """Read and analyse one partition (runs on a worker)."""
    stages = _stages(targets)
    out: list[Analysis | IngestFailure] = []
    for unit in partition:
        for item in _read_unit(unit, limits):
            out.append(item if isinstance(item, IngestFailure) else run_stages(item, stages, limits=limits))
    return out


def write_partition(index: int, items: Sequence[Analysis | IngestFailure], out_dir: str | Path) -> dict[str, Any]:
    """Write one partition's records (a Parquet file per kind); return its counts and failures."""
    import pyarrow.parquet as pq

    from eventledger.export import arrow_schema

    analyses = [i for i in items if isinstance(i, Analysis)]
    by_kind: dict[str, list[Record]] = {kind: [] for kind in TABLES}
    for analysis in analyses:
        for record in analysis.records():
            by_kind[record.kind].append(record)
    for kind, records in by_kind.items():
        folder = Path(out_dir) / TABLES[kind]
        folder.mkdir(parents=True, exist_ok=True)
        schema = arrow_schema(RECORD_TYPES[kind])
        pq.write_table(_table(records, schema), folder / f"part-{index:05d}.parquet")
    return {
        "documents": len(analyses),
        "records": {kind: len(records) for kind, records in by_kind.items()},
        "failures": [(f.path, f.reason) for f in items if isinstance(f, IngestFailure)],
        "problems": [p for a in analyses for p in a.problems],
    }


def _table(records: Sequence[Record], schema: Any) -> Any:
    import pyarrow as pa

    columns = [[getattr(r, name) for r in records] for name in schema.names]
    arrays = [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def extract_partition(index: int, partition: Sequence[Unit], targets: tuple[tuple[str, StageSpec], ...],
                      limits: Limits, out_dir: str) -> dict[str, Any]:
    """Read, analyse and write one partition on a worker; return its counts and failures."""
    return write_partition(index, analyse_partition(partition, targets, limits), out_dir)


# --------------------------------------------------------------------------- on the client


@contextmanager
def connect(scheduler: Any) -> Iterator[Any]:
    """A `distributed.Client` for an address, a Client (left open), or None (a cluster of one
    single-threaded worker process per core on this machine, closed afterwards)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable("the dask engine needs `pip install 'eventledger[dask]'`") from exc
    if isinstance(scheduler, Client):
        yield scheduler
    elif scheduler:
        with Client(scheduler) as client:
            yield client
    else:
        # its workers' log noise (heartbeats missed while it shuts down) is not the user's concern;
        # a task that fails still raises here, in the client
        with LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
                Client(cluster) as client:
            yield client


def run_dask(paths: Iterable[str | Path], *, scheduler: Any = None, out_dir: str | Path,
             partition_size: int = DEFAULT_PARTITION_SIZE, corroborate: bool = True,
             limits: Limits | None = None, stage_names: Sequence[str] = DEFAULT_STAGES) -> RunSummary:
    """Extract every report under `paths` on the Dask cluster at `scheduler` (an address such
    as "tcp://host:8786", a `distributed.Client`, or None for a cluster on this machine) into
    partitioned Parquet under `out_dir`; return what was done (see the module docstring)."""
    check_order(stage_names)
    limits = limits or Limits()
    partitions = plan(paths, partition_size=partition_size, limits=limits)
    targets = tuple((name, REGISTRY[name]) for name in stage_names)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with connect(scheduler) as client:
        if corroborate:
            results = _corroborated_partitions(client, partitions, targets, limits, out)
        else:
            futures = [client.submit(extract_partition, i, p, targets, limits, str(out.resolve()), pure=False)
                       for i, p in enumerate(partitions)]
            results = client.gather(futures)
    return _summary(results, out)


def _corroborated_partitions(client: Any, partitions: list[list[Unit]], targets: tuple[tuple[str, StageSpec], ...],
                             limits: Limits, out: Path) -> list[dict[str, Any]]:
    from eventledger.corroborate import corroborate

    futures = [client.submit(analyse_partition, p, targets, limits, pure=False) for p in partitions]
    parts: list[list[Analysis | IngestFailure]] = client.gather(futures)
    flat = [item for part in parts for item in part]
    checked = iter(corroborate([i for i in flat if isinstance(i, Analysis)]))
    rebuilt = [[next(checked) if isinstance(i, Analysis) else i for i in part] for part in parts]
    return [write_partition(index, items, out) for index, items in enumerate(rebuilt)]


def _summary(results: Sequence[dict[str, Any]], out: Path) -> RunSummary:
    summary = RunSummary()
    for part in results:
        summary.documents += part["documents"]
        summary.records.update(part["records"])
        summary.failures.extend(IngestFailure(path, reason) for path, reason in part["failures"])
        summary.problems.extend(part["problems"])
    manifest = {
        "partitions": len(results), "documents": summary.documents, "records": dict(summary.records),
        "tables": list(TABLES.values()), "failures": [[f.path, f.reason] for f in summary.failures],
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return summary


# --------------------------------------------------------------------------- reading back


def read_records(out_dir: str | Path) -> Iterator[Record]:
    """The records under `out_dir`, in input order: per document, its document record, then its
    events, claims and statements (as `Analysis.records()` gives them)."""
    import pyarrow.parquet as pq

    folder = Path(out_dir)
    for part in sorted(p.name for p in (folder / TABLES["document"]).glob("part-*.parquet")):
        rows = {kind: pq.read_table(folder / TABLES[kind] / part).to_pylist() for kind in TABLES}
        by_doc: dict[str, list[Record]] = {}
        for kind in ("event", "claim", "statement"):
            for row in rows[kind]:
                by_doc.setdefault(row["doc"], []).append(record_from_dict({"kind": kind, **row}))
        for row in rows["document"]:
            yield record_from_dict({"kind": "document", **row})
            yield from by_doc.pop(row["doc"], [])
