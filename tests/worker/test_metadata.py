"""extract_metadata on pages written for these tests: each source, each field, bad input."""

from __future__ import annotations

import copy

import lxml.html
import pytest
from lxml.html import HtmlElement

from worker.html import parse_html
from worker.metadata import extract_metadata
from worker.metadata.dates import printed_date
from worker.models import Metadata

URL = "https://news.example/2021/06/14/city-council-votes/"


def page(head: str = "", body: str = "", lang: str = "en") -> HtmlElement:
    root, _ = parse_html(
        f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>',
        1_000_000,
    )
    assert root is not None
    return root


NEWS_PAGE = page(
    head="""
    <title>City council votes to widen the river path | The Riverside Courier</title>
    <meta property="og:site_name" content="The Riverside Courier">
    <meta property="og:title" content="City council votes to widen the river path">
    <meta property="og:description" content="  The vote   ends a two-year dispute. ">
    <meta property="og:image" content="/img/path.jpg">
    <meta property="article:section" content="Local">
    <meta property="article:tag" content="transport">
    <meta property="article:tag" content="council">
    <link rel="canonical" href="/2021/06/14/city-council-votes/">
    <script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "@id": "#site", "name": "The Riverside Courier"},
      {"@type": "NewsArticle", "headline": "City council votes to widen the river path",
       "datePublished": "2021-06-14T09:30:00-04:00", "dateModified": "2021-06-15T08:00:00Z",
       "author": [{"@id": "#ana"}, {"@type": "Person", "name": "BEN OKAFOR"}],
       "publisher": {"@type": "Organization", "name": "The Riverside Courier"}},
      {"@type": "Person", "@id": "#ana", "name": "Ana Lima"}
    ]}
    </script>""",
    body="""
    <header><h1>City council votes to widen the river path</h1>
    <p class="byline">By Ana Lima and Ben Okafor</p></header>
    <article><p>The council voted 7-2 on Monday.</p></article>""",
)


def test_reads_every_field_of_a_news_page() -> None:
    metadata = extract_metadata(NEWS_PAGE, URL, "The council voted 7-2 on Monday.")

    assert metadata == Metadata(
        title="City council votes to widen the river path",
        authors=("Ana Lima", "Ben Okafor"),
        published="2021-06-14T09:30:00-04:00",
        modified="2021-06-15T08:00:00+00:00",
        outlet="The Riverside Courier",
        canonical_url=URL,
        language="en",
        description="The vote ends a two-year dispute.",
        image="https://news.example/img/path.jpg",
        section="Local",
        tags=("transport", "council"),
    )


def test_leaves_the_tree_untouched() -> None:
    root = page(head="<title>A quiet week</title>", body="<h1>A quiet week</h1><p>Text.</p>")
    before = lxml.html.tostring(root)
    pristine = copy.deepcopy(root)

    extract_metadata(root, None, "Text.")

    assert lxml.html.tostring(root) == before == lxml.html.tostring(pristine)


def test_empty_page_gives_what_the_url_gives() -> None:
    assert extract_metadata(None, URL, "") == Metadata(
        published="2021-06-14", outlet="news.example"
    )
    assert extract_metadata(None, None, "") == Metadata()


@pytest.mark.parametrize(
    ("title_tag", "headings", "expected"),
    [
        ("Storm closes the harbour - Coast Daily", "", "Storm closes the harbour"),
        ("Coast Daily | Storm closes the harbour", "", "Storm closes the harbour"),
        # A heading the head title confirms wins, in the page's own spelling.
        (
            "Storm Closes The Harbour – Coast Daily",
            "<h1>Storm closes the harbour</h1>",
            "Storm closes the harbour",
        ),
        # A blog's site name set as <h1> around a link home is not the headline.
        (
            "Storm closes the harbour « Coast Daily",
            '<h1><a href="/">Coast Daily</a></h1><h2>Other</h2>',
            "Storm closes the harbour",
        ),
        # A kicker line inside the <h1> is dropped when the head title says so.
        (
            "Storm closes the harbour - Coast Daily",
            "<h1><span>Weather</span><span>Storm closes the harbour</span></h1>",
            "Storm closes the harbour",
        ),
        # A lone heading the head does not confirm is still the page's headline.
        ("Coast Daily", "<h1>Storm closes the harbour</h1>", "Storm closes the harbour"),
    ],
)
def test_title_is_the_headline_without_the_site_name(
    title_tag: str, headings: str, expected: str
) -> None:
    root = page(
        head=f'<title>{title_tag}</title><meta property="og:site_name" content="Coast Daily">',
        body=headings,
    )
    assert extract_metadata(root, None, "").title == expected


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By JANE DOE Associated Press", ("Jane Doe",)),
        ("By Associated Press", ()),
        ("Von Anna Müller und Jonas Weber", ("Anna Müller", "Jonas Weber")),
        ("By Jane Doe, Staff Writer", ("Jane Doe",)),
        ("By Jane Doe | Updated March 4, 2020, 10:02 a.m.", ("Jane Doe",)),
        ("Par Marie-Claire Dupont (AFP)", ("Marie-Claire Dupont",)),
        ("By Jane Doe and Jane Doe, The Associated Press", ("Jane Doe",)),
        ("Text: Luis de la Fuente", ("Luis de la Fuente",)),
    ],
)
def test_authors_are_people_only(byline: str, authors: tuple[str, ...]) -> None:
    root = page(body=f'<h1>Headline here</h1><div class="byline">{byline}</div>')
    assert extract_metadata(root, None, "").authors == authors


