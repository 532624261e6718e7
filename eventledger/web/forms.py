"""The review form: which fields it shows, how each is entered, and what a submission changes.

The form posts every shown field; only those that differ from the record as currently shown
become changes (`Ledger.review` validates them). ``place`` (events) is a town or province name,
resolved in the gazetteer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eventledger.models import TACTICS
from eventledger.review import CHOICES, DATE_FIELDS

FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "event": ("event_type", "tactic", "place", "date_start", "date_end", "time_precision", "actor1",
              "actor_class", "target", "fatalities", "arrests", "count"),
    "claim": ("category", "value", "qualifier", "period_start", "period_end", "place", "claimed_by"),
    "statement": ("speaker", "speaker_class", "date", "outlet"),
}
NUMBERS = frozenset({"fatalities", "arrests", "count", "value"})
ALL_TACTICS = tuple(sorted({t for tactics in TACTICS.values() for t in tactics}))


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    input: str  # select | date | number | text
    value: str
    choices: tuple[str, ...] = ()
    required: bool = False


def shown_value(kind: str, record: Mapping[str, Any], name: str) -> str:
    if kind == "event" and name == "place":
        value = record.get("location") or record.get("admin1") or record.get("country")
    else:
        value = record.get(name)
    return "" if value is None else str(value)


def form_fields(kind: str, record: Mapping[str, Any]) -> list[Field]:
    """The review form's fields for a record (as currently shown, edits applied)."""
    out = []
    for name in FORM_FIELDS.get(kind, ()):
        value = shown_value(kind, record, name)
        if name in CHOICES or name == "tactic":
            choices = ALL_TACTICS if name == "tactic" else CHOICES[name]
            required = name in ("event_type", "category", "qualifier")
            out.append(Field(name, "select", value, choices, required))
        elif name in DATE_FIELDS:
            out.append(Field(name, "date", value))
        elif name in NUMBERS:
            out.append(Field(name, "number", value, required=name == "value"))
        else:
            out.append(Field(name, "text", value, required=name == "speaker"))
    return out


def form_changes(kind: str, record: Mapping[str, Any], form: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose submitted value differs from the record as shown."""
    changes = {}
    for name in FORM_FIELDS.get(kind, ()):
        submitted = form.get(name)
        if not isinstance(submitted, str):
            continue
        submitted = submitted.strip()
        if submitted != shown_value(kind, record, name):
            if kind == "event" and name == "place" and not submitted:
                continue  # an event keeps a place; clear one by editing the record through the API
            changes[name] = submitted
    return changes
