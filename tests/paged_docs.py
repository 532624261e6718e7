"""Writers of small PDF and Word files for the tests (the texts are invented for the tests).

`make_pdf` writes PDF bytes by hand: pages of text lines placed at given positions in a
standard font (Helvetica), an optional document information dictionary, or pages with a
drawing and no text at all (a stand-in for a scan without a text layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

Line = tuple[float, float, float, str]  # x, y, font size, text

PAGE_WIDTH, PAGE_HEIGHT = 612, 792


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _content(lines: Sequence[Line]) -> bytes:
    if not lines:  # a drawn rectangle, no text: what a page of a scan without OCR holds
        return b"0.5 g 72 72 468 648 re f"
    ops = [f"BT /F1 {size:g} Tf 1 0 0 1 {x:g} {y:g} Tm {_pdf_string(text)} Tj ET" for x, y, size, text in lines]
    return "\n".join(ops).encode("latin-1")


def make_pdf(pages: Sequence[Sequence[Line]], info: dict[str, str] | None = None) -> bytes:
    """A PDF of `pages` (each a list of lines), with `info` (Title, Author, CreationDate ...)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        stream = _content(lines)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
    objects[pages_obj - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                              f"/Count {len(kids)} >>").encode()
    info_ref = ""
    if info:
        entries = " ".join(f"/{key} {_pdf_string(value)}" for key, value in info.items())
        info_ref = f" /Info {add(f'<< {entries} >>'.encode('latin-1'))} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def column_lines(x: float, top: float, lines: Sequence[str], size: float = 10, leading: float = 12) -> list[Line]:
    """`lines` set one under the other from `top` down, at `x`."""
    return [(x, top - i * leading, size, line) for i, line in enumerate(lines)]


def two_column_page(number: int, left: Sequence[str], right: Sequence[str], title: str | None = None) -> list[Line]:
    """A page with a running header, a page number at the foot, an optional wide title and
    two columns of text."""
    page: list[Line] = [(72, 760, 9, "Regional Rights Digest - Quarterly Review"), (300, 30, 9, str(number))]
    top = 700
    if title:
        page.append((72, 720, 20, title))
        top = 680
    return page + column_lines(72, top, left) + column_lines(330, top, right)


def write_pdf(path: Path, pages: Sequence[Sequence[Line]], info: dict[str, str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make_pdf(pages, info))
    return path


def write_docx(path: Path, title: str, paragraphs: Sequence[str], *, author: str | None = None,
               header: str | None = None) -> Path:
    """A Word file: a title paragraph in the Title style, then `paragraphs`; an optional page header."""
    import datetime as dt

    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = author or ""
    document.core_properties.created = dt.datetime(2024, 5, 6, 9, 0)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.add_paragraph(title, style="Title")
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
