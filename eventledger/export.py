"""Renderers of ledger records: one function per format, chosen by name from `FORMATS`.

=============  ===========================================================================
``jsonl``      the interchange format: every record, `record_to_dict` per line (`read_jsonl`
               reads it back; jsonl -> records -> jsonl is byte-identical)
``csv``        events, one column per `Event` field (the codebook's columns and provenance)
               and ``corroboration``; a text cell a spreadsheet would take for a formula
               (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
               leading apostrophe (`safe_cell`, as OWASP advises against CSV injection)
``acled-csv``  events in ACLED's columns and codes (the mapping is `data/acled.toml`), then
               ``incident`` and ``corroboration``; formula-like cells as in ``csv``
``geojson``    a FeatureCollection of the events that have coordinates (lon, lat); properties:
               the event's fields and ``corroboration``
``parquet``    events as one Parquet file; when `out` is an existing directory, every kind in
               its own file there: ``documents.parquet``, ``events.parquet``,
               ``claims.parquet``, ``statements.parquet``
=============  ===========================================================================

`out` is a path, an open file (text, or binary for parquet), or ``"-"``/``None`` for stdout.
The ACLED ``source`` and ``notes`` name the publisher of each event's document, taken from
the `documents` mapping or from `Document` records met earlier in the same stream (as
`Ledger.records()` and `Analysis.records()` yield them); a ``source`` with no publisher and
no cited source is the document id, never blank.

Every event format (``csv``, ``acled-csv``, ``geojson``, ``parquet`` as one file) keeps the
event's source: the columns ``publisher``, ``url``, ``title`` and ``published`` of its document
(`SOURCE_FIELDS`; the url comes from the `urls` mapping), and with `reviews` (a reviewed
export) who reviewed it, when, and which fields they edited (`REVIEW_FIELDS`).
`export_events` is the one selection the command line and the browser's download share.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

from eventledger.data import load_toml
from eventledger.models import RECORD_TYPES, Document, Event, Record, record_from_dict, record_to_dict
from eventledger.query import EventQuery
from eventledger.store import TABLES, field_names, record_columns

if TYPE_CHECKING:
    import pyarrow as pa

    from eventledger.review import RecordRow, Review
    from eventledger.store import Ledger

Output = str | Path | IO[Any] | None
Writer = Callable[..., int]  # (records, out, documents[, corroboration=...]) -> rows written

EVENT_FIELDS = field_names(Event)
SOURCE_FIELDS = ("publisher", "url", "title", "published", "duplicate_of")
REVIEW_FIELDS = ("reviewed_by", "reviewed_at", "edited_fields")
CSV_FIELDS = (*EVENT_FIELDS, "corroboration", *SOURCE_FIELDS)
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp", "incident", "corroboration",
)
# formats with a `corroboration` column: independent affiliations reporting the event's incident
CORROBORATED = ("csv", "acled-csv", "geojson")
PARQUET_BATCH_ROWS = 10_000


@dataclass(frozen=True)
class Provenance:
    """Where each event comes from (its document's publisher, url, title, publication date and, for a
    near-copy, the document it copies)
    and, in a reviewed export, its review (reviewer, time, edited fields)."""

    documents: Mapping[str, Document] = field(default_factory=dict)
    urls: Mapping[str, str | None] = field(default_factory=dict)
    reviews: Mapping[Event, Review] | None = None  # reviewed value of the event -> its review

    @property
    def names(self) -> tuple[str, ...]:
        return (*SOURCE_FIELDS, *(REVIEW_FIELDS if self.reviews is not None else ()))

    def of(self, event: Event, document: Document | None = None) -> dict[str, Any]:
        document = document or self.documents.get(event.doc)
        values: dict[str, Any] = {
            "publisher": document.publisher if document else None, "url": self.urls.get(event.doc),
            "title": document.title if document else None, "published": document.published if document else None,
            "duplicate_of": document.duplicate_of if document else None,  # a near-copy: counted once, kept here
        }
        if self.reviews is not None:
            review = self.reviews.get(event)
            values |= {"reviewed_by": review.reviewer if review else None,
                       "reviewed_at": review.reviewed_at if review else None,
                       "edited_fields": ";".join(sorted(review.changes)) if review else None}
        return values


def export(records: Iterable[Record], fmt: str, out: Output = None, *,
           documents: Mapping[str, Document] | None = None,
           corroboration: Mapping[str, int] | None = None,
           provenance: Provenance | None = None) -> int:
    """Write `records` in format `fmt` (a key of `FORMATS`) to `out`; returns rows written.

    `corroboration` (incident id -> independent affiliations reporting it, as
    `eventledger.corroborate.incident_corroboration` makes it) fills the column of that name;
    `provenance` fills the source (and review) columns (default: from `documents`, no urls).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    extra: dict[str, Any] = {"corroboration": corroboration or {}} if fmt in CORROBORATED else {}
    if fmt != "jsonl":
        extra["provenance"] = provenance or Provenance(documents or {})
    return FORMATS[fmt](records, out, documents or {}, **extra)


