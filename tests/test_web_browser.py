"""The web app end to end in headless Chromium (Debian's `chromium`, driven by Playwright).

The server is the real command (`eventledger serve`) in a subprocess on a free loopback port;
Chromium resolves nothing but loopback, and every request a page makes must go to the server.
Skipped only when chromium is not installed, never in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from web_ledger import PAYLOADS, XSS_PLACE, build

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-dev-shm-usage"]
STARTUP_SECONDS = 30

if CHROMIUM is None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium)", pytrace=False)
    pytestmark = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")

# What a page must not contain after rendering documents full of markup: a list of findings.
INERT_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.toLowerCase().startsWith('on')) bad.push(el.tagName + '[' + a.name + ']');
    }
    const href = (el.getAttribute('href') || '') + (el.getAttribute('src') || '') + (el.getAttribute('action') || '');
    if (/^\\s*javascript:/i.test(href) || /^\\s*(https?:)?\\/\\//i.test(href)) bad.push(el.tagName + ' -> ' + href);
  }
  for (const s of document.querySelectorAll('script')) {
    if (!s.src || !s.src.startsWith(location.origin + '/')) bad.push('script: ' + s.outerHTML.slice(0, 60));
  }
  for (const sel of ['iframe', 'object', 'embed', 'base', 'marquee', 'details', 'video', 'math', 'style',
                     'meta[http-equiv]', 'img[src="x"]', 'textarea', 'input[autofocus]']) {
    if (document.querySelector(sel)) bad.push(sel);
  }
  return {bad: bad, xss: window.__xss === undefined ? null : window.__xss};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(process: subprocess.Popen[bytes], port: int) -> None:
    """Until the server accepts connections (bounded); fails if it exits first."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            try:
                process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            said = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"the server exited: {said}") from None
    raise RuntimeError(f"the server did not listen on port {port} within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build(tmp_path_factory.mktemp("browser") / "ledger.db")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "EVENTLEDGER_TOKEN"}
    process = subprocess.Popen([sys.executable, "-m", "eventledger.cli", "serve", "--db", str(db), "--port",
                                str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                               cwd=Path(__file__).parent)
    try:
        wait_for_port(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with what it requested, the dialogs it opened and the errors it raised."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, (path, response and response.status)
        return response

    def json(self, path: str) -> Any:
        response = self.page.request.get(self.base + path)
        assert response.ok, path
        return response.json()


@pytest.fixture
def web(browser: Any, server: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    watched = Watched(context.new_page(), server)
    try:
        yield watched
        outside = [u for u in watched.requests if not u.startswith(server + "/") and not u.startswith("data:")]
        assert outside == [], "requests outside the server"
        assert watched.dialogs == [], "a dialog was opened"
        assert watched.errors == [], "errors in the page"
    finally:
        context.close()


def test_map_loads_offline(web: Watched) -> None:
    web.goto("/")
    page = web.page
    page.wait_for_selector("#map[data-ready]", timeout=15_000)
    assert page.locator("#map path.leaflet-interactive").count() == 31  # the provinces
    assert page.locator("#map .leaflet-marker-icon").count() >= 4
    assert page.locator("#map .pt-cluster").count() >= 1  # nearby events are clustered
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in attribution and "GeoNames" in attribution
    assert page.locator("#map-total").inner_text() == "9"
    assert any(u.endswith("/vendor/leaflet/leaflet.js") for u in web.requests)
    assert any("/api/map" in u for u in web.requests) and any("/static/provinces.geojson" in u for u in web.requests)


def test_filters_are_kept_in_the_url_across_views(web: Watched) -> None:
    page = web.page
    web.goto("/")
    page.check("input[name=type][value=activism]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?type=activism")  # empty filters are left out of the URL
    page.wait_for_selector("#map[data-ready]")
    assert page.locator("#map-total").inner_text() == "2"
    page.click("header nav >> text=Table")
    page.wait_for_url("**/table?type=activism")
    assert page.locator("table.events tbody tr").count() == 2
    page.select_option("select[name=province]", "Tehran")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/table?type=activism&province=Tehran&sort=date_start")
    rows = page.locator("table.events tbody tr")
    assert rows.count() == 1 and "Tehran" in rows.first.inner_text()
    download = page.locator("a[href^='/api/events.csv']").get_attribute("href")
    assert download == "/api/events.csv?type=activism&province=Tehran"  # the download is the selection
    page.click("header nav >> text=Timeline")
    assert "type=activism" in page.url and "province=Tehran" in page.url
    assert page.locator("svg.chart rect.bar").count() == 1


def test_open_a_record_and_review_it(web: Watched) -> None:
    page = web.page
    web.goto("/table?town=Rasht")
    page.click("table.events tbody a")
    page.wait_for_url("**/records/event/*")
    record_id = page.url.rsplit("/", 1)[-1]
    assert page.locator(".doctext mark.current").inner_text() == "Bazaar merchants went on strike in Rasht on March 14."
    assert page.locator("#status").inner_text() == "unreviewed"

    page.fill("input[name=reviewer]", "Tester")
    page.select_option("select[name=event_type]", "arrest")
    page.click("button[value=edited]")  # the tactic "strike" does not fit an arrest: refused, nothing saved
    assert "does not belong to arrest" in page.locator("#review-error").inner_text()
    assert page.locator("#status").inner_text() == "unreviewed"
    web.errors.remove("Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)")
    page.select_option("select[name=tactic]", "arrest")
    page.fill("input[name=arrests]", "12")
    page.fill("input[name=date_end]", "2024-03-15")
    page.click("button[value=edited]")
    page.wait_for_selector("#saved")
    assert page.locator("#status").inner_text() == "edited"
    assert "protest" in page.locator("td[data-field=event_type] del").inner_text()  # the original, shown
    assert "Tester" in page.locator("#audit").inner_text()

    data = web.json(f"/api/records/event/{record_id}")["row"]
    assert data["record"]["event_type"] == "arrest" and data["record"]["arrests"] == 12
    assert data["original"]["event_type"] == "protest" and data["original"]["arrests"] is None
    page.click("button[value=rejected]")
    page.wait_for_selector("#saved")
    assert page.locator("#status").inner_text() == "rejected"
    web.goto("/table?town=Rasht")
    assert page.locator("table.events tbody td.empty").count() == 1  # rejected events leave the views
    web.goto("/review")
    assert "edited → rejected" in page.locator("#audit-log").inner_text()


def test_markup_in_documents_is_shown_as_text(web: Watched) -> None:
    page = web.page
    assert len(PAYLOADS) >= 20
    events = web.json("/api/events?publisher=" + quote(PAYLOADS[1]))["events"]
    record = web.json(f"/api/records/event/{events[0]['id']}")
    pages = [f"/records/event/{e['id']}" for e in events]
    pages += [f"/records/{r['kind']}/{r['id']}" for r in record["records"] if r["kind"] != "event"]
    pages += ["/documents?doc=" + quote(record["document"]["doc"]), "/table?q=" + quote("<"), "/review",
              "/figures", "/timeline", "/api", "/?town=" + quote(XSS_PLACE)]
    for path in pages:
        web.goto(path)
        if path.startswith("/?"):
            page.wait_for_selector("#map[data-ready]")
            page.click("#map .leaflet-marker-icon")
            assert page.locator(".pt-popup strong").inner_text() == XSS_PLACE
            assert page.input_value("input[name=town]") == XSS_PLACE
        found = page.evaluate(INERT_CHECK)
        assert found == {"bad": [], "xss": None}, path
    web.goto("/documents?doc=" + quote(record["document"]["doc"]))
    text = page.locator(".doctext").inner_text()
    assert all(payload in text for payload in PAYLOADS)  # every payload, shown verbatim
    assert page.title().startswith(PAYLOADS[13] + PAYLOADS[0])
    assert page.locator(".doctext mark").count() >= 4
