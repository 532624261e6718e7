#!/usr/bin/env python3
"""Take the README's screenshots (docs/*.png) of the web app on a ledger, offline.

Serves the ledger on a free loopback port in this process and has Debian's headless
``chromium`` (its own ``--screenshot``; no driver, no browser download) photograph each view,
resolving nothing but loopback. The map is shot at two zoom levels, through the view it keeps in
the URL's hash (``#zoom/lat/lon``).

    bash run.sh                                  # the sample corpus into ledger.db
    .venv/bin/python scripts/screenshots.py      # --db ledger.db --out docs [--only map]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
# name -> (path, width, height): the views the README shows
SHOTS: dict[str, tuple[str, int, int]] = {
    "map": ("/", 1280, 860),
    "map-zoom": ("/#7/35.3/51.2", 1280, 860),
    "map-dates": ("/?from=2024-03-01&to=2024-04-30", 1280, 860),
    "table": ("/table", 1280, 720),
    "review": ("/review", 1280, 900),
}
TIME_BUDGET_MS = 8_000  # virtual time chromium gives a page to load its data before the shot


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    return found


def shoot(browser: str, url: str, out: Path, width: int, height: int) -> None:
    """One screenshot of `url` at `width` × `height` into `out` (PNG)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, *ARGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--virtual-time-budget={TIME_BUDGET_MS}", f"--screenshot={out}", url],
                       check=True, capture_output=True, timeout=120)
    if not out.exists() or out.stat().st_size == 0:
        raise SystemExit(f"chromium wrote no screenshot of {url}")


def serve(db: Path) -> tuple[object, threading.Thread, int]:
    import uvicorn

    from eventledger.web.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        thread.join(0.05)
    if not server.started:
        raise SystemExit("the server did not start")
    return server, thread, port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "ledger.db")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder of the PNG files")
    parser.add_argument("--only", choices=sorted(SHOTS), action="append", help="this view only (repeatable)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"no ledger at {args.db}: run `bash run.sh` first")
    browser = chromium()
    args.out.mkdir(parents=True, exist_ok=True)
    server, thread, port = serve(args.db)
    try:
        for name in args.only or SHOTS:
            path, width, height = SHOTS[name]
            out = args.out / f"{name}.png"
            shoot(browser, f"http://127.0.0.1:{port}{path}", out, width, height)
            print(f"wrote {out}")
    finally:
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
