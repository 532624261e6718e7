"""Tests of `eventledger.parallel`: several processes, the same records in the same order.

Reports are generated (`bench_corpus`) or come from the sample corpus; no timing is asserted.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventledger import api
from eventledger.bench_corpus import generate
from eventledger.cli import main
from eventledger.ingest import IngestFailure
from eventledger.limits import Limits
from eventledger.models import Analysis
from eventledger.parallel import ParallelPipeline, analyse_parallel

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def records(items: list) -> list:
    return [r for i in items if isinstance(i, Analysis) for r in i.records()]


def test_two_workers_give_the_same_analyses_in_input_order() -> None:
    reports = generate(7, seed=11, words=250)
    failure = IngestFailure("broken.txt", "empty file")
    items = [*reports[:3], failure, *reports[3:]]
    one = list(analyse_parallel(items, workers=1))
    two = list(analyse_parallel(items, workers=2, chunksize=2))
    assert two == one  # whole analyses: sentences, places, dates, records, problems
    assert [getattr(i, "report", i) for i in two] == [*reports[:3], failure, *reports[3:]]
    assert two[3] is not failure and two[3] == failure  # passed through, in its place
    assert records(one)  # there was something to compare


def test_a_pool_is_reused_across_batches() -> None:
    reports = generate(4, seed=3, words=150)
    with ParallelPipeline(workers=2, chunksize=1) as pool:
        pool.wait_ready()
        first = list(pool.map(reports))
        second = list(pool.map(reversed(reports)))
    assert [a.report.doc for a in first] == [r.doc for r in reports]
    assert second == first[::-1]


def test_worker_count_is_checked() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ParallelPipeline(workers=0)


def test_extract_with_workers_on_the_samples(tmp_path: Path) -> None:
    one = list(api.extract([SAMPLES]))
    runner = CliRunner()
    out = tmp_path / "two.jsonl"
    result = runner.invoke(main, ["extract", str(SAMPLES), "--out", str(out), "--workers", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    api.extract_to_jsonl([SAMPLES], tmp_path / "one.jsonl")
    assert out.read_text(encoding="utf-8") == (tmp_path / "one.jsonl").read_text(encoding="utf-8")
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(records(one))


def test_single_worker_runs_in_process() -> None:
    reports = generate(2, seed=5, words=120)
    analyses = list(analyse_parallel(reports, workers=1))
    assert [dataclasses.replace(a.report) for a in analyses] == reports


def test_limits_reach_the_worker_processes() -> None:
    reports = generate(3, seed=5, words=400)
    limits = Limits(max_records=2)
    one = list(analyse_parallel(reports, workers=1, limits=limits))
    two = list(analyse_parallel(reports, workers=2, chunksize=1, limits=limits))
    assert two == one
    assert all(len(a.events) + len(a.claims) + len(a.statements) <= 2 for a in two)
    assert any(p.stage == "pipeline" for a in two for p in a.problems)  # the cut is reported


def test_warm_up_loads_the_stages_and_freezes_their_data() -> None:
    import gc

    from eventledger.pipeline import YOUNG_GC_THRESHOLD, warm_up

    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    stages = warm_up(("text.v1", "places.v1"))
    assert [name for name, _ in stages] == ["text.v1", "places.v1"]
    assert gc.get_freeze_count() > 10_000  # the gazetteer, out of the collector's sight
    assert gc.get_count()[2] == 0  # collected just before freezing
    assert gc.get_threshold()[0] >= YOUNG_GC_THRESHOLD  # young collections made rare for the batch
