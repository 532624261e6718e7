"""The web application: routes, templates, static files and security, put together.

Third-party JavaScript and CSS are served from the installed packages' folders
(``XStatic-Leaflet``, ``XStatic-Leaflet-MarkerCluster``), never copied into the project. The
app's own script, style and map data are in ``static/``. What the routes share (templates,
the ledger of a request, `render`) is in `eventledger.web.deps`, which imports no route module.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from eventledger.web import api_routes, pages, security
from eventledger.web.deps import HERE, render, templates


def vendor_dirs() -> dict[str, Path]:
    """URL folder -> installed package folder of each third-party asset."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {"leaflet": Path(leaflet.BASE_DIR), "markercluster": Path(markercluster.BASE_DIR)}


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
