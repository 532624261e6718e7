"""The ledger database: typed records in and out, one transaction per document."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from eventledger.models import EXTRACTOR_VERSION, Analysis, Claim, Event, Problem, Report, Statement
from eventledger.store import Ledger, LedgerError
from eventledger.store.corroboration import TABLES as CORROBORATION_TABLES

TEXT = ("Students rallied in Shiraz on Monday. Police arrested four of them in Shiraz. "
        "A spokesman said the rally was illegal.")


def span(text: str, part: str) -> dict[str, object]:
    start = text.index(part)
    return {"evidence": part, "evidence_start": start, "evidence_end": start + len(part)}


def analysis(doc: str = "a.txt", *, events: int = 2, text: str = TEXT) -> Analysis:
    report = Report(doc=doc, text=text, title="Rally in Shiraz", url=f"https://example.org/{doc}",
                    published=None, publisher="Example News", source_path=f"/reports/{doc}")
    rally = span(text, text.split(". ")[0])
    made = tuple(
        Event(doc=doc, event_type=("protest", "arrest")[i % 2], tactic=("rally", None)[i % 2],
              date_start=f"2022-10-{i + 1:02d}", date_end=f"2022-10-{i + 3:02d}", time_precision="span",
              location="Shiraz", admin1=("Fars", "Tehran")[i % 2], country="IR", geonameid=115019,
              latitude=29.61031, longitude=52.53113, geo_precision="city", actor1="Students",
              actor_class="civilians", count=i or None, confidence=0.75, **rally)
        for i in range(events))
    return Analysis(
        report=report, events=made,
        claims=(Claim(doc=doc, value=4, category="arrested", claimed_by="Example News", **rally),),
        statements=(Statement(doc=doc, speaker="A spokesman", speaker_class="state", date="2022-10-03",
                              quote="the rally was illegal", **span(text, "A spokesman said")),),
        problems=(Problem(doc=doc, stage="dates.v1", message="ValueError: no year"),))


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    with Ledger(tmp_path / "ledger.db") as opened:
        yield opened


def test_write_and_read_typed_records(ledger: Ledger) -> None:
    a = analysis()
    ledger.write(a)
    assert list(ledger.documents()) == [a.document()]
    assert list(ledger.events()) == list(a.events)
    assert list(ledger.claims()) == list(a.claims)
    assert list(ledger.statements()) == list(a.statements)
    assert list(ledger.problems()) == list(a.problems)
    assert ledger.report_text("a.txt") == TEXT and ledger.report_text("missing") is None
    event = next(ledger.events())
    assert isinstance(event, Event) and event.geonameid == 115019 and event.latitude == 29.61031
    assert TEXT[event.evidence_start:event.evidence_end] == event.evidence


def test_records_grouped_by_document_in_insertion_order(ledger: Ledger) -> None:
    second, first = analysis("b.txt", events=3), analysis("a.txt", events=1)
    ledger.write_many([second, first])
    assert list(ledger.records()) == first.records() + second.records()
    assert [r.kind for r in ledger.records(kinds=["claim", "document"])] == ["document", "claim"] * 2


def test_provenance_on_every_row(ledger: Ledger, tmp_path: Path) -> None:
    ledger.write(analysis())
    with sqlite3.connect(tmp_path / "ledger.db") as plain:
        for table in ("documents", "events", "claims", "statements"):
            rows = plain.execute(f"SELECT extractor, ingested_at FROM {table}").fetchall()
            assert rows and all(e == EXTRACTOR_VERSION and t.endswith("+00:00") for e, t in rows)
        sha1, url = plain.execute("SELECT content_sha1, url FROM documents").fetchone()
    assert len(sha1) == 40 and url == "https://example.org/a.txt"


def test_reingest_replaces(ledger: Ledger) -> None:
    ledger.write(analysis(events=3))
    ledger.write(analysis(events=3))
    assert ledger.counts() == {"documents": 1, "events": 3, "claims": 1, "statements": 1, "problems": 1}
    smaller = analysis(events=1)
    ledger.write(smaller)
    assert list(ledger.events()) == list(smaller.events)


def test_failed_write_leaves_previous_version(ledger: Ledger) -> None:
    ledger.write(analysis(events=3))
    bad = dataclasses.replace(analysis(events=1), events=(Event(doc="a.txt", event_type="protest",
                                                                 geonameid={"not": "a number"}),))
    with pytest.raises(sqlite3.Error):
        ledger.write(bad)
    assert len(list(ledger.events())) == 3 and ledger.counts()["problems"] == 1


def test_each_document_is_one_transaction(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger.write(analysis("a.txt", events=2))
    insert_problems = Ledger._insert_problems

    def fail_on_a(conn: sqlite3.Connection, problems: tuple[Problem, ...], now: str) -> None:
        if any(p.doc == "a.txt" for p in problems):
            raise RuntimeError("disk on fire")  # after a.txt's old rows were deleted
        insert_problems(conn, problems, now)

    monkeypatch.setattr(Ledger, "_insert_problems", staticmethod(fail_on_a))
    with pytest.raises(RuntimeError):
        ledger.write_many([analysis("b.txt", events=1), analysis("a.txt", events=5)])
    assert len(list(ledger.events(doc="a.txt"))) == 2  # the old version, whole
    assert len(list(ledger.events(doc="b.txt"))) == 1  # committed before a.txt failed
    monkeypatch.undo()
    ledger.write(analysis("a.txt", events=5))  # no transaction was left open
    assert ledger.counts()["events"] == 6


def test_killed_mid_write_keeps_file_consistent(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    with Ledger(path) as ledger:
        ledger.write(analysis(events=2))
    child = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from eventledger import store
        from eventledger.store import write
        from test_store import analysis
        real_rows = write._record_rows
        def rows_then_die(records, names, now):
            yield next(real_rows(records, names, now))
            os._exit(9)  # killed inside the transaction, after the old rows were deleted
        write._record_rows = rows_then_die
        store.Ledger({str(path)!r}).write(analysis(events=50))
    """)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr
    with Ledger(path) as ledger:
        assert ledger.counts()["events"] == 2
        assert ledger._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_records_must_belong_to_the_report(ledger: Ledger) -> None:
    stray = dataclasses.replace(analysis(), events=(Event(doc="other.txt", event_type="protest"),))
    with pytest.raises(ValueError, match=r"other\.txt"):
        ledger.write(stray)
    assert ledger.counts()["documents"] == 0


