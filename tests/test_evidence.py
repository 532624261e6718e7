"""Every record of the sample corpus carries verbatim evidence at its offsets, and valid codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventledger.api import extract
from eventledger.models import ACTOR_CLASSES, EVENT_TYPES, TACTICS, Analysis

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def analyses() -> list[Analysis]:
    found = [a for a in extract([SAMPLES]) if isinstance(a, Analysis)]
    assert len(found) == 4
    return found


def test_every_record_quotes_its_source_at_its_offsets(analyses: list[Analysis]) -> None:
    records = [r for a in analyses for r in (*a.events, *a.claims, *a.statements)]
    assert len(records) > 15
    for analysis in analyses:
        text = analysis.report.text
        for record in (*analysis.events, *analysis.claims, *analysis.statements):
            assert record.evidence and text[record.evidence_start:record.evidence_end] == record.evidence


def test_events_use_the_codebook_vocabulary(analyses: list[Analysis]) -> None:
    for event in (e for a in analyses for e in a.events):
        assert event.event_type in EVENT_TYPES
        assert event.tactic is None or event.tactic in TACTICS[event.event_type]
        assert event.actor_class in ACTOR_CLASSES
        assert 0 <= event.confidence <= 1 and event.extractor


def test_no_stage_reported_a_problem_on_the_samples(analyses: list[Analysis]) -> None:
    assert [p for a in analyses for p in a.problems] == []
