"""A small hand-made ledger for the review and web tests (texts written for the tests).

Three documents: a workers' protest and arrests in Ahvaz with an execution figure; night
activism in Tehran and Mashhad and a strike in Rasht with a competing execution figure and a
statement; and a document whose title, publisher, text, places, actors and claimant are
markup and script payloads (`PAYLOADS`), which every view must show as text.

`build(extra=True)` adds a Persian report (`TEXT_FA`: evidence shown right to left), a report
read from a three-page PDF (`Report.pages`) and a long bulletin of `MANY` gatherings over half a
year (enough to page the review queue and move the map's date slider).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from eventledger.models import Analysis, Claim, Event, Report, Statement
from eventledger.store import Ledger

TEXT_A = ("Pension protest in Ahvaz\n\n"
          "Retired steel workers rallied outside the governorate in Ahvaz on Monday, May 6, 2024. "
          "Security forces arrested five of the protesters in Ahvaz the same day.\n\n"
          "A rights monitor says at least 300 people were executed in 2023.")
TEXT_B = ("Night activities in three cities\n\n"
          "Activists wrote slogans on walls in Tehran on March 12. "
          "Posters appeared in Mashhad on March 13. "
          "Bazaar merchants went on strike in Rasht on March 14.\n\n"
          "Another monitor counted 834 executions in 2023. "
          "A judiciary spokesman said the strike was illegal.")

PAYLOADS: tuple[str, ...] = (
    "<script>window.__xss = 1; alert(1)</script>",
    "<img src=x onerror=\"window.__xss = 2; alert(2)\">",
    "<svg onload=\"window.__xss = 3\">",
    "\"><svg onload=alert(4)>",
    "'><script>window.__xss = 5</script>",
    "<iframe src=\"javascript:alert(6)\"></iframe>",
    "<a href=\"javascript:alert(7)\">click me</a>",
    "<body onload=alert(8)>",
    "<input autofocus onfocus=\"window.__xss = 9\">",
    "<details open ontoggle=\"window.__xss = 10\">",
    "<video><source onerror=\"window.__xss = 11\"></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>",
    "</textarea><script>alert(13)</script>",
    "</title><script>alert(14)</script>",
    "<style>body { display: none }</style>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(16)\">",
    "<object data=\"javascript:alert(17)\"></object>",
    "<embed src=\"javascript:alert(18)\">",
    "<base href=\"http://evil.example/\">",
    "{{ 7 * 7 }} {% if 1 %}jinja{% endif %}",
    "<div style=\"background: url(javascript:alert(21))\">styled</div>",
    "<marquee onstart=\"window.__xss = 22\">",
    "javascript:alert(23)",
    "<form action=\"http://evil.example/\"><button>go</button></form>",
    "&lt;script&gt;alert(25)&lt;/script&gt;",
    "<svg><script>window.__xss = 26</script></svg>",
    "<scr<script>ipt>alert(27)</script>",
    "<link rel=stylesheet href=\"http://evil.example/x.css\">",
)
TEXT_X = "\n".join(PAYLOADS)
XSS_PLACE = PAYLOADS[3]  # "><svg onload=alert(4)>


def span(text: str, part: str) -> dict[str, Any]:
    start = text.index(part)
    return {"evidence": part, "evidence_start": start, "evidence_end": start + len(part)}


def _place(name: str, admin1: str, lat: float, lon: float, geonameid: int) -> dict[str, Any]:
    return {"location": name, "admin1": admin1, "country": "IR", "geonameid": geonameid, "latitude": lat,
            "longitude": lon, "geo_precision": "city"}


AHVAZ = _place("Ahvaz", "Khuzestan", 31.31901, 48.6842, 144448)
TEHRAN = _place("Tehran", "Tehran", 35.69439, 51.42151, 112931)
MASHHAD = _place("Mashhad", "Razavi Khorasan", 36.29807, 59.60567, 124665)
RASHT = _place("Rasht", "Gilan", 37.28077, 49.58319, 118743)


def analysis_a() -> Analysis:
    report = Report(doc="a.txt", text=TEXT_A, title="Pension protest in Ahvaz", publisher="Example Wire",
                    published=dt.date(2024, 5, 8), published_precision="day",
                    url="https://example.org/a")
    rally = span(TEXT_A, "Retired steel workers rallied outside the governorate in Ahvaz on Monday, May 6, 2024.")
    arrest = span(TEXT_A, "Security forces arrested five of the protesters in Ahvaz the same day.")
    events = (
        Event(doc="a.txt", event_type="protest", tactic="rally", date_start="2024-05-06", date_end="2024-05-06",
              time_precision="day", actor1="Retirees", actor_class="civilians", target="governorate", **AHVAZ,
              **rally),
        Event(doc="a.txt", event_type="arrest", tactic="arrest", date_start="2024-05-06", date_end="2024-05-06",
              time_precision="day", actor1="Security forces", actor_class="state", arrests=5, **AHVAZ, **arrest),
    )
    claims = (Claim(doc="a.txt", value=300, qualifier="at_least", category="executed", period_start="2023-01-01",
                    period_end="2023-12-31", place="IR", claimed_by="Rights Monitor A",
                    **span(TEXT_A, "A rights monitor says at least 300 people were executed in 2023.")),)
    return Analysis(report=report, events=events, claims=claims)


def analysis_b() -> Analysis:
    report = Report(doc="b.txt", text=TEXT_B, title="Night activities in three cities", publisher="Example Post",
                    published=dt.date(2024, 3, 15), published_precision="day")
    events = (
        Event(doc="b.txt", event_type="activism", tactic="graffiti", date_start="2024-03-12", date_end="2024-03-12",
              time_precision="day", actor1="Activists", actor_class="opposition", **TEHRAN,
              **span(TEXT_B, "Activists wrote slogans on walls in Tehran on March 12.")),
        Event(doc="b.txt", event_type="activism", tactic="poster", date_start="2024-03-13", date_end="2024-03-13",
              time_precision="day", actor_class="unknown", **MASHHAD,
              **span(TEXT_B, "Posters appeared in Mashhad on March 13.")),
        Event(doc="b.txt", event_type="protest", tactic="strike", date_start="2024-03-14", date_end="2024-03-14",
              time_precision="day", actor1="Merchants", actor_class="civilians", **RASHT,
              **span(TEXT_B, "Bazaar merchants went on strike in Rasht on March 14.")),
    )
    claims = (Claim(doc="b.txt", value=834, category="executed", period_start="2023-01-01", period_end="2023-12-31",
                    place="IR", claimed_by="Rights Monitor B",
                    **span(TEXT_B, "Another monitor counted 834 executions in 2023.")),)
    statements = (Statement(doc="b.txt", speaker="A judiciary spokesman", speaker_class="state", date="2024-03-15",
                            quote="the strike was illegal",
                            **span(TEXT_B, "A judiciary spokesman said the strike was illegal.")),)
    return Analysis(report=report, events=events, claims=claims, statements=statements)


def analysis_x() -> Analysis:
    """Every text field a view shows is a payload."""
    report = Report(doc="<b>xss</b>.txt", text=TEXT_X, title=PAYLOADS[13] + PAYLOADS[0], publisher=PAYLOADS[1],
                    published=dt.date(2024, 4, 2), url="javascript:alert('url')")
    doc = report.doc
    events = tuple(
        Event(doc=doc, event_type="protest", tactic="rally", date_start="2024-04-01", date_end="2024-04-01",
              time_precision="day", location=payload, admin1="Hormozgan", country="IR",
              latitude=27.18 + i * 0.01, longitude=56.27, geo_precision="city", actor1=PAYLOADS[2],
              actor_class="civilians", target=PAYLOADS[6], **span(TEXT_X, payload))
        for i, payload in enumerate(PAYLOADS[:4]))
    claims = (Claim(doc=doc, value=7, category="killed", period_start="2024-04-01", claimed_by=PAYLOADS[4],
                    place=PAYLOADS[5], **span(TEXT_X, PAYLOADS[7])),
              Claim(doc=doc, value=9, category="killed", period_start="2024-04-01", claimed_by=PAYLOADS[8],
                    **span(TEXT_X, PAYLOADS[9])))
    statements = (Statement(doc=doc, speaker=PAYLOADS[10], outlet=PAYLOADS[11], quote=PAYLOADS[12],
                            **span(TEXT_X, PAYLOADS[12])),)
    return Analysis(report=report, events=events, claims=claims, statements=statements)


TABRIZ = _place("Tabriz", "East Azerbaijan", 38.08, 46.2919, 113646)
# "Retired teachers gathered in front of the education office in Tabriz on 18 Dey 1402. Security
# agents arrested at least three of them." (written for these tests)
TEXT_FA = ("تجمع معلمان در تبریز\n\n"
           "معلمان بازنشسته روز ۱۸ دی ۱۴۰۲ در تبریز مقابل اداره آموزش و پرورش تجمع کردند. "
           "ماموران امنیتی دست‌کم سه نفر از آنان را بازداشت کردند.")
FA_RALLY = "معلمان بازنشسته روز ۱۸ دی ۱۴۰۲ در تبریز مقابل اداره آموزش و پرورش تجمع کردند."
PAGED_TEXT = ("Annual review\n\nFirst page: an introduction without events.\n\n"
              "Second page: the review counts the year's reports.\n\n"
              "Third page: nurses held a sit-in at a hospital in Tehran on 2 February 2024.")
PAGED_SIT_IN = "nurses held a sit-in at a hospital in Tehran on 2 February 2024."
MANY = 64  # events of the bulletin: more than a page (50) of the review queue
MANY_FIRST = dt.date(2023, 6, 1)
MANY_TOWNS = (AHVAZ, TEHRAN, MASHHAD, RASHT)


def analysis_fa() -> Analysis:
    report = Report(doc="fa.txt", text=TEXT_FA, title="تجمع معلمان در تبریز", publisher="Example Farsi",
                    published=dt.date(2024, 1, 9), published_precision="day", language="fa")
    events = (
        Event(doc="fa.txt", event_type="protest", tactic="rally", date_start="2024-01-08", date_end="2024-01-08",
              time_precision="day", actor1="Retired teachers", actor_class="civilians", **TABRIZ,
              **span(TEXT_FA, FA_RALLY)),
        Event(doc="fa.txt", event_type="arrest", tactic="arrest", date_start="2024-01-08", date_end="2024-01-08",
              time_precision="day", actor1="Security forces", actor_class="state", arrests=3, **TABRIZ,
              **span(TEXT_FA, "ماموران امنیتی دست‌کم سه نفر از آنان را بازداشت کردند.")),
    )
    return Analysis(report=report, events=events)


def analysis_paged() -> Analysis:
    """A report read from a PDF: the text of each page starts at an offset in `pages`."""
    starts = (0, PAGED_TEXT.index("Second page"), PAGED_TEXT.index("Third page"))
    report = Report(doc="review.pdf", text=PAGED_TEXT, title="Annual review", publisher="Example Review",
                    published=dt.date(2024, 2, 20), fmt="pdf", pages=starts)
    event = Event(doc="review.pdf", event_type="protest", tactic="rally", date_start="2024-02-02",
                  date_end="2024-02-02", time_precision="day", actor1="Nurses", actor_class="civilians", **TEHRAN,
                  **span(PAGED_TEXT, PAGED_SIT_IN))
    return Analysis(report=report, events=(event,))


def analysis_many() -> Analysis:
    """A bulletin of `MANY` gatherings, one every three days from `MANY_FIRST`, in four towns."""
    days = [MANY_FIRST + dt.timedelta(days=3 * i) for i in range(MANY)]
    lines = [f"Workers gathered in {MANY_TOWNS[i % 4]['location']} on {day:%d %B %Y}." for i, day in enumerate(days)]
    text = "Weekly bulletin\n\n" + " ".join(lines)
    report = Report(doc="many.txt", text=text, title="Weekly bulletin", publisher="Example Bulletin",
                    published=dt.date(2023, 12, 31), published_precision="day")
    events = tuple(
        Event(doc="many.txt", event_type="protest", tactic="rally", date_start=day.isoformat(),
              date_end=day.isoformat(), time_precision="day", actor1="Workers", actor_class="civilians",
              confidence=round(0.3 + 0.01 * (i % 50), 2), **MANY_TOWNS[i % 4], **span(text, lines[i]))
        for i, day in enumerate(days))
    return Analysis(report=report, events=events)


def build(path: Path, *, xss: bool = True, extra: bool = False) -> Path:
    """Write the test ledger at `path`; returns it. `extra`: with the Persian, paged and long reports."""
    more = [analysis_fa(), analysis_paged(), analysis_many()] if extra else []
    with Ledger(path) as ledger:
        ledger.write_many([analysis_a(), analysis_b(), *([analysis_x()] if xss else []), *more])
    return path
