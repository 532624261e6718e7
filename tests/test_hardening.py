"""Hostile inputs and requests (issue 16, security and bounded cost): each test names the item.

Every text here is written for the tests. Servers are started and stopped by the tests, on
127.0.0.1 only; no test sleeps: waiting is on events (a served request, a process's exit).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient
from local_http import QuietHandler, serving

from eventledger.export import export
from eventledger.ingest import IngestFailure, read_paths
from eventledger.models import Analysis, Document, Event, Record, Report
from eventledger.store import Ledger
from eventledger.web import create_app

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test wire</title>
<item><guid>wire-1</guid><title>Teachers rally</title>
<description>Teachers rallied in front of the education office in Tabriz on Sunday over pay.</description>
</item></channel></rss>"""


TEXT = "Farmers gathered at the dam in Isfahan on Friday to ask for their water share."
FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
            "\tindented", "\rreturn", "\uff1d1+1")


def event(**fields: Any) -> Event:
    base: dict[str, Any] = {"doc": "r.txt", "event_type": "protest", "tactic": "rally", "date_start": "2023-05-05",
                            "date_end": "2023-05-05", "time_precision": "day", "actor1": "Farmers",
                            "actor_class": "civilians", "evidence": TEXT, "evidence_start": 0,
                            "evidence_end": len(TEXT), "latitude": 32.65, "longitude": -51.67,
                            "location": "Isfahan", "admin1": "Isfahan", "country": "IR"}
    return Event(**{**base, **fields})


def make_ledger(path: Path, *events: Event, publisher: str = "Test Wire") -> Path:
    report = Report(doc="r.txt", text=TEXT, title="Farmers at the dam", publisher=publisher,
                    published=dt.date(2023, 5, 6), published_precision="day")
    with Ledger(path) as ledger:
        ledger.write(Analysis(report=report, events=events or (event(),)))
    return path


# --------------------------------------------------------------------------- 7: feed bytes, never a path


def test_feed_holding_a_path_is_not_read_as_that_file(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "private.rss"
    other.parent.mkdir()
    other.write_bytes(FEED)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "pointer.rss").write_bytes(str(other).encode())
    items = list(read_paths([inputs]))
    assert not any(isinstance(item, Report) for item in items)
    assert [type(item) for item in items] == [IngestFailure]
    assert "Teachers" not in repr(items)


# --------------------------------------------------------------------------- 8: CSV formula injection


def formula_events() -> list[Record]:
    return [Document(doc="r.txt", publisher=FORMULAS[0]),
            *(event(actor1=f, target=f, location=f, evidence=f, evidence_end=len(f)) for f in FORMULAS)]


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_neutral(text: str) -> None:
    found = cells(text)
    for formula in FORMULAS:
        assert formula not in found and "'" + formula in found
    assert [cell for cell in found if cell and cell[0] in "=+-@\t\r\uff1d"] == ["-51.67"] * len(FORMULAS)  # a number


@pytest.mark.parametrize("fmt", ["csv", "acled-csv"])
def test_exported_formulas_are_neutralised(fmt: str) -> None:
    out = io.StringIO()
    export(formula_events(), fmt, out)
    assert_neutral(out.getvalue())


def test_downloaded_formulas_are_neutralised(tmp_path: Path) -> None:
    db = make_ledger(tmp_path / "l.db", *(e for e in formula_events() if isinstance(e, Event)))
    answer = TestClient(create_app(db)).get("/api/events.csv?status=all")
    assert answer.status_code == 200
    assert_neutral(answer.text)


# --------------------------------------------------------------------------- 9: Host check on every loopback address


