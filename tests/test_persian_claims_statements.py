"""Persian claims (figures with qualifiers) and statements (speakers, outlets, quotes)."""

from __future__ import annotations

import datetime as dt

import pytest

from eventledger.models import Report
from eventledger.pipeline import Pipeline

PUBLISHED = dt.date(2026, 1, 10)


def analyse(text: str):
    return Pipeline()(Report(doc="t", text=text, language="fa", published=PUBLISHED, published_precision="day"))


@pytest.mark.parametrize(("text", "value", "qualifier", "category"), [
    ("دست‌کم ۱۲۰ نفر از ابتدای دی ماه در ایران اعدام شده‌اند.", 120, "at_least", "executed"),
    ("بیش از ۱۵۰۰ نفر در جریان اعتراضات بازداشت شده‌اند.", 1500, "at_least", "arrested"),
    ("حدود ۳۰ نفر در این اعتراضات کشته شدند.", 30, "about", "killed"),
    ("بیست و پنج نفر در سال ۱۴۰۳ زخمی شدند.", 25, "exact", "injured"),
])
def test_claim_figures(text: str, value: int, qualifier: str, category: str) -> None:
    claims = analyse(text).claims
    assert [(c.value, c.qualifier, c.category) for c in claims] == [(value, qualifier, category)]


def test_claim_since_a_month_runs_to_publication() -> None:
    (claim,) = analyse("دست‌کم ۱۲۰ نفر از ابتدای دی ماه در ایران اعدام شده‌اند.").claims
    assert (claim.period_start, claim.period_end, claim.place) == ("2025-12-22", "2026-01-10", "IR")


def test_tens_is_no_figure() -> None:
    assert analyse("ده‌ها نفر در این اعتراضات زخمی شدند.").claims == ()


def test_qualified_figure_without_a_town_is_a_claim_not_an_event() -> None:
    analysis = analyse("دست‌کم ۲۰ نفر در ایران بازداشت شدند.")
    assert analysis.events == () and [c.value for c in analysis.claims] == [20]


def test_statement_speaker_quote_and_outlet() -> None:
    text = "به گزارش خبرگزاری ایرنا، مهدی کاظمی، سخنگوی دولت، روز پنجشنبه گفت: «اعتراضات پایان یافته است.»"
    (statement,) = analyse(text).statements
    assert (statement.speaker, statement.speaker_class, statement.date, statement.outlet, statement.quote) == (
        "مهدی کاظمی", "state", "2026-01-08", "خبرگزاری ایرنا", "اعتراضات پایان یافته است.")
    assert text[statement.evidence_start:statement.evidence_end] == statement.evidence


def test_pronoun_speaker_is_the_one_named_before() -> None:
    text = "فرماندار سقز روز شنبه اعلام کرد که آرامش برقرار است. وی افزود که مدارس باز هستند."
    assert [s.speaker for s in analyse(text).statements] == ["فرماندار سقز"]


def test_negated_speech_is_no_statement() -> None:
    assert analyse("دادستان تهران در این باره چیزی نگفت.").statements == ()
