"""Limits that keep one hostile input from crashing, flooding or hanging a batch.

Every limit is reported when it bites, never silent, and the batch goes on:

==========================  =============  ==================================================
limit                       default        when it bites
==========================  =============  ==================================================
``max_bytes``               5,000,000      a text, HTML or feed file, a JSON Lines row or an
                                           archived page is larger: skipped ("file too large")
``max_jsonl_bytes``         500,000,000    a streamed file (JSON Lines, WARC, URL list) as a
                                           whole is larger: skipped
``max_chars``               1,000,000      a report's text has more characters once decoded:
                                           skipped ("text too long"); also spaCy's limit
``max_sentence_chars``      2,000          a sentence (or a line with no sentence end) is
                                           longer: cut at white space into pieces of at most
                                           this many characters before the later stages see
                                           it; a `Problem` says how many were cut
``max_records``             5,000          a report gives more events + claims + statements:
                                           the first ones are kept, a `Problem` says "too many
                                           records: kept N of M"
``seconds``                 30.0           a report takes longer to read, or to run through
                                           the stages: reading is abandoned (the file is
                                           skipped), the stages are cut short (the records of
                                           the stages that finished are kept, a `Problem`
                                           names the stage that was stopped)
==========================  =============  ==================================================

Why cut long sentences: the stages match their patterns sentence by sentence, and some
patterns cost more than linear time in a sentence's length (a 30,000-character run of words
with no full stop kept one stage busy for almost two minutes); pieces of 2,000 characters
bound that.

The time budget (`time_budget`) is hard where it can be: in a process's main thread (the
command line, each worker process of ``--workers``) a ``SIGALRM`` timer interrupts the running
stage or reader, even inside a regular expression. Elsewhere (other threads, platforms without
``setitimer``, or when the caller already uses ``SIGALRM``) it is checked between stages only.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType


@dataclass(frozen=True)
class Limits:
    """Size, length, record and time limits of reading and analysing one report (see module doc).

    `max_bytes` bounds a text, HTML or feed file and each row of a JSON Lines file (each page of
    an archive); a JSON Lines file, archive or URL list as a whole (read item by item) is bounded
    by `max_jsonl_bytes`. `seconds=None` turns the time budget off.
    """

    max_bytes: int = 5_000_000
    max_jsonl_bytes: int = 500_000_000
    max_chars: int = 1_000_000
    max_sentence_chars: int = 2_000
    max_records: int = 5_000
    seconds: float | None = 30.0


class BudgetExceeded(BaseException):
    """Raised inside the work when its time budget is spent.

    A `BaseException`, so that code that catches `Exception` (a stage guarding a parser call)
    does not swallow it; only the owner of the budget catches it.
    """


@dataclass
class Budget:
    """A running time budget: `check()` raises `BudgetExceeded` once the deadline has passed."""

    seconds: float | None
    started: float
    hard: bool = False  # True while a SIGALRM timer guards the work

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def expired(self) -> bool:
        return self.seconds is not None and self.elapsed >= self.seconds

    def check(self) -> None:
        if self.expired:
            raise BudgetExceeded(f"time budget of {self.seconds:g} s exceeded")


_armed = False  # a hard budget is running (only in the main thread, so no lock is needed)


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    global _armed
    if _armed:  # a late signal, once the work has ended, is ignored
        _armed = False
        raise BudgetExceeded("time budget exceeded")


def _alarm_usable() -> bool:
    """SIGALRM can guard the work: main thread, Unix, no budget running, no one else's timer."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if _armed or signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
        return False
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None, _on_alarm)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[Budget]:
    """Run the body under a budget of `seconds` (None: unlimited).

    With a hard budget, `BudgetExceeded` is raised wherever the body is when time runs out;
    otherwise the body calls `Budget.check()` at safe points. Either way the caller catches
    `BudgetExceeded` around the `with` block. A budget inside another one is soft.
    """
    global _armed
    budget = Budget(seconds, time.monotonic())
    if seconds is None or seconds <= 0 or not _alarm_usable():
        yield budget
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        _armed = budget.hard = True
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield budget
    finally:
        _armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
