"""Tests of `eventledger.distributed`: the pipeline on a Dask cluster, records as Parquet.

The cluster is a `distributed.LocalCluster` of two worker processes on this machine, started
once for the module. The sample corpus must give the records of the single-machine path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventledger import api
from eventledger.distributed import TABLES, Unit, plan, read_records, run_dask
from eventledger.export import read_jsonl
from eventledger.ingest import Limits
from eventledger.models import Analysis

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def local_records(paths: list[Path]) -> list:
    return [r for i in api.extract(paths) if isinstance(i, Analysis) for r in i.records()]


def test_plan_cuts_large_json_lines_files_into_slices(tmp_path: Path) -> None:
    rows = tmp_path / "many.jsonl"
    rows.write_text("".join(json.dumps({"id": f"r{i}", "text": f"Row {i}."}) + "\n" for i in range(5)))
    (tmp_path / "one.txt").write_text("Workers rallied in Arak.\n")
    partitions = plan([tmp_path], partition_size=2, limits=Limits())
    data = rows.read_bytes()
    offsets = [0, *[i + 1 for i, b in enumerate(data) if b == ord("\n")]]
    assert partitions == [
        [Unit(str(rows), start=0, stop=offsets[2], line=1, size=2)],
        [Unit(str(rows), start=offsets[2], stop=offsets[4], line=3, size=2)],
        [Unit(str(rows), start=offsets[4], stop=len(data), line=5, size=1), Unit(str(tmp_path / "one.txt"))],
    ]


def test_same_records_as_the_local_path(scheduler: str, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    summary = run_dask([SAMPLES], scheduler=scheduler, out_dir=out, partition_size=2, corroborate=False)
    expected = local_records([SAMPLES])
    assert list(read_records(out)) == expected
    assert summary.documents == sum(1 for r in expected if r.kind == "document")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["partitions"] > 1 and manifest["documents"] == summary.documents
    for table in TABLES.values():  # every kind has every partition's file
        assert len(list((out / table).glob("part-*.parquet"))) == manifest["partitions"]


def test_corroborated_like_extract(scheduler: str, tmp_path: Path) -> None:
    run_dask([SAMPLES], scheduler=scheduler, out_dir=tmp_path / "parquet", partition_size=3)
    api.extract_to_jsonl([SAMPLES], tmp_path / "local.jsonl")
    assert list(read_records(tmp_path / "parquet")) == list(read_jsonl(tmp_path / "local.jsonl"))


def test_failures_are_reported(scheduler: str, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "report.txt").write_text("Teachers rallied in Shiraz on Monday over unpaid wages.\n")
    summary = run_dask([tmp_path], scheduler=scheduler, out_dir=tmp_path / "out", corroborate=False)
    assert summary.documents == 1
    assert [(f.path, f.reason) for f in summary.failures] == [(str(tmp_path / "empty.txt"), "empty file")]


def test_cli_engine_dask(scheduler: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from eventledger.cli import main

    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(SAMPLES), "--engine", "dask", "--scheduler", scheduler,
                                  "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert list(read_records(out)) == list(read_jsonl(_local_jsonl(tmp_path)))


def _local_jsonl(tmp_path: Path) -> Path:
    target = tmp_path / "local.jsonl"
    api.extract_to_jsonl([SAMPLES], target)
    return target


def test_dask_options_need_the_dask_engine(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from eventledger.cli import main

    result = CliRunner().invoke(main, ["extract", str(SAMPLES), "--out", str(tmp_path / "x.jsonl"),
                                       "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2


def test_limits_reach_the_dask_workers(scheduler: str, tmp_path: Path) -> None:
    summary = run_dask([SAMPLES], scheduler=scheduler, out_dir=tmp_path / "out", corroborate=False,
                       limits=Limits(max_records=2))
    per_doc: dict[str, int] = {}
    for record in read_records(tmp_path / "out"):
        per_doc[record.doc] = per_doc.get(record.doc, 0) + 1
    assert summary.documents >= 2 and per_doc
    assert max(per_doc.values()) <= 3  # the document record and two more
