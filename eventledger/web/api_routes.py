"""The JSON API (``/api/…``): one endpoint behind every page, with the pages' filters.

Documented by the OpenAPI schema at ``/api/openapi.json`` and the page ``/api``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from eventledger.query import EventQuery
from eventledger.review import ReviewError
from eventledger.store import EVENT_SORTS
from eventledger.web import views
from eventledger.web.deps import ledger_of, reviewer_of
from eventledger.web.filters import Offset, QueueKind, QueuePage, RecordRef, event_query, is_record_key, record_key
from eventledger.web.security import check_csrf

router = APIRouter(prefix="/api", tags=["ledger"])
Filters = Annotated[EventQuery, Depends(event_query)]
Kind = Literal["event", "claim", "statement"]
Sort = Annotated[str, Query(description=f"Field to sort by: {', '.join(EVENT_SORTS)}.")]
DOWNLOADS = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}


class ReviewIn(BaseModel):
    """A review: accept, reject or edit (fields -> new values; for events `place` is a town or
    province name looked up in the gazetteer)."""

    status: Literal["accepted", "rejected", "edited"]
    changes: dict[str, Any] = Field(default_factory=dict)
    reviewer: str = Field(min_length=1, max_length=100)


def _found(data: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if data is None:
        raise HTTPException(status_code=404, detail=f"no {what}")
    return data


@router.get("/events", summary="Events of the current filter (the table)")
def events(request: Request, query: Filters, sort: Sort = "date_start", desc: bool = False,
           limit: Annotated[int, Query(ge=1, le=10_000)] = 1000, offset: Offset = 0,
           ) -> dict[str, Any]:
    """Events matching the filters with their row id, review status, reviewed values (`record`) and
    extracted values (`original`); `total` counts them all, `limit`/`offset` page through."""
    if sort not in EVENT_SORTS:
        raise HTTPException(status_code=400, detail=f"sort must be one of {', '.join(EVENT_SORTS)}")
    with ledger_of(request) as ledger:
        return views.events_data(ledger, query, sort=sort, desc=desc, limit=limit, offset=offset)


@router.get("/events.{fmt}", summary="Download the current selection (CSV or GeoJSON)")
def download(request: Request, fmt: Literal["csv", "geojson"], query: Filters) -> Response:
    """Every event of the filter, with reviewers' edits, in the ledger's export format."""
    with ledger_of(request) as ledger:
        body = views.export_selection(ledger, query, fmt)
    return Response(body, media_type=DOWNLOADS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="events.{fmt}"'})


@router.get("/map", summary="Map: located events by place and type, events per province")
def map_(request: Request, query: Filters) -> dict[str, Any]:
    with ledger_of(request) as ledger:
        return views.map_data(ledger, query)


@router.get("/timeline", summary="Timeline: events per day, week or month, by type")
def timeline(request: Request, query: Filters,
             step: Literal["auto", "day", "week", "month"] = "auto") -> dict[str, Any]:
    """Counts by the bucket of each event's start date; `auto` picks the step from the span."""
    with ledger_of(request) as ledger:
        return views.timeline_data(ledger, query, step)


@router.get("/facets", summary="The values each filter can take in this ledger")
def facets(request: Request) -> dict[str, list[str]]:
    with ledger_of(request) as ledger:
        return ledger.event_facets()


@router.get("/records/{kind}/{record_id}", summary="A record in its document (the record view)",
            response_model=None)
def record(request: Request, kind: Kind, record_id: RecordRef) -> dict[str, Any] | Response:
    """The record (`row`), its document's text cut at every record's evidence (`segments`), every
    record of the document, its review history (`audit`) and, for a claim, the other claims of
    its category and year with their claimants (`contested`). `record_id` is the record's key,
    stable across re-ingest; an old numeric row id answers 302 to the key's URL."""
    with ledger_of(request) as ledger:
        key = record_key(ledger, kind, record_id)
        if key is not None and not is_record_key(record_id):
            return RedirectResponse(f"/api{views.record_url(kind, key)}", status_code=302)
        return _found(views.record_data(ledger, kind, key or ""), f"{kind} {record_id}")


@router.post("/records/{kind}/{record_id}/review", summary="Accept, reject or edit a record")
def review(request: Request, kind: Kind, record_id: RecordRef, body: ReviewIn,
           x_csrf_token: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """Stores the review and an audit entry; the extracted record is kept unchanged. Needs the
    CSRF token (`GET /api/session`) in `X-CSRF-Token`. 422 on a value that cannot be used."""
    check_csrf(request, x_csrf_token)
    with ledger_of(request) as ledger:
        try:
            row = ledger.review(kind, record_key(ledger, kind, record_id) or "", status=body.status,
                                changes=body.changes, reviewer=body.reviewer)
        except KeyError:
            raise HTTPException(status_code=404, detail=f"no {kind} {record_id}") from None
        except ReviewError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        return views.row_dict(row)


@router.get("/documents", summary="A document with every record read from it")
def document(request: Request, doc: Annotated[str, Query(description="The document's id.")]) -> dict[str, Any]:
    with ledger_of(request) as ledger:
        return _found(views.document_data(ledger, doc), f"document {doc!r}")


@router.get("/figures", summary="Contested figures: claims of one category, place and period side by side")
def figures(request: Request, category: str | None = None,
            year: Annotated[str | None, Query(pattern=r"^(\d{4})?$", description="Periods touching this year.")] = None,
            contested: Annotated[bool, Query(description="Only figures given by several sources.")] = False,
            ) -> dict[str, Any]:
    """Claims grouped as the `eventledger figures` command groups them (same category, place and
    period), each group with its claims and claimants; groups with several sources first."""
    with ledger_of(request) as ledger:
        return views.figures_data(ledger, category=category or None, year=year or None, contested=contested)


@router.get("/review", summary="Review queue: every unreviewed record, a page at a time; counts; audit entries")
def review_queue(request: Request, query: Filters, kind: QueueKind = "all", page: QueuePage = 1) -> dict[str, Any]:
    """Unreviewed events (of the filters), claims and statements, lowest confidence first, 50 a
    page (`queue`; `first`–`last` of `total`, `page` of `pages`); `left`: unreviewed per kind;
    `counts`: records per kind and review state; the latest `audit` entries; `orphans`: reviews
    whose record is gone."""
    with ledger_of(request) as ledger:
        return views.review_data(ledger, query, kind=kind, page=page)


@router.get("/audit", summary="The audit log, newest first")
def audit(request: Request, limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
          kind: Kind | None = None, record_key: str | None = None) -> list[dict[str, Any]]:
    with ledger_of(request) as ledger:
        return [views.audit_dict(e) for e in ledger.audit_log(kind=kind, record_key=record_key, limit=limit)]


@router.get("/session", summary="The CSRF token for review requests, and the remembered reviewer")
def session(request: Request) -> dict[str, str]:
    return {"csrf_token": request.app.state.csrf_token, "reviewer": reviewer_of(request)}
