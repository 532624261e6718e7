"""Report heads of many layouts (wire, NGO, state media, blogs), written for the tests, each with
the publication date a reader would give it.

`expected` is the date; for a page whose only top date is the day the page was viewed (a date
above the site's navigation), `rejected` names that date, which must not come out as the
publication date with precision "day".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

D = dt.date
BODY = ("Dozens of nurses gathered outside the provincial health office on Monday to demand months of "
        "unpaid overtime, and security forces detained at least three of them, witnesses said.")


@dataclass(frozen=True)
class Head:
    name: str
    text: str
    expected: dt.date | None = None
    rejected: dt.date | None = None


HEADS: list[Head] = [
    Head("wire: byline, then a date with a 24h time",
         "Nurses protest unpaid overtime in northern city\nBy Jane Doe\nMarch 3, 2021 - 14:05\n\n" + BODY,
         D(2021, 3, 3)),
    Head("state media: weekday and a numeric date that the weekday orders",
         "Health workers rally over wages\nFriday, 03/05/2021\n\n" + BODY,
         D(2021, 3, 5)),
    Head("news site: weekday, day-month-year and an AM/PM time",
         "Retirees gather outside parliament for third week\nTuesday, 9 June 2020 08:15 AM\n\n" + BODY,
         D(2020, 6, 9)),
    Head("short date with a two-digit year",
         "Nurses stage sit-in at city hospital\n12 Feb 24\n\n" + BODY,
         D(2024, 2, 12)),
    Head("'Updated:' label with the time first",
         "Police disperse teachers' march\nUpdated: 14:32 GMT, 21 November 2022\n\n" + BODY,
         D(2022, 11, 21)),
    Head("'Published:' label and an ISO date with a time",
         "Truck drivers strike over fuel prices\nPublished: 2023-01-09 10:15\n\n" + BODY,
         D(2023, 1, 9)),
    Head("blog: 'Posted on ... by admin'",
         "Students boycott classes after arrests\nPosted on October 5, 2022 by admin\n\n" + BODY,
         D(2022, 10, 5)),
    Head("an author and a date on one line",
         "Bakers close shops in protest at flour shortage\nBy Sara Karimi | April 18, 2021\n\n" + BODY,
         D(2021, 4, 18)),
    Head("a date with 'at', an AM/PM time and a time zone",
         "Farmers block highway over water rights\nMarch 3, 2021 at 2:05 pm EST\n\n" + BODY,
         D(2021, 3, 3)),
    Head("NGO release: the date alone under the headline, a document index below",
         "Free the detained labour activists now\n\n23 May 2022\n\nIndex: ABC 12/3456/2022\n\n" + BODY,
         D(2022, 5, 23)),
    Head("Persian digits, a Solar Hijri numeric date",
         "Nurses protest in Rasht\n\u06f1\u06f4\u06f0\u06f1/\u06f0\u06f8/\u06f1\u06f5\n\n" + BODY,
         D(2022, 11, 6)),
    Head("Solar Hijri date with a Persian month name and a time",
         "Workers rally in Ahvaz\n\u06f1\u06f4 \u0622\u0630\u0631 \u06f1\u06f4\u06f0\u06f1 - "
         "\u06f1\u06f0:\u06f3\u06f0\n\n" + BODY,
         D(2022, 12, 5)),
    Head("dotted numeric date and a time, no other clue: day first",
         "Pensioners demonstrate in the capital\n07.11.2022 | 18:40\n\n" + BODY,
         D(2022, 11, 7)),
    Head("numeric date ordered by the dates the text reports (the other reading is before them)",
         "Workers detained after strike\n04/11/2022\n\nOn 2 November 2022, " + BODY,
         D(2022, 11, 4)),
    Head("numeric date ordered by the dates the text reports (the nearer reading after them)",
         "Workers detained after strike\n11/04/2022\n\nOn April 9, 2022, " + BODY,
         D(2022, 4, 11)),
    Head("RFC-style weekday, date, seconds and an offset",
         "Lorry drivers extend strike\nThu, 3 Mar 2022 14:05:33 +0330\n\n" + BODY,
         D(2022, 3, 3)),
    Head("ISO timestamp",
         "Teachers hold silent protest\n2022-09-21T18:30:00Z\n\n" + BODY,
         D(2022, 9, 21)),
    Head("'Last updated on' with an ordinal day and a zone",
         "Miners walk out over safety\nLast updated on 3rd March 2021, 10:15 IST\n\n" + BODY,
         D(2021, 3, 3)),
    Head("an author, a dash and a date",
         "Steel workers march for second day\nJane Doe - March 3, 2021\n\n" + BODY,
         D(2021, 3, 3)),
    Head("author line, reading time, then the date line",
         "Oil contract workers strike spreads\nBy Jane Doe, Example Wire\n5 min read\nMarch 3, 2021 | 14:05\n\n" + BODY,
         D(2021, 3, 3)),
    Head("a date above the menu is the day the page was viewed",
         "Saturday, July 27, 2024\nHome | Iran | Human Rights | About\n\nNurses protest unpaid overtime\n\n"
         "On June 2, 2022, " + BODY,
         D(2022, 6, 3), rejected=D(2024, 7, 27)),
    Head("a viewed date with a time above a vertical menu",
         "Tue, 9 Jun 2020 08:15\nMenu\nHome\nNews\nContact\n\nNurses protest unpaid overtime in the north\n\n"
         "On May 30, 2019, " + BODY,
         D(2019, 5, 31), rejected=D(2020, 6, 9)),
    Head("a viewed date above glued menu items, then the byline date under the headline",
         "Saturday, July 27, 2024\nHomeNewsIran\n\nNurses protest unpaid overtime in the north\n"
         "March 3, 2021 - 14:05\n\n" + BODY,
         D(2021, 3, 3)),
    Head("a banner, a viewed date and a menu of words",
         "Advertisement\nWednesday, 12 April 2023\nHome News Politics World Sports\n\n"
         "Nurses protest unpaid overtime in the north\n\nOn 2 February 2021, " + BODY,
         D(2021, 2, 3), rejected=D(2023, 4, 12)),
    Head("a date and a time zone in words",
         "Shopkeepers strike in the bazaar\nMarch 3, 2021, 14:05 (Tehran time)\n\n" + BODY,
         D(2021, 3, 3)),
    Head("'Posted:' with a numeric date ordered by the dates the text reports",
         "Retirees rally for pensions\nPosted: 09/06/2020 - 08:15 AM\n\nOn Monday, 8 June 2020, " + BODY,
         D(2020, 6, 9)),
    Head("blog: a date, an author and a category",
         "Students boycott classes after arrests\nOctober 5, 2022 by admin in Human rights\n\n" + BODY,
         D(2022, 10, 5)),
    Head("a credit, a short date and reading time separated by dots",
         "Nurses stage sit-in at city hospital\nBy Staff Writer \u00b7 12 Feb 24 \u00b7 3 min read\n\n" + BODY,
         D(2024, 2, 12)),
    Head("a US numeric date that the weekday orders",
         "Teachers strike in three provinces\nTuesday 06/09/2020\n\n" + BODY,
         D(2020, 6, 9)),
    Head("a numeric date that only one order allows",
         "Retirees rally for pensions\n28/02/2023 11:20\n\n" + BODY,
         D(2023, 2, 28)),
    Head("'Released on:' and a weekday",
         "Rights group condemns arrests of activists\nReleased on: Monday 9 November 2020\n\n" + BODY,
         D(2020, 11, 9)),
    Head("a slashed ISO date with a time",
         "Nurses protest unpaid overtime\n2021/03/05 14:05\n\n" + BODY,
         D(2021, 3, 5)),
    Head("Solar Hijri date in Latin letters with a weekday",
         "Workers rally in Ahvaz\nSaturday, 28 Mordad 1402\n\n" + BODY,
         D(2023, 8, 19)),
    Head("a date heading the page with nothing above the headline stays rejected",
         "Saturday, July 27, 2024\nNurses protest unpaid overtime in the north\n\nOn June 2, 2022, " + BODY,
         D(2022, 6, 3), rejected=D(2024, 7, 27)),
    Head("a breadcrumb under the headline's kicker, then the date line",
         "Home > Middle East > Iran\n\nNurses protest unpaid overtime in the north\n"
         "Wed 3 Mar 2021 14.05 GMT\n\n" + BODY,
         D(2021, 3, 3)),
    # written after the first version of the date-line reader, as a held-out check
    Head("UN kicker, headline, date alone",
         "Press releases | Special Procedures\n\nExperts alarmed by surge in executions\n\n14 March 2023\n\n" + BODY,
         D(2023, 3, 14)),
    Head("AP: author line in capitals, 'Updated' with time first and a GMT offset",
         "Nurses protest in the capital\nBy JANE DOE and JOHN ROE\nUpdated 4:12 PM GMT+1, March 3, 2023\n\n" + BODY,
         D(2023, 3, 3)),
    Head("'Published On' without a colon, repeated date",
         "Nurses protest in the capital\nPublished On 3 Mar 2023\n3 Mar 2023\n\n" + BODY, D(2023, 3, 3)),
    Head("date then Share",
         "Nurses protest in the capital\n3 March 2023\nShare\n\n" + BODY, D(2023, 3, 3)),
    Head("blog: lowercase author line then date",
         "Nurses protest in the capital\nby admin\nMarch 3, 2023\n\n" + BODY, D(2023, 3, 3)),
    Head("agency: news id line then date with time",
         "Nurses protest in the capital\nNews ID: 85012345\nMar 3, 2023, 10:12 AM\n\n" + BODY, D(2023, 3, 3)),
    Head("breadcrumb, headline, 'Posted by: Staff | date'",
         "Home \u00bb News \u00bb Nurses protest\nNurses protest in the capital\n"
         "Posted by: Staff | 3 March 2023\n\n" + BODY,
         D(2023, 3, 3)),
    Head("same day and month",
         "Nurses protest in the capital\n3/3/2023\n\n" + BODY, D(2023, 3, 3)),
    Head("Solar Hijri ISO",
         "Nurses protest in the capital\n1401-12-12\n\n" + BODY, D(2023, 3, 3)),
    Head("'Last Updated:' weekday, date, bar, time, zone",
         "Nurses protest in the capital\nLast Updated: Friday, 03 March 2023 | 10:12 AM IST\n\n" + BODY, D(2023, 3, 3)),
    Head("ordinal with 'at' and lowercase am",
         "Nurses protest in the capital\nMarch 3rd, 2023 at 10:12 am\n\n" + BODY, D(2023, 3, 3)),
    Head("viewed date above menu, numeric byline ordered by reported weekday-dated event",
         "Tuesday, 14 May 2024\nHome | News | Iran\n\nNurses protest in the capital\n05/03/2023 10:12\n\n"
         "On Saturday, 4 March 2023, " + BODY, D(2023, 3, 5)),
    Head("date in caps month with hyphens",
         "Nurses protest in the capital\n03-MAR-2023 10:12\n\n" + BODY, D(2023, 3, 3)),
    Head("date followed by location and author",
         "Nurses protest in the capital\nMarch 3, 2023 | Tehran | Jane Doe\n\n" + BODY, D(2023, 3, 3)),
    Head("viewed date above the menu with time, no other date",
         "Friday, March 3, 2023 10:12 AM\nHome | World | Iran | Opinion\n\nNurses protest in the capital\n\n"
         "Last week, " + BODY, None, rejected=D(2023, 3, 3)),
]
