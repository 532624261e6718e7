"""`eventledger bench`: how fast extraction runs, against the floor of a bare tokenizer.

On one corpus (by default `bench_corpus.generate`: ≈ 800-word synthetic news reports made
from the project's own templates; or every report under `--corpus DIR`), one run measures:

* **pipeline**: every stage in this process, after `pipeline.warm_up` (data loading is not
  timed, as in `extract`): documents and words per second, milliseconds per document for each
  stage, and the peak resident memory of the process (`resource.getrusage`); a pass keeps the
  records of each report, not the whole analysis (`output`), as `ingest` streams;
* **tokenizer floor**: a `spacy.blank("en")` tokenizer over the same texts, warmed up and timed
  as the pipeline is;
* **workers**: the same reports on `workers` processes (`eventledger.parallel`), timed once
  every worker has loaded the pipeline (start-up is reported apart), the speed-up over one
  process, whether the records are identical, and the workers' peak memory;
* optionally (`store_docs=N`) a **store check**: N short reports written as JSON Lines and
  ingested into a fresh ledger through `api.ingest`, with the resident memory sampled as
  documents are written; "flat" means it grows by at most `STORE_FLAT_MB` from the first
  tenth to the last document. What `api.ingest` does after the last write (corroborating the
  ledger incrementally) is reported apart: its time and the peak memory of the whole run.

Each measurement is made `repeat` times, in rounds (one pass of each per round, `Bench`), and
the fastest pass counts (every pass is in the `*_runs` lists): on a shared machine, the slower
passes measure the neighbours.
Words are whitespace-separated words of the report text. The result is a flat dict (the
`--json` file); `targets` says, for each target of the issue, the value, the bound and
whether it is met. `load_average` records how busy the machine was: the figures are only
worth comparing on an otherwise idle machine.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import platform
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eventledger.models import Analysis, Problem, Record, Report

DEFAULT_DOCS = 400
DEFAULT_REPEAT = 5
STORE_FLAT_MB = 50.0
STORE_DOC_WORDS = 60
TARGETS = {  # name -> (bound, "min" or "max")
    "docs_per_s": (50.0, "min"),
    "tokenizer_ratio": (0.40, "min"),
    "workers2_speedup": (1.6, "min"),
    "peak_rss_mb": (600.0, "max"),
    "store_rss_growth_mb": (STORE_FLAT_MB, "max"),
    "store_peak_rss_mb": (600.0, "max"),  # the whole ingest, corroboration included
    "store_last_to_first_tenth": (0.8, "min"),  # ingest does not slow down as the ledger grows
    "store_to_pipeline": (0.5, "min"),  # ingest (extraction + store) against extraction alone
}
Say = Callable[[str], None]
Output = tuple[list[Record], tuple[Problem, ...]]


def _quiet(message: str) -> None:
    """The default `say`: print nothing."""


def rss_mb() -> float:
    """The current resident memory of this process in MB (Linux /proc; else the peak so far)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return peak_rss_mb()
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3  # bytes on macOS, KiB elsewhere


def word_count(texts: Sequence[str]) -> int:
    return sum(len(t.split()) for t in texts)


# --------------------------------------------------------------------------- corpus


def load_corpus(corpus: str | Path | None, *, docs: int = DEFAULT_DOCS, seed: int = 0) -> tuple[list[Report], int]:
    """(reports, files skipped): every report under `corpus`, or `docs` generated reports."""
    if corpus is None:
        from eventledger.bench_corpus import generate

        return generate(docs, seed=seed), 0
    from eventledger.ingest import IngestFailure, read_paths

    reports: list[Report] = []
    skipped = 0
    for item in read_paths([corpus]):
        if isinstance(item, IngestFailure):
            skipped += 1
        else:
            reports.append(item)
    return reports, skipped


# --------------------------------------------------------------------------- measurements


def _timed(name: str, stage: Callable[[Analysis], Analysis],
           totals: dict[str, float]) -> Callable[[Analysis], Analysis]:
    def run(analysis: Analysis) -> Analysis:
        start = time.perf_counter()
        try:
            return stage(analysis)
        finally:
            totals[name] += time.perf_counter() - start
    return run


