"""`eventledger` command line: thin commands over `eventledger.api`.

Exit codes (the same for every command):

* 0 — complete success;
* 1 — partial success: some inputs were reported and skipped (the rest was done);
* 2 — usage error (bad option or argument);
* 3 — failure: nothing could be done (no readable input, unwritable output, bad database).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from eventledger import api
from eventledger.bench import DEFAULT_REPEAT
from eventledger.ingest import IngestFailure
from eventledger.models import Analysis

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
EXPORT_FORMATS = ("jsonl", "csv", "acled-csv", "geojson", "parquet")


class Verbosity:
    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)

    def debug(self, message: str) -> None:
        if self.verbose:
            click.echo(message, err=True)


def _input_count(paths: tuple[str, ...]) -> int | None:
    """How many items a run reads when that is known beforehand: one per file when every file
    holds one report (text, HTML, PDF, Word), else None (JSON Lines, feeds, archives, URL lists)."""
    from eventledger.ingest import SINGLE_KINDS, discover, kind_of

    files = discover(paths)
    return len(files) if all(kind_of(f) in SINGLE_KINDS or not f.suffix for f in files) else None


def _progress(paths: tuple[str, ...], quiet: bool) -> tuple[Callable, Callable[[], None]]:
    """A tqdm bar on stderr, with its total and ETA when the number of inputs is known; silent
    when stderr is not a terminal or with --quiet."""
    from tqdm import tqdm

    disable = quiet or not sys.stderr.isatty()
    total = None if disable else _input_count(paths)
    bar = tqdm(unit="doc", total=total, file=sys.stderr, disable=disable, leave=False)

    def tick(item: Analysis | IngestFailure) -> None:
        bar.update(1)

    return tick, bar.close


def _report(summary: api.RunSummary, say: Verbosity) -> int:
    for failure in summary.failures:
        click.echo(f"skipped {failure.path}: {failure.reason}", err=True)
    for problem in summary.problems:
        click.echo(f"problem in {problem.doc} ({problem.stage}): {problem.message}", err=True)
    counts = ", ".join(f"{summary.records[k]} {k}s" for k in ("event", "claim", "statement"))
    say.info(f"{summary.documents} documents read, {len(summary.failures)} skipped; {counts}")
    if summary.documents == 0:
        return EXIT_FAILED
    return EXIT_OK if summary.complete else EXIT_PARTIAL


quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
verbose_option = click.option("--verbose", "-v", is_flag=True, help="Say more about what is done.")
db_option = click.option("--db", default="ledger.db", show_default=True, type=click.Path(dir_okay=False),
                         help="The SQLite ledger file.")
workers_option = click.option("--workers", "-w", default=1, show_default=True, type=click.IntRange(min=1),
                              help="Processes that analyse reports (same records, same order).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="eventledger")
def main() -> None:
    """Turn reports of protest, activism and repression into an event ledger with evidence."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@click.option("--out", "-o", required=True, type=click.Path(),
              help="JSON Lines file to write (with --engine dask: the folder of Parquet files).")
@workers_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this machine; dask: a Dask cluster, records as partitioned Parquet.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786); without it, a cluster on this machine.")
@click.option("--partition-size", type=click.IntRange(min=1), help="Dask: reports per partition (500).")
@click.option("--no-corroborate", is_flag=True,
              help="Dask: leave near-copies and incidents undecided; records never leave the workers.")
@quiet_option
@verbose_option
def extract(paths: tuple[str, ...], out: str, workers: int, engine: str, scheduler: str | None,
            partition_size: int | None, no_corroborate: bool, quiet: bool, verbose: bool) -> None:
    """Extract document, event, claim and statement records from PATHS into a JSONL file.

    PATHS are files (.txt, .md, .html, .htm, .pdf, .docx, .jsonl, .rss, .atom, .xml, .warc,
    .warc.gz, .urls, or text without extension) or directories (read recursively; any other
    file is named with its reason and skipped).
    """
    say = Verbosity(quiet, verbose)
    if engine == "dask":
        if workers > 1:
            raise click.UsageError("--workers is for --engine local: a Dask cluster has its own workers")
        sys.exit(_extract_dask(paths, out, scheduler, partition_size, not no_corroborate, say))
    if scheduler or partition_size or no_corroborate:
        raise click.UsageError("--scheduler, --partition-size and --no-corroborate need --engine dask")
    tick, close = _progress(paths, quiet)
    try:
        summary = api.extract_to_jsonl(paths, out, progress=tick, workers=workers)
    except OSError as exc:
        close()
        raise SystemExit(_fail(f"cannot write {out}: {exc.strerror or exc}")) from None
    close()
    say.debug(f"wrote {out}")
    sys.exit(_report(summary, say))


