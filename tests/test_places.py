"""Stage places.v1: recognition, disambiguation and roles, on sentences written for these tests."""

from __future__ import annotations

import pytest

from eventledger.models import Analysis, PlaceMention, Report
from eventledger.stages.places import find_places, recognise, report_country, span_country


def mentions(text: str) -> list[PlaceMention]:
    found = recognise(text)
    for m in found:
        assert text[m.start:m.end] == m.surface
    assert [m.start for m in found] == sorted(m.start for m in found)
    return found


def by_surface(text: str) -> dict[str, PlaceMention]:
    return {m.surface: m for m in mentions(text)}


def cities(text: str) -> list[str]:
    return [m.place.name for m in mentions(text) if m.place.level == "city" and m.role in ("event", "site")]


# ----------------------------------------------------------------------------- names and variants


@pytest.mark.parametrize(("surface", "name", "province"), [
    ("Ahwaz", "Ahvaz", "Khuzestan"), ("Hamedan", "Hamadan", "Hamadan"), ("Khavaf", "Khaf", "Razavi Khorasan"),
    ("Khvaf", "Khaf", "Razavi Khorasan"), ("Neyshabur", "Nishapur", "Razavi Khorasan"),
    ("Nishabur", "Nishapur", "Razavi Khorasan"), ("Orumiyeh", "Urmia", "West Azerbaijan"),
    ("Urumieh", "Urmia", "West Azerbaijan"), ("Anzali", "Bandar Anzali", "Gilan"),
    ("Bandar-e Anzali", "Bandar Anzali", "Gilan"), ("Noshahr", "Nowshahr", "Mazandaran"),
    ("Bandar Mahshahr", "Mahshahr", "Khuzestan"), ("Shahr-e Kord", "Shahrekord", "Chaharmahal and Bakhtiari"),
    ("Esfahan", "Isfahan", "Isfahan"), ("Yasouj", "Yasuj", "Kohgiluyeh and Boyer-Ahmad"),
    ("Shahriyar", "Shahriar", "Tehran"), ("Meshed", "Mashhad", "Razavi Khorasan"), ("Ghom", "Qom", "Qom"),
    ("Ghazvin", "Qazvin", "Qazvin"), ("Bakhtaran", "Kermanshah", "Kermanshah"),
    ("Babol Sar", "Babolsar", "Mazandaran"),
    ("Bandar-e Abbas", "Bandar Abbas", "Hormozgan"), ("Bandar Abbās", "Bandar Abbas", "Hormozgan"),
    ("Mashhad", "Mashhad", "Razavi Khorasan"),
])
def test_spelling_variants(surface: str, name: str, province: str) -> None:
    text = f"Workers went on strike in {surface} on Tuesday."
    (m,) = mentions(text)
    got = (m.surface, m.place.name, m.place.admin1, m.place.level, m.role)
    assert got == (surface, name, province, "city", "event")


def test_persian_script_with_zero_width_non_joiner() -> None:
    found = by_surface("تجمع در تهران و مشهد و اسلام\u200cشهر برگزار شد.")
    assert found["تهران"].place.name == "Tehran"
    assert found["مشهد"].place.name == "Mashhad"
    assert found["اسلام\u200cشهر"].place.name == "Eslamshahr"


def test_possessive_and_offsets() -> None:
    text = "Tabriz’s teachers marched while Kerman's nurses went on strike."
    assert [m.surface for m in mentions(text)] == ["Tabriz", "Kerman"]


def test_province_names_and_variants() -> None:
    found = by_surface("Villagers in Kordestan, Sistan-Baluchestan and Kohkiluyeh and Boyer Ahmad protested.")
    assert {m.place.name for m in found.values()} == {"Kurdistan", "Sistan and Baluchestan",
                                                     "Kohgiluyeh and Boyer-Ahmad"}
    assert all(m.place.level == "province" for m in found.values())


# ----------------------------------------------------------------------------- spellings no name in the gazetteer has


