"""The date grammar is data: calendars.toml's `[[date_rules]]` (pattern, builder, priority, ...),
its patterns written with fragments built from the same file's vocabulary."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

import eventledger.stages as stages_package
from eventledger.data import load_toml
from eventledger.stages import datehints, datepatterns
from eventledger.stages.dates import resolve
from eventledger.stages.datevocab import DateRule, _date_rule, vocab

FRAGMENT = re.compile(r"\{([A-Z_]+)(?::\w+)?\}")


def test_every_rule_names_a_known_builder_and_a_family_with_a_trigger() -> None:
    families = set(datehints.triggers(vocab())) | {"alone"}
    for row in vocab().rules:
        assert row.builder in datepatterns.BUILDERS or row.builder in datepatterns._FACTORIES, row.builder
        assert row.family in families, row.family
        assert 0 <= row.priority <= 5


def test_every_fragment_a_rule_uses_is_built() -> None:
    built = set(datepatterns._fragments())
    used = {name for row in vocab().rules for name in FRAGMENT.findall(row.pattern)}
    assert used and used <= built, used - built


def test_the_table_is_read_in_order_and_events_named_alone_get_a_rule_each() -> None:
    rows = load_toml("calendars.toml")["date_rules"]
    rules = datepatterns._rules()
    alone = [k for k, e in enumerate(vocab().events) if e.alone]
    assert len(rules) == len(rows) - 1 + len(alone)
    assert [family for _, _, _, _, family, _ in rules if family.startswith("alone:")] == [f"alone:{k}" for k in alone]
    assert [r.builder for r in vocab().rules][:3] == ["date", "date", "iso"]


def test_a_pattern_written_as_a_list_is_one_pattern() -> None:
    row = _date_rule({"pattern": ["ab", "cd"], "builder": "iso", "priority": 1, "family": "digit"})
    assert row.pattern == "abcd"


def test_an_unknown_field_or_builder_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fields"):
        _date_rule({"pattern": "x", "builder": "iso", "priority": 1, "family": "digit", "colour": "red"})
    with pytest.raises(ValueError, match="unknown builder 'fortnight'"):
        datepatterns._builder(DateRule(pattern="x", builder="fortnight", priority=1, family="digit"))


def test_seasons_come_from_the_seasons_table() -> None:
    seasons = set(vocab().seasons)
    fragment = datepatterns._fragments()["SEASON"]
    assert set(fragment.split("|")) == seasons
    assert seasons <= set(datehints.hint_words()["season"])
    assert seasons <= set(datehints.hint_words()["year_before"])  # "summer 2019": a bare year counts after one
    found = resolve("Strikes spread in the summer of 2019 and again in autumn 2021.", dt.date(2022, 1, 5))
    assert [(m.surface, m.date_start) for m in found] == [
        ("the summer of 2019", dt.date(2019, 6, 1)), ("autumn 2021", dt.date(2021, 9, 1))]


def _string_constants(path: Path) -> set[str]:
    """The strings a module's code holds (docstrings left out: they may give examples)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings}


def test_the_date_vocabulary_lives_only_in_calendars_toml() -> None:
    v = vocab()
    words = {*v.seasons, *(m.lower() for m in v.months), *(w.lower() for w in v.weekdays)}
    folder = Path(stages_package.__file__).parent
    modules = [folder / name for name in ("datepatterns.py", "datehints.py", "datetext.py", "datevocab.py", "dates.py")]
    for path in [*modules, folder.parent / "ingest" / "text.py"]:
        name = path.name
        strings = _string_constants(path)
        spelled = {w for w in words for s in strings  # as vocabulary is written: "may", "May" (not "MON", a fragment)
                   if re.search(rf"(?<![A-Za-z])(?:{re.escape(w)}|{re.escape(w.capitalize())})(?![A-Za-z])", s)}
        assert not spelled, f"{name} spells out {sorted(spelled)}"
