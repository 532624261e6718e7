"""The country a text is about, from its place mentions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from eventledger.models import Analysis, PlaceMention

REPORT_COUNTRY_SHARE = 2 / 3  # the share of the weight one country needs to be the report's


def _country_weight(mention: PlaceMention) -> int:
    """A town or province where something happened counts more than a country named in passing;
    a dateline (where the report was filed) and a town naming an organisation count little or nothing."""
    if mention.role == "organisation" or not mention.place.country:
        return 0
    if mention.role == "dateline" or mention.place.level == "country":
        return 1
    return 2


def places_country(places: Iterable[PlaceMention]) -> str | None:
    """The country (ISO alpha-2) that `places` are in, when one has at least REPORT_COUNTRY_SHARE of
    their weight (`_country_weight`); None when they name none, or several with no clear lead."""
    votes: Counter[str] = Counter()
    for m in places:
        if (weight := _country_weight(m)) and m.place.country:
            votes[m.place.country] += weight
    if not votes:
        return None
    country, top = votes.most_common(1)[0]
    return country if top >= REPORT_COUNTRY_SHARE * sum(votes.values()) else None


def report_country(analysis: Analysis) -> str | None:
    """The country the report is about, from its place mentions (`places_country`), or None when it
    names no place or places of several countries with none clearly first. For an event with no place:
    `span_country` of its sentence first, then this, then the language's default."""
    return places_country(analysis.places)


def span_country(analysis: Analysis, start: int, end: int) -> str | None:
    """The country of the places named within text[start:end] (a sentence), as `places_country`."""
    return places_country(m for m in analysis.places if start <= m.start < end)