def _analysed(result: object) -> Analysis:
    """A worker's result for one of the reports given (only a failure given comes back a failure)."""
    assert isinstance(result, Analysis)
    return result


def output(analysis: Analysis) -> Output:
    """What a pass keeps of each analysis: its records and problems. A pass streams, as
    `ingest` does into the store: holding every analysis (sentences, places and dates too)
    would make the garbage collector's full collections scan a growing heap, and the pass
    would measure the harness."""
    return analysis.records(), analysis.problems


class _Pass:
    """One timed pass of a measure; the fastest of its passes counts."""

    def __init__(self, seconds: float, cpu: float = 0.0, stages: dict[str, float] | None = None,
                 problems: int = 0, identical: bool = True) -> None:
        self.seconds, self.cpu, self.stages, self.problems = seconds, cpu, stages or {}, problems
        self.identical = identical  # (on workers) the same records and problems as the first pass on one process


def _fastest(passes: Sequence[_Pass]) -> _Pass:
    return min(passes, key=lambda p: p.seconds)


class Bench:
    """The measures of one run, interleaved: round after round, one pass of the pipeline, one of
    the tokenizer floor and one on the workers. A busy spell of the shared machine then slows
    one pass of each rather than all passes of one, and the ratios compare like with like."""

    def __init__(self, reports: Sequence[Report], *, workers: int = 2) -> None:
        import spacy

        from eventledger.parallel import ParallelPipeline
        from eventledger.pipeline import Pipeline, warm_up

        self.reports, self.texts = list(reports), [r.text for r in reports]
        self.words = word_count(self.texts)
        self.stages = warm_up(Pipeline().stage_names)  # stages load their data on first use
        self.tokenizer = spacy.blank("en").tokenizer
        self.tokenizer(self.texts[0])  # warmed up as the pipeline is (both cache what they have seen)
        self.reference: list[Output] | None = None  # what the first pass on one process kept
        self.pipeline: list[_Pass] = []
        self.floor: list[_Pass] = []
        self.on_workers: list[_Pass] = []
        self.tokens = 0
        self.workers = workers
        self.pool = ParallelPipeline(workers=workers) if workers > 1 else None
        self.startup_s = 0.0
        if self.pool:
            start = time.perf_counter()
            self.pool.wait_ready()
            self.startup_s = time.perf_counter() - start

    def close(self) -> None:
        if self.pool:
            self.pool.close()

    def round(self) -> None:
        self.pipeline.append(self._pipeline_pass())
        self.floor.append(self._tokenizer_pass())
        if self.pool:
            start = time.perf_counter()
            outputs = [output(_analysed(result)) for result in self.pool.map(self.reports)]
            self.on_workers.append(_Pass(time.perf_counter() - start, identical=outputs == self.reference))

    def _pipeline_pass(self) -> _Pass:
        from eventledger.pipeline import run_stages

        totals: dict[str, float] = defaultdict(float)
        timed = [(name, _timed(name, stage, totals)) for name, stage in self.stages]
        start, cpu = time.perf_counter(), time.process_time()
        outputs = [output(run_stages(report, timed)) for report in self.reports]
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        if self.reference is None:
            self.reference = outputs  # the later passes keep nothing: their memory would count in the peak
        return _Pass(seconds, cpu, dict(totals), sum(len(problems) for _, problems in outputs))

    def _tokenizer_pass(self) -> _Pass:
        start = time.perf_counter()
        self.tokens = sum(len(self.tokenizer(text)) for text in self.texts)
        return _Pass(time.perf_counter() - start)

    def result(self) -> dict[str, Any]:
        n, words = len(self.reports), self.words
        single, floor = _fastest(self.pipeline), _fastest(self.floor)
        out: dict[str, Any] = {
            "pipeline_seconds": single.seconds,
            "pipeline_cpu_seconds": single.cpu,  # much below pipeline_seconds: the machine was busy
            "pipeline_words_per_s_runs": [words / p.seconds for p in self.pipeline],
            "docs_per_s": n / single.seconds,
            "pipeline_words_per_s": words / single.seconds,
            "stage_ms_per_doc": {name: 1000 * single.stages.get(name, 0.0) / n for name, _ in self.stages},
            "problems": single.problems,
            "peak_rss_mb": peak_rss_mb(),
            "tokenizer_seconds": floor.seconds, "tokenizer_words_per_s": words / floor.seconds,
            "tokenizer_words_per_s_runs": [words / p.seconds for p in self.floor], "tokenizer_tokens": self.tokens,
        }
        out["tokenizer_ratio"] = out["pipeline_words_per_s"] / out["tokenizer_words_per_s"]
        if self.pool and self.on_workers:
            w, fastest = self.workers, _fastest(self.on_workers)
            out.update({
                f"workers{w}_startup_s": self.startup_s,
                f"workers{w}_seconds": fastest.seconds,
                f"workers{w}_docs_per_s": n / fastest.seconds,
                f"workers{w}_words_per_s": words / fastest.seconds,
                f"workers{w}_words_per_s_runs": [words / p.seconds for p in self.on_workers],
                f"workers{w}_identical_records": all(p.identical for p in self.on_workers),
                f"workers{w}_peak_rss_mb": max(self.pool.peak_rss_mb()),
            })
            out[f"workers{w}_speedup"] = out[f"workers{w}_words_per_s"] / out["pipeline_words_per_s"]
        return out


