"""Stages declare what they read and add: a pipeline is checked when it is built, and every record
carries the registered name of the stage that made it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from eventledger.models import Analysis, Claim, Event, Report, Statement
from eventledger.pipeline import (
    ARTIFACTS,
    DEFAULT_STAGES,
    REGISTRY,
    Pipeline,
    PipelineError,
    StageSpec,
    _with_extractor,
    check_order,
    load_stage,
    register,
    run_stages,
)

TEXT = """SHIRAZ, March 3, 2025 - Nurses rallied outside a hospital in Shiraz on Sunday, and security forces \
detained four of them, a union said.

The union said at least 120 health workers have been arrested since January.

"We are not afraid," Mina Farahani, a nurse, told reporters on Monday.
"""


@pytest.fixture
def scratch_registry() -> Iterator[None]:
    saved = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(saved)


def test_a_stage_without_its_inputs_is_refused_when_the_pipeline_is_built() -> None:
    with pytest.raises(PipelineError, match=r"stage 'events\.v1' reads sentences, places, dates, which no earlier"):
        Pipeline(stage_names=("events.v1",))


def test_the_message_names_the_missing_input_and_the_stage_that_adds_it() -> None:
    with pytest.raises(PipelineError) as caught:
        Pipeline(stage_names=("text.v1", "places.v1", "claims.v1"))
    message = str(caught.value)
    assert "'claims.v1' reads dates" in message and "add dates.v1 before it" in message
    assert "text.v1, places.v1" in message  # the earlier stages


def test_a_stage_placed_before_what_it_reads_is_refused() -> None:
    with pytest.raises(PipelineError, match=r"'dates\.v1' reads published"):
        check_order(("text.v1", "dates.v1", "published.v1"))


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(PipelineError, match=r"unknown stage 'events\.v9'"):
        Pipeline(stage_names=("text.v1", "events.v9"))


def test_the_default_pipeline_and_its_prefixes_are_in_order() -> None:
    Pipeline()
    for n in range(len(DEFAULT_STAGES) + 1):
        check_order(DEFAULT_STAGES[:n])


def test_an_unknown_artifact_is_refused_at_registration() -> None:
    with pytest.raises(PipelineError, match="unknown artifact"):
        StageSpec("m:f", reads=("sentense",))


def test_every_record_carries_its_stages_registered_name() -> None:
    analysis = Pipeline()(Report(doc="t", text=TEXT))
    by_kind = {"events": "events.v1", "claims": "claims.v1", "statements": "statements.v1"}
    for kind, name in by_kind.items():
        records = getattr(analysis, kind)
        assert records, kind
        assert {r.extractor for r in records} == {name}


def test_records_of_the_persian_rules_carry_the_stages_name_too() -> None:
    text = "نیروهای امنیتی روز شنبه ۱۸ دی ۱۴۰۴ در زاهدان به معترضان شلیک کردند و دست‌کم پنج نفر کشته شدند."
    analysis = Pipeline()(Report(doc="fa", text=text, published=dt.date(2026, 1, 10), language="fa"))
    assert analysis.events and {e.extractor for e in analysis.events} == {"events.v1"}
    assert {e.actor_class for e in analysis.events} <= {"state", "unknown", "civilians", "opposition", "foreign"}


def test_a_stage_registered_under_a_new_name_shows_in_the_data(scratch_registry: None) -> None:
    register("events.v2", REGISTRY["events.v1"])
    names = tuple("events.v2" if n == "events.v1" else n for n in DEFAULT_STAGES)
    analysis = Pipeline(stage_names=names)(Report(doc="t", text=TEXT))
    assert analysis.events and {e.extractor for e in analysis.events} == {"events.v2"}
    assert {c.extractor for c in analysis.claims} == {"claims.v1"}


def _two_events(analysis: Analysis) -> Analysis:
    return dataclasses.replace(analysis, events=(Event(doc="t", event_type="protest"),) * 2)


def test_an_unregistered_stage_stamps_the_records_it_changed() -> None:
    analysis = run_stages(Report(doc="t", text=TEXT), [("mine.v3", _two_events)])
    assert [e.extractor for e in analysis.events] == ["mine.v3", "mine.v3"]


def test_a_registered_stage_declares_what_it_reads_and_adds(scratch_registry: None) -> None:
    register("custom.v1", f"{__name__}:_two_events", reads=("sentences",), adds=("events",))
    assert load_stage("custom.v1") is _two_events
    with pytest.raises(PipelineError, match=r"'custom\.v1' reads sentences"):
        Pipeline(stage_names=("custom.v1",))
    analysis = Pipeline(stage_names=("text.v1", "custom.v1"))(Report(doc="t", text=TEXT))
    assert {e.extractor for e in analysis.events} == {"custom.v1"}


def _changed(before: Analysis, after: Analysis) -> set[str]:
    """The artifacts a stage changed ("published": the report's publication date)."""
    changed = {f for f in ARTIFACTS if f != "published" and getattr(before, f) != getattr(after, f)}
    if before.report.published != after.report.published:
        changed.add("published")
    return changed


def test_each_default_stage_changes_only_what_it_declares_it_adds() -> None:
    analysis = Analysis(report=Report(doc="t", text=TEXT))
    for name in DEFAULT_STAGES:
        after = load_stage(name)(analysis)
        assert _changed(analysis, after) == set(REGISTRY[name].adds), name
        analysis = after


@pytest.mark.parametrize("record", [
    Event(doc="t", event_type="arrest", location="Yazd", arrests=3, confidence=0.7, incident="i1"),
    Claim(doc="t", value=40, category="arrested", claimed_by="a union", evidence="x", evidence_end=1),
    Statement(doc="t", speaker="A Spokesman", quote="no comment", confidence=0.9),
])
def test_stamping_changes_the_extractor_and_nothing_else(record: Event | Claim | Statement) -> None:
    assert _with_extractor(record, "mine.v2") == dataclasses.replace(record, extractor="mine.v2")


def test_new_records_are_stamped_in_place_and_passed_on_ones_copied() -> None:
    """A stage that passes on records it was given gets stamped copies (the input is never changed); one
    whose records are all new has them stamped where they are."""
    from eventledger.pipeline import _stamped

    passed_on = Event(doc="t", event_type="arrest", location="Yazd", confidence=0.7)
    before = Analysis(report=Report(doc="t", text="x"), events=(passed_on,))
    made = Event(doc="t", event_type="protest", location="Rasht", confidence=0.6)
    stamped = _stamped(dataclasses.replace(before, events=(passed_on, made)), before, "events.v1")
    assert [e.extractor for e in stamped.events] == ["events.v1", "events.v1"]
    assert stamped.events[0] is not passed_on and passed_on.extractor != "events.v1"  # the input is untouched
    assert stamped.events[0] == dataclasses.replace(passed_on, extractor="events.v1")
    fresh = Event(doc="t", event_type="protest", location="Rasht", confidence=0.6)
    alone = _stamped(dataclasses.replace(before, events=(fresh,)), dataclasses.replace(before, events=()), "events.v1")
    assert alone.events[0] is fresh and fresh == dataclasses.replace(made, extractor="events.v1")
