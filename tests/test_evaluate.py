"""`evaluate` must agree with the reference scorer (../shared/eval/score.py) number for number."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventledger.evaluate import errors, evaluate, format_summary, norm_name, same_place
from eventledger.models import Document, Event

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "corpus" / "gold.jsonl"
SCORER = SHARED / "eval" / "score.py"
needs_shared = pytest.mark.skipif(not (GOLD.exists() and SCORER.exists()),
                                  reason=f"the shared gold set and scorer are not at {SHARED}")

Row = dict[str, Any]
VARIANT_OF = {"Isfahan": "Esfahan", "Urmia": "Orumiyeh", "Hamadan": "Hamedan", "Ahvaz": "Ahwaz",
              "Nishapur": "Neyshabur", "Khaf": "Khavaf", "Tehran": "Teheran", "Qom": "Ghom"}


# --------------------------------------------------------------------------- perturbations


def _shift(value: str | None, days: int) -> str | None:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat() if value else value


def shift_dates(r: Row, days: int) -> Row:
    return dict(r, date_start=_shift(r.get("date_start"), days), date_end=_shift(r.get("date_end"), days))


def move(r: Row, km: float) -> Row:
    """The same event `km` further north, under another name and without a GeoNames id."""
    if r.get("latitude") is None:
        return dict(r, location="Nowhere", geo_precision="city")
    return dict(r, location="Elsewhere", geonameid=None, latitude=r["latitude"] + km / 111.2)


def respell(r: Row) -> Row:
    name = r.get("location")
    return dict(r, location=VARIANT_OF.get(name, name), geonameid=None, latitude=None, longitude=None)


EVENT_EDITS: list[Callable[[Row], list[Row]]] = [
    lambda r: [],                                           # dropped
    lambda r: [shift_dates(r, 1)],
    lambda r: [dict(r, date_end=_shift(r.get("date_end") or r.get("date_start"), 3))],  # lenient only
    lambda r: [dict(r, date_end=_shift(r.get("date_start"), 40))],  # too long a span
    lambda r: [move(r, 20)],
    lambda r: [move(r, 35)],
    lambda r: [move(r, 50)],
    lambda r: [respell(r)],
    lambda r: [r, dict(r)],                                 # duplicated
    lambda r: [dict(r, actor_class="unknown"), r],          # a tie decided by order
    lambda r: [dict(r, actor_class="unknown")],
    lambda r: [dict(r, event_type="arrest" if r["event_type"] != "arrest" else "protest")],
    lambda r: [dict(r, date_start="someday", date_end=None)],
    lambda r: [dict(r, geo_precision="province", location=None)],
    lambda r: [dict(r, doc="reports/" + r["doc"])],          # doc compared by base name
    lambda r: [r],
]


def edit_document(r: Row, i: int) -> list[Row]:
    days = (0, 2, 3, 4, -4, 30)[i % 6]
    return [] if i % 7 == 5 else [dict(r, published=_shift(r["published"], days))]


def edit_claim(r: Row, i: int) -> list[Row]:
    return [[], [dict(r, value=r["value"] + 1)], [dict(r, value=str(r["value"]))],
            [dict(r, category="other")], [r, r]][i % 5]


def edit_statement(r: Row, i: int) -> list[Row]:
    speaker = r["speaker"].split()[-1]
    return [[dict(r, speaker=f"Mr. {speaker}")], [dict(r, date=None)], [], [r, dict(r, date="2001-01-01")],
            [dict(r, speaker="Someone Else")]][i % 5]


OTHER_EDITS = {"document": edit_document, "claim": edit_claim, "statement": edit_statement}


def extras(gold: list[Row]) -> list[Row]:
    doc = next(r["doc"] for r in gold if r["kind"] == "event")
    return [
        {"kind": "event", "doc": doc, "event_type": "explosion", "location": "Tehran",
         "date_start": "2020-01-01", "actor_class": "state"},
        {"kind": "event", "doc": "not-in-gold.txt", "event_type": "protest", "location": "Tehran"},
        {"kind": "claim", "doc": doc, "value": 999999, "category": "killed"},
        {"kind": "statement", "doc": doc, "speaker": "Nobody In Particular"},
        {"kind": "document", "doc": "not-in-gold.txt", "published": "2020-01-01"},
    ]


def perturbed(gold: list[Row], pick: Callable[[int], int]) -> list[Row]:
    out: list[Row] = []
    for i, r in enumerate(copy.deepcopy(gold)):
        r.pop("optional", None)
        if r["kind"] == "event":
            out += EVENT_EDITS[pick(i) % len(EVENT_EDITS)](r)
        else:
            out += OTHER_EDITS[r["kind"]](r, pick(i))
    return out + extras(gold)


def prediction_sets(gold: list[Row]) -> dict[str, list[Row]]:
    sets = {
        "gold itself": gold,
        "gold without optional records": [r for r in gold if not r.get("optional")],
        "perturbed": perturbed(gold, lambda i: i),
        "perturbed, shuffled": perturbed(gold, lambda i: i * 5 + 3)[::-1],
        "empty": [],
    }
    for seed in (1, 2):
        rng = random.Random(seed)
        sets[f"random perturbation {seed}"] = perturbed(gold, lambda i, rng=rng: rng.randrange(100))
    return sets


# --------------------------------------------------------------------------- comparison


def reference(pred: list[Row], tmp_path: Path) -> tuple[dict[str, Any], str]:
    pred_path, json_path = tmp_path / "pred.jsonl", tmp_path / "summary.json"
    pred_path.write_text("".join(json.dumps(r) + "\n" for r in pred), encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(pred_path),
                           "--json", str(json_path), "--show-errors"],
                          capture_output=True, text=True, check=True, timeout=60)
    return json.loads(json_path.read_text()), done.stdout


def assert_same_numbers(ours: Any, theirs: Any, where: str = "") -> None:
    if isinstance(theirs, dict):
        assert ours.keys() == theirs.keys(), where
        for key in theirs:
            assert_same_numbers(ours[key], theirs[key], f"{where}.{key}")
    else:
        assert round(ours, 3) == round(theirs, 3), where


@pytest.fixture(scope="module")
def gold() -> list[Row]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@needs_shared
@pytest.mark.parametrize("case", ["gold itself", "gold without optional records", "perturbed",
                                  "perturbed, shuffled", "empty", "random perturbation 1",
                                  "random perturbation 2"])
def test_agrees_with_score_py(case: str, gold: list[Row], tmp_path: Path) -> None:
    pred = prediction_sets(gold)[case]
    theirs, printed = reference(pred, tmp_path)
    ours = evaluate(GOLD, pred)
    assert_same_numbers(ours, theirs)
    lines = format_summary(ours).splitlines()
    assert [*lines[:-1], *errors(GOLD, pred), lines[-1]] == printed.splitlines()


@needs_shared
def test_perturbations_reach_every_rule(gold: list[Row]) -> None:
    summary = evaluate(GOLD, prediction_sets(gold)["perturbed"])
    events = summary["events"]
    assert 0 < events["recall"] < 1 and events["fp"] > 0 and events["fn"] > 0
    assert 0 < events["date_strict"] < events["date_lenient"] < 1
    assert 0 < summary["documents"]["published_date_accuracy"] < 1
    assert 0 < summary["claims"]["f1"] < 1 and 0 < summary["statements"]["f1"] < 1


@needs_shared
def test_accepts_files_and_records(gold: list[Row], tmp_path: Path) -> None:
    as_file = tmp_path / "gold.jsonl"
    as_file.write_text(GOLD.read_text(encoding="utf-8"), encoding="utf-8")
    assert evaluate(gold, str(as_file)) == evaluate(GOLD, gold)


def test_ledger_records_are_scored() -> None:
    gold = [{"kind": "document", "doc": "a.txt", "published": "2020-07-05"},
            {"kind": "event", "doc": "a.txt", "event_type": "protest", "location": "Esfahan",
             "date_start": "2020-07-01", "date_end": "2020-07-01", "actor_class": "civilians"}]
    pred = [Document(doc="a.txt", published="2020-07-03"),
            Event(doc="a.txt", event_type="protest", location="Isfahan", date_start="2020-07-02",
                  actor_class="civilians")]
    s = evaluate(gold, pred)
    assert (s["events"]["tp"], s["events"]["date_strict"]) == (1, 1)
    assert s["documents"]["published_date_accuracy"] == 1
    assert errors(gold, []) == ["MISSED   a.txt protest Esfahan 2020-07-01 2020-07-01"]


def test_places() -> None:
    tehran = {"location": "Tehran", "latitude": 35.69439, "longitude": 51.42151}
    assert norm_name("Bandar-e Anzali") == norm_name("Anzali") == "bandaranzali"
    assert same_place(tehran, dict(tehran, location="X", latitude=35.69439 + 20 / 111.2))
    assert not same_place(tehran, dict(tehran, location="X", latitude=35.69439 + 50 / 111.2))
    assert same_place({"admin1": "Fars"}, {"admin1": "fars", "geo_precision": "province"})
    assert not same_place({"admin1": "Fars"}, {"location": "Shiraz", "admin1": "Fars"})
