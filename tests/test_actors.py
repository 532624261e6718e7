"""Actor dictionary: normalisation, classes, short aliases, anaphora."""

from __future__ import annotations

from eventledger.stages.actors import actor_class, find_actors, load, lookup


def test_aliases_normalise_to_one_actor_with_its_class() -> None:
    assert lookup("the Islamic Revolutionary Guard Corps").name == "IRGC"
    assert lookup("IRGC").actor_class == "state"
    assert lookup("People's Mojahedin Organization of Iran").name == "PMOI/MEK"
    assert actor_class("state-run media") == "state"
    assert actor_class("retirees") == "civilians"
    assert actor_class("Amnesty International") == "foreign"
    assert actor_class("a person nobody knows") == "unknown"


def test_short_aliases_match_only_in_capitals() -> None:
    text = "The UN condemned the un-Islamic ruling; the EU agreed. Tell us more."
    names = [m.actor.name for m in find_actors(text)]
    assert names == ["United Nations", "European Union"]


def test_anaphora_resolves_to_the_actor_last_named() -> None:
    text = ("The Resistance Units put up posters. These units also wrote slogans. "
            "Police arrested two men; they were armed.")
    found = [(m.surface, m.actor.name, m.anaphoric) for m in find_actors(text)]
    assert ("These units", "Resistance Units", True) in found
    assert not any(s == "they" for s, _, _ in found if _ == "Police"), "'they' never resolves to the state"


def test_offsets_point_at_the_surface() -> None:
    text = "Yesterday the Basij militia attacked students."
    for m in find_actors(text, offset=100):
        assert text[m.start - 100:m.end - 100] == m.surface


def test_user_file_extends_the_dictionary(tmp_path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[[actor]]\nname = "Neighbourhood Youth"\nclass = "civilians"\n'
                     'aliases = ["neighbourhood youth"]\n')
    index = load(str(extra))
    assert lookup("neighbourhood youth", index=index).name == "Neighbourhood Youth"
    assert lookup("IRGC", index=index).name == "IRGC"


def test_trie_search_finds_what_the_alternations_find() -> None:
    """The fast path of `_raw_mentions` (two trie-shaped patterns) against the `Alternation` scans."""
    from eventledger.stages.actors import ActorIndex, _raw_mentions

    index = load()
    assert index.tries is not None
    slow = ActorIndex(index.by_alias, index.names, index.short_names, index.anaphora, None)
    texts = ["The Islamic  Revolutionary Guard Corps and the IRGC-affiliated Basij; the IRGCs; U.S. and US/UN.",
             "MEK Resistance Units, the MEK's units, mek, Mek; PMOI/MEK members.\nThey said the regime's forces",
             "the units' posters; (Amnesty International) HRW/IHR; the network,the cells;they",
             "Iran Human Rights Monitor, Iran Human Rightsx, Ministry of Intelligence and Security Street",
             "İİ the IRGC ſecurity forces ı", "", "UN", "the units"]
    for text in texts:
        assert _raw_mentions(text, index) == _raw_mentions(text, slow), text


def test_a_state_body_named_twice_in_one_phrase_is_one_mention() -> None:
    text = "On Monday IRGC intelligence agents raided a home in the city, and police and security forces watched."
    mentions = [(m.surface, m.actor.name) for m in find_actors(text)]
    assert mentions[0] == ("IRGC intelligence", "Intelligence Ministry")
    assert ("agents", "Security forces") not in mentions  # the head of the same phrase
    assert ("security forces", "Security forces") in mentions  # "police and security forces": two bodies
