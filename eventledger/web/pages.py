"""The HTML pages. Each renders the data of its JSON twin (`eventledger.web.views`), linked from it.

====================================  ==========================  =================================
page                                  what it shows               JSON twin
====================================  ==========================  =================================
``/``                                 map                         ``/api/map``
``/timeline``                         events per day/week/month   ``/api/timeline``
``/table``                            sortable table, downloads   ``/api/events``
``/records/{kind}/{key}``             record in its document      ``/api/records/{kind}/{key}``
``/documents?doc=``                   a document and its records  ``/api/documents?doc=``
``/figures``                          contested figures           ``/api/figures``
``/review``                           review queue and audit log  ``/api/review``
``/review/next?kind=&key=``           (redirect) next unreviewed  —
``/api``                              the API's documentation     ``/api/openapi.json``
====================================  ==========================  =================================
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from eventledger.models import CLAIM_CATEGORIES, record_to_dict
from eventledger.query import EventQuery
from eventledger.review import STATUSES, ReviewError
from eventledger.store import EVENT_SORTS, Ledger
from eventledger.web import apidoc, views
from eventledger.web import timeline as chart
from eventledger.web.deps import ledger_of, remember_reviewer, render, reviewer_of
from eventledger.web.filters import (
    MAX_ROW,
    QueueKind,
    QueuePage,
    RecordRef,
    event_query,
    is_record_key,
    query_string,
    record_key,
)
from eventledger.web.forms import form_changes, form_fields
from eventledger.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Filters = Annotated[EventQuery, Depends(event_query)]
Kind = Literal["event", "claim", "statement"]
PAGE_SIZE = 100
TABLE_COLUMNS = (("id", "#"), ("date_start", "date"), ("event_type", "type"), ("tactic", "tactic"),
                 ("location", "town"), ("admin1", "province"), ("actor1", "actor"), ("fatalities", "killed"),
                 ("arrests", "arrested"), ("count", "count"), ("publisher", "publisher"))


def _common(ledger: Ledger, query: EventQuery, page: str, twin: str) -> dict[str, Any]:
    qs = query_string(query)
    return {"query": query, "qs": qs, "facets": ledger.event_facets(), "page": page, "json_url": twin + qs}


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request, query: Filters) -> Response:
    with ledger_of(request) as ledger:
        data = views.map_data(ledger, query)
        return render(request, "map.html", **_common(ledger, query, "/", "/api/map"), data=data)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, query: Filters, step: Literal["auto", "day", "week", "month"] = "auto") -> Response:
    with ledger_of(request) as ledger:
        data = views.timeline_data(ledger, query, step)
        common = _common(ledger, query, "/timeline", "/api/timeline")
        common["json_url"] = "/api/timeline" + query_string(query, step=step)
        return render(request, "timeline.html", **common, data=data, step=step, chart=chart,
                      bars=chart.bars(data, views.TYPE_COLORS, views.TYPE_COLORS), ticks=chart.ticks(data))


@router.get("/table", response_class=HTMLResponse)
def table_page(request: Request, query: Filters, sort: str = "date_start", desc: bool = False,
               page: Annotated[int, Query(ge=1, le=MAX_ROW // PAGE_SIZE)] = 1) -> Response:
    if sort not in EVENT_SORTS:
        raise HTTPException(status_code=400, detail=f"sort must be one of {', '.join(EVENT_SORTS)}")
    with ledger_of(request) as ledger:
        data = views.events_data(ledger, query, sort=sort, desc=desc, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        common = _common(ledger, query, "/table", "/api/events")
        common["json_url"] = "/api/events" + query_string(query, sort=sort, desc=str(desc).lower())
        pages = max(1, -(-data["total"] // PAGE_SIZE))
        return render(request, "table.html", **common, data=data, sort=sort, desc=desc, page_no=page,
                      pages=pages, columns=TABLE_COLUMNS, facet_counts=data["facets"])


def _record_page(request: Request, ledger: Ledger, kind: str, key: str, *, status_code: int = 200,
                 error: str | None = None, form: dict[str, Any] | None = None) -> Response:
    data = views.record_data(ledger, kind, key)
    if data is None:
        raise HTTPException(status_code=404, detail=f"no {kind} {key}")
    fields = form_fields(kind, data["row"]["record"])
    values = {f.name: (form or {}).get(f.name, f.value) for f in fields}
    return render(request, "record.html", status_code, data=data, kind=kind, record_id=key, fields=fields,
                  values=values, error=error, saved=request.query_params.get("saved"),
                  unchanged=bool(request.query_params.get("unchanged")),
                  next_url=f"/review/next?kind={kind}&key={key}",
                  reviewer=(form or {}).get("reviewer") or reviewer_of(request), page="/records",
                  json_url=f"/api/records/{kind}/{key}")


@router.get("/records/{kind}/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, kind: Kind, record_id: RecordRef) -> Response:
    """A record by its key; an old numeric row id is redirected to its record's key."""
    with ledger_of(request) as ledger:
        key = record_key(ledger, kind, record_id)
        if key is None:
            raise HTTPException(status_code=404, detail=f"no {kind} {record_id}")
        if not is_record_key(record_id):
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(views.record_url(kind, key) + query, status_code=302)
        return _record_page(request, ledger, kind, key)


