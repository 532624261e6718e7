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
_WIDE_SAMPLE = 65_536
_WIDE_MIN_SHARE = 0.1  # at least a tenth of the units hold a zero where the encoding puts them
_WIDE_STRAY_SHARE = 0.05
_WIDE_ALL = 0.95  # UTF-32: the two top bytes of (nearly) every unit are zero  # and other positions hold next to none
_CHAR_REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});?")
_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)) + "]")


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


def _wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 (LE or BE) when the zero bytes of `data` fall where those encodings put
    them (the high bytes of Latin letters, digits, spaces and punctuation), else None.

    Text in UTF-16 holds a zero in every other byte wherever it has an ASCII character (a
    space, a digit, a full stop: Persian and Arabic text too); UTF-32 in two of every four.
    Random bytes spread their zeros evenly, and are not taken for text.
    """
    sample = data[:_WIDE_SAMPLE]
    # (bytes per unit, encoding, the bytes of a unit that are zero for ASCII, the low byte: never zero)
    for width, encoding, high, low in ((4, "utf-32-le", (2, 3), 0), (4, "utf-32-be", (0, 1), 3),
                                       (2, "utf-16-le", (1,), 0), (2, "utf-16-be", (0,), 1)):
        units = len(sample) // width
        if len(data) % width or not units:
            continue
        zeros = min(sample[i::width][:units].count(0) for i in high)
        stray = sample[low::width][:units].count(0)
        share = _WIDE_ALL if width == 4 else _WIDE_MIN_SHARE
        if zeros >= share * units and stray <= zeros * _WIDE_STRAY_SHARE:
            return encoding
    return None


def _without_bom(data: bytes) -> str | None:
    """The text of UTF-16 or UTF-32 bytes that carry no byte-order mark, or None."""
    encoding = _wide_encoding(data)
    return _try(data, encoding) if encoding else None


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
    text: str | None
    if encoding:
        text = body.decode(encoding, errors="replace")
    elif b"\x00" in body:
        text = _without_bom(body)
        if text is None:
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


def _unusable(code: int) -> bool:
    """A code point no text may hold: a noncharacter, a surrogate, NUL, or beyond Unicode."""
    return (code == 0 or 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF
            or (code & 0xFFFE) == 0xFFFE or code > 0x10FFFF)


def _drop_reference(m: re.Match[str]) -> str:
    digits = m.group(1)
    try:
        code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    except ValueError:
        return m.group(0)
    return "" if _unusable(code) else m.group(0)


def strip_noncharacters(markup: str) -> str:
    """`markup` without noncharacters (U+FFFE, U+FDD0…), raw or as character references
    (`&#xFFFE;`): a single such reference made the HTML parser give no text for a whole page.
    References to surrogates, NUL or beyond U+10FFFF go too."""
    if "&#" in markup:
        markup = _CHAR_REFERENCE.sub(_drop_reference, markup)
    if not markup.isascii():
        markup = _NONCHARACTER.sub("", markup)
    return markup


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
