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


@pytest.mark.parametrize(("text", "kind"), [
    ("Security agents took him into custody at his workplace.", ("arrest", "arrest")),
    ("Two teachers were taken into police custody on Monday.", ("arrest", "arrest")),
    ("Officers seized three activists outside the court.", ("arrest", "arrest")),
    ("The student was taken to an unknown location.", ("arrest", "disappearance")),
    ("Relatives reported the abduction of a lawyer.", ("arrest", "disappearance")),
    ("A young mechanic lost his life when agents fired at the crowd.", ("assault", "unspecified")),
    ("The cook died of his wounds in hospital.", ("assault", "unspecified")),
    ("She died during the protests in the provincial capital.", ("assault", "unspecified")),
    ("A farmer died after being beaten by guards.", ("assault", "custody")),
    ("The teacher died in custody last week.", ("assault", "custody")),
    ("Rights groups confirmed the death of the blogger in detention.", ("assault", "custody")),
    ("His body was handed over to his family a week later.", ("assault", "unspecified")),
    ("The driver was martyred near the main square.", ("assault", "unspecified")),
    ("Gunmen assassinated a local official.", ("assault", "unspecified")),
    ("The labourer died of gunshot wounds.", ("assault", "shooting")),
    ("He was sent to the gallows at dawn.", ("execution", "hanging")),
    ("The death sentence of the prisoner was carried out on Sunday.", ("execution", "unspecified")),
    ("Two soldiers were executed by firing squad.", ("execution", "unspecified")),
    ("A court condemned the poet to death.", ("sentence", "death")),
    ("The appeals court upheld the death sentence of a miner.", ("sentence", "death")),
    ("The editor was convicted of spreading propaganda.", ("sentence", "indictment")),
    ("Nurses staged a sit-in outside the ministry.", ("protest", "rally")),
    ("Retirees are staging a rally in the capital.", ("protest", "rally")),
    ("Farmers organised a protest at the dam.", ("protest", "rally")),
    ("Workers picketed the plant over unpaid wages.", ("protest", "rally")),
    ("Bus drivers went on strike on Tuesday.", ("protest", "strike")),
    ("Truckers have gone on strike across the province.", ("protest", "strike")),
    ("Students walked out of class and gathered in the yard.", ("protest", "rally")),
    ("Looters ransacked the governor's office.", ("property_attack", "vandalism")),
    ("Crowds were setting fire to a police kiosk.", ("property_attack", "arson")),
    ("The two sides exchanged gunfire for an hour.", ("armed_clash", "clash")),
    ("An improvised explosive device hit a patrol.", ("explosion", "bomb")),
    ("Militants fired rockets at the base.", ("explosion", "shelling")),
])
def test_new_constructions(text: str, kind: tuple[str, str]) -> None:
    assert kind in _types(text)


@pytest.mark.parametrize("text", [
    "The poet died of cancer in 2019.",
    "His grandmother died peacefully at home.",
    "She died a natural death at the age of ninety.",
    "The actor died in a hospital in the capital.",
    "He was transferred to the central prison.",
    "The lawyer was summoned to the prosecutor's office.",
    "She died of a heart attack before the protests began.",
])
def test_no_violent_death_or_arrest_without_a_cue(text: str) -> None:
    assert not (_event_types(text) & {"assault", "arrest", "execution"})


def test_walked_out_of_is_not_a_strike() -> None:
    assert ("protest", "strike") not in _types("He walked out of prison after ten years.")


def test_bullets_that_hit_are_a_shooting() -> None:
    assert ("assault", "shooting") in _types("The bullets that hit him came from a rooftop.")


@pytest.mark.parametrize("text", [
    "Angry farmers blocked the main highway with their tractors.",
    "Residents of the district blocked roads with burning tyres.",
])
def test_a_blockade_by_protesters_is_a_protest(text: str) -> None:
    assert "protest" in _event_types(text)


def test_a_blockade_by_the_police_is_no_protest() -> None:
    assert "protest" not in _event_types("Riot police blocked the roads leading to the square.")


@pytest.mark.parametrize("text", ["Students staged a march from the campus to the square.",
                                  "Mourners held a silent procession through the bazaar."])
def test_a_staged_march_or_procession_is_a_march(text: str) -> None:
    assert ("protest", "march") in _types(text)
