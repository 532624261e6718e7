"""Events on reports as other outlets write them: notes, case files, victim lists, wire copy.

Recall first: an act told without its place is put where the report is set, never dropped for it; an
act referred to (what a march condemns) is no new event. The reports are written here; the whole
pipeline runs on them (places from the packaged gazetteer)."""

from __future__ import annotations

import datetime as dt

from eventledger.models import Event, Report
from eventledger.pipeline import Pipeline

PIPELINE = Pipeline()


def events(text: str, published: dt.date | None = dt.date(2023, 5, 20)) -> list[Event]:
    return list(PIPELINE(Report(doc="r.txt", text=text, published=published)).events)


def test_an_execution_told_without_a_town_takes_the_prison_the_case_names() -> None:
    text = ("The hanging of a 31-year-old labourer was carried out on May 14, 2023, his family told a rights group. "
            "He had been held for two years in Vakilabad Prison in Mashhad before his trial.")
    found = [e for e in events(text) if e.event_type == "execution"]
    assert [(e.location, e.geo_precision) for e in found] == [("Mashhad", "city")]
    assert found[0].confidence < 0.75  # placed by the setting, not by its sentence


def test_a_place_of_birth_weighs_less_than_the_place_of_the_acts() -> None:
    text = ("He was born in Tabriz in 1990. He was arrested in Shiraz in 2019 and taken to Adelabad Prison. "
            "The execution of the young man was announced on May 10, 2023.")
    found = [e for e in events(text) if e.event_type == "execution"]
    assert [e.location for e in found] == ["Shiraz"]


def test_a_report_spread_over_many_towns_leaves_an_unplaced_act_at_country_level() -> None:
    text = ("Workers rallied in Tabriz on May 18, 2023. Teachers gathered in Rasht and in Kerman on the same day. "
            "Retirees protested in Ahvaz and Yazd. On May 19, 2023, security forces arrested 12 people.")
    arrests = [e for e in events(text) if e.event_type == "arrest"]
    assert [(e.geo_precision, e.country) for e in arrests] == [("country", "IR")]


def test_an_act_across_the_country_stays_at_country_level() -> None:
    text = ("Supporters in Isfahan put up posters on May 17, 2023. On May 18, 2023, thousands of shopkeepers went on "
            "strike across the country.")
    strikes = [e for e in events(text) if e.tactic == "strike"]
    assert [e.geo_precision for e in strikes] == ["country"]


def test_a_one_line_note_without_a_full_stop_is_text_not_a_headline() -> None:
    found = events("A bus driver from Sirjan, shot dead by riot police in Kerman", published=None)
    assert [(e.event_type, e.location) for e in found if e.location == "Kerman"] == [("assault", "Kerman")]


def test_a_headline_followed_by_text_is_still_no_event() -> None:
    text = "Riot police shot protesters in Kerman\n\nCrowds gathered in Kerman on May 18, 2023."
    assert [e.event_type for e in events(text)] == ["protest"]


CASE_FILE = ("Arrest and detention\n\nThe carpenter was arrested in Qazvin in March 2011 and held in solitary "
             "confinement for four months.\n\nTrial\n\nThe Revolutionary Court of Qazvin sentenced him to death in "
             "October 2011.\n\nExecution\n\nHe was hanged in the prison of Qazvin on June 2, 2013, his lawyer said.")


def test_a_case_file_dated_by_its_own_last_date_tells_every_act_of_its_story() -> None:
    report = Report(doc="case.txt", text=CASE_FILE, published=dt.date(2013, 6, 3), published_precision="inferred")
    found = {(e.event_type, e.location, e.date_start[:7]) for e in PIPELINE(report).events}
    assert {("arrest", "Qazvin", "2011-03"), ("sentence", "Qazvin", "2011-10"),
            ("execution", "Qazvin", "2013-06")} <= found


def test_a_dated_news_report_leaves_its_background_out() -> None:
    text = ("Security forces arrested four teachers in Qazvin on Tuesday. "
            "In 2011, a carpenter was hanged in Qazvin after a closed trial.")
    report = Report(doc="news.txt", text=text, published=dt.date(2013, 6, 6), published_precision="day")
    assert [(e.event_type, e.date_start) for e in PIPELINE(report).events] == [("arrest", "2013-06-04")]


def test_an_act_without_a_town_in_a_report_about_another_country_is_placed_in_that_country() -> None:
    text = ("Police detained protesters in Baghdad, Basra and Najaf on May 18, 2023. "
            "On May 19, 2023, 12 people were arrested.")
    unplaced = [e for e in events(text) if e.geo_precision == "country"]
    assert [(e.event_type, e.country) for e in unplaced] == [("arrest", "IQ")]


def test_the_act_a_march_condemns_is_no_new_event_at_its_place_or_the_marchs() -> None:
    text = "On May 18, 2023, students marched in Zanjan to condemn the bombing of a shrine in Kerman."
    assert [(e.event_type, e.location) for e in events(text)] == [("protest", "Zanjan")]


