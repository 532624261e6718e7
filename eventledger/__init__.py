"""eventledger: reports of protest, activism and repression -> an event ledger with evidence.

The small public API::

    from eventledger import extract, ingest, analyse, Ledger, Pipeline, Limits
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventledger.models import (
    EXTRACTOR_VERSION,
    Analysis,
    Claim,
    Document,
    Event,
    Report,
    Statement,
)

__version__ = "0.1.0"
__all__ = [
    "EXTRACTOR_VERSION", "Analysis", "Claim", "Document", "Event", "Ledger", "Limits", "Pipeline", "Report",
    "Statement", "analyse", "extract", "ingest",
]

if TYPE_CHECKING:
    from eventledger.api import analyse, extract, ingest
    from eventledger.limits import Limits
    from eventledger.pipeline import Pipeline
    from eventledger.store import Ledger

_LAZY = {
    "extract": "eventledger.api", "ingest": "eventledger.api", "analyse": "eventledger.api",
    "Pipeline": "eventledger.pipeline", "Ledger": "eventledger.store", "Limits": "eventledger.limits",
}


def __getattr__(name: str) -> Any:
    """Import the heavier parts (pipeline, store) only when first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'eventledger' has no attribute {name!r}")
