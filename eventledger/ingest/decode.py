"""Bytes to clean text: byte-order marks, UTF-8 first, else the detected encoding; then repair.

`decode_bytes` gives a string with `\n` newlines or raises `IngestError` ("binary file",
"empty file", "undecodable text" when the bytes are not UTF-8 and no legacy text encoding
fits them, or only an EBCDIC one, the detector's guess for bytes that are no text);
`repair` undoes mojibake ("Iranâ€™s" -> "Iran’s") with ftfy, which runs only when the text
holds characters that mojibake is made of, so clean text costs next to nothing.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from eventledger.ingest.errors import IngestError

_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 first: its LE mark starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters no text file holds, and the replacement character for undecodable bytes.
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_MAX_JUNK_SHARE = 0.05
# UTF-8 read as Latin-1/Windows-1252 always shows a lead byte as one of Â..ô, or C1 controls.
_MOJIBAKE_HINT = re.compile("[\u0080-\u009f\u00c2-\u00f4]")
_CHAOS_TIE = 0.01


def _strip_bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):], encoding
    return data, None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def guess(data: bytes) -> str:
    """Decode non-UTF-8 bytes with charset-normalizer's best guess.

    Short Latin texts are ambiguous between the Windows code pages; among guesses that fit
    equally well, Windows-1252 (by far the most common legacy encoding) wins.
    """
    import charset_normalizer

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise IngestError("undecodable text (not UTF-8, and no other encoding fits)")
    for match in matches:
        if match.chaos <= best.chaos + _CHAOS_TIE and "cp1252" in match.could_be_from_charset:
            text = _try(data, "cp1252")
            if text is not None:
                return text
    if not _ascii_compatible(best.encoding):
        raise IngestError(f"undecodable text (not UTF-8; the only fitting encoding is {best.encoding})")
    return str(best)


def _ascii_compatible(encoding: str) -> bool:
    """False for code pages where ASCII letters are other bytes (EBCDIC): the guess a detector
    makes for bytes that are no text at all (invalid UTF-8, fragments of binaries)."""
    probe = "Tehran, 2024: 12 arrested."
    return encoding.startswith("utf") or _try(probe.encode("ascii"), encoding) == probe


def normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def looks_binary(text: str) -> bool:
    """True when control characters or undecodable bytes make up a sizeable share of `text`."""
    if "\x00" in text:
        return True
    junk = len(_JUNK.findall(text))
    return junk > 0 and junk / len(text) > _MAX_JUNK_SHARE


def _legacy(hint: str) -> str:
    """Pages declaring Latin-1 or ASCII mean Windows-1252, as browsers read them."""
    try:
        name = codecs.lookup(hint).name
    except LookupError:
        return hint
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def decode_bytes(data: bytes, hint: str | None = None) -> str:
    """Text of `data`: BOM, else UTF-8, else `hint` (e.g. an HTML meta charset), else a guess."""
    body, encoding = _strip_bom(data)
    if not body.strip():
        raise IngestError("empty file")
    if encoding:
        text = body.decode(encoding, errors="replace")
    elif b"\x00" in body:
        raise IngestError("binary file")
    else:
        text = _try(body, "utf-8")
        if text is None and hint:
            text = _try(body, _legacy(hint)) or _try(body, hint)
        if text is None:
            text = guess(body)
    text = normalise_newlines(text)
    if looks_binary(text):
        raise IngestError("binary file")
    if not text.strip():
        raise IngestError("empty file")
    return text


def repair(text: str) -> str:
    """Undo mojibake and normalise to NFC; quotes and dashes are left as they are."""
    if _MOJIBAKE_HINT.search(text):
        import ftfy

        text = ftfy.fix_text(text, ftfy.TextFixerConfig(uncurl_quotes=False, explain=False))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def decode(data: bytes, hint: str | None = None) -> str:
    """`decode_bytes` then `repair`: what every reader of a text file wants."""
    return repair(decode_bytes(data, hint))