def test_authors_prefer_json_ld_and_drop_the_outlet_itself() -> None:
    root = page(
        head="""<meta name="author" content="Coast Daily">
        <meta property="og:site_name" content="Coast Daily">""",
        body='<h1>Headline here</h1><span class="author">Coast Daily</span>',
    )
    assert extract_metadata(root, None, "").authors == ()


def test_comment_authors_are_not_the_byline() -> None:
    root = page(
        body="""<article><h1>Headline here</h1><p>Body.</p>
        <div id="comments"><div class="comment-author">Troll 42 says</div></div></article>"""
    )
    assert extract_metadata(root, None, "").authors == ()


@pytest.mark.parametrize(
    ("head", "body", "published"),
    [
        (
            '<meta property="article:published_time" content="2020-03-04T10:20:00Z">',
            "",
            "2020-03-04T10:20:00+00:00",
        ),
        (
            '<meta name="date" content="Wed, 04 Mar 2020 10:20:00 +0100">',
            "",
            "2020-03-04T10:20:00+01:00",
        ),
        ('<meta name="dc.date.issued" content="04.03.2020">', "", "2020-03-04"),
        (
            "",
            '<h1>Headline here</h1><p class="meta">Veröffentlicht am 4. März 2020</p>',
            "2020-03-04",
        ),
        ("", '<h1>Headline here</h1><p class="meta">Published March 4, 2020</p>', "2020-03-04"),
    ],
)
def test_published_date_from_head_or_page(head: str, body: str, published: str) -> None:
    assert extract_metadata(page(head=head, body=body), None, "").published == published


def test_a_time_without_a_date_is_no_date() -> None:
    root = page(head='<meta name="date" content="14:33">', body="<p>No date here.</p>")
    assert extract_metadata(root, None, "").published is None


def test_url_date_and_language_variants() -> None:
    root = page(head='<meta property="og:locale" content="de_DE">', lang="")
    metadata = extract_metadata(root, "https://x.example/2019/10/22/slug/", "")
    assert (metadata.published, metadata.language) == ("2019-10-22", "de")


@pytest.mark.parametrize(
    "json_ld",
    [
        "{not json",
        "[]",
        '{"@type": "NewsArticle", "author": 42, "headline": {"x": 1}, "datePublished": true}',
        '{"@type": ["NewsArticle"], "author": [null, {"name": ["A B"]}], "image": [{}]}',
        '{"@graph": "nope", "@type": 7}',
    ],
)
def test_bad_json_ld_never_raises(json_ld: str) -> None:
    root = page(head=f'<script type="application/ld+json">{json_ld}</script>')
    metadata = extract_metadata(root, "not a url", "")
    assert metadata.agency is None
    assert metadata.published is None


def test_malformed_urls_never_raise() -> None:
    root = page(
        head='<link rel="canonical" href="http://[oops/"><meta property="og:image" content="http://[x">',
        body='<h1><a href="http://[bad">Site</a></h1>',
    )
    metadata = extract_metadata(root, "http://[broken/2020/01/02/", "")
    assert (metadata.canonical_url, metadata.image, metadata.outlet) == (None, None, None)


@pytest.mark.parametrize(
    ("body", "authors"),
    [
        # The label in an element of its own, the name in the next one.
        (
            '<h1>Headline here</h1><div class="meta"><span>By</span>'
            '<a href="/people/jane-doe">Jane Doe</a><span>March 4, 2020</span></div>',
            ("Jane Doe",),
        ),
        # Only the label's line: the tags on the next line are no names.
        (
            "<h1>Headline here</h1><p><strong>Autor:</strong> <a>Max Muster</a><br>"
            "<strong>Tags:</strong> Bahn, Bau</p>",
            ("Max Muster",),
        ),
        # Empty lines between the label and the name are skipped.
        ("<h1>Headline here</h1><p><b>Von:</b><br><br>Götz Beispiel</p>", ("Götz Beispiel",)),
        # The label ends its block; the name is in the block after.
        (
            '<h1>Headline here</h1><div><div class="label"><p><strong>By</strong></p></div>'
            "<div><p>Todd Example</p></div></div>",
            ("Todd Example",),
        ),
        # A label for screen readers, opened by a separator.
        (
            '<h1>Headline here</h1><p><span class="sr-only">| By </span> <span>Cara Roe</span></p>',
            ("Cara Roe",),
        ),
        (
            '<h1>Headline here</h1><div class="info">Ein Artikel von <strong>Pia Muster'
            "</strong> | 27.01.2022 - 12:45</div>",
            ("Pia Muster",),
        ),
        (
            "<h1>Headline here</h1><p><em>Written by: <a>Julie Example</a></em></p>",
            ("Julie Example",),
        ),
    ],
)
def test_bylines_whose_label_and_name_are_set_apart(body: str, authors: tuple[str, ...]) -> None:
    assert extract_metadata(page(body=body), None, "").authors == authors