def test_an_anniversary_and_a_protest_at_an_execution_refer_to_earlier_acts() -> None:
    text = ("On May 18, 2023, families gathered in Ahvaz on the anniversary of the killings in Mahshahr. "
            "On May 19, 2023, workers rallied in Abadan in protest at the execution of three men.")
    assert {(e.event_type, e.location) for e in events(text)} == {("protest", "Ahvaz"), ("protest", "Abadan")}


def test_a_told_act_after_a_purpose_clause_of_another_sentence_keeps_its_place() -> None:
    text = ("On May 18, 2023, crowds rallied in Zanjan to condemn the bombing. "
            "On May 19, 2023, the prosecutor of Marand said that two prisoners were hanged in the city.")
    assert ("execution", "Marand") in {(e.event_type, e.location) for e in events(text)}


def test_a_death_told_without_a_cause_is_a_weak_assault() -> None:
    (found,) = events("Died in Sabzevar on May 12, 2023", published=None)
    assert (found.event_type, found.location) == ("assault", "Sabzevar")
    (shot,) = events("Shot dead in Sabzevar on May 12, 2023", published=None)
    assert found.confidence < shot.confidence


def test_a_death_of_natural_causes_or_an_accident_is_no_event() -> None:
    assert events("The former mayor died in Sabzevar on May 12, 2023 after a long illness.") == []
    assert events("Two men died in Sabzevar on May 12, 2023 when their car hit a truck in a crash.") == []


def test_a_place_of_birth_is_not_where_the_act_happened() -> None:
    found = events("He was born in Tabriz and was arrested in Urmia on May 15, 2023 by intelligence agents.")
    assert [(e.event_type, e.location) for e in found] == [("arrest", "Urmia")]


def test_an_act_told_only_with_where_the_person_lives_is_placed_there_at_a_lower_confidence() -> None:
    text = ("Workers protested in Abadan on May 15, 2023. A teacher from Dezful living in Ilam was detained "
            "on May 16, 2023.")
    (arrest,) = [e for e in events(text) if e.event_type == "arrest"]
    assert arrest.location == "Ilam" and arrest.confidence < 0.8


def test_residents_who_protest_are_no_place_of_origin() -> None:
    found = events("On May 15, 2023, local residents protested in Abadan over water cuts.")
    assert [(e.event_type, e.location) for e in found] == [("protest", "Abadan")]


def test_a_list_of_towns_after_an_activity_is_that_activity_in_each_town() -> None:
    text = ("Supporters wrote slogans on walls in several cities on May 15, 2023:\n\n"
            "Tabriz — \u201cFreedom for all prisoners\u201d\n"
            "Rasht: \u201cBread, work, freedom\u201d\n"
            "- Kerman (Kerman) – on the wall of a school\n\n"
            "Analysis\n\nThe campaign has grown over the past year.")
    found = [(e.event_type, e.tactic, e.location, e.date_start) for e in events(text)]
    assert found == [("activism", "graffiti", town, "2023-05-15") for town in ("Tabriz", "Rasht", "Kerman")]


def test_a_town_line_with_its_own_act_is_read_as_its_own_sentence() -> None:
    text = ("Teachers rallied in several cities on May 15, 2023:\n\n"
            "Tabriz: security forces arrested two teachers on May 15, 2023.")
    found = {(e.event_type, e.location) for e in events(text)}
    assert ("arrest", "Tabriz") in found and ("protest", "Tabriz") not in found


def test_a_list_of_victims_one_per_line_is_read_line_by_line() -> None:
    text = ("Protesters killed in recent days, as a monitor confirmed:\n\n"
            "A student, 20, shot in Sanandaj on May 10, 2023\n\n"
            "A baker, 41, shot in Marivan on May 11, 2023\n\n"
            "A driver, 35, shot in Saqqez on May 12, 2023\n\n"
            "The monitor said it was checking further reports.")
    found = [(e.event_type, e.location) for e in events(text)]
    assert found == [("assault", "Sanandaj"), ("assault", "Marivan"), ("assault", "Saqqez")]


def test_a_heading_printed_twice_is_still_a_heading() -> None:
    text = ("Protests spread in Tabriz on May 18, 2023.\n\nNew activities\n\nNew activities\n\n"
            "On May 19, 2023, the network carried out activities in Rasht and Zanjan.")
    found = {(e.event_type, e.location) for e in events(text)}
    assert ("activism", "Rasht") in found and ("protest", "Rasht") not in found


def test_a_province_summary_above_its_towns_is_no_event_of_its_own() -> None:
    text = ("On May 18, 2023, protesters were shot in Kurdistan province, a monitor said.\n\n"
            "A student was shot in Sanandaj on May 18, 2023.\n\nA baker was shot in Marivan on May 18, 2023.")
    assert sorted(e.location or e.admin1 for e in events(text)) == ["Marivan", "Sanandaj"]


def test_the_dead_of_a_clash_are_its_casualties_not_an_assault_of_their_own() -> None:
    text = ("On May 18, 2023, gunmen clashed with border guards near Saravan for two hours. "
            "As a result, three guards were killed.")
    found = events(text)
    assert [(e.event_type, e.location, e.fatalities) for e in found] == [("armed_clash", "Saravan", 3)]