def served_app(db: Path, host: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app `serve` would run on `host` (uvicorn is not started)."""
    import uvicorn

    from eventledger.web import serve

    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: apps.append(app))
    serve(db, host=host, port=8000, announce=lambda line: None)
    return apps[0]


@pytest.mark.parametrize("host", ["::1", "127.0.0.1", "127.0.0.2", "::ffff:127.0.0.1", "localhost"])
def test_loopback_servers_refuse_foreign_host_names(tmp_path: Path, host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = served_app(make_ledger(tmp_path / "l.db"), host, monkeypatch)
    shown = f"[{host}]" if ":" in host else host
    assert TestClient(app, base_url="http://rebound.example:8000").get("/api/session").status_code == 400
    assert TestClient(app, base_url="http://rebound.example").get("/api/events").status_code == 400
    for own in (f"http://{shown}:8000", "http://localhost:8000", "http://[::1]:8000", "http://127.0.0.1"):
        assert TestClient(app, base_url=own).get("/api/session").status_code == 200, own


def test_host_header_parsing() -> None:
    from eventledger.web.security import host_name, is_loopback

    assert host_name("[::1]:8000") == "::1" and host_name("LOCALHOST:80") == "localhost"
    assert host_name("::1") is None and host_name("[::1]x") is None and host_name("") is None
    assert is_loopback("::1") and is_loopback("::ffff:127.0.0.1") and is_loopback("127.8.9.10")
    assert not is_loopback("::") and not is_loopback("0.0.0.0") and not is_loopback("::ffff:10.0.0.1")


# --------------------------------------------------------------------------- 10: redirects of fetched URLs


class Redirects(QuietHandler):
    """/hop/N redirects to /hop/N+1 for ever; /ftp and /file redirect away from the web."""

    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Redirects.paths.append(self.path)
        if self.path.startswith("/hop/"):
            target = f"/hop/{int(self.path[5:]) + 1}"
        else:
            target = {"/ftp": "ftp://127.0.0.1:9/pub/report.txt", "/file": "file:///etc/hostname"}[self.path]
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def redirecting() -> Iterator[str]:
    with serving(Redirects) as url:
        yield url


def test_only_web_redirects_are_followed(redirecting: str) -> None:
    from eventledger.ingest.urls import fetch_urls

    ftp, local = fetch_urls([f"{redirecting}/ftp", f"{redirecting}/file"], delay=0, timeout=5)
    assert isinstance(ftp, IngestFailure) and "redirect to a non-http(s) URL refused (ftp)" in ftp.reason
    assert isinstance(local, IngestFailure) and "HTTP 302" in local.reason


def test_redirects_are_followed_to_a_bounded_depth(redirecting: str) -> None:
    from eventledger.ingest.urls import fetch_urls

    Redirects.paths.clear()
    [failure] = fetch_urls([f"{redirecting}/hop/0"], delay=0, timeout=5)
    assert isinstance(failure, IngestFailure) and failure.reason.startswith("HTTP 302")
    assert Redirects.paths == [f"/hop/{n}" for n in range(6)]  # the first request and 5 redirects


# --------------------------------------------------------------------------- 14: absurd requests answer 4xx


HUGE = "99999999999999999999"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = make_ledger(tmp_path_factory.mktemp("web") / "l.db")
    return TestClient(create_app(db), raise_server_exceptions=False)


@pytest.mark.parametrize("url", [
    f"/api/events?offset={HUGE}", f"/api/events?limit=5&offset={HUGE}", f"/table?page={HUGE}",
    f"/api/records/event/{HUGE}", f"/records/event/{HUGE}", f"/api/records/claim/-{HUGE}",
    "/api/events?q=" + "a" * 65_000, "/table?q=" + "b" * 65_000, "/api/events.csv?q=" + "c" * 65_000,
    "/timeline?q=" + "d" * 65_000, "/api/map?town=" + "e" * 65_000,
])
def test_absurd_requests_are_refused_with_a_message(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code in (400, 422), answer.status_code
    assert ("too long" in answer.text or "less than or equal" in answer.text
            or "greater than or equal" in answer.text)


@pytest.mark.parametrize("body, content_type", [
    (b"\xff\xfe not json", "text/plain"), (b"status=accepted&reviewer=me", "application/x-www-form-urlencoded"),
    (b"{not json", "application/json"), (b"[1, 2]", "application/json"),
])
def test_review_bodies_that_are_no_json_object_answer_422(client: TestClient, body: bytes, content_type: str) -> None:
    token = client.get("/api/session").json()["csrf_token"]
    answer = client.post("/api/records/event/1/review", content=body,
                         headers={"X-CSRF-Token": token, "Content-Type": content_type})
    assert answer.status_code == 422
    assert [error["loc"][0] for error in answer.json()["detail"]] == ["body"]
    assert "not json" not in answer.text  # the input is not echoed


# --------------------------------------------------------------------------- 11: implausible dates, bounded timeline


@pytest.mark.parametrize("step", ["auto", "day", "week", "month"])
def test_timeline_of_dates_centuries_apart_is_bounded(tmp_path: Path, step: str) -> None:
    from eventledger.web.timeline import MAX_BUCKETS

    db = make_ledger(tmp_path / "l.db", event(date_start="0001-01-01", date_end="0001-01-01"),
                     event(date_start="2023-05-05", date_end="2023-05-05"),
                     event(date_start="9999-12-31", date_end="9999-12-31"))
    client = TestClient(create_app(db), raise_server_exceptions=False)
    data = client.get(f"/api/timeline?step={step}&status=all").json()
    assert 3 <= len(data["buckets"]) <= MAX_BUCKETS and sum(b["total"] for b in data["buckets"]) == 3
    assert data["buckets"][-1]["end"] == "9999-12-31"
    assert client.get(f"/timeline?step={step}&status=all").status_code == 200


def test_timeline_coarsens_a_step_that_gives_too_many_buckets() -> None:
    from eventledger.web.timeline import MAX_BUCKETS, timeline

    data = timeline([("1900-01-01", "protest", 1), ("2020-06-30", "protest", 2)], step="day")
    assert data["step"] == "month" and len(data["buckets"]) == 120 * 12 + 6 <= MAX_BUCKETS
    assert "sparse" not in data and data["max"] == 2
    assert timeline([("2020-01-01", "protest", 1), ("2020-03-01", "strike", 1)], "day")["step"] == "day"


def analysed(text: str, published: dt.date | None) -> Analysis:
    from eventledger.pipeline import run_stages, warm_up

    return run_stages(Report(doc="d.txt", text=text, published=published), warm_up())


def test_dates_before_1900_or_long_after_publication_are_no_event_dates() -> None:
    text = ("Nurses rallied outside the hospital in Shiraz on 1 January 1850. "
            "Retirees protested in Tabriz on 3 May 2023.")
    analysis = analysed(text, dt.date(2023, 5, 6))
    assert all(m.date_start and m.date_start.year >= 1900 for m in analysis.dates)
    assert all(e.date_start is None or e.date_start >= "1900" for e in analysis.events)
    [problem] = [p for p in analysis.problems if p.stage == "dates.v1"]
    assert "1 January 1850" in problem.message and "implausible" in problem.message


def test_a_date_set_aside_is_reported_but_the_run_is_complete(tmp_path: Path) -> None:
    """An implausible date is a finding about a report read whole: it is printed, and the run exits 0
    (exit 1 says inputs were skipped, and none was)."""
    from click.testing import CliRunner

    from eventledger.cli import main

    report = tmp_path / "r.txt"
    report.write_text("Nurses rallied outside the hospital in Shiraz on 1 January 1850. "
                      "Retirees protested in Tabriz on 3 May 2023.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(report), "--out", str(tmp_path / "out.jsonl"), "-q"])
    assert result.exit_code == 0, result.output
    assert "implausible dates left out" in result.output


@pytest.mark.parametrize("published", [dt.date(9999, 12, 31), dt.date(1, 1, 2)])
def test_implausible_publication_dates_are_not_used(published: dt.date) -> None:
    analysis = analysed("Nurses rallied outside the hospital in Shiraz yesterday.", published)
    assert analysis.report.published is None
    assert [e.date_start for e in analysis.events] == [None]
    assert any(p.stage == "dates.v1" and str(published) in p.message for p in analysis.problems)
    assert not [p for p in analysis.problems if p.stage != "dates.v1"]


# --------------------------------------------------------------------------- 12: tags crowded with attributes


PARAGRAPH = "<p>Teachers rallied in front of the education office in Tabriz on Sunday over their pay and pensions.</p>"


def crowded_page(attributes: int) -> bytes:
    crowd = " ".join(f'data-k{n}="v{n}"' for n in range(attributes))
    return f"<html><body><div {crowd}>x</div><article>{PARAGRAPH}</article></body></html>".encode()


def test_crowded_tags_are_cut_before_parsing() -> None:
    from eventledger.ingest.html import MAX_ATTRIBUTES, tame_attributes

    markup = crowded_page(MAX_ATTRIBUTES + 50).decode()
    tamed = tame_attributes(markup)
    assert f'data-k{MAX_ATTRIBUTES - 1}="v{MAX_ATTRIBUTES - 1}"' in tamed and f"data-k{MAX_ATTRIBUTES}=" not in tamed
    assert tamed.endswith(f'>x</div><article>{PARAGRAPH}</article></body></html>')
    normal = crowded_page(MAX_ATTRIBUTES).decode() + "<a href=x/y title='a>b' download>z</a>"
    assert tame_attributes(normal) == normal


def test_a_page_with_a_quarter_million_attributes_is_parsed_without_them(tmp_path: Path) -> None:
    """libxml2's parse, uninterruptible, is quadratic in one tag's attributes: this page cost
    about two minutes when the parser saw them all."""
    from types import SimpleNamespace

    from eventledger.ingest import html
    from eventledger.ingest.sources import load_registry

    seen: list[int] = []

    def extract(markup: str) -> Any:
        seen.append(markup.count("data-k"))
        return SimpleNamespace(text="Teachers rallied in Tabriz on Sunday.", date=None, url=None, title=None,
                               author=None, sitename=None)

    page = tmp_path / "crowded.html"
    page.write_bytes(crowded_page(250_000))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html, "extract", extract)
        [report] = html.read(page, page.read_bytes(), load_registry())
    assert report.text.startswith("Teachers rallied") and seen == [256]  # html.MAX_ATTRIBUTES


def test_the_crowded_page_is_read_whole(tmp_path: Path) -> None:
    from eventledger.ingest import html
    from eventledger.ingest.sources import load_registry

    page = tmp_path / "crowded.html"
    page.write_bytes(crowded_page(250_000))
    [report] = html.read(page, page.read_bytes(), load_registry())
    assert "Teachers rallied in front of the education office" in report.text


# --------------------------------------------------------------------------- 13: WARC headers read with a cap


def warc_with_a_long_header(path: Path, padding: int) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = f"<html><head><title>Teachers rally</title></head><body><article>{PARAGRAPH}</article></body></html>"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n, extra in enumerate([[], [("X-Padding", "p" * padding)], []]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *extra], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example.org/{n}", "response",
                                                          payload=io.BytesIO(page.encode()), http_headers=headers))
    return path


def test_a_huge_warc_header_line_is_refused_not_read_whole(tmp_path: Path) -> None:
    archive = warc_with_a_long_header(tmp_path / "long.warc.gz", 3 << 20)  # 3 MB: 3 x MAX_HEADER_BYTES
    items = list(read_paths([archive]))
    assert [i.doc for i in items if isinstance(i, Report)] == ["https://news.example.org/0"]
    [failure] = [i for i in items if isinstance(i, IngestFailure)]
    assert failure.reason == f"corrupt archive after record 1 (header longer than {1 << 20} bytes)"


def test_warc_header_cap_keeps_ordinary_headers(tmp_path: Path) -> None:
    archive = warc_with_a_long_header(tmp_path / "fine.warc.gz", 50_000)
    assert [i.doc for i in read_paths([archive]) if isinstance(i, Report)] == [
        f"https://news.example.org/{n}" for n in range(3)]


# --------------------------------------------------------------------------- 16: a read-only ledger is read


def _without_file_override() -> None:
    """In the child before exec: no power to write files one may not write (root's
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH leave the bounding set)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


WEB_CHECK = """
import sys
from fastapi.testclient import TestClient
from eventledger.web import create_app
client = TestClient(create_app(sys.argv[1]), raise_server_exceptions=False)
for url in ("/", "/table", "/timeline", "/records/event/1", "/api/events", "/api/review", "/api/events.csv"):
    print(url, client.get(url).status_code)
token = client.get("/api/session").json()["csrf_token"]
answer = client.post("/api/records/event/1/review", json={"status": "accepted", "reviewer": "me"},
                     headers={"X-CSRF-Token": token})
print("review", answer.status_code, "read-only" in answer.text)
"""


@pytest.fixture
def readonly_ledger() -> Iterator[Path]:
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="readonly-"))
    db = make_ledger(folder / "l.db")
    Ledger(db).close()
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield db
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
        assert not os.path.exists(folder)


