"""The web app end to end in headless Chromium (Debian's `chromium`, driven by Playwright).

The server is the real command (`eventledger serve`) in a subprocess on a free loopback port;
Chromium resolves nothing but loopback, and every request a page makes must go to the server.
Skipped only when chromium is not installed, never in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import datetime as dt
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
    yield from serve(build(tmp_path_factory.mktemp("browser") / "ledger.db"))


@pytest.fixture(scope="module")
def extra_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The ledger with the Persian, paged and long reports (`web_ledger.build(extra=True)`)."""
    yield from serve(build(tmp_path_factory.mktemp("browser-extra") / "ledger.db", xss=False, extra=True))


def serve(db: Path) -> Iterator[str]:
    """`eventledger serve` on `db` on a free port until the test module is done: its base URL."""
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
    yield from watch(browser, server)


@pytest.fixture
def extra_web(browser: Any, extra_server: str) -> Iterator[Watched]:
    yield from watch(browser, extra_server)


def watch(browser: Any, server: str) -> Iterator[Watched]:
    """A fresh browser context on `server`; afterwards, no request left it, no dialog, no error."""
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


# --------------------------------------------------------------------------- the map's date slider


def total(page: Any) -> int:
    page.wait_for_selector("#map[data-ready]")
    return int(page.locator("#map-total").inner_text().replace(",", ""))


def slide(page: Any, which: str, value: int) -> None:
    """Move a slider as a drag ends: its value, then `input` and `change`."""
    page.eval_on_selector(f"#slider-{which}", """(el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', {bubbles: true}));
      el.dispatchEvent(new Event('change', {bubbles: true}));
    }""", value)


def test_the_date_slider_filters_the_markers_and_keeps_the_dates_in_the_url(extra_web: Watched) -> None:
    from web_ledger import MANY, MANY_FIRST

    page = extra_web.page
    extra_web.goto("/?publisher=Example+Bulletin")
    last = MANY_FIRST + dt.timedelta(days=3 * (MANY - 1))
    assert total(page) == MANY
    assert page.locator("#date-slider").get_attribute("data-first") == MANY_FIRST.isoformat()
    assert page.locator("#slider-to").input_value() == page.locator("#slider-to").get_attribute("max") == "189"
    assert page.locator("#map .pt-icon").count() == 4  # 64 events in four towns

    page.focus("#slider-from")
    page.keyboard.press("End")  # from the last day: its one gathering
    page.wait_for_url(f"**/?publisher=Example+Bulletin&from={last}&to={last}")
    assert total(page) == 1
    assert page.locator("#slider-dates").inner_text() == f"{last} – {last}"
    assert page.locator("#map .pt-icon").count() == 1 and page.locator("#map .pt-cluster").count() == 0
    assert page.input_value("form.filters input[name=from]") == last.isoformat()  # the form follows
    assert f"from={last}" in (page.locator("header nav >> text=Table").get_attribute("href") or "")

    slide(page, "from", 0)
    slide(page, "to", 30)  # 1 June to 1 July: a gathering every three days, 11 of them
    page.wait_for_url("**/?publisher=Example+Bulletin&from=2023-06-01&to=2023-07-01")
    assert total(page) == 11
    legend = page.locator("#map-legend").inner_text()
    assert "protest" in legend and "events per province" in legend
    assert web_total(extra_web, "/api/map?publisher=Example+Bulletin&from=2023-06-01&to=2023-07-01") == 11

    extra_web.goto("/?publisher=Example+Bulletin&from=2023-06-01&to=2023-07-01")  # the URL restores it
    assert total(page) == 11
    assert (page.locator("#slider-from").input_value(), page.locator("#slider-to").input_value()) == ("0", "30")
    page.click("#slider-all")
    page.wait_for_url("**/?publisher=Example+Bulletin")
    assert total(page) == MANY


def web_total(web: Watched, path: str) -> int:
    return int(web.json(path)["total"])


def test_the_map_draws_the_neighbours_and_labels_by_zoom(extra_web: Watched) -> None:
    page = extra_web.page
    extra_web.goto("/")
    page.wait_for_selector("#map[data-ready]")
    labels = page.locator("#map .map-label").all_text_contents()
    assert {"Iraq", "Turkey", "Afghanistan", "Caspian Sea", "Persian Gulf", "Tehran"} <= set(labels)
    assert "Qazvin" not in labels and "Gilan" not in labels  # smaller towns and provinces: nearer
    assert page.locator("#map .leaflet-basemap-pane path").count() >= 15  # the neighbours, drawn
    extra_web.goto("/?status=all#8/35.8/51.2")  # the view in the hash
    page.wait_for_selector("#map[data-ready]")
    labels = page.locator("#map .map-label").all_text_contents()
    assert {"Karaj", "Tehran", "Qazvin", "Gilan"} <= set(labels)