def export_events(ledger: Ledger, query: EventQuery | None, fmt: str, out: Output, *,
                  reviewed_only: bool = False) -> int:
    """The events `query` selects (reviewed values; `Ledger.event_rows`), in an event format,
    with their corroboration and provenance: what `eventledger export` writes and the browser
    downloads for the same filters. `reviewed_only` keeps accepted and edited events and adds
    the review columns."""
    from eventledger.corroborate.ledger import ledger_corroboration

    query = (query or EventQuery()).replace(copies=True)  # every record; `duplicate_of` tells the copies
    if reviewed_only:
        query = query.replace(status="reviewed")
    rows = ledger.event_rows(query)
    docs = {row.original.doc for row in rows}
    documents = {d.doc: d for d in ledger.documents() if d.doc in docs}
    urls = {doc: (ledger.document_source(doc) or {}).get("url") for doc in docs}
    provenance = Provenance(documents, urls, _reviews(rows) if reviewed_only else None)
    return export([r.record for r in rows], fmt, out, documents=documents,
                  corroboration=ledger_corroboration(ledger), provenance=provenance)


def _reviews(rows: Iterable[RecordRow]) -> dict[Event, Review]:
    return {cast(Event, row.record): row.review for row in rows if row.review is not None}


# --------------------------------------------------------------------------- streams


def _is_stdout(out: Output) -> bool:
    return out is None or out == "-"


@contextmanager
def _text_output(out: Output) -> Iterator[TextIO]:
    if _is_stdout(out):
        yield sys.stdout
    elif isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield cast(TextIO, out)


def _events(records: Iterable[Record]) -> Iterator[Event]:
    return (r for r in records if isinstance(r, Event))


def _with_documents(records: Iterable[Record],
                    documents: Mapping[str, Document]) -> Iterator[tuple[Event, Document | None]]:
    """Each event with its document: from `documents`, else from a Document record seen before."""
    known = dict(documents)
    for record in records:
        if isinstance(record, Document):
            known.setdefault(record.doc, record)
        elif isinstance(record, Event):
            yield record, known.get(record.doc)


def _write_lines(stream: TextIO, lines: Iterable[str]) -> int:
    n = 0
    for line in lines:
        stream.write(line + "\n")
        n += 1
    return n


# --------------------------------------------------------------------------- jsonl


def dumps_record(record: Record) -> str:
    """One line of the interchange format."""
    return json.dumps(record_to_dict(record), ensure_ascii=False)


def write_jsonl(records: Iterable[Record], out: Output, documents: Mapping[str, Document]) -> int:
    with _text_output(out) as stream:
        return _write_lines(stream, map(dumps_record, records))


def read_jsonl(source: str | Path | IO[str]) -> Iterator[Record]:
    """The records of a JSON Lines file (``"-"``: stdin); blank lines are skipped."""
    with ExitStack() as stack:
        if isinstance(source, str | Path):
            stream = sys.stdin if source == "-" else stack.enter_context(open(source, encoding="utf-8"))
        else:
            stream = source
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = parse_record(line)
            except ValueError as exc:
                raise ValueError(f"{getattr(stream, 'name', source)}:{number}: {exc}") from None
            yield record


def parse_record(line: str) -> Record:
    """One line of the interchange format as a record (ValueError if it is not one)."""
    row = json.loads(line)
    if not isinstance(row, dict) or row.get("kind") not in RECORD_TYPES:
        raise ValueError(f"not a ledger record (kind must be one of {', '.join(RECORD_TYPES)})")
    return record_from_dict(row)


