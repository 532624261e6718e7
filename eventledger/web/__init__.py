"""The ledger in a browser: map, timeline, table, records with their evidence, contested figures,
review, and a JSON API behind every page — served offline (no tile servers, no CDNs).

    eventledger serve --db ledger.db            # http://127.0.0.1:8000/

Modules: `app` (the app factory), `deps` (what the routes share: templates, the ledger of a
request, `render`), `pages` (HTML), `api_routes` (JSON, ``/api``), `views` (the data
both render), `filters` (the shared URL filters), `forms` (the review form), `highlight`
(evidence in the document text), `timeline`, `security` (token, CSRF, headers), `server`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventledger.web.server import ServeError, is_loopback, serve

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServeError", "create_app", "is_loopback", "serve"]


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    """See `eventledger.web.app.create_app`."""
    from eventledger.web.app import create_app as make

    return make(*args, **kwargs)
