"""Running the app: `serve` binds to loopback unless told otherwise, and then requires a token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from eventledger.web.security import is_loopback

if TYPE_CHECKING:
    from fastapi import FastAPI

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class ServeError(ValueError):
    """The server cannot start as asked (e.g. a public address without a token)."""


__all__ = ["LOOPBACK_NAMES", "ServeError", "app_for", "is_loopback", "serve"]


def app_for(db: str | Path, host: str, token: str | None) -> FastAPI:
    """The app `serve` runs on `host`: any address but loopback needs a `token`; on every
    loopback address (IPv6 too) the ``Host`` header must name this machine (DNS rebinding)."""
    from eventledger.web.app import create_app

    local = is_loopback(host)
    if not local and not token:
        raise ServeError(f"--host {host} is reachable from other machines: give a --token "
                         "(or set EVENTLEDGER_TOKEN)")
    return create_app(db, token=token, trusted_hosts=[*LOOPBACK_NAMES, host] if local else None)


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          announce: Callable[[str], None] = print) -> None:
    """Serve the ledger `db` until interrupted. Any address but loopback needs a `token`."""
    import uvicorn

    app = app_for(db, host, token)
    shown = f"[{host}]" if ":" in host else host
    announce(f"serving {db} on http://{shown}:{port}/" + (" (token required)" if token else "")
             + " — Ctrl-C stops")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
