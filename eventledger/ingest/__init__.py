"""Reading reports from files: find them, read each with the reader for its format.

    for item in read_paths(["reports/", "extra.html"]):
        if isinstance(item, IngestFailure):
            print(item.path, item.reason)      # "reports/x.bin: unsupported file type" ...
        else:
            ...                                 # a Report

Formats, by file name extension: plain text (`.txt`, `.md`, `.markdown`, and a file without
extension whose bytes are UTF-8 text; `text.py`), HTML (`.html`, `.htm`; `html.py`), PDF
(`.pdf`; `pdf.py`, with a per-page offset map in `Report.pages`), Word (`.docx`; `word.py`),
JSON Lines (`.jsonl`; `jsonl.py`), RSS/Atom feeds (`.rss`, `.atom`, and `.xml` when it
parses as a feed; `feed.py`), web archives (`.warc`, `.warc.gz`; `warc.py`) and lists of
URLs to fetch (`.urls`; `urls.py`). JSON Lines files, archives and URL lists are streamed:
their reports come one at a time. Bytes become text in `decode.py`; publishers are named
from the source registry (`sources.py`).

Readers raise `IngestError(reason)`; `read_paths` turns that, and any unexpected exception,
into an `IngestFailure(path, reason)` and goes on with the next file: it never raises for a
bad file. A report's `doc` is its file's base name (for JSON Lines rows: the row's `id`; for
feed entries: the entry's id or link; for archived or fetched pages: the page's URL).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from eventledger.ingest import feed, html, jsonl, pdf, text, urls, warc, word
from eventledger.ingest.errors import IngestError, IngestFailure
from eventledger.ingest.names import IdGuard, clean_report, escape_name, unescape_name
from eventledger.ingest.sources import Registry, RegistryError, load_registry
from eventledger.limits import BudgetExceeded, Limits, time_budget
from eventledger.models import Report

__all__ = [
    "SINGLE_KINDS",
    "SUPPORTED",
    "IngestError",
    "IngestFailure",
    "Limits",
    "discover",
    "escape_name",
    "iter_items",
    "kind_of",
    "read_file",
    "read_items",
    "read_paths",
    "sources",
    "unescape_name",
]

# extension -> reader
SUPPORTED: dict[str, str] = {
    ".txt": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".warc.gz": "warc",
    ".urls": "urls",
    ".pdf": "pdf", ".docx": "docx",
}
_SINGLE = SINGLE_KINDS = frozenset({"text", "html", "pdf", "docx"})  # one report per file, named by the file
_STREAMED = frozenset({"jsonl", "warc", "urls"})
TEXT_SNIFF_BYTES = 8192  # read item by item; the file-size limit is max_jsonl_bytes


def kind_of(path: str | Path) -> str | None:
    """The reader for a file name ("feed" for `x.rss`, "warc" for `x.warc.gz`), or None."""
    name = Path(path).name.lower()
    return next((SUPPORTED[ext] for ext in sorted(SUPPORTED, key=len, reverse=True) if name.endswith(ext)), None)


def _looks_like_text(path: Path) -> bool:
    """A file without an extension is read as plain text when its first bytes hold no NUL and
    decode as UTF-8 (a character cut at the end of the sample is allowed)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(TEXT_SNIFF_BYTES)
    except OSError:
        return False
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and len(head) == TEXT_SNIFF_BYTES
    return True


def _kind_or_reason(path: Path) -> tuple[str | None, str]:
    """(reader, "") for a file that is read, else (None, the reason it is not)."""
    kind = kind_of(path)
    if kind is not None:
        return kind, ""
    suffix = "".join(Path(path).suffixes[-1:]).lower()
    if suffix:
        return None, f"unsupported file type ({suffix})"
    if _looks_like_text(path):
        return "text", ""
    return None, "no file extension, and not text"


# --------------------------------------------------------------------------- discovery


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path) -> tuple[list[Path], list[IngestFailure]]:
    """Non-hidden files under `root`, sorted by their path components (reading one of a type
    no reader knows reports it, with its reason), and the folders that could not be read (each
    an `IngestFailure` with its reason)."""
    found: list[tuple[tuple[str, ...], Path]] = []
    unreadable: list[IngestFailure] = []

    def failed(exc: OSError) -> None:
        where = escape_name(str(exc.filename)) if exc.filename is not None else escape_name(str(root))
        unreadable.append(IngestFailure(where, f"cannot read folder ({exc.strerror or exc})"))

    for folder, subfolders, names in os.walk(root, onerror=failed):
        subfolders[:] = [d for d in subfolders if not _is_hidden(d)]
        base = Path(folder)
        for name in names:
            if not _is_hidden(name):
                path = base / name
                found.append((path.relative_to(root).parts, path))
    return [path for _, path in sorted(found)], unreadable


def _as_list(paths: Iterable[str | Path] | str | Path) -> list[str | Path]:
    return [paths] if isinstance(paths, str | Path) else list(paths)