@pytest.mark.parametrize(("surface", "name", "province"), [
    ("Kirmanshah", "Kermanshah", "Kermanshah"), ("Ghahderijan", "Qahderijan", "Isfahan"),
    ("Kazirun", "Kazerun", "Fars"), ("Tchabahar", "Chabahar", "Sistan and Baluchestan"),
    ("Shoushtar", "Shushtar", "Khuzestan"),
    ("Bodjnourd", "Bojnurd", "North Khorasan"), ("Piranshehr", "Piranshahr", "West Azerbaijan"),
    ("Mobarake", "Mobarakeh", "Isfahan"),
])
def test_cued_spelling_variants_fold(surface: str, name: str, province: str) -> None:
    for text in (f"Retirees rallied in {surface} city on Sunday.", f"Shops closed in the town of {surface}.",
                 f"Nurses protested in {surface} ({province})."):
        (m,) = [m for m in mentions(text) if m.role == "event"]
        assert (m.surface, m.place.name, m.place.admin1, m.place.level) == (surface, name, province, "city"), text
        assert m.confidence < 0.9  # (a folded spelling is less sure than a known one)


@pytest.mark.parametrize(("surface", "name", "province"), [
    ("Meibod", "Meybod", "Yazd"), ("Qoochan", "Quchan", "Razavi Khorasan"),
])
def test_short_skeletons_fold_only_in_the_province_named(surface: str, name: str, province: str) -> None:
    found = by_surface(f"Nurses protested in {surface} ({province}).")
    assert (found[surface].place.name, found[surface].place.admin1) == (name, province)
    assert cities(f"Retirees rallied in {surface} city on Sunday.") == []


def test_folded_name_takes_the_town_of_the_province_named() -> None:
    found = by_surface("Farmers gathered in Mobarake (Yazd) and in Esfarayin, North Khorasan province.")
    assert (found["Mobarake"].place.name, found["Mobarake"].place.admin1) == ("Mobarakeh", "Yazd")
    assert (found["Esfarayin"].place.name, found["Esfarayin"].place.admin1) == ("Esfarayen", "North Khorasan")
    assert found["North Khorasan"].role == "qualifier"


def test_folded_village_needs_its_province() -> None:
    named = by_surface("Police beat farmers in Ghareh Khezer village (East Azerbaijan) on Monday.")
    assert (named["Ghareh Khezer"].place.name, named["Ghareh Khezer"].place.admin1) == (
        "Qareh Khezer", "East Azerbaijan")
    near = by_surface("Police beat farmers in Ghareh Khezer village near Bonab on Monday.")
    assert near["Ghareh Khezer"].place.name == "Qareh Khezer"
    assert cities("Police beat farmers in Ghareh Khezer village on Monday.") == []
    assert cities("Police beat farmers in Ghareh Khezer village (Kerman) on Monday.") == []


@pytest.mark.parametrize(("surface", "name"), [
    ("Zandjan", "Zanjan"), ("Samnan", "Semnan"), ("Golistan", "Golestan"), ("Boushehr", "Bushehr"),
    ("North Khurasan", "North Khorasan"),
])
def test_cued_province_spellings_fold(surface: str, name: str) -> None:
    for text in (f"Bakers struck across {surface} province.", f"Bakers struck across the province of {surface}."):
        found = by_surface(text)
        assert (found[surface].place.name, found[surface].place.level) == (name, "province"), text


def test_folded_province_places_a_folded_town() -> None:
    found = by_surface("Bakers struck in Kirmanshah city, Boushehr province, and in Meibod city, Yazd province.")
    assert "Kirmanshah" not in found  # (Kermanshah lies in another province: some other place)
    assert found["Boushehr"].place.name == "Bushehr"
    assert (found["Meibod"].place.name, found["Yazd"].role) == ("Meybod", "qualifier")


def test_no_fold_without_a_cue_or_under_five_letters() -> None:
    assert mentions("Kirmanshah was quiet while teachers wrote letters.") == []
    assert cities("Workers rallied in Bamm city.") == []


