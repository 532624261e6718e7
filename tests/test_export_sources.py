"""Exports keep their source (issue 17, item 4): publisher, url, title and published in every
event format; ACLED `source` never blank; reviewed exports say who changed what; the browser's
download and `eventledger export` give the same rows for the same filters."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from web_ledger import build

from eventledger.cli import main
from eventledger.models import Analysis, Report
from eventledger.query import EventQuery
from eventledger.store import Ledger
from eventledger.web import create_app


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = build(tmp_path / "ledger.db", xss=False)
    with Ledger(path) as ledger:
        rasht = ledger.event_rows(EventQuery(location="Rasht"))[0].id
        tehran = ledger.event_rows(EventQuery(location="Tehran"))[0].id
        ledger.review("event", rasht, status="edited", changes={"count": 40, "actor1": "merchants"}, reviewer="Ana")
        ledger.review("event", tehran, status="rejected", reviewer="Ana")
    return path


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, ["export", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_carries_the_source_of_every_event(db: Path) -> None:
    rows = csv_rows(cli("--db", str(db), "--format", "csv"))
    assert rows and all(r["publisher"] and r["title"] and r["published"] for r in rows)
    ahvaz = next(r for r in rows if r["location"] == "Ahvaz")
    assert ahvaz["url"] == "https://example.org/a"
    assert "Tehran" not in {r["location"] for r in rows}  # rejected: left out, as in the browser


def test_acled_source_is_never_blank(db: Path) -> None:
    with Ledger(db) as ledger:  # a document whose publisher nobody knows
        analysis = next(a for a in ledger.analyses() if a.events)
        report = Report(doc="nameless.txt", text=analysis.report.text)
        events = tuple(replace(e, doc="nameless.txt", reported_by=None) for e in analysis.events)
        ledger.write(Analysis(report=report, events=events))
    rows = csv_rows(cli("--db", str(db), "--format", "acled-csv"))
    assert all(r["source"] for r in rows)
    assert {r["source"] for r in rows if r["url"] == ""} >= {"nameless.txt"}
    assert all(r["publisher"] or r["source"] == "nameless.txt" for r in rows)


def test_geojson_and_parquet_carry_the_source(db: Path, tmp_path: Path) -> None:
    features = json.loads(cli("--db", str(db), "--format", "geojson"))["features"]
    assert features and all(f["properties"]["publisher"] and f["properties"]["title"] for f in features)
    assert {"url", "published"} <= set(features[0]["properties"])
    out = tmp_path / "events.parquet"
    CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "--out", str(out)])
    table = pq.read_table(out).to_pylist()
    assert table and all(row["publisher"] and row["title"] and row["published"] for row in table)


def test_reviewed_export_says_who_changed_what(db: Path) -> None:
    rows = csv_rows(cli("--db", str(db), "--format", "csv", "--reviewed-only"))
    assert [(r["location"], r["count"], r["reviewed_by"], r["edited_fields"]) for r in rows] == [
        ("Rasht", "40", "Ana", "actor1;count")]
    assert rows[0]["reviewed_at"] and rows[0]["publisher"]
    acled = csv_rows(cli("--db", str(db), "--format", "acled-csv", "--reviewed-only"))
    assert [(r["reviewed_by"], r["edited_fields"]) for r in acled] == [("Ana", "actor1;count")]
    plain = csv_rows(cli("--db", str(db), "--format", "csv"))
    assert "reviewed_by" not in plain[0]


@pytest.mark.parametrize(("web", "flags"), [
    ("", []),
    ("?type=arrest&type=protest", ["--type", "arrest", "--type", "protest"]),
    ("?province=Khuzestan", ["--province", "Khuzestan"]),
    ("?from=2024-03-13&to=2024-05-30", ["--from", "2024-03-13", "--to", "2024-05-30"]),
    ("?q=strike&status=all", ["--q", "strike", "--status", "all"]),
    ("?status=rejected", ["--status", "rejected"]),
])
@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_browser_download_and_cli_export_agree(db: Path, web: str, flags: list[str], fmt: str) -> None:
    downloaded = TestClient(create_app(db)).get(f"/api/events.{fmt}{web}")
    assert downloaded.status_code == 200
    exported = cli("--db", str(db), "--format", fmt, *flags)
    if fmt == "csv":
        assert csv_rows(downloaded.text) == csv_rows(exported)
        assert len(csv_rows(exported)) > 0
    else:
        assert json.loads(downloaded.text) == json.loads(exported)


def test_filters_do_not_apply_to_jsonl(db: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--type", "protest"])
    assert result.exit_code == 2 and "filters select events" in result.output
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "csv", "--from", "May 6"])
    assert result.exit_code == 2 and "ISO date" in result.output
