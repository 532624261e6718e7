"""Nothing lost (issue 16, items 1-6, 17, 18 and the round trip): a bad row, name, entry, line or
folder is reported and skipped, and every good report after it is stored; ids never clash
silently; a ledger left before its final corroboration says it is stale; an export comes back.

Every report text here is written for these tests.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eventledger import api
from eventledger.cli import main
from eventledger.ingest import IngestFailure, read_paths
from eventledger.ingest.decode import decode_bytes
from eventledger.models import Report
from eventledger.store import Ledger

GOOD = ("Dockers strike in Bushehr\n\nBUSHEHR, May 6, 2024 - Dock workers went on strike at the port of Bushehr "
        "on Monday over unpaid wages, a labour group said.\n")
OTHER = ("Nurses rally in Shiraz\n\nSHIRAZ, May 8, 2024 - Nurses rallied outside a hospital in Shiraz on Wednesday "
         "over overdue bonuses, a rights group said.\n")
THIRD = ("Students protest in Yazd\n\nYAZD, May 9, 2024 - Students protested at a university in Yazd on Thursday "
         "over dormitory fees, a student council said.\n")


def stored(db: Path) -> list[str]:
    with Ledger(db) as ledger:
        return [d.doc for d in ledger.documents()]


def problems(db: Path) -> list[tuple[str, str, str]]:
    with Ledger(db) as ledger:
        return [(p.doc, p.stage, p.message) for p in ledger.problems()]


def jsonl(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def row(doc: str, text: str, **extra: Any) -> str:
    return json.dumps({"id": doc, "text": text, **extra})


# --------------------------------------------------------------------------- 1: lone surrogates


def test_lone_surrogates_are_replaced_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = ('{"id": "sur\\ud800", "title": "Bad \\udc00 title", "publisher": "Wire \\ud801",'
           ' "text": "Farmers rallied in Isfahan on Sunday over water \\ud800 shares, a group said."}')
    jsonl(folder / "a.jsonl", [bad, row("after", OTHER)])
    (folder / "b.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "l.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 1, result.output  # partial: the row was repaired and reported, not exit 3
    assert sorted(stored(db)) == ["after", "b.txt", "sur\\xed\\xa0\\x80"]
    with Ledger(db) as ledger:
        (document,) = ledger.documents(doc="sur\\xed\\xa0\\x80")
        assert document.title == "Bad \ufffd title" and document.publisher == "Wire \ufffd"
        assert "water \ufffd shares" in ledger.report_text(document.doc)
    messages = [m for doc, stage, m in problems(db) if doc == "sur\\xed\\xa0\\x80" and stage == "ingest"]
    assert any("text, title, publisher" in m for m in messages)
    assert "lone surrogate" in result.output


# --------------------------------------------------------------------------- 2: file names not UTF-8


def test_a_file_name_not_utf8_gets_a_reversible_id_and_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = b"bad\xff\xfe.txt"
    with open(os.fsencode(folder) + b"/" + raw, "w", encoding="utf-8") as handle:
        handle.write(GOOD)
    (folder / "z.txt").write_text(OTHER, encoding="utf-8")
    db = tmp_path / "l.db"
    summary = api.ingest([folder], db=db)
    assert summary.documents == 2 and not summary.failures
    assert sorted(stored(db)) == ["bad\\xff\\xfe.txt", "z.txt"]
    from eventledger.ingest.names import unescape_name

    assert unescape_name("bad\\xff\\xfe.txt") == raw


@pytest.mark.parametrize("raw", [b"plain.txt", b"back\\slash.txt", b"\xff\\x41\xfe", "caf\u00e9".encode()])
def test_escaped_names_come_back(raw: bytes) -> None:
    from eventledger.ingest.names import escape_name, unescape_name

    escaped = escape_name(os.fsdecode(raw))
    escaped.encode("utf-8")  # storable
    assert unescape_name(escaped) == raw


# --------------------------------------------------------------------------- 3: unique, stable ids


def test_same_base_names_in_two_folders_are_two_documents(tmp_path: Path) -> None:
    root = tmp_path / "saved"
    for name, text in (("a", GOOD), ("b", OTHER), ("c", THIRD)):
        (root / name).mkdir(parents=True)
        (root / name / "report.txt").write_text(text, encoding="utf-8")
        (root / name / "index.html").write_text(f"<html><body><article><p>{text}</p></article></body></html>")
    db = tmp_path / "l.db"
    api.ingest([root], db=db)
    expected = sorted(f"{n}/{f}" for n in "abc" for f in ("index.html", "report.txt"))
    assert sorted(stored(db)) == expected
    api.ingest([root], db=db)  # re-ingest: the same ids, nothing added
    assert sorted(stored(db)) == expected


def test_duplicate_row_ids_and_a_guid_equal_to_a_file_name_are_kept_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    jsonl(folder / "rows.jsonl", [row("same", GOOD), row("same", OTHER)])
    (folder / "note.txt").write_text(THIRD, encoding="utf-8")
    (folder / "wire.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><guid>note.txt</guid>'
        "<title>Strike</title><description>Bakers went on strike in Qom on Friday over flour prices, "
        "a guild said.</description></item></channel></rss>", encoding="utf-8")
    db = tmp_path / "l.db"
    api.ingest([folder], db=db)
    docs = stored(db)
    assert len(docs) == 4 and "same" in docs and "note.txt" in docs
    clashes = [m for _, stage, m in problems(db) if stage == "ingest" and m.startswith("id clash")]
    assert len(clashes) == 2
    with Ledger(db) as ledger:
        texts = {ledger.report_text(d) for d in docs}
    assert any("Bakers" in t for t in texts) and any("Nurses" in t for t in texts)
    api.ingest([folder], db=db)
    assert stored(db) == docs  # stable on re-ingest


def test_a_clash_with_a_stored_document_of_another_source_never_overwrites(tmp_path: Path) -> None:
    first, second = tmp_path / "x", tmp_path / "y"
    for folder, text in ((first, GOOD), (second, OTHER)):
        folder.mkdir()
        (folder / "report.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "l.db"
    api.ingest([first], db=db)
    api.ingest([second], db=db)
    assert len(stored(db)) == 2
    api.ingest([second], db=db)
    api.ingest([first], db=db)  # each re-ingest replaces its own document
    assert len(stored(db)) == 2


# --------------------------------------------------------------------------- 4: one bad item


def test_a_huge_integer_row_loses_no_later_row(tmp_path: Path) -> None:
    rows = [row("one", GOOD), '{"id": "big", "n": ' + "7" * 5000 + ', "text": "x"}', row("three", OTHER)]
    path = jsonl(tmp_path / "rows.jsonl", rows)
    items = list(read_paths([path]))
    assert [i.doc for i in items if isinstance(i, Report)] == ["one", "three"]
    (failure,) = [i for i in items if isinstance(i, IngestFailure)]
    assert failure.path == f"{path}:2" and "invalid JSON" in failure.reason


def test_an_atom_entry_dated_zero_keeps_the_feed(tmp_path: Path) -> None:
    feed = tmp_path / "f.atom"
    entry = ('<entry><id>urn:{0}</id><title>T</title><updated>{1}</updated>'
             '<summary>Retirees rallied in Arak on Sunday over pensions, a group said.</summary></entry>')
    feed.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title><id>urn:f</id>'
                    f'<updated>2024-05-01T00:00:00Z</updated>{entry.format("a", "0000-00-00T00:00:00Z")}'
                    f'{entry.format("b", "2024-05-02T00:00:00Z")}</feed>', encoding="utf-8")
    items = list(read_paths([feed]))
    assert [i.doc for i in items if isinstance(i, Report)] == ["urn:a", "urn:b"]


def test_a_url_with_a_bad_host_does_not_stop_the_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("no connection may be made")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    listing = tmp_path / "l.urls"
    listing.write_text("http://a\u2603..b/x\n# note\nftp://example.org/y\n", encoding="utf-8")
    db = tmp_path / "l.db"
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    summary = api.ingest([listing, tmp_path / "good.txt"], db=db)
    assert [f.path for f in summary.failures] == [f"{listing}:1 (http://a\u2603..b/x)", f"{listing}:3 (ftp://example.org/y)"]
    assert stored(db) == ["good.txt"]
    assert {doc for doc, stage, _ in problems(db) if stage == "ingest"} == {f.path for f in summary.failures}


def test_every_skipped_item_is_in_the_problems_table(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "rows.jsonl", [row("one", GOOD), "not json", '{"id": "empty"}'])
    db = tmp_path / "l.db"
    summary = api.ingest([path], db=db)
    assert len(summary.failures) == 2
    assert sorted(doc for doc, stage, _ in problems(db) if stage == "ingest") == [f"{path}:2", f"{path}:3"]


# --------------------------------------------------------------------------- 5: unreadable inputs


def test_an_unreadable_subfolder_is_a_skipped_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "hidden.txt").write_text(OTHER, encoding="utf-8")
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    real = os.scandir

    def scandir(path: Any = ".") -> Any:  # what a folder without read permission does (tests may run as root)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    db = tmp_path / "l.db"
    result = CliRunner().invoke(main, ["ingest", str(root), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert f"skipped {root / 'locked'}: cannot read folder (Permission denied)" in result.output
    assert stored(db) == ["good.txt"]


def test_an_unreadable_file_named_on_the_command_line_is_skipped(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    locked, good = tmp_path / "locked.txt", tmp_path / "good.txt"
    locked.write_text(OTHER, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    real_access, real_read = os.access, Path.read_bytes

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        return False if Path(path) == locked else real_access(path, mode, *args, **kwargs)

    def read_bytes(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    db = tmp_path / "l.db"
    result = CliRunner().invoke(main, ["ingest", str(locked), str(good), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert f"skipped {locked}: cannot read file (Permission denied)" in result.output
    assert stored(db) == ["good.txt"]


# --------------------------------------------------------------------------- 6: runs, concurrency, staleness


def write_corpus(root: Path) -> tuple[Path, Path]:
    """Two folders whose reports share a passage and a near-copy across them."""
    first, second = root / "A", root / "B"
    first.mkdir()
    second.mkdir()
    shared = "Security forces detained five of the dock workers in Bushehr later on Monday, the group added."
    (first / "a1.txt").write_text(f"{GOOD}\n{shared}\n", encoding="utf-8")
    (first / "a2.txt").write_text(THIRD, encoding="utf-8")
    (second / "b1.txt").write_text(f"Weekly labour roundup\n\n{shared}\n\n{OTHER.split(chr(10), 2)[2]}",
                                   encoding="utf-8")
    copy = f"Shared from a partner outlet\n\n{GOOD}\n{shared}\n\nFollow us.\n"
    (second / "b2.txt").write_text(copy, encoding="utf-8")
    return first, second


def ledger_content(db: Path) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(db) as conn:
        documents = sorted(conn.execute("SELECT doc, duplicate_of FROM documents").fetchall())
        events = sorted(conn.execute("SELECT doc, event_type, evidence, evidence_start FROM events").fetchall())
    return documents, events


def test_separate_and_concurrent_runs_equal_one_batch(tmp_path: Path) -> None:
    first, second = write_corpus(tmp_path)
    one, two, both = tmp_path / "one.db", tmp_path / "two.db", tmp_path / "both.db"
    api.ingest([first, second], db=one)
    api.ingest([first], db=two)
    api.ingest([second], db=two)
    command = [sys.executable, "-m", "eventledger.cli", "ingest", "--db", str(both), "-q"]
    runs = [subprocess.Popen([*command, str(folder)], stderr=subprocess.PIPE) for folder in (first, second)]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
        if run.stderr:
            run.stderr.close()
    expected = ledger_content(one)
    assert len(expected[1]) >= 3
    assert ledger_content(two) == expected
    assert ledger_content(both) == expected


def test_a_run_stopped_before_its_final_corroboration_leaves_a_stale_ledger(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = write_corpus(tmp_path)
    db = tmp_path / "l.db"
    api.ingest([first], db=db)
    assert not api.ledger_summary(db)["stale"]

    def killed(ledger: Ledger) -> None:
        raise KeyboardInterrupt  # as a kill during the final corroboration: its transaction never commits

    monkeypatch.setattr("eventledger.corroborate.incremental.corroborate_incremental", killed)
    with pytest.raises(KeyboardInterrupt):
        api.ingest([second], db=db)
    monkeypatch.undo()
    info = api.ledger_summary(db)
    assert info["stale"] and "warning: stale" in api.format_ledger_summary(info)
    result = CliRunner().invoke(main, ["summary", "--db", str(db)])
    assert "warning: stale" in result.output
    api.ingest([first], db=db)  # the next run repairs it
    info = api.ledger_summary(db)
    assert not info["stale"] and "warning" not in api.format_ledger_summary(info)
    repaired, fresh = ledger_content(db), tmp_path / "fresh.db"
    api.ingest([first, second], db=fresh)
    assert repaired == ledger_content(fresh)


# --------------------------------------------------------------------------- 17, 18: decoding


@pytest.mark.parametrize("reference", ["&#xFFFE;", "&#xffff;", "&#65534;", "&#xFDD0;", "&#x1FFFE;", "&#xD800;"])
def test_a_noncharacter_reference_does_not_empty_an_html_page(tmp_path: Path, reference: str) -> None:
    page = tmp_path / "p.html"
    page.write_text(f"<html><body><article><p>{GOOD}</p><p>Then {reference} the dock workers marched to "
                    "the port authority building and held a sit-in, the group said.</p></article></body></html>")
    (report,) = read_paths([page])
    assert isinstance(report, Report) and "sit-in" in report.text and "Dock workers" in report.text


def test_strip_noncharacters_keeps_other_references() -> None:
    from eventledger.ingest.decode import strip_noncharacters

    assert strip_noncharacters("a&#xFFFE;b\ufffec&#x41;&amp;&#1602;") == "abc&#x41;&amp;&#1602;"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [GOOD, "کارگران در بوشهر اعتصاب کردند. Workers went on strike, 2024.\n"])
def test_utf16_and_utf32_without_bom_are_read(tmp_path: Path, encoding: str, text: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(encoding))
    (report,) = read_paths([path])
    assert isinstance(report, Report)


def test_random_bytes_with_zeros_stay_binary() -> None:
    import random

    for seed in range(50):
        data = random.Random(seed).randbytes(4_000)
        with pytest.raises(Exception, match=r"binary|undecodable"):
            decode_bytes(data)


# --------------------------------------------------------------------------- the round trip


def test_an_export_fed_back_to_ingest_or_import_is_lossless(tmp_path: Path) -> None:
    first, second = write_corpus(tmp_path)
    db = tmp_path / "l.db"
    api.ingest([first, second], db=db)
    exported = tmp_path / "export.jsonl"
    api.export_ledger(db, "jsonl", exported)
    lines = exported.read_text(encoding="utf-8")
    assert '"incident"' in lines and '"duplicate_of": "a1.txt"' in lines
    runner = CliRunner()
    for command in ("ingest", "import"):
        restored, again = tmp_path / f"{command}.db", tmp_path / f"{command}.jsonl"
        result = runner.invoke(main, [command, str(exported), "--db", str(restored)])
        assert result.exit_code == 0, result.output
        assert "4 documents read, 0 skipped" in result.output
        api.export_ledger(restored, "jsonl", again)
        assert again.read_text(encoding="utf-8") == lines
        assert not api.ledger_summary(restored)["stale"]


def test_switching_a_new_ledger_to_wal_waits_for_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two ingests opening one new ledger: SQLite refuses the second's switch to WAL at once ("database
    is locked", no busy wait), so the switch is tried again until the file is free."""
    from eventledger.store import connection

    class Busy:
        def __init__(self, refusals: int, error: str = "database is locked") -> None:
            self.refusals, self.error, self.mode, self.calls = refusals, error, "delete", 0

        def execute(self, sql: str) -> Busy:
            self.calls += 1
            if sql == "PRAGMA journal_mode=WAL":
                if self.refusals:
                    self.refusals -= 1
                    raise sqlite3.OperationalError(self.error)
                self.mode = "wal"
            return self

        def fetchone(self) -> tuple[str]:
            return (self.mode,)

    pauses: list[float] = []
    monkeypatch.setattr(connection.time, "sleep", pauses.append)
    busy = Busy(refusals=3)
    connection._write_ahead_log(busy)  # type: ignore[arg-type]
    assert busy.mode == "wal" and len(pauses) == 3 and pauses == sorted(pauses)
    already = Busy(refusals=5)
    already.mode = "wal"
    connection._write_ahead_log(already)  # type: ignore[arg-type]
    assert already.calls == 1  # a ledger already in WAL mode is not switched again
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        connection._write_ahead_log(Busy(refusals=1, error="disk I/O error"))  # type: ignore[arg-type]