def test_a_known_name_is_never_folded() -> None:
    (m,) = mentions("Teachers rallied in Khorramabad county.")
    (plain,) = mentions("Teachers rallied in Khorramabad.")
    assert (m.place, m.confidence) == (plain.place, plain.confidence)
    assert (m.place.name, m.place.admin1) == ("Khorramabad", "Lorestan")


def test_no_fold_of_part_of_a_longer_name_or_a_person() -> None:
    # the whole run of capitalised words is the name: no town hides in its last word
    assert cities("Families gathered in Chal Kirmanshah village (Kermanshah).") == []
    assert [m.surface for m in mentions("Police detained Ali Rezaei (Tehran) on Monday.")] == ["Tehran"]
    assert cities("A rally near Kirmanshah Street was dispersed.") == []


# ----------------------------------------------------------------------------- ordinary words


def test_ordinary_words_are_not_places() -> None:
    text = ("Of course the Central Bank said in March that the University and the Police would act. "
            "Free elections, Mass arrests and Death sentences were debated; Down with the dictator, No Shah, "
            "No Sheikh, they shouted at the Leader. Ten members of Parliament met on Friday for Independence "
            "Day, while Islam, Pride and the Stock market were discussed.")
    assert mentions(text) == []


PROSE = """Officials said on Monday that the budget would be debated again before the end of March. The
Finance Minister told reporters that Inflation had slowed, but Economists at the Central Bank were not
convinced. Reading the figures, one analyst said Spring would bring higher prices for Bread, Rice and Oil.

In a Statement issued on Friday, the Union of Teachers called for a Strike. Its leader, Ali Hosseini, said
Mahsa, Sara and Maryam had joined the Council. Hossein Karimi and Amir Mohammadi, two Students at the
University, were released. Mr. Sharif and Mrs. Raisi spoke for the Judiciary and the Police.

The Supreme Leader gave a Speech. Free Speech, Mass Media and Death Penalty were the topics. Independence
Day, Pride Month and Resistance Week were mentioned. Amnesty International, Human Rights Watch and the United
Nations asked for an Inquiry. The President, the Parliament and the Guardian Council answered on Sunday.

Ten Workers of the Steel Company and Nurses of the Public Hospital marched Down the road. Victory, Liberty and
Justice were painted on the Wall. Reuters, the Associated Press and Agence France-Presse reported it. Nice weather
on Saturday brought Mobile phones and Golden lights to the Park.
"""


def test_news_prose_without_places_has_no_hits() -> None:
    assert mentions(PROSE) == []


def test_person_names_glued_to_small_town_names() -> None:
    assert cities("Mehran Samak was shot after a football match.") == []
    assert cities("Trucks crossed the border at Mehran yesterday.") == ["Mehran"]


def test_blocked_phrases() -> None:
    assert mentions("Fars News Agency and the Qods Force said so.") == []


def test_short_capitals_are_not_small_towns() -> None:
    assert mentions("The MEK and the IRGC and the MOIS and NCRI.") == []


# ----------------------------------------------------------------------------- datelines


def test_paris_dateline() -> None:
    text = "PARIS, FRANCE, September 25, 2021 — Activists rallied in Mashhad and Shiraz."
    found = by_surface(text)
    assert found["PARIS"].role == "dateline" and found["PARIS"].place.country == "FR"
    assert found["FRANCE"].role == "dateline" and found["FRANCE"].place.level == "country"
    assert found["Mashhad"].role == "event" and found["Shiraz"].role == "event"


@pytest.mark.parametrize(("text", "name"), [
    ("Iran, June 4, 2020—Resistance Units were active in Rasht.", "Iran"),
    ("TEHRAN (Reuters) - Prices rose in Tabriz.", "Tehran"),
    ("Headline\n\nMashhad, Iran, 12 May 2023 - Teachers marched in Neyshabur.", "Mashhad"),
    ("TEHRAN, Oct. 3 (IRNA) \u2013 Police detained 14 people in Mashhad.", "Tehran"),
    ("Headline\n\nTabriz, 12 May \u2014 Teachers marched in Neyshabur.", "Tabriz"),
])
def test_other_datelines(text: str, name: str) -> None:
    found = mentions(text)
    assert found[0].role == "dateline" and found[0].place.name == name
    assert found[-1].role == "event"


