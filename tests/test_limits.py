"""The pipeline's guards and the limits (`eventledger.limits`): time budget, lengths, record counts.

Runaway stages and readers are simulated with a regular expression that backtracks for
minutes; the budget must stop it. No assertion here is about how long anything took.
"""

from __future__ import annotations

import re
import signal
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from eventledger.ingest import IngestFailure, Limits, read_paths
from eventledger.limits import BudgetExceeded, time_budget
from eventledger.models import Analysis, Event, Report, Sentence
from eventledger.pipeline import GUARD, Pipeline, load_stage, run_stages

needs_alarm = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM")
# (a+)+b over this backtracks for about a minute: long enough that only the budget can end it in
# time, short enough that a broken budget fails the test instead of hanging the suite.
RUNAWAY = "a" * 29
TEXT = "Police arrested 12 protesters in Mashhad on Friday, a rights group said.\nWorkers rallied in Ahvaz."


def runaway(analysis: Analysis) -> Analysis:
    """A stage stuck in catastrophic backtracking (a minute, unless interrupted)."""
    re.match(r"(a+)+b", RUNAWAY)
    return analysis


def words(analysis: Analysis) -> Analysis:
    """A stage that makes one sentence per word."""
    found = re.finditer(r"\S+", analysis.report.text)
    return replace(analysis, sentences=tuple(Sentence(m.start(), m.end(), m.group()) for m in found))


def many_events(analysis: Analysis) -> Analysis:
    events = tuple(Event(doc=analysis.report.doc, event_type="protest", evidence="Workers",
                         evidence_start=TEXT.index("Workers"), evidence_end=TEXT.index("Workers") + 7)
                   for _ in range(20))
    return replace(analysis, events=events)


def failing(analysis: Analysis) -> Analysis:
    raise ValueError("cannot read " + "x" * 10_000)


def problems(analysis: Analysis) -> list[tuple[str, str]]:
    return [(p.stage, p.message) for p in analysis.problems]


# --------------------------------------------------------------------------- time budget


@needs_alarm
def test_runaway_stage_is_stopped_and_earlier_records_kept() -> None:
    stages = [("words.v1", words), ("runaway.v1", runaway), ("events.v1", many_events)]
    analysis = run_stages(Report(doc="a", text=TEXT), stages, limits=Limits(seconds=0.3))
    assert problems(analysis) == [(GUARD, "time budget of 0.3 s exceeded; stopped in runaway.v1; skipped events.v1")]
    assert len(analysis.sentences) == len(TEXT.split()) and analysis.events == ()


def test_budget_without_signals_skips_the_stages_after_the_deadline() -> None:
    """Outside the main thread the budget cannot interrupt; it stops between stages."""
    out: list[Analysis] = []
    stages = [("words.v1", words), ("events.v1", many_events)]
    worker = threading.Thread(target=lambda: out.append(run_stages(Report(doc="a", text=TEXT), stages,
                                                                   limits=Limits(seconds=1e-9))))
    worker.start()
    worker.join()
    [analysis] = out
    assert problems(analysis) == [(GUARD, "time budget of 1e-09 s exceeded; skipped events.v1")]
    assert analysis.sentences and not analysis.events


def test_no_budget_runs_every_stage() -> None:
    stages = [("words.v1", words), ("events.v1", many_events)]
    analysis = run_stages(Report(doc="a", text=TEXT), stages, limits=Limits(seconds=None))
    assert analysis.problems == () and len(analysis.events) == 20


@needs_alarm
def test_budget_restores_the_previous_alarm_handler() -> None:
    def mine(signum: int, frame: object) -> None:
        raise AssertionError("not expected")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with time_budget(5) as budget:  # someone else's handler: the budget is soft
            assert not budget.hard
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)
    with time_budget(5) as budget:
        assert budget.hard
        with time_budget(5) as inner:  # nested: soft
            assert not inner.hard
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == previous


@needs_alarm
def test_budget_is_a_base_exception_that_except_exception_does_not_swallow() -> None:
    assert not issubclass(BudgetExceeded, Exception)

    def stubborn(analysis: Analysis) -> Analysis:
        try:
            return runaway(analysis)
        except Exception:  # noqa: BLE001 - what a careless stage might do
            return analysis

    analysis = run_stages(Report(doc="a", text=TEXT), [("stubborn.v1", stubborn)], limits=Limits(seconds=0.2))
    assert problems(analysis) == [(GUARD, "time budget of 0.2 s exceeded; stopped in stubborn.v1")]


@needs_alarm
def test_runaway_reader_is_stopped_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eventledger.ingest import text as text_reader

    real_read = text_reader.read

    def read(path: Path, data: bytes, registry: object) -> list[Report]:
        if path.name == "slow.txt":
            re.match(r"(a+)+b", RUNAWAY)
        return real_read(path, data, registry)

    monkeypatch.setattr(text_reader, "read", read)
    (tmp_path / "a-slow.txt").write_text(TEXT)
    (tmp_path / "slow.txt").write_text(TEXT)
    (tmp_path / "z-fine.txt").write_text(TEXT)
    items = list(read_paths([tmp_path], limits=Limits(seconds=0.3)))
    assert [type(i).__name__ for i in items] == ["Report", "IngestFailure", "Report"]
    assert items[1] == IngestFailure(str(tmp_path / "slow.txt"), "reading took longer than the time budget of 0.3 s")


# --------------------------------------------------------------------------- lengths, counts, failures


def test_long_sentences_are_cut_and_reported() -> None:
    text = "Workers rallied " + "and marched " * 40 + "in Ahvaz."
    analysis = run_stages(Report(doc="a", text=text), [("text.v1", load_stage("text.v1"))],
                          limits=Limits(max_sentence_chars=100))
    assert problems(analysis) == [(GUARD, "1 sentence longer than 100 characters cut into pieces")]
    assert all(len(s.text) <= 100 and text[s.start:s.end] == s.text for s in analysis.sentences)
    assert " ".join(s.text for s in analysis.sentences).split() == text.split()


def test_too_many_records_are_capped() -> None:
    analysis = run_stages(Report(doc="a", text=TEXT), [("events.v1", many_events)], limits=Limits(max_records=5))
    assert len(analysis.events) == 5
    assert problems(analysis) == [(GUARD, "too many records: kept 5 of 20")]


def test_failing_stage_is_recorded_briefly_and_the_others_run() -> None:
    def nothing(analysis: Analysis) -> None:
        return None

    stages = [("failing.v1", failing), ("nothing.v1", nothing), ("events.v1", many_events)]
    analysis = run_stages(Report(doc="a", text=TEXT), stages)
    [(stage1, message1), (stage2, message2)] = problems(analysis)
    assert (stage1, stage2) == ("failing.v1", "nothing.v1")
    assert message1.startswith("ValueError: cannot read xxx") and len(message1) <= 300
    assert message2 == "returned NoneType, not an Analysis"
    assert len(analysis.events) == 20


def test_pipeline_carries_its_limits() -> None:
    pipeline = Pipeline(stage_names=("text.v1",), limits=Limits(max_sentence_chars=20))
    analysis = pipeline(Report(doc="a", text=TEXT))
    assert all(len(s.text) <= 20 for s in analysis.sentences)
    assert [p.stage for p in analysis.problems] == [GUARD]
