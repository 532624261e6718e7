"""The web application: routes, templates, static files and security, put together.

Third-party JavaScript and CSS are served from the installed packages' folders
(``XStatic-Leaflet``, ``XStatic-Leaflet-MarkerCluster``), never copied into the project. The
app's own script, style and province boundaries are in ``static/``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from eventledger.models import EVENT_TYPES
from eventledger.store import Ledger, LedgerError
from eventledger.web import security
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


def vendor_dirs() -> dict[str, Path]:
    """URL folder -> installed package folder of each third-party asset."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {"leaflet": Path(leaflet.BASE_DIR), "markercluster": Path(markercluster.BASE_DIR)}


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


def _error_handlers(app: FastAPI) -> None:
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path.startswith("/static/")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return render(request, "error.html", exc.status_code, status=exc.status_code, detail=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # where and what only: the input itself (bytes of a body that is no JSON, a long value)
        # is neither echoed nor always serialisable
        errors = [{"loc": [p if isinstance(p, int | str) else str(p) for p in e.get("loc", ())],
                   "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        if wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        return render(request, "error.html", 422, status=422, detail=detail)


def create_app(db: str | Path, *, token: str | None = None, trusted_hosts: Sequence[str] | None = None) -> FastAPI:
    """The app serving the ledger `db`; `token`: required on every request; `trusted_hosts`: the
    Host names accepted (against DNS rebinding when bound to loopback)."""
    from eventledger.web import api_routes, pages

    app = FastAPI(title="eventledger", version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="The event ledger's JSON API: every page of the web app has a JSON twin here, "
                              "with the same filters. Review actions are POST and need the CSRF token "
                              "(`GET /api/session`) in an `X-CSRF-Token` header.")
    app.state.db = str(db)
    app.state.token = token
    app.state.csrf_token = secrets.token_urlsafe(32)
    app.state.templates = templates()
    app.middleware("http")(security.require_token)
    app.middleware("http")(security.secure_headers)
    if trusted_hosts:
        app.middleware("http")(security.host_checker(trusted_hosts))  # added last: checked first
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for name, folder in vendor_dirs().items():
        app.mount(f"/vendor/{name}", StaticFiles(directory=folder), name=f"vendor-{name}")
    app.include_router(api_routes.router)
    app.include_router(pages.router)
    _error_handlers(app)
    return app