@router.post("/records/{kind}/{record_id}/review")
async def review_form(request: Request, kind: Kind, record_id: RecordRef) -> Response:
    """The review form's target: POST only, same origin, with the CSRF token."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    check_csrf(request, form.get("csrf_token"))
    return await run_in_threadpool(_review, request, kind, record_id, form)


def _review(request: Request, kind: str, record_id: str, form: dict[str, str]) -> Response:
    action = form.get("action", "")
    if action not in STATUSES:
        raise HTTPException(status_code=400, detail=f"action must be one of {', '.join(STATUSES)}")
    with ledger_of(request) as ledger:
        key = record_key(ledger, kind, record_id)
        row = ledger.record_row(kind, key) if key else None
        if row is None or key is None:
            raise HTTPException(status_code=404, detail=f"no {kind} {record_id}")
        changes = form_changes(kind, record_to_dict(row.record), form)
        reviewer = form.get("reviewer", "")
        try:
            saved = ledger.review(kind, key, status=action, changes=changes, reviewer=reviewer)
        except ReviewError as exc:
            return _record_page(request, ledger, kind, key, status_code=422, error=str(exc), form=form)
    # what was stored: "Save" with nothing changed (and no earlier edit) is an acceptance
    unchanged = "&unchanged=1" if action == "edited" and not changes else ""
    response = RedirectResponse(f"{views.record_url(kind, key)}?saved={saved.status}{unchanged}", status_code=303)
    remember_reviewer(response, " ".join(reviewer.split()))
    return response


@router.get("/documents", response_class=HTMLResponse)
def document_page(request: Request, doc: str) -> Response:
    with ledger_of(request) as ledger:
        data = views.document_data(ledger, doc)
        if data is None:
            raise HTTPException(status_code=404, detail=f"no document {doc!r}")
        return render(request, "document.html", data=data, page="/documents",
                      json_url="/api/documents" + query_string(EventQuery(), doc=doc))


@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, category: str | None = None,
                 year: Annotated[str | None, Query(pattern=r"^(\d{4})?$")] = None, contested: bool = False) -> Response:
    with ledger_of(request) as ledger:
        data = views.figures_data(ledger, category=category or None, year=year or None, contested=contested)
    twin = "/api/figures" + query_string(EventQuery(), category=category or None, year=year or None,
                                         contested="true" if contested else None)
    return render(request, "figures.html", data=data, categories=CLAIM_CATEGORIES, page="/figures", json_url=twin)


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, query: Filters, kind: QueueKind = "all", page: QueuePage = 1) -> Response:
    with ledger_of(request) as ledger:
        data = views.review_data(ledger, query, kind=kind, page=page)
        common = _common(ledger, query, "/review", "/api/review")
        common["json_url"] = "/api/review" + query_string(query, kind=None if kind == "all" else kind,
                                                          page=None if page == 1 else page)
        return render(request, "review.html", **common, data=data)


@router.get("/review/next")
def review_next(request: Request, kind: Kind, key: Annotated[str, Query(pattern=r"^[0-9a-f]{24}$")]) -> Response:
    """The next unreviewed record after this one (the review queue's order), else the queue."""
    with ledger_of(request) as ledger:
        return RedirectResponse(views.next_unreviewed(ledger, kind, key) or "/review", status_code=303)


@router.get("/api", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API's documentation, rendered from its OpenAPI schema (no third-party viewer)."""
    schema = request.app.openapi()
    return render(request, "api.html", info={"title": schema["info"]["title"],
                                             "description": schema["info"].get("description", "")},
                  openapi=schema["openapi"], operations=apidoc.operations(schema), page="/api",
                  json_url="/api/openapi.json")
