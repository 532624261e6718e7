"""Packaged vocabulary: lexicons, actors, sources and calendars as TOML files.

`load_toml("actors.toml")` reads one of them (cached); `path("actors.toml")` gives its path.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent


def path(name: str) -> Path:
    return DATA_DIR / name


@lru_cache(maxsize=32)
def load_toml(name: str) -> dict[str, Any]:
    """A packaged TOML file as a dict (read once per process)."""
    with path(name).open("rb") as f:
        return tomllib.load(f)