def test_city_mid_sentence_is_not_a_dateline() -> None:
    (m,) = mentions("Protesters in Tehran - and elsewhere - chanted.")
    assert m.role == "event"


# ----------------------------------------------------------------------------- provinces and cities


def test_provinces_in_a_list_of_cities_stay_provinces() -> None:
    found = by_surface("Activities were held in Tehran, Rasht, Lorestan, Zahedan, Mazandaran and Qom.")
    assert found["Lorestan"].place.level == "province" and found["Mazandaran"].place.level == "province"
    assert found["Qom"].place.level == "city" and found["Tehran"].place.level == "city"


@pytest.mark.parametrize("text", [
    "Farmers protested in Kermanshah province.",
    "Farmers protested in the province of Kermanshah.",
    "Farmers protested in Kermanshah Province on Monday.",
])
def test_named_province(text: str) -> None:
    (m,) = mentions(text)
    assert m.place.level == "province" and m.place.name == "Kermanshah" and m.place.admin1_code


def test_city_and_province_name_is_the_city_by_default() -> None:
    for name in ("Qom", "Yazd", "Semnan", "Kermanshah", "Hamadan", "Isfahan", "Tehran", "Kerman", "Ardabil",
                 "Qazvin", "Zanjan", "Bushehr", "Ilam"):
        (m,) = mentions(f"Retirees gathered in {name} on Sunday.")
        assert m.place.level == "city" and m.place.admin1 == m.place.name, name


def test_city_with_a_street() -> None:
    found = by_surface("In Yazd, posters appeared on Enghelab Street and Resalat Street in Kashan.")
    assert cities("In Yazd, posters appeared on Enghelab Street and Resalat Street in Kashan.") == ["Yazd", "Kashan"]
    assert found["Yazd"].place.level == "city"


def test_street_named_like_a_town_is_a_street_of_the_city() -> None:
    found = mentions("In Shiraz, youths gathered in Azadi Square and on Golestan Boulevard.")
    assert [m.place.name for m in found if m.role == "event"] == ["Shiraz"]
    assert all(m.place.name == "Shiraz" for m in found if m.role == "street")


def test_district_takes_its_city() -> None:
    found = mentions("In Tehran, images were projected on Farhan Boulevard in Saadat Abad.")
    assert [m.place.name for m in found] == ["Tehran", "Tehran"]
    assert found[1].role == "street"


# ----------------------------------------------------------------------------- sites


@pytest.mark.parametrize(("text", "city"), [
    ("He was moved to Vakilabad Prison last week.", "Mashhad"),
    ("She is held in Evin Prison.", "Tehran"),
    ("She is held in Evin.", "Tehran"),
    ("Three were hanged in Ghezel Hesar.", "Karaj"),
    ("Three were hanged in Qezel Hesar Prison.", "Karaj"),
    ("Women in Qarchak prison went on hunger strike.", "Varamin"),
    ("He was transferred to Rajaei Shahr Prison.", "Karaj"),
    ("He was transferred to Gohardasht.", "Karaj"),
    ("He died in Dizelabad Prison.", "Kermanshah"),
    ("Inmates of Sheiban Prison rioted.", "Ahvaz"),
    ("Inmates of Adelabad Prison rioted.", "Shiraz"),
    ("Inmates of Lakan Prison rioted.", "Rasht"),
    ("Two students of the Sharif University of Technology were detained.", "Tehran"),
    ("Students of the University of Tehran were detained.", "Tehran"),
    ("Two men were hanged in Hamedan’s Central Prison.", "Hamadan"),
    ("Two men were hanged in the Central Prison of Yasuj.", "Yasuj"),
    ("Two men were hanged in Shiraz Central Prison.", "Shiraz"),
])
def test_sites_resolve_to_their_city(text: str, city: str) -> None:
    (m,) = mentions(text)
    assert (m.role, m.place.name, m.place.level) == ("site", city, "city")


# ----------------------------------------------------------------------------- one name, several places


