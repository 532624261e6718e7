"""The ledger database: one embedded SQLite file, and the only module that writes it.

Tables are plain (no extension), so the file opens as-is in Datasette or sqlite-utils:

* ``documents``  one row per report: the `Document` fields, the full report text (evidence is
  shown at its offsets), url, source path, format, content hash, extractor and ingest time;
* ``events``, ``claims``, ``statements``  one column per field of the record type, an integer
  ``id`` in insertion order and the ingest time; rows go when their document goes
  (``ON DELETE CASCADE``);
* ``problems``  what a stage or reader could not do (``doc``, ``stage``, ``message``);
* ``meta``  ``schema_version``;
* ``record_links``  every row id a record ever had (kind, id -> record key, the first holder
  kept), so that a link by an old row id still finds its record after re-ingest renumbered it;
* ``reviews``, ``audit_log``  created on first use of the review methods: the current review of
  a record (status, edited fields as JSON, reviewer, time), keyed on the record's stable
  ``record_key`` (`eventledger.review.record_keys`) so that re-ingesting a document re-attaches
  its reviews; and every review ever made (who, when, the record before and after), which
  triggers keep append-only.

Edits never change the extracted rows: readers that take reviews into account (`event_rows`,
`record_row`, `reviewed_records`, ...) apply them on the way out, and filter on the edited values.

`Ledger(path, readonly=True)` only reads: the file is opened read-only (SQLite's ``mode=ro``,
else ``immutable=1`` when not even the journal files can be made), nothing is created or
upgraded in it, and review tables it lacks are stood in for by empty temporary ones. The
commands that only read (`summary`, `export`, `incidents`, `figures`, the pages of `serve`)
open it so, and therefore work on a ledger the user may not write. A ledger that needs an
upgrade first is opened for writing once when it can be, else refused (`LedgerError`).

Every document is written in one transaction (``BEGIN IMMEDIATE … COMMIT``) that first removes
the document's previous records, so re-ingesting replaces and a killed process leaves the file
consistent (WAL journal).

The same transaction keeps the ``corroboration_*`` tables (`eventledger.store.corroboration`) up
to date: the document's paragraphs, their LSH bands and groups of near-identical paragraphs, its
events' incident bases, and what is left to decide. A ledger written before those tables existed
gets them on open, in one transaction.
"""

from eventledger.store.connection import LedgerConnection
from eventledger.store.read import LedgerReader
from eventledger.store.review import EVENT_SORTS, LedgerReviews
from eventledger.store.schema import SCHEMA_VERSION, TABLES, Column, LedgerError, field_names, record_columns, schema
from eventledger.store.write import LedgerWriter

__all__ = [
    "EVENT_SORTS", "SCHEMA_VERSION", "TABLES", "Column", "Ledger", "LedgerConnection", "LedgerError",
    "LedgerReader", "LedgerReviews", "LedgerWriter", "field_names", "record_columns", "schema",
]


class Ledger(LedgerWriter, LedgerReviews):
    """An event ledger in one SQLite file; typed records in, typed records out.

    >>> with Ledger("ledger.db") as ledger:          # doctest: +SKIP
    ...     ledger.write(analysis)
    ...     events = list(ledger.events(event_type="protest", date_from="2022-09-16"))

    The parts, one module each: opening and upgrading the file (`store.connection`), writing
    (`store.write`), reading records as extracted (`store.read`), reviews and reading records as
    reviewed (`store.review`); the tables themselves are derived in `store.schema`.
    """
