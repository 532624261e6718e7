"""A benchmark corpus of news-length reports made from the paragraphs of a gold set's reports.

    python scripts/paragraph_corpus.py tests/gold-fa/docs.jsonl /tmp/fa_bench.jsonl
    eventledger bench --corpus /tmp/fa_bench.jsonl

The same for `tests/gold/docs.jsonl` gives English reports of the same make, so that the words per
second of the Persian and the English rules can be compared on like texts (issue 18: Persian at no
less than half the English speed).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def build(docs: Path, out: Path, reports: int = 60, words: int = 700, seed: int = 1) -> None:
    rows = [json.loads(line) for line in docs.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = [p.strip() for row in rows for p in row["text"].split("\n\n") if p.strip()]
    rng = random.Random(seed)
    with out.open("w", encoding="utf-8") as f:
        for n in range(reports):
            chosen: list[str] = []
            while sum(len(p.split()) for p in chosen) < words:
                chosen.append(rng.choice(paragraphs))
            row = {"id": f"bench-{n}", "text": "\n\n".join(chosen) + "\n", "published": "2026-01-20"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--reports", type=int, default=60)
    args = parser.parse_args()
    build(args.docs, args.out, args.reports)


if __name__ == "__main__":
    main()
