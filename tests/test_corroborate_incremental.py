"""Incremental ledger corroboration takes the full pass's decisions.

The corpus is `test_corroborate`'s synthetic one (near-copies renamed, edited, syndicated, copies
of copies; compilations repeating passages; incidents reported by several documents). For several
ingestion orders and batchings, a ledger corroborated incrementally after every batch must hold
exactly what the same ledger holds when the full pass (`corroborate_ledger`) runs after every
batch instead, and what one batch of everything gives.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from test_corroborate import Corpus, CorpusMaker, _small

from eventledger.corroborate.incremental import corroborate_incremental
from eventledger.corroborate.index import BANDS, ROWS, _lsh_shape
from eventledger.corroborate.ledger import corroborate_ledger
from eventledger.models import Analysis
from eventledger.store import Ledger
from eventledger.store.corroboration import TABLES

Snapshot = tuple[list[object], dict[str, object]]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return CorpusMaker().make()


@pytest.fixture(scope="module")
def analyses(corpus: Corpus) -> list[Analysis]:
    return _small(corpus)


def _snapshot(ledger: Ledger) -> Snapshot:
    with sqlite3.connect(ledger.path) as plain:  # every band row carries its paragraph's group
        assert plain.execute("SELECT COUNT(*) FROM corroboration_bands b JOIN corroboration_passages p"
                             " ON p.id = b.passage WHERE b.grp != p.grp").fetchone()[0] == 0
    return list(ledger.records()), ledger.summary()


def _ingest(path: Path, batches: Sequence[Sequence[Analysis]], *, full: bool) -> Snapshot:
    with Ledger(path) as ledger:
        for batch in batches:
            ledger.write_many(batch)
            if full:
                corroborate_ledger(ledger)
            else:
                corroborate_incremental(ledger)
        return _snapshot(ledger)


def _batches(items: Sequence[Analysis], sizes: Sequence[int]) -> list[list[Analysis]]:
    out, start = [], 0
    for size in sizes:
        out.append(list(items[start:start + size]))
        start += size
    return [b for b in out if b]


def test_band_keys_follow_datasketch() -> None:
    assert _lsh_shape() == (BANDS, ROWS)


@pytest.mark.parametrize("order, sizes", [
    ("forward", (1000,)),
    ("backward", (5, 5, 5, 5, 1000)),
    ("shuffled", (1,) * 12 + (1000,)),
    ("shuffled2", (7, 3, 11, 1000)),
])
def test_incremental_equals_full_pass(analyses: list[Analysis], tmp_path: Path, order: str,
                                      sizes: tuple[int, ...]) -> None:
    items = list(analyses)
    if order == "backward":
        items.reverse()
    elif order.startswith("shuffled"):
        random.Random(order).shuffle(items)
    batches = _batches(items, sizes)
    full = _ingest(tmp_path / "full.db", batches, full=True)
    incremental = _ingest(tmp_path / "incremental.db", batches, full=False)
    assert incremental == full
    one_batch = _ingest(tmp_path / "one.db", [analyses], full=True)
    assert incremental == one_batch
    summary = incremental[1]
    assert summary["duplicate_documents"] > 0 and summary["incidents"] < summary["events"]


def test_incremental_then_full_pass_changes_nothing(analyses: list[Analysis], tmp_path: Path) -> None:
    items = list(analyses)
    random.Random(3).shuffle(items)
    with Ledger(tmp_path / "ledger.db") as ledger:
        for batch in _batches(items, (4, 9, 2, 1000)):
            ledger.write_many(batch)
            corroborate_incremental(ledger)
        before = _snapshot(ledger)
        corroborate_ledger(ledger)
        assert _snapshot(ledger) == before
        assert corroborate_incremental(ledger).documents == 0  # nothing pending


def test_reingest_is_idempotent_and_rewrites_are_recorroborated(analyses: list[Analysis], tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.db") as ledger:
        ledger.write_many(analyses)
        corroborate_incremental(ledger)
        before = _snapshot(ledger)
        ledger.write_many(analyses[::3])  # re-ingested: records come back, then go again
        outcome = corroborate_incremental(ledger)
        assert outcome.documents >= len(analyses[::3])
        assert _snapshot(ledger) == before
        compilation = next(a for a in analyses if a.report.doc == "compilation-00.txt")
        ledger.write(compilation)
        corroborate_incremental(ledger)
        assert _snapshot(ledger) == before


def test_changed_and_deleted_documents_match_the_full_pass(analyses: list[Analysis], tmp_path: Path) -> None:
    """A removal can split a group of paragraphs and a set of near-copies: both passes agree."""
    originals = sorted({a.report.duplicate_of for a in analyses if a.report.duplicate_of} or
                       {a.report.doc for a in analyses})
    results = []
    for name, step in (("full", corroborate_ledger), ("incremental", corroborate_incremental)):
        with Ledger(tmp_path / f"{name}.db") as ledger:
            ledger.write_many(analyses)
            step(ledger)
            for doc in [a.report.doc for a in analyses][:6:2]:
                ledger.delete(doc)
            step(ledger)
            results.append(_snapshot(ledger))
    assert results[0] == results[1]
    assert originals  # the corpus has near-copies to split


def test_old_ledger_is_upgraded(analyses: list[Analysis], tmp_path: Path) -> None:
    """A ledger written before the corroboration tables existed gets them, filled in, on open."""
    path = tmp_path / "old.db"
    with Ledger(path) as ledger:
        ledger.write_many(analyses)
        corroborate_ledger(ledger)
        expected = _snapshot(ledger)
    with sqlite3.connect(path) as plain:
        for table in TABLES:
            plain.execute(f"DROP TABLE {table}")
        plain.execute("UPDATE events SET incident = NULL")  # as if never corroborated
    with Ledger(path) as ledger:
        with sqlite3.connect(path) as plain:
            assert plain.execute("SELECT COUNT(*) FROM corroboration_pending_docs").fetchone()[0] == len(analyses)
            assert plain.execute("SELECT COUNT(*) FROM corroboration_passages").fetchone()[0] > len(analyses)
        corroborate_incremental(ledger)
        assert _snapshot(ledger) == expected


_TOWNS = ("Tabriz", "Mashhad", "Shiraz", "Isfahan", "Ahvaz", "Rasht", "Arak", "Yazd", "Qom", "Karaj", "Urmia",
          "Zahedan", "Hamadan", "Kerman", "Sanandaj", "Bushehr", "Ardabil", "Zanjan", "Semnan", "Gorgan", "Sari",
          "Birjand", "Bojnurd", "Ilam", "Khorramabad", "Yasuj", "Shahrekord", "Qazvin", "Babol", "Amol", "Kashan",
          "Sabzevar", "Neyshabur", "Maragheh", "Khoy", "Marivan", "Saqqez", "Baneh", "Bukan", "Mahabad")


def _note(town: str) -> str:
    return (f"Retired workers of the regional steel company gathered in front of the governor's office in {town}"
            " on Sunday to demand their unpaid pensions, and chanted slogans against rising prices and low wages"
            " while police officers watched from the other side of the street.")


def test_copy_of_an_old_report_is_found_behind_many_template_siblings(tmp_path: Path) -> None:
    """The candidate bounds read only the latest groups of a band key that many groups share (a
    template's common wording). A copy of an old note, written after more template siblings than
    that bound (other towns: not copies), still joins the old note's group: the keys it shares
    with it alone (its town's wording) rank it first."""
    from eventledger.models import Report
    from eventledger.store.corroboration import CANDIDATE_ROWS

    notes = [Analysis(report=Report(doc="original", text=_note("Dezful")))]
    notes += [Analysis(report=Report(doc=f"sibling-{i:02d}", text=_note(town))) for i, town in enumerate(_TOWNS)]
    notes.append(Analysis(report=Report(doc="copy", text="Reprinted with permission.\n\n" + _note("Dezful"))))
    path = tmp_path / "ledger.db"
    with Ledger(path) as ledger:
        ledger.write_many(notes)
    with sqlite3.connect(path) as plain:
        group = dict(plain.execute("SELECT doc, grp FROM corroboration_passages"))
        holders = plain.execute(
            "SELECT MAX(n) FROM (SELECT COUNT(DISTINCT g.grp) AS n FROM corroboration_bands b"
            " JOIN corroboration_band_groups g ON g.band = b.band WHERE b.passage = (SELECT id FROM"
            " corroboration_passages WHERE doc = 'copy') GROUP BY b.band)").fetchone()[0]
    assert holders > CANDIDATE_ROWS  # some of its keys are common: the bound was reached
    assert group["copy"] == group["original"]
    assert len({group[f"sibling-{i:02d}"] for i in range(len(_TOWNS))} | {group["original"]}) == len(_TOWNS) + 1