def test_province_in_parentheses_chooses_the_town() -> None:
    found = by_surface("Banners were put up in Rudbar (Gilan) and Sardasht (Hormozgan).")
    assert found["Rudbar"].place.admin1 == "Gilan"
    assert found["Sardasht"].place.admin1 == "Hormozgan"
    assert found["Gilan"].role == "qualifier" and found["Hormozgan"].role == "qualifier"


def test_direction_chooses_the_town() -> None:
    found = by_surface("Farmers blocked a road near Sardasht, southwestern Iran.")
    assert found["Sardasht"].place.admin1 == "Khuzestan"
    assert found["Iran"].role == "qualifier"
    assert by_surface("Farmers blocked a road near Sardasht.")["Sardasht"].place.admin1 == "West Azerbaijan"


def test_neighbours_in_a_list_choose_the_town() -> None:
    found = by_surface("Strikes spread to Shiraz, Kazerun, Marvdasht and Ardakan.")
    assert found["Ardakan"].place.admin1 == "Fars"
    found = by_surface("Strikes spread to Yazd, Meybod, Bafq and Ardakan.")
    assert found["Ardakan"].place.admin1 == "Yazd"


def test_population_decides_without_hints() -> None:
    assert by_surface("Youths rallied in Lahijan.")["Lahijan"].place.admin1 == "Gilan"
    assert by_surface("Youths rallied in Rudbar.")["Rudbar"].place.admin1 == "Gilan"


def test_small_village_needs_a_cue() -> None:
    assert cities("Hassan Kola said so.") == []
    assert "Sardasht" in cities("Clashes were reported in the village of Sardasht and in Dezful.")


# ----------------------------------------------------------------------------- countries and abroad


def test_country_mentions() -> None:
    found = mentions("Iran’s rulers fear the Iranian people. Iran is restive.")
    assert [m.surface for m in found] == ["Iran", "Iran"]
    assert all(m.place.level == "country" and m.place.country == "IR" and m.role == "event" for m in found)


def test_foreign_cities_are_outside_iran() -> None:
    found = by_surface("Rallies were held in Berlin, Paris, Geneva and Tirana; the airliner flew from Tehran "
                       "to Kiev, Ukraine. Officials met in Baghdad.")
    for name in ("Berlin", "Paris", "Geneva", "Tirana", "Kiev", "Baghdad"):
        assert found[name].place.country != "IR", name
    assert found["Tehran"].place.country == "IR"
    assert found["Ukraine"].role == "qualifier" and found["Kiev"].place.country == "UA"


def test_iraqi_kurdistan_is_not_the_province() -> None:
    assert [m.surface for m in mentions("They fled to Iraqi Kurdistan.")] == []


# ----------------------------------------------------------------------------- the stage


def test_stage_fills_analysis_places() -> None:
    report = Report(doc="d1", text="Protests in Tehran and Mashhad.")
    out = find_places(Analysis(report=report))
    assert [m.place.name for m in out.places] == ["Tehran", "Mashhad"]
    assert out.report is report


def test_a_long_text_is_read_whole() -> None:
    text = (PROSE + "Protests in Tehran, Mashhad, Isfahan, Shiraz, Ahvaz and Bandar-e Abbas continued.\n") * 200
    recognise("warm up in Tehran")
    found = recognise(text)
    assert len(text.split()) > 40_000 and len(found) == 1200


def test_an_outlet_named_after_a_province_is_not_a_place() -> None:
    text = "A man was hanged in Shiraz, reported Fars, a state-run news agency. Fars News later confirmed it."
    names = [m.place.name for m in recognise(text)]
    assert names == ["Shiraz"]


