"""Tests of `eventledger.ingest.feed`: RSS and Atom feeds, one report per entry.

Every feed is written here (into pytest's tmp_path); the entries are invented for the tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eventledger import api
from eventledger.ingest import IngestFailure, discover, kind_of, read_paths
from eventledger.ingest.feed import html_to_text
from eventledger.models import Analysis, Report

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Amnesty International</title>
  <link>https://feeds.example.net/</link>
  <item>
    <title>Teachers rally in Shiraz over unpaid wages</title>
    <link>https://feeds.example.net/teachers-shiraz</link>
    <guid isPermaLink="false">example-teachers-shiraz</guid>
    <pubDate>Mon, 13 May 2024 10:00:00 GMT</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>On Sunday, teachers held a rally in <b>Shiraz</b> over unpaid wages.</p>
      <script>track();</script><p>Police detained four teachers,<br/>a union said.</p>]]></content:encoded>
  </item>
  <item>
    <title>Retirees gather in Ahvaz</title>
    <link>https://feeds.example.net/retirees-ahvaz</link>
    <pubDate>Tue, 14 May 2024 08:30:00 GMT</pubDate>
    <description>&lt;p&gt;Retirees gathered in Ahvaz on Monday, chanting slogans about pensions.&lt;/p&gt;</description>
  </item>
  <item>
    <title>An entry with nothing in it</title>
    <link>https://feeds.example.net/empty</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Neighbourhood Bulletin</title>
  <id>urn:example:bulletin</id>
  <updated>2024-06-02T09:00:00Z</updated>
  <entry>
    <id>urn:example:bulletin:1</id>
    <title>Nurses strike in Tabriz</title>
    <link href="https://bulletin.example.com/nurses-tabriz"/>
    <updated>2024-06-02T09:00:00Z</updated>
    <content type="html">&lt;p&gt;Nurses in Tabriz went on strike on Saturday.&lt;/p&gt;</content>
  </entry>
</feed>
"""

MALFORMED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Broken</title>
<item><title>Fine</title><description>Workers rallied in Arak.</description></item>
<item><title>Broken</foo>
</channel></rss>
"""

SITEMAP = """<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>"""


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def reports(items: list) -> list[Report]:
    return [i for i in items if isinstance(i, Report)]


def failures(items: list) -> list[IngestFailure]:
    return [i for i in items if isinstance(i, IngestFailure)]


def test_rss_entries_become_reports(tmp_path: Path) -> None:
    path = write(tmp_path, "news.rss", RSS)
    items = list(read_paths([path]))
    first, second = reports(items)
    assert first.doc == "example-teachers-shiraz"  # the guid
    assert second.doc == "https://feeds.example.net/retirees-ahvaz"  # no guid: the link
    assert first.title == "Teachers rally in Shiraz over unpaid wages"
    assert first.url == "https://feeds.example.net/teachers-shiraz"
    assert first.published == dt.date(2024, 5, 13) and first.published_precision == "day"
    assert first.publisher == "Amnesty International"  # the feed title, known to the registry
    assert first.fmt == "feed" and first.source_path == str(path)
    # content:encoded wins over the shorter description; HTML reduced to paragraphs
    assert first.text == "On Sunday, teachers held a rally in Shiraz over unpaid wages.\n\n" \
                         "Police detained four teachers,\n\na union said."
    assert "track" not in first.text and "<" not in second.text
    assert second.text == "Retirees gathered in Ahvaz on Monday, chanting slogans about pensions."


def test_entry_without_text_is_reported_and_the_others_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "news.rss", RSS)
    items = list(read_paths([path]))
    assert [f.path for f in failures(items)] == [f"{path}:3"]
    assert failures(items)[0].reason == "entry without text"
    assert len(reports(items)) == 2


def test_atom_feed_and_unknown_publisher(tmp_path: Path) -> None:
    (report,) = reports(list(read_paths([write(tmp_path, "bulletin.atom", ATOM)])))
    assert report.doc == "urn:example:bulletin:1"
    assert report.published == dt.date(2024, 6, 2)  # from <updated>: there is no <published>
    assert report.publisher == "Neighbourhood Bulletin"  # not in the registry: kept as given
    assert report.text == "Nurses in Tabriz went on strike on Saturday."


def test_xml_is_read_only_when_it_is_a_feed(tmp_path: Path) -> None:
    feed = write(tmp_path, "a-feed.xml", ATOM)
    sitemap = write(tmp_path, "sitemap.xml", SITEMAP)
    items = list(read_paths([tmp_path]))
    assert [r.doc for r in reports(items)] == ["urn:example:bulletin:1"]
    assert failures(items) == [IngestFailure(str(sitemap), "not an RSS or Atom feed")]
    assert discover([tmp_path]) == [feed, sitemap]


def test_malformed_feed_is_reported_and_skipped(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.rss", MALFORMED)
    good = write(tmp_path, "good.atom", ATOM)
    items = list(read_paths([broken, good]))
    (failure,) = failures(items)
    assert failure.path == str(broken) and failure.reason.startswith("malformed feed")
    assert [r.doc for r in reports(items)] == ["urn:example:bulletin:1"]  # the batch goes on


def test_feed_kinds() -> None:
    assert [kind_of(n) for n in ("a.rss", "b.ATOM", "c.xml", "d.html")] == ["feed", "feed", "feed", "html"]


def test_html_to_text() -> None:
    html = "<div><h2>Head</h2>Lead text <i>here</i>.<ul><li>one</li><li>two</li></ul><style>p{}</style>tail</div>"
    assert html_to_text(html) == "Head\n\nLead text here.\n\none\n\ntwo\n\ntail"
    assert html_to_text("plain words") == "plain words"


def test_feed_reports_go_through_the_pipeline(tmp_path: Path) -> None:
    write(tmp_path, "news.rss", RSS)
    items = list(api.extract([tmp_path]))
    analyses = [i for i in items if isinstance(i, Analysis)]
    assert [a.report.doc for a in analyses] == ["example-teachers-shiraz", "https://feeds.example.net/retirees-ahvaz"]
    assert all(a.document().published for a in analyses)
