"""What a reader reports when it cannot read a file (or a row of one)."""

from __future__ import annotations

from eventledger.models import IngestFailure

__all__ = ["IngestError", "IngestFailure"]


class IngestError(Exception):
    """A reader's reason for rejecting a file: a short human sentence ("empty file")."""

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else "unreadable file"