# --------------------------------------------------------------------------- csv

# A spreadsheet reads a cell starting with one of these as a formula (`=HYPERLINK(...)`,
# `+cmd|...`, `@SUM(...)`, and the full-width forms some spreadsheets accept too). Following
# OWASP's advice on CSV injection, such a text cell is written with a leading apostrophe, which
# makes a spreadsheet show it as text. Numbers (a negative longitude) are left as they are.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def safe_cell(value: Any) -> Any:
    """`value`, with a text that a spreadsheet would run as a formula neutralised (`'=...`)."""
    if isinstance(value, str) and value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def write_csv(records: Iterable[Record], out: Output, documents: Mapping[str, Document], *,
              corroboration: Mapping[str, int] | None = None, provenance: Provenance | None = None) -> int:
    row = attrgetter(*EVENT_FIELDS)
    provenance = provenance or Provenance(documents)
    with _text_output(out) as stream:
        writer = csv.writer(stream)
        writer.writerow((*EVENT_FIELDS, "corroboration", *provenance.names))
        n = 0
        for event, document in _with_documents(records, documents):
            source = provenance.of(event, document).values()
            writer.writerow([safe_cell(v) for v in (*row(event), _corroboration(event, corroboration), *source)])
            n += 1
    return n


# --------------------------------------------------------------------------- acled-csv


def acled_mapping() -> dict[str, Any]:
    """The codebook → ACLED mapping (`eventledger/data/acled.toml`, read once)."""
    return load_toml("acled.toml")


def _corroboration(event: Event, corroboration: Mapping[str, int] | None) -> int | None:
    return (corroboration or {}).get(event.incident) if event.incident else None


def write_acled_csv(records: Iterable[Record], out: Output, documents: Mapping[str, Document], *,
                    corroboration: Mapping[str, int] | None = None, provenance: Provenance | None = None) -> int:
    timestamp = int(time.time())
    provenance = provenance or Provenance(documents)
    with _text_output(out) as stream:
        writer = csv.DictWriter(stream, fieldnames=(*ACLED_COLUMNS, *provenance.names))
        writer.writeheader()
        n = 0
        for n, (event, document) in enumerate(_with_documents(records, documents), 1):
            publisher = document.publisher if document else None
            row = {**acled_row(event, publisher, number=n, timestamp=timestamp), "incident": event.incident,
                   "corroboration": _corroboration(event, corroboration), **provenance.of(event, document)}
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return n


def acled_row(event: Event, publisher: str | None, *, number: int, timestamp: int) -> dict[str, Any]:
    """One event in ACLED's columns; `number` makes `event_id_cnty` (ISO alpha-3 + number)."""
    country = acled_mapping()["countries"].get(event.country or "", {})
    kind = acled_type(event)
    return {
        "event_id_cnty": f"{country.get('iso3', event.country or '')}{number}",
        **_acled_date(event),
        **{k: kind.get(k) for k in ("disorder_type", "event_type", "sub_event_type")},
        **acled_actors(event, kind, country.get("name")),
        "civilian_targeting": "Civilian targeting" if kind.get("civilian_targeting") else None,
        **_acled_place(event, country),
        **_acled_source(event, publisher),
        "fatalities": event.fatalities or 0,
        "tags": acled_tags(event),
        "timestamp": timestamp,
    }


def acled_type(event: Event) -> dict[str, Any]:
    """ACLED disorder/event/sub-event type (and actor2, civilian targeting) of an event."""
    entry = acled_mapping()["event_types"].get(event.event_type, {})
    if "against_protesters" in entry and targets_protesters(event.target):
        entry = entry["against_protesters"]
    sub_event_type = entry.get("tactics", {}).get(event.tactic or "", entry.get("sub_event_type"))
    return {**entry, "sub_event_type": sub_event_type}


def targets_protesters(target: str | None) -> bool:
    words = acled_mapping()["protester_targets"]["words"]
    if not target:
        return False
    return any(w in target.lower() for w in words)


