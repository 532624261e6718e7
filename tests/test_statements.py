"""Stage statements.v1 on invented reports: patterns, speakers, outlets, dates, classes, filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from eventledger.models import Analysis, DateMention, Place, PlaceMention, Report, Statement
from eventledger.stages.statements import find_statements
from eventledger.stages.text import split

D = dt.date


def date(text: str, surface: str, day: D, role: str = "point", precision: str = "day") -> DateMention:
    i = text.index(surface)
    return DateMention(i, i + len(surface), surface, day, day, precision, role)


def statements(text: str, dates: tuple[DateMention, ...] = (), places: tuple[PlaceMention, ...] = (),
               publisher: str | None = "PMOI/MEK") -> list[Statement]:
    report = Report(doc="t.txt", text=text, publisher=publisher, published=D(2023, 6, 1))
    analysis = replace(split(Analysis(report=report)), dates=dates, places=places)
    return list(find_statements(analysis).statements)


def one(text: str, **kw: object) -> Statement:
    found = statements(text, **kw)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


def test_name_said_colon_quote_with_date() -> None:
    text = "On Monday, May 8, Reza Karimi said: “The unrest is over.”"
    st = one(text, dates=(date(text, "Monday, May 8", D(2023, 5, 8)),))
    assert (st.speaker, st.date, st.quote) == ("Reza Karimi", "2023-05-08", "The unrest is over.")


def test_appositive_and_date_after_the_verb() -> None:
    text = "Hamid Sadeghi, the spokesman of the judiciary, said on April 3 that 12 cases were closed."
    st = one(text, dates=(date(text, "April 3", D(2023, 4, 3)),))
    assert (st.speaker, st.speaker_class, st.date, st.quote) == ("Hamid Sadeghi", "state", "2023-04-03", None)


def test_inverted_quote_with_foreign_title() -> None:
    st = one("“The people will prevail,” said former British Prime Minister Daniel Hale.")
    assert (st.speaker, st.speaker_class, st.quote) == ("Daniel Hale", "foreign", "The people will prevail")


def test_inverted_quote_with_name_before_verb() -> None:
    st = one("“We are ready,” Nima Farahani said.")
    assert (st.speaker, st.quote) == ("Nima Farahani", "We are ready")


def test_agency_quoted_speaker_as_saying() -> None:
    text = ("The state-run Tasnim news agency quoted Karim Rostami, the commander of the provincial police, "
            "on October 2 as saying: “The rioters were organised from abroad.”")
    st = one(text, dates=(date(text, "October 2", D(2022, 10, 2)),))
    assert (st.speaker, st.outlet, st.date, st.speaker_class) == ("Karim Rostami", "Tasnim", "2022-10-02", "state")
    assert st.quote == "The rioters were organised from abroad."


def test_continuation_same_speaker_adds_nothing() -> None:
    text = "Karim Rostami said: “We are vigilant.” Rostami added: “We will act.”"
    assert [s.speaker for s in statements(text)] == ["Karim Rostami"]


def test_bare_surname_resolves_to_full_name_seen_earlier() -> None:
    text = ("The regime's Supreme Leader Javad Nouri spoke at a mosque. Later, on March 2, Nouri said: “Stay calm.”")
    st = one(text, dates=(date(text, "March 2", D(2023, 3, 2)),))
    assert (st.speaker, st.speaker_class) == ("Javad Nouri", "state")


def test_two_dates_for_one_speaker_are_two_statements() -> None:
    text = "On May 2, Leila Ahmadi said: “One.” On June 9, Ahmadi said: “Two.”"
    dates = (date(text, "May 2", D(2023, 5, 2)), date(text, "June 9", D(2023, 6, 9)))
    assert [(s.speaker, s.date) for s in statements(text, dates=dates)] == [
        ("Leila Ahmadi", "2023-05-02"), ("Leila Ahmadi", "2023-06-09")]


def test_outlet_as_speaker() -> None:
    text = "The state-run Tabnak website acknowledged on July 4 the growing anger in the provinces."
    st = one(text, dates=(date(text, "July 4", D(2023, 7, 4)),))
    assert (st.speaker, st.outlet, st.speaker_class, st.date) == ("Tabnak", "Tabnak", "state", "2023-07-04")


def test_outlet_written_in_and_told() -> None:
    text = "The state-run Kayhan daily wrote on May 30: “The enemy is active.”"
    assert one(text).speaker == "Kayhan"
    st = one("Mehdi Tavakoli, one of the regime's officials, told the state-run Javan daily: “Prices are rising.”")
    assert (st.speaker, st.outlet, st.speaker_class) == ("Mehdi Tavakoli", "Javan", "state")


def test_venue_video_conference() -> None:
    st = one("In a video conference with officials, Javad Nouri said: “Be ready.”")
    assert st.outlet == "video conference"


@pytest.mark.parametrize(("text", "speaker"), [
    ("When Sara Mohammadi asked the question, “Who decides?” the room fell silent.", "Sara Mohammadi"),
    ("Omid Rahimi's response surprised the hosts.", "Omid Rahimi"),
    ("The closing remarks of Bahram Jafari summed it up: “We failed.”", "Bahram Jafari"),
    ("Pouya Hosseini acknowledged that the youth were angry.", "Pouya Hosseini"),
    ("Nader Azimi conceded the point, stating that the plan had failed.", "Nader Azimi"),
    ("Elena Varga, Member of Parliament from Hungary described the units as “a light in the dark.”", "Elena Varga"),
    ("Leila Farahani of Amnesty International warned that more executions were imminent.", "Leila Farahani"),
    ("A spokesman, Omid Rahimi, condemned the executions.", "Omid Rahimi"),
    ("According to Omid Rahimi, a former prosecutor, the trial lasted ten minutes.", "Omid Rahimi"),
])
def test_reporting_patterns(text: str, speaker: str) -> None:
    assert one(text).speaker == speaker


@pytest.mark.parametrize(("text", "speaker_class"), [
    ("Senator Paul Whitman said the world must act.", "foreign"),
    ("“Act now,” said Clara Jensen, Member of the Danish Parliament.", "foreign"),
    ("IRGC commander Ali Bagheri warned that the protests would be crushed.", "state"),
    ("Friday prayer leader Ahmad Rezaei said the protesters were misled.", "state"),
    ("Opposition leader Parisa Azadi said the regime was isolated.", "opposition"),
    ("The NCRI's Farhad Sohrabi said the network was growing.", "opposition"),
    ("Hasan Jalili said the talks were useful.", "unknown"),
    ("Brigadier General Karim Nouri told reporters that the cell had been dismantled.", "state"),
    ("Leila Farahani of Amnesty International warned that more executions were imminent.", "foreign"),
    ("Saeed Moradi from the IRGC said the riots were over.", "state"),
    ("Reporters Without Borders said the journalists must be freed.", "foreign"),
])
def test_speaker_class(text: str, speaker_class: str) -> None:
    assert one(text, publisher="Example Wire").speaker_class == speaker_class


@pytest.mark.parametrize("text", [
    "Protesters chanted “Death to the dictator” in the main square.",
    "The banners read: “Freedom will come.”",
    "“We will win,” many units said in their messages.",
    "He said the trial was unfair.",
    "Officials said the protests were over.",
    "Iranian officials admitted that the plane was downed.",
    "In an article the MEK wrote: “The units are growing.”",
    "Ministers met in Tehran on Monday.",
])
def test_no_statement(text: str) -> None:
    assert statements(text) == []


def test_names_inside_quotes_are_not_speakers() -> None:
    assert statements("The slogan “Leila Ahmadi said no” was everywhere.") == []


def test_place_is_not_a_speaker() -> None:
    text = "Tehran said the talks had failed."
    assert statements(text, places=(PlaceMention(0, 6, "Tehran", Place("Tehran", "city")),)) == []


def test_date_inside_quote_is_not_the_statement_date() -> None:
    text = "Hamid Sadeghi said: “On May 5 we arrested them.”"
    assert one(text, dates=(date(text, "May 5", D(2023, 5, 5)),)).date is None


def test_evidence_offsets_and_provenance() -> None:
    text = "Title\n\nIntro sentence. Reza Karimi told reporters that the border was closed. End."
    st = one(text)
    assert st.evidence == text[st.evidence_start:st.evidence_end]
    assert st.evidence.startswith("Reza Karimi") and 0 < st.confidence <= 1


def test_appositive_naming_a_body_keeps_the_person() -> None:
    st = one("Kamran Tehrani, commander-in-chief of the IRGC, said the enemy would regret it.", publisher="Wire")
    assert (st.speaker, st.speaker_class) == ("Kamran Tehrani", "state")


def test_inverted_quote_credited_to_an_outlet() -> None:
    st = one("“The crisis is deep,” wrote the state-run daily Etemad on June 2.", publisher="Wire")
    assert (st.speaker, st.outlet, st.quote) == ("Etemad", "Etemad", "The crisis is deep")


def test_body_with_acronym_and_institutions() -> None:
    text = "The Islamic Republic News Agency (IRNA) reported: “The border is shut.” The Guardian Council said no."
    assert [(s.speaker, s.speaker_class) for s in statements(text, publisher="Wire")] == [
        ("Islamic Republic News Agency", "state"), ("Guardian Council", "state")]


def test_full_name_given_later_resolves_an_earlier_surname() -> None:
    text = "“We will not yield,” Nouri said. Javad Nouri, the regime's supreme leader, spoke for an hour."
    st = one(text, publisher="Wire")
    assert (st.speaker, st.speaker_class) == ("Javad Nouri", "state")


def test_strip_titles() -> None:
    from eventledger.stages.statements import strip_titles

    assert strip_titles("Interior Minister Hadi Vahdat") == "Hadi Vahdat"
    assert strip_titles("Amnesty International") == "Amnesty International"


@pytest.mark.parametrize(("text", "speaker"), [
    # officials and bodies quoted or speaking on the record are statements
    ("“The ruling has been enforced,” provincial prosecutor Nasser Darabi told reporters.", "Nasser Darabi"),
    ("The judiciary's Mizan news agency quoted prosecutor Nasser Darabi as saying: “The law was applied.”",
     "Nasser Darabi"),
    ("Amnesty International said the hearing was “a mockery of justice” and urged a retrial.",
     "Amnesty International"),
    ("The Kayhan daily wrote in an editorial: “The agitators deserve no mercy.”", "Kayhan"),
    ("The Islamic Republic News Agency (IRNA) reported: “Order has been restored in the city.”",
     "Islamic Republic News Agency"),
    ("“Order has been restored,” IRNA reported on Saturday.", "IRNA"),
    ("The state-run Tabnak website acknowledged the growing anger in the provinces.", "Tabnak"),
    ("Her brother, Arash Bahrami, said in an interview that she had been beaten.", "Arash Bahrami"),
    ("Kaveh Sadri reported that the highway had been blocked by police.", "Kaveh Sadri"),
    ("The Supreme Court said on Monday that it had confirmed the verdict.", "Supreme Court"),
    ("Farid Asadi, the lawyer for Kaveh Sadri, said the ruling would be challenged.", "Farid Asadi"),
    ("“We will go on,” Farid Asadi continued.", "Farid Asadi"),
])
def test_speakers_on_the_record(text: str, speaker: str) -> None:
    assert one(text, publisher="Example Wire").speaker == speaker


@pytest.mark.parametrize("text", [
    # outlets and monitors relaying news, with no words of their own quoted: sources, not speakers
    "According to HRANA, she was taken into custody by security agents at work.",
    "IRNA reported that two men were hanged at dawn on Tuesday.",
    "Tasnim news agency reported the detention of six people in the city.",
    "HRANA reported that Nasrin Jafari was detained in the city on Sunday.",
    "State media reported that the suspect had confessed.",
    "Kayhan reported the accusations against him as “spreading corruption.”",
    "The Navid Magazine mentioned her as a member of the union.",
    "The Jam-e Jam newspaper covered the hearing. According to Jam-e Jam, the session was brief.",
    # passive: the grammatical subject did not say it
    "The hanging of Omid Rostami, son of Javad, was announced by the judiciary's office.",
    "The hanging of Omid Rostami, along with three others, was reported in the Kayhan daily.",
    "The verdict against Omid Rostami was announced as “final.”",
    "Omid Rostami was told by guards that his family would be punished.",
    "Nasrin Jafari was described as a devoted teacher by her pupils.",
    # rulings, places and fragments of longer names
    "The Revolutionary Court condemned Behnam Sohrabi to death for “rebellion.”",
    "The Revolutionary Tribunal declared Behnam Sohrabi guilty and ordered his execution.",
    "Pilgrims at Blue Mosque demanded an inquiry into the shooting.",
    "An envoy of the Ministry of Labour asked the strikers about their demands.",
    "Announcing the decision, the Chief of the Tribunal said the ruling stood.",
    "The Chief Prosecutor noted that the suspects had confessed.",
    "Government forces demanded a payment from the family for the release of the body.",
    # names inside another's description, occasions, acts
    "A neighbour of Kaveh Sadri described the raid on the house.",
    "A friend who visited Nasrin Jafari described her as calm and determined.",
    "The lawyer for Kaveh Sadri said the ruling would be challenged.",
    "Unrest broke out on May 3 during a sermon by Mahmoud Kazemi in the city.",
    "Mahmoud Kazemi and the board continued to reject the demands of the teachers.",
])
def test_relayed_news_and_non_speakers(text: str) -> None:
    assert statements(text, publisher="Example Wire") == []
