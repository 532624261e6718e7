"""Reports fetched from the web: a list of URLs (`fetch_urls`, or a `.urls` file).

    for item in fetch_urls(["https://news.example.org/a"], timeout=20, delay=1.0):
        ...                       # a Report (doc id = the URL), or IngestFailure(url, reason)

Politeness: one request at a time, at least `delay` seconds between two requests to the same
host, a `User-Agent` naming eventledger, a `timeout` on every request and a size limit on
every answer. Only http and https URLs are fetched, and only redirects to http and https URLs
are followed, at most `MAX_REDIRECTS` of them. HTML pages go through the HTML reader
(as for `.html` files and WARC records); plain-text answers are read as plain text. A URL
that cannot be fetched (bad address, HTTP error, timeout, too large, unsupported type) is a
failure and the list goes on.

A `.urls` file holds one URL per line; blank lines and lines starting with `#` are skipped.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from eventledger.ingest import text as text_reader
from eventledger.ingest.decode import decode
from eventledger.ingest.errors import IngestError, IngestFailure
from eventledger.ingest.sources import Registry, load_registry
from eventledger.ingest.warc import page_report
from eventledger.models import Report

USER_AGENT = "eventledger/0.1 (research tool; polite fetcher)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_DELAY = 1.0
DEFAULT_MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
_HTML = ("text/html", "application/xhtml+xml")
_TEXT = ("text/plain", "text/markdown")


@dataclass
class RateLimiter:
    """At least `delay` seconds between two calls of `wait(host)` for the same host."""

    delay: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)

    def wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            remaining = self.delay - (self.clock() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._last[host] = self.clock()


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) only (never ftp, file or data), at most `MAX_REDIRECTS` in a row."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise IngestError(f"redirect to a non-http(s) URL refused ({urlsplit(newurl).scheme or '?'})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _open(request: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.build_opener(_WebRedirects).open(request, timeout=timeout)


def _get(url: str, *, timeout: float, user_agent: str, max_bytes: int) -> tuple[bytes, str]:
    """(body, content type) of `url`; `IngestError` with a reason when it cannot be had."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "text/html, text/plain"})
    try:
        with _open(request, timeout) as response:
            body = response.read(max_bytes + 1)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise IngestError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise IngestError(f"cannot fetch ({exc.reason})") from None
    except TimeoutError:
        raise IngestError(f"timed out after {timeout:g} s") from None
    except OSError as exc:
        raise IngestError(f"cannot fetch ({exc.strerror or exc})") from None
    if len(body) > max_bytes:
        raise IngestError(f"answer too large (> {max_bytes} bytes)")
    return body, content_type


def fetch_one(url: str, registry: Registry, *, timeout: float = DEFAULT_TIMEOUT, user_agent: str = USER_AGENT,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """The report at `url` (doc id = `url`); raises IngestError."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise IngestError("not an http(s) URL")
    body, content_type = _get(url, timeout=timeout, user_agent=user_agent, max_bytes=max_bytes)
    if content_type in _HTML:
        return page_report(body, url, registry, source_path=url, fmt="url")
    if content_type in _TEXT:
        report = text_reader.read(Path("page.txt"), body, registry)[0]
        return replace(report, doc=url, url=url, source_path=url, fmt="url",
                       publisher=registry.by_domain(url) or report.publisher)
    raise IngestError(f"unsupported content type {content_type}")


def fetch_urls(urls: Iterable[str], *, timeout: float = DEFAULT_TIMEOUT, delay: float | None = None,
               user_agent: str = USER_AGENT, max_bytes: int = DEFAULT_MAX_BYTES,
               registry: Registry | None = None,
               limiter: RateLimiter | None = None) -> Iterator[Report | IngestFailure]:
    """Fetch each URL in turn, politely; yield its report or an `IngestFailure(url, reason)`.

    `delay`: seconds between two requests to one host (default `DEFAULT_DELAY`)."""
    registry = registry or load_registry()
    limiter = limiter or RateLimiter(DEFAULT_DELAY if delay is None else delay)
    for raw in urls:
        url = raw.strip()
        try:
            limiter.wait(urlsplit(url).netloc.casefold())
            yield fetch_one(url, registry, timeout=timeout, user_agent=user_agent, max_bytes=max_bytes)
        except IngestError as exc:
            yield IngestFailure(url, exc.reason)
        except Exception as exc:  # noqa: BLE001 - one bad URL (a host IDNA refuses) never ends the list
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            yield IngestFailure(url, f"bad URL ({type(exc).__name__}: {first})")


def url_list(data: bytes) -> list[str]:
    """The URLs of a `.urls` file: one per line, without blanks and `#` comments."""
    lines = (line.strip() for line in decode(data).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read(path: Path, data: bytes, registry: Registry, max_bytes: int) -> Iterator[Report | IngestFailure]:
    """The reports of the URLs listed in a `.urls` file, fetched one by one as they are consumed."""
    lines = _numbered_urls(data)
    if not lines:
        raise IngestError("no URLs in file")
    fetched = fetch_urls([url for _, url in lines], registry=registry, max_bytes=max_bytes)
    # a URL that failed is named with its line: `list.urls:3 (http://…)`
    return (IngestFailure(f"{path}:{number} ({item.path})", item.reason) if isinstance(item, IngestFailure) else item
            for (number, _), item in zip(lines, fetched, strict=True))


def _numbered_urls(data: bytes) -> list[tuple[int, str]]:
    lines = (line.strip() for line in decode(data).splitlines())
    return [(n, line) for n, line in enumerate(lines, start=1) if line and not line.startswith("#")]
