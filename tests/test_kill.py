"""Crash safety: `eventledger ingest` killed with SIGKILL mid-run leaves a consistent ledger.

A generated corpus of a few hundred short reports is ingested in a subprocess, which is
killed once the ledger shows progress (the test polls the row count, within a deadline).
Then: SQLite's integrity check passes, every stored document has exactly the records its
report gives (all or none: one transaction per document), and a rerun over the same corpus
completes with the very rows of a clean run, no duplicates.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from eventledger import api
from eventledger.bench_corpus import generate
from eventledger.models import Analysis
from eventledger.store import Ledger

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

REPORTS = 200
KILL_AFTER = 25  # stored documents
POLL = 0.02  # seconds
DEADLINE = 120  # seconds for the run to show progress, and for each full run
TABLES = ("documents", "events", "claims", "statements", "problems")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill") / "reports"
    folder.mkdir()
    for n, report in enumerate(generate(REPORTS, seed=5, words=70)):
        (folder / f"report-{n:04d}.txt").write_text(report.text, encoding="utf-8")
    return folder


def command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "eventledger.cli", "ingest", str(corpus), "--db", str(db), "--quiet"]


def stored_documents(db: Path) -> int:
    """Documents committed so far (0 while the ledger does not exist yet)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=POLL) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or locked for a moment
        return 0


def kill_mid_run(corpus: Path, db: Path) -> int:
    """Start an ingest, SIGKILL it once `KILL_AFTER` documents are stored; the count at the kill."""
    process = subprocess.Popen(command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + DEADLINE
    try:
        while (count := stored_documents(db)) < KILL_AFTER:
            if process.poll() is not None:
                pytest.fail(f"ingest ended before it could be killed: {process.stderr.read().decode()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no progress within {DEADLINE} s")
            time.sleep(POLL)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=DEADLINE)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    return count


def table_rows(db: Path) -> dict[str, Counter]:
    """Every row of every ledger table, without row ids and times, counted (so duplicates show)."""
    out = {}
    with sqlite3.connect(db) as conn:
        for table in TABLES:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("id", "ingested_at")]
            out[table] = Counter(conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())
    return out


@pytest.fixture(scope="module")
def killed(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    db = tmp_path_factory.mktemp("killed") / "ledger.db"
    return db, kill_mid_run(corpus, db)


def test_killed_ledger_is_consistent(killed: tuple[Path, int]) -> None:
    db, count_at_kill = killed
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert count_at_kill <= stored < REPORTS, "every commit seen before the kill survives it; killed mid-run"


def test_every_stored_document_has_all_its_records(corpus: Path, killed: tuple[Path, int]) -> None:
    db, _ = killed
    with Ledger(db) as ledger:
        docs = [d.doc for d in ledger.documents()]
        assert docs
        expected = {a.report.doc: a for a in api.extract([corpus / doc for doc in docs]) if isinstance(a, Analysis)}
        for doc in docs:
            analysis = expected[doc]
            assert list(ledger.events(doc=doc)) == list(analysis.events), doc
            assert list(ledger.claims(doc=doc)) == list(analysis.claims), doc
            assert list(ledger.statements(doc=doc)) == list(analysis.statements), doc


def test_rerun_completes_with_no_duplicates(corpus: Path, killed: tuple[Path, int], tmp_path: Path) -> None:
    db, _ = killed
    rerun = subprocess.run(command(corpus, db), capture_output=True, text=True, timeout=DEADLINE, check=False)
    assert rerun.returncode == 0, rerun.stderr
    clean = tmp_path / "clean.db"
    api.ingest([corpus], db=clean)
    after, reference = table_rows(db), table_rows(clean)
    assert sum(after["documents"].values()) == REPORTS
    for table in TABLES:
        assert after[table] == reference[table], table
        assert all(n == 1 for n in after["documents"].values())

