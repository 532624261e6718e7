"""HTML pages (`.html`, `.htm`): main text and metadata through trafilatura.

* text: trafilatura's main-text extraction (navigation, footers and comments dropped);
* title, author, url (canonical link / og:url) and site name from the page's metadata;
* published: the page's metadata date (meta tags, JSON-LD, <time>; no guessing from the
  prose, so a page-header date is not taken for it) with precision "day"; a metadata date
  given as only "YYYY-MM" or "YYYY" keeps precision "month" or "year";
* publisher: the registry source owning the URL's domain, else the registry source named by
  the site name or by a byline in the text, else the site name as given;
* title: the page's, else a headline at the top of the text (as for plain text).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from eventledger.ingest import text as text_reader
from eventledger.ingest.decode import decode_bytes, normalise_newlines, repair, strip_noncharacters
from eventledger.ingest.errors import IngestError
from eventledger.ingest.meta import clean_line, language_of, parse_date
from eventledger.ingest.sources import Registry
from eventledger.models import Report

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_CHARSET_WINDOW = 4096
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]*)"')
_PUBLISHED_KEYS = frozenset({
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued", "dcterms.date",
    "dcterms.issued", "citation_publication_date", "citation_date", "sailthru.date",
})
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_PAGE_CHROME = "//nav | //header[not(ancestor::article) and not(ancestor::main)]"


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> near its top, if any."""
    m = _CHARSET.search(data[:_CHARSET_WINDOW])
    return m.group(1).decode("ascii", "replace") if m else None


def _attributes(tag: str) -> dict[str, str]:
    return {key.casefold(): double or single for key, double, single in _ATTRIBUTE.findall(tag)}


def metadata_dates(markup: str) -> list[tuple[dt.date, str]]:
    """(date, precision) of every publication date in the page's meta tags and JSON-LD."""
    values: list[str] = []
    for tag in _META_TAG.findall(markup):
        attrs = _attributes(tag)
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
        if key.casefold() in _PUBLISHED_KEYS and attrs.get("content"):
            values.append(attrs["content"])
    values.extend(_JSONLD_PUBLISHED.findall(markup))
    found = (parse_date(v) for v in values)
    return [(d, p) for d, p in found if d is not None and p is not None]


def published_of(found: str | None, markup: str) -> tuple[dt.date | None, str | None]:
    """The publication date from trafilatura's `found` date and the page's own metadata.

    The date extractor completes "2023-05" to a full day (or skips it); the metadata says
    how precise the date really is. Full dates the extractor rejected (e.g. in the future)
    stay rejected.
    """
    stated = sorted(metadata_dates(markup), key=lambda dp: _PRECISION_RANK[dp[1]])
    day, _ = parse_date(found)
    if day is None:
        partial = [(d, p) for d, p in stated if p != "day" and d <= dt.date.today()]
        return partial[0] if partial else (None, None)
    for date, precision in stated:
        if date == day and precision == "day":
            return day, "day"
    for date, precision in stated:
        same_month = precision == "month" and (date.year, date.month) == (day.year, day.month)
        if same_month or (precision == "year" and date.year == day.year):
            return date, precision
    return day, "day"


MAX_ATTRIBUTES = 256  # per tag; more are dropped before parsing (`tame_attributes`)
_ANY_ATTRIBUTE = r"""(?>[\s/]+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?)"""
_CROWDED_TAG = re.compile(rf"<[A-Za-z][^\s/>]*(?:{_ANY_ATTRIBUTE}){{{MAX_ATTRIBUTES + 1},}}")
_ONE_ATTRIBUTE = re.compile(_ANY_ATTRIBUTE)


def tame_attributes(markup: str) -> str:
    """`markup` with every tag cut to its first `MAX_ATTRIBUTES` attributes. libxml2 checks a
    tag's attributes against each other, in time quadratic in their number, and its parse cannot
    be interrupted: one tag with 250,000 attributes took two minutes."""
    return _CROWDED_TAG.sub(_first_attributes, markup)


def _first_attributes(match: re.Match[str]) -> str:
    tag = match.group(0)
    attributes = _ONE_ATTRIBUTE.finditer(tag)
    for _ in range(MAX_ATTRIBUTES):
        last = next(attributes)
    return tag[:last.end()]


def extract(markup: str) -> Any:
    """trafilatura's document (text + metadata) for `markup`, or None if it finds no text.

    The page's own chrome (navigation, and a <header> outside the article) is cut first, so
    that a date printed in a site header is not read as the publication date.
    """
    import trafilatura

    tree = trafilatura.load_html(markup)
    if tree is None:
        return None
    for element in tree.xpath(_PAGE_CHROME):
        if element.getparent() is not None:
            element.drop_tree()
    today = dt.date.today().isoformat()
    return trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"original_date": True, "extensive_search": False, "max_date": today},
    )


def publisher_of(url: str | None, sitename: str | None, byline: str | None, registry: Registry,
                 credit: tuple[str, ...] = ()) -> str | None:
    """The URL's registered source, else the registered source named by the site name, by a
    byline in the text or by a dateline's credit, else the site name as given."""
    site = clean_line(sitename)
    return (
        registry.by_domain(url) or registry.by_name(site)
        or text_reader.publisher_of(byline, registry, credit) or site
    )


def too_deep(markup: str) -> bool:
    """True when the page is nested deeper than the HTML parser reads (libxml2 stops at 255
    levels and drops the rest; its unlimited mode would let recursion overflow instead)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        lxml.html.document_fromstring(markup, parser=parser)
    except (ValueError, lxml.etree.LxmlError):
        return False
    return any("Excessive depth" in error.message for error in parser.error_log)


def _no_text(markup: str) -> IngestError:
    depth = " (nested too deeply: the parser stops at 255 levels)" if too_deep(markup) else ""
    return IngestError(f"no text found in HTML{depth}")


def read(path: Path, data: bytes, registry: Registry) -> list[Report]:
    markup = tame_attributes(strip_noncharacters(decode_bytes(data, hint=declared_charset(data))))
    try:
        document = extract(markup)
    except RecursionError:
        raise IngestError("HTML nested too deeply to read") from None
    body = getattr(document, "text", None) or ""
    if not body.strip():
        raise _no_text(markup)
    text = repair(normalise_newlines(body))
    published, precision = published_of(getattr(document, "date", None), markup)
    url = clean_line(getattr(document, "url", None))
    head = text_reader.read_head(text)
    return [Report(
        doc=path.name,
        text=text,
        title=clean_line(getattr(document, "title", None)) or head.title,
        url=url,
        author=clean_line(getattr(document, "author", None)),
        published=published,
        published_precision=precision,
        publisher=publisher_of(url, getattr(document, "sitename", None), head.byline, registry, head.credit),
        language=language_of(text),
        source_path=str(path),
        fmt="html",
    )]