# --------------------------------------------------------------------------- review queue, facets


def test_the_review_queue_pages_through_every_unreviewed_record(extra_web: Watched) -> None:
    page = extra_web.page
    expected = extra_web.json("/api/review")["total"]
    assert expected > 50
    extra_web.goto("/review")
    seen: list[str] = []
    confidences: list[float] = []
    while True:
        links = page.locator("#queue tbody a")
        seen += [a.get_attribute("href") or "" for a in links.all()]
        confidences += [float(c) for c in page.locator("#queue tbody td.num").all_inner_texts()]
        assert f"of {expected}" in page.locator("#queue-title").inner_text()
        following = page.locator("#queue-pager a[rel=next]")
        if following.count() == 0:
            break
        following.click()
        page.wait_for_url("**/review?page=*")
    assert page.locator("#queue-title").inner_text() == f"Unreviewed records: 51–{expected} of {expected}"
    assert len(seen) == len(set(seen)) == expected  # every record once
    assert confidences[:50] == sorted(confidences[:50])  # lowest confidence first
    page.click("#queue-pager a[rel=prev]")
    page.wait_for_url("**/review?page=1")
    assert page.locator("#queue-title").inner_text() == f"Unreviewed records: 1–50 of {expected}"


def type_count(page: Any, event_type: str) -> str:
    return page.locator(f"label.type:has(input[value={event_type}]) .count").inner_text()


def test_table_facets_count_under_the_other_filters(extra_web: Watched) -> None:
    page = extra_web.page
    extra_web.goto("/table")
    facets = extra_web.json("/api/events")["facets"]
    assert type_count(page, "protest") == f"{facets['event_type']['protest']:,}" == "68"
    assert type_count(page, "arrest") == "2"
    page.select_option("select[name=province]", "Khuzestan")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/table?province=Khuzestan&sort=date_start")
    assert (type_count(page, "protest"), type_count(page, "arrest")) == ("17", "1")  # narrowed by the province
    gilan = page.locator("select[name=province] option[value=Gilan]").inner_text()
    assert gilan == "Gilan (17)"  # the province's own facet counts the other provinces still
    assert page.locator("table.events tbody tr").count() == 18
    page.check("input[name=type][value=arrest]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/table?type=arrest&province=Khuzestan&sort=date_start")
    assert page.locator("table.events tbody tr").count() == 1
    assert type_count(page, "protest") == "17"  # the type's facet ignores the type filter
    assert page.locator("select[name=publisher] option[value='Example Wire']").inner_text() == "Example Wire (1)"


# --------------------------------------------------------------------------- Persian


def test_persian_evidence_reads_right_to_left_with_its_highlight(extra_web: Watched) -> None:
    from web_ledger import FA_RALLY

    page = extra_web.page
    extra_web.goto("/table?town=" + quote("تبریز") + "&type=protest")
    assert page.locator("table.events tbody tr").count() == 1
    cell = page.locator("table.events td.evidence")
    assert cell.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.click("table.events tbody a")
    page.wait_for_url("**/records/event/*")
    text = page.locator(".doctext")
    assert text.evaluate("el => getComputedStyle(el).direction") == "rtl"
    mark = page.locator(".doctext mark.current")
    assert mark.inner_text() == FA_RALLY
    box, mark_box = text.bounding_box(), mark.bounding_box()
    assert box and mark_box and box["x"] + box["width"] - (mark_box["x"] + mark_box["width"]) < 40  # starts right
    assert page.locator("blockquote.evidence-quote").evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.locator("td[data-field=location]").inner_text() == "Tabriz"


def test_persian_place_names_in_the_filters_and_search(extra_web: Watched) -> None:
    page = extra_web.page
    extra_web.goto("/table")
    page.fill("input[name=town]", "اهواز")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/table?town=*")
    towns = set(page.locator("table.events tbody td:nth-child(5)").all_inner_texts())
    assert towns == {"Ahvaz"}
    extra_web.goto("/table?q=" + quote("اهواز"))
    assert set(page.locator("table.events tbody td:nth-child(5)").all_inner_texts()) == {"Ahvaz"}
    assert page.input_value("input[name=q]") == "اهواز"


def test_a_record_from_a_pdf_shows_its_page(extra_web: Watched) -> None:
    page = extra_web.page
    extra_web.goto("/table?publisher=Example+Review")
    page.click("table.events tbody a")
    page.wait_for_url("**/records/event/*")
    assert page.locator("#pdf-page").inner_text() == "From page 3 of the PDF."