def test_anchors_walked_outwards_equal_the_sorted_anchors() -> None:
    """`_anchors` walking outwards from a name gives the stable distance order of sorting."""
    from eventledger.bench_corpus import generate
    from eventledger.gazetteer import load
    from eventledger.gazetteer.matcher import find, tokenize
    from eventledger.stages.places.reading import read
    from eventledger.stages.places.resolve import _anchors
    from eventledger.stages.places.vocab import lookup, vocabulary

    gaz, voc = load(), vocabulary()
    for report in generate(8, seed=5):
        tokens = tokenize(report.text)
        matches = find(report.text, tokens, lookup(), max_words=6)
        founds = [f for m in matches if (f := read(m, tokens, gaz, voc)) is not None]
        for f in founds:
            if len(f.candidates) == 1:
                f.place = f.candidates[0].place
        anchored = [f for f in founds if f.place is not None]
        starts = [f.start for f in anchored]
        for f in founds:
            for k in (1, 4, 50):
                assert _anchors(f, anchored, starts, k, ordered=True) == _anchors(f, anchored, starts, k)


# ----------------------------------------------------------------------------- qualifiers and enclosing places


def event_places(text: str) -> list[tuple[str, str]]:
    """(name, level) of the mentions that can be an event's place."""
    return [(m.place.name, m.place.level) for m in mentions(text) if m.role in ("event", "site")]


@pytest.mark.parametrize(("text", "town", "province"), [
    ("Nurses rallied in Dezful city (Khuzestan) over unpaid wages.", "Dezful", "Khuzestan"),
    ("Nurses rallied in Dezful City (Khuzestan) over unpaid wages.", "Dezful", "Khuzestan"),
    ("Farmers protested in Baneh County (Kurdistan) on Monday.", "Baneh", "Kurdistan"),
    ("Farmers protested in Baneh county, Kurdistan province, on Monday.", "Baneh", "Kurdistan"),
    ("Teachers gathered in Bushehr city (Bushehr) on Sunday.", "Bushehr", "Bushehr"),
    ("Teachers gathered in Kermanshah (Kermanshah) on Sunday.", "Kermanshah", "Kermanshah"),
])
def test_a_province_after_a_town_only_locates_it(text: str, town: str, province: str) -> None:
    found = mentions(text)
    assert event_places(text) == [(town, "city")]
    qualifier = next(m for m in found if m.role == "qualifier")
    assert (qualifier.place.name, qualifier.place.level) == (province, "province")


def test_a_town_after_near_only_locates_the_village() -> None:
    found = by_surface("Clashes erupted in Kahrizak village near Tehran on Friday.")
    assert found["Kahrizak"].role == "event" and found["Kahrizak"].place.admin1 == "Tehran"
    assert found["Tehran"].role == "qualifier"
    found = by_surface("Youths rallied in Shahin Shahr, outside Isfahan.")
    assert (found["Shahin Shahr"].role, found["Isfahan"].role) == ("event", "qualifier")


@pytest.mark.parametrize(("text", "place"), [
    ("Farmers blocked a road in a village near Bam on Friday.", ("Bam", "city")),
    ("Police raided a village of Kalaleh county at dawn.", ("Kalaleh", "city")),
    ("A man was shot in Xylobad district of Kermanshah.", ("Kermanshah", "city")),
    ("Guards raided Xylobad village (Kerman) at dawn.", ("Kerman", "province")),
    ("Guards raided Velmir Sangar village (Gilan) at dawn.", ("Gilan", "province")),
])
def test_an_unknown_village_takes_the_place_around_it(text: str, place: tuple[str, str]) -> None:
    assert event_places(text) == [place]


def test_a_town_standing_for_a_village_near_it_is_marked() -> None:
    (m,) = mentions("Farmers blocked a road in a village near Bam on Friday.")
    (n,) = mentions("Farmers blocked a road in Bam on Friday.")
    assert m.confidence < n.confidence


def test_a_known_village_far_from_the_town_near_it_is_another_place() -> None:
    """Sangar (Gilan) is not near Bam: the text names another, unknown Sangar."""
    assert event_places("Farmers protested in Sangar village near Bam.") == [("Bam", "city")]


def test_a_town_naming_an_organisation_is_not_the_event_place() -> None:
    assert event_places("Workers of the Arak steel company rallied in Tehran on Monday.") == [("Tehran", "city")]
    assert event_places("Workers of the Arak steel company rallied on Monday.") == [("Arak", "city")]
    assert event_places("Students rallied at Bam University in Kerman on Monday.") == [("Kerman", "city")]


