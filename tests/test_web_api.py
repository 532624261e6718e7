"""The web app in-process: pages and their JSON twins, filters, downloads, review, security."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from web_ledger import PAYLOADS, TEXT_A, XSS_PLACE, analysis_a, analysis_b, build

from eventledger.cli import main
from eventledger.models import Analysis, Event, Report
from eventledger.store import Ledger
from eventledger.web import ServeError, create_app, is_loopback, serve
from eventledger.web.app import HERE, vendor_dirs

PAGES = ("/", "/timeline", "/table", "/figures", "/review", "/api", "/records/event/1", "/records/claim/1",
         "/records/statement/1", "/documents?doc=a.txt")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("web") / "ledger.db")


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    return build(tmp_path / "ledger.db")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


def ids(client: TestClient, query: str) -> list[int]:
    response = client.get("/api/events" + query)
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["events"]]


def csrf(client: TestClient) -> str:
    return client.get("/api/session").json()["csrf_token"]


# --------------------------------------------------------------------------- pages and twins


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_a_json_twin(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    twin = re.search(r'class="twin" href="([^"]+)"', response.text).group(1).replace("&amp;", "&")
    data = client.get(twin)
    assert data.status_code == 200 and data.headers["content-type"].startswith("application/json")
    assert data.json()


@pytest.mark.parametrize("page", PAGES)
def test_pages_reference_no_external_url(client: TestClient, page: str) -> None:
    html = client.get(page).text
    references = re.findall(r'\b(?:src|href|action)="([^"]*)"', html)
    assert references and all(r.startswith(("/", "#", "?", "data:")) and not r.startswith("//")
                              for r in references), references
    assert "url(" not in "".join(re.findall(r'style="([^"]*)"', html))


def test_own_and_vendored_assets_are_local(client: TestClient) -> None:
    for name in ("app.css", "app.js", "map.js"):
        text = (HERE / "static" / name).read_text()
        assert "http" not in text and "//" not in text.replace("// ", "").replace("//\n", ""), name
    for folder in vendor_dirs().values():
        for css in folder.glob("*.css"):
            assert all(not u.strip("'\"").startswith(("http", "//"))
                       for u in re.findall(r"url\(([^)]*)\)", css.read_text())), css
    for url in ("/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/vendor/markercluster/MarkerCluster.css",
                "/vendor/markercluster/leaflet.markercluster.js", "/static/provinces.geojson"):
        assert client.get(url).status_code == 200, url


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"


def test_document_text_is_escaped(client: TestClient) -> None:
    html = client.get("/documents", params={"doc": "<b>xss</b>.txt"}).text
    for payload in PAYLOADS:
        assert payload not in html or not set(payload) & set("<>&\"'"), payload
    assert "&lt;script&gt;window.__xss = 1; alert(1)&lt;/script&gt;" in html
    assert "&amp;lt;script&amp;gt;alert(25)" in html  # already-escaped text is shown as typed
    assert "{{ 7 * 7 }}" in html  # never evaluated as a template
    assert "<script>" not in html.replace('<script src="/static/', "")


# --------------------------------------------------------------------------- filters and views


def test_filters_are_shared_and_combined(client: TestClient) -> None:
    assert len(ids(client, "")) == 9
    assert len(ids(client, "?type=activism&type=arrest")) == 3
    assert len(ids(client, "?province=Khuzestan")) == 2
    assert len(ids(client, "?town=Rasht&tactic=strike")) == 1
    assert len(ids(client, "?actor_class=state")) == 1
    assert len(ids(client, "?publisher=Example+Post")) == 3
    assert len(ids(client, "?from=2024-05-01")) == 2
    assert len(ids(client, "?from=2024-03-13&to=2024-03-14")) == 2
    assert len(ids(client, "?q=merchants")) == 1
    assert len(ids(client, "?province=Khuzestan&type=protest&q=steel")) == 1
    assert client.get("/api/events?from=May").status_code == 400
    assert client.get("/api/events?status=liked").status_code == 400
    assert client.get("/api/events?sort=nope").status_code == 400
    assert client.get("/table?from=May").status_code == 400


def test_places_in_any_spelling_the_gazetteer_knows(client: TestClient) -> None:
    ahvaz = ids(client, "?town=Ahvaz")
    assert len(ahvaz) == 2 and ids(client, "?town=Ahwaz") == ahvaz  # an alternate name
    assert ids(client, "?province=Khouzestan") == ids(client, "?province=Khuzestan") == ahvaz
    assert 'name="town" list="towns" value="Ahvaz"' in client.get("/table?town=Ahwaz").text
    assert ids(client, "?town=Atlantis") == []  # unknown to the gazetteer: kept, matches nothing


def test_unknown_filter_values_are_refused_with_the_valid_ones(client: TestClient) -> None:
    for query, valid in (("type=riot", "protest"), ("tactic=picnic", "rally"), ("actor_class=aliens", "state")):
        for url in ("/api/events?", "/api/map?", "/table?", "/review?"):
            response = client.get(url + query)
            assert response.status_code == 400, url + query
        detail = client.get("/api/events?" + query).json()["detail"]
        assert query.split("=")[1] in detail and valid in detail


def test_numbers_and_dates_are_formatted(fresh_db: Path) -> None:
    from eventledger.web.deps import date_range, number

    assert (number(120000), number(12.0), number(0.25), number(None)) == ("120,000", "12", "0.25", "")
    assert str(date_range("2024-03-12", "2024-03-14")) == (
        '<span class="date">2024-03-12</span> – <span class="date">2024-03-14</span>')
    assert str(date_range("2024-03-12", "2024-03-12")) == '<span class="date">2024-03-12</span>'
    client = TestClient(create_app(fresh_db))
    rid = ids(client, "?town=Rasht")[0]
    client.post(f"/api/records/event/{rid}/review", headers={"X-CSRF-Token": csrf(client)},
                json={"status": "edited", "reviewer": "Ana", "changes": {"count": 120000}})
    assert '<td class="num">120,000</td>' in client.get("/table?town=Rasht").text
    assert '<span class="date">2023-01-01</span> – <span class="date">2023-12-31</span>' in client.get(
        "/figures").text


def test_the_filter_form_keeps_the_filters(client: TestClient) -> None:
    html = client.get("/table?type=protest&province=Khuzestan&q=steel").text
    assert 'value="protest" checked' in html and '<option value="Khuzestan" selected>Khuzestan (1)</option>' in html
    assert 'name="q" value="steel"' in html
    assert 'href="/timeline?type=protest&amp;province=Khuzestan&amp;q=steel"' in html  # the nav keeps them


def test_table_facets_count_under_the_other_filters(client: TestClient) -> None:
    facets = client.get("/api/events?province=Khuzestan").json()["facets"]
    assert facets["event_type"] == {"arrest": 1, "protest": 1}  # the province filter applies
    assert facets["admin1"]["Khuzestan"] == 2 and facets["admin1"]["Gilan"] == 1  # its own does not
    assert facets["publisher"] == {"Example Wire": 2} and facets["actor_class"] == {"civilians": 1, "state": 1}
    html = client.get("/table?province=Khuzestan").text
    assert '<option value="Gilan">Gilan (1)</option>' in html and '<small class="count">1</small>' in html
    assert '<td class="evidence" dir="auto" title="click to show it all">Retired steel workers rallied' in html  # whole


def test_table_sorts_and_pages(client: TestClient) -> None:
    data = client.get("/api/events?sort=date_start&desc=true").json()
    dates = [e["record"]["date_start"] for e in data["events"]]
    assert dates == sorted(dates, reverse=True) and data["total"] == 9
    assert [e["record"]["date_start"] for e in client.get("/api/events?sort=date_start&limit=2&offset=1").json()[
        "events"]] == sorted(dates)[1:3]
    html = client.get("/table?sort=location").text
    assert html.index("<td>Ahvaz</td>") < html.index("<td>Rasht</td>") < html.index("<td>Tehran</td>")


def test_downloads_follow_the_filter(client: TestClient) -> None:
    response = client.get("/api/events.csv?province=Khuzestan")
    assert response.headers["content-disposition"] == 'attachment; filename="events.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["event_type"] for r in rows) == ["arrest", "protest"]
    geo = client.get("/api/events.geojson?type=activism").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    assert {f["properties"]["location"] for f in geo["features"]} == {"Tehran", "Mashhad"}


def test_map_data(client: TestClient) -> None:
    data = client.get("/api/map?type=protest").json()
    assert data["total"] == 6 and data["unplaced"] == 0
    assert data["provinces"] == {"Gilan": 1, "Hormozgan": 4, "Khuzestan": 1}
    ahvaz = next(p for p in data["points"] if p["location"] == "Ahvaz")
    assert ahvaz["count"] == 1 and ahvaz["event_type"] == "protest" and len(ahvaz["ids"]) == 1
    assert set(data["colors"]) >= {"protest", "execution"}


def test_timeline(client: TestClient) -> None:
    day = client.get("/api/timeline?step=day&publisher=Example+Post").json()
    assert [(b["start"], b["total"]) for b in day["buckets"]] == [("2024-03-12", 1), ("2024-03-13", 1),
                                                                   ("2024-03-14", 1)]
    week = client.get("/api/timeline?step=week").json()
    assert sum(b["total"] for b in week["buckets"]) == 9 and week["buckets"][0]["start"] == "2024-03-11"
    assert all(dt_start <= dt_end for dt_start, dt_end in ((b["start"], b["end"]) for b in week["buckets"]))
    assert client.get("/api/timeline?step=auto").json()["step"] == "day"  # 8 weeks: per day
    html = client.get("/timeline?step=day").text
    buckets = client.get("/api/timeline?step=day").json()["buckets"]
    assert html.count('class="bar"') == sum(len(b["counts"]) for b in buckets) == 6  # one bar per day and type


def test_record_view_cuts_the_text_at_the_evidence(client: TestClient) -> None:
    arrest = client.get("/api/events?town=Ahvaz&type=arrest").json()["events"][0]
    data = client.get(f"/api/records/event/{arrest['id']}").json()
    assert "".join(s["text"] for s in data["segments"]) == TEXT_A == data["text"]
    current = [s["text"] for s in data["segments"] if s["current"]]
    assert current == [arrest["record"]["evidence"]]
    assert [r["kind"] for r in data["records"]] == ["event", "event", "claim"]
    assert all(r["evidence_matches"] for r in data["records"])
    html = client.get(f"/records/event/{arrest['id']}").text
    assert f'<mark class="ev current" title="event-{arrest["id"]}">{arrest["record"]["evidence"]}</mark>' in html


def test_claims_are_shown_against_their_rivals(client: TestClient) -> None:
    groups = client.get("/api/figures").json()["groups"]
    claim = groups[0]  # figures given by several sources come first
    assert (claim["category"], claim["place"], claim["period_start"], claim["period_end"]) == (
        "executed", "IR", "2023-01-01", "2023-12-31")
    assert claim["claimants"] == 2 and claim["values"] == [300, 834] and claim["contested"]
    assert [c["claimant"] for c in claim["claims"]] == ["Rights Monitor B", "Rights Monitor A"]
    one = claim["claims"][1]["id"]
    data = client.get(f"/api/records/claim/{one}").json()
    assert [(c["claimant"], c["current"]) for c in data["contested"]["claims"]] == [
        ("Rights Monitor B", False), ("Rights Monitor A", True)]
    html = client.get(f"/records/claim/{one}").text
    assert ('The same figure from other sources: executed · IR · <span class="date">2023-01-01</span> – '
            '<span class="date">2023-12-31</span>') in html
    assert "2 claims by 2 sources: 300; 834" in html
    assert [g["category"] for g in client.get("/api/figures?contested=true").json()["groups"]] == ["executed"]
    assert client.get("/api/figures?year=2023&category=executed").json()["groups"][0]["claimants"] == 2
    assert client.get("/api/figures?year=2022").json()["groups"] == []
    assert client.get("/api/figures?year=23").status_code == 422
    assert client.get("/figures?contested=true&year=2023").status_code == 200


def test_missing_things_are_404(client: TestClient) -> None:
    assert client.get("/api/records/event/999999").status_code == 404
    assert client.get("/records/event/999999").status_code == 404
    assert client.get("/api/documents?doc=nothing").status_code == 404
    assert client.get("/records/document/1").status_code == 422


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/events", "/api/events.{fmt}", "/api/map", "/api/timeline", "/api/records/{kind}/{record_id}",
            "/api/records/{kind}/{record_id}/review", "/api/figures", "/api/review", "/api/audit"} <= set(paths)
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"type", "tactic", "province", "town", "actor_class", "publisher", "from", "to", "q", "status",
            "sort"} <= params
    assert not any(p == "/" or p.startswith("/table") for p in paths)  # pages are not API
    html = client.get("/api").text
    assert "/api/records/{kind}/{record_id}/review" in html and "Accept, reject or edit a record" in html
    assert client.get("/docs").status_code == 404  # no third-party API viewer from a CDN


# --------------------------------------------------------------------------- review


def test_review_through_the_api(fresh_db: Path) -> None:
    client = TestClient(create_app(fresh_db))
    rid = ids(client, "?town=Rasht")[0]
    url = f"/api/records/event/{rid}/review"
    body = {"status": "edited", "reviewer": "Ana", "changes": {"event_type": "arrest", "tactic": None, "arrests": 2}}
    assert client.post(url, json=body).status_code == 403  # no CSRF token
    assert client.post(url, json=body, headers={"X-CSRF-Token": "guess"}).status_code == 403
    assert client.get(url).status_code == 405
    token = csrf(client)
    hostile = {"X-CSRF-Token": token, "Origin": "http://evil.example"}
    assert client.post(url, json=body, headers=hostile).status_code == 403
    cross_site = {"X-CSRF-Token": token, "Sec-Fetch-Site": "cross-site"}
    assert client.post(url, json=body, headers=cross_site).status_code == 403
    response = client.post(url, json=body, headers={"X-CSRF-Token": token, "Origin": "http://testserver"})
    assert response.status_code == 200, response.text
    row = response.json()
    assert row["status"] == "edited" and row["record"]["event_type"] == "arrest"
    assert row["original"]["event_type"] == "protest" and row["original"]["tactic"] == "strike"
    assert rid in ids(client, "?type=arrest&status=edited")
    audit = client.get("/api/audit").json()[0]
    assert audit["who"] == "Ana" and ["event_type", "protest", "arrest"] in audit["changed"]
    bad = client.post(url, json={**body, "changes": {"date_start": "yesterday"}}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and "ISO date" in bad.json()["detail"]
    assert client.post("/api/records/event/999999/review", json=body,
                       headers={"X-CSRF-Token": token}).status_code == 404


def test_review_through_the_form(fresh_db: Path) -> None:
    client = TestClient(create_app(fresh_db))
    rid = ids(client, "?town=Tehran")[0]
    page = client.get(f"/records/event/{rid}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "action": "edited", "reviewer": "Bo", "event_type": "activism",
            "tactic": "graffiti", "place": "Tehran", "date_start": "2024-03-11", "date_end": "2024-03-12",
            "count": "30"}
    url = f"/records/event/{rid}/review"
    assert client.post(url, data={**form, "csrf_token": "x"}, follow_redirects=False).status_code == 403
    done = client.post(url, data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/records/event/{rid}?saved=edited"
    record = client.get(f"/api/records/event/{rid}").json()["row"]
    assert record["review"]["changes"] == {"date_start": "2024-03-11", "count": 30}  # only what changed
    assert record["original"]["date_start"] == "2024-03-12"
    again = client.get(f"/records/event/{rid}")
    assert 'name="reviewer" value="Bo"' in again.text  # remembered
    wrong = client.post(url, data={**form, "date_end": "2024-03-01"})
    assert wrong.status_code == 422 and "before the start date" in wrong.text
    rejected = client.post(url, data={**form, "action": "rejected"}, follow_redirects=False)
    assert rejected.status_code == 303 and rid not in ids(client, "")
    with Ledger(fresh_db) as ledger:
        assert [e.after["status"] for e in ledger.audit_log()] == ["rejected", "edited"]


# --------------------------------------------------------------------------- stable links


def record_links(client: TestClient) -> dict[str, dict[str, object]]:
    """Every record's page URL -> the record (and its current row id) as the API shows it."""
    found = {}
    for doc in ("a.txt", "b.txt"):
        for row in client.get("/api/documents", params={"doc": doc}).json()["records"]:
            found[row["url"]] = {"record": row["original"], "row_id": row["row_id"], "key": row["id"]}
    return found


