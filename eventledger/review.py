"""Human review of ledger records: stable record keys, reviews, edits and their audit trail.

A reviewer accepts, rejects or edits an event, claim or statement. Edits never touch the
extracted record: they are kept beside it (`Review.changes`, the edited fields only) and
applied on reading (`apply_changes`), so the original stays in the ledger and in the audit log.

Reviews are keyed on a **record key**, not on the row id, so that re-ingesting a document (which
replaces its rows) re-attaches them: the key hashes the document, the kind, the evidence offsets,
the type (event type, claim category, speaker) and the place, plus a counter for records that
share all of these. A review whose record is no longer extracted stays in the ledger
(`Ledger.orphaned_reviews`) and re-attaches if the record comes back.

Statuses: ``accepted`` (the record as shown, with any earlier edits), ``rejected`` (kept out of
reviewed exports and, by default, out of the web views), ``edited`` (accepted with changes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from eventledger.models import (
    ACTOR_CLASSES,
    CLAIM_CATEGORIES,
    EVENT_TYPES,
    GEO_PRECISIONS,
    QUALIFIERS,
    RECORD_TYPES,
    TACTICS,
    TIME_PRECISIONS,
    Claim,
    Event,
    Record,
    Statement,
)

_R = TypeVar("_R", bound=Record)
STATUSES: tuple[str, ...] = ("accepted", "rejected", "edited")
REVIEWABLE: tuple[str, ...] = ("event", "claim", "statement")
EDITABLE: dict[str, tuple[str, ...]] = {
    "event": ("event_type", "tactic", "date_start", "date_end", "time_precision", "location", "admin1",
              "country", "geonameid", "latitude", "longitude", "geo_precision", "actor1", "actor_class",
              "target", "fatalities", "arrests", "count"),
    "claim": ("value", "qualifier", "category", "period_start", "period_end", "place", "claimed_by"),
    "statement": ("speaker", "speaker_class", "date", "outlet"),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "event_type": EVENT_TYPES, "time_precision": TIME_PRECISIONS, "geo_precision": GEO_PRECISIONS,
    "actor_class": ACTOR_CLASSES, "speaker_class": ACTOR_CLASSES, "qualifier": QUALIFIERS,
    "category": CLAIM_CATEGORIES,
}
DATE_FIELDS = frozenset({"date_start", "date_end", "period_start", "period_end", "date"})
REQUIRED = frozenset({"event_type", "value", "qualifier", "category", "speaker"})
MAX_TEXT = 500


class ReviewError(ValueError):
    """A review that cannot be stored: unknown status or field, or a value of the wrong kind."""


@dataclass(frozen=True, slots=True)
class Review:
    """The current review of a record."""

    status: str
    changes: dict[str, Any]
    reviewer: str
    reviewed_at: str


@dataclass(frozen=True, slots=True)
class RecordRow:
    """A stored event, claim or statement: its row id, record key, the record as extracted
    (`original`), the record with the reviewer's edits (`record`) and the review, if any."""

    id: int
    kind: str
    key: str
    original: Event | Claim | Statement
    record: Event | Claim | Statement
    review: Review | None = None

    @property
    def status(self) -> str:
        return self.review.status if self.review else "unreviewed"

    def as_dict(self) -> dict[str, Any]:
        from eventledger.models import record_to_dict

        review = dataclasses.asdict(self.review) if self.review else None
        return {"id": self.id, "kind": self.kind, "key": self.key, "status": self.status,
                "record": record_to_dict(self.record), "original": record_to_dict(self.original),
                "review": review}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the append-only audit log: who changed what, when, from what to what."""

    id: int
    at: str
    who: str
    kind: str
    record_key: str
    record_id: int | None
    doc: str
    before: dict[str, Any]
    after: dict[str, Any]


# --------------------------------------------------------------------------- record keys


def _key_parts(record: Record) -> tuple[Any, ...]:
    offsets = (record.doc, record.kind, getattr(record, "evidence_start", 0), getattr(record, "evidence_end", 0))
    if isinstance(record, Event):
        return (*offsets, record.event_type, record.location or record.admin1 or record.country)
    if isinstance(record, Claim):
        return (*offsets, record.category, record.place)
    if isinstance(record, Statement):
        return (*offsets, record.speaker)
    return offsets


def record_keys(records: Iterable[Record]) -> list[str]:
    """The stable key of each record; records alike in every part get a counter (in order)."""
    seen: Counter[str] = Counter()
    out = []
    for record in records:
        base = json.dumps(_key_parts(record), ensure_ascii=False)
        seen[base] += 1
        text = f"{base}#{seen[base]}"
        out.append(hashlib.sha1(text.encode("utf-8")).hexdigest()[:24])
    return out


# --------------------------------------------------------------------------- edits


def apply_changes(record: _R, changes: Mapping[str, Any] | None) -> _R:
    """The record with the reviewer's edits applied (fields not editable are ignored)."""
    editable = set(EDITABLE.get(record.kind, ()))
    wanted = {k: v for k, v in (changes or {}).items() if k in editable}
    return dataclasses.replace(record, **wanted) if wanted else record