def _span_days(event: Event) -> int | None:
    """Days covered by the event's dates, both ends included; None without a valid start."""
    try:
        start = dt.date.fromisoformat(event.date_start or "")
        end = dt.date.fromisoformat(event.date_end) if event.date_end else start
    except ValueError:
        return None
    return (end - start).days + 1


def time_precision_code(precision: str | None, days: int) -> int | None:
    """ACLED time precision of a codebook precision over `days` days: 1 a day, 2 a span of up to
    a week, 3 a longer span, a month or a year. Without a precision the span decides."""
    codes = acled_mapping()["time_precision"]
    precision = precision or ("day" if days == 1 else "span")
    if precision == "span":
        return codes["span"] if days <= codes["span_max_days"] else codes["long_span"]
    return codes.get(precision)


def _acled_date(event: Event) -> dict[str, Any]:
    days = _span_days(event)
    if days is None or event.date_start is None:
        return {"event_date": None, "year": None, "time_precision": None}
    start = event.date_start[:10]
    return {"event_date": start, "year": int(start[:4]),
            "time_precision": time_precision_code(event.time_precision, days)}


def inter_code(actor_class: str | None, acled_event_type: str | None) -> int | None:
    """ACLED actor type (1–8) of an `actor_class`; protesters in ACLED "Protests"."""
    mapping = acled_mapping()
    in_protests = mapping["inter_in_protests"] if acled_event_type == "Protests" else {}
    return in_protests.get(actor_class or "", mapping["inter"].get(actor_class or ""))


def _with_country(name: str | None, country: str | None) -> str | None:
    return f"{name} ({country})" if name and country else name


def _generic_actor(inter: int | None) -> str | None:
    return acled_mapping()["generic_actors"].get(str(inter))


def _actor_names(name: str | None, inter: int | None, country: str | None) -> tuple[str | None, str | None]:
    """(actor, associated actor): ACLED names protesters, rioters and civilians generically
    ("Protesters (Iran)") and keeps the particular group as the associated actor."""
    generic = _generic_actor(inter)
    if generic is None:
        return name, None
    if not name or name.lower() == generic.lower():
        return _with_country(generic, country), None
    return _with_country(generic, country), _with_country(name, country)


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED interaction: both actor types, lower first (16); one actor alone is its type and 0 (60)."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    return min(inter1, inter2) * 10 + max(inter1, inter2)


def acled_actors(event: Event, kind: Mapping[str, Any], country: str | None) -> dict[str, Any]:
    inter1 = inter_code(event.actor_class, kind.get("event_type"))
    inter2 = kind.get("actor2_inter")
    actor1, assoc1 = _actor_names(event.actor1, inter1, country)
    return {"actor1": actor1, "assoc_actor_1": assoc1, "inter1": inter1,
            "actor2": _with_country(_generic_actor(inter2), country), "assoc_actor_2": None, "inter2": inter2,
            "interaction": interaction_code(inter1, inter2)}


def _acled_place(event: Event, country: Mapping[str, Any]) -> dict[str, Any]:
    name = country.get("name", event.country)
    level = event.geo_precision or ("city" if event.location else "province" if event.admin1 else "country")
    return {"iso": country.get("iso"), "region": country.get("region"), "country": name,
            "admin1": event.admin1, "admin2": None, "admin3": None,
            "location": event.location or event.admin1 or name,
            "latitude": event.latitude, "longitude": event.longitude,
            "geo_precision": acled_mapping()["geo_precision"].get(level)}


def _acled_source(event: Event, publisher: str | None) -> dict[str, Any]:
    sources = [s for s in dict.fromkeys((publisher, event.reported_by)) if s]
    return {"source": "; ".join(sources) or event.doc, "source_scale": None, "notes": acled_note(event, publisher)}


def acled_note(event: Event, publisher: str | None) -> str:
    """The evidence, attributed: "According to <publisher>[, citing <source>]: <evidence>"."""
    evidence = " ".join(event.evidence.split())
    if not evidence:
        return ""
    who = publisher or event.reported_by or "the report"
    if publisher and event.reported_by and event.reported_by != publisher:
        who = f"{publisher}, citing {event.reported_by}"
    return f"According to {who}: {evidence}"


