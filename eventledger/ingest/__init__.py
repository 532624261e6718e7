"""Reading reports from files: find them, read each with the reader for its format.

    for item in read_paths(["reports/", "extra.html"]):
        if isinstance(item, IngestFailure):
            print(item.path, item.reason)      # "reports/x.bin: unsupported file type" ...
        else:
            ...                                 # a Report

Formats, by file name extension: plain text (`.txt`, `.md`, `.markdown`; `text.py`),
HTML (`.html`, `.htm`; `html.py`) and JSON Lines (`.jsonl`; `jsonl.py`). Bytes become text
in `decode.py`; publishers are named from the source registry (`sources.py`).

Readers raise `IngestError(reason)`; `read_paths` turns that, and any unexpected exception,
into an `IngestFailure(path, reason)` and goes on with the next file: it never raises for a
bad file. A report's `doc` is its file's base name (for JSON Lines rows: the row's `id`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from eventledger.ingest import html, jsonl, text
from eventledger.ingest.errors import IngestError, IngestFailure
from eventledger.ingest.sources import Registry, RegistryError, load_registry
from eventledger.models import Report

__all__ = [
    "SUPPORTED", "IngestError", "IngestFailure", "Limits", "discover", "read_file", "read_items",
    "read_paths",
]

# extension -> reader
SUPPORTED: dict[str, str] = {
    ".txt": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl",
}


@dataclass(frozen=True)
class Limits:
    """Size limits; a file over its limit is reported, never read.

    `max_bytes` bounds a text or HTML file and each row of a JSON Lines file; a JSON Lines
    file as a whole (read row by row) is bounded by `max_jsonl_bytes`.
    """

    max_bytes: int = 5_000_000
    max_jsonl_bytes: int = 500_000_000


# --------------------------------------------------------------------------- discovery


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path) -> list[Path]:
    """Supported, non-hidden files under `root`, sorted by their path components."""
    found: list[tuple[tuple[str, ...], Path]] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders if not _is_hidden(d)]
        base = Path(folder)
        for name in names:
            if not _is_hidden(name) and Path(name).suffix.lower() in SUPPORTED:
                path = base / name
                found.append((path.relative_to(root).parts, path))
    return [path for _, path in sorted(found)]


def _as_list(paths: Iterable[str | Path] | str | Path) -> list[str | Path]:
    return [paths] if isinstance(paths, str | Path) else list(paths)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read, in input order; directories are walked recursively.

    Inside a directory, hidden files and folders and files of unsupported types are skipped
    silently, and files come in sorted order. A path named explicitly is always listed (even
    if missing or of an unsupported type) so that reading it reports why it gave nothing.
    A file reached twice is listed once.
    """
    out: list[Path] = []
    seen: set[str] = set()
    for given in _as_list(paths):
        path = Path(given)
        for file in _walk(path) if path.is_dir() else [path]:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                out.append(file)
    return out


# --------------------------------------------------------------------------- reading


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise IngestError("no such file or directory") from None
    except OSError as exc:
        raise IngestError(f"cannot read file ({exc.strerror or exc})") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file ({exc.strerror or exc})") from None


def _registry(registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    try:
        return load_registry()
    except RegistryError as exc:
        raise IngestError(f"source registry: {exc}") from None


def read_items(
    path: Path, *, limits: Limits = Limits(), registry: Registry | None = None,
) -> list[Report | IngestFailure]:
    """Reports of one file, with the failures of single JSON Lines rows; raises IngestError."""
    path = Path(path)
    size = _size(path)
    if path.is_dir():
        raise IngestError("is a directory")
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        raise IngestError("unsupported file type")
    limit = limits.max_jsonl_bytes if kind == "jsonl" else limits.max_bytes
    if size > limit:
        raise IngestError(f"file too large ({size} bytes > {limit})")
    if size == 0:
        raise IngestError("empty file")
    if kind == "jsonl":
        return jsonl.read(path, _registry(registry), limits.max_bytes)
    data = _read_bytes(path)
    reader = html.read if kind == "html" else text.read
    return list(reader(path, data, _registry(registry)))


def read_file(path: Path, *, limits: Limits = Limits(), registry: Registry | None = None) -> list[Report]:
    """Reports of one file (one, or one per JSON Lines row); raises IngestError.

    Failed JSON Lines rows are left out (`read_paths` and `read_items` report them); a file
    none of whose rows is usable raises with the first row's reason.
    """
    items = read_items(path, limits=limits, registry=registry)
    reports = [item for item in items if isinstance(item, Report)]
    if not reports:
        first = next(item for item in items if isinstance(item, IngestFailure))
        raise IngestError(f"no usable rows (line {first.path.rpartition(':')[2]}: {first.reason})")
    return reports


def _unexpected(exc: Exception) -> str:
    message = str(exc).strip().splitlines()
    detail = f": {message[0]}" if message else ""
    return f"unexpected error ({type(exc).__name__}{detail})"


def read_paths(
    paths: Iterable[str | Path], *, limits: Limits = Limits(), registry: Registry | None = None,
) -> Iterator[Report | IngestFailure]:
    """Every report under `paths`, in input order, with an `IngestFailure` for each file (or
    JSON Lines row) that gave none. Never raises for a bad file."""
    for path in discover(paths):
        try:
            items = read_items(path, limits=limits, registry=registry)
        except IngestError as exc:
            yield IngestFailure(str(path), exc.reason)
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop a batch
            yield IngestFailure(str(path), _unexpected(exc))
        else:
            yield from items
