"""Tests of `eventledger.ingest.urls`: fetching reports from a list of URLs.

Nothing here reaches the network: every URL points at an HTTP server on 127.0.0.1 that the
test starts and stops, serving pages written here.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from local_http import QuietHandler, serving

from eventledger.ingest import IngestFailure, read_paths
from eventledger.ingest.urls import USER_AGENT, RateLimiter, fetch_urls, url_list
from eventledger.models import Report

PAGE = b"""<html><head><title>Workers strike in Arak</title></head><body><article>
<h1>Workers strike in Arak</h1><p>Workers of a machinery plant in Arak went on strike on Monday over
unpaid wages, and security forces detained three of them, a labour group said.</p></article></body></html>"""
PAGES = {
    "/strike": ("text/html; charset=utf-8", PAGE),
    "/notes.txt": ("text/plain; charset=utf-8", b"Retirees rallied in Ahvaz on Sunday over pensions.\n"),
    "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


class Handler(QuietHandler):
    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Handler.agents.append(self.headers.get("User-Agent", ""))
        found = PAGES.get(self.path)
        if found is None:
            self.send_error(404)
            return
        content_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    with serving(Handler) as url:
        yield url


def test_pages_are_fetched_and_read(server: str) -> None:
    Handler.agents.clear()
    items = list(fetch_urls([f"{server}/strike", f"{server}/notes.txt"], delay=0, timeout=5))
    html, text = items
    assert isinstance(html, Report) and isinstance(text, Report)
    assert html.doc == f"{server}/strike" and html.title == "Workers strike in Arak"
    assert "went on strike on Monday" in html.text and html.fmt == "url"
    assert text.doc == f"{server}/notes.txt" and text.text.startswith("Retirees rallied in Ahvaz")
    assert Handler.agents == [USER_AGENT, USER_AGENT]


def test_failures_are_reported_and_the_list_goes_on(server: str) -> None:
    urls = [f"{server}/missing", "ftp://example.org/file", f"{server}/image.png", f"{server}/strike"]
    items = list(fetch_urls(urls, delay=0, timeout=5))
    assert items[:3] == [
        IngestFailure(f"{server}/missing", "HTTP 404 Not Found"),
        IngestFailure("ftp://example.org/file", "not an http(s) URL"),
        IngestFailure(f"{server}/image.png", "unsupported content type image/png"),
    ]
    assert isinstance(items[3], Report)


def test_oversized_answer_is_refused(server: str) -> None:
    (failure,) = list(fetch_urls([f"{server}/strike"], delay=0, timeout=5, max_bytes=100))
    assert failure == IngestFailure(f"{server}/strike", "answer too large (> 100 bytes)")


def test_timeout() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/slow"
        (failure,) = list(fetch_urls([url], delay=0, timeout=0.2))
    assert isinstance(failure, IngestFailure) and "timed out" in failure.reason


def test_rate_limit_per_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(1.5, clock=lambda: now[0], sleep=sleep)
    limiter.wait("a.example")
    limiter.wait("b.example")  # another host: no wait
    now[0] += 0.5
    limiter.wait("a.example")  # 0.5 s after the last request to a.example: wait 1 s more
    now[0] += 2.0
    limiter.wait("a.example")  # long enough ago
    assert slept == [pytest.approx(1.0)]


def test_urls_file(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("eventledger.ingest.urls.DEFAULT_DELAY", 0.0)
    listing = tmp_path / "reading.urls"
    listing.write_text(f"# to read\n{server}/strike\n\n{server}/missing\n", encoding="utf-8")
    assert url_list(listing.read_bytes()) == [f"{server}/strike", f"{server}/missing"]
    items = list(read_paths([tmp_path]))
    assert isinstance(items[0], Report) and items[0].doc == f"{server}/strike"
    assert items[1] == IngestFailure(f"{listing}:4 ({server}/missing)", "HTTP 404 Not Found")  # with its line


def test_empty_urls_file(tmp_path: Path) -> None:
    listing = tmp_path / "none.urls"
    listing.write_text("# nothing yet\n", encoding="utf-8")
    assert list(read_paths([listing])) == [IngestFailure(str(listing), "no URLs in file")]
