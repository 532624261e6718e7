"""Running the app: `serve` binds to loopback unless told otherwise, and then requires a token."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class ServeError(ValueError):
    """The server cannot start as asked (e.g. a public address without a token)."""


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          announce: Callable[[str], None] = print) -> None:
    """Serve the ledger `db` until interrupted. Any address but loopback needs a `token`."""
    import uvicorn

    from eventledger.web.app import create_app

    local = is_loopback(host)
    if not local and not token:
        raise ServeError(f"--host {host} is reachable from other machines: give a --token "
                         "(or set EVENTLEDGER_TOKEN)")
    # Host names checked against DNS rebinding (Starlette cannot check an IPv6 literal's Host header)
    trusted = [*LOOPBACK_NAMES, host] if local and ":" not in host else None
    app = create_app(db, token=token, trusted_hosts=trusted)
    shown = f"[{host}]" if ":" in host else host
    announce(f"serving {db} on http://{shown}:{port}/" + (" (token required)" if token else "")
             + " — Ctrl-C stops")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
