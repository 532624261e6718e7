"""No network at run time: extraction, storage, export, evaluation and the web app connect nowhere.

Every way out of the process is guarded: `socket.socket.connect` and `connect_ex`,
`socket.create_connection` and name resolution (`getaddrinfo`) fail, and are recorded, for any
address that is not loopback. Then the commands run in-process on the sample corpus through
the API, the command line (click's CliRunner) and the web app (its in-process test client),
and no connection may have been attempted.

Fetching is done only by the reader of `.urls` files (`eventledger.ingest.urls`, which a user
asks for by naming such a file) and by the Dask engine (which talks to the scheduler the user
names); a static check makes sure no other module imports a network client.
"""

from __future__ import annotations

import ast
import errno
import ipaddress
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eventledger import api
from eventledger.cli import EXPORT_FORMATS, main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PACKAGE = ROOT / "eventledger"
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""})
NETWORK_MODULES = frozenset({
    "socket", "ssl", "http.client", "urllib.request", "urllib3", "requests", "httpx", "aiohttp", "ftplib",
    "smtplib", "websockets", "distributed",
})
# modules whose job is to talk to the network, when the user asks for it
MAY_CONNECT = frozenset({"ingest/urls.py", "distributed.py"})


def is_local(host: Any) -> bool:
    """Loopback addresses and names, and anything that is not an internet address (a Unix socket path)."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is None or not isinstance(host, str):
        return True
    if host.casefold() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """Replaces the socket functions that reach out; records and refuses every non-loopback attempt."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
        real_getaddrinfo, real_create_connection = socket.getaddrinfo, socket.create_connection

        def connect(sock: socket.socket, address: Any) -> None:
            self._check(sock, address, "connect")
            return real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            try:
                self._check(sock, address, "connect_ex")
            except OSError as exc:
                return exc.errno or errno.ENETUNREACH
            return real_connect_ex(sock, address)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            if not is_local(host):
                self.attempts.append(f"getaddrinfo {host!r}")
                raise socket.gaierror(socket.EAI_NONAME, "name resolution blocked by test_no_network")
            return real_getaddrinfo(host, *args, **kwargs)

        def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
            if not is_local(address[0]):
                self.attempts.append(f"create_connection {address!r}")
                raise OSError(errno.ENETUNREACH, "network blocked by test_no_network")
            return real_create_connection(address, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", create_connection)

    def _check(self, sock: socket.socket, address: Any, how: str) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            self.attempts.append(f"{how} {address!r}")
            raise OSError(errno.ENETUNREACH, "network blocked by test_no_network")


@pytest.fixture
def guard(monkeypatch: pytest.MonkeyPatch) -> NetworkGuard:
    return NetworkGuard(monkeypatch)


# --------------------------------------------------------------------------- the guard itself


def test_guard_refuses_the_internet_and_allows_loopback(guard: NetworkGuard) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(OSError), socket.socket() as sock:
        sock.connect(("198.51.100.7", 443))
    with socket.socket() as sock:
        assert sock.connect_ex(("203.0.113.9", 80)) == errno.ENETUNREACH
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("news.example.org", 443)
    assert len(guard.attempts) == 4
    with socket.create_server(("127.0.0.1", 0)) as server, \
            socket.create_connection(server.getsockname()[:2], timeout=5):
        pass
    assert len(guard.attempts) == 4


def test_guard_catches_a_fetch(guard: NetworkGuard, tmp_path: Path) -> None:
    """A `.urls` file is the one input that fetches: under the guard it fails, and is recorded."""
    listing = tmp_path / "list.urls"
    listing.write_text("https://news.example.org/report\n")
    [failure] = list(api.extract([listing]))
    assert failure.reason.startswith("cannot fetch")
    assert guard.attempts


# --------------------------------------------------------------------------- the commands


def test_api_makes_no_connection(guard: NetworkGuard, tmp_path: Path) -> None:
    out, db = tmp_path / "out.jsonl", tmp_path / "ledger.db"
    summary = api.extract_to_jsonl([SAMPLES], out)
    assert summary.documents and not summary.failures
    assert api.ingest([SAMPLES], db=db).records["event"] > 0
    for fmt in EXPORT_FORMATS:
        assert api.export_ledger(db, fmt, tmp_path / f"export.{fmt}") > 0, fmt
    assert api.ledger_summary(db)["documents"] == summary.documents
    api.incidents_text(db)
    api.figures_text(db, as_json=True)
    from eventledger.evaluate import evaluate

    assert evaluate(out, out)
    assert guard.attempts == []


def run_cli(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result


def test_cli_makes_no_connection(guard: NetworkGuard, tmp_path: Path) -> None:
    out, db = str(tmp_path / "out.jsonl"), str(tmp_path / "ledger.db")
    run_cli("extract", str(SAMPLES), "--out", out, "--quiet")
    run_cli("ingest", str(SAMPLES), "--db", db, "--quiet")
    for fmt in EXPORT_FORMATS:
        run_cli("export", "--db", db, "--format", fmt, "--out", str(tmp_path / f"cli.{fmt}"))
    assert json.loads(run_cli("summary", "--db", db, "--json").output)["events"] > 0
    run_cli("incidents", "--db", db)
    run_cli("figures", "--db", db, "--json")
    run_cli("evaluate", "--gold", out, "--pred", out, "--show-errors")
    assert guard.attempts == []


def test_web_app_makes_no_connection(guard: NetworkGuard, tmp_path: Path) -> None:
    web = pytest.importorskip("eventledger.web")
    testclient = pytest.importorskip("fastapi.testclient")
    db = tmp_path / "ledger.db"
    api.ingest([SAMPLES], db=db)
    client = testclient.TestClient(web.create_app(db))
    for page in ("/", "/timeline", "/table", "/figures", "/review", "/api", "/records/event/1",
                 "/api/events", "/api/map", "/api/timeline", "/api/facets"):
        response = client.get(page)
        assert response.status_code == 200, page
    assert guard.attempts == []


# --------------------------------------------------------------------------- no network client in the code


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def is_network_module(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES)


def test_only_the_fetchers_import_a_network_client() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        found = sorted(n for n in imported_modules(path) if is_network_module(n))
        if found and relative not in MAY_CONNECT:
            offenders[relative] = found
    assert offenders == {}, "the pipeline, store, export and web app stay offline"
    assert all(any(is_network_module(n) for n in imported_modules(PACKAGE / m)) for m in MAY_CONNECT)


def test_the_guard_list_is_not_stale() -> None:
    for relative in MAY_CONNECT:
        assert (PACKAGE / relative).exists(), relative

