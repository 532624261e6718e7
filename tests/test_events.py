"""Events stage on hand-built analyses: places and dates given, so only event logic is tested."""

from __future__ import annotations

import datetime as dt

import pytest

from eventledger.models import Analysis, DateMention, Place, PlaceMention, Report
from eventledger.stages.events import extract_events
from eventledger.stages.text import sentences

PUB = dt.date(2024, 3, 14)  # a Thursday

CITIES = {
    "Tabriz": Place("Tabriz", "city", "IR", "East Azerbaijan", None, 113646, 38.08, 46.29, 1_400_000),
    "Rasht": Place("Rasht", "city", "IR", "Gilan", None, 118743, 37.28, 49.59, 600_000),
    "Kerman": Place("Kerman", "city", "IR", "Kerman", None, 128234, 30.28, 57.08, 800_000),
    "Zanjan": Place("Zanjan", "city", "IR", "Zanjan", None, 111453, 36.67, 48.48, 400_000),
    "Ardabil": Place("Ardabil", "city", "IR", "Ardabil", None, 143083, 38.25, 48.29, 500_000),
    "Gilan": Place("Gilan", "province", "IR", "Gilan", None, None, None, None, 0),
}


def analyse(text: str, places: list[str], dates: list[tuple[str, dt.date, dt.date, str, str]],
            published: dt.date = PUB) -> Analysis:
    """Build an analysis with the given surfaces marked as places and dates."""
    report = Report(doc="t.txt", text=text, published=published)
    pm, cursor = [], 0
    for surface in places:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        pm.append(PlaceMention(start, cursor, surface, CITIES[surface]))
    dm = []
    for surface, a, b, precision, role in dates:
        start = text.index(surface)
        dm.append(DateMention(start, start + len(surface), surface, a, b, precision, role))
    pm.sort(key=lambda p: p.start)
    dm.sort(key=lambda d: d.start)
    return Analysis(report=report, sentences=tuple(sentences(text)), places=tuple(pm), dates=tuple(dm))


MON_WED = ("from Monday to Wednesday", dt.date(2024, 3, 11), dt.date(2024, 3, 13), "span", "range")


def test_a_list_of_places_yields_one_event_each_and_a_repeated_place_once() -> None:
    text = ("Activists of the Resistance Units carried out activities from Monday to Wednesday in "
            "Tabriz, Rasht, Kerman, Zanjan and Rasht.")
    events = extract_events(analyse(text, ["Tabriz", "Rasht", "Kerman", "Zanjan", "Rasht"], [MON_WED]))
    assert [e.location for e in events] == ["Tabriz", "Rasht", "Kerman", "Zanjan"]
    assert {e.event_type for e in events} == {"activism"}
    assert {(e.date_start, e.date_end, e.time_precision) for e in events} == {("2024-03-11", "2024-03-13", "span")}
    assert {e.actor1 for e in events} == {"Resistance Units"}
    assert {e.actor_class for e in events} == {"opposition"}


def test_a_province_in_a_list_of_cities_stays_a_province() -> None:
    text = "Members of the Resistance Units put up posters from Monday to Wednesday in Tabriz and Gilan."
    events = extract_events(analyse(text, ["Tabriz", "Gilan"], [MON_WED]))
    gilan = [e for e in events if e.admin1 == "Gilan"]
    assert len(gilan) == 1 and gilan[0].geo_precision == "province" and gilan[0].location is None
    assert {e.tactic for e in events} == {"poster"}


def test_generic_follow_up_takes_the_frame_type_and_date() -> None:
    text = ("On Tuesday, the Resistance Units projected images of opposition leaders in several cities. "
            "In Tabriz, the images were projected on a wall. Similar activities were reported in Kerman and Zanjan.")
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = extract_events(analyse(text, ["Tabriz", "Kerman", "Zanjan"], [tuesday]))
    assert sorted(e.location for e in events) == ["Kerman", "Tabriz", "Zanjan"]
    assert {(e.event_type, e.tactic, e.date_start) for e in events} == {("activism", "projection", "2024-03-12")}
    assert all(e.geo_precision == "city" for e in events), "the country-level summary gives way to its towns"