def test_a_headline_opening_with_von_is_no_byline() -> None:
    root = page(
        body="""<h1>Von Sprachregeln und ganz normalem Deutsch</h1>
        <div class="meta"><span>Autor: Fritz Beispiel</span></div>""",
        lang="de",
    )
    assert extract_metadata(root, None, "").authors == ("Fritz Beispiel",)


@pytest.mark.parametrize(
    "byline",
    [
        "von beispiel.example Redaktion",
        "Von Pressestelle",
        "By Editorial Team",
        "Donnerstag, 4. November 2021",
    ],
)
def test_editorial_teams_and_weekdays_are_no_people(byline: str) -> None:
    root = page(body=f'<h1>Headline here</h1><div class="author">{byline}</div>')
    assert extract_metadata(root, None, "").authors == ()


def test_a_byline_printed_after_the_article() -> None:
    root = page(
        body="""<article><h1>Headline here</h1><p>The article's only paragraph.</p></article>
        <p class="credit">Von Jana Beispiel und Tom Muster, NDR</p>"""
    )
    assert extract_metadata(root, None, "").authors == ("Jana Beispiel", "Tom Muster")


def test_midnight_in_europe_stored_in_utc_is_the_next_day() -> None:
    head = '<meta property="article:published_time" content="2021-11-04T23:00:00Z">'
    root = page(head=head, body="<h1>Headline here</h1><p>No printed date.</p>")
    assert extract_metadata(root, None, "").published == "2021-11-05"


def test_a_real_time_late_in_the_utc_day_is_kept() -> None:
    head = '<meta property="article:published_time" content="2021-11-04T23:14:09Z">'
    root = page(head=head, body="<h1>Headline here</h1><p>No printed date.</p>")
    assert extract_metadata(root, None, "").published == "2021-11-04T23:14:09+00:00"


@pytest.mark.parametrize(
    ("head", "body", "published"),
    [
        # Markup between the headline and its date: "Headline</h1><p>10.11.2021".
        (
            "",
            "<div><h1>Headline here</h1><p><em>10.11.2021</em></p>"
            "<p>Bis einschließlich 9. November 2021 wurden gezählt.</p></div>",
            "2021-11-10",
        ),
        # A two-digit year, as many German pages print it.
        ("", "<h1>Headline here</h1><p>Von: Jan Muster | 31.10.23</p>", "2023-10-31"),
        # A date inside the <h1>.
        ("", '<h1>Headline here <span class="date">02.02.2022</span></h1>', "2022-02-02"),
        # A kicker above the headline is nearer than a date in the body.
        (
            "",
            "<div><p>02.02.2022 • Verband</p><h1>Headline here</h1>"
            "<p>The clubs may welcome more spectators again. Under the rule that came "
            "into force on 28.01.2022, up to half of the seats may be sold.</p></div>",
            "2022-02-02",
        ),
        # The printed day wins over the markup's day in another time zone...
        (
            '<meta property="article:published_time" content="2022-11-06T23:00:00Z">',
            "<h1>Headline here</h1><p>7. November 2022</p>",
            "2022-11-07",
        ),
        # ...and the markup's date-time is kept when both agree.
        (
            '<meta property="article:published_time" content="2022-11-07T09:00:00+01:00">',
            "<h1>Headline here</h1><p>7. November 2022</p><p>Am 1. Mai 2022 begann es.</p>",
            "2022-11-07T09:00:00+01:00",
        ),
    ],
)
def test_printed_date_near_the_headline(head: str, body: str, published: str) -> None:
    assert extract_metadata(page(head=head, body=body), None, "").published == published


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Stand: 31.10.23, 14:50", "2023-10-31"),
        ("Update 1.10.22.4 is out", None),
        ("see 192.168.10.22 for the server", None),
    ],
)
def test_two_digit_years_but_no_version_numbers(text: str, day: str | None) -> None:
    assert printed_date(text) == day