def test_a_province_beside_its_town_is_not_a_second_site() -> None:
    found = by_surface("Khuzestan retirees protested in Ahvaz on Sunday.")
    assert (found["Khuzestan"].role, found["Ahvaz"].role) == ("qualifier", "event")
    found = by_surface("Kurdistan retirees protested in Ahvaz on Sunday.")
    assert (found["Kurdistan"].role, found["Ahvaz"].role) == ("event", "event")
    listed = by_surface("Posters went up in Babol, Mazandaran, Rasht and Sari.")
    assert listed["Mazandaran"].role == "event"


# ----------------------------------------------------------------------------- the country of a report


def analysed(text: str) -> Analysis:
    return find_places(Analysis(report=Report(doc="d", text=text)))


@pytest.mark.parametrize(("text", "country"), [
    ("Police fired on protesters in Erbil and Sulaymaniyah. Dozens were detained.", "IQ"),
    ("Exiles rallied in Berlin, Hamburg and Munich, Germany, against the executions.", "DE"),
    ("Teachers struck in Shiraz and Yazd; Turkey and Germany said nothing.", "IR"),
    ("Nurses protested in Tehran, Iran, on Monday.", "IR"),
    ("Exiles rallied in Berlin while nurses protested in Tehran.", None),
    ("Nobody said where the rally took place.", None),
])
def test_report_country(text: str, country: str | None) -> None:
    assert report_country(analysed(text)) == country


def test_span_country_reads_one_sentence() -> None:
    text = "Nurses protested in Tehran and Shiraz. In Afghanistan, two men were flogged."
    analysis = analysed(text)
    second = text.index("In Afghanistan")
    assert span_country(analysis, second, len(text)) == "AF"
    assert span_country(analysis, 0, second) == "IR"
    assert report_country(analysis) == "IR"


# ----------------------------------------------------------------------------- lower case and capitals


@pytest.mark.parametrize(("text", "names"), [
    ("protesters gathered in tehran and mashhad on monday.", ["Tehran", "Mashhad"]),
    ("residents of bandar abbas and bandar-e anzali rallied.", ["Bandar Abbas", "Bandar Anzali"]),
    ("farmers protested in bam city and near minab.", ["Bam", "Minab"]),  # small towns: with a cue
    ("he was hanged in sari prison.", ["Sari"]),
    ("CLASHES ERUPTED IN ZAHEDAN AND BAM CITY ON FRIDAY", ["Zahedan", "Bam"]),
    ("Nurses rallied in Tehran.\nSTRIKES SPREAD TO SHIRAZ AND YAZD", ["Tehran", "Shiraz", "Yazd"]),
])
def test_names_not_capitalised(text: str, names: list[str]) -> None:
    assert [m.place.name for m in mentions(text) if m.role in ("event", "site")] == names


@pytest.mark.parametrize("text", [
    "we ate turkey and bam, then wore a sari to the mall.",  # common words: no cue, no place
    "the report was carried by iran human rights and the qods force denied it.",
    "a small town without a name.",
    "WE ATE TURKEY AND WORE A SARI TO THE MALL ON FRIDAY",
])
def test_common_words_in_lower_case_are_not_places(text: str) -> None:
    assert mentions(text) == []


def test_places_package_modules_import_no_cycle() -> None:
    """The modules of `stages/places/` import one another without a cycle, and none imports the
    package itself (its `__init__` imports them all)."""
    import ast
    from graphlib import TopologicalSorter
    from pathlib import Path

    import eventledger.stages.places as package

    root, prefix = Path(package.__file__).parent, "eventledger.stages.places"
    graph: dict[str, set[str]] = {}
    for path in root.glob("*.py"):
        if path.stem == "__init__":
            continue
        imported = {node.module for node in ast.walk(ast.parse(path.read_text()))
                    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(prefix)}
        assert prefix not in imported, path.name
        graph[path.stem] = {m.removeprefix(prefix + ".") for m in imported}
    assert set(TopologicalSorter(graph).static_order()) >= {"records", "vocab", "resolve", "roles"}