def test_record_links_survive_reingest(tmp_path: Path) -> None:
    db = build(tmp_path / "ledger.db", xss=False)
    client = TestClient(create_app(db))
    before = record_links(client)
    assert len(before) == 8 and all(url.endswith("/" + str(r["key"])) for url, r in before.items())
    rasht = next(url for url, r in before.items() if r["record"].get("location") == "Rasht")
    body = {"status": "accepted", "reviewer": "Ana"}
    assert client.post("/api" + rasht + "/review", json=body, headers={"X-CSRF-Token": csrf(client)}).status_code == 200
    old_numbers = {f"/records/{url.split('/')[2]}/{r['row_id']}": url for url, r in before.items()}
    with Ledger(db) as ledger:  # the same documents again: every event and claim is renumbered
        ledger.write_many([analysis_a(), analysis_b()])
    after = record_links(client)
    assert set(after) == set(before)
    assert all(after[url]["row_id"] != r["row_id"] for url, r in before.items() if "/statement/" not in url)
    for url, r in before.items():
        page = client.get(url)
        assert page.status_code == 200 and r["record"]["evidence"] in page.text
        assert client.get("/api" + url).json()["row"]["original"] == r["record"]
    for old, url in old_numbers.items():  # a numeric link from before redirects to its record
        moved = client.get(old, follow_redirects=False)
        assert moved.status_code == 302 and moved.headers["location"] == url
        assert client.get("/api" + old).json()["row"]["id"] == before[url]["key"]
    audit = client.get("/api/audit").json()[0]
    assert audit["url"] == rasht and client.get(audit["url"]).status_code == 200
    assert f'href="{rasht}"' in client.get("/review?status=all").text
    assert client.get("/api" + rasht).json()["row"]["status"] == "accepted"


