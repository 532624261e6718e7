"""A synthetic benchmark corpus: news-length reports made from this project's own templates.

`generate(n, seed=…)` returns `n` reports of about `words` words each (≈ 800 by default),
shaped like real ones: a headline, a dateline, lists of towns, weekday and calendar dates,
figures ("at least 37 people"), quoted officials, background paragraphs, typographic quotes
and apostrophes. Place names come
from the packaged gazetteer, actors from ``data/actors.toml`` and outlets from the source
registry, so the stages have real work to do. The same `seed` always gives the same texts.

The incidents are invented; the corpus measures speed, not accuracy.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from eventledger.models import Report

DEFAULT_WORDS = 800
MIN_TOWN_POPULATION = 60_000
AP_MONTHS = {1: "Jan.", 2: "Feb.", 8: "Aug.", 9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

HEADLINES = (
    "{actor} rally in {city} as anger over {grievance} spreads",
    "Security forces detain dozens after protests in {province}",
    "Rights group reports new wave of executions in {city} prison",
    "{actor} hold gatherings in {n_towns} cities over {grievance}",
    "Night-time slogans and posters appear across {province}",
    "Officials warn of crackdown as strikes continue in {city}",
)
OPENINGS = (
    "{dateline} {actor} gathered on {weekday} in front of the governor's office in {city}, chanting "
    "slogans about {grievance} and demanding that officials meet them.",
    "{dateline} Hundreds of {actor_lower} took to the streets of {city} and {city2} on {weekday}, "
    "{date}, in protest at {grievance}, according to local reports.",
    "{dateline} Security forces arrested at least {n} people in {city} on {weekday} after a night of "
    "protests that spread to several neighbourhoods, a rights group said.",
    "{dateline} {n} prisoners were hanged in {city} Central Prison on {weekday}, {date}, according to "
    "{source}, which said their families hadn't been informed in advance.",
    "{dateline} Mr. {person}, a teachers' union activist, was detained at his home in {city} at 6 a.m. on "
    "{weekday}, his family said, the {ordinal} arrest of a union member this month.",
)
LIST_SENTENCES = (
    "Similar gatherings were reported in {cities}.",
    "Rallies were also held in {cities}, where demonstrators carried banners and photos.",
    "Strikes by {actor_lower} continued for a {ordinal} day in {cities}.",
    "Videos posted online showed crowds in {cities} chanting against the authorities.",
    "Posters and slogans appeared on walls in {cities} overnight, {source} reported.",
    "Shops were closed in {cities} on {weekday} in a show of solidarity.",
)
EVENT_SENTENCES = (
    "In {city}, riot police fired tear gas at the crowd and detained {n} protesters.",
    "Plainclothes agents beat several demonstrators near the main square of {city}.",
    "On {weekday}, {actor_lower} in {city} marched from the bazaar to the city council.",
    "Two days later, security forces raided homes in {city} and took {n} people into custody.",
    "A court in {city} sentenced {n} protesters to prison terms of between one and five years.",
    "Youths set fire to a banner of the Supreme Leader in {city} on the night of {date}.",
    "Teachers in {city} staged a sit-in outside the education department on {date}.",
    "The {state_actor} arrested {n} people in {city} and {city2} on charges of spreading propaganda.",
    "{n} prisoners were executed in {city} on {date}, the {ordinal} such case this month.",
    "Mrs. {person}, whose son is held in {city}, said she'd been told to stay away from the prison's gate.",
    "Around 9 p.m. on {weekday}, crowds gathered again in {city}'s main square, chanting \"we're all together.\"",
    "Activists wrote slogans on walls and distributed leaflets in {city} on {weekday} night.",
)
CLAIM_SENTENCES = (
    "Since {date}, at least {big} people have been arrested across {province}, according to {source}.",
    "{source} said at least {big} people had been executed in the country since the start of the year.",
    "More than {big} workers have joined the strike since {date}, organisers said.",
    "According to {source}, about {big} people have been injured since the protests began.",
    "Rights groups have documented {big} arrests in {province} alone over the past month.",
)
QUOTE_SENTENCES = (
    '"We won\'t stay silent while our wages are worth nothing," one protester in {city} told {source}.',
    '"They\'re arresting anyone who films the rallies, and we don\'t know where they\'ve taken them," '
    'a resident of {city} said.',
    'Dr. {person}, a lawyer for several detainees, said the trials "didn\'t meet even the most basic standards."',
    'U.N. experts said on {weekday} they were "alarmed" by reports from {city} and {city2}.',
    'The governor of {province} said on {weekday} that "rioters will be dealt with firmly."',
    'A spokesman for the {state_actor} told state media that "the situation in {city} is under control."',
    '"My son was taken from our home at night and we still do not know where he is," a mother said.',
    '{speaker} said in a statement on {date} that "the people of {city} have shown their courage."',
)
BACKGROUND_SENTENCES = (
    "Prices of basic goods have risen sharply over the past year, and the currency has lost much of its value.",
    "Many families say their incomes no longer cover rent, food and medicine.",
    "The authorities have repeatedly blamed foreign media for encouraging unrest.",
    "Internet access was restricted in several provinces during the protests, according to monitoring groups.",
    "Observers say the pattern of arrests resembles earlier crackdowns on labour and student movements.",
    "Officials have promised to review the demands but have offered no timetable.",
    "Independent verification of the reports was not possible because of restrictions on journalists.",
    "Relatives of detainees said they had been pressured not to speak to the media.",
    "The protests began over economic grievances but soon turned to wider political demands.",
    "Local councils held emergency meetings, and some members called for dialogue with the protesters.",
    "Human rights organisations have urged the authorities to release those held for peaceful protest.",
    "Witnesses described a heavy security presence in central squares for several days afterwards.",
)
GRIEVANCES = (
    "unpaid wages", "rising prices", "water shortages", "pension cuts", "the cost of living",
    "power cuts", "the arrest of a local activist", "housing costs", "fuel prices",
)
GIVEN_NAMES = (
    "Ali", "Reza", "Hossein", "Mehdi", "Zahra", "Maryam", "Fatemeh", "Sara", "Amir", "Hamid", "Leila",
    "Nasrin", "Saeed", "Majid", "Parisa", "Navid", "Shirin", "Kamran", "Mahsa", "Arash",
)
_QUOTED = re.compile(r'"([^"\n]*)"')
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "tenth")


@dataclass(frozen=True)
class Vocabulary:
    """What the templates fill their slots with, drawn from the packaged data."""

    towns: tuple[str, ...]
    provinces: tuple[str, ...]
    civilian_actors: tuple[str, ...]
    state_actors: tuple[str, ...]
    sources: tuple[str, ...]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    from eventledger.data import load_toml
    from eventledger.gazetteer import load

    gazetteer = load()
    towns = sorted({p.name for p in gazetteer.places
                    if p.level == "city" and p.country == "IR" and p.population >= MIN_TOWN_POPULATION})
    provinces = sorted({p.name for p in gazetteer.places if p.level == "province"})
    actors = load_toml("actors.toml")["actor"]
    sources = sorted(s["name"] for s in load_toml("sources.toml")["source"])
    return Vocabulary(
        towns=tuple(towns), provinces=tuple(provinces),
        civilian_actors=tuple(a["name"] for a in actors if a["class"] == "civilians"),
        state_actors=tuple(a["name"] for a in actors if a["class"] == "state"),
        sources=tuple(sources),
    )


class _Writer:
    """Fills templates for one report; every choice comes from one seeded `random.Random`."""

    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng, self.vocab = rng, vocab
        self.published = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1000))
        self.source = rng.choice(vocab.sources)
        self.home = rng.choice(vocab.towns)

    def dateline(self) -> str:
        """"SHIRAZ, Aug. 18, 2023 (Outlet) -": AP-style month abbreviations, as news wires write them."""
        day = self.published
        month = AP_MONTHS.get(day.month, f"{day:%B}")
        return f"{self.home.upper()}, {month} {day.day}, {day.year} ({self.source}) -"

    def date(self) -> str:
        day = self.published - dt.timedelta(days=self.rng.randrange(1, 40))
        return f"{day:%B} {day.day}"

    def slots(self) -> dict[str, str]:
        rng, vocab = self.rng, self.vocab
        actor = rng.choice(vocab.civilian_actors)
        towns = rng.sample(vocab.towns, rng.randrange(3, 8))
        return {
            "city": rng.choice((self.home, *towns[:2])), "city2": towns[-1],
            "cities": ", ".join(towns[:-1]) + " and " + towns[-1], "n_towns": str(len(towns)),
            "province": rng.choice(vocab.provinces), "actor": actor, "actor_lower": actor.lower(),
            "state_actor": rng.choice(vocab.state_actors), "source": rng.choice(vocab.sources),
            "speaker": rng.choice(vocab.sources), "weekday": rng.choice(WEEKDAYS), "date": self.date(),
            "n": str(rng.randrange(2, 60)), "big": f"{rng.randrange(100, 9000):,}",
            "ordinal": rng.choice(ORDINALS), "grievance": rng.choice(GRIEVANCES),
            "person": f"{rng.choice(GIVEN_NAMES)} {rng.choice(vocab.towns)}i", "dateline": self.dateline(),
        }

    def sentence(self, templates: tuple[str, ...]) -> str:
        return self.rng.choice(templates).format(**self.slots())

    def paragraph(self) -> str:
        kinds = (LIST_SENTENCES, EVENT_SENTENCES, CLAIM_SENTENCES, QUOTE_SENTENCES, BACKGROUND_SENTENCES)
        weights = (2, 4, 1, 1, 4)
        count = self.rng.randrange(3, 6)
        return " ".join(self.sentence(self.rng.choices(kinds, weights)[0]) for _ in range(count))

    def text(self, words: int) -> str:
        parts = [self.sentence(HEADLINES), self.sentence(OPENINGS)]
        total = sum(len(p.split()) for p in parts)
        while total < words:
            parts.append(self.paragraph())
            total += len(parts[-1].split())
        return typeset("\n\n".join(parts) + "\n")


def typeset(text: str) -> str:
    """Typographic punctuation, as published news has it: “curly quotes”, ’ apostrophes and
    em dashes. (It matters for speed: spaCy's tokenizer is several times slower on such text
    than on plain ASCII, so an ASCII corpus would flatter the tokenizer floor.)"""
    text = _QUOTED.sub("\u201c\\1\u201d", text)
    return text.replace("'", "\u2019").replace(" - ", " \u2014 ")


def generate(n: int, *, seed: int = 0, words: int = DEFAULT_WORDS) -> list[Report]:
    """`n` synthetic reports of about `words` words each; deterministic for a given `seed`."""
    return list(iter_reports(n, seed=seed, words=words))


def iter_reports(n: int, *, seed: int = 0, words: int = DEFAULT_WORDS) -> Iterator[Report]:
    """The reports of `generate`, one at a time (for corpora too large to hold)."""
    rng = random.Random(seed)
    vocab = vocabulary()
    for number in range(n):
        writer = _Writer(rng, vocab)
        text = writer.text(words)
        yield Report(
            doc=f"bench-{seed}-{number:06d}", text=text, title=text.split("\n", 1)[0],
            published=writer.published, published_precision="day", publisher=writer.source,
            source_path="<bench>", fmt="text",
        )


def write_jsonl(reports: Iterator[Report] | list[Report], out: str | Path) -> int:
    """Write reports as a JSON Lines corpus the `jsonl` reader reads back; returns rows written."""
    count = 0
    with Path(out).open("w", encoding="utf-8") as f:
        for r in reports:
            row = {"id": r.doc, "title": r.title, "text": r.text, "publisher": r.publisher,
                   "published": r.published.isoformat() if r.published else None}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
