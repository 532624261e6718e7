"""Tests of `eventledger.ingest.warc`: one report per archived HTML page.

Every archive is written here with warcio (into pytest's tmp_path); the pages are invented.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventledger.ingest import IngestFailure, discover, iter_items, kind_of, read_paths
from eventledger.models import Report

PAGE = """<html><head><title>{title}</title>
<meta property="article:published_time" content="2024-05-13"></head>
<body><nav>Home | News</nav><article><h1>{title}</h1>
<p>On Monday, retirees rallied in Ahvaz over unpaid pensions, and police detained four people,
a rights group said. The rally went on for several hours outside the governor's office.</p>
<p>Similar gatherings were reported in Shush and Dezful on the same day.</p></article></body></html>"""
EMPTY_PAGE = "<html><body><nav>Home</nav></body></html>"


def response(writer: WARCWriter, uri: str, body: str | bytes, *, content_type: str = "text/html; charset=utf-8",
             status: str = "200 OK") -> None:
    payload = body.encode() if isinstance(body, str) else body
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(payload), http_headers=headers))


def write_archive(path: Path, *, gzip: bool) -> Path:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        response(writer, "https://news.example.org/retirees", PAGE.format(title="Retirees rally in Ahvaz"))
        response(writer, "https://news.example.org/site.css", "body {}", content_type="text/css")
        response(writer, "https://news.example.org/gone", "<html><body>Not found</body></html>",
                 status="404 Not Found")
        response(writer, "https://news.example.org/empty", EMPTY_PAGE)
        response(writer, "https://news.example.org/teachers", PAGE.format(title="Teachers march in Shush"))
    return path


def reports(items: list) -> list[Report]:
    return [i for i in items if isinstance(i, Report)]


def failures(items: list) -> list[IngestFailure]:
    return [i for i in items if isinstance(i, IngestFailure)]


@pytest.mark.parametrize(("name", "gzip"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_html_responses_become_reports(tmp_path: Path, name: str, gzip: bool) -> None:
    path = write_archive(tmp_path / name, gzip=gzip)
    items = list(read_paths([path]))
    first, second = reports(items)
    assert [first.doc, second.doc] == ["https://news.example.org/retirees", "https://news.example.org/teachers"]
    assert first.title == "Retirees rally in Ahvaz"
    assert first.url == "https://news.example.org/retirees"  # no canonical link: the target URI
    assert first.fmt == "warc" and first.source_path == str(path)
    assert "retirees rallied in Ahvaz" in first.text and "Home | News" not in first.text
    assert first.published is not None and first.published.isoformat() == "2024-05-13"
    # the CSS file and the 404 page are passed over; the page without text is reported
    assert [(f.path, f.reason) for f in failures(items)] == [
        (f"{path}:5", "https://news.example.org/empty: no text found in HTML")]


def test_archives_are_found_in_folders(tmp_path: Path) -> None:
    plain = write_archive(tmp_path / "a.warc", gzip=False)
    packed = write_archive(tmp_path / "b.warc.gz", gzip=True)
    (tmp_path / "c.gz").write_bytes(b"not an archive")
    assert kind_of(packed) == "warc" and kind_of(tmp_path / "c.gz") is None
    assert discover([tmp_path]) == [plain, packed, tmp_path / "c.gz"]  # c.gz is listed, to be named as unsupported


def test_garbage_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is no archive\x00\x01\x02\n" * 50)
    good = write_archive(tmp_path / "good.warc.gz", gzip=True)
    items = list(read_paths([junk, good]))
    assert failures(items)[0].path == str(junk)
    assert failures(items)[0].reason.startswith("not a WARC archive")
    assert len(reports(items)) == 2


@pytest.mark.parametrize(("gzip", "cut"), [(False, 200), (True, 200)])
def test_truncated_archive_keeps_what_came_before_the_cut(tmp_path: Path, gzip: bool, cut: int) -> None:
    whole = write_archive(tmp_path / "whole.warc", gzip=gzip).read_bytes()
    path = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    path.write_bytes(whole[:-cut])
    items = list(read_paths([path]))
    assert [r.doc for r in reports(items)] == ["https://news.example.org/retirees"]
    assert items[-1] == IngestFailure(str(path), items[-1].reason)
    assert items[-1].reason.startswith("truncated archive")


def test_archive_cut_inside_its_first_record_is_reported_whole(tmp_path: Path) -> None:
    whole = write_archive(tmp_path / "whole.warc.gz", gzip=True).read_bytes()
    path = tmp_path / "stub.warc.gz"
    path.write_bytes(whole[:30])
    (failure,) = list(read_paths([path]))
    assert failure == IngestFailure(str(path), failure.reason)


def test_archives_are_streamed(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "crawl.warc", gzip=False)
    items = iter_items(path)
    first = next(items)  # one page read, not the whole archive
    assert isinstance(first, Report) and first.doc == "https://news.example.org/retirees"
    items.close()