# --------------------------------------------------------------------------- the review queue


def many_events(n: int) -> Analysis:
    """A report of `n` small gatherings, one a line, with confidences from high to low."""
    lines = [f"Gathering number {i} took place in a square." for i in range(n)]
    text = "\n".join(lines)
    events = []
    for i, line in enumerate(lines):
        start = text.index(line)
        events.append(Event(doc="many.txt", event_type="protest", tactic="rally", date_start="2024-06-01",
                            evidence=line, evidence_start=start, evidence_end=start + len(line),
                            confidence=round(0.9 - i * 0.01, 2)))
    return Analysis(report=Report(doc="many.txt", text=text, title="Many gatherings"), events=tuple(events))


def queue_links(client: TestClient, start: str) -> list[str]:
    """Record links of every page of the review queue, following its "next" links."""
    found, url = [], start
    while url:
        html = client.get(url).text
        found += re.findall(r'<tr><td><a href="(/records/[^"]+)"', html)
        more = re.search(r'<a href="(/review[^"]*)" rel="next">', html)
        url = more.group(1).replace("&amp;", "&") if more else ""
    return found


def test_review_queue_reaches_every_unreviewed_record(tmp_path: Path) -> None:
    db = build(tmp_path / "ledger.db", xss=False)
    with Ledger(db) as ledger:
        ledger.write(many_events(70))
    client = TestClient(create_app(db))
    every = {row["url"] for doc in ("a.txt", "b.txt", "many.txt")
             for row in client.get("/api/documents", params={"doc": doc}).json()["records"]}
    assert len(every) == 78
    first = client.get("/review")
    assert "Unreviewed records: 1–50 of 78" in first.text and "page 1 of 2" in first.text
    assert "75 events" in first.text and "2 claims" in first.text and "1 statement<" in first.text
    links = queue_links(client, "/review")
    assert len(links) == 78 and set(links) == every  # every record once, events, claims and statements
    data = client.get("/api/review?page=2").json()
    assert (data["first"], data["last"], data["total"], data["pages"]) == (51, 78, 78, 2)
    queue = [r for p in (1, 2) for r in client.get(f"/api/review?page={p}").json()["queue"]]
    confidences = [r["record"]["confidence"] for r in queue]
    assert confidences == sorted(confidences) and confidences[0] == 0.21  # lowest first
    assert len(queue_links(client, "/review?kind=claim")) == 2
    assert client.get("/review?kind=riot").status_code == 422
    token, lowest = csrf(client), links[0]
    client.post("/api" + lowest + "/review", json={"status": "rejected", "reviewer": "Ana"},
                headers={"X-CSRF-Token": token})
    assert "of 77" in client.get("/review").text and lowest not in queue_links(client, "/review")