def _field_type(kind: str, name: str) -> str:
    annotation = next(str(f.type) for f in dataclasses.fields(RECORD_TYPES[kind]) if f.name == name)
    return annotation.replace(" | None", "").strip()


def _coerce(kind: str, name: str, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip() or None
    if value is None:
        if name in REQUIRED:
            raise ReviewError(f"{name} cannot be empty")
        return None
    kind_of = _field_type(kind, name)
    if kind_of == "int":
        return _integer(name, value)
    if kind_of == "float":
        return _number(name, value)
    text = str(value)
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{name} is longer than {MAX_TEXT} characters")
    if name in CHOICES and text not in CHOICES[name]:
        raise ReviewError(f"{name} must be one of {', '.join(CHOICES[name])}, not {text!r}")
    if name in DATE_FIELDS:
        _check_date(name, text)
    return text


def _integer(name: str, value: Any) -> int:
    try:
        number = int(value) if not isinstance(value, float) or value.is_integer() else None
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or number < 0:
        raise ReviewError(f"{name} must be a whole number ≥ 0, not {value!r}")
    return number


def _number(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ReviewError(f"{name} must be a number, not {value!r}") from None
    limit = 90 if name == "latitude" else 180
    if not math.isfinite(number) or abs(number) > limit:
        raise ReviewError(f"{name} must lie between -{limit} and {limit}")
    return number


def _check_date(name: str, text: str) -> None:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ReviewError(f"{name} must be an ISO date (YYYY-MM-DD), not {text!r}") from None


def place_changes(name: str) -> dict[str, Any]:
    """The place fields of an event placed at `name`, resolved in the gazetteer (best match)."""
    from eventledger.gazetteer import load

    found = load().lookup(name)
    if not found:
        raise ReviewError(f"place {name!r} is not in the gazetteer")
    place = found[0]
    town = place.level == "city"
    province = place.admin1 if place.level != "country" else None
    return {"location": place.name if town else None, "admin1": province, "country": place.country,
            "geonameid": place.geonameid, "latitude": place.latitude, "longitude": place.longitude,
            "geo_precision": place.level}


def clean_changes(original: Record, earlier: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """All edits of a record after this review: `earlier` edits plus validated `changes`.

    A ``place`` entry in `changes` (events) is resolved in the gazetteer into the place fields.
    Values equal to the original are dropped, so reverting a field removes its edit.
    """
    kind = original.kind
    if kind not in EDITABLE:
        raise ReviewError(f"{kind} records are not reviewed")
    wanted = dict(changes)
    if "place" in wanted:
        place = wanted.pop("place")
        if kind != "event":
            wanted["place"] = place
        elif isinstance(place, str) and place.strip():
            wanted = {**place_changes(place.strip()), **wanted}
    unknown = sorted(set(wanted) - set(EDITABLE[kind]))
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(unknown)} of a {kind}; editable: {', '.join(EDITABLE[kind])}")
    merged = {**earlier, **{name: _coerce(kind, name, value) for name, value in wanted.items()}}
    edited = apply_changes(original, merged)
    _check_consistent(edited)
    return {k: v for k, v in merged.items() if getattr(original, k) != v}


def _check_consistent(record: Record) -> None:
    if isinstance(record, Event):
        if record.tactic is not None and record.tactic not in TACTICS.get(record.event_type, ()):
            raise ReviewError(f"tactic {record.tactic!r} does not belong to {record.event_type}; "
                              f"choose one of {', '.join(TACTICS[record.event_type])}")
        _check_order(record.date_start, record.date_end)
    elif isinstance(record, Claim):
        _check_order(record.period_start, record.period_end)


def _check_order(start: str | None, end: str | None) -> None:
    if start and end and end < start:
        raise ReviewError(f"the end date {end} is before the start date {start}")


def check_status(status: str) -> None:
    if status not in STATUSES:
        raise ReviewError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")


def check_reviewer(reviewer: str) -> str:
    name = " ".join(str(reviewer or "").split())
    if not name:
        raise ReviewError("a review needs the reviewer's name")
    if len(name) > 100:
        raise ReviewError("the reviewer's name is longer than 100 characters")
    return name