def test_event_filters(ledger: Ledger) -> None:
    ledger.write_many([analysis("a.txt", events=4), analysis("b.txt", events=2)])

    def n(**filters: str) -> int:
        return len(list(ledger.events(**filters)))

    assert n() == 6
    assert n(event_type="arrest") == 3
    assert n(doc="b.txt") == 2
    assert n(admin1="Fars", doc="a.txt") == 2
    assert n(date_from="2022-10-05") == 2  # a.txt: Oct 3-5 and Oct 4-6 end on or after Oct 5
    assert n(date_to="2022-10-01") == 2   # spans starting Oct 1
    assert n(date_from="2022-10-03", date_to="2022-10-03") == 5  # all but Oct 4-6 overlap Oct 3
    with pytest.raises(TypeError):
        ledger.events("protest")  # type: ignore[misc]  # filters are keyword-only


def test_counts_summary_delete(ledger: Ledger) -> None:
    ledger.write_many([analysis("a.txt", events=3), analysis("b.txt", events=1)])
    summary = ledger.summary()
    assert summary == {"documents": 2, "events": 4, "events_by_type": {"protest": 3, "arrest": 1},
                       "claims": 2, "statements": 2, "date_from": "2022-10-01", "date_to": "2022-10-05",
                       "places": 1, "incidents": 0, "duplicate_documents": 0,
                       "stale": True}  # written without the final corroboration
    assert ledger.delete("a.txt") and not ledger.delete("a.txt")
    assert ledger.counts() == {"documents": 1, "events": 1, "claims": 1, "statements": 1, "problems": 1}


def test_plain_sqlite_file(ledger: Ledger, tmp_path: Path) -> None:
    assert ledger._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert ledger._conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    with sqlite3.connect(tmp_path / "ledger.db") as plain:
        names = {r[0] for r in plain.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = [r[1] for r in plain.execute("PRAGMA table_info(events)")]
    assert names == {"meta", "documents", "events", "claims", "statements", "problems", "record_links",
                     *CORROBORATION_TABLES}
    assert columns[:3] == ["id", "doc", "event_type"] and columns[-1] == "ingested_at"
    assert {"latitude", "longitude", "geonameid", "evidence_start", "confidence"} <= set(columns)


def test_problems_without_document(ledger: Ledger) -> None:
    ledger.add_problems([Problem(doc="broken.pdf", stage="ingest", message="unreadable")])
    assert [p.doc for p in ledger.problems()] == ["broken.pdf"]


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Ledger(path).close()
    with sqlite3.connect(path) as plain:
        plain.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(LedgerError, match="schema version 0"):
        Ledger(path)


def test_bulk_insert(tmp_path: Path) -> None:
    a = analysis(events=20_000)
    with Ledger(tmp_path / "bulk.db") as ledger:
        ledger.write(a)
        assert sum(1 for _ in ledger.events()) == 20_000