def test_next_walks_the_queue(fresh_db: Path) -> None:
    client = TestClient(create_app(fresh_db))
    queue = [r["url"] for r in client.get("/api/review").json()["queue"]]
    seen, url = [], queue[0]
    for _ in queue:
        seen.append(url)
        kind, key = url.split("/")[2:]
        assert f'href="/review/next?kind={kind}&amp;key={key}"' in client.get(url).text
        url = client.get(f"/review/next?kind={kind}&key={key}", follow_redirects=False).headers["location"]
    assert seen == queue and url == queue[0]  # in queue order, then from the start again


def test_save_with_nothing_changed_is_an_acceptance(fresh_db: Path) -> None:
    client = TestClient(create_app(fresh_db))
    url = client.get("/api/review?kind=statement").json()["queue"][0]["url"]
    page = client.get(url).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    shown = {name: html.unescape(value)
             for name, value in re.findall(r'<input type="(?:text|date)" name="(\w+)" value="([^"]*)"', page)}
    done = client.post(url + "/review", data={**shown, "csrf_token": token, "action": "edited", "reviewer": "Bo"},
                       follow_redirects=False)
    assert done.headers["location"] == url + "?saved=accepted&unchanged=1"
    assert "Nothing was changed: saved as accepted." in client.get(done.headers["location"]).text
    assert client.get("/api" + url).json()["row"]["status"] == "accepted"


