"""Reviews in the store: accept, reject, edit; the audit log; re-ingest; reviewed-only exports."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from web_ledger import analysis_a, analysis_b, build

from eventledger import api
from eventledger.cli import main
from eventledger.query import EventQuery, QueryError
from eventledger.review import ReviewError, record_keys
from eventledger.store import Ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    with Ledger(build(tmp_path / "ledger.db", xss=False)) as opened:
        yield opened


def event_id(ledger: Ledger, **query: object) -> int:
    return ledger.event_rows(EventQuery.of(**query))[0].id


def test_rows_carry_ids_keys_and_no_review(ledger: Ledger) -> None:
    rows = ledger.event_rows()
    assert [r.record for r in rows] == list(ledger.events())  # same records as the plain reader
    assert len({r.id for r in rows}) == len({r.key for r in rows}) == 5
    assert all(r.review is None and r.status == "unreviewed" and r.record == r.original for r in rows)


def test_accept_reject_and_audit(ledger: Ledger) -> None:
    rid = event_id(ledger, location="Rasht")
    accepted = ledger.review("event", rid, status="accepted", reviewer="  Ana  ")
    assert accepted.status == "accepted" and accepted.review.reviewer == "Ana" and accepted.record == accepted.original
    rejected = ledger.review("event", rid, status="rejected", reviewer="Bo")
    assert rejected.status == "rejected"
    assert rid not in [r.id for r in ledger.event_rows()]  # default: all but rejected
    assert [r.id for r in ledger.event_rows(EventQuery(status="rejected"))] == [rid]
    log = ledger.audit_log(kind="event", record_key=accepted.key)
    assert [(e.who, e.before["status"], e.after["status"]) for e in log] == [
        ("Bo", "accepted", "rejected"), ("Ana", "unreviewed", "accepted")]
    assert log[0].record_id == rid and log[0].doc == "b.txt" and log[0].at.endswith("+00:00")


def test_edit_keeps_the_original_and_filters_on_edited_values(ledger: Ledger, tmp_path: Path) -> None:
    rid = event_id(ledger, location="Rasht")
    row = ledger.review("event", rid, status="edited", reviewer="Ana",
                        changes={"event_type": "arrest", "tactic": "arrest", "date_start": "2024-03-15",
                                 "date_end": "2024-03-16", "arrests": "3"})
    assert row.status == "edited" and row.record.event_type == "arrest" and row.record.arrests == 3
    assert row.original.event_type == "protest" and row.original.arrests is None
    with sqlite3.connect(tmp_path / "ledger.db") as plain:  # the extracted row is untouched
        assert plain.execute("SELECT event_type, date_start FROM events WHERE id = ?", (rid,)).fetchone() == (
            "protest", "2024-03-14")
    assert rid in [r.id for r in ledger.event_rows(EventQuery(event_type=("arrest",)))]
    assert rid not in [r.id for r in ledger.event_rows(EventQuery(event_type=("protest",)))]
    assert [r.id for r in ledger.event_rows(EventQuery(date_from="2024-03-16", date_to="2024-03-16"))] == [rid]
    plain = next(e for e in ledger.events() if e.location == "Rasht")
    assert plain.event_type == "protest"  # the plain reader: as extracted
    entry = ledger.audit_log(limit=1)[0]
    assert entry.before["record"]["event_type"] == "protest" and entry.after["record"]["event_type"] == "arrest"
    assert entry.after["changes"]["arrests"] == 3


def test_edits_accumulate_and_reverting_removes_them(ledger: Ledger) -> None:
    rid = event_id(ledger, location="Tehran")
    ledger.review("event", rid, status="edited", changes={"count": 12}, reviewer="Ana")
    row = ledger.review("event", rid, status="edited", changes={"fatalities": 1}, reviewer="Ana")
    assert row.review.changes == {"count": 12, "fatalities": 1}
    row = ledger.review("event", rid, status="accepted", changes={"count": None, "fatalities": None}, reviewer="Ana")
    assert row.review.changes == {} and row.status == "accepted" and row.record == row.original


def test_place_edit_is_resolved_in_the_gazetteer(ledger: Ledger) -> None:
    rid = event_id(ledger, location="Tehran")
    row = ledger.review("event", rid, status="edited", changes={"place": "Mashhad"}, reviewer="Ana")
    assert (row.record.location, row.record.admin1, row.record.geonameid) == ("Mashhad", "Razavi Khorasan", 124665)
    assert row.record.latitude == pytest.approx(36.298, abs=0.01)
    province = ledger.review("event", rid, status="edited", changes={"place": "Fars"}, reviewer="Ana")
    assert (province.record.location, province.record.admin1, province.record.geo_precision) == (None, "Fars",
                                                                                                 "province")
    assert rid in [r.id for r in ledger.event_rows(EventQuery(admin1="Fars"))]
    with pytest.raises(ReviewError, match="not in the gazetteer"):
        ledger.review("event", rid, status="edited", changes={"place": "Atlantis"}, reviewer="Ana")


@pytest.mark.parametrize(("changes", "message"), [
    ({"event_type": "picnic"}, "event_type must be one of"),
    ({"event_type": ""}, "cannot be empty"),
    ({"date_start": "12/03/2024"}, "ISO date"),
    ({"date_start": "2024-03-20", "date_end": "2024-03-01"}, "before the start"),
    ({"tactic": "arson"}, "does not belong to protest"),
    ({"arrests": -1}, "whole number"),
    ({"arrests": "many"}, "whole number"),
    ({"latitude": 123}, "between"),
    ({"evidence": "made up"}, "cannot edit evidence"),
    ({"doc": "other.txt"}, "cannot edit doc"),
    ({"actor1": "x" * 501}, "longer than"),
])
def test_bad_edits_are_refused_and_change_nothing(ledger: Ledger, changes: dict, message: str) -> None:
    rid = event_id(ledger, location="Rasht")
    with pytest.raises(ReviewError, match=message):
        ledger.review("event", rid, status="edited", changes=changes, reviewer="Ana")
    assert ledger.record_row("event", rid).review is None and ledger.audit_log() == []


def test_bad_status_reviewer_or_record(ledger: Ledger) -> None:
    rid = event_id(ledger)
    with pytest.raises(ReviewError, match="status"):
        ledger.review("event", rid, status="maybe", reviewer="Ana")
    with pytest.raises(ReviewError, match="reviewer"):
        ledger.review("event", rid, status="accepted", reviewer="   ")
    with pytest.raises(KeyError):
        ledger.review("event", 999_999, status="accepted", reviewer="Ana")
    with pytest.raises(KeyError):
        ledger.review("document", 1, status="accepted", reviewer="Ana")


def test_claims_and_statements_are_reviewed_too(ledger: Ledger) -> None:
    claim = ledger.claim_rows(category="executed")
    assert [c.record.value for c in claim] == [834, 300]
    row = ledger.review("claim", claim[0].id, status="edited", changes={"value": "830", "qualifier": "about"},
                        reviewer="Ana")
    assert (row.record.value, row.record.qualifier, row.original.value) == (830, "about", 834)
    statement = ledger.document_rows("b.txt")[-1]
    assert statement.kind == "statement"
    assert ledger.review("statement", statement.id, status="rejected", reviewer="Ana").status == "rejected"
    assert ledger.review_counts()["claim"] == {"edited": 1, "unreviewed": 1}
    assert [c.record.value for c in ledger.claim_rows(status="edited")] == [830]


def test_audit_log_is_append_only(ledger: Ledger) -> None:
    ledger.review("event", event_id(ledger), status="accepted", reviewer="Ana")
    for sql in ("UPDATE audit_log SET who = 'Mallory'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            ledger._conn.execute(sql)
    assert ledger.audit_log()[0].who == "Ana"


def test_reingest_keeps_reviews_on_their_records(ledger: Ledger) -> None:
    rasht = event_id(ledger, location="Rasht")
    ledger.review("event", rasht, status="edited", changes={"count": 40}, reviewer="Ana")
    ledger.write(analysis_b())  # the same document again: new row ids, same record keys
    row = ledger.event_rows(EventQuery(location="Rasht"))[0]
    assert row.status == "edited" and row.record.count == 40 and row.review.reviewer == "Ana"
    assert ledger.orphaned_reviews() == []
    changed = analysis_b()
    changed = dataclasses.replace(changed, events=changed.events[:2])  # Rasht is no longer extracted
    ledger.write(changed)
    assert [(o["kind"], o["doc"], o["status"]) for o in ledger.orphaned_reviews()] == [("event", "b.txt", "edited")]
    ledger.write(analysis_b())  # ... and comes back: so does its review
    assert ledger.event_rows(EventQuery(location="Rasht"))[0].record.count == 40


def test_record_keys_are_stable_and_distinct() -> None:
    events = analysis_a().events
    assert record_keys(events) == record_keys(events)
    twins = record_keys([events[0], events[0]])
    assert len(set(twins)) == 2  # records alike in every part are told apart by their order
    moved = dataclasses.replace(events[0], location="Tehran")
    assert record_keys([moved])[0] != record_keys([events[0]])[0]


def test_ledgers_without_record_keys_get_them(tmp_path: Path) -> None:
    path = build(tmp_path / "old.db", xss=False)
    with Ledger(path) as ledger:
        keys = [r.key for r in ledger.event_rows()]
    with sqlite3.connect(path) as plain:
        for table in ("events", "claims", "statements"):
            plain.execute(f"DROP INDEX {table}_record_key")
            plain.execute(f"ALTER TABLE {table} DROP COLUMN record_key")
    with Ledger(path) as ledger:
        assert [r.key for r in ledger.event_rows()] == keys


def test_a_ledger_never_reviewed_has_no_review_tables(tmp_path: Path) -> None:
    path = build(tmp_path / "plain.db", xss=False)
    with sqlite3.connect(path) as plain:
        names = {r[0] for r in plain.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not names & {"reviews", "audit_log"}


def test_event_query_filters(ledger: Ledger) -> None:
    def locations(**query: object) -> list[str]:
        return sorted(r.record.location for r in ledger.event_rows(EventQuery.of(**query)))

    assert locations(event_type=["activism", "arrest"]) == ["Ahvaz", "Mashhad", "Tehran"]
    assert locations(tactic="strike") == ["Rasht"]
    assert locations(admin1="Khuzestan", actor_class="state") == ["Ahvaz"]
    assert locations(publisher="Example Post") == ["Mashhad", "Rasht", "Tehran"]
    assert locations(q="BAZAAR") == ["Rasht"]
    assert locations(q="50%_") == []  # LIKE wildcards are taken literally
    assert locations(q="governorate") == ["Ahvaz"]  # the target is searched too
    assert locations(date_from="2024-03-13", date_to="2024-03-14") == ["Mashhad", "Rasht"]
    assert locations(location="  ", event_type="") == locations()  # blanks are no filter
    assert ledger.count_events(EventQuery(admin1="Khuzestan")) == 2
    with pytest.raises(QueryError):
        EventQuery(date_from="March")
    with pytest.raises(QueryError):
        EventQuery(status="liked")
    with pytest.raises(ValueError, match="cannot sort"):
        ledger.event_rows(sort="evidence; DROP TABLE events")


def test_sorting_and_paging(ledger: Ledger) -> None:
    dates = [r.record.date_start for r in ledger.event_rows(sort="date_start", descending=True)]
    assert dates == sorted(dates, reverse=True)
    page = ledger.event_rows(sort="date_start", limit=2, offset=2)
    assert [r.record.date_start for r in page] == sorted(dates)[2:4]
    tactics = [r.record.actor1 for r in ledger.event_rows(sort="actor1")]
    assert tactics[-1] is None  # unknown values sort last


def test_reviewed_only_export(ledger: Ledger, tmp_path: Path) -> None:
    ledger.review("event", event_id(ledger, location="Rasht"), status="edited", changes={"count": 40},
                  reviewer="Ana")
    ledger.review("event", event_id(ledger, location="Ahvaz", event_type="arrest"), status="accepted",
                  reviewer="Ana")
    ledger.review("event", event_id(ledger, location="Tehran"), status="rejected", reviewer="Ana")
    out = tmp_path / "reviewed.jsonl"
    api.export_ledger(tmp_path / "ledger.db", "jsonl", out, reviewed_only=True)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["kind"], r.get("location")) for r in rows] == [
        ("document", None), ("event", "Ahvaz"), ("document", None), ("event", "Rasht")]
    assert rows[-1]["count"] == 40
    everything = tmp_path / "all.jsonl"
    api.export_ledger(tmp_path / "ledger.db", "jsonl", everything)
    assert sum(1 for line in everything.read_text().splitlines() if '"kind": "event"' in line) == 5
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "ledger.db"), "--format", "csv",
                                       "--reviewed-only"])
    assert result.exit_code == 0 and len(result.stdout.strip().splitlines()) == 3  # header + 2 events
