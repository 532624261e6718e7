"""Normalising place names so that spelling variants meet on one key.

A *key* is what the gazetteer indexes and what the recogniser looks up: lower case, no
diacritics, no apostrophes, hyphens as spaces, the Persian ezafe ("-e", "-ye") dropped, and
Arabic-script letters folded to their Persian forms with the zero-width non-joiner removed.
"Bandar-e Abbās", "Bandar Abbas" and "bandar-e-abbas" all become ``"bandar abbas"``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Latin letters that NFKD does not decompose.
_LATIN_FOLD = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h",
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d", "ŀ": "l",
    "ə": "e", "Ə": "E", "ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "`": "'", "´": "'", "ʿ": "'", "ʾ": "'",
})
# Arabic-script letters folded to the Persian forms; joiners and tatweel removed.
_ARABIC_FOLD = str.maketrans({
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ە": "ه", "أ": "ا", "إ": "ا",
    "آ": "ا", "ٱ": "ا", "ؤ": "و", "\u200c": "", "\u200d": "", "\u0640": "", "\u200f": "", "\u200e": "",
})
_WORD = re.compile(r"[^\W\d_]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc\u02bb\u2018`\u00b4]")
EZAFE = frozenset({"e", "ye", "i", "yi"})
_CONJUNCTIONS = {"va": "and", "&": "and", "wa": "and"}


def fold(text: str) -> str:
    """`text` without diacritics, with Persian letter forms, joiners removed; case kept."""
    text = text.translate(_ARABIC_FOLD).translate(_LATIN_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def ascii_name(name: str) -> str:
    """A readable ASCII form of a Latin-script name: "Qā‘em Shahr" -> "Qa'em Shahr"."""
    return fold(name).encode("ascii", "ignore").decode("ascii").strip()


@lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """The key of one word: folded, lower case, apostrophes dropped."""
    if token.isascii():
        return token.replace("'", "").replace("`", "").lower()
    return _APOSTROPHES.sub("", fold(token)).lower()


def tokens(name: str) -> list[str]:
    """The word keys of a name (ezafe and conjunctions still in)."""
    words = _WORD.findall(_APOSTROPHES.sub("", fold(name).replace("&", " and ")).lower())
    return [_CONJUNCTIONS.get(w, w) for w in words]


def drop_ezafe(words: list[str]) -> list[str]:
    """Words without the ezafe particles that link them ("bandar e abbas" -> "bandar abbas")."""
    if len(words) < 2:
        return words
    return [w for i, w in enumerate(words) if i == 0 or w not in EZAFE]


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The lookup key of a name: "Bandar-e Abbās" -> "bandar abbas"."""
    return " ".join(drop_ezafe(tokens(name)))


def name_keys(name: str) -> set[str]:
    """Every key a name is found under: spaced, and run together ("Babol Sar" -> "babolsar")."""
    words = tokens(name)
    if not words:
        return set()
    plain = drop_ezafe(words)
    keys = {" ".join(plain)}
    if len(words) > 1:
        keys.add("".join(plain))
        keys.add("".join(words))
    return keys


def is_arabic_script(text: str) -> bool:
    """True when the text's letters are Arabic-script (Persian, Arabic, Urdu...)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in letters)


def is_latin_script(text: str) -> bool:
    """True when every letter of the folded text is ASCII."""
    letters = [ch for ch in fold(text) if ch.isalpha()]
    return bool(letters) and all(ch.isascii() for ch in letters)


# ----------------------------------------------------------------------------- transliteration skeleton

# Romanisations of one Persian letter or sound folded to one symbol, in this order ("tch" before "ch").
_DIGRAPHS = (("tch", "C"), ("ch", "C"), ("dj", "j"), ("sh", "S"), ("zh", "Z"), ("kh", "X"), ("gh", "q"),
             ("ph", "f"), ("dh", "z"))
_LETTERS = str.maketrans({"c": "k", "x": "X", "w": "v"})
_DIPHTHONG_W = re.compile(r"(?<=[aeiou])w(?![aeiouy])")  # "Nowshahr", "Dowlatabad": a w closing a vowel
_DOUBLED = re.compile(r"([^aeiouy])\1+")
_SILENT_H = re.compile(r"(?<=[aeiouy])h(?![aeiouy])")  # "Qarah", "Tappeh": an h after a vowel, before none
_FINAL_VOWEL = re.compile(r"(?<=[^aeiouy ])[ae](?= |$)")  # "Qara(h)", "Sar-e", "Mobarake(h)"
_VOWELS = re.compile(r"[aeiou][aeiouy]*|(?<=[^ aeiouy])y[aeiouy]*")  # (a word's first y is a consonant: "Yasuj")
MIN_SKELETON_LETTERS = 5  # shorter names are never folded ("Qom", "Sari", "Bam")
MIN_SKELETON = 3  # consonants; fewer say too little to tell towns apart ("Mianeh" -> "mVnV")


def _undouble(text: str) -> str:
    return _DOUBLED.sub(_first_letter, text) if _DOUBLED.search(text) else text


def _first_letter(match: re.Match[str]) -> str:
    return match.group(1)


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """A transliteration-folding key of a name key (`name_key`): spellings of one Persian name meet.

    Digraphs fold to one letter (kh/x, gh/q, sh, ch/tch, zh, dj/j, w/v), doubled consonants become
    one ("Zarrin"/"Zarin"), an h that only lengthens a vowel goes and so does a word's final short
    vowel ("Qarah"/"Qareh"/"Qara", "Sar-e"/"Sare"), every run of vowels becomes one mark "V"
    ("ou"/"u"/"oo", "ey"/"ei", "a"/"e"), and the words run together ("Khorram Abad"/"Khorramabad").
    So "Qareh Tapeh", "Gharah Tappeh" and "Qara Tepe" all give "qVrtVp"; vowels are kept in place, so
    that "Shirbad" stays apart from "Shirabad". Empty for a name under MIN_SKELETON_LETTERS letters
    or folding to fewer than MIN_SKELETON consonants."""
    if len(key) - key.count(" ") < MIN_SKELETON_LETTERS or not key.isascii():
        return ""
    for digraph, letter in _DIGRAPHS:
        if digraph in key:
            key = key.replace(digraph, letter)
    if "w" in key:
        key = _DIPHTHONG_W.sub("", key)
    key = _FINAL_VOWEL.sub("", _SILENT_H.sub("", _undouble(key.translate(_LETTERS))))
    out = _undouble(_VOWELS.sub("V", key).replace(" ", ""))
    return out if len(out) - out.count("V") >= MIN_SKELETON else ""