def measure_store(n: int, *, seed: int = 0, workers: int = 1, say: Say = _quiet) -> dict[str, Any]:
    """Ingest `n` short generated reports into a fresh ledger; sample resident memory."""
    from eventledger import api
    from eventledger.bench_corpus import iter_reports, write_jsonl

    samples: list[tuple[int, float]] = []
    every = max(1, n // 10)
    count = 0
    last_write = 0.0
    marks: list[tuple[int, float]] = []  # (documents written, time): the first one, then every tenth
    tenths = {round(n * k / 10) for k in range(1, 11)} - {0, 1}

    def tick(item: object) -> None:
        nonlocal count, last_write
        count += 1
        last_write = time.perf_counter()
        if count == 1 or count in tenths:
            marks.append((count, last_write))
        if count % every == 0 or count == n:
            samples.append((count, rss_mb()))
            say(f"store: {count} of {n} documents, {samples[-1][1]:.0f} MB resident")

    with tempfile.TemporaryDirectory(prefix="eventledger-bench-") as folder:
        corpus = Path(folder) / "store.jsonl"
        write_jsonl(iter_reports(n, seed=seed + 1, words=STORE_DOC_WORDS), corpus)
        before = rss_mb()
        start = time.perf_counter()
        summary = api.ingest([corpus], db=Path(folder) / "ledger.db", progress=tick, workers=workers)
        elapsed = time.perf_counter() - start
        db_mb = sum(f.stat().st_size for f in Path(folder).glob("ledger.db*")) / 1e6
    first = samples[0][1] if samples else before
    last = samples[-1][1] if samples else rss_mb()
    return {
        "store_docs": summary.documents, "store_seconds": elapsed, "store_docs_per_s": summary.documents / elapsed,
        "store_after_last_write_seconds": start + elapsed - last_write,  # corroborating what was written
        "store_rss_start_mb": before, "store_rss_first_tenth_mb": first, "store_rss_end_mb": last,
        "store_rss_after_mb": rss_mb(), "store_rss_growth_mb": last - first,
        "store_peak_rss_mb": peak_rss_mb(),  # includes corroborating at the end
        "store_rss_samples_mb": [round(mb, 1) for _, mb in samples],
        "store_db_mb": db_mb,  # the ledger file (with its write-ahead log) on disk
        **_tenths(marks),
    }


def _tenths(marks: Sequence[tuple[int, float]]) -> dict[str, Any]:
    """Ingest rates of the first and the last tenth of the documents, and of every tenth.

    The first tenth is timed from the first document written (so the workers' start-up does not
    count), the last from the ninth tenth's last document to the last document.
    """
    rates = [(n1 - n0) / (t1 - t0) if t1 > t0 else 0.0 for (n0, t0), (n1, t1) in itertools.pairwise(marks)]
    if not rates:
        return {}
    return {"store_docs_per_s_first_tenth": rates[0], "store_docs_per_s_last_tenth": rates[-1],
            "store_docs_per_s_tenths": [round(r, 1) for r in rates],
            "store_last_to_first_tenth": rates[-1] / rates[0] if rates[0] else 0.0}


def _targets(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, (bound, kind) in TARGETS.items():
        value = result.get(name)
        if value is None:
            continue
        met = value >= bound if kind == "min" else value <= bound
        out[name] = {"value": round(value, 3), kind: bound, "met": met}
    return out


def run(*, corpus: str | Path | None = None, docs: int = DEFAULT_DOCS, seed: int = 0, workers: int = 2,
        repeat: int = DEFAULT_REPEAT, store_docs: int = 0, say: Say = _quiet) -> dict[str, Any]:
    """The whole benchmark (see the module docstring); returns the result as a flat dict."""
    import spacy

    reports, skipped = load_corpus(corpus, docs=docs, seed=seed)
    if not reports:
        raise ValueError(f"no readable reports in {corpus}")
    texts = [r.text for r in reports]
    result: dict[str, Any] = {
        "corpus": str(corpus) if corpus else f"generated (seed {seed})", "docs": len(reports),
        "skipped_files": skipped, "words": word_count(texts), "words_per_doc": word_count(texts) / len(reports),
        "load_average": list(os.getloadavg()), "cpus": os.cpu_count(),
        "python": platform.python_version(), "spacy": spacy.__version__,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "repeat": repeat,
    }
    say(f"{len(reports)} documents, {result['words']} words: {repeat} rounds of one pass on one process, "
        f"one of the tokenizer floor" + (f", one on {workers} worker processes" if workers > 1 else ""))
    bench = Bench(reports, workers=workers)
    try:
        for number in range(repeat):
            bench.round()
            say(f"round {number + 1} of {repeat} done")
        result.update(bench.result())
    finally:
        bench.close()
    if store_docs:
        result.update(measure_store(store_docs, seed=seed, workers=max(1, workers), say=say))
        result["store_to_pipeline"] = result["store_docs_per_s"] / result["docs_per_s"]
    result["load_average_end"] = list(os.getloadavg())
    result["targets"] = _targets(result)
    return result


def format_result(result: dict[str, Any]) -> str:
    """The result as a short table."""
    lines = [f"corpus      {result['corpus']}: {result['docs']} documents, {result['words_per_doc']:.0f} words each",
             f"pipeline    {result['docs_per_s']:.1f} docs/s, {result['pipeline_words_per_s']:,.0f} words/s, "
             f"peak {result['peak_rss_mb']:.0f} MB",
             f"tokenizer   {result['tokenizer_words_per_s']:,.0f} words/s "
             f"(pipeline = {result['tokenizer_ratio']:.3f} of it)"]
    for key in sorted(k for k in result if k.startswith("workers") and k.endswith("_words_per_s")):
        n = key.removeprefix("workers").removesuffix("_words_per_s")
        lines.append(f"{n} workers   {result[key]:,.0f} words/s ({result[f'workers{n}_speedup']:.2f}x one process), "
                     f"identical records: {result[f'workers{n}_identical_records']}")
    if "store_docs" in result:
        lines.append(f"store       {result['store_docs']} documents at {result['store_docs_per_s']:.0f}/s, "
                     f"resident {result['store_rss_first_tenth_mb']:.0f} -> {result['store_rss_end_mb']:.0f} MB "
                     f"while writing; first tenth {result.get('store_docs_per_s_first_tenth', 0):.0f}/s, "
                     f"last tenth {result.get('store_docs_per_s_last_tenth', 0):.0f}/s; "
                     f"then {result['store_after_last_write_seconds']:.1f} s to corroborate, "
                     f"peak {result['store_peak_rss_mb']:.0f} MB")
    lines.append("stages      " + ", ".join(f"{name} {ms:.1f}" for name, ms in result["stage_ms_per_doc"].items())
                 + " ms/doc")
    for name, target in result["targets"].items():
        bound = f">= {target['min']}" if "min" in target else f"<= {target['max']}"
        lines.append(f"target      {name} {target['value']} {bound}: {'met' if target['met'] else 'NOT met'}")
    return "\n".join(lines)
