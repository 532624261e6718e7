"""Exports: every format, the jsonl round trip, ACLED's columns and codes."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.export import (
    ACLED_COLUMNS,
    EVENT_FIELDS,
    FORMATS,
    SOURCE_FIELDS,
    acled_row,
    export,
    read_jsonl,
)
from eventledger.models import EVENT_TYPES, Analysis, Claim, Document, Event, Record, Report, Statement, record_to_dict
from eventledger.store import Ledger

DOC = Document(doc="r1.txt", title="Night of slogans", published="2022-10-05", published_precision="day",
               publisher="Example News", language="en")
EVIDENCE = "Witnesses said security forces\nfired on mourners in Zahedan, killing 3."
ZAHEDAN = {"location": "Zahedan", "admin1": "Sistan and Baluchestan", "country": "IR", "geonameid": 1159301,
           "latitude": 29.4963, "longitude": 60.8629, "geo_precision": "city"}


def event(**fields: Any) -> Event:
    base: dict[str, Any] = {"doc": "r1.txt", "event_type": "protest", "date_start": "2022-09-30",
                            "date_end": "2022-09-30", "time_precision": "day", "actor_class": "civilians",
                            "evidence": EVIDENCE, "evidence_end": len(EVIDENCE), "confidence": 0.8, **ZAHEDAN}
    return Event(**{**base, **fields})


RECORDS: list[Record] = [
    DOC,
    event(actor1="Students", count=200, tactic="rally"),
    event(event_type="assault", tactic="shooting", actor1="Security forces", actor_class="state",
          target="mourners", fatalities=3),
    event(event_type="activism", tactic="graffiti", actor1="Resistance Units", actor_class="opposition",
          location=None, geonameid=None, latitude=None, longitude=None, geo_precision="province",
          date_end="2022-10-03", time_precision="span"),
    Claim(doc="r1.txt", value=10000, qualifier="at_least", category="arrested", claimed_by="Example News",
          evidence="ده هزار نفر بازداشت شدند", evidence_end=24),
    Statement(doc="r1.txt", speaker="Molavi Abdolhamid", speaker_class="civilians", date="2022-10-01",
              quote="«Stop the killing»"),
]


def render(records: list[Record], fmt: str, **kwargs: Any) -> tuple[int, str]:
    out = io.StringIO()
    n = export(records, fmt, out, **kwargs)
    return n, out.getvalue()


def acled(records: list[Record], **kwargs: Any) -> list[dict[str, str]]:
    n, text = render(records, "acled-csv", **kwargs)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == len(rows)
    return rows


# --------------------------------------------------------------------------- jsonl


def test_jsonl_round_trip_is_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    assert export(RECORDS, "jsonl", path) == len(RECORDS)
    back = list(read_jsonl(path))
    assert back == RECORDS
    again = tmp_path / "again.jsonl"
    export(back, "jsonl", str(again))
    assert again.read_bytes() == path.read_bytes()
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert first == record_to_dict(DOC) and next(iter(first)) == "kind"
    assert "ده هزار" in path.read_text(encoding="utf-8")  # readable, not \\u-escaped


optional_text = st.none() | st.text(max_size=20)
any_event = st.builds(
    Event, doc=st.text(min_size=1, max_size=10), event_type=st.sampled_from(EVENT_TYPES),
    location=optional_text, target=optional_text, evidence=st.text(max_size=40),
    latitude=st.none() | st.floats(allow_nan=False, allow_infinity=False),
    count=st.none() | st.integers(), confidence=st.floats(0, 1))


@settings(max_examples=30, deadline=None)
@given(st.lists(any_event, max_size=4))
def test_jsonl_round_trip_of_any_events(events: list[Event]) -> None:
    _, first = render(events, "jsonl")
    back = list(read_jsonl(io.StringIO(first)))
    assert back == events and render(back, "jsonl")[1] == first


def test_read_jsonl_rejects_non_records(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"kind": "document", "doc": "a"}\n\n{"kind": "rumour"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:3"):
        list(read_jsonl(path))


def test_ledger_to_jsonl_equals_analyses_to_jsonl(tmp_path: Path) -> None:
    text = "x" * 100
    analysis = Analysis(report=Report(doc="r1.txt", text=text, publisher="Example News", title=DOC.title,
                                      language="en"),
                        events=tuple(r for r in RECORDS if isinstance(r, Event)),
                        claims=(RECORDS[4],), statements=(RECORDS[5],))  # type: ignore[arg-type]
    with Ledger(tmp_path / "l.db") as ledger:
        ledger.write(analysis)
        _, from_ledger = render(list(ledger.records()), "jsonl")
    assert from_ledger == render(analysis.records(), "jsonl")[1]


def test_stdout_and_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert export(RECORDS[:2], "jsonl", "-") == 2
    assert capsys.readouterr().out.count("\n") == 2
    with pytest.raises(ValueError, match="choose one of jsonl, csv, acled-csv, geojson, parquet"):
        export(RECORDS, "xlsx")
    assert set(FORMATS) == {"jsonl", "csv", "acled-csv", "geojson", "parquet"}


# --------------------------------------------------------------------------- csv


def test_csv_has_event_fields() -> None:
    n, text = render(RECORDS, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == len(rows) == 3
    assert tuple(rows[0]) == (*EVENT_FIELDS, "corroboration", *SOURCE_FIELDS) and "kind" not in rows[0]
    assert rows[0]["location"] == "Zahedan" and rows[2]["location"] == "" and rows[1]["fatalities"] == "3"
    assert rows[0]["evidence"] == EVIDENCE


# --------------------------------------------------------------------------- acled-csv


def test_acled_columns_and_place() -> None:
    rows = acled(RECORDS)
    assert list(rows[0]) == [*ACLED_COLUMNS, *SOURCE_FIELDS]
    first = rows[0]
    assert (first["event_id_cnty"], first["event_date"], first["year"]) == ("IRN1", "2022-09-30", "2022")
    assert (first["iso"], first["country"], first["region"]) == ("364", "Iran", "Middle East")
    assert (first["location"], first["latitude"], first["longitude"]) == ("Zahedan", "29.4963", "60.8629")
    assert first["admin1"] == "Sistan and Baluchestan" and rows[2]["location"] == "Sistan and Baluchestan"
    assert int(first["timestamp"]) > 1_600_000_000


@pytest.mark.parametrize(("fields", "code"), [
    ({}, 1),
    ({"date_end": "2022-10-06", "time_precision": "span"}, 2),     # 7 days, both ends included
    ({"date_end": "2022-10-07", "time_precision": "span"}, 3),     # 8 days
    ({"date_start": "2022-09-01", "date_end": "2022-09-30", "time_precision": "month"}, 3),
    ({"date_start": "2022-01-01", "date_end": "2022-12-31", "time_precision": "year"}, 3),
    ({"date_end": "2022-10-02", "time_precision": None}, 2),
    ({"date_start": None, "date_end": None, "time_precision": None}, None),
])
def test_acled_time_precision(fields: dict[str, Any], code: int | None) -> None:
    row = acled_row(event(**fields), "Example News", number=1, timestamp=0)
    assert row["time_precision"] == code


@pytest.mark.parametrize(("fields", "code"), [
    ({}, 1),
    ({"location": None, "geonameid": None, "geo_precision": "province"}, 3),
    ({"location": None, "admin1": None, "geo_precision": "country"}, 3),
    ({"location": None, "admin1": None, "geo_precision": None}, 3),
])
def test_acled_geo_precision(fields: dict[str, Any], code: int) -> None:
    assert acled_row(event(**fields), None, number=1, timestamp=0)["geo_precision"] == code


VIOLENCE, REMOTE = "Political violence", "Explosions/Remote violence"


@pytest.mark.parametrize(("event_type", "tactic", "target", "expected"), [
    ("protest", "rally", None, ("Demonstrations", "Protests", "Peaceful protest")),
    ("activism", "graffiti", None, ("Strategic developments", "Strategic developments", "Other")),
    ("property_attack", "arson", "Basij base",
     ("Strategic developments", "Strategic developments", "Looting/property destruction")),
    ("cyber", "hack", None, ("Strategic developments", "Strategic developments", "Other")),
    ("arrest", "arrest", None, ("Strategic developments", "Strategic developments", "Arrests")),
    ("assault", "custody", "prisoner", ("Political violence", "Violence against civilians", "Attack")),
    ("assault", "shooting", "Protesters",
     ("Political violence; Demonstrations", "Protests", "Excessive force against protesters")),
    ("execution", "hanging", None, ("Strategic developments", "Strategic developments", "Other")),
    ("sentence", "prison", None, ("Strategic developments", "Strategic developments", "Other")),
    ("armed_clash", "ambush", None, ("Political violence", "Battles", "Armed clash")),
    ("explosion", "bomb", None, (VIOLENCE, REMOTE, "Remote explosive/landmine/IED")),
    ("explosion", "mine", None, (VIOLENCE, REMOTE, "Remote explosive/landmine/IED")),
    ("explosion", "shelling", None, (VIOLENCE, REMOTE, "Shelling/artillery/missile attack")),
    ("explosion", "drone", None, (VIOLENCE, REMOTE, "Air/drone strike")),
    ("explosion", "air_strike", None, (VIOLENCE, REMOTE, "Air/drone strike")),
    ("explosion", None, None, (VIOLENCE, REMOTE, "Remote explosive/landmine/IED")),
])
def test_acled_types(event_type: str, tactic: str | None, target: str | None,
                     expected: tuple[str, ...]) -> None:
    row = acled_row(event(event_type=event_type, tactic=tactic, target=target), None, number=1, timestamp=0)
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == expected


def test_acled_actors_and_interaction() -> None:
    protest, assault, activism = acled(RECORDS)
    assert (protest["actor1"], protest["assoc_actor_1"], protest["inter1"]) == ("Protesters (Iran)",
                                                                             "Students (Iran)", "6")
    assert (protest["actor2"], protest["interaction"], protest["civilian_targeting"]) == ("", "60", "")
    assert (assault["actor1"], assault["inter1"], assault["actor2"], assault["inter2"]) == (
        "Security forces", "1", "Protesters (Iran)", "6")
    assert (assault["interaction"], assault["civilian_targeting"]) == ("16", "Civilian targeting")
    assert (activism["actor1"], activism["inter1"]) == ("Resistance Units", "3")
    assert activism["interaction"] == "30"
    unknown = acled_row(event(actor_class="unknown", actor1=None), None, number=1, timestamp=0)
    assert (unknown["actor1"], unknown["inter1"], unknown["interaction"]) == (None, None, None)


def test_acled_source_notes_and_counts() -> None:
    protest, assault, _ = acled(RECORDS)
    assert protest["source"] == "Example News"
    assert assault["notes"] == ("According to Example News: Witnesses said security forces fired on mourners "
                                "in Zahedan, killing 3.")
    assert (assault["fatalities"], protest["fatalities"]) == ("3", "0")
    assert protest["tags"] == "crowd size=200; tactic=rally"
    cited = acled_row(event(reported_by="HRANA"), "Example News", number=1, timestamp=0)
    assert cited["source"] == "Example News; HRANA"
    assert cited["notes"].startswith("According to Example News, citing HRANA: Witnesses said")


def test_acled_publisher_from_mapping_or_stream() -> None:
    events_only = [r for r in RECORDS if isinstance(r, Event)]
    assert acled(events_only)[0]["source"] == "r1.txt"  # never blank: the document id
    assert acled(events_only, documents={"r1.txt": DOC})[0]["source"] == "Example News"
    other = dataclasses.replace(DOC, publisher="Other Outlet")
    assert acled([DOC, *events_only], documents={"r1.txt": other})[0]["source"] == "Other Outlet"


# --------------------------------------------------------------------------- geojson


def test_geojson_points_lon_lat() -> None:
    n, text = render(RECORDS, "geojson")
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection" and n == len(collection["features"]) == 2
    point = collection["features"][0]
    assert point["type"] == "Feature"
    assert point["geometry"] == {"type": "Point", "coordinates": [60.8629, 29.4963]}  # lon, lat
    assert point["properties"]["location"] == "Zahedan" and point["properties"]["evidence"] == EVIDENCE
    assert json.loads(render([], "geojson")[1]) == {"type": "FeatureCollection", "features": []}


# --------------------------------------------------------------------------- parquet


def test_parquet_events_file(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert export(RECORDS, "parquet", path) == 3
    table = pq.read_table(path)
    assert table.column_names == [*EVENT_FIELDS, *SOURCE_FIELDS] and table.num_rows == 3
    assert str(table.schema.field("latitude").type) == "double"
    assert str(table.schema.field("fatalities").type) == "int64"
    rows = table.to_pylist()
    assert [Event(**{k: row[k] for k in EVENT_FIELDS}) for row in rows] == [r for r in RECORDS if isinstance(r, Event)]
    assert {(row["publisher"], row["title"], row["published"]) for row in rows} == {
        ("Example News", "Night of slogans", "2022-10-05")}


def test_parquet_stream_and_directory(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    assert export(RECORDS, "parquet", buffer) == 3
    assert pq.read_table(io.BytesIO(buffer.getvalue())).num_rows == 3
    assert export(RECORDS, "parquet", tmp_path) == len(RECORDS)
    rows = {p.name: pq.read_table(p).num_rows for p in tmp_path.glob("*.parquet")}
    assert rows == {"documents.parquet": 1, "events.parquet": 3, "claims.parquet": 1, "statements.parquet": 1}
    assert pq.read_table(tmp_path / "claims.parquet").to_pylist()[0]["evidence"] == "ده هزار نفر بازداشت شدند"
