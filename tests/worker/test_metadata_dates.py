"""Published dates: markup against URL and printed dates, printed forms, last resorts."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement

from worker.html import parse_html
from worker.metadata import extract_metadata
from worker.metadata.dates import labelled_date, normalise, printed_date, seen_texts, url_date


def page(head: str = "", body: str = "") -> HtmlElement:
    root, _ = parse_html(f"<html><head>{head}</head><body>{body}</body></html>", 1_000_000)
    assert root is not None
    return root


def published(head: str = "", body: str = "", url: str | None = None) -> str | None:
    return extract_metadata(page(head, body), url, "").published


def meta_time(value: str) -> str:
    return f'<meta property="article:published_time" content="{value}">'


@pytest.mark.parametrize(
    ("stated", "url", "expected"),
    [
        # The slug was made the day before the story went out.
        (
            "2021-04-07T16:12:05+02:00",
            "https://news.example/2021/04/06/slug.html",
            "2021-04-07T16:12:05+02:00",
        ),
        # Early in the UTC day is the evening of the URL's day in the Americas.
        ("2021-08-13T03:41:10Z", "https://news.example/2021/08/12/slug/", "2021-08-12"),
        # Years later is a republication: the URL keeps the first day.
        ("2020-09-02T11:20:00+02:00", "https://blog.example/2018/5/23/slug", "2018-05-23"),
        # The markup a day before the URL: the URL's day stands.
        ("2017-03-14T20:05:41Z", "https://blog.example/2017/03/15/slug/", "2017-03-15"),
    ],
)
def test_the_url_date_yields_only_to_a_markup_date_days_after_it(
    stated: str, url: str, expected: str
) -> None:
    assert published(meta_time(stated), "<h1>Headline here</h1>", url) == expected


def test_a_printed_date_that_agrees_with_the_markup_beats_one_the_lead_mentions() -> None:
    body = "<h1>Fair in Kiel</h1><p>The fair opens on 14 June 2021.</p><p>02.03.2021, 08:15 Uhr</p>"
    stated = "2021-03-02T08:15:00+01:00"
    assert published(meta_time(stated), body) == stated


def test_a_date_printed_far_below_the_headline_does_not_beat_the_markup() -> None:
    prose = "The club is looking for a volunteer coach for its youth team. " * 8
    body = f"<h1>Coach wanted</h1><p>{prose}</p><p>Apply by 30.09.2019.</p>"
    stated = "2019-08-20T10:00:00+00:00"
    assert published(meta_time(stated), body) == stated


def test_a_date_printed_close_below_the_headline_still_beats_the_markup() -> None:
    body = "<h1>Headline here</h1><p>7. November 2022</p>"
    assert published(meta_time("2022-11-01T10:00:00+01:00"), body) == "2022-11-07"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("5 June, 2021, 10:12 pm", "2021-06-05"),
        ("Reisen 19/03/2021", "2021-03-19"),
        ("11/28/2018 07:15 AM EST", "2018-11-28"),
        # Either order would do: no date rather than a guess.
        ("05/06/2022", None),
        ("Posted Sept. 4, 2020", "2020-09-04"),
        ("3 de mayo de 2022 21:25", "2022-05-03"),
        ("04 de mayo 2022, 12:00 A. M.", "2022-05-04"),
        # A word where a month's name would go is passed over for the date after it.
        ("Folge 3, 2019 – am 12. März 2020", "2020-03-12"),
        # An impossible date is passed over for a later one of the same form.
        ("31.02.2020 oder 01.03.2020", "2020-03-01"),
    ],
)
def test_printed_forms(text: str, day: str | None) -> None:
    assert printed_date(text) == day


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://verein.example/mitteilungen/14-09-2020", "2020-09-14"),
        ("https://verein.example/news/4-3-2020/bericht", "2020-03-04"),
        ("https://shop.example/artikel/12-34-5678", None),
    ],
)
def test_day_first_dates_in_urls(url: str, day: str | None) -> None:
    assert url_date(url) == day


def test_a_labelled_date_anywhere_is_the_last_resort() -> None:
    menu = " ".join(f"<a>Thema {number}</a>" for number in range(120))
    body = (
        f"<h1>Amt für Beispiele</h1><nav>{menu}</nav>"
        "<div><span>Datum</span> <span>03.06.2021</span></div><p>Die Meldung.</p>"
    )
    assert published(body=body) == "2021-06-03"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Datum: 07.05.2020 Im Amtsblatt", "2020-05-07"),
        ("Published on March 4, 2020 by Jane", "2020-03-04"),
        # A date further on in the sentence is no labelled date.
        ("Datum der Sitzung wird am 07.05.2020 bekanntgegeben", None),
    ],
)
def test_labelled_dates(text: str, day: str | None) -> None:
    assert labelled_date(text) == day


def test_a_meta_that_names_the_publication_beats_a_plain_date() -> None:
    head = (
        '<meta name="sailthru.date" content="2021-07-09T08:30:00Z">'
        '<meta property="og:article:published_time" content="2021-07-08T14:45:00Z">'
    )
    assert published(head, "<h1>Headline here</h1>") == "2021-07-08T14:45:00+00:00"


def test_script_texts_are_not_seen_but_the_text_after_a_script_is() -> None:
    script = "<script>var date = '01.01.2020';</script>"
    root = page(body=f"<p>Datum</p>{script}03.06.2021<style>p{{}}</style>")
    assert seen_texts(root) == ["Datum", "03.06.2021"]


def test_a_labelled_date_in_a_script_is_no_date() -> None:
    body = "<h1>Amt für Beispiele</h1><script>datum: '03.06.2021'</script><p>Die Meldung.</p>"
    assert published(body=body) is None


def test_a_page_without_headline_has_its_date_read_from_its_first_text() -> None:
    filler = "<p>" + "Ein langer Absatz ohne jedes Datum darin. " * 40 + "</p>"
    body = f"<article><p>Beispielstadt, 04.03.2020</p>{filler}<p>am 05.05.2021</p></article>"
    assert published(body=body) == "2020-03-04"


def test_a_printed_date_days_after_the_last_revision_is_no_publication_day() -> None:
    head = (
        meta_time("2019-11-17T21:18:06+01:00")
        + '<meta property="article:modified_time" content="2019-11-17T21:18:06+01:00">'
    )
    body = "<h1>Sign the petition</h1><p>You can sign it until 25. November 2019.</p>"
    assert published(head, body) == "2019-11-17T21:18:06+01:00"


def test_a_printed_date_on_the_day_of_the_last_revision_still_wins() -> None:
    head = (
        meta_time("2017-04-12T18:33:59+02:00")
        + '<meta property="article:modified_time" content="2020-02-19T15:24:33+01:00">'
    )
    body = "<h1>Headline here</h1><p>Jane Doe | 19 février 2020</p>"
    assert published(head, body) == "2020-02-19"


def test_the_day_a_forum_member_joined_is_no_date_of_the_post() -> None:
    body = (
        "<div><p>jane_doe</p><p>Beiträge: 1626</p><p>Registriert: 18.09.2008, 05:56</p>"
        "<p>Beitrag von jane_doe » 21.01.2009, 05:42</p><p>Was ist ein Beispiel?</p></div>"
    )
    assert published(body=body) == "2009-01-21"


def test_the_times_of_comments_are_no_date_of_the_article() -> None:
    filler = "<p>" + "The episode explains how stars make carbon and oxygen. " * 20 + "</p>"
    body = (
        f"<article><h1>Episode 158</h1>{filler}<p>Veröffentlicht am 16.08.2019</p></article>"
        '<div id="comments"><ol class="comment-list"><li class="comment">'
        '<time datetime="2019-08-24T03:36:11+02:00">24. August 2019</time>'
        "<p>Thanks for this episode!</p></li></ol></div>"
    )
    assert published(body=body) == "2019-08-16"


def test_an_article_time_beats_a_meta_date_that_does_not_say_which() -> None:
    head = '<meta name="dcterms.date" content="2022-01-21T09:43+01:00">'
    body = '<h1>Headline here</h1><p><time datetime="2022-01-25T08:00:00+01:00">Dienstag</time></p>'
    assert published(head, body) == "2022-01-25T08:00:00+01:00"


def test_a_labelled_revision_dates_a_page_that_gives_no_other_date() -> None:
    filler = "<p>" + "Snow maps for the whole of the Alps, updated every day. " * 20 + "</p>"
    body = f"<h1>Snow maps</h1>{filler}<p>Letzte Änderung: 14.01.2022 um 09:25</p>"
    assert published(body=body) == "2022-01-14"


def test_a_labelled_publication_beats_a_labelled_revision() -> None:
    filler = "<p>" + "Snow maps for the whole of the Alps, updated every day. " * 20 + "</p>"
    body = (
        f"<h1>Snow maps</h1>{filler}<p>Last updated: 14.01.2022</p>"
        "<p>Published on 3 January 2022</p>"
    )
    assert published(body=body) == "2022-01-03"


def test_the_first_date_printed_in_the_article_is_the_last_resort() -> None:
    filler = "<p>" + "After seven years I am closing this blog for good, with thanks. " * 20
    body = (
        f"<article><h1>Time to say goodbye</h1>{filler}</p>"
        # A calendar's cells, read together, would make "29 March 2020".
        '<div class="calendar"><span>29</span><span>March 2020</span></div>'
        "<p>Benni, 10. September 2017</p></article>"
    )
    assert published(body=body) == "2017-09-10"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Abgerufen am 09.11.2022: https://journal.example/article", None),
        ("Retrieved 23 November 2022 from the archive", None),
        ("Stand: 31.10.2022", "2022-10-31"),
    ],
)
def test_a_source_read_on_a_day_dates_no_article(text: str, day: str | None) -> None:
    body = f"<article><h1>Headline here</h1><p>{text}</p></article>"
    assert published(body=body) == day


def test_a_less_trusted_markup_date_on_the_printed_day_gives_its_time() -> None:
    head = meta_time("2023-11-06T18:19:00+01:00") + (
        '<meta name="dc.date" content="2023-11-07T07:30:00+01:00">'
    )
    body = "<h1>Headline here</h1><p>Stand: 07.11.2023</p>"
    assert published(head, body) == "2023-11-07T07:30:00+01:00"


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("May 4, 2020 10:15 PM EST", "2020-05-04T22:15:00-05:00"),
        ("04.05.2020 10:15 MESZ", "2020-05-04T10:15:00+02:00"),
        ("Mon, 04 May 2020 10:15:00 EDT", "2020-05-04T10:15:00-04:00"),
        ("May 4, 2020 10:15 GMT", "2020-05-04T10:15:00+00:00"),
        ("Mon, May 4 2020 10:15 +0530 (IST)", "2020-05-04T10:15:00+05:30"),
        # A name of several zones: the time as printed, without a zone (and no warning).
        ("May 4, 2020 10:15 IST", "2020-05-04T10:15:00"),
    ],
)
def test_a_zone_printed_after_a_time_gives_its_offset_where_it_names_one(
    text: str, moment: str
) -> None:
    assert normalise(text) == moment
