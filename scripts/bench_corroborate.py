"""Benchmark: cluster synthetic events into incidents, against a plain sort of the same events.

    .venv/bin/python scripts/bench_corroborate.py [--events 100000] [--seed 7]

Prints the seconds `assign_incidents` takes, the seconds a plain sort of the same events by
(type, place, date) takes in the same run (the floor any sort-and-sweep clustering stands on),
and their ratio. Exits 1 when clustering takes `LIMIT_SECONDS` or more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from eventledger.corroborate import assign_incidents
from eventledger.models import EVENT_TYPES, Event

LIMIT_SECONDS = 60.0
PLACES = 2_000
DAYS = 3 * 365
FIRST_DAY = dt.date(2021, 1, 1)


def _dates(rng: random.Random) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.02:
        return {}
    start = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    if roll < 0.05:
        month = start.replace(day=1)
        end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return {"date_start": month.isoformat(), "date_end": end.isoformat(), "time_precision": "month"}
    end = start + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3)))
    return {"date_start": start.isoformat(), "date_end": end.isoformat(),
            "time_precision": "day" if end == start else "span"}


def _place(rng: random.Random) -> dict[str, Any]:
    place = rng.randrange(PLACES)
    if rng.random() < 0.05:
        return {"admin1": f"Province {place % 31}", "country": "IR", "geo_precision": "province"}
    return {"location": f"Town {place}", "admin1": f"Province {place % 31}", "country": "IR",
            "geonameid": 100_000 + place, "geo_precision": "city"}


def _shifted(dates: dict[str, Any], days: int) -> dict[str, Any]:
    if not dates or dates["time_precision"] == "month":
        return dates
    start, end = (dt.date.fromisoformat(dates[k]) + dt.timedelta(days=days) for k in ("date_start", "date_end"))
    return {**dates, "date_start": start.isoformat(), "date_end": end.isoformat()}


def synthetic_events(n: int, seed: int = 7) -> list[Event]:
    """`n` reports of n/3 incidents of random type, place (2,000 towns) and date (three years), a few
    vague or undated; each report's dates may be a day off its incident's."""
    rng = random.Random(seed)
    incidents = [(rng.choice(EVENT_TYPES), _place(rng), _dates(rng)) for _ in range(max(1, n // 3))]
    events = []
    for i in range(n):
        kind, place, dates = rng.choice(incidents)
        events.append(Event(doc=f"doc{i // 20}.txt", event_type=kind, evidence=f"sentence {i}",
                            **place, **_shifted(dates, rng.choice((-1, 0, 0, 1)))))
    return events


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def run(n: int = 100_000, seed: int = 7) -> dict[str, float]:
    """Seconds to cluster `n` synthetic events, seconds to sort them, the ratio and the incidents made."""
    events = synthetic_events(n, seed)
    baseline, _ = _timed(lambda: sorted(events, key=lambda e: (e.event_type, e.geonameid or 0, e.date_start or "")))
    seconds, clustered = _timed(lambda: assign_incidents(events))
    return {"events": n, "seconds": seconds, "baseline_seconds": baseline, "ratio": seconds / baseline,
            "incidents": len({e.incident for e in clustered})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = run(args.events, args.seed)
    print(f"clustered {result['events']:,} events into {result['incidents']:,} incidents in "
          f"{result['seconds']:.2f} s; plain sort {result['baseline_seconds']:.3f} s; "
          f"ratio {result['ratio']:.1f}x (limit {LIMIT_SECONDS:.0f} s)")
    return 0 if result["seconds"] < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
