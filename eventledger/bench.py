"""`eventledger bench`: how fast extraction runs, against the floor of a bare tokenizer.

On one corpus (by default `bench_corpus.generate`: ≈ 800-word synthetic news reports made
from the project's own templates; or every report under `--corpus DIR`), one run measures:

* **pipeline**: every stage in this process, after one warm-up report (data loading is not
  timed): documents and words per second, milliseconds per document for each stage, and
  the peak resident memory of the process (`resource.getrusage`, so: after the pipeline);
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

Each measurement is made `repeat` times and the fastest pass counts (every pass is in the
`*_runs` lists): on a shared machine, the slower passes measure the neighbours.
Words are whitespace-separated words of the report text. The result is a flat dict (the
`--json` file); `targets` says, for each target of the issue, the value, the bound and
whether it is met. `load_average` records how busy the machine was: the figures are only
worth comparing on an otherwise idle machine.
"""

from __future__ import annotations

import datetime as dt
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
DEFAULT_REPEAT = 3
STORE_FLAT_MB = 50.0
STORE_DOC_WORDS = 60
TARGETS = {  # name -> (bound, "min" or "max")
    "docs_per_s": (50.0, "min"),
    "tokenizer_ratio": (0.40, "min"),
    "workers2_speedup": (1.6, "min"),
    "peak_rss_mb": (600.0, "max"),
    "store_rss_growth_mb": (STORE_FLAT_MB, "max"),
    "store_peak_rss_mb": (600.0, "max"),  # the whole ingest, corroboration included
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


def _pipeline_pass(reports: Sequence[Report], stages: list) -> tuple[float, float, dict[str, float], list[Output]]:
    """(seconds, cpu seconds, seconds per stage, output per report) of one timed pass."""
    from eventledger.pipeline import run_stages

    totals: dict[str, float] = defaultdict(float)
    timed = [(name, _timed(name, stage, totals)) for name, stage in stages]
    start, cpu = time.perf_counter(), time.process_time()
    outputs = [output(run_stages(report, timed)) for report in reports]
    return time.perf_counter() - start, time.process_time() - cpu, totals, outputs


def output(analysis: Analysis) -> Output:
    """What a pass keeps of each analysis: its records and problems. A pass streams, as
    `ingest` does into the store: holding every analysis (sentences, places and dates too)
    would make the garbage collector's full collections scan a growing heap, and the pass
    would measure the harness."""
    return analysis.records(), analysis.problems


def measure_pipeline(reports: Sequence[Report], *, repeat: int = 1) -> tuple[dict[str, Any], list[Output]]:
    """Single-process throughput and per-stage time of the fastest of `repeat` passes; also
    returns what the pass kept of each report (`output`)."""
    from eventledger.pipeline import Pipeline, warm_up

    stages = warm_up(Pipeline().stage_names)  # stages load their data on first use
    passes = [_pipeline_pass(reports, stages) for _ in range(repeat)]
    elapsed, cpu, totals, outputs = min(passes, key=lambda p: p[0])
    words = word_count([r.text for r in reports])
    return {
        "pipeline_seconds": elapsed,
        "pipeline_cpu_seconds": cpu,  # much below pipeline_seconds: the machine was busy
        "pipeline_words_per_s_runs": [words / p[0] for p in passes],
        "docs_per_s": len(reports) / elapsed,
        "pipeline_words_per_s": words / elapsed,
        "stage_ms_per_doc": {name: 1000 * totals[name] / len(reports) for name, _ in stages},
        "problems": sum(len(problems) for _, problems in outputs),
        "peak_rss_mb": peak_rss_mb(),
    }, outputs


def measure_tokenizer(texts: Sequence[str], *, repeat: int = 1) -> dict[str, Any]:
    """The floor: a blank English tokenizer over the same texts, measured as the pipeline is:
    warmed up on the first text, then `repeat` passes, the fastest counting (spaCy's tokenizer
    caches what it has seen, as the pipeline's own stages do)."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    tokenizer(texts[0])  # warm-up, as `measure_pipeline` does
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        tokens = sum(len(tokenizer(text)) for text in texts)
        runs.append(time.perf_counter() - start)
    words = word_count(texts)
    return {"tokenizer_seconds": min(runs), "tokenizer_words_per_s": words / min(runs),
            "tokenizer_words_per_s_runs": [words / r for r in runs], "tokenizer_tokens": tokens}


def measure_workers(reports: Sequence[Report], workers: int, reference: Sequence[Output], *,
                    repeat: int = 1) -> dict[str, Any]:
    """Throughput on `workers` processes once they are started (the fastest of `repeat`
    passes); identical records or not."""
    from eventledger.parallel import ParallelPipeline

    runs = []
    with ParallelPipeline(workers=workers) as pool:
        start = time.perf_counter()
        pool.wait_ready()
        ready = time.perf_counter()
        for _ in range(repeat):
            begin = time.perf_counter()
            outputs = [output(analysis) for analysis in pool.map(reports)]
            runs.append(time.perf_counter() - begin)
        worker_peaks = pool.peak_rss_mb()
    same = outputs == list(reference)
    words = word_count([r.text for r in reports])
    return {
        f"workers{workers}_startup_s": ready - start,
        f"workers{workers}_seconds": min(runs),
        f"workers{workers}_docs_per_s": len(reports) / min(runs),
        f"workers{workers}_words_per_s": words / min(runs),
        f"workers{workers}_words_per_s_runs": [words / r for r in runs],
        f"workers{workers}_identical_records": same,
        f"workers{workers}_peak_rss_mb": max(worker_peaks),
    }


def measure_store(n: int, *, seed: int = 0, workers: int = 1, say: Say = _quiet) -> dict[str, Any]:
    """Ingest `n` short generated reports into a fresh ledger; sample resident memory."""
    from eventledger import api
    from eventledger.bench_corpus import iter_reports, write_jsonl

    samples: list[tuple[int, float]] = []
    every = max(1, n // 10)
    count = 0
    last_write = 0.0

    def tick(item: object) -> None:
        nonlocal count, last_write
        count += 1
        last_write = time.perf_counter()
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
    first = samples[0][1] if samples else before
    last = samples[-1][1] if samples else rss_mb()
    return {
        "store_docs": summary.documents, "store_seconds": elapsed, "store_docs_per_s": summary.documents / elapsed,
        "store_after_last_write_seconds": start + elapsed - last_write,  # corroborating what was written
        "store_rss_start_mb": before, "store_rss_first_tenth_mb": first, "store_rss_end_mb": last,
        "store_rss_after_mb": rss_mb(), "store_rss_growth_mb": last - first,
        "store_peak_rss_mb": peak_rss_mb(),  # includes corroborating at the end
        "store_rss_samples_mb": [round(mb, 1) for _, mb in samples],
    }


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
    say(f"pipeline: {len(reports)} documents, {result['words']} words, one process")
    single, outputs = measure_pipeline(reports, repeat=repeat)
    result.update(single)
    say("tokenizer floor")
    result.update(measure_tokenizer(texts, repeat=repeat))
    result["tokenizer_ratio"] = result["pipeline_words_per_s"] / result["tokenizer_words_per_s"]
    if workers > 1:
        say(f"pipeline on {workers} worker processes")
        result.update(measure_workers(reports, workers, outputs, repeat=repeat))
        result[f"workers{workers}_speedup"] = result[f"workers{workers}_words_per_s"] / result["pipeline_words_per_s"]
    if store_docs:
        result.update(measure_store(store_docs, seed=seed, workers=max(1, workers), say=say))
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
                     f"while writing; then {result['store_after_last_write_seconds']:.1f} s to corroborate, "
                     f"peak {result['store_peak_rss_mb']:.0f} MB")
    lines.append("stages      " + ", ".join(f"{name} {ms:.1f}" for name, ms in result["stage_ms_per_doc"].items())
                 + " ms/doc")
    for name, target in result["targets"].items():
        bound = f">= {target['min']}" if "min" in target else f"<= {target['max']}"
        lines.append(f"target      {name} {target['value']} {bound}: {'met' if target['met'] else 'NOT met'}")
    return "\n".join(lines)
