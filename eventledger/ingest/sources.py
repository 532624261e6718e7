"""The source registry: who publishes reports, under which names and web addresses.

The registry is data (``eventledger/data/sources.toml``, format documented at its top); the
environment variable ``EVENTLEDGER_SOURCES`` or an explicit path selects another file.

    registry = load_registry()
    registry.by_domain("https://english.mojahedin.org/i/x")   # -> "PMOI/MEK"
    registry.by_name("the Associated Press")                   # -> "Associated Press"
    registry.affiliation("IRNA")                               # -> "state"
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

ENV_VAR = "EVENTLEDGER_SOURCES"
PACKAGED = Path(__file__).resolve().parent.parent / "data" / "sources.toml"
AFFILIATIONS: tuple[str, ...] = (
    "opposition-affiliated", "state", "state-affiliated", "independent human-rights group",
    "international media", "domestic independent media", "unknown",
)
UNKNOWN = "unknown"

_SPACES = re.compile(r"\s+")
_SLASH = re.compile(r"\s*/\s*")
_EDGE_PUNCT = " \t.,;:!?-–—()[]{}\"'“”‘’«»"


class RegistryError(ValueError):
    """The registry file is unreadable or malformed (the message says where and why)."""


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet or organisation."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    affiliation: str = UNKNOWN


def normalise_name(text: str) -> str:
    """The key names are compared by: case-folded, spacing and edge punctuation dropped."""
    key = text.replace("’", "'").replace("‘", "'").casefold()
    key = _SLASH.sub("/", _SPACES.sub(" ", key)).strip(_EDGE_PUNCT)
    return key.removeprefix("the ").strip(_EDGE_PUNCT)


def _split_domain(entry: str) -> tuple[str, str]:
    """("host", "/path") of a registry domain entry or a URL; host lower-case without www."""
    text = entry.strip()
    if "//" not in text:
        text = "//" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    path = parts.path.lower().rstrip("/")
    return host, path


def _path_matches(path: str, prefix: str) -> bool:
    return not prefix or path == prefix or path.startswith(prefix + "/")


@dataclass(frozen=True)
class Registry:
    """Sources indexed by normalised name/alias and by domain."""

    sources: tuple[Source, ...]
    _names: Mapping[str, Source] = field(repr=False, compare=False)
    _domains: Mapping[str, tuple[tuple[str, Source], ...]] = field(repr=False, compare=False)

    @classmethod
    def from_sources(cls, sources: Iterable[Source]) -> Registry:
        """Index `sources`; a name, alias or domain claimed twice is a `RegistryError`."""
        items = tuple(sources)
        names: dict[str, Source] = {}
        domains: dict[str, list[tuple[str, Source]]] = {}
        for source in items:
            for alias in (source.name, *source.aliases):
                key = normalise_name(alias)
                if key in names and names[key] is not source:
                    raise RegistryError(f"name {alias!r} is used by {names[key].name!r} and {source.name!r}")
                names[key] = source
            for entry in source.domains:
                host, path = _split_domain(entry)
                taken = [s.name for p, s in domains.get(host, []) if p == path]
                if taken:
                    raise RegistryError(f"domain {entry!r} is used by {taken[0]!r} and {source.name!r}")
                domains.setdefault(host, []).append((path, source))
        by_host = {h: tuple(sorted(v, key=lambda ps: -len(ps[0]))) for h, v in domains.items()}
        return cls(items, MappingProxyType(names), MappingProxyType(by_host))

    def get(self, name: str) -> Source | None:
        """The source whose name or alias is `name`, if any."""
        return self._names.get(normalise_name(name))

    def by_name(self, text: str | None) -> str | None:
        """Canonical name of the source called `text` (name or alias, any case), else None."""
        source = self.get(text) if text else None
        return source.name if source else None

    def by_domain(self, url: str | None) -> str | None:
        """Canonical name of the source publishing at `url` (a URL or bare host), else None."""
        if not url:
            return None
        host, path = _split_domain(url)
        labels = host.split(".")
        for i in range(len(labels) - 1):  # most specific host first; never a bare TLD
            for prefix, source in self._domains.get(".".join(labels[i:]), ()):
                if _path_matches(path, prefix):
                    return source.name
        return None

    def affiliation(self, name: str | None) -> str:
        """Affiliation of the source called `name` ("unknown" for sources not registered)."""
        source = self.get(name) if name else None
        return source.affiliation if source else UNKNOWN


def _as_strings(value: Any, what: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: `{what}` must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _source(entry: Any, where: str) -> Source:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a table")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(f"{where}: `name` is missing")
    where = f"{where} ({name})"
    affiliation = entry.get("affiliation", UNKNOWN)
    if affiliation not in AFFILIATIONS:
        raise RegistryError(f"{where}: affiliation {affiliation!r} is not one of {', '.join(AFFILIATIONS)}")
    unknown = set(entry) - {"name", "aliases", "domains", "affiliation"}
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    return Source(
        name=name.strip(),
        aliases=_as_strings(entry.get("aliases"), "aliases", where),
        domains=_as_strings(entry.get("domains"), "domains", where),
        affiliation=affiliation,
    )


def parse_registry(text: str, origin: str = "sources.toml") -> Registry:
    """Build a registry from the TOML text of a registry file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{origin}: {exc}") from None
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise RegistryError(f"{origin}: expected [[source]] tables")
    return Registry.from_sources(_source(e, f"{origin}: source #{i}") for i, e in enumerate(entries, 1))


@lru_cache(maxsize=8)
def _load(location: str) -> Registry:
    if location:
        path = Path(location)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RegistryError(f"cannot read source registry {path}: {exc.strerror}") from None
        return parse_registry(text, str(path))
    return parse_registry(PACKAGED.read_text(encoding="utf-8"), "eventledger/data/sources.toml")


def load_registry(path: str | Path | None = None) -> Registry:
    """The registry at `path`, else at $EVENTLEDGER_SOURCES, else the packaged one (cached)."""
    location = path if path is not None else os.environ.get(ENV_VAR, "")
    return _load(str(Path(location).resolve()) if location else "")
