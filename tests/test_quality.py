"""`eventledger quality`: the gate's exit code against its floors, and the error kinds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventledger import quality as q
from eventledger.cli import main
from eventledger.models import Place, PlaceMention, Report
from eventledger.pipeline import Pipeline
from eventledger.stages.events import Dropped, explain_events

TABRIZ = {"location": "Tabriz", "admin1": "East Azerbaijan", "country": "IR", "geo_precision": "city",
          "geonameid": 113646, "latitude": 38.08, "longitude": 46.2919}
SHIRAZ = {"location": "Shiraz", "admin1": "Fars", "country": "IR", "geo_precision": "city",
          "geonameid": 115019, "latitude": 29.61031, "longitude": 52.53113}
EAST_AZ = {"location": None, "admin1": "East Azerbaijan", "country": "IR", "geo_precision": "province"}
COUNTRY = {"location": None, "admin1": None, "country": "IR", "geo_precision": "country"}


def event(event_type: str | list[str], place: dict, doc: str = "d1", date: str = "2024-05-02") -> dict:
    return {"kind": "event", "doc": doc, "event_type": event_type, "date_start": date, "date_end": date, **place}


def mention(place: dict, role: str = "event") -> PlaceMention:
    level = place["geo_precision"]
    name = place["location"] if level == "city" else place["admin1"]
    entry = Place(name=name, level=level, admin1=place["admin1"], geonameid=place.get("geonameid"),
                  latitude=place.get("latitude"), longitude=place.get("longitude"))
    return PlaceMention(0, len(name), name, entry, role)


def facts(types: set[str] = frozenset({"arrest"}), places: tuple = (), dropped: tuple = ()) -> q.DocFacts:
    return q.DocFacts(frozenset(types), tuple(places), tuple(dropped))


# --------------------------------------------------------------------------- the gate


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A shared folder with one tiny dev set: two reports, one event the extractor finds and one it cannot."""
    folder = tmp_path / "shared" / "dev" / "tiny"
    folder.mkdir(parents=True)
    docs = [
        {"id": "t1", "published": "2024-05-03",
         "text": "Police arrested four students in Tabriz on Thursday, a rights group said.\n"},
        {"id": "t2", "published": "2024-05-03", "text": "The weather was mild all week.\n"},
    ]
    gold = [event("arrest", TABRIZ, "t1", "2024-05-02"), event("protest", SHIRAZ, "t2", "2024-05-01")]
    (folder / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    (folder / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    return tmp_path / "shared"


def run_gate(shared: Path, floors: dict, tmp_path: Path, *extra: str):
    path = tmp_path / "floors.json"
    path.write_text(json.dumps(floors), encoding="utf-8")
    args = ["quality", "--shared", str(shared), "--floors", str(path), "--set", "tiny", "-w", "1", "-q", *extra]
    return CliRunner().invoke(main, args)


def test_gate_passes_at_its_floors_and_writes_json(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    floors = {"margin": 0.005, "floors": {"tiny": {"events_recall": 0.5, "events_precision": 1.0}}}
    result = run_gate(shared, floors, tmp_path, "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "tiny" in result.output and "quality gate passed: 2 of 2" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["passed"] is True
    assert data["sets"]["tiny"]["figures"]["events_recall"] == pytest.approx(0.5)
    assert {c["metric"] for c in data["checks"]} == {"events_recall", "events_precision"}


def test_gate_fails_when_a_floor_is_above_the_score(shared: Path, tmp_path: Path) -> None:
    result = run_gate(shared, {"margin": 0.005, "floors": {"tiny": {"events_recall": 0.6}}}, tmp_path)
    assert result.exit_code == 1, result.output
    assert "BELOW FLOOR  tiny events_recall 0.500 < floor 0.600" in result.output


def test_gate_forgives_a_drop_within_the_margin(shared: Path, tmp_path: Path) -> None:
    result = run_gate(shared, {"margin": 0.005, "floors": {"tiny": {"events_recall": 0.504}}}, tmp_path)
    assert result.exit_code == 0, result.output
    result = run_gate(shared, {"margin": 0.0, "floors": {"tiny": {"events_recall": 0.504}}}, tmp_path)
    assert result.exit_code == 1, result.output


def test_floors_of_absent_sets_are_skipped_with_a_note(shared: Path, tmp_path: Path) -> None:
    floors = {"margin": 0.005, "floors": {"tiny": {"events_recall": 0.5}, "missing": {"events_f1": 0.9}}}
    path = tmp_path / "floors.json"
    path.write_text(json.dumps(floors), encoding="utf-8")
    sets = q.find_sets(shared, own=tmp_path / "no-own-gold")
    results = q.run_sets(sets, workers=1)
    verdict = q.judge(results, *q.load_floors(path))
    assert verdict.passed and [c.set for c in verdict.checks] == ["tiny"]
    assert verdict.skipped == ["missing: set not found, 1 floors skipped"]


def test_update_floors_writes_rounded_down_figures(shared: Path, tmp_path: Path) -> None:
    result = run_gate(shared, {"about": "kept", "margin": 0.01, "floors": {}}, tmp_path, "--update-floors")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "floors.json").read_text(encoding="utf-8"))
    assert data["about"] == "kept" and data["margin"] == 0.01
    assert data["floors"]["tiny"]["events_recall"] == 0.5
    assert "claims_f1" not in data["floors"]["tiny"]  # the tiny gold codes no claims


def test_gate_errors_sort_the_miss(shared: Path, tmp_path: Path) -> None:
    result = run_gate(shared, {"floors": {}}, tmp_path, "--errors")
    assert result.exit_code == 0, result.output
    assert "no trigger" in result.output and "t2" in result.output


def test_unknown_set_is_a_usage_error(shared: Path, tmp_path: Path) -> None:
    path = tmp_path / "floors.json"
    path.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["quality", "--shared", str(shared), "--floors", str(path), "--set", "nope"])
    assert result.exit_code == 2


def test_sets_found_in_a_shared_folder(tmp_path: Path) -> None:
    (tmp_path / "corpus" / "seeds").mkdir(parents=True)
    (tmp_path / "corpus" / "gold.jsonl").write_text("", encoding="utf-8")
    for name, readme in (("notes", "P/R/F1 meaningful"), ("cases", "Only RECALL is\nmeaningful: ...")):
        folder = tmp_path / "dev" / name
        folder.mkdir(parents=True)
        for f in ("docs.jsonl", "gold.jsonl"):
            (folder / f).write_text("", encoding="utf-8")
        (folder / "README.md").write_text(readme, encoding="utf-8")
    sets = q.find_sets(tmp_path, own=tmp_path / "none")
    assert [(s.name, s.recall_only) for s in sets] == [("seeds", False), ("cases", True), ("notes", False)]
    assert [s.name for s in q.find_sets(None)][:1] == ["own"]  # the committed gold corpus


def test_round_down() -> None:
    assert q.round_down(0.7777) == 0.777 and q.round_down(0.61) == 0.61 and q.round_down(1.0) == 1.0


# --------------------------------------------------------------------------- kinds of misses


def test_miss_with_no_trigger_in_the_document() -> None:
    assert q.classify_miss(event("arrest", TABRIZ), [], facts(set())) == q.NO_TRIGGER


def test_miss_of_a_place_the_gazetteer_lacks() -> None:
    unknown = {"location": "Xqzzyabad", "admin1": "Fars", "geo_precision": "city"}
    assert q.classify_miss(event("arrest", unknown), [], facts()) == q.NOT_IN_GAZETTEER
    assert q.in_gazetteer(event("arrest", TABRIZ)) and q.in_gazetteer(event("arrest", EAST_AZ))


def test_miss_of_a_place_never_recognised() -> None:
    assert q.classify_miss(event("arrest", TABRIZ), [], facts(places=[mention(SHIRAZ)])) == q.NO_PLACE


def test_miss_of_a_place_named_only_as_a_dateline() -> None:
    got = q.classify_miss(event("arrest", TABRIZ), [], facts(places=[mention(TABRIZ, "dateline")]))
    assert got == "place named only as dateline"


def test_miss_by_type_and_by_place() -> None:
    seen = facts(places=[mention(TABRIZ)])
    gold = event("arrest", TABRIZ)
    assert q.classify_miss(gold, [event("protest", TABRIZ)], seen) == q.WRONG_TYPE
    assert q.classify_miss(gold, [event("arrest", EAST_AZ)], seen) == q.COARSER
    assert q.classify_miss(gold, [event("arrest", COUNTRY)], seen) == q.COARSER
    assert q.classify_miss(gold, [event("arrest", SHIRAZ)], seen) == q.WRONG_PLACE
    assert q.classify_miss(gold, [event("arrest", TABRIZ)], seen) == q.MERGED
    assert q.classify_miss(event(["execution", "arrest"], TABRIZ), [event("protest", TABRIZ)], seen) == q.WRONG_TYPE


def test_miss_dropped_by_a_filter_names_the_filter() -> None:
    dropped = (Dropped(5, 11, "arrest", None, "modal or negated"),
               Dropped(40, 48, "arrest", "Tabriz", "history (too old)"),
               Dropped(60, 66, "protest", "Tabriz", "heading"))
    seen = facts({"arrest", "protest"}, [mention(TABRIZ)], dropped)
    assert q.classify_miss(event("arrest", TABRIZ), [], seen) == "dropped by a filter: history (too old)"
    assert q.classify_miss(event("protest", TABRIZ), [], seen) == "dropped by a filter: heading"


def test_miss_with_no_trigger_of_its_type() -> None:
    seen = facts({"protest"}, [mention(TABRIZ)])
    assert q.classify_miss(event("arrest", TABRIZ), [], seen) == q.NO_TRIGGER_OF_TYPE


# --------------------------------------------------------------------------- kinds of false alarms


def test_false_alarm_kinds() -> None:
    city = event("arrest", TABRIZ)
    assert q.classify_false_alarm(city, [], [city]) == q.FA_NO_GOLD
    assert q.classify_false_alarm(event("arrest", COUNTRY), [city], []) == q.FA_COUNTRY
    province = event("arrest", EAST_AZ)
    assert q.classify_false_alarm(province, [event("protest", SHIRAZ)], [province, city]) == q.FA_PROVINCE_DUP
    assert q.classify_false_alarm(province, [city], [province]) == q.FA_COARSER
    assert q.classify_false_alarm(city, [city], [city, city]) == q.FA_DUPLICATE
    assert q.classify_false_alarm(event("protest", TABRIZ), [city], []) == q.FA_WRONG_TYPE
    assert q.classify_false_alarm(event("arrest", SHIRAZ), [city], []) == q.FA_NOT_IN_GOLD


def test_error_kinds_counts_and_examples() -> None:
    gold = [event("arrest", TABRIZ, "a"), event("arrest", TABRIZ, "b"), event("protest", SHIRAZ, "b")]
    pred = [event("arrest", COUNTRY, "a"), event("arrest", TABRIZ, "b"), event("protest", TABRIZ, "b")]
    kinds = q.error_kinds(gold, pred)
    assert kinds["missed"] == {q.COARSER: {"count": 1, "examples": ["a"]},
                               q.WRONG_PLACE: {"count": 1, "examples": ["b"]}}
    assert kinds["false_alarms"] == {q.FA_COUNTRY: {"count": 1, "examples": ["a"]},
                                     q.FA_WRONG_TYPE: {"count": 1, "examples": ["b"]}}


# --------------------------------------------------------------------------- the trace in events.py


def test_explain_events_names_each_filter() -> None:
    text = ("Strike in Ahvaz\n"
            "Iran, May 3, 2024 — Workers might strike in Shiraz next week. Police arrested four activists in "
            "Tabriz on Thursday. In 2009, security forces killed protesters in Tehran. A speaker shouted "
            "\"we will rally in Qom\".\n")
    analysis = Pipeline()(Report(doc="x", text=text, published=dt.date(2024, 5, 3)))
    reasons = {(text[d.start:d.end], d.reason) for d in explain_events(analysis)}
    assert ("Strike", "heading") in reasons
    assert ("strike", "modal or negated") in reasons
    assert ("killed", "history (too old)") in reasons
    assert ("rally", "inside a quotation") in reasons
    assert [e.location for e in analysis.events] == ["Tabriz"]  # the trace changes no event
    assert not any(text[d.start:d.end] == "arrested" for d in explain_events(analysis))


def test_evaluate_counts_error_kinds_from_records(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold.write_text(json.dumps(event("arrest", TABRIZ)) + "\n" + json.dumps(event("protest", SHIRAZ)) + "\n",
                    encoding="utf-8")
    pred.write_text(json.dumps(event("arrest", COUNTRY)) + "\n", encoding="utf-8")
    out = tmp_path / "summary.json"
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--pred", str(pred), "--error-kinds",
                                       "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert f"1  {q.COARSER}" in result.output and q.NOT_PREDICTED in result.output
    kinds = json.loads(out.read_text(encoding="utf-8"))["error_kinds"]
    assert kinds["false_alarms"] == {q.FA_COUNTRY: {"count": 1, "examples": ["d1"]}}
