"""The filters every view shares, read from and written back to the URL's query string.

URL parameters: ``type`` (repeatable), ``tactic``, ``province``, ``town``, ``actor_class``,
``publisher``, ``from``, ``to``, ``q``, ``status`` (see `eventledger.query.EventQuery`).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import HTTPException, Path, Query

from eventledger.models import ACTOR_CLASSES, EVENT_TYPES, TACTICS
from eventledger.query import REVIEW_FILTERS, EventQuery, QueryError
from eventledger.store import Ledger

# URL parameter -> EventQuery field
PARAMS: dict[str, str] = {
    "type": "event_type", "tactic": "tactic", "province": "admin1", "town": "location",
    "actor_class": "actor_class", "publisher": "publisher", "from": "date_from", "to": "date_to", "q": "q",
    "status": "status",
}
STATUS_LABELS: dict[str, str] = {
    "": "all but rejected", "all": "all", "unreviewed": "unreviewed", "reviewed": "reviewed (accepted or edited)",
    "accepted": "accepted", "edited": "edited", "rejected": "rejected",
}
assert set(STATUS_LABELS) == set(REVIEW_FILTERS)
MAX_ROW = 2**63 - 1  # SQLite's largest integer: a larger row id or offset is answered 422, not 500
ALL_TACTICS: tuple[str, ...] = tuple(sorted({t for tactics in TACTICS.values() for t in tactics}))
RECORD_KEY_CHARS = 24  # `eventledger.review.record_keys`: hex digits; a row id has at most 19 digits
KEY = re.compile(r"[0-9a-f]{24}")
ROW_ID = re.compile(r"-?[0-9]+")
RecordRef = Annotated[str, Path(max_length=100,
                                description="The record's key (`id` in every row the API returns); an old "
                                            "numeric row id is redirected to the key of the record that had it.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ROW)]
QueueKind = Annotated[Literal["all", "event", "claim", "statement"],
                      Query(description="Which records the review queue lists (the filters narrow events).")]
QueuePage = Annotated[int, Query(ge=1, le=MAX_ROW // 100, description="Page of the review queue (50 a page).")]


def event_query(
    event_type: Annotated[list[str], Query(alias="type", description="Event type; repeat for several.")] = [],  # noqa: B006
    tactic: Annotated[str | None, Query(description="Tactic (codebook), e.g. `rally`, `arson`.")] = None,
    province: Annotated[str | None, Query(description="Province (`admin1`), e.g. `Khuzestan`.")] = None,
    town: Annotated[str | None, Query(description="Town (`location`), e.g. `Ahvaz`.")] = None,
    actor_class: Annotated[str | None, Query(description="opposition, civilians, state, foreign, unknown")] = None,
    publisher: Annotated[str | None, Query(description="Publisher of the event's document.")] = None,
    date_from: Annotated[str | None, Query(alias="from", description="ISO date: events ending on or after it.")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="ISO date: events starting on or before it.")] = None,
    q: Annotated[str | None, Query(description="Text in the evidence, title, place, actor or target.")] = None,
    status: Annotated[str | None, Query(description="Review state: empty (all but rejected), all, unreviewed, "
                                                    "reviewed, accepted, edited, rejected.")] = None,
) -> EventQuery:
    """The `EventQuery` of a request's filter parameters: 400 on a malformed value or one outside
    the codebook (with the values it allows); towns and provinces in any spelling or script the
    gazetteer knows ("Ahwaz" and "اهواز" are Ahvaz); a search for a place's other name also
    finds the place's events (`place_names`)."""
    _check_choices("type", event_type, EVENT_TYPES)
    _check_choices("tactic", [tactic] if tactic else [], ALL_TACTICS)
    _check_choices("actor_class", [actor_class] if actor_class else [], ACTOR_CLASSES)
    try:
        return EventQuery.of(event_type=event_type, tactic=tactic, admin1=canonical_place(province, "province"),
                             location=canonical_place(town, "city"),
                             actor_class=actor_class, publisher=publisher, date_from=date_from, date_to=date_to,
                             q=q, q_names=place_names(q), status=status)
    except QueryError as exc:
        detail = str(exc).replace("date_from", "from").replace("date_to", "to")
        raise HTTPException(status_code=400, detail=detail) from None


def _check_choices(param: str, values: list[str], choices: tuple[str, ...]) -> None:
    unknown = [v for v in values if v.strip() and v.strip() not in choices]
    if unknown:
        raise HTTPException(status_code=400, detail=f"{param} {unknown[0]!r} is not one of {', '.join(choices)}")


def canonical_place(name: str | None, level: str) -> str | None:
    """The gazetteer's name of a town or province given in any spelling it knows (its names,
    alternate names and their normalised keys); a name it does not know is kept as given."""
    if not name or not name.strip():
        return name
    from eventledger.gazetteer import load

    gazetteer = load()
    found = [p for p in gazetteer.lookup(name) if p.level == level]
    if not found and level == "province":
        # a province named as its capital ("تهران"): the gazetteer lists the city under that name
        found = [p for p in (gazetteer.province(c.admin1 or "") for c in gazetteer.lookup(name)
                             if c.level == "city" and c.name == c.admin1) if p is not None]
    if not found or any(p.name == name.strip() for p in found):
        return name
    return found[0].name


def place_names(q: str | None) -> tuple[str, ...]:
    """The gazetteer's names of the town or province that a search text names in another spelling
    or script (``اهواز`` -> ``("Ahvaz",)``): searched beside the text itself; none otherwise."""
    text = (q or "").strip()
    if not text:
        return ()
    from eventledger.gazetteer import load

    names = [p.name for p in load().lookup(text) if p.level in ("city", "province")]
    if not names or any(n.casefold() == text.casefold() for n in names):
        return ()  # a name the ledger writes itself, or no place: the text alone is searched
    return (names[0],)


def is_record_key(ref: str) -> bool:
    return KEY.fullmatch(ref) is not None


def record_key(ledger: Ledger, kind: str, ref: str) -> str | None:
    """The record key a URL's reference names: the key itself, or that of the record that had an
    old row id (None when no record had it); 422 when it is neither."""
    if is_record_key(ref):
        return ref
    if not ROW_ID.fullmatch(ref):
        raise HTTPException(status_code=422, detail=f"a record is named by its key ({RECORD_KEY_CHARS} hex digits)"
                                                    " or an old row id")
    if ref.startswith("-"):
        raise HTTPException(status_code=422, detail="a row id must be greater than or equal to 0")
    if len(ref) > len(str(MAX_ROW)) or int(ref) > MAX_ROW:
        raise HTTPException(status_code=422, detail=f"a row id must be less than or equal to {MAX_ROW}")
    return ledger.linked_key(kind, int(ref))


def query_items(query: EventQuery) -> list[tuple[str, str]]:
    """The URL parameters of a query (unset filters left out)."""
    items: list[tuple[str, str]] = []
    for param, name in PARAMS.items():
        value = getattr(query, name)
        if name == "event_type":
            items += [(param, v) for v in value]
        elif value:
            items.append((param, str(value)))
    return items


def query_string(query: EventQuery, **extra: object) -> str:
    """``?…`` for the query plus `extra` parameters (None values left out); empty when there is none."""
    items = query_items(query) + [(k, str(v)) for k, v in extra.items() if v is not None]
    return "?" + urlencode(items) if items else ""
