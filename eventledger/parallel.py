"""Extraction on several processes of one machine, in input order.

    for item in analyse_parallel(read_paths(["reports/"]), workers=2):
        ...                        # an Analysis or IngestFailure, in the order of the input

Each worker is a separate process that loads the pipeline once. Workers are forked from a
*forkserver* (a clean, single-threaded process, so this is safe whatever threads the parent
runs) that has loaded the default pipeline and its data once (`eventledger._preload`), so
a pool starts in a fraction of a second after the first; where there is no forkserver
(Windows), workers are spawned. Everything a worker needs is passed by pickling, so both
start methods work.

The parent sends reports in chunks and keeps at most `workers * prefetch` chunks in flight,
so a stream of millions of reports is never held in memory; results come back in input
order, and they are the very analyses the single-process path gives (stages are pure).
`IngestFailure`s pass through in place.

A worker ends when the process that started the pool ends, however it ends (SIGKILL too):
each watches it (`watch_parent`: a thread waiting on a Linux pidfd, elsewhere checking once a
second) and exits. The forkserver and multiprocessing's resource tracker then end on their own
(they live only while a worker or the parent holds their pipes), so a killed
``ingest --workers N`` leaves no process behind.

`ParallelPipeline` is the same as a context manager, for callers that reuse one pool over
several batches or want the workers started before they time anything (`eventledger bench`).
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from types import TracebackType
from typing import Any

from eventledger.ingest import IngestFailure
from eventledger.limits import Limits
from eventledger.models import Analysis, Report
from eventledger.pipeline import DEFAULT_STAGES, REGISTRY, Stage, StageSpec, check_order, register, run_stages, warm_up

Item = Report | IngestFailure
Result = Analysis | IngestFailure

DEFAULT_CHUNKSIZE = 4
DEFAULT_PREFETCH = 4
BARRIER_TIMEOUT = 60.0
PARENT_CHECK_SECONDS = 1.0  # where no pidfd can be waited on

_stages: list[tuple[str, Stage]] = []  # the worker's pipeline, loaded once by `_init_worker`
_barrier: list[Any] = []  # the pool's barrier, for tasks that must reach every worker
_limits: list[Limits] = []  # the worker's limits (the parent's), set by `_init_worker`


def watch_parent(pid: int) -> None:
    """End this process (exit status 1) as soon as process `pid` ends: a daemon thread waits on
    a pidfd for it (Linux), else checks once every `PARENT_CHECK_SECONDS`."""
    try:
        handle: int | None = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd here
        handle = None
    threading.Thread(target=_exit_after, args=(pid, handle), daemon=True, name="eventledger-parent-watch").start()


def _exit_after(pid: int, handle: int | None) -> None:
    if handle is not None:
        select.select([handle], [], [])
    else:
        while _alive(pid):
            time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _init_worker(targets: dict[str, StageSpec], names: tuple[str, ...], ready: Any, barrier: Any,
                 limits: Limits | None = None, parent: int | None = None) -> None:
    """Load the pipeline in a worker process (with the parent's stage registrations and limits);
    the worker ends when `parent` (the process that made the pool) ends."""
    if parent is not None:
        watch_parent(parent)
    _barrier[:] = [barrier]
    _limits[:] = [limits or Limits()]
    for name, target in targets.items():
        register(name, target)
    _stages[:] = warm_up(names)  # cheap when forked from a warm forkserver
    ready.release()


def _peak_rss_kib() -> int:
    """This worker's peak resident memory, once every worker is running this task (so each
    worker answers exactly once)."""
    import resource  # Unix only

    _barrier[0].wait(timeout=BARRIER_TIMEOUT)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _analyse_chunk(chunk: list[Item]) -> list[Result]:
    limits = _limits[0] if _limits else None
    return [item if isinstance(item, IngestFailure) else run_stages(item, _stages, limits=limits) for item in chunk]


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["eventledger._preload"])
    return context


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ParallelPipeline:
    """A pool of `workers` processes running the pipeline; `map` keeps the input order."""

    def __init__(self, *, workers: int, pipeline_names: Sequence[str] = DEFAULT_STAGES,
                 chunksize: int = DEFAULT_CHUNKSIZE, prefetch: int = DEFAULT_PREFETCH,
                 limits: Limits | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers, self.chunksize, self.window = workers, chunksize, workers * prefetch
        names = tuple(pipeline_names)
        check_order(names)
        context = _context()
        self._ready = context.Semaphore(0)
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker,
            initargs=({n: REGISTRY[n] for n in names}, names, self._ready, context.Barrier(workers), limits,
                      os.getpid()),
        )

    def wait_ready(self) -> None:
        """Start every worker and return once each has loaded the pipeline."""
        for future in [self._pool.submit(os.getpid) for _ in range(self.workers)]:
            future.result()
        for _ in range(self.workers):
            self._ready.acquire()

    def peak_rss_mb(self) -> list[float]:
        """The peak resident memory of each worker so far, in MB (Linux: ru_maxrss is in KiB)."""
        futures = [self._pool.submit(_peak_rss_kib) for _ in range(self.workers)]
        return [future.result() / 1e3 for future in futures]

    def map(self, items: Iterable[Item]) -> Iterator[Result]:
        """Analyse `items` on the workers; yield results in input order."""
        pending: deque[Future[list[Result]]] = deque()
        for chunk in _chunks(items, self.chunksize):
            pending.append(self._pool.submit(_analyse_chunk, chunk))
            if len(pending) >= self.window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ParallelPipeline:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def analyse_parallel(reports_or_items: Iterable[Item], *, workers: int,
                     pipeline_names: Sequence[str] = DEFAULT_STAGES,
                     chunksize: int = DEFAULT_CHUNKSIZE, limits: Limits | None = None) -> Iterator[Result]:
    """Analyse reports on `workers` processes; yield analyses (and failures) in input order.

    With `workers == 1` the pipeline runs in this process and no pool is started. `limits`
    (default `Limits()`) guard every report, in whichever process it runs.
    """
    if workers <= 1:
        stages = warm_up(pipeline_names)
        for item in reports_or_items:
            yield item if isinstance(item, IngestFailure) else run_stages(item, stages, limits=limits)
        return
    with ParallelPipeline(workers=workers, pipeline_names=pipeline_names, chunksize=chunksize,
                          limits=limits) as pool:
        yield from pool.map(reports_or_items)