def acled_tags(event: Event) -> str:
    """ACLED-style tags: crowd size for protests, the tactic, arrests."""
    tags = []
    if event.event_type == "protest":
        tags.append(f"crowd size={event.count if event.count is not None else 'no report'}")
    if event.tactic:
        tags.append(f"tactic={event.tactic}")
    if event.arrests is not None:
        tags.append(f"arrests={event.arrests}")
    return "; ".join(tags)


# --------------------------------------------------------------------------- geojson


def feature(event: Event, corroboration: int | None = None,
            source: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """A GeoJSON Point feature (coordinates lon, lat) with the event's fields, its incident's
    corroboration and its `source` (`Provenance.of`); None if unplaced."""
    if event.latitude is None or event.longitude is None:
        return None
    return {"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
            "properties": {**record_to_dict(event), "corroboration": corroboration, **(source or {})}}


def write_geojson(records: Iterable[Record], out: Output, documents: Mapping[str, Document], *,
                  corroboration: Mapping[str, int] | None = None, provenance: Provenance | None = None) -> int:
    provenance = provenance or Provenance(documents)
    made = (feature(e, _corroboration(e, corroboration), provenance.of(e, d))
            for e, d in _with_documents(records, documents))
    features = (f for f in made if f is not None)
    with _text_output(out) as stream:
        stream.write('{"type": "FeatureCollection", "features": [')
        n = 0
        for n, item in enumerate(features, 1):
            stream.write(("\n" if n == 1 else ",\n") + json.dumps(item, ensure_ascii=False))
        stream.write("\n]}\n")
    return n


# --------------------------------------------------------------------------- parquet


def arrow_schema(cls: type) -> pa.Schema:
    import pyarrow as pa

    types = {"int": pa.int64(), "float": pa.float64()}
    return pa.schema([pa.field(c.name, types.get(c.type, pa.string()), nullable=c.nullable)
                      for c in record_columns(cls)])


class _ParquetSink:
    """Records of one type written to one Parquet file in row groups of `PARQUET_BATCH_ROWS`."""

    def __init__(self, cls: type, where: str | Path | IO[bytes], extra: Sequence[str] = ()) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.schema = arrow_schema(cls)
        for name in extra:  # provenance columns, all text
            self.schema = self.schema.append(pa.field(name, pa.string()))
        self.row = attrgetter(*(n for n in self.schema.names if n not in extra))
        self.writer = pq.ParquetWriter(where if not isinstance(where, Path) else str(where), self.schema)
        self.batch: list[tuple[Any, ...]] = []
        self.rows = 0

    def add(self, record: Record, extra: Sequence[Any] = ()) -> None:
        self.batch.append((*self.row(record), *extra) if extra else self.row(record))
        self.rows += 1
        if len(self.batch) >= PARQUET_BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        columns = list(zip(*self.batch, strict=True)) or [()] * len(self.schema)
        arrays = [pa.array(col, type=f.type) for col, f in zip(columns, self.schema, strict=True)]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.batch = []

    def close(self) -> None:
        if self.batch or not self.rows:
            self.flush()
        self.writer.close()


def write_parquet(records: Iterable[Record], out: Output, documents: Mapping[str, Document], *,
                  provenance: Provenance | None = None) -> int:
    if isinstance(out, str | Path) and Path(out).is_dir():
        return _write_parquet_dir(records, Path(out))
    provenance = provenance or Provenance(documents)
    sink = _ParquetSink(Event, sys.stdout.buffer if _is_stdout(out) else cast(str | Path | IO[bytes], out),
                        provenance.names)
    try:
        for event, document in _with_documents(records, documents):
            values = provenance.of(event, document).values()
            sink.add(event, [None if v is None else str(v) for v in values])
    finally:
        sink.close()
    return sink.rows


def _write_parquet_dir(records: Iterable[Record], folder: Path) -> int:
    sinks = {kind: _ParquetSink(RECORD_TYPES[kind], folder / f"{TABLES[kind]}.parquet") for kind in TABLES}
    try:
        for record in records:
            sinks[record.kind].add(record)
    finally:
        for sink in sinks.values():
            sink.close()
    return sum(sink.rows for sink in sinks.values())


FORMATS: dict[str, Writer] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "acled-csv": write_acled_csv,
    "geojson": write_geojson,
    "parquet": write_parquet,
}
