#!/usr/bin/env python3
"""Take the README's screenshot of the map (docs/map.png) on a ledger, offline.

Serves the ledger on a free loopback port in this process, opens the map in Debian's headless
``chromium`` through Playwright (resolving nothing but loopback) and saves the page.

    bash run.sh                                   # the sample corpus into ledger.db
    .venv/bin/python scripts/screenshot_map.py    # --db ledger.db --out docs/map.png
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shoot(db: Path, out: Path, *, path: str = "/", width: int = 1280, height: int = 860) -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from eventledger.web.app import create_app

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        thread.join(0.05)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"http://127.0.0.1:{port}{path}")
            page.wait_for_selector("#map[data-ready]", timeout=15_000)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "ledger.db")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "map.png")
    parser.add_argument("--path", default="/", help="page and filters to show, e.g. '/?type=protest'")
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"no ledger at {args.db}: run `bash run.sh` first")
    shoot(args.db, args.out, path=args.path)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