def _extract_dask(paths: tuple[str, ...], out: str, scheduler: str | None, partition_size: int | None,
                  corroborate: bool, say: Verbosity) -> int:
    try:
        summary = api.extract_dask(paths, out, scheduler=scheduler, partition_size=partition_size,
                                   corroborate=corroborate)
    except ImportError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {out} or reach the scheduler: {exc.strerror or exc}")
    say.debug(f"wrote {out}/")
    return _report(summary, say)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@db_option
@workers_option
@quiet_option
@verbose_option
def ingest(paths: tuple[str, ...], db: str, workers: int, quiet: bool, verbose: bool) -> None:
    """Extract records from PATHS and store them in the ledger (re-ingesting replaces)."""
    say = Verbosity(quiet, verbose)
    tick, close = _progress(paths, quiet)
    try:
        summary = api.ingest(paths, db=db, progress=tick, workers=workers)
    except Exception as exc:  # noqa: BLE001 - a database error is reported, not a traceback
        close()
        raise SystemExit(_fail(f"cannot write the ledger {db}: {exc}")) from None
    close()
    say.debug(f"ledger: {db}")
    sys.exit(_report(summary, say))


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@db_option
@quiet_option
def import_(paths: tuple[str, ...], db: str, quiet: bool) -> None:
    """Restore records from `export --format jsonl` files into the ledger, as they are (no extraction)."""
    say = Verbosity(quiet, False)
    try:
        summary = api.import_export(paths, db=db)
    except Exception as exc:  # noqa: BLE001 - a database error is reported, not a traceback
        raise SystemExit(_fail(f"cannot write the ledger {db}: {exc}")) from None
    sys.exit(_report(summary, say))


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True)
@click.option("--out", "-o", default="-", show_default=True, help="Output file; '-' is standard output.")
@click.option("--reviewed-only", is_flag=True,
              help="Only records a reviewer accepted or edited, with their edits (and who, when, which fields).")
@click.option("--type", "event_type", multiple=True, help="Event type (repeat for several).")
@click.option("--tactic", help="Tactic.")
@click.option("--province", "admin1", help="Province (admin1), as the gazetteer names it.")
@click.option("--town", "location", help="Town.")
@click.option("--actor-class", help="opposition, civilians, state, foreign or unknown.")
@click.option("--publisher", help="Publisher of the event's document.")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Events ending on or after this day.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Events starting on or before this day.")
@click.option("--q", help="Text searched in the evidence, title, place, actor and target.")
@click.option("--status", help="Review state: all, unreviewed, reviewed, accepted, edited, rejected "
                               "(default: all but rejected).")
@click.option("--doc", help="One document.")
def export(db: str, fmt: str, out: str, reviewed_only: bool, **filters: Any) -> None:
    """Export the ledger as jsonl, csv, acled-csv, geojson or parquet.

    The event formats (csv, acled-csv, geojson, parquet) hold the events the filters select,
    with reviewers' edits and without rejected events: the same rows the browser downloads
    for the same filters. jsonl is every record as extracted (filters do not apply).
    """
    from eventledger.query import EventQuery, QueryError

    if not Path(db).exists():
        raise SystemExit(_fail(f"no ledger at {db}: run `eventledger ingest` first"))
    if fmt == "parquet" and out == "-":
        raise click.UsageError("parquet needs --out FILE")
    try:
        query = EventQuery.of(**filters)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        n = api.export_ledger(db, fmt, out, reviewed_only=reviewed_only, query=query)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{n} rows written to {'stdout' if out == '-' else out}", err=True)


