"""The event lexicon written as lemmas: inflection expansion, the generated forms file, coverage."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from eventledger.data import path
from eventledger.stages import lexicon
from eventledger.stages.lexicon import INFLECTIONS_FILE, expand, find_triggers, lemma_phrase

ROOT = Path(__file__).resolve().parent.parent


def _types(text: str) -> set[tuple[str, str | None]]:
    return {(t.event_type, t.tactic) for t in find_triggers(text)}


def _event_types(text: str) -> set[str]:
    return {t.event_type for t in find_triggers(text)}


def test_inflections_file_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("build_inflections", ROOT / "scripts" / "build_inflections.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stored = path(INFLECTIONS_FILE).read_text(encoding="utf-8")
    assert stored == module.render(), "run scripts/build_inflections.py"


def test_placeholder_expands_to_the_selected_forms() -> None:
    forms = {"verb": {"stage": {"VB": ["stage"], "VBP": ["stage"], "VBZ": ["stages"], "VBD": ["staged"],
                                "VBG": ["staging"]}},
             "noun": {"rally": {"NN": ["rally"], "NNS": ["rallies"]}}}
    every = re.compile(rf"^{expand('<stage> a <rally:n>', forms)}$")
    for text in ("stage a rally", "stages a rally", "staged a rallies", "staging a rally"):
        assert every.match(text), text
    past = re.compile(rf"^{expand('<stage:ed,ing>', forms)}$")
    assert past.match("staged") and past.match("staging") and not past.match("stage") and not past.match("stages")


def test_missing_lemma_is_inflected_on_the_fly() -> None:
    pytest.importorskip("lemminflect")
    pattern = re.compile(rf"^{expand('<seize:ed>', {})}$")
    assert pattern.match("seized") and not pattern.match("seize")


def test_lemma_phrase_marks_the_head_word() -> None:
    assert lemma_phrase("take into custody", "verb") == "<take> into custody"
    assert lemma_phrase("detain", "verb", "ed,ing") == "<detain:ed,ing>"
    assert lemma_phrase("death sentence", "noun") == "death <sentence:n>"
    assert lemma_phrase("<go:ed> on strike", "verb") == "<go:ed> on strike"
    with pytest.raises(ValueError):
        lexicon._pos(["n", "ed"])


def test_lexicon_loads_lemma_entries_into_patterns() -> None:
    rules = lexicon.load().rules
    assert not any("<" in r.pattern.pattern and re.search(r"<[a-z]", r.pattern.pattern) for r in rules)


@pytest.mark.parametrize("text", ["Police arrested two students.", "Agents were arresting people.",
                                  "Three activists were detained.", "Guards are detaining workers."])
def test_lemma_entry_matches_inflected_forms(text: str) -> None:
    assert ("arrest", "arrest") in _types(text)