def run_reader(*args: str) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        try:
            subprocess.run([sys.executable, "-c", ""], preexec_fn=_without_file_override, check=True)
        except (OSError, subprocess.SubprocessError):
            pytest.skip("running as root without the right to give up CAP_DAC_OVERRIDE")
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=_without_file_override if os.geteuid() == 0 else None)


@pytest.mark.parametrize("command", [["summary"], ["export", "--format", "csv"], ["export"], ["incidents"],
                                     ["figures"]])
def test_reading_commands_work_on_a_read_only_ledger(readonly_ledger: Path, command: list[str]) -> None:
    before = readonly_ledger.read_bytes()
    done = run_reader("-m", "eventledger.cli", *command, "--db", str(readonly_ledger))
    assert done.returncode == 0, done.stderr
    assert any(word in done.stdout for word in ("Farmers", "documents", "incidents", "figures"))
    assert readonly_ledger.read_bytes() == before and sorted(readonly_ledger.parent.iterdir()) == [readonly_ledger]


def test_serve_reads_a_read_only_ledger_and_refuses_reviews(readonly_ledger: Path) -> None:
    done = run_reader("-c", WEB_CHECK, str(readonly_ledger))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(line.endswith(" 200") for line in lines[:-1]), lines
    assert lines[-1] == "review 409 True"