def sources(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str] | IngestFailure]:
    """`discover`'s files, each with its name: its path relative to the argument it was found
    under (a file named on the command line: its base name), with '/' between folders, escaped
    by `escape_name`; and an `IngestFailure` for each folder that could not be read."""
    seen: set[str] = set()
    for given in _as_list(paths):
        path = Path(given)
        if path.is_dir():
            files, unreadable = _walk(path)
            yield from unreadable
            named = [(file, file.relative_to(path).as_posix()) for file in files]
        else:
            named = [(path, path.name)]
        for file, name in named:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                yield file, escape_name(name)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read, in input order; directories are walked recursively.

    Inside a directory, hidden files and folders are skipped silently, and files come in
    sorted order; files of unsupported types are listed, so that reading them says why not.
    A path named explicitly is always listed (even if missing or of an unsupported type) so
    that reading it reports why it gave nothing.
    A file reached twice is listed once. (`sources` also names them and the unreadable folders.)
    """
    return [item[0] for item in sources(paths) if not isinstance(item, IngestFailure)]


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
    """Reports of one file, with the failures of single rows or entries; raises IngestError."""
    return list(iter_items(path, limits=limits, registry=registry))


def _checked_kind(path: Path, limits: Limits) -> str:
    """The reader for `path` once it is known to be a readable file within its size limit."""
    size = _size(path)
    if path.is_dir():
        raise IngestError("is a directory")
    kind, reason = _kind_or_reason(path)
    if kind is None:
        raise IngestError(reason)
    limit = limits.max_jsonl_bytes if kind in _STREAMED else limits.max_bytes
    if size > limit:
        raise IngestError(f"file too large ({size} bytes > {limit})")
    if size == 0:
        raise IngestError("empty file")
    return kind


def _not_empty(items: Iterator[Report | IngestFailure]) -> Iterator[Report | IngestFailure]:
    empty = True
    for item in items:
        empty = False
        yield item
    if empty:
        raise IngestError("empty file")


def iter_items(
    path: Path, *, limits: Limits = Limits(), registry: Registry | None = None,
) -> Iterator[Report | IngestFailure]:
    """`read_items`, one item at a time: JSON Lines rows, archive records and URLs are read as
    they are consumed. Raises IngestError (on the first `next` for a file that gives nothing).
    A report whose text is longer than `limits.max_chars` becomes an `IngestFailure`."""
    path = Path(path)
    kind = _checked_kind(path, limits)
    yield from _within_length(_reader_items(path, kind, limits, registry), path, limits.max_chars)


def _within_length(items: Iterable[Report | IngestFailure], path: Path,
                   max_chars: int) -> Iterator[Report | IngestFailure]:
    for item in items:
        if isinstance(item, Report):
            item = clean_report(item)
            if len(item.text) > max_chars:
                where = item.source_path if item.doc == escape_name(path.name) else f"{item.source_path}:{item.doc}"
                item = IngestFailure(where or str(path), f"text too long ({len(item.text)} characters > {max_chars})")
        yield item


def _reader_items(path: Path, kind: str, limits: Limits,
                  registry: Registry | None) -> Iterator[Report | IngestFailure]:
    if kind == "jsonl":
        yield from _not_empty(jsonl.iter_rows(path, _registry(registry), limits.max_bytes))
        return
    if kind == "warc":
        yield from warc.iter_reports(path, _registry(registry), limits.max_bytes)
        return
    data = _read_bytes(path)
    if kind == "urls":
        yield from urls.read(path, data, _registry(registry), limits.max_bytes)
        return
    readers: dict[str, Callable[[Path, bytes, Registry], Sequence[Report | IngestFailure]]] = {
        "html": html.read, "feed": feed.read, "pdf": pdf.read, "docx": word.read}
    reader = readers.get(kind, text.read)
    yield from reader(path, data, _registry(registry))


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
    JSON Lines row, feed entry, URL, unreadable folder) that gave none. Never raises for a bad
    file; a file that breaks part-way (a damaged archive) keeps the reports read before the
    break, then its failure.

    A text, HTML, PDF or Word report's `doc` is its file's name relative to the argument it was found
    under (`sources`); a report whose `doc` another report of the batch already has keeps
    its own, qualified id (`names.IdGuard`), and a note says so: nothing is overwritten."""
    guard = IdGuard()
    for item in sources(paths):
        if isinstance(item, IngestFailure):
            yield item
            continue
        path, name = item
        single = kind_of(path) in _SINGLE or not Path(path).suffix  # a file without extension is read as text
        for read in _file_items(path, limits, registry):
            if isinstance(read, IngestFailure):
                read = IngestFailure(escape_name(read.path), read.reason)
            else:
                if single and read.doc == escape_name(path.name):
                    read = replace(read, doc=name)
                read = guard.unique(read)
            yield read


def _file_items(path: Path, limits: Limits, registry: Registry | None) -> Iterator[Report | IngestFailure]:
    """The items of one file, each read within the time budget `limits.seconds` (a reader that
    raises or runs out of time ends the file with its failure; a file that gives nothing, such
    as an archive without HTML pages, is a failure too)."""
    items = iter_items(path, limits=limits, registry=registry)
    where = escape_name(str(path))
    for count in itertools.count():
        try:
            with time_budget(limits.seconds):
                item = next(items, None)
        except IngestError as exc:
            item = IngestFailure(where, exc.reason)
        except BudgetExceeded:
            item = IngestFailure(where, f"reading took longer than the time budget of {limits.seconds:g} s")
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop a batch
            item = IngestFailure(where, _unexpected(exc))
        if item is None:
            if count == 0:
                yield IngestFailure(where, "no report in the file")
            return
        yield item
