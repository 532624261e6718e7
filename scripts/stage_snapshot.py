"""Fingerprint every stage's output over a set of reports, to prove a speed change changes nothing.

    python scripts/stage_snapshot.py samples/ ../shared/corpus/seeds --generated 500 --out /tmp/before.txt
    ... change the code ...
    python scripts/stage_snapshot.py samples/ ../shared/corpus/seeds --generated 500 --out /tmp/after.txt
    cmp /tmp/before.txt /tmp/after.txt

Each line is one report's sentences, places, dates, records and problems (as `repr`), so a
`diff` of two snapshots shows the first report whose output moved, stage by stage. Generated
reports come from `eventledger.bench_corpus` (several seeds and lengths, so both long and short
texts are covered).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eventledger.bench_corpus import generate
from eventledger.ingest import IngestFailure, read_paths
from eventledger.models import Analysis, Report
from eventledger.pipeline import Pipeline


def reports(paths: list[str], generated: int) -> list[Report]:
    found = [item for item in read_paths(paths) if not isinstance(item, IngestFailure)]
    if generated:
        found += generate(generated // 2, seed=11)
        found += generate(generated - generated // 2, seed=12, words=250)
    return found


def fingerprint(analysis: Analysis) -> str:
    parts = [analysis.report.doc, repr(analysis.report.published), repr(analysis.sentences), repr(analysis.places),
             repr(analysis.dates), repr(analysis.events), repr(analysis.claims), repr(analysis.statements),
             repr(analysis.problems)]
    return "\t".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--generated", type=int, default=500)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    pipeline = Pipeline()
    with Path(args.out).open("w", encoding="utf-8") as out:
        for analysis in pipeline.run(reports(args.paths, args.generated)):
            out.write(fingerprint(analysis).replace("\n", "\\n") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
