"""Who may use the app and how: access token, cross-site request checks, response headers.

* **Token.** When the app has a token (`--token` / ``EVENTLEDGER_TOKEN``; required for any
  address but loopback), every request must carry it: ``Authorization: Bearer <token>``, the
  ``eventledger_token`` cookie, or once ``?token=<token>`` (answered by a redirect that sets the
  cookie and drops the token from the URL).
* **Cross-site requests.** Review actions are POST only and need the app's CSRF token (the form's
  ``csrf_token`` field or an ``X-CSRF-Token`` header; pages carry it, ``GET /api/session`` returns
  it); a request whose ``Origin`` is another site, or that the browser marks cross-site
  (``Sec-Fetch-Site``), is refused whatever it carries.
* **Host names.** Bound to a loopback address (IPv4 or IPv6), the app answers only requests
  whose ``Host`` header names this machine (``localhost``, a loopback address, the address it
  is bound to): a page of another site whose name was re-pointed at 127.0.0.1 or ::1 (DNS
  rebinding) gets 400.
* **Headers.** A Content-Security-Policy that allows scripts, styles, images and requests from
  the app itself only, no framing, no plug-ins; ``nosniff``; referrers only to the app itself
  (so that its forms still carry their ``Origin``).
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlencode

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse

TOKEN_COOKIE = "eventledger_token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
HEADERS = {
    "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin",
}

Handler = Callable[[Request], Awaitable[Response]]


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def _presented_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(TOKEN_COOKIE)


async def require_token(request: Request, call_next: Handler) -> Response:
    """Middleware: refuse requests without the app's token (when it has one)."""
    token: str | None = request.app.state.token
    if not token or same(_presented_token(request), token):
        return await call_next(request)
    if same(request.query_params.get("token"), token) and request.method == "GET":
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.path + ("?" + urlencode(rest) if rest else "")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response
    return JSONResponse({"detail": "this server needs its access token (Authorization: Bearer …, or ?token=…)"},
                        status_code=401, headers={"WWW-Authenticate": "Bearer"})


def host_name(header: str | None) -> str | None:
    """The host of a ``Host`` header, lower case, without port or IPv6 brackets (None if malformed)."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        end = value.find("]")
        rest = value[end + 1:] if end > 0 else "?"
        if rest and not (rest[:1] == ":" and rest[1:].isdigit()):
            return None
        return value[1:end]
    name, _, port = value.partition(":")
    if port and not port.isdigit():  # also an IPv6 address without brackets
        return None
    return name or None


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and every loopback address: 127.0.0.0/8, ::1, ::ffff:127.x.x.x."""
    address = _address(host.strip("[]"))
    if address is None:
        return host.lower() == "localhost"
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def host_checker(allowed: Iterable[str]) -> Callable[[Request, Handler], Awaitable[Response]]:
    """Middleware: 400 unless the request's ``Host`` is one of `allowed` (addresses compared as
    addresses, so ``[0:0::1]`` is ``::1``)."""
    names = {name.lower().strip("[]") for name in allowed}
    addresses = {a for a in map(_address, names) if a is not None}

    async def check_host(request: Request, call_next: Handler) -> Response:
        name = host_name(request.headers.get("host"))
        if name is not None and (name in names or _address(name) in addresses):
            return await call_next(request)
        return PlainTextResponse("Invalid host header", status_code=400)

    return check_host


async def secure_headers(request: Request, call_next: Handler) -> Response:
    """Middleware: the security headers on every response."""
    response = await call_next(request)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def check_same_origin(request: Request) -> None:
    """403 unless the request comes from the app's own pages (or from no browser page at all)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(status_code=403, detail="cross-site request refused")
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
        raise HTTPException(status_code=403, detail=f"request from another origin ({origin}) refused")


def check_csrf(request: Request, presented: str | None) -> None:
    """403 unless the request is same-origin and carries the app's CSRF token."""
    check_same_origin(request)
    if not same(presented, request.app.state.csrf_token):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token; reload the page")