# --------------------------------------------------------------------------- access


def test_token_is_required_when_set(db: Path) -> None:
    client = TestClient(create_app(db, token="s3cret"))
    assert client.get("/").status_code == 401 and client.get("/api/events").status_code == 401
    assert client.get("/static/app.css").status_code == 401
    assert client.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/events", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    first = client.get("/table?token=s3cret&type=protest", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/table?type=protest"
    assert client.get("/table?type=protest").status_code == 200  # the cookie now carries it


def test_loopback_only_without_token(db: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    with pytest.raises(ServeError, match="token"):
        serve(db, host="0.0.0.0", port=0)
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--host", "0.0.0.0"], env={"EVENTLEDGER_TOKEN": ""})
    assert result.exit_code == 2 and "token" in result.output
    missing = CliRunner().invoke(main, ["serve", "--db", str(db.parent / "none.db")])
    assert missing.exit_code == 3


def test_foreign_host_names_are_refused(db: Path) -> None:
    client = TestClient(create_app(db, trusted_hosts=["127.0.0.1", "localhost"]), base_url="http://attacker.example")
    assert client.get("/api/events").status_code == 400  # DNS rebinding: another name for this machine


def test_provinces_file() -> None:
    data = json.loads((HERE / "static" / "provinces.geojson").read_text())
    names = {f["properties"]["name"] for f in data["features"]}
    assert len(data["features"]) == 31 == len(names)
    from eventledger.gazetteer import load

    gazetteer = load()
    assert all(gazetteer.province(name).name == name for name in names)  # the names admin1 carries
    assert (HERE / "static" / "provinces.geojson").stat().st_size < 500_000


def test_basemap_file() -> None:
    """The map's background: neighbours cut to its frame, seas, and towns named as the gazetteer names them."""
    path = HERE / "static" / "basemap.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    west, south, east, north = data["frame"]
    by_kind: dict[str, list[dict]] = {}
    for feature in data["features"]:
        by_kind.setdefault(feature["properties"]["kind"], []).append(feature)
    countries = {f["properties"]["name"] for f in by_kind["country"]}
    assert {"Iraq", "Turkey", "Armenia", "Azerbaijan", "Turkmenistan", "Afghanistan", "Pakistan"} <= countries
    assert "Iran" not in countries  # the provinces draw Iran
    for feature in by_kind["country"]:
        xs = [x for polygon in feature["geometry"]["coordinates"] for ring in polygon for x, _ in ring]
        ys = [y for polygon in feature["geometry"]["coordinates"] for ring in polygon for _, y in ring]
        assert west <= min(xs) and max(xs) <= east and south <= min(ys) and max(ys) <= north
    assert {"Caspian Sea", "Persian Gulf"} <= {f["properties"]["name"] for f in by_kind["sea"]}
    from eventledger.gazetteer import load

    gazetteer = load()
    towns = {f["properties"]["name"]: f["properties"] for f in by_kind["town"]}
    assert towns["Tehran"]["minzoom"] < towns["Qazvin"]["minzoom"]  # larger towns are named sooner
    assert all(gazetteer.lookup(name) for name in towns)
    assert path.stat().st_size < 400_000


def test_map_data_spans_the_dates_of_the_other_filters(client: TestClient) -> None:
    data = client.get("/api/map?type=activism&from=2024-03-13").json()
    assert data["total"] == 1 and data["span"] == {"first": "2024-03-12", "last": "2024-03-13"}
    html = client.get("/?type=activism&from=2024-03-13").text
    assert 'id="date-slider" data-first="2024-03-12" data-last="2024-03-13"' in html
    assert client.get("/api/map?town=Nowhere").json()["span"] is None
    assert 'id="date-slider"' not in client.get("/?town=Nowhere").text


def test_xss_place_reaches_the_map_as_data(client: TestClient) -> None:
    data = client.get("/api/map", params={"town": XSS_PLACE}).json()
    assert [p["location"] for p in data["points"]] == [XSS_PLACE]  # JSON, set as text by map.js


def _web_imports() -> dict[str, set[str]]:
    """Module of eventledger.web -> the modules of eventledger.web it imports (at any depth of its code)."""
    import ast

    graph: dict[str, set[str]] = {}
    for path in sorted(HERE.glob("*.py")):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "eventledger.web":
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("eventledger.web."):
                found.add(node.module.rsplit(".", 1)[1])  # type: ignore[union-attr]
        graph[path.stem] = {m for m in found if (HERE / f"{m}.py").exists()} - {path.stem}
    return graph


def test_the_web_modules_import_each_other_without_cycles() -> None:
    graph = _web_imports()
    assert "deps" in graph["pages"] and "deps" in graph["api_routes"]
    assert "app" not in graph["pages"] | graph["api_routes"] | graph["deps"]

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(m == goal or (m not in seen and reaches(m, goal, seen | {m})) for m in graph[start])

    cycles = [m for m in graph if m != "__init__" and reaches(m, m, set())]
    assert cycles == []


# --------------------------------------------------------------------------- PDF pages, Persian


@pytest.fixture(scope="module")
def extra_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(build(tmp_path_factory.mktemp("extra") / "ledger.db", xss=False, extra=True)))


