"""A batch of hostile files through the command line: it ends, keeps the good report, names the rest.

The batch holds one good report among random bytes, an empty file, a 3 MB text on a single
line, an HTML page nested 20,000 levels deep and a file of invalid UTF-8. `eventledger ingest`
runs in a subprocess, as a user would run it; its wall time is bounded by the subprocess
timeout (a hang fails the test), not by a timed assertion.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventledger import api

GOOD = """Teachers rally in Ahvaz as police detain union members

AHVAZ, May 14, 2024 - Hundreds of retired teachers rallied in front of the governor's office in Ahvaz on \
Monday over unpaid pensions, a rights group said.

Security forces arrested at least nine union members in Shush and Dezful on Tuesday, according to the \
Coordinating Council of Teachers' Unions.
"""
# file name -> what stderr must say about it
BAD_REASONS = {
    "random.txt": "binary file",
    "empty.txt": "empty file",
    "one-line.txt": "text too long (3000000 characters > 1000000)",
    "deep.html": "no text found in HTML (nested too deeply",
    "invalid-utf8.txt": "undecodable text",
}
TIMEOUT = 120  # seconds; the batch takes a few seconds, most of it starting Python


def write_batch(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "random.txt").write_bytes(random.Random(0).randbytes(20_000))
    (folder / "empty.txt").write_bytes(b"")
    line = "Protesters rallied in Tehran on Monday and police arrested twelve people "
    (folder / "one-line.txt").write_text((line * (3_000_000 // len(line) + 1))[:3_000_000], encoding="utf-8")
    depth = 20_000
    (folder / "deep.html").write_text(f"<html><body>{'<div>' * depth}Workers rallied.{'</div>' * depth}</body></html>")
    # overlong forms, UTF-16 surrogates, bytes that never occur in UTF-8, lone continuation bytes
    invalid = b"\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80\xfe\xff\x80\xbf"
    (folder / "invalid-utf8.txt").write_bytes(invalid * 300)
    return folder


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    folder = write_batch(root / "reports")
    db = root / "ledger.db"
    done = subprocess.run([sys.executable, "-m", "eventledger.cli", "ingest", str(folder), "--db", str(db)],
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)
    return done, folder, db


def test_batch_ends_partial_without_traceback(batch: tuple[subprocess.CompletedProcess, Path, Path]) -> None:
    done, _, _ = batch
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert "1 documents read, 5 skipped" in done.stderr


@pytest.mark.parametrize("name", sorted(BAD_REASONS))
def test_each_bad_file_is_named_with_its_reason(batch: tuple[subprocess.CompletedProcess, Path, Path],
                                                name: str) -> None:
    done, folder, _ = batch
    assert f"skipped {folder / name}: {BAD_REASONS[name]}" in done.stderr


def rows(db: Path, table: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("id", "ingested_at")]
        return sorted(conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(), key=repr)


def test_good_report_keeps_all_its_records(batch: tuple[subprocess.CompletedProcess, Path, Path],
                                           tmp_path: Path) -> None:
    _, folder, db = batch
    alone = tmp_path / "alone.db"
    api.ingest([folder / "good.txt"], db=alone)
    assert [r[0] for r in rows(db, "documents")] == ["good.txt"]
    for table in ("documents", "events", "claims", "statements"):
        assert rows(db, table) == rows(alone, table), table
    assert len(rows(db, "events")) >= 2
