"""What the routes share (`pages` and `api_routes` import it; it imports neither, nor `app`):
the templates with their filters, the ledger of a request, the reviewer's cookie and `render`.

`app` puts the application together from these and the routers, so no route module imports
`app` (the cycle ``app`` ↔ ``pages`` is gone: `app` → `pages` → `deps`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote

import jinja2
from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from eventledger.models import EVENT_TYPES
from eventledger.store import Ledger, LedgerError
from eventledger.web.filters import STATUS_LABELS, query_string
from eventledger.web.views import TYPE_COLORS

HERE = Path(__file__).resolve().parent
REVIEWER_COOKIE = "eventledger_reviewer"
TITLE = "eventledger"


def templates() -> Jinja2Templates:
    """Jinja2 with autoescaping on for every template: everything from a document is text."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=number, dates=date_range)
    env.globals.update(colors=TYPE_COLORS, event_types=EVENT_TYPES, status_labels=STATUS_LABELS,
                       query_string=query_string)
    return Jinja2Templates(env=env)


def number(value: object) -> str:
    """A figure with thousands separators (120,000); empty for none; anything else as text."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}" if isinstance(value, int) or not value.is_integer() else f"{int(value):,}"
    return str(value)


def date_range(start: object, end: object = None) -> Markup:
    """"start – end" (one date when they are equal), each date kept on one line."""
    def one(day: object) -> Markup:
        return Markup('<span class="date">{}</span>').format(day)

    if not start and not end:
        return Markup("")
    if not end or end == start:
        return one(start or end)
    return Markup("{} – {}").format(one(start) if start else "", one(end))


@contextmanager
def ledger_of(request: Request) -> Iterator[Ledger]:
    """The app's ledger, opened for one request (in the thread that uses it): read-only for a
    GET (so that a ledger the user may not write is served), for writing only to store a review."""
    try:
        opened = Ledger(request.app.state.db, readonly=request.method in ("GET", "HEAD"))
    except LedgerError as exc:
        raise HTTPException(status_code=409 if "read-only" in str(exc) else 500, detail=str(exc)) from None
    with opened as ledger:
        yield ledger


def reviewer_of(request: Request) -> str:
    return unquote(request.cookies.get(REVIEWER_COOKIE, ""))


def remember_reviewer(response: Response, name: str) -> None:
    response.set_cookie(REVIEWER_COOKIE, quote(name), httponly=True, samesite="strict", max_age=365 * 86400)


def render(request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    base = {"request": request, "csrf_token": request.app.state.csrf_token, "title": TITLE}
    return request.app.state.templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
