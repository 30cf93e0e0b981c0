"""The cleaning stage on pages written for these tests: one test per kind of noise."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from worker.clean import extract_body
from worker.html import parse_html
from worker.models import Body, BodyStatus

PAGES = Path(__file__).parent / "pages" / "clean"

PROSE = (
    "The city council voted on Tuesday to rebuild the old river bridge, ending a debate "
    "that had divided the town for more than a decade and delayed two earlier plans.",
    "Engineers said the new span would carry trams as well as cars, and that work could "
    "start next spring if the regional government releases its share of the money.",
    "Residents who crowded into the council chamber cheered the result, although several "
    "shop owners warned that two years of roadworks would keep customers away.",
    "The mayor promised a temporary footbridge during construction, and said the council "
    "would publish the full timetable for the project before the end of the month.",
)


def clean(html: str) -> Body:
    root, _ = parse_html(html, 1_000_000)
    return extract_body(root, "https://news.example/story")


def article(*inserts: str, before: str = "", after: str = "") -> str:
    """A news page whose body is ``PROSE`` with ``inserts`` after its second paragraph."""
    paragraphs = [f"<p>{text}</p>" for text in PROSE]
    paragraphs[2:2] = inserts
    return (
        "<html><head><title>Council Votes to Rebuild the River Bridge</title></head><body>"
        f"{before}<article><h1>Council Votes to Rebuild the River Bridge</h1>"
        f"<div class='story'>{''.join(paragraphs)}</div></article>{after}</body></html>"
    )


def assert_all_prose(body: Body) -> None:
    assert body.status is BodyStatus.OK
    for text in PROSE:
        assert text in body.text


# --- what the body is ------------------------------------------------------------


def test_body_is_the_prose_one_paragraph_per_block() -> None:
    body = clean(article())
    assert body.text == "\n\n".join(PROSE)
    assert body.html == "\n".join(f"<p>{text}</p>" for text in PROSE)
    assert body.truncated is False


def test_headline_byline_and_date_lines_are_not_repeated_in_the_body() -> None:
    body = clean(
        article(
            "<div class='byline'>By Maria Lopez, Staff Writer</div>",
            "<p>By Maria Lopez</p>",
            "<p>Updated 10:42 a.m. March 4, 2021</p>",
        )
    )
    assert "Council Votes" not in body.text
    assert "Maria Lopez" not in body.text
    assert "10:42" not in body.text
    assert_all_prose(body)


def test_dateline_stays_at_the_start_of_the_first_paragraph() -> None:
    page = article().replace("<p>The city council", "<p>LISBON, Portugal (AP) — The city council")
    assert clean(page).text.startswith("LISBON, Portugal (AP) — The city council voted")


def test_html_keeps_sub_heads_lists_quotes_links_and_images() -> None:
    body = clean(
        article(
            "<h2>Money from the region</h2>",
            "<ul><li>Trams on the upper deck</li><li>Cycle lanes on both sides</li></ul>",
            "<blockquote>A bridge for the next hundred years, said the engineer.</blockquote>",
            '<p>Read <a href="https://council.example/plan.pdf">the plan</a> & its annex.</p>',
            '<p><img src="https://img.example/bridge.jpg" alt="The old bridge"></p>',
        )
    )
    assert "<h2>Money from the region</h2>" in body.html
    assert "<ul>\n<li>Trams on the upper deck</li>\n<li>Cycle lanes on both sides</li>\n</ul>" in (
        body.html
    )
    assert "<blockquote>A bridge for the next hundred years" in body.html
    assert '<a href="https://council.example/plan.pdf">the plan</a> &amp; its annex.' in body.html
    assert '<img src="https://img.example/bridge.jpg" alt="The old bridge">' in body.html
    assert "Read the plan & its annex." in body.text


def test_relative_links_and_images_are_made_absolute() -> None:
    body = clean(
        article(
            '<p>Residents can study <a href="../plans/bridge.html">the drawings</a> online before'
            ' the hearing, the council said. <img src="img/b.png"></p>'
        )
    )
    assert '<a href="https://news.example/plans/bridge.html">the drawings</a>' in body.html
    assert '<img src="https://news.example/img/b.png" alt="">' in body.html


def test_unsafe_links_lose_their_href() -> None:
    body = clean(article('<p>Do not <a href="javascript:alert(1)">click this</a> link here.</p>'))
    assert "javascript:" not in body.html
    assert "Do not click this link here." in body.html


def test_table_rows_read_as_one_line_each() -> None:
    table = (
        "<table><tr><th>Bridge</th><th>Length</th></tr>"
        "<tr><td>Old bridge</td><td>240 m</td></tr><tr><td>New bridge</td><td>310 m</td></tr>"
        "</table>"
    )
    body = clean(article(table))
    assert "Old bridge 240 m" in body.text.splitlines()
    assert "New bridge 310 m" in body.text.splitlines()


def test_the_callers_tree_is_left_untouched() -> None:
    root, _ = parse_html(article("<div class='share-bar'><a href='/s'>Share</a></div>"), 10**6)
    assert root is not None
    before = lxml.html.tostring(root)
    extract_body(root, None)
    assert lxml.html.tostring(root) == before


# --- news furniture ------------------------------------------------------------


def test_pull_quote_repeating_a_paragraph_is_removed() -> None:
    quote = (
        "<blockquote class='pull'><p>“Engineers said the new span would carry trams as well "
        "as cars.” — city engineer</p></blockquote>"
    )
    body = clean(article(quote).replace("<p>Engineers said", "<p>Then engineers said"))
    assert "city engineer" not in body.text
    assert body.text.count("would carry trams as well as cars") == 1


def test_blocks_repeated_whole_are_kept() -> None:
    question = "<p>Who will pay for the footbridge, and who decides where it goes?</p>"
    body = clean(article(question, "<p>The council will.</p>", question))
    assert body.text.count("Who will pay for the footbridge") == 2


def test_sub_head_made_of_a_sentence_of_the_body_is_removed() -> None:
    body = clean(
        article("<h2>Residents Who Crowded Into the Council Chamber Cheered the Result</h2>")
    )
    assert "Residents Who Crowded" not in body.text
    assert_all_prose(body)


def test_sub_head_of_its_own_words_is_kept() -> None:
    body = clean(article("<h2>A long road to a vote</h2>"))
    assert "A long road to a vote" in body.text


def test_headline_repeated_inside_the_body_is_removed() -> None:
    kicker = "<div class='kicker'><p>Council Votes to Rebuild the River Bridge</p></div>"
    body = clean(article(kicker))
    assert "Council Votes" not in body.text


def test_javascript_and_archive_notices_are_removed() -> None:
    body = clean(
        article(
            "<p>Please ensure Javascript is enabled for purposes of website accessibility</p>",
            "<p>This is an archived article and the information in the article may be "
            "outdated.</p>",
        )
    )
    assert "Javascript" not in body.text
    assert "archived article" not in body.text
    assert_all_prose(body)


def test_share_bars_are_removed_by_class_or_by_link_density() -> None:
    named = (
        "<div class='social-share'><span>Share this story</span> <a href='/f'>Facebook</a></div>"
    )
    unnamed = "<p><a href='/f'>Facebook</a> <a href='/t'>Twitter</a> <a href='/e'>Email</a></p>"
    body = clean(article(named, unnamed))
    assert "Facebook" not in body.text
    assert "Share this story" not in body.text
    assert_all_prose(body)


@pytest.mark.parametrize(
    "label",
    [
        "RELATED TOPICS:",
        "DON'T MISS",
        "UP NEXT",
        "Read more",
        "More stories from our reporters in the city:",
    ],
)
def test_end_labels_and_what_follows_them_are_removed(label: str) -> None:
    teasers = (
        f"<p><b>{label}</b></p><ul><li><a href='/a'>Harbour Cranes Return After the Storm</a>"
        "<span>40 minutes ago</span></li><li><a href='/b'>Rail Line Reopens</a></li></ul>"
        "<p>The line reopened after six hours of repairs.</p>"
    )
    body = clean(article().replace("</div></article>", f"{teasers}</div></article>"))
    assert label not in body.text
    assert "Harbour Cranes" not in body.text
    assert "40 minutes ago" not in body.text
    assert "six hours of repairs" not in body.text
    assert_all_prose(body)


def test_heading_over_nothing_but_links_is_removed() -> None:
    section = "<h3>From our partners</h3><p><a href='/p'>Win a trip</a> <a href='/q'>Quiz</a></p>"
    body = clean(article().replace("</div></article>", f"{section}</div></article>"))
    assert "From our partners" not in body.text
    assert_all_prose(body)


def test_prose_after_a_mid_article_label_is_kept() -> None:
    inserted = "<p><strong>SEE ALSO</strong></p><p><a href='/x'>An older story on bridges</a></p>"
    body = clean(article(inserted))
    assert "older story" not in body.text
    assert_all_prose(body)


def test_unrendered_shortcodes_are_removed() -> None:
    body = clean(
        article(
            "<p>[activecampaign form=29]</p>",
            '<p>[gallery ids="4,5"]</p>',
            "<p>[caption id=7]The council chamber was full.[/caption] Votes were counted.</p>",
        )
    )
    assert "[" not in body.text + body.html
    assert "The council chamber was full. Votes were counted." in body.text
    assert_all_prose(body)


def test_newsletter_and_donation_appeals_are_removed() -> None:
    body = clean(
        article(
            "<p>Sign up for our morning newsletter to get the day's news in your inbox.</p>",
            "<p>Help continue the work that gets you the news that matters most. Donate.</p>",
            "<div class='newsletter-signup'><p>Get our briefing every morning, free.</p></div>",
        )
    )
    assert "newsletter" not in body.text
    assert "Donate" not in body.text
    assert "briefing" not in body.text
    assert_all_prose(body)


def test_photo_captions_and_credits_are_removed() -> None:
    body = clean(
        article(
            "<figure><img src='https://img.example/b.jpg' alt='Bridge at dusk'>"
            "<figcaption>The old bridge at dusk. (AP Photo/Jane Roe)</figcaption></figure>",
            "<div class='image-caption'>Protesters outside the town hall</div>",
            "<div>Workers repaint the railings of the old bridge</div>",
            "<p>Photo: Town Hall Press Office</p>",
        )
    )
    assert "dusk" not in body.text
    assert "Protesters outside" not in body.text
    assert "railings" not in body.text
    assert "Press Office" not in body.text
    assert 'alt="Bridge at dusk"' in body.html
    assert_all_prose(body)


def test_hidden_elements_are_not_part_of_the_body() -> None:
    body = clean(
        article(
            "<div style='display: none'><p>Hidden copy of a teaser for another story.</p></div>",
            "<p aria-hidden='true'>A screen-reader hidden duplicate line of no interest.</p>",
            "<div hidden><p>Template text the page fills in with a script later.</p></div>",
        )
    )
    assert "Hidden copy" not in body.text
    assert "duplicate line" not in body.text
    assert "Template text" not in body.text
    assert_all_prose(body)


def test_article_wrapper_with_a_furniture_class_keeps_its_prose() -> None:
    page = article().replace("<div class='story'>", "<div class='entry share sidebar-right'>")
    assert_all_prose(clean(page))


def test_comments_and_sidebars_are_not_part_of_the_body() -> None:
    comments = (
        "<section id='comments'><h3>Comments</h3><p>I have waited twenty years for this bridge "
        "and I still do not believe they will finish it before the next election.</p></section>"
    )
    sidebar = "<aside><h3>Most read</h3><p>A long teaser about something else entirely.</p></aside>"
    body = clean(article(after=comments + sidebar))
    assert "twenty years" not in body.text
    assert "teaser" not in body.text
    assert_all_prose(body)


def _nested(box_class: str, *paragraphs: str) -> str:
    """A CMS box holding ``paragraphs`` four wrappers deep, as page builders nest them."""
    inner = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<div class='{box_class}'><div class='container'><div class='row'><div class='col'>"
        f"<div class='copy'>{inner}</div></div></div></div></div>"
    )


def test_article_split_into_boxes_of_one_kind_is_found_whole() -> None:
    promo = (
        "Our partner offers weekend trips to the mountains, with guided walks, "
        "a spa and a three-course dinner, at a price you will not find elsewhere."
    )
    page = (
        "<html><body><div class='page'>"
        f"{_nested('module text', PROSE[0], PROSE[1])}{_nested('module text', PROSE[2])}"
        f"{_nested('module offer', promo)}{_nested('module text', PROSE[3])}"
        "</div></body></html>"
    )
    body = clean(page)
    assert body.text == "\n\n".join(PROSE)


def test_article_in_main_wins_over_a_wordier_widget_beside_it() -> None:
    widget_text = (
        "Our town, founded in 1650, has a river, a market, a castle, a museum, and, "
        "in summer, a festival that draws visitors from far away, who stay, eat, and shop. "
    )
    widget = f"<p>{widget_text}</p>" * 2
    page = (
        "<html><body><div class='layout'><div class='column'><div class='wrap'><div class='inner'>"
        f"<main><article><h1>Bridge vote</h1><div><p>{PROSE[0]}</p><p>{PROSE[1]}</p></div>"
        "</article></main></div></div></div>"
        f"<div class='side'><div class='box'>{widget}</div></div></div></body></html>"
    )
    body = clean(page)
    assert body.text == "\n\n".join(PROSE[:2])


def test_prose_beyond_the_articles_own_element_is_another_story() -> None:
    other_story = "".join(
        f"<p>{text}</p>"
        for text in (
            "The regional orchestra announced on Monday that its new season will open with "
            "a free concert in the park, weather permitting, and close with a gala in June.",
            "Tickets for the gala go on sale next week, and subscribers will be offered seats "
            "first, the orchestra's director said, adding that prices would stay the same.",
            "The orchestra also plans a tour of village halls in the spring, its first since "
            "the pandemic, with a programme of waltzes, marches and music from films.",
        )
    )
    page = article(after=f"<div class='culture'>{other_story}</div>").replace(
        "<body>", "<body><div class='wrap'>"
    )
    body = clean(page.replace("</body>", "</div></body>"))
    assert body.text == "\n\n".join(PROSE)


def test_lead_above_the_body_is_kept_without_its_full_stop() -> None:
    lead = (
        "Two years of roadworks, a temporary footbridge and trams on the new span: what the "
        "council decided on Tuesday and what it means for the town, its shops and its commuters"
    )
    headline = "<h1>Council Votes to Rebuild the River Bridge</h1>"
    page = article().replace(headline, f"{headline}<header><p class='lead'>{lead}</p></header>")
    body = clean(page)
    assert body.text == "\n\n".join([lead, *PROSE])


def test_page_swallowed_by_an_unclosed_noscript_is_read() -> None:
    # lxml keeps the <noscript> open around the <div> left open in it, so the whole
    # page ends up inside; a browser would show it.
    menu = "".join(f"<li><a href='/section-{n}'>Section {n}</a></li>" for n in range(60))
    page = article(before=f"<noscript><div class='no-js'></noscript><nav><ul>{menu}</ul></nav>")
    root, _ = parse_html(page, 1_000_000)
    assert root is not None and root.find("body/noscript//article") is not None
    assert_all_prose(clean(page))


def test_noscript_fallback_is_not_text() -> None:
    fallback = (
        "<noscript><p>The interactive map of the new bridge, which needs scripts, shows "
        "the route the trams will take across the river.</p></noscript>"
    )
    assert "interactive map" not in clean(article(fallback)).text


def test_ruby_readings_stay_out_of_the_text() -> None:
    annotated = (
        "The sign at <ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby> station said "
        "that the first tram of the morning would leave late, and the crowd waited outside."
    )
    body = clean(article(f"<p>{annotated}</p>"))
    assert "The sign at 東京 station said" in body.text
    assert "とうきょう" not in body.text


def test_the_full_wire_story_page() -> None:
    body = clean((PAGES / "wire_story.html").read_text(encoding="utf-8"))
    paragraphs = body.text.split("\n\n")
    assert paragraphs[0].startswith("LISBON, Portugal (AP) — Dock workers in Lisbon restarted")
    assert paragraphs[-1].startswith("Shipping lines said they would add extra calls")
    assert body.text.count("We expect every berth") == 1
    for noise in (
        "Javascript", "archived", "Associated Press", "Facebook", "AP Photo", "Engineers Checked",
        "activecampaign", "newsletter", "Donate", "RELATED", "DON'T MISS", "UP NEXT",
        "Fishermen", "cranes from my window", "Most read", "All rights reserved", "Photo:",
    ):  # fmt: skip
        assert noise not in body.text, noise


# --- pages that are not articles -------------------------------------------------


def test_no_root_is_an_empty_page() -> None:
    assert extract_body(None, None).status is BodyStatus.EMPTY_PAGE


def test_page_without_text_is_an_empty_page() -> None:
    body = clean("<html><body><div><img src='https://img.example/a.png'></div></body></html>")
    assert body == Body(text="", html="", status=BodyStatus.EMPTY_PAGE)


def test_index_page_of_teasers_has_no_article() -> None:
    teasers = "".join(
        f"<li><h2><a href='/story-{n}'>Council story number {n} of the week in the city</a></h2>"
        f"<a href='/story-{n}'>Read the whole story about item {n} of the council agenda</a></li>"
        for n in range(20)
    )
    body = clean(f"<html><body><ul class='river'>{teasers}</ul></body></html>")
    assert body == Body(text="", html="", status=BodyStatus.NO_ARTICLE)


@pytest.mark.parametrize(
    "notice",
    [
        "<h1>404</h1><p>Sorry, the page you requested could not be found.</p>",
        "<h1>Subscribers only</h1><p>Please log in to continue reading this article.</p>",
    ],
)
def test_error_and_login_pages_have_no_article(notice: str) -> None:
    body = clean(f"<html><body><nav><a href='/'>Home</a></nav><main>{notice}</main></body></html>")
    assert body.status is BodyStatus.NO_ARTICLE
    assert body.text == body.html == ""


@pytest.mark.parametrize(
    "html",
    [
        article()[:700],
        "<html><body><div><p>Unclosed <b>bold <i>and italic <p>" + PROSE[0] * 3,
        "<p>" + "<div>" * 3000 + PROSE[1] + "</div>" * 10,
        "<body><table><tr><td><p>" + PROSE[2] + "</table></td></body></html></p>",
        "\x00\x01 <<<>>> <p class=>>" + PROSE[3],
    ],
)
def test_malformed_or_truncated_html_does_not_raise(html: str) -> None:
    body = clean(html)
    assert body.status in set(BodyStatus)