@pytest.mark.parametrize(("tail", "killed"), [
    (", killing two people and wounding 15.", 2),
    (", killing at least 4 demonstrators.", 4),
    (", claiming the lives of three mourners.", 3),
    (" and wounded 15 people.", None),  # wounded, not killed
    (", a week after the killing of 2 protesters.", None),  # "killing of" names an earlier act
])
def test_a_figure_led_by_killing_is_the_attacks_fatalities(tail: str, killed: int | None) -> None:
    text = "Security forces opened fire on protesters in Tabriz on Tuesday" + tail
    tuesday = ("on Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = [e for e in extract_events(analyse(text, ["Tabriz"], [tuesday])) if e.event_type == "assault"]
    assert [(e.location, e.tactic, e.fatalities) for e in events] == [("Tabriz", "shooting", killed)]


def test_a_year_told_before_does_not_date_the_next_act() -> None:
    text = ("On Tuesday the authorities hanged two prisoners in Kerman. At least 120 people have been executed "
            "in Iran in 2024. In Rasht, retired workers rallied for a fifth week.")
    dates = [("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point"),
             ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year", "point")]
    events = {e.location: e for e in extract_events(analyse(text, ["Kerman", "Rasht"], dates))}
    assert events["Kerman"].date_start == "2024-03-12"
    assert events["Rasht"].event_type == "protest"
    assert events["Rasht"].time_precision != "year", "a period named for a tally is not the time of the rally"


def test_the_outlet_a_paragraph_opens_with_is_not_the_doer() -> None:
    text = ("NCRI – On Tuesday, Resistance Units in Tabriz, Rasht and Kerman marked the day by setting fire "
            "to banners of the supreme leader.")
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = extract_events(analyse(text, ["Tabriz", "Rasht", "Kerman"], [tuesday]))
    assert len(events) == 3 and {e.actor1 for e in events} == {"Resistance Units"}


def test_a_doer_before_a_dash_that_is_no_outlet_stays_the_doer() -> None:
    text = "Students – hundreds of them – rallied in Tabriz on Tuesday."
    tuesday = ("on Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = extract_events(analyse(text, ["Tabriz"], [tuesday]))
    assert [(e.event_type, e.actor1) for e in events] == [("protest", "Students")]


def test_the_verb_of_a_places_where_clause_happened_there() -> None:
    text = "He was arrested on Tuesday at a rally in Tabriz, where security forces fired tear gas at the crowd."
    tuesday = ("on Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = {e.event_type: e for e in extract_events(analyse(text, ["Tabriz"], [tuesday]))}
    assert events["arrest"].location == "Tabriz"
    assert (events["assault"].tactic, events["assault"].location) == ("beating", "Tabriz")


def test_a_headline_ending_in_a_quotation_is_no_event_and_cities_are_no_count() -> None:
    text = ('Nurses strike spreads in Kerman as officials blame "foreign enemies"\n'
            "Nurses in at least 20 cities, including Tabriz and Rasht, walked off the job on Tuesday.")
    tuesday = ("on Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = extract_events(analyse(text, ["Kerman", "Tabriz", "Rasht"], [tuesday]))
    assert [(e.location, e.tactic, e.count) for e in events] == [("Tabriz", "strike", None), ("Rasht", "strike", None)]


def test_executions_take_the_nearest_date_and_count_per_place() -> None:
    text = "On March 12 the authorities hanged two prisoners in Rasht and on March 10, they executed one man in Kerman."
    dates = [("On March 12", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point"),
             ("March 10", dt.date(2024, 3, 10), dt.date(2024, 3, 10), "day", "point")]
    events = {e.location: e for e in extract_events(analyse(text, ["Rasht", "Kerman"], dates))}
    assert events["Rasht"].event_type == "execution" and events["Rasht"].date_start == "2024-03-12"
    assert events["Rasht"].fatalities == 2
    assert events["Kerman"].date_start == "2024-03-10"
    assert events["Rasht"].actor_class == "state"


def test_passive_arrest_gets_the_state_as_actor_and_counts_arrests() -> None:
    text = "On Tuesday, three students were arrested in Tabriz."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    (event,) = extract_events(analyse(text, ["Tabriz"], [tuesday]))
    assert (event.event_type, event.actor_class, event.arrests) == ("arrest", "state", 3)


def test_announcements_hypotheticals_and_denials_are_not_events() -> None:
    text = ("A rally will be held in Tabriz next week. Officials said protesters could be arrested in Rasht. "
            "The governor denied that anyone was executed in Kerman.")
    assert extract_events(analyse(text, ["Tabriz", "Rasht", "Kerman"], [])) == []


def test_aggregates_since_a_date_are_claims_not_events() -> None:
    text = "The regime has executed at least 90 prisoners since January 1."
    since = ("since January 1", dt.date(2024, 1, 1), None, "day", "since")
    assert extract_events(analyse(text, [], [since])) == []


def test_history_is_not_a_current_event() -> None:
    text = "In November 2019, security forces killed protesters in Kerman."
    nov = ("In November 2019", dt.date(2019, 11, 1), dt.date(2019, 11, 30), "month", "point")
    assert extract_events(analyse(text, ["Kerman"], [nov])) == []


def test_slogans_in_quotes_and_headlines_are_not_events() -> None:
    text = "Protests in Tabriz and Rasht\n\nOn Tuesday, students chanted \"They executed our friends in Kerman\"."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = extract_events(analyse(text, ["Tabriz", "Rasht", "Kerman"], [tuesday]))
    assert all(e.event_type != "execution" for e in events)
    assert all(e.location is None for e in events)


def test_a_dated_act_without_a_town_is_a_country_level_event() -> None:
    text = "On Tuesday, the Resistance Units sent 300 video messages to a rally abroad."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    (event,) = extract_events(analyse(text, [], [tuesday]))
    assert (event.event_type, event.tactic, event.geo_precision, event.count) == ("activism", "video", "country", 300)


def test_the_same_day_refers_back() -> None:
    text = ("On March 12, two prisoners were hanged in Rasht. On the same day, the prosecutor of Kerman said "
            "that one man was executed in the city.")
    d = ("On March 12", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = {e.location: e for e in extract_events(analyse(text, ["Rasht", "Kerman"], [d]))}
    assert events["Kerman"].date_start == "2024-03-12"


def test_evidence_is_verbatim_at_its_offsets() -> None:
    text = "Intro line.\n\nOn Tuesday, youths torched a Basij base in Zanjan."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    a = analyse(text, ["Zanjan"], [tuesday])
    (event,) = extract_events(a)
    assert event.event_type == "property_attack" and event.tactic == "arson"
    assert text[event.evidence_start:event.evidence_end] == event.evidence


def test_the_doer_is_the_head_of_the_subject_not_a_nearer_noun() -> None:
    text = "On Tuesday, families of the prisoners gathered outside the prison in Tabriz."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    (event,) = extract_events(analyse(text, ["Tabriz"], [tuesday]))
    assert (event.event_type, event.actor1, event.actor_class) == ("protest", "Families", "civilians")


def test_a_dateline_date_is_not_the_date_of_the_events() -> None:
    text = "Iran, March 14, 2024 — Activists carried out activities from Monday to Wednesday in Tabriz and Rasht."
    dateline = ("March 14, 2024", PUB, PUB, "day", "point")
    events = extract_events(analyse(text, ["Tabriz", "Rasht"], [dateline, MON_WED]))
    assert {(e.date_start, e.date_end) for e in events} == {("2024-03-11", "2024-03-13")}


def test_a_follow_up_act_shares_the_time_of_the_reported_narrative() -> None:
    text = ("On Tuesday, retirees held rallies in Tabriz. Police dispersed the crowd and detained four "
            "protesters in Tabriz.")
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = {e.event_type: e for e in extract_events(analyse(text, ["Tabriz", "Tabriz"], [tuesday]))}
    assert events["arrest"].date_start == "2024-03-12" and events["arrest"].arrests == 4
    assert events["arrest"].actor_class == "state"


def test_a_specific_tactic_survives_the_merge_of_two_readings() -> None:
    text = ("Activists carried out activities from Monday to Wednesday in Tabriz and Kerman. "
            "In Kerman, posters of opposition leaders were installed near the bazaar.")
    events = {e.location: e for e in extract_events(analyse(text, ["Tabriz", "Kerman", "Kerman"], [MON_WED]))}
    assert events["Kerman"].tactic == "poster" and events["Tabriz"].tactic is None
    assert len(events) == 2


def test_a_monitor_reports_an_execution_it_does_not_carry_out() -> None:
    text = "On Tuesday, three prisoners were hanged in Rasht, according to Amnesty International."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    (event,) = extract_events(analyse(text, ["Rasht"], [tuesday]))
    assert (event.actor1, event.actor_class, event.reported_by) == ("Judiciary", "state", "Amnesty International")


def test_prospective_executions_are_not_events() -> None:
    text = "On Tuesday, officials said 30 prisoners are going to be hanged in Rasht."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    assert extract_events(analyse(text, ["Rasht"], [tuesday])) == []


def test_planned_and_foiled_attacks_are_not_events() -> None:
    text = ("The ministry said the team was planning bombings in Tabriz. Police said they foiled an arson attack "
            "in Rasht. A cell plotting explosions in Kerman was dismantled.")
    assert extract_events(analyse(text, ["Tabriz", "Rasht", "Kerman"], [])) == []


def test_many_people_over_a_stated_year_or_month_are_a_tally_not_an_event() -> None:
    text = "At least 1,000 people were executed in Tabriz in 2023. In February, 45 people were arrested in Rasht."
    year = ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), "year", "point")
    month = ("February", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month", "point")
    assert extract_events(analyse(text, ["Tabriz", "Rasht"], [year, month])) == []


def test_a_few_people_in_a_stated_month_are_still_an_event() -> None:
    text = "In February, 3 people were arrested in Rasht."
    month = ("February", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month", "point")
    (event,) = extract_events(analyse(text, ["Rasht"], [month]))
    assert (event.event_type, event.arrests, event.time_precision) == ("arrest", 3, "month")


def test_the_owner_in_a_plural_possessive_is_not_the_doer() -> None:
    text = "On Tuesday, the prisoners’ mothers gathered outside the court in Tabriz."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    (event,) = extract_events(analyse(text, ["Tabriz"], [tuesday]))
    assert event.actor1 == "Families"


def test_two_verbs_joined_by_and_share_their_place() -> None:
    text = "On Tuesday, security forces attacked demonstrators in Tabriz and arrested several people."
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = {e.event_type: e for e in extract_events(analyse(text, ["Tabriz"], [tuesday]))}
    assert events["assault"].location == "Tabriz" and events["arrest"].location == "Tabriz"


def test_similar_protests_reported_in_a_list_follow_the_first_rally() -> None:
    text = ("On Tuesday, retirees rallied in Tabriz over unpaid pensions. "
            "Similar protest gatherings were witnessed in Rasht, Kerman and Zanjan.")
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = extract_events(analyse(text, ["Tabriz", "Rasht", "Kerman", "Zanjan"], [tuesday]))
    assert sorted(e.location for e in events) == ["Kerman", "Rasht", "Tabriz", "Zanjan"]
    assert {(e.event_type, e.date_start, e.actor1) for e in events} == {("protest", "2024-03-12", "Retirees")}


@pytest.mark.parametrize("follow_up", [
    "Similar rallies by retirees of the pension fund were held in Rasht, Kerman and Zanjan.",
    "Rallies by retirees were held in Rasht, Kerman and Zanjan.",
    "Protests over unpaid pensions were also held in Rasht, Kerman and Zanjan.",
])
def test_passive_protests_held_in_a_list_of_towns(follow_up: str) -> None:
    text = f"On Tuesday, retirees rallied in Tabriz over unpaid pensions. {follow_up}"
    tuesday = ("On Tuesday", dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "point")
    events = extract_events(analyse(text, ["Tabriz", "Rasht", "Kerman", "Zanjan"], [tuesday]))
    assert sorted(e.location for e in events) == ["Kerman", "Rasht", "Tabriz", "Zanjan"]
    assert {(e.event_type, e.date_start) for e in events} == {("protest", "2024-03-12")}


def test_modal_fast_search_agrees_with_the_modal_pattern() -> None:
    """`Lexicon.has_modal` (cues by first letter, stopping between words) answers as `modal.search`,
    on windows cut anywhere, in the middle of words too."""
    from eventledger.bench_corpus import generate
    from eventledger.stages import lexicon

    lex = lexicon.load()
    assert lex.modal_between is not None
    samples = ["they could", "wouldn't", "xwill go", "will", "the planned to", "every friday", "urge", "urged,",
               "shouldn't", "if", "ifs", "Will", "such as", "suchas", "dont", "don't", "in preparation forest"]
    text = " ".join(r.text for r in generate(3, seed=1))
    samples += [text[i:i + n] for i in range(0, len(text) - 80, 7) for n in (3, 11, 80)]
    for sample in samples:
        assert lex.has_modal(sample) == bool(lex.modal.search(sample)), sample
    assert lexicon._modal_between(["a|b"]) is None and lexicon._modal_between(["a?b"]) is None


def test_an_event_is_built_from_its_parts_by_keyword() -> None:
    from eventledger.models import Sentence
    from eventledger.stages.actors import Actor
    from eventledger.stages.events.fields import Counts, PlaceFields, build_event

    place = PlaceFields("Rasht", "Gilan", "IR", 118743, 37.28, 49.59, "city")
    sentence = Sentence(start=0, end=30, text="Workers rallied in Rasht today.", paragraph=0)
    event = build_event("d", "protest", None, ("2024-03-01", "2024-03-01", "day"), place, Actor("workers", "labor"),
                        Counts(count=40), "IranWire", sentence, 0.9)
    assert (event.location, event.geonameid, event.latitude, event.geo_precision) == ("Rasht", 118743, 37.28, "city")
    assert (event.count, event.fatalities, event.arrests) == (40, None, None)
    assert (event.actor1, event.actor_class, event.reported_by) == ("workers", "labor", "IranWire")
    assert (event.evidence_start, event.evidence_end, event.confidence) == (0, 30, 0.9)
    unnamed = build_event("d", "protest", None, (None, None, None), place, None, Counts(), None, sentence, 0.5)
    assert unnamed.actor1 is None and unnamed.actor_class == "unknown"


def test_spans_within_equals_a_scan() -> None:
    """`_within` by bisection (a run of the list, or a filtered slice) finds what a scan finds."""
    import random
    from types import SimpleNamespace

    from eventledger.stages.events.document import _Spans, _within

    rng = random.Random(5)
    for trial in range(300):
        items = [SimpleNamespace(start=a, end=a + rng.randint(0, 6)) for a in
                 sorted(rng.randint(0, 40) for _ in range(rng.randint(0, 12)))]
        if trial % 3 == 0:
            rng.shuffle(items)
        spans = _Spans(items)
        for start in range(0, 45, 3):
            for end in range(start, 50, 4):
                assert _within(spans, start, end) == [x for x in items if start <= x.start and x.end <= end]