@main.command()
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--pred", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the summary as JSON.")
@click.option("--show-errors", is_flag=True, help="List missed and spurious events.")
@click.option("--error-kinds", is_flag=True,
              help="Count missed and spurious events by kind (from the records alone; "
                   "`eventledger quality --errors` also reads the reports).")
def evaluate(gold: str, pred: str, json_out: str | None, show_errors: bool, error_kinds: bool) -> None:
    """Score predicted records against gold annotations (the codebook's rules)."""
    from eventledger import evaluate as ev

    summary = ev.evaluate(gold, pred)
    lines = ev.format_summary(summary).splitlines()
    if show_errors:  # the error list goes before the score line, as in the shared scorer
        lines[-1:-1] = ev.errors(gold, pred)
    if error_kinds:
        from eventledger import quality as q

        kinds = q.error_kinds(gold, pred)
        lines[-1:-1] = q.format_kinds(kinds).splitlines()
        summary = {**summary, "error_kinds": kinds}
    click.echo("\n".join(lines))
    if json_out:
        Path(json_out).write_text(json.dumps(summary, indent=2), encoding="utf-8")


@main.command()
@click.option("--shared", type=click.Path(file_okay=False), envvar="EVENTLEDGER_SHARED",
              help="The shared folder (corpus/ and dev/); default: ../shared beside the repository "
                   "or the current folder (env EVENTLEDGER_SHARED).")
@click.option("--floors", type=click.Path(dir_okay=False),
              help="The floors file (default: quality-floors.json at the repository root).")
@click.option("--set", "only", metavar="NAME", help="Run one set (own, seeds, or a dev set's folder name).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the result as JSON.")
@click.option("--errors", is_flag=True, help="Sort missed and spurious events into kinds by cause.")
@click.option("--update-floors", is_flag=True, help="Write today's figures (rounded down) as the floors.")
@click.option("--workers", "-w", default=min(2, os.cpu_count() or 1), show_default=True,
              type=click.IntRange(min=1), help="Processes that analyse reports.")
@quiet_option
def quality(shared: str | None, floors: str | None, only: str | None, json_out: str | None, errors: bool,
            update_floors: bool, workers: int, quiet: bool) -> None:
    """The quality gate: extract every gold set found, score it, compare each figure with its floor.

    Exits 1 when a figure is below its floor by more than the floors file's noise margin.
    """
    from eventledger import quality as q

    say = Verbosity(quiet, False)
    shared_dir = Path(shared) if shared else q.default_shared()
    sets = q.find_sets(shared_dir)
    if shared_dir is None or not shared_dir.is_dir():
        say.info(f"note: no shared folder ({shared_dir or '../shared'}); only our own gold corpus runs")
    if only is not None:
        sets = [s for s in sets if s.name == only]
        if not sets:
            raise click.UsageError(f"no gold set named {only!r} was found")
    if not sets:
        raise SystemExit(_fail("no gold set found"))
    floors_path = Path(floors) if floors else q.repo_root() / q.FLOORS_FILE
    if not floors_path.exists() and not update_floors:
        say.info(f"note: no floors file {floors_path}; nothing is checked")
    try:
        margin, table = q.load_floors(floors_path) if floors_path.exists() else (q.DEFAULT_MARGIN, {})
    except (ValueError, OSError) as exc:
        raise SystemExit(_fail(f"cannot read the floors {floors_path}: {exc}")) from None
    results = q.run_sets(sets, workers=workers, errors=errors, progress=say.info)
    if update_floors:
        q.write_floors(floors_path, margin, {**table, **q.measured_floors(results)})
        say.info(f"floors written to {floors_path}")
        margin, table = q.load_floors(floors_path)
    verdict = q.judge(results, margin, table, only=only)
    click.echo(q.format_table(results))
    if errors:
        click.echo(q.format_errors(results))
    click.echo(q.format_verdict(verdict))
    for r in results:
        for failure in r.failures:
            click.echo(f"skipped in {r.name}: {failure}", err=True)
    if json_out:
        data = {"passed": verdict.passed, "margin": margin, "floors": str(floors_path),
                "shared": str(shared_dir) if shared_dir else None,
                "sets": {r.name: r.as_json() for r in results},
                "checks": [{"set": c.set, "metric": c.metric, "value": c.value, "floor": c.floor,
                            "passed": c.passed(margin)} for c in verdict.checks],
                "skipped": verdict.skipped}
        Path(json_out).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    sys.exit(EXIT_OK if verdict.passed else EXIT_PARTIAL)


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def summary(db: str, as_json: bool) -> None:
    """Summarise the ledger: documents, events by type, claims, statements, dates, places."""
    if not Path(db).exists():
        raise SystemExit(_fail(f"no ledger at {db}: run `eventledger ingest` first"))
    info = api.ledger_summary(db)
    click.echo(json.dumps(info, indent=2, default=str) if as_json else api.format_ledger_summary(info))
    if as_json and info.get("stale"):
        click.echo(api.STALE_WARNING, err=True)


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the incidents as JSON.")
def incidents(db: str, as_json: bool) -> None:
    """List incidents with their reports and corroboration (independent affiliations reporting each)."""
    if not Path(db).exists():
        raise SystemExit(_fail(f"no ledger at {db}: run `eventledger ingest` first"))
    click.echo(api.incidents_text(db, as_json=as_json))


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the groups as JSON.")
@click.option("--min-sources", default=2, show_default=True, type=click.IntRange(min=1),
              help="Show groups with figures from at least this many sources.")
