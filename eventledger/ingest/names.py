"""Safe names and unique ids for reports.

* `escape_name`: a file name or id as a string any UTF-8 store takes, reversibly. Operating
  systems hand Python undecodable bytes of a file name as lone surrogates (PEP 383), and a
  JSON row may hold a lone surrogate escape (`"\\ud800"`); neither can be written as UTF-8.
  Such a name keeps its valid characters; each byte that is not UTF-8 becomes `\\xNN` and a
  backslash becomes `\\\\`. `unescape_name` gives the bytes back. A valid name with no
  backslash is left as it is.
* `clean_report`: a report whose text or metadata hold lone surrogates gets U+FFFD in their
  place (one character for one: evidence offsets do not move) and a note naming the fields.
* `IdGuard`: ids unique within a batch; a report whose id is taken keeps a qualified id and a
  note (an id clash is reported, never overwritten).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from eventledger.models import Report

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile(rb"\\(\\|x[0-9a-fA-F]{2})")
_FILE_NAMED = frozenset({"text", "html"})
_TEXT_FIELDS = ("text", "title", "url", "author", "publisher", "language")


def _has_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def _raw_bytes(name: str) -> bytes:
    try:
        return name.encode("utf-8", "surrogateescape")  # undecodable bytes of a file name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogatepass")  # a lone surrogate from a JSON escape


def escape_name(name: str) -> str:
    """`name` as valid UTF-8: bytes that are not UTF-8 as `\\xNN`, `\\` as `\\\\` (reversible)."""
    if "\\" not in name and not _has_surrogate(name):
        return name
    return _raw_bytes(name).replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def unescape_name(escaped: str) -> bytes:
    """The bytes `escape_name` was given (as the file system holds them)."""
    def one(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        return b"\\" if code == b"\\" else bytes([int(code[1:], 16)])

    return _ESCAPE.sub(one, escaped.encode("utf-8"))


def replace_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text) if _has_surrogate(text) else text


def clean_report(report: Report) -> Report:
    """`report` with lone surrogates replaced (U+FFFD in text and metadata, escaped in its id
    and source path) and a note for each field of text or metadata that held one."""
    changes: dict[str, Any] = {}  # field name -> its new value (text)
    for name in _TEXT_FIELDS:
        value = getattr(report, name)
        if isinstance(value, str) and _has_surrogate(value):
            changes[name] = replace_surrogates(value)
    for name in ("doc", "source_path"):
        value = getattr(report, name)
        if isinstance(value, str):
            escaped = escape_name(value)
            if escaped != value:
                changes[name] = escaped
    if not changes:
        return report
    notes = report.notes
    fixed = [name for name in _TEXT_FIELDS if name in changes]
    if fixed:
        notes = (*notes, f"lone surrogate code points replaced by U+FFFD in {', '.join(fixed)}")
    if "doc" in changes and report.fmt not in _FILE_NAMED:  # a file name's bytes are no defect
        notes = (*notes, f"id held lone surrogate code points: stored as {changes['doc']!r}")
    return replace(report, **changes, notes=notes)


@dataclass
class IdGuard:
    """Gives each report of a batch an id no earlier report of the batch has."""

    _taken: dict[str, str] = field(default_factory=dict)  # id -> source path of its report

    def unique(self, report: Report) -> Report:
        """`report`, or when its id is taken, a copy with the id qualified by its source path
        (`"feeds/a.rss#entry-1"`, then `~2`, `~3`, … if need be) and a note saying so."""
        origin = report.source_path or ""
        if report.doc not in self._taken:
            self._taken[report.doc] = origin
            return report
        new = free_id(report.doc, origin, lambda doc: doc in self._taken)
        self._taken[new] = origin
        return replace(report, doc=new, notes=(*report.notes, clash_note(report.doc, self._taken[report.doc], new)))


def free_id(doc: str, origin: str, taken: Callable[[str], bool]) -> str:
    """A qualified id for `doc` read from `origin` that `taken` says is free: the origin's path
    when it ends with `doc` (a file), else `origin#doc` (a row or entry); `~2`, `~3`… if need be."""
    base = origin if origin and origin.endswith(doc) else f"{origin}#{doc}"
    new, n = base, 1
    while taken(new):
        n += 1
        new = f"{base}~{n}"
    return new


def clash_note(doc: str, other: str | None, new: str) -> str:
    return f"id clash: {doc!r} is also the id of a report from {other or 'elsewhere'}; stored as {new!r}"
