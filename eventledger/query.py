"""What a reader of the ledger asks for: the filters shared by the store, the web app and its API.

An `EventQuery` selects events by their *effective* values (the extracted record with any
reviewer's edits applied, `eventledger.review`). Every field left at its default selects all.

=============  ==================================================================
``event_type`` one or more event types (any of them)
``tactic``     the tactic
``admin1``     the province, as the gazetteer names it ("Khuzestan")
``location``   the town
``actor_class`` opposition, civilians, state, foreign, unknown
``publisher``  the publisher of the event's document
``date_from``  ISO date; keeps events whose span ends on or after it
``date_to``    ISO date; keeps events whose span starts on or before it
``q``          text search (case-insensitive, ASCII case folding) in the evidence, the
               document's title, the place, the actor and the target
``q_names``    other names of the searched text, any of which matches too (the web app puts
               here the gazetteer's name of a place searched in another spelling or script:
               ``q=اهواز`` also finds events in Ahvaz)
``status``     review state: ``""`` (default: all but rejected), ``all``, ``unreviewed``,
               ``reviewed`` (accepted or edited), ``accepted``, ``edited``, ``rejected``
``doc``        one document
=============  ==================================================================
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

REVIEW_FILTERS: tuple[str, ...] = ("", "all", "unreviewed", "reviewed", "accepted", "edited", "rejected")
MAX_FILTER_CHARS = 1_000  # a filter value longer than this is refused (SQLite's LIKE stops at 50,000)


class QueryError(ValueError):
    """A filter value that cannot be used (a malformed date, an unknown review state, a value
    longer than `MAX_FILTER_CHARS`)."""


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Filters over events; see the module docstring."""

    event_type: tuple[str, ...] = ()
    tactic: str | None = None
    admin1: str | None = None
    location: str | None = None
    actor_class: str | None = None
    publisher: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None
    q_names: tuple[str, ...] = ()
    status: str = ""
    doc: str | None = None
    copies: bool = False  # also near-copies' events (exports: every record, with `duplicate_of`)

    def __post_init__(self) -> None:
        for name, value in self._texts():
            if len(value) > MAX_FILTER_CHARS:
                raise QueryError(f"{name} is too long ({len(value)} characters; at most {MAX_FILTER_CHARS})")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise QueryError(f"{name} must be an ISO date (YYYY-MM-DD), not {value!r}") from None
        if self.status not in REVIEW_FILTERS:
            raise QueryError(f"status must be one of {', '.join(s or '(empty)' for s in REVIEW_FILTERS)}")

    def _texts(self) -> Iterator[tuple[str, str]]:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            for text in value if isinstance(value, tuple) else (value,):
                if isinstance(text, str):
                    yield field.name, text

    @classmethod
    def of(cls, **values: object) -> EventQuery:
        """A query from loose values: blank strings count as unset, `event_type` may be a list."""
        clean: dict[str, object] = {}
        for name, value in values.items():
            if isinstance(value, str):
                value = value.strip() or None
            if name == "event_type":
                items = [value] if isinstance(value, str) else list(value or ())  # type: ignore[call-overload]
                value = tuple(v.strip() for v in items if isinstance(v, str) and v.strip())
            if name == "status" and value is None:
                value = ""
            if value is not None:
                clean[name] = value
        return cls(**clean)  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        return self == EventQuery()

    def replace(self, **changes: object) -> EventQuery:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
