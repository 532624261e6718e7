"""PDF and Word reports, and files a folder holds that are not read (issue 17, item 1).

Every PDF and Word file is made here (`paged_docs`); the texts are invented for the tests.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paged_docs import two_column_page, write_docx, write_pdf

from eventledger.cli import main
from eventledger.ingest import IngestFailure, read_paths
from eventledger.ingest.pdf import Box, join_pages, reading_order
from eventledger.models import Report, page_of

LEFT_1 = ["On Tuesday, 5 March 2024, several hundred", "retired teachers gathered outside the",
          "provincial education office in Tabriz to", "demand pensions that had not been paid"]
RIGHT_1 = ["for five months. Witnesses said police", "officers filmed the crowd and detained",
           "two speakers at the end of the rally."]
LEFT_2 = ["The next day, nurses at a hospital in", "Shiraz went on strike over unpaid",
          "overtime and chanted slogans in the"]
RIGHT_2 = ["courtyard. Security forces arrested three", "nurses, according to colleagues."]
INFO = {"Title": "Quarterly pay protests", "Author": "Jane Roe", "CreationDate": "D:20240310120000Z"}
DOCX_PARAGRAPHS = [
    "On Monday, 4 March 2024, about fifty bakers rallied in front of the governor's office in "
    "Isfahan over the price of flour.",
    "Police dispersed the gathering and arrested four bakers.",
]


def two_column_pdf(path: Path) -> Path:
    pages = [two_column_page(1, LEFT_1, RIGHT_1, title="Teachers and nurses protest unpaid pay"),
             two_column_page(2, LEFT_2, RIGHT_2)]
    return write_pdf(path, pages, INFO)


def only_report(path: Path) -> Report:
    items = list(read_paths([path]))
    assert len(items) == 1 and isinstance(items[0], Report), items
    return items[0]


# --------------------------------------------------------------------------- PDF


def test_two_columns_read_as_sentences_without_page_furniture(tmp_path: Path) -> None:
    report = only_report(two_column_pdf(tmp_path / "digest.pdf"))
    assert report.fmt == "pdf"
    # the sentence broken by the column and the one broken by the page are whole again
    assert ("gathered outside the provincial education office in Tabriz to demand pensions that had "
            "not been paid for five months.") in report.text
    assert "chanted slogans in the courtyard. Security forces arrested three nurses" in report.text
    assert report.text.index("Tabriz") < report.text.index("Witnesses") < report.text.index("Shiraz")
    assert "Quarterly Review" not in report.text  # the running header
    assert not any(line.strip().isdigit() for line in report.text.splitlines())  # the page numbers
    assert report.text.startswith("Teachers and nurses protest unpaid pay\n\n")


def test_pdf_metadata_and_page_map(tmp_path: Path) -> None:
    report = only_report(two_column_pdf(tmp_path / "digest.pdf"))
    assert (report.title, report.author) == ("Quarterly pay protests", "Jane Roe")
    assert (report.published, report.published_precision) == (dt.date(2024, 3, 10), "day")
    assert len(report.pages) == 2 and report.pages[0] == 0
    second = report.text.index("The next day")
    assert report.pages[1] <= second
    assert page_of(report, report.text.index("Tabriz")) == 1
    assert page_of(report, second) == 2
    assert page_of(report, len(report.text) - 1) == 2


def test_page_of_a_report_without_pages() -> None:
    assert page_of(Report(doc="a", text="Some text."), 3) is None


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [[], []])
    assert list(read_paths([path])) == [IngestFailure(str(path), "no text layer (scanned?)")]


def test_broken_pdf_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a PDF body")
    [failure] = list(read_paths([path]))
    assert isinstance(failure, IngestFailure) and failure.path == str(path)


def test_reading_order_bands_and_columns() -> None:
    wide = Box("Title across the page", 50, 700, 560, 720)
    left_top, left_low = Box("a", 50, 600, 280, 680), Box("b", 50, 500, 280, 590)
    right_top = Box("c", 320, 600, 560, 680)
    below = Box("Wide closing note", 50, 300, 560, 320)
    right_below = Box("d", 320, 100, 560, 280)
    left_below = Box("e", 50, 150, 280, 280)
    boxes = [right_below, below, left_low, right_top, wide, left_below, left_top]
    order = [b.text for b in reading_order(boxes, 612)]
    assert order == ["Title across the page", "a", "b", "c", "Wide closing note", "e", "d"]


def test_join_pages_runs_a_broken_sentence_on_only_in_lower_case() -> None:
    text, starts = join_pages([["A headline without stop", "The first paragraph ends in"], ["mid sentence."]])
    assert text == "A headline without stop\n\nThe first paragraph ends in mid sentence."
    assert starts == (0, text.index("mid"))


# --------------------------------------------------------------------------- Word


def test_docx_text_and_core_properties(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "brief.docx", "Bakers rally over flour prices", DOCX_PARAGRAPHS,
                      author="John Doe", header="Internal circulation only")
    report = only_report(path)
    assert report.fmt == "docx" and report.doc == "brief.docx"
    assert report.title == "Bakers rally over flour prices" and report.author == "John Doe"
    assert report.published == dt.date(2024, 5, 6)
    assert report.text.split("\n\n")[1:] == DOCX_PARAGRAPHS
    assert "Internal circulation" not in report.text  # the page header is no body text


def test_docx_that_is_no_zip_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"plain words, not a Word file")
    [failure] = list(read_paths([path]))
    assert isinstance(failure, IngestFailure) and failure.reason.startswith("not a readable Word file")


# --------------------------------------------------------------------------- folders


def test_files_a_folder_holds_are_read_or_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "table.xyz").write_bytes(b"\x01\x02")
    (folder / "blob").write_bytes(b"\x00\x01\x02binary")
    (folder / "memo").write_text("Drivers strike in the capital\n\nTaxi drivers stopped work on Sunday.\n")
    (folder / ".hidden.xyz").write_text("ignored")
    items = list(read_paths([folder]))
    failures = sorted((Path(i.path).name, i.reason) for i in items if isinstance(i, IngestFailure))
    assert failures == [("blob", "no file extension, and not text"), ("table.xyz", "unsupported file type (.xyz)")]
    assert [r.doc for r in items if isinstance(r, Report)] == ["memo"]


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_acceptance_folder_of_pdf_docx_scan_and_unknown(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "reports"
    two_column_pdf(folder / "digest.pdf")
    write_docx(folder / "brief.docx", "Bakers rally over flour prices", DOCX_PARAGRAPHS)
    write_pdf(folder / "scan.pdf", [[]])
    (folder / "ledger.xyz").write_bytes(b"\x01\x02\x03")
    out = tmp_path / "out.jsonl"
    target = ["--out", str(out)] if command == "extract" else ["--db", str(tmp_path / "l.db")]
    result = CliRunner().invoke(main, [command, str(folder), *target])
    assert result.exit_code == 1, result.output
    assert f"skipped {folder / 'scan.pdf'}: no text layer (scanned?)" in result.output
    assert f"skipped {folder / 'ledger.xyz'}: unsupported file type (.xyz)" in result.output
    assert "2 documents read, 2 skipped" in result.output
    if command == "extract":
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        events = {r["doc"] for r in records if r["kind"] == "event"}
        assert events == {"digest.pdf", "brief.docx"}
        text = only_report(folder / "digest.pdf").text
        for event in (r for r in records if r["kind"] == "event" and r["doc"] == "digest.pdf"):
            assert text[event["evidence_start"]:event["evidence_end"]] == event["evidence"]


def test_the_ledger_keeps_the_page_map(tmp_path: Path) -> None:
    from eventledger.store import Ledger

    folder = tmp_path / "reports"
    two_column_pdf(folder / "digest.pdf")
    db = tmp_path / "l.db"
    assert CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)]).exit_code == 0
    with Ledger(db, readonly=True) as ledger:
        source = ledger.document_source("digest.pdf")
        report = ledger._stored_report("digest.pdf")
    assert source is not None and source["fmt"] == "pdf" and len(source["pages"]) == 2
    assert report.pages == tuple(source["pages"])
    assert page_of(report, report.text.index("Shiraz")) == 2


def test_a_ledger_without_the_pages_column_gets_it(tmp_path: Path) -> None:
    import sqlite3

    from eventledger.store import Ledger

    db = tmp_path / "old.db"
    Ledger(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE documents DROP COLUMN pages")
    with Ledger(db, readonly=True) as ledger:
        assert ledger.document_source("none") is None
    with sqlite3.connect(db) as conn:
        assert "pages" in {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
