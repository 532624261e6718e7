"""Analyses cross process boundaries by pickling: the objects must come back equal, field by field."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

from eventledger.models import (
    Analysis,
    Claim,
    DateMention,
    Document,
    Event,
    Place,
    PlaceMention,
    Problem,
    Report,
    Sentence,
    Statement,
)


def _analysis() -> Analysis:
    report = Report(doc="r1", text="Police arrested 5 people in Shiraz.", title="T", published=dt.date(2024, 5, 2),
                    publisher="Outlet", duplicate_of="r0")
    shiraz = Place(name="Shiraz", level="city", admin1="Fars", geonameid=115019, latitude=29.6, longitude=52.5)
    return Analysis(
        report=report,
        sentences=(Sentence(start=0, end=35, text=report.text, paragraph=0),),
        places=(PlaceMention(start=28, end=34, surface="Shiraz", place=shiraz, role="event", confidence=0.9),),
        dates=(DateMention(start=0, end=0, surface="", date_start=dt.date(2024, 5, 1), date_end=None,
                           precision="day"),),
        events=(Event(doc="r1", event_type="arrest", location="Shiraz", arrests=5, evidence=report.text,
                      evidence_end=35, incident="i-1"),),
        claims=(Claim(doc="r1", value=5, qualifier="at_least", category="arrested"),),
        statements=(Statement(doc="r1", speaker="A spokesman", quote="no"),),
        problems=(Problem(doc="r1", stage="dates.v1", message="m"),),
    )


def test_an_analysis_survives_pickling_field_by_field() -> None:
    analysis = _analysis()
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(analysis, protocol=protocol))
        assert back == analysis
        assert back.events[0].kind == "event" and back.claims[0].kind == "claim"
        assert back.places[0].place.latitude == 29.6
        assert back.report.duplicate_of == "r0"


def test_records_and_copies_keep_every_field() -> None:
    document = Document(doc="d", title="t", published="2024-01-01", duplicate_of="c")
    assert pickle.loads(pickle.dumps(document)) == document
    event = _analysis().events[0]
    assert copy.copy(event) == event and copy.deepcopy(event) == event
    assert event.__reduce__()[0] is Event
