"""Word reports (`.docx`), read with python-docx.

The text is the body's paragraphs (and the paragraphs of its tables, row by row), in
document order, one blank line apart; headers and footers live apart from the body in a
Word file and are left out. Title, author and dates come from the document's core
properties (title, author, created, else modified); a missing title is the first paragraph
in a heading or title style, else it is read from the first lines as for plain text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventledger.ingest.errors import IngestError
from eventledger.ingest.meta import clean_line, parse_date
from eventledger.ingest.sources import Registry
from eventledger.ingest.text import document_report
from eventledger.models import Report

_HEADING_STYLES = ("title", "heading")


def _blocks(document: Any) -> Iterator[tuple[str, str]]:
    """(style name, text) of the body's paragraphs and table cells, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield (block.style.name if block.style is not None else ""), block.text
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [clean_line(cell.text) for cell in row.cells]
                yield "", " | ".join(dict.fromkeys(c for c in cells if c))


def _open(data: bytes) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"not a readable Word file ({exc})") from None


def read(path: Path, data: bytes, registry: Registry) -> list[Report]:
    document = _open(data)
    blocks = [(style, clean_line(text)) for style, text in _blocks(document)]
    paragraphs = [text for _, text in blocks if text]
    text = "\n\n".join(paragraphs)
    if not text:
        raise IngestError("no text in the Word file")
    props = document.core_properties
    heading = next((t for s, t in blocks if t and s.casefold().startswith(_HEADING_STYLES)), None)
    author = clean_line(props.author)
    published, precision = parse_date(props.created or props.modified)
    return [document_report(path, text, registry, fmt="docx", title=clean_line(props.title) or heading,
                            author=author, published=published, precision=precision)]