# --------------------------------------------------------------------------- 15: no process outlives a killed pool


POOL = """
import json, os
from eventledger.parallel import ParallelPipeline

def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rpartition(")")[2].split()[1])
            except OSError:
                continue
            if ppid == pid:
                found += [int(entry), *children(int(entry))]
    return found

pool = ParallelPipeline(workers=2, pipeline_names=("text.v1",))
pool.wait_ready()
print(json.dumps(children(os.getpid())), flush=True)
input()
"""


@pytest.mark.skipif(not hasattr(os, "pidfd_open") or not Path("/proc/self/stat").exists(), reason="Linux only")
def test_a_killed_pool_leaves_no_process_behind() -> None:
    import json
    import select
    import signal

    parent = subprocess.Popen([sys.executable, "-c", POOL], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    handles: dict[int, int] = {}
    try:
        left = json.loads(parent.stdout.readline())  # workers, forkserver, resource tracker
        assert len(left) >= 4
        for pid in left:
            try:
                handles[pid] = os.pidfd_open(pid)
            except ProcessLookupError:
                continue
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=60)
        waiting = dict(handles)
        while waiting:  # each pidfd turns readable when its process ends: no polling
            ready, _, _ = select.select(list(waiting.values()), [], [], 60)
            assert ready, f"still running a minute after the parent was killed: {sorted(waiting)}"
            waiting = {pid: fd for pid, fd in waiting.items() if fd not in ready}
    finally:
        parent.kill()
        for pid, handle in handles.items():
            if select.select([handle], [], [], 0)[0] == []:
                os.kill(pid, signal.SIGKILL)
            os.close(handle)