def test_a_shooting_beside_a_clash_keeps_its_own_tactic() -> None:
    text = ("On May 18, 2023, gunmen clashed with border guards near Saravan. "
            "On May 18, 2023, guards opened fire on fuel carriers near Saravan.")
    assert {e.event_type for e in events(text)} == {"armed_clash", "assault"}


def test_an_earlier_act_named_to_describe_someone_is_referred_to() -> None:
    text = ("On May 18, 2023, agents arrested a man in Zahedan who was involved in the bombing of a police "
            "post in Khash. On May 18, 2023, families of people killed in the air crash gathered in Tehran.")
    assert {(e.event_type, e.location) for e in events(text)} == {("arrest", "Zahedan"), ("protest", "Tehran")}


def test_a_report_set_in_a_province_places_an_unplaced_act_in_the_town_of_it_it_names_most() -> None:
    text = ("Kurdistan province has seen many arrests. Activists in Kurdistan province said a teacher was "
            "detained in Sanandaj in 2021 and tried in Sanandaj. His execution was announced on May 10, 2023.")
    report = Report(doc="r.txt", text=text, published=dt.date(2023, 5, 11), published_precision="inferred")
    (execution,) = [e for e in PIPELINE(report).events if e.event_type == "execution"]
    assert (execution.location, execution.admin1) == ("Sanandaj", "Kurdistan")


def test_a_description_of_a_prisoner_is_no_act_and_no_reference_hides_the_act_told() -> None:
    text = ("A prisoner convicted of drug charges was hanged in Ghezel Hesar Prison in Karaj on May 17, 2023. "
            "On May 18, 2023, a man involved in the protests was arrested in Zahedan.")
    assert {(e.event_type, e.location) for e in events(text)} == {("execution", "Karaj"), ("arrest", "Zahedan")}


def test_an_upper_case_name_is_no_verb_that_ends_a_reference() -> None:
    text = "On May 18, 2023, students rallied in Zanjan to condemn the IS bombing in Kerman."
    assert [(e.event_type, e.location) for e in events(text)] == [("protest", "Zanjan")]


def test_people_described_by_a_past_act_after_a_modal_were_still_subjected_to_it() -> None:
    text = "On May 18, 2023, a rights group said the authorities must release the teachers arrested in Shiraz."
    assert [(e.event_type, e.location) for e in events(text)] == [("arrest", "Shiraz")]
    assert events("On May 18, 2023, officials warned that the activists will be arrested in Shiraz.") == []


def test_a_dated_sentence_with_no_act_sets_the_time_of_the_next_act() -> None:
    text = ("Trial\n\nHe was tried by a court in Rasht on November 5, 2023. "
            "The judge sentenced him to death.\n\nAppeal\n\nHis lawyers say they will appeal.")
    report = Report(doc="r.txt", text=text, published=dt.date(2023, 11, 30), published_precision="day")
    assert [(e.event_type, e.location, e.date_start) for e in PIPELINE(report).events] == [
        ("sentence", "Rasht", "2023-11-05")]


def test_an_act_placed_by_the_setting_where_one_of_its_type_is_told_is_that_act_again() -> None:
    text = ("The teacher was hanged in Qazvin Prison on May 2, 2023. His execution was announced on May 4, 2023. "
            "Rights groups condemned the execution, which was carried out in secret.")
    report = Report(doc="r.txt", text=text, published=dt.date(2023, 5, 5), published_precision="inferred")
    executions = [e for e in PIPELINE(report).events if e.event_type == "execution"]
    assert [(e.location, e.date_start) for e in executions] == [("Qazvin", "2023-05-02")]


def _acts(text: str) -> list[tuple[str, str, str | None]]:
    return sorted((e.event_type, e.tactic, e.location) for e in events(text))


def test_a_death_sentence_and_the_hanging_told_in_one_sentence_are_two_events() -> None:
    """"Sentenced ... in X Prison" is no prison term when the sentence was death and the hanging came
    after: the prison-term reading does not run across "and was"."""
    text = "Mr. Karimi was sentenced to death and was hanged in Shiraz Prison on May 3, 2023."
    assert _acts(text) == [("execution", "hanging", "Shiraz"), ("sentence", "death", "Shiraz")]
    text = "On May 3, 2023, a court in Shiraz sentenced Ms. Rahimi to six years and eight months in prison."
    assert _acts(text) == [("sentence", "prison", "Shiraz")]


def test_a_death_sentence_carried_out_is_an_execution_whatever_stands_between() -> None:
    text = ("On May 3, 2023, his death sentence, along with that of his cousin, was carried out at "
            "Shiraz Central Prison.")
    assert _acts(text) == [("execution", "unspecified", "Shiraz")]
    text = ("On May 3, 2023, the Revolutionary Court of Shiraz found him guilty, sentenced him to death, "
            "and the sentence was carried out.")
    assert _acts(text) == [("execution", "unspecified", "Shiraz"), ("sentence", "death", "Shiraz")]
