"""Rough edges of issue 17 (item 7): failed runs leave no files; the progress bar knows its total."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from eventledger.cli import _input_count, main


def test_extract_on_a_missing_path_leaves_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nowhere"), "--out", str(out)])
    assert result.exit_code == 3 and "no such file or directory" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_failed_extract_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "nowhere"), "--out", str(out)]).exit_code == 3
    assert out.read_text() == "kept\n"


def test_ingest_of_nothing_leaves_no_database(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "nowhere.txt"), "--db", str(db)])
    assert result.exit_code == 3
    assert list(tmp_path.iterdir()) == []


def test_a_failed_ingest_keeps_an_existing_ledger(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Workers rally in the capital\n\nHundreds of workers rallied on Monday.\n")
    db = tmp_path / "ledger.db"
    assert CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db)]).exit_code == 0
    assert CliRunner().invoke(main, ["ingest", str(tmp_path / "nowhere.txt"), "--db", str(db)]).exit_code == 3
    assert db.exists()
    assert "documents   1" in CliRunner().invoke(main, ["summary", "--db", str(db)]).output


def test_progress_total_is_known_for_one_report_per_file(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c/d.md", "memo"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text")
    assert _input_count((str(tmp_path),)) == 4
    (tmp_path / "rows.jsonl").write_text("{}\n")
    assert _input_count((str(tmp_path),)) is None  # a JSON Lines file holds any number of reports
