"""Tests of `eventledger.ingest`: discovery, decoding, the three readers and the source registry.

Every input is written here (into pytest's tmp_path); the texts are invented for the tests.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401 - registers the "sloppy-windows-1252" codec
import pytest

from eventledger.ingest import (
    IngestError,
    IngestFailure,
    Limits,
    discover,
    read_file,
    read_items,
    read_paths,
)
from eventledger.ingest import text as text_reader
from eventledger.ingest.decode import decode, decode_bytes, looks_binary, repair
from eventledger.ingest.meta import content_id, language_of, parse_date
from eventledger.ingest.sources import (
    AFFILIATIONS,
    ENV_VAR,
    Registry,
    RegistryError,
    Source,
    load_registry,
    parse_registry,
)
from eventledger.models import Report

# --------------------------------------------------------------------------- helpers

ARTICLE = (
    "Sunday, March 3, 2020\n"
    "HomeNewsRegionWorkers rally over unpaid wages\n"
    "\n"
    "Workers rally over unpaid wages in two cities\n"
    "\n"
    "Reported by Amnesty International\n"
    "\n"
    "Hundreds of workers gathered outside provincial offices on Saturday, demanding wages "
    "that have not been paid for four months. Witnesses said police watched the crowd.\n"
    "\n"
    "A second gathering took place outside a factory, where workers chanted slogans.\n"
)

HTML_ARTICLE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Nurses strike over pay | Sample Monitor</title>
<meta property="og:title" content="Nurses strike over pay">
<meta property="og:site_name" content="Sample Monitor">
<meta property="og:url" content="https://www.iranhr.net/en/articles/1234/">
<meta property="article:published_time" content="2021-04-09T08:15:00+00:00">
<meta name="author" content="Sam Writer">
</head><body>
<header><div class="date">Friday, January 2, 2022</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/reports">Reports</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<main><article>
<h1>Nurses strike over pay</h1>
<p>Nurses at three hospitals stopped work on Tuesday morning to protest months of unpaid
overtime, according to a statement shared by their professional association.</p>
<p>The association said that nurses gathered in hospital courtyards and read out a list of
demands, including the reinstatement of colleagues dismissed after earlier protests.</p>
<p>Hospital managers declined to comment. Patients' relatives told reporters that emergency
wards kept working throughout the strike.</p>
</article></main>
<footer><p>Copyright 2022 Sample Monitor.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""

EMPTY_HTML = "<html><body></body></html>"


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def binary_bytes(n: int = 2048) -> bytes:
    rng = random.Random(7)
    data = bytearray(rng.getrandbits(8) for _ in range(n))
    data[10] = data[500] = 0
    return bytes(data)


def one(path: Path, **kwargs: object) -> Report:
    reports = read_file(path, **kwargs)  # type: ignore[arg-type]
    assert len(reports) == 1
    return reports[0]


def failure_of(path: Path, **kwargs: object) -> IngestFailure:
    items = list(read_paths([path], **kwargs))  # type: ignore[arg-type]
    assert len(items) == 1 and isinstance(items[0], IngestFailure), items
    return items[0]


@pytest.fixture
def registry() -> Registry:
    return load_registry()


# --------------------------------------------------------------------------- plain text


def test_text_report_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "017_wages.txt", ARTICLE)
    report = one(path)
    assert report.doc == "017_wages.txt"
    assert report.text == ARTICLE
    assert report.title == "Workers rally over unpaid wages in two cities"
    assert report.publisher == "Amnesty International"
    assert report.published is None and report.published_precision is None
    assert report.source_path == str(path)
    assert report.fmt == "text"
    assert report.language == "en"


def test_text_title_skips_banner_and_breadcrumb(tmp_path: Path) -> None:
    content = "728 x 90\n\nHome > News > Iran\n\nStudents hold sit-in at university\n\nBody text here.\n"
    assert one(write(tmp_path / "a.txt", content)).title == "Students hold sit-in at university"


def test_text_without_headline_has_no_title(tmp_path: Path) -> None:
    content = "Students held a sit-in on Monday at the university campus. They demanded answers.\n"
    assert one(write(tmp_path / "a.txt", content)).title is None


def test_unknown_byline_is_no_publisher(tmp_path: Path) -> None:
    content = "Drivers strike in the capital\n\nBy Jane Doe\n\nDrivers stopped work on Monday.\n"
    report = one(write(tmp_path / "a.txt", content))
    assert report.publisher is None
    assert report.author == "Jane Doe"


def test_byline_part_names_publisher(tmp_path: Path) -> None:
    content = "Drivers strike in the capital\n\nBy Jane Doe, Reuters\n\nDrivers stopped work on Monday.\n"
    assert one(write(tmp_path / "a.txt", content)).publisher == "Reuters"


@pytest.mark.parametrize("opening, publisher", [
    ("TEHRAN, Oct. 3 (IRNA) \u2013 Drivers stopped work on Monday.", "IRNA"),
    ("DUBAI, May 24, 2025 (Reuters) - Drivers stopped work on Monday.", "Reuters"),
    ("HRANA \u2013 On Monday, drivers stopped work in the capital.", "HRANA"),
    ("TEHRAN (Sample Wire) \u2014 Drivers stopped work on Monday.", None),  # not a registered source
    ("Iran, May 5, 2020 - Drivers stopped work on Monday.", None),
    ("Drivers stopped work on Monday (ILNA) - so it was said.", None),  # no dateline: too far in
])
def test_a_dateline_credit_names_the_publisher(tmp_path: Path, opening: str, publisher: str | None) -> None:
    content = f"Drivers strike in the capital\n\n{opening}\n\nMore drivers joined them later in the week.\n"
    assert one(write(tmp_path / "a.txt", content)).publisher == publisher


@pytest.mark.parametrize("line, publisher", [
    ("Iran Human Rights Monitor", "Iran Human Rights Monitor"),
    ("NCRI Staff", "NCRI"),
    ("Jane Doe", None),
])
def test_a_line_naming_a_source_under_the_headline_is_the_publisher(tmp_path: Path, line: str,
                                                                    publisher: str | None) -> None:
    content = f"Teachers hold protests over pay\n\n{line}\n\nTeachers in many cities held rallies on Sunday.\n"
    assert one(write(tmp_path / "a.txt", content)).publisher == publisher


def test_a_byline_outlet_wins_over_a_dateline_credit(tmp_path: Path) -> None:
    content = "Drivers strike in the capital\n\nBy Jane Doe, Reuters\n\nTEHRAN (IRNA) \u2013 Drivers stopped work.\n"
    assert one(write(tmp_path / "a.txt", content)).publisher == "Reuters"


def test_dates_in_text_are_not_read(tmp_path: Path) -> None:
    content = "Drivers strike in the capital\n\nTehran, May 5, 2020 - Drivers stopped work on Monday.\n"
    assert one(write(tmp_path / "a.txt", content)).published is None


def test_markdown_front_matter(tmp_path: Path) -> None:
    content = (
        "---\ntitle: \"Bakers protest flour prices\"\ndate: 2020-05\npublisher: hrw\n"
        "url: https://example.org/bakers\n---\n# Ignored heading\n\nBakers closed their shops.\n"
    )
    report = one(write(tmp_path / "bakers.md", content))
    assert report.title == "Bakers protest flour prices"
    assert report.published == dt.date(2020, 5, 1) and report.published_precision == "month"
    assert report.publisher == "Human Rights Watch"
    assert report.url == "https://example.org/bakers"
    assert report.text.startswith("# Ignored heading")


def test_markdown_heading_is_title(tmp_path: Path) -> None:
    report = one(write(tmp_path / "a.md", "# Bakers protest flour prices\n\nBakers closed shops.\n"))
    assert report.title == "Bakers protest flour prices"


def test_persian_text_language(tmp_path: Path) -> None:
    content = "تجمع کارگران در تهران\n\nکارگران روز شنبه مقابل ساختمان استانداری تجمع کردند.\n"
    assert one(write(tmp_path / "fa.txt", content)).language == "fa"


def test_crlf_newlines_normalised(tmp_path: Path) -> None:
    report = one(write(tmp_path / "a.txt", "Drivers strike in the capital\r\n\r\nDrivers stopped.\r\n"))
    assert "\r" not in report.text
    assert report.text == "Drivers strike in the capital\n\nDrivers stopped.\n"


# --------------------------------------------------------------------------- decoding


def test_cp1252_text(tmp_path: Path) -> None:
    content = "Workers gather in Tehran’s square\n\nThey chanted “bread, work, freedom” – police watched.\n"
    report = one(write(tmp_path / "w.txt", content, encoding="cp1252"))
    assert report.text == content


def test_latin1_text(tmp_path: Path) -> None:
    content = "Le régime a arrêté des étudiants à Téhéran le 3 décembre. Ça suffit, dit-il.\n"
    report = one(write(tmp_path / "fr.txt", content, encoding="latin-1"))
    assert report.text == content


def test_mojibake_repaired(tmp_path: Path) -> None:
    clean = "Iran’s teachers — “we will strike” — said on Monday.\n"
    broken = clean.encode("utf-8").decode("sloppy-windows-1252")  # as a careless decoder would
    assert "â€™" in broken
    report = one(write(tmp_path / "m.txt", broken))
    assert report.text == clean


def test_utf16_with_bom(tmp_path: Path) -> None:
    content = "Drivers strike in the capital\n\nDrivers stopped work.\n"
    report = one(write(tmp_path / "u.txt", content, encoding="utf-16"))
    assert report.text == content


def test_utf8_bom_dropped(tmp_path: Path) -> None:
    report = one(write(tmp_path / "b.txt", b"\xef\xbb\xbfDrivers strike in the capital\n"))
    assert report.text == "Drivers strike in the capital\n"


def test_decode_helpers() -> None:
    assert decode(b"Iran\xe2\x80\x99s") == "Iran’s"
    assert repair("plain text") == "plain text"
    assert looks_binary("abc\x00def")
    assert not looks_binary("a normal line\twith a tab\n")
    with pytest.raises(IngestError, match="binary file"):
        decode_bytes(binary_bytes())
    with pytest.raises(IngestError, match="empty file"):
        decode_bytes(b" \n\t\n")


# --------------------------------------------------------------------------- broken files


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path / "data.txt", binary_bytes())
    assert failure_of(path) == IngestFailure(str(path), "binary file")


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "blank.txt", content)
    assert failure_of(path).reason == "empty file"
    with pytest.raises(IngestError, match="empty file"):
        read_file(path)


def test_empty_html(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.html", EMPTY_HTML)
    assert failure_of(path) == IngestFailure(str(path), "no text found in HTML")


def test_oversized_file(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "Drivers strike in the capital\n" + "word " * 100)
    size = path.stat().st_size
    failure = failure_of(path, limits=Limits(max_bytes=100))
    assert failure.reason == f"file too large ({size} bytes > 100)"


def test_missing_and_unsupported_paths(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.txt"
    other = write(tmp_path / "table.ods", b"PK\x03\x04")
    items = list(read_paths([missing, other]))
    assert items == [
        IngestFailure(str(missing), "no such file or directory"),
        IngestFailure(str(other), "unsupported file type (.ods)"),
    ]


def test_unexpected_reader_error_becomes_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: object) -> list[Report]:
        raise RuntimeError("reader bug\nsecond line")

    monkeypatch.setattr(text_reader, "read", explode)
    path = write(tmp_path / "a.txt", ARTICLE)
    failure = failure_of(path)
    assert failure.reason == "unexpected error (RuntimeError: reader bug)"


# --------------------------------------------------------------------------- HTML


def test_html_article(tmp_path: Path) -> None:
    path = write(tmp_path / "nurses.html", HTML_ARTICLE)
    report = one(path)
    assert report.doc == "nurses.html" and report.fmt == "html"
    assert report.title == "Nurses strike over pay"
    assert "Nurses at three hospitals stopped work" in report.text
    assert "emergency\nwards" in report.text or "emergency wards" in report.text
    for chrome in ("Contact us", "Privacy policy", "Copyright", "January 2, 2022"):
        assert chrome not in report.text
    assert report.published == dt.date(2021, 4, 9) and report.published_precision == "day"
    assert report.url == "https://www.iranhr.net/en/articles/1234/"
    assert report.publisher == "Iran Human Rights"  # by the URL's domain, over the site name
    assert report.author == "Sam Writer"


def test_html_without_metadata(tmp_path: Path) -> None:
    page = ("<html><body><article><p>Reported by HRANA</p><h2>Miners stop work at two pits</h2>"
            "<p>Miners at two coal pits stopped work on Sunday over safety conditions and delayed "
            "wages, and gathered outside the company offices for several hours.</p>"
            "<p>Company representatives met a delegation of the miners in the afternoon.</p>"
            "</article></body></html>")
    report = one(write(tmp_path / "mine.html", page))
    assert report.title == "Miners stop work at two pits"
    assert report.publisher == "HRANA"
    assert report.published is None and report.url is None


def test_html_site_name_when_domain_unknown(tmp_path: Path) -> None:
    page = HTML_ARTICLE.replace("https://www.iranhr.net/en/articles/1234/", "https://example.org/a")
    assert one(write(tmp_path / "a.html", page)).publisher == "Sample Monitor"


def test_html_header_date_is_not_published(tmp_path: Path) -> None:
    page = HTML_ARTICLE.replace('content="2021-04-09T08:15:00+00:00"', 'content="soon"')
    assert one(write(tmp_path / "a.htm", page)).published is None


@pytest.mark.parametrize(("metadata", "published", "precision"), [
    ('<meta property="article:published_time" content="2021-04">', dt.date(2021, 4, 1), "month"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020"}</script>',
     dt.date(2020, 1, 1), "year"),
])
def test_html_partial_date(tmp_path: Path, metadata: str, published: dt.date, precision: str) -> None:
    stated = '<meta property="article:published_time" content="2021-04-09T08:15:00+00:00">'
    page = HTML_ARTICLE.replace(stated, metadata)
    report = one(write(tmp_path / "a.html", page))
    assert (report.published, report.published_precision) == (published, precision)


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1"])
def test_html_declared_legacy_charset(tmp_path: Path, charset: str) -> None:
    page = HTML_ARTICLE.replace('charset="utf-8"', f'charset="{charset}"').replace(
        "Hospital managers declined", "Hospital managers – “busy” – declined"
    )
    report = one(write(tmp_path / "a.html", page, encoding="cp1252"))
    assert "managers – “busy” – declined" in report.text


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_rows_and_bad_rows(tmp_path: Path) -> None:
    rows = [
        json.dumps({"id": "r1", "text": "Farmers protested water cuts.", "title": "Farmers protest",
                    "published": "2020-06-02", "publisher": "irna", "url": "https://example.org/f"}),
        "",
        json.dumps({"id": "r2", "title": "No text here"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"text": "Retirees gathered again.", "url": "https://www.tasnimnews.com/en/x"}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(rows) + "\n")
    items = list(read_paths([path]))
    reports = [i for i in items if isinstance(i, Report)]
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert [r.doc for r in reports] == ["r1", content_id("Retirees gathered again.")]
    first, second = reports
    assert first.title == "Farmers protest" and first.fmt == "jsonl"
    assert first.published == dt.date(2020, 6, 2) and first.published_precision == "day"
    assert first.publisher == "IRNA"
    assert second.publisher == "Tasnim"  # by domain
    assert second.source_path == str(path)
    assert [(f.path, f.reason.split(" (")[0]) for f in failures] == [
        (f"{path}:3", "missing text"),
        (f"{path}:4", "invalid JSON"),
        (f"{path}:5", "row is not a JSON object"),
    ]
    assert len(read_file(path)) == 2


def test_jsonl_without_usable_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.jsonl", "{oops\n")
    with pytest.raises(IngestError, match="no usable rows"):
        read_file(path)
    assert [i.reason for i in read_paths([path])] == ["invalid JSON (Expecting property name "
                                                       "enclosed in double quotes at column 2)"]


def test_jsonl_row_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "big.jsonl", json.dumps({"text": "x" * 500}) + "\n")
    items = read_items(path, limits=Limits(max_bytes=100))
    assert isinstance(items[0], IngestFailure) and items[0].reason.startswith("row too large")


def test_jsonl_binary(tmp_path: Path) -> None:
    assert failure_of(write(tmp_path / "x.jsonl", binary_bytes())).reason == "binary file"


# --------------------------------------------------------------------------- directories


def test_directory_of_good_and_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    good = write(folder / "001_good.txt", ARTICLE)
    binary = write(folder / "002_binary.txt", binary_bytes())
    empty = write(folder / "003_empty.txt", b"")
    empty_html = write(folder / "004_empty.html", EMPTY_HTML)
    notes = write(folder / "notes.csv", "a,b\n")  # unsupported inside a directory: named with its reason
    write(folder / ".hidden.txt", ARTICLE)  # hidden: ignored
    items = list(read_paths([folder]))
    reports = [i for i in items if isinstance(i, Report)]
    assert [r.doc for r in reports] == [good.name]
    assert [i for i in items if isinstance(i, IngestFailure)] == [
        IngestFailure(str(binary), "binary file"),
        IngestFailure(str(empty), "empty file"),
        IngestFailure(str(empty_html), "no text found in HTML"),
        IngestFailure(str(notes), "unsupported file type (.csv)"),
    ]


def test_recursion_and_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.md", "a/b/c.html", "c.jsonl", ".git/x.txt", "a/.cache/y.txt", "d/e.bin"]:
        write(tmp_path / name, "x")
    expected = [tmp_path / n for n in ["a/b/c.html", "a/z.md", "b.txt", "c.jsonl", "d/e.bin"]]
    assert discover([tmp_path]) == expected
    assert discover([str(tmp_path)]) == expected  # same again, from a str


def test_input_order_and_duplicates(tmp_path: Path) -> None:
    second = write(tmp_path / "b" / "2.txt", "x")
    first = write(tmp_path / "a" / "1.txt", "x")
    assert discover([tmp_path / "b", first, tmp_path]) == [second, first]


def test_doc_is_path_relative_to_the_argument(tmp_path: Path) -> None:
    write(tmp_path / "2020" / "05" / "045_rally.txt", ARTICLE)
    (report,) = list(read_paths([tmp_path]))
    assert isinstance(report, Report) and report.doc == "2020/05/045_rally.txt"
    (named,) = list(read_paths([tmp_path / "2020" / "05" / "045_rally.txt"]))  # a file named: its name
    assert isinstance(named, Report) and named.doc == "045_rally.txt"


# --------------------------------------------------------------------------- registry


def test_registry_by_domain(registry: Registry) -> None:
    assert registry.by_domain("https://english.mojahedin.org/i/news") == "PMOI/MEK"
    assert registry.by_domain("https://www.ncr-iran.org/en/news/") == "NCRI"
    assert registry.by_domain("http://WWW.IRNA.IR/news/1") == "IRNA"
    assert registry.by_domain("amnesty.org/en/latest") == "Amnesty International"
    assert registry.by_domain("https://www.bbc.com/persian/iran-1") == "BBC Persian"
    assert registry.by_domain("https://www.bbc.com/news/world") == "BBC"
    assert registry.by_domain("https://www.bbc.com/persianx") == "BBC"
    assert registry.by_domain("https://notamnesty.org/") is None
    assert registry.by_domain("https://example.org") is None
    assert registry.by_domain(None) is None


def test_registry_by_name(registry: Registry) -> None:
    assert registry.by_name("PMOI/MEK") == "PMOI/MEK"
    assert registry.by_name("pmoi / mek") == "PMOI/MEK"
    assert registry.by_name("People’s Mojahedin Organization of Iran") == "PMOI/MEK"
    assert registry.by_name("the Associated Press") == "Associated Press"
    assert registry.by_name("AMNESTY INTERNATIONAL.") == "Amnesty International"
    assert registry.by_name("National Council of Resistance of Iran") == "NCRI"
    assert registry.by_name("Jane Doe") is None
    assert registry.by_name("") is None


def test_registry_affiliation(registry: Registry) -> None:
    assert registry.affiliation("MEK") == "opposition-affiliated"
    assert registry.affiliation("IRNA") == "state"
    assert registry.affiliation("Fars News Agency") == "state-affiliated"
    assert registry.affiliation("HRANA") == "independent human-rights group"
    assert registry.affiliation("Reuters") == "international media"
    assert registry.affiliation("Nobody Weekly") == "unknown"
    assert {s.affiliation for s in registry.sources} <= set(AFFILIATIONS)


def test_registry_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    custom = write(tmp_path / "mine.toml", '[[source]]\nname = "Local Herald"\naliases = ["LH"]\n'
                   'domains = ["herald.example"]\naffiliation = "domestic independent media"\n')
    monkeypatch.setenv(ENV_VAR, str(custom))
    registry = load_registry()
    assert registry.by_name("lh") == "Local Herald"
    assert registry.by_domain("https://news.herald.example/x") == "Local Herald"
    assert registry.by_name("IRNA") is None
    assert load_registry(custom) is registry  # cached


@pytest.mark.parametrize(("toml", "message"), [
    ('[[source]]\nname = "A"\naffiliation = "friendly"\n', "affiliation 'friendly'"),
    ('[[source]]\nname = "A"\naliases = ["X"]\n[[source]]\nname = "B"\naliases = ["x"]\n', "name 'x'"),
    ('[[source]]\nname = "A"\ndomains = ["a.org"]\n[[source]]\nname = "B"\ndomains = ["www.a.org"]\n',
     "domain 'www.a.org'"),
    ('[[source]]\naliases = ["X"]\n', "`name` is missing"),
    ('[[source]]\nname = "A"\ncolour = "red"\n', "unknown key"),
    ("[[source]\n", "sources.toml"),
])
def test_registry_errors(toml: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry(toml)


def test_registry_from_sources() -> None:
    registry = Registry.from_sources([Source("Alpha", ("A1",), ("alpha.example/fa",), "unknown")])
    assert registry.by_domain("https://alpha.example/fa/1") == "Alpha"
    assert registry.by_domain("https://alpha.example/en/1") is None


def test_bad_registry_is_a_failure_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(write(tmp_path / "broken.toml", "[[source]\n")))
    failure = failure_of(write(tmp_path / "a.txt", ARTICLE))
    assert failure.reason.startswith("source registry:")


# --------------------------------------------------------------------------- helpers and speed


@pytest.mark.parametrize(("value", "expected"), [
    ("2020-05-14", (dt.date(2020, 5, 14), "day")),
    ("2020-05-14T10:00:00Z", (dt.date(2020, 5, 14), "day")),
    ("2020-05", (dt.date(2020, 5, 1), "month")),
    ("2020", (dt.date(2020, 1, 1), "year")),
    ("2020-13-01", (None, None)),
    ("May 14, 2020", (None, None)),
    (None, (None, None)),
])
def test_parse_date(value: object, expected: tuple[object, object]) -> None:
    assert parse_date(value) == expected


def test_language_of() -> None:
    assert language_of("Plain English.") == "en"
    assert language_of("Café in Tehran") == "en"
    assert language_of("اعتراض کارگران in Tehran") == "fa"


def test_clean_utf8_skips_encoding_detection(tmp_path: Path) -> None:
    body = ("Workers gathered outside the governor’s office on Saturday, demanding unpaid wages. "
            "Witnesses said police watched the crowd.\n\n")
    path = write(tmp_path / "five.txt", (ARTICLE + body * 40)[:5000])
    import charset_normalizer

    calls = []
    original = charset_normalizer.from_bytes
    charset_normalizer.from_bytes = lambda *a, **k: calls.append(1) or original(*a, **k)
    try:
        (report,) = read_file(path)
    finally:
        charset_normalizer.from_bytes = original
    assert not calls, "clean UTF-8 must not pay for encoding detection"
    assert report.text.startswith(ARTICLE[:20])
