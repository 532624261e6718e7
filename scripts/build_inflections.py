"""Write `eventledger/data/inflections.json`: the forms of every lemma that `data/events.toml` names.

The event lexicon names lemmas (`<arrest:ed,ing>`, `lemmas = ["stage"]`); their inflections come from
lemminflect, computed here once so that loading the lexicon needs no lemminflect. Run it after editing
the lexicon's lemmas (tests/test_lexicon.py fails while the file is stale):

    python scripts/build_inflections.py
"""

from __future__ import annotations

import json
import sys

from eventledger.data import load_toml, path
from eventledger.stages.lexicon import INFLECTIONS_FILE, compute_inflections, lemmas_needed


def render() -> str:
    """The file's text for the lexicon as it stands."""
    table = compute_inflections(lemmas_needed(load_toml("events.toml")))
    blocks = []
    for pos in sorted(table):
        rows = [f"  {json.dumps(lemma)}: {json.dumps(forms, sort_keys=True, ensure_ascii=False)}"
                for lemma, forms in sorted(table[pos].items())]
        blocks.append(f" {json.dumps(pos)}: {{\n" + ",\n".join(rows) + "\n }")
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def main() -> int:
    target = path(INFLECTIONS_FILE)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