def test_a_record_from_a_pdf_names_its_page(extra_client: TestClient) -> None:
    from web_ledger import PAGED_SIT_IN

    event = extra_client.get("/api/events?publisher=Example+Review").json()["events"][0]
    data = extra_client.get(f"/api/records/event/{event['id']}").json()
    assert data["row"]["page"] == 3 and data["paged"] is True
    assert data["row"]["record"]["evidence"] == PAGED_SIT_IN
    page = extra_client.get(f"/records/event/{event['id']}").text
    assert re.search(r'id="pdf-page">From page <strong>3</strong> of the PDF', page)
    assert '<td class="num page">3</td>' in extra_client.get("/documents?doc=review.pdf").text
    plain = extra_client.get("/api/events?town=Rasht").json()["events"][0]
    assert extra_client.get(f"/api/records/event/{plain['id']}").json()["row"]["page"] is None
    assert 'id="pdf-page"' not in extra_client.get(f"/records/event/{plain['id']}").text


def test_persian_evidence_is_shown_right_to_left_at_its_offsets(extra_client: TestClient) -> None:
    from web_ledger import FA_RALLY, TEXT_FA

    rows = extra_client.get("/api/events?publisher=Example+Farsi&type=protest").json()["events"]
    assert [r["record"]["evidence"] for r in rows] == [FA_RALLY]
    page = extra_client.get(rows[0]["url"]).text
    assert re.search(r'<div class="doctext" dir="auto" lang="fa">', page)
    current = re.findall(r'<mark class="ev current"[^>]*>([^<]*)</mark>', page)
    assert [html.unescape(c) for c in current] == [FA_RALLY]
    start = rows[0]["record"]["evidence_start"]
    assert TEXT_FA[start:start + len(FA_RALLY)] == FA_RALLY
    assert '<blockquote class="evidence-quote" dir="auto">' + FA_RALLY in page
    table = extra_client.get("/table?publisher=Example+Farsi").text
    assert table.count('<td class="evidence" dir="auto"') == 2


def test_filters_and_search_take_persian_place_names(extra_client: TestClient) -> None:
    def towns(query: str) -> set[str]:
        response = extra_client.get("/api/events" + query)
        assert response.status_code == 200, response.text
        return {e["record"]["location"] for e in response.json()["events"]}

    assert towns("?town=" + quote("اهواز")) == {"Ahvaz"}
    assert towns("?province=" + quote("خوزستان")) == {"Ahvaz"}
    assert towns("?province=" + quote("تهران")) == {"Tehran"}  # a province named as its capital
    assert towns("?q=" + quote("اهواز")) == {"Ahvaz"}  # English reports of events in Ahvaz
    assert towns("?q=" + quote("تبریز")) == {"Tabriz"}  # the Persian report's own words, and its place
    assert towns("?q=" + quote("بازداشت")) == {"Tabriz"}  # Persian text in the evidence
    assert towns("?q=Tehran") == {"Tehran"}  # a name the ledger writes: searched as it is
    assert towns("?q=nurses") == {"Tehran"}
    page = extra_client.get("/table?q=" + quote("اهواز")).text
    assert 'value="اهواز"' in page  # the search box keeps what was typed