def figures(db: str, as_json: bool, min_sources: int) -> None:
    """Contested figures: claims of one category, place and period from different sources, side by side."""
    if not Path(db).exists():
        raise SystemExit(_fail(f"no ledger at {db}: run `eventledger ingest` first"))
    click.echo(api.figures_text(db, as_json=as_json, min_sources=min_sources))


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but loopback needs a token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="EVENTLEDGER_TOKEN",
              help="Access token every request must carry (env EVENTLEDGER_TOKEN).")
def serve(db: str, host: str, port: int, token: str | None) -> None:
    """Serve the ledger in a browser: map, timeline, table, records, review and a JSON API."""
    if not Path(db).exists():
        raise SystemExit(_fail(f"no ledger at {db}: run `eventledger ingest` first"))
    from eventledger.web import ServeError
    from eventledger.web import serve as run_server

    try:
        run_server(db, host=host, port=port, token=token, announce=lambda line: click.echo(line, err=True))
    except ServeError as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.option("--corpus", type=click.Path(exists=True), help="Reports to measure on (default: a generated corpus).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the result as JSON.")
@click.option("--docs", default=400, show_default=True, type=click.IntRange(min=1),
              help="Reports to generate when no --corpus is given.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the generated corpus.")
@click.option("--workers", "-w", default=2, show_default=True, type=click.IntRange(min=1),
              help="Worker processes for the parallel measurement (1: skip it).")
@click.option("--repeat", default=DEFAULT_REPEAT, show_default=True, type=click.IntRange(min=1),
              help="Rounds of passes (one of each measurement per round); the fastest pass counts.")
@click.option("--store-docs", default=0, show_default=True, type=click.IntRange(min=0),
              help="Also ingest this many short reports into a fresh ledger and watch memory.")
@quiet_option
def bench(corpus: str | None, json_out: str | None, docs: int, seed: int, workers: int, repeat: int,
          store_docs: int, quiet: bool) -> None:
    """Measure extraction throughput and memory against a bare spaCy tokenizer."""
    from eventledger import bench as benchmark

    say = Verbosity(quiet, False)
    try:
        result = benchmark.run(corpus=corpus, docs=docs, seed=seed, workers=workers, repeat=repeat,
                               store_docs=store_docs, say=say.info)
    except ValueError as exc:
        raise SystemExit(_fail(str(exc))) from None
    click.echo(benchmark.format_result(result))
    if json_out:
        Path(json_out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def _fail(message: str) -> int:
    click.echo(f"error: {message}", err=True)
    return EXIT_FAILED


def entry() -> None:
    """The console script: any unexpected error is one line on stderr and exit code 3, never a traceback."""
    try:
        main()
    except Exception as exc:  # noqa: BLE001 - the last line of defence of the command line
        click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    entry()
