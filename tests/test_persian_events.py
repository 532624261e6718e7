"""Persian extraction: every event type, read from Persian sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from eventledger.models import Report
from eventledger.pipeline import Pipeline

PUBLISHED = dt.date(2026, 1, 10)  # a Saturday; 20 Dey 1404


def events(text: str):
    report = Report(doc="t", text=text, language="fa", published=PUBLISHED, published_precision="day")
    return Pipeline()(report).events


@pytest.mark.parametrize(("text", "event_type", "tactic", "town"), [
    ("صدها کارگر روز پنجشنبه در اراک تجمع کردند.", "protest", "rally", "Arak"),
    ("رانندگان کامیون در بندرعباس دست به اعتصاب زدند.", "protest", "strike", "Bandar Abbas"),
    ("معترضان در سنندج علیه حکومت شعار سر دادند.", "protest", "chanting", "Sanandaj"),
    ("واحدهای مقاومت در تبریز شعارنویسی کردند.", "activism", "graffiti", "Tabriz"),
    ("جوانان در شهر قزوین پوسترهایی را نصب کردند.", "activism", "poster", "Qazvin"),
    ("شب گذشته یک پایگاه بسیج در همدان به آتش کشیده شد.", "property_attack", "arson", "Hamadan"),
    ("سایت شهرداری یزد روز جمعه هک شد.", "cyber", "hack", "Yazd"),
    ("ماموران امنیتی دو دانشجو را در مشهد بازداشت کردند.", "arrest", "arrest", "Mashhad"),
    ("یک فعال مدنی در کرمان دستگیر شد.", "arrest", "arrest", "Kerman"),
    ("نیروهای امنیتی در ایذه به سوی مردم شلیک کردند.", "assault", "shooting", "Izeh"),
    ("ماموران یک معترض را در رشت مورد ضرب و شتم قرار دادند.", "assault", "beating", "Rasht"),
    ("یک زندانی امروز در زندان مرکزی ارومیه اعدام شد.", "execution", "unspecified", "Urmia"),
    ("دو زندانی در زندان عادل‌آباد به دار آویخته شدند.", "execution", "hanging", "Shiraz"),
    ("دادگاه انقلاب اهواز یک فعال را به پنج سال حبس محکوم کرد.", "sentence", "prison", "Ahvaz"),
    ("حکم اعدام یک معترض در دادگاه کرج صادر شد.", "sentence", "death", "Karaj"),
    ("نیروهای سپاه در حوالی سراوان با افراد مسلح درگیر شدند.", "armed_clash", "clash", "Saravan"),
    ("انفجار یک بمب در زاهدان روز جمعه سه زخمی برجای گذاشت.", "explosion", "bomb", "Zahedan"),
])
def test_every_event_type(text: str, event_type: str, tactic: str, town: str) -> None:
    found = [(e.event_type, e.tactic, e.location) for e in events(text)]
    assert (event_type, tactic, town) in found


def test_record_keeps_codebook_values_and_verbatim_evidence() -> None:
    text = "گزارش ویژه\n\nنیروهای امنیتی در شهر زاهدان به سوی معترضان شلیک كردند و دست‌کم پنج نفر کشته شدند."
    (event,) = events(text)
    assert (event.event_type, event.actor1, event.actor_class, event.fatalities) == (
        "assault", "Security forces", "state", 5)
    assert text[event.evidence_start:event.evidence_end] == event.evidence
    assert "كردند" in event.evidence  # the Arabic kaf kept as written: normalised for look-up only


def test_negated_verb_is_no_event() -> None:
    assert events("ماموران امنیتی در تبریز کسی را بازداشت نکردند.") == ()


def test_reference_noun_is_no_event() -> None:
    found = events("دانشجویان در تهران در اعتراض به اعدام زندانیان تجمع کردند.")
    assert [e.event_type for e in found] == ["protest"]


def test_aggregate_figure_is_no_event() -> None:
    assert events("دست‌کم ۱۲۰ نفر از ابتدای سال در زندان‌های ایران اعدام شده‌اند.") == ()


def test_later_sentence_takes_date_and_place_of_the_first() -> None:
    found = events("روز پنجشنبه ۱۸ دی معترضان در کرمانشاه تجمع کردند. ماموران سه نفر را بازداشت کردند.")
    arrest = next(e for e in found if e.event_type == "arrest")
    assert (arrest.location, arrest.date_start, arrest.arrests) == ("Kermanshah", "2026-01-08", 3)


def test_mixed_document_reads_each_sentence_in_its_language() -> None:
    text = ("Security forces arrested two students in Tabriz on Thursday.\n\n"
            "نیروهای امنیتی روز پنجشنبه در مشهد سه کارگر را بازداشت کردند.")
    towns = {e.location for e in events(text) if e.event_type == "arrest"}
    assert towns == {"Tabriz", "Mashhad"}


def test_headline_is_not_an_event_of_its_own() -> None:
    text = "اعدام دو زندانی در زندان مرکزی قزوین\n\nدو زندانی روز شنبه در زندان مرکزی قزوین اعدام شدند.\n"
    found = events(text)
    assert [(e.event_type, e.date_start, e.fatalities) for e in found] == [("execution", "2026-01-10", 2)]


def test_pluperfect_background_beside_the_main_act_is_no_event() -> None:
    found = events("سه زندانی که پیش‌تر به قصاص محکوم شده بودند، روز شنبه در زندان مرکزی قزوین اعدام شدند.")
    assert [(e.event_type, e.fatalities) for e in found] == [("execution", 3)]


def test_injured_are_counted_not_killed() -> None:
    (event,) = events("نیروهای یگان ویژه در ایلام به معترضان حمله کردند و دست‌کم هشت نفر زخمی شدند.")
    assert (event.event_type, event.fatalities, event.count) == ("assault", None, 8)


def test_number_inside_a_compound_name_is_no_figure() -> None:
    (event,) = events("کارگران شرکت نیشکر هفت‌تپه در شوش تجمع کردند.")
    assert (event.location, event.count, event.actor1) == ("Shush", None, "Workers")


def test_a_call_to_gather_is_no_gathering() -> None:
    found = events("فعالان در سقز با پخش تراکت از مردم برای حضور در تجمعات دعوت کردند.")
    assert [e.event_type for e in found] == ["activism"]


def test_figure_inside_a_split_phrase_and_the_indefinite_article() -> None:
    (execution,) = events("حکم اعدام سه زندانی صبح امروز در زندان قزلحصار اجرا شد.")
    assert (execution.event_type, execution.location, execution.fatalities) == ("execution", "Karaj", 3)
    (clash,) = events("یک تیم مسلح در حوالی سراوان با نیروهای سپاه درگیر شد.")
    assert (clash.event_type, clash.count) == ("armed_clash", None)


@pytest.mark.parametrize(("text", "count"), [
    ("دادگاه انقلاب تبریز این کارگر را به شش سال حبس محکوم کرد.", None),
    ("یک دانشجو در قزوین به ۷۴ ضربه شلاق محکوم شد.", 1),  # one student: the lashes count nothing
])
def test_a_term_or_lashes_are_no_count_of_people(text: str, count: int | None) -> None:
    found = events(text)
    assert [e.event_type for e in found] == ["sentence"]
    assert (found[0].count, found[0].arrests, found[0].fatalities) == (count, None, None)


def test_a_count_of_people_before_the_verb_is_still_kept() -> None:
    found = events("ماموران امنیتی چهار معلم را در شیراز بازداشت کردند.")
    assert [(e.event_type, e.arrests) for e in found] == [("arrest", 4)]


def test_a_death_sentence_carried_out_after_a_long_clause_is_an_execution() -> None:
    text = ("حکم اعدام سه زندانی محکوم به قصاص بامداد روز سه‌شنبه ۱۶ دی ماه در زندان مرکزی زنجان "
            "پس از سال‌ها بلاتکلیفی اجرا شد.")
    assert [(e.event_type, e.location, e.fatalities) for e in events(text)] == [("execution", "Zanjan", 3)]


def test_a_death_told_by_the_verb_that_ends_the_sentence_makes_the_figure_fatalities() -> None:
    found = events("یک کولبر روز دوشنبه با شلیک مستقیم ماموران مرزی در نزدیکی بانه جان باخت.")
    assert [(e.event_type, e.fatalities, e.count) for e in found] == [("assault", 1, None)]
    hurt = events("ماموران در سنندج به سوی معترضان شلیک کردند و دو نفر زخمی شدند.")
    assert [(e.event_type, e.fatalities, e.count) for e in hurt] == [("assault", None, 2)]
