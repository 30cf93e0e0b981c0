"""Authors: printed bylines in their many forms, weak head names, outlets posing as people."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement

from worker.html import parse_html
from worker.metadata import extract_metadata
from worker.metadata.authors import is_personal_name, is_site_name, parse_byline


def page(head: str = "", body: str = "") -> HtmlElement:
    root, _ = parse_html(f"<html><head>{head}</head><body>{body}</body></html>", 1_000_000)
    assert root is not None
    return root


def authors(head: str = "", body: str = "") -> tuple[str, ...]:
    return extract_metadata(page(head, body), None, "").authors


def json_ld(author: str, kind: str = "NewsArticle") -> str:
    return f'<script type="application/ld+json">{{"@type": "{kind}", "author": {author}}}</script>'


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        # Initials printed twice are a name, not a repeat.
        ("Von K. L. am 03.02.2014 um 10:15 Uhr", ("K. L.",)),
        ("Text von Clara Beispiel Illustration von Max Muster", ("Clara Beispiel",)),
        ("Rita Beispiel im Gespräch mit Kai Muster", ("Rita Beispiel", "Kai Muster")),
        ("Blog Beitrag von Mira Beispiel", ("Mira Beispiel",)),
        # A profession printed before the name is no part of it.
        ("Von Rechtsanwältin Mira Beispiel", ("Mira Beispiel",)),
        ("Autoren Jonas Muster und Jana Beispiel", ("Jonas Muster", "Jana Beispiel")),
        # A press service's acronym after the name is no person.
        ("Autor: Peter Muster/KP-X", ("Peter Muster",)),
        # The single word left of an organisation's split name is no person.
        ("Landesamt für Wald und Naturschutz - LAWN", ()),
        ("beispiel.de, Bremen, Germany", ()),
        ("Herr_Meier", ("Herr_Meier",)),
        ("gvw_ap_news", ()),
        ("Datum: 08.09.2020", ()),
        ("istockphoto", ()),
        ("Agencies", ()),
        ("Zur Artikelübersicht", ()),
        ("Redacción Diario Ejemplo", ()),
        ("Eingestellt von Unknown", ()),
        ("Article by", ()),
        ("Cortesía", ()),
        ("Pressemitteilung von Karla Beispiel", ("Karla Beispiel",)),
        # Beside full names, a single word is a place or the outlet.
        ("Von Ana Roe und Sven Muster, Lodwar, Kenia", ("Ana Roe", "Sven Muster")),
        # A list of sections is no byline.
        ("Energie / Politik / Wirtschaft / Technik / Top News Heute / Regional / Welt", ()),
        ("Mike Beispiel/Reuters files", ("Mike Beispiel",)),
        # The outlet after a period; companies, offices and teams are no people.
        ("Finn Beispiel. Beispiel International", ("Finn Beispiel",)),
        ("Joe S. Beispiel", ("Joe S. Beispiel",)),
        ("Prof. Dr. Karla Beispiel", ("Prof. Dr. Karla Beispiel",)),
        ("Beispiel Polska Media", ()),
        ("Beispiel-Team", ()),
        ("By U.S. CUSTOMS AND BORDER PROTECTION", ()),
        ("Karl Beispiel Alle Artikel", ("Karl Beispiel",)),
        # A forum post quoting another is no byline.
        ("Zitat von TheFreeman", ()),
        ("Quote from Jane Muster", ()),
    ],
)
def test_bylines_to_people(byline: str, names: tuple[str, ...]) -> None:
    assert parse_byline(byline).names == names


def test_capitals_are_kept_only_when_asked() -> None:
    assert parse_byline("By JANE DOE").names == ("Jane Doe",)
    assert parse_byline("JANE DOE", as_printed=True).names == ("JANE DOE",)


@pytest.mark.parametrize(
    "body",
    [
        "<h1>Headline here</h1><p><strong><em>---- by Karl Beispiel</em></strong></p>",
        "<h1>Headline here</h1><p>Blog Beitrag von Karl Beispiel</p>",
        '<h1>Headline here</h1><p class="text-muted">04.03.2020 - Karl Beispiel</p>',
        # The article's own head is in a block its template calls a teaser.
        '<div class="module teaserBox leadStory"><h1>Headline here</h1>'
        '<div class="metaInfo">Ein Artikel von <strong>Karl Beispiel</strong></div></div>',
        # ...or calls the block right under the headline so.
        '<h1>Headline here</h1><div class="teaser-box__meta"><p class="byline__author">'
        "VON KARL BEISPIEL am 3. Mai 2019</p></div>",
    ],
)
def test_printed_bylines(body: str) -> None:
    assert authors(body=body) == ("Karl Beispiel",)


def test_a_photo_credit_is_no_byline() -> None:
    body = (
        '<article><h1>Headline here</h1><figure><img src="a.jpg"><figcaption>'
        '<span class="byline">| TV Beispiel</span></figcaption></figure></article>'
    )
    assert authors(body=body) == ()


def test_a_dated_listing_is_no_byline() -> None:
    body = "<h1>Konzerte im Herbst</h1><ul><li>05.11.2021 - Beispielband - Halle 7</li></ul>"
    assert authors(body=body) == ()


def test_a_teaser_of_another_article_is_still_foreign() -> None:
    body = (
        '<article><h1>Headline here</h1><p>Text.</p><div class="teaser">'
        '<span class="author">Von Tom Muster</span></div></article>'
    )
    assert authors(body=body) == ()


def test_a_structured_source_all_in_capitals_keeps_them() -> None:
    head = json_ld('{"@type": "Person", "name": "MARTA BEISPIEL"}')
    assert authors(head, "<h1>Headline here</h1>") == ("MARTA BEISPIEL",)


def test_one_name_in_capitals_among_others_is_written_as_readers_would() -> None:
    head = json_ld(
        '[{"@type": "Person", "name": "Ana Lima"}, {"@type": "Person", "name": "BEN OKAFOR"}]'
    )
    assert authors(head, "<h1>Headline here</h1>") == ("Ana Lima", "Ben Okafor")


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # A first name in the head, the full name printed.
        (
            json_ld('{"@type": "Person", "name": "Tom"}'),
            '<h1>Headline here</h1><p class="byline">By Tom Beispiel</p>',
            ("Tom Beispiel",),
        ),
        # A slug in JSON-LD, the name in another head field.
        (
            json_ld('{"@type": "Person", "name": "rosa.la.muster"}')
            + '<meta name="author" content="Rosa La Muster">',
            "<h1>Headline here</h1>",
            ("Rosa La Muster",),
        ),
        # The outlet typed as a person; the page prints who wrote.
        (
            json_ld('{"@type": "Person", "name": "El Diario"}')
            + '<meta property="og:site_name" content="El Diario">',
            '<h1>Headline here</h1><p class="author">Emma Beispiel</p>',
            ("Emma Beispiel",),
        ),
        # An account name; the page prints the writer.
        (
            '<span itemprop="author">user4711</span>',
            '<article><h1>Headline here</h1><p class="author">Odile Muster</p></article>',
            ("Odile Muster",),
        ),
        # The outlet typed as a person; a company printed where the byline would be.
        (
            json_ld('{"@type": "Person", "name": "El Diario"}')
            + '<meta property="og:site_name" content="El Diario">',
            '<h1>Headline here</h1><p class="author">Acme Retail Systems Europe</p>',
            ("El Diario",),
        ),
        # A handle that the printed byline does not spell out stays.
        (
            json_ld('{"@type": "Person", "name": "gizzmo"}'),
            '<h1>Headline here</h1><p class="byline">By Tom Muster</p>',
            ("gizzmo",),
        ),
    ],
)
def test_weak_head_names_give_way_to_full_ones(
    head: str, body: str, expected: tuple[str, ...]
) -> None:
    assert authors(head, body) == expected


def test_the_site_name_behind_an_article_is_the_outlet() -> None:
    sites = ("Rundschau", None, "rundschau.example")
    assert is_site_name("Die RUNDSCHAU", sites)
    assert is_site_name("OÖ Rundschau", sites)
    assert not is_site_name("Anna Rundschau", sites)


def test_a_site_name_of_several_words_behind_a_short_one_is_the_outlet() -> None:
    sites = ("blauer-stern.de", None, "blauer-stern.de")
    assert is_site_name("SV Blauer Stern", sites)
    assert not is_site_name("Anna Blauer Stern", sites)
    head = '<meta name="author" content="SV Blauer Stern">'
    root = page(head, "<h1>Sieg im Derby</h1>")
    assert extract_metadata(root, "https://blauer-stern.de/derby", "").authors == ()


def test_microdata_authors_come_from_the_first_item_only() -> None:
    body = """
    <article itemscope itemtype="https://schema.org/BlogPosting"><h1>Headline here</h1>
      <span itemprop="author">by Jan Muster</span></article>
    <aside><div itemscope itemtype="https://schema.org/BlogPosting">
      <span itemprop="author">by Ben Beispiel</span></div></aside>"""
    assert authors(body=body) == ("Jan Muster",)


def test_a_recipe_names_its_author() -> None:
    head = json_ld('{"@type": "Person", "name": "kuchenfan"}', kind="Recipe")
    assert authors(head, "<h1>Apfelkuchen vom Blech</h1>") == ("kuchenfan",)


def test_a_forum_thread_is_by_its_first_poster() -> None:
    body = """<h1>Unser Kater frisst nicht mehr</h1>
    <article class="message" data-author="Katzenmama"><p>Hallo zusammen</p></article>
    <article class="message" data-author="Katzenfreund"><p>Antwort</p></article>"""
    assert authors(body=body) == ("Katzenmama",)


def test_a_long_block_marked_as_the_authors_is_passed_for_the_byline_in_it() -> None:
    prose = "<p>" + "The story goes on and on. " * 20 + "</p>"
    body = (
        f'<article class="post author-jane"><h1>Headline here</h1>'
        f'<p class="byline">By Jane Muster</p>{prose}</article>'
    )
    assert authors(body=body) == ("Jane Muster",)


def test_the_headline_is_the_heading_the_head_title_names_not_an_advert_above_it() -> None:
    head = '<meta property="og:title" content="Rathaus bekommt neues Dach">'
    body = (
        '<div class="ad"><h1>Besuchen Sie Beispielland</h1></div>'
        '<article><h1>Rathaus bekommt neues Dach</h1><div class="meta">'
        '<a class="author-name">Karl Beispiel</a></div></article>'
    )
    assert authors(head, body) == ("Karl Beispiel",)


def test_a_heading_that_only_says_author_labels_the_name_below_it() -> None:
    body = (
        "<h1>Headline here</h1><section><h4>Autor</h4>"
        '<p><a href="/profil/karl">Karl Beispiel</a>, </p></section><p>Text.</p>'
    )
    assert authors(body=body) == ("Karl Beispiel",)


def test_author_in_lower_case_is_the_role_of_the_name_before_it() -> None:
    body = (
        "<h1>A letter</h1><p><strong>Jane Muster</strong>, <span>author</span><br>"
        "<strong>Tom Beispiel</strong><br></p>"
    )
    assert authors(body=body) == ()


def test_a_labelled_signature_closing_the_article_names_its_writer() -> None:
    root = page(body="<h1>Kein Wohngeld ohne Bewerbung</h1><p>Das Gericht entschied.</p>")
    body_text = "Das Gericht entschied.\nQuelle: Beispielagentur\nAutor: Rechtsanwalt Karl Beispiel"
    assert extract_metadata(root, None, body_text).authors == ("Karl Beispiel",)


def test_a_name_alone_closing_the_article_is_no_signature() -> None:
    root = page(body="<h1>Neue Folge</h1><p>Wir sprechen über Filme.</p>")
    body_text = "Wir sprechen über Filme.\nBruce Beispiel"
    assert extract_metadata(root, None, body_text).authors == ()


def test_a_bold_name_closing_the_article_is_its_signature() -> None:
    body = (
        "<h1>Zweimal im Powerplay</h1><div><p>Das Spiel begann.</p><p>Es endete spät.</p>"
        "<p><b><i>Karl Beispiel</i></b></p></div>"
    )
    assert authors(body=body) == ("Karl Beispiel",)


@pytest.mark.parametrize(
    "closing",
    [
        # A bold subheading has paragraphs after it.
        "<p><b>Weitere Informationen</b></p><p>Mehr dazu im Netz.</p>",
        # A bold sentence is no name.
        "<p><strong>Mehr dazu demnächst</strong></p>",
    ],
)
def test_a_bold_line_that_is_no_signature(closing: str) -> None:
    article = "<p>Das Spiel begann.</p><p>Es endete.</p>"
    body = f"<h1>Zweimal im Powerplay</h1><div>{article}{closing}</div>"
    assert authors(body=body) == ()


def test_a_byline_printed_after_the_article_is_found_within_a_few_elements() -> None:
    body = (
        "<article><div><h1>Headline here</h1><p>Text.</p></div></article>"
        "<div><span>Von Karl Beispiel</span></div>"
    )
    assert authors(body=body) == ("Karl Beispiel",)


def test_the_elements_of_the_article_count_towards_those_read_after_it() -> None:
    prose = "<p>Text.</p>" * 100
    body = (
        f"<article><div><h1>Headline here</h1>{prose}</div></article>"
        "<div><span>Von Karl Beispiel</span></div>"
    )
    assert authors(body=body) == ()


def test_a_footer_right_under_the_headline_is_the_articles_own() -> None:
    body = "<article><h1>Headline here</h1><footer>By Jane Muster</footer><p>Text.</p></article>"
    assert authors(body=body) == ("Jane Muster",)


def test_the_articles_footer_further_down_still_prints_its_byline() -> None:
    body = (
        "<article><h1>Headline here</h1><p>Text.</p><p>More text.</p>"
        '<footer class="entry-meta"><span class="byline">Posted by '
        '<a class="url fn n" href="/author/mira/">Mira</a></span></footer></article>'
    )
    assert authors(body=body) == ("Mira",)


def test_the_page_footer_prints_no_byline() -> None:
    body = (
        "<article><h1>Headline here</h1><p>Text.</p></article>"
        '<footer><p class="author">Von Karl Beispiel</p></footer>'
    )
    assert authors(body=body) == ()


def test_the_sites_account_printed_after_a_name_is_no_part_of_it() -> None:
    head = '<meta property="og:site_name" content="Herr Muster">'
    body = (
        '<article><h1>Headline here</h1><div class="entry-meta-author">'
        '<a class="author-name" href="/author/jonas/">Jonas</a> '
        '<a class="author-twitter" href="https://social.example/herrmuster">herrmuster</a>'
        "</div><p>Text.</p></article>"
    )
    assert authors(head, body) == ("Jonas",)


def test_a_surname_that_is_also_the_sites_name_stays() -> None:
    head = '<meta property="og:site_name" content="Rundschau">'
    body = '<h1>Headline here</h1><p class="byline">Von Anna Rundschau</p>'
    assert authors(head, body) == ("Anna Rundschau",)


@pytest.mark.parametrize("account", ["wordpressadmin", "Administrator", "webmaster"])
def test_an_administrators_account_is_no_author(account: str) -> None:
    assert parse_byline(f"Posted by {account}").names == ()


def test_the_post_authors_own_comment_names_the_author_of_a_post_without_byline() -> None:
    body = """<article><h1>Unser Garten im Mai</h1><p>Die Tomaten wachsen.</p></article>
    <ol class="commentlist">
      <li class="comment even"><cite class="fn">Lea Leserin</cite> <span>sagt:</span>
        <p>Schön!</p></li>
      <li class="comment byuser comment-author-gartenkim bypostauthor odd">
        <div class="comment-author vcard"><cite class="fn">Kim Beispiel</cite>
        <span class="says">sagt:</span></div><p>Danke!</p></li>
    </ol>"""
    assert authors(body=body) == ("Kim Beispiel",)


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Tomas Beispiel - Ingenieur, Abenteurer und Radfahrer.", ("Tomas Beispiel",)),
        ("Tomas Beispiel ist Ingenieur und fährt Rad.", ("Tomas Beispiel",)),
        # The description goes on about something else: the first name stays.
        ("Tomas schreibt über Räder.", ("Tomas",)),
        ("Tomasz Muster schreibt über Räder.", ("Tomas",)),
    ],
)
def test_a_persons_own_description_spells_out_a_first_name(
    description: str, expected: tuple[str, ...]
) -> None:
    person = f'{{"@type": "Person", "name": "Tomas", "description": "{description}"}}'
    assert authors(json_ld(person), "<h1>Headline here</h1>") == expected


def test_initials_that_the_author_pages_address_spells_out_give_the_full_name() -> None:
    body = (
        '<article><h1>Headline here</h1><p class="byline">by '
        '<a href="/author/dontownsend/">DT</a></p><p>Text.</p></article>'
        '<aside><p>Dieses Tagebuch von <a href="/">Don Townsend</a> steht unter einer '
        "freien Lizenz.</p></aside>"
    )
    assert authors(body=body) == ("Don Townsend",)


def test_initials_stay_when_the_page_prints_no_name_with_the_addresss_letters() -> None:
    body = (
        '<article><h1>Headline here</h1><p class="byline">by '
        '<a href="/author/dontownsend/">DT</a></p><p>Text by Dana Turner.</p></article>'
    )
    assert authors(body=body) == ("DT",)


def test_a_personal_sites_footer_names_its_owner_where_no_one_else_is_credited() -> None:
    article = "<article><h1>Headline here</h1><p>Text.</p></article>"
    footer = (
        '<div id="footer"><p>Copyright (c) 2012- Jonas Beispiel. All rights reserved.</p></div>'
    )
    assert authors(body=article + footer) == ("Jonas Beispiel",)
    byline = '<article><h1>Headline here</h1><p class="byline">Von Lea Muster</p></article>'
    assert authors(body=byline + footer) == ("Lea Muster",)


@pytest.mark.parametrize(
    "footer",
    [
        "<footer><p>© 2020 Seaside Media</p></footer>",
        "<footer><p>© 2019 Meredith Corporation. All rights reserved.</p></footer>",
        '<div class="copyright">© 2014-2021 VI Consortium</div>',
        "<footer><p>© Beispiel Verlag GmbH</p></footer>",
        # A picture's credit in the article's own footer.
        '<article><div class="contentFooter"><p>© Jonas Beispiel/Agentur</p></div></article>',
        # A designer credited in the page footer, beside the company.
        "<footer><p>© Jonas Beispiel of Beispiel Themes</p></footer>",
    ],
)
def test_a_footer_that_credits_no_person_as_owner_names_no_author(footer: str) -> None:
    assert authors(body=f"<article><h1>Headline here</h1><p>Text.</p></article>{footer}") == ()


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("Jonas Beispiel", True),
        ("MARIA MUSTER", True),
        ("Jean DUPONT", True),
        ("VI Consortium", False),
        ("El Beispiel", False),
        ("Jonas", False),
        ("Seaside Media", False),
        ("Luigi MUSTER SPA", False),
        ("Jonas Beispiel of", False),
        ("Beispiel Muster", False),
    ],
)
def test_a_persons_name_opens_with_a_known_first_name(name: str, personal: bool) -> None:
    assert is_personal_name(name) is personal


def test_the_poster_a_news_module_names_is_the_author() -> None:
    body = (
        '<h1>Auswärtssieg in Kassel</h1><table><tr><td class="itemInfo">'
        '<span class="itemPoster">Geschrieben von <a href="/user/7">Cooper</a></span>'
        "</td></tr></table><p>Text.</p>"
    )
    assert authors(body=body) == ("Cooper",)


def test_a_byline_set_in_a_templates_indentation_is_read() -> None:
    indent = "\n" + " " * 60
    body = (
        f'<article><h1>Headline here</h1><div class="item-caption"><span class="cat">'
        f"{indent}von Karl Beispiel{indent}</span></div><p>Text.</p></article>"
    )
    assert authors(body=body) == ("Karl Beispiel",)


def test_an_author_box_its_template_calls_a_teaser_names_the_author() -> None:
    body = (
        "<main><h1>Konzerte im November</h1><p>Text.</p></main>"
        '<aside class="sidebar"><div class="teaser-box author short">\n<div class="title">'
        'Karl Beispiel</div>\n<a href="/suche?autor=karl">Alle Artikel</a></div></aside>'
    )
    assert authors(body=body) == ("Karl Beispiel",)


def test_the_post_authors_comment_is_signed_by_its_hcard_name() -> None:
    body = """<article><h1>Ins neue Jahr</h1><p>Alles Gute!</p></article>
    <ol><li class="comment byuser comment-author-kimb bypostauthor">
      <div class="comment-author vcard"><p>Danke, dir auch ein gutes Jahr!</p>
      <cite><span class="fn">kimb</span></cite></div></li></ol>"""
    assert authors(body=body) == ("kimb",)


def test_a_link_to_a_host_named_after_authors_is_no_author_link() -> None:
    body = (
        "<article><h1>Ins neue Jahr</h1><p>Alles Gute!</p></article><aside><ul>"
        '<li><a href="https://www.autorenverlag.example/">Beispielverlag</a></li></ul></aside>'
    )
    assert authors(body=body) == ()
    byline = '<article><h1>Ins neue Jahr</h1><a href="https://blog.example/autor/kim/">Kim</a>'
    assert authors(body=byline + "</article>") == ("Kim",)


def test_a_paragraph_that_claims_the_texts_copyright_names_its_author() -> None:
    body = "<article><h1>Filmstadt Beispielburg</h1><p>Text.</p><p>© 2019 Jonas Beispiel</p>"
    assert authors(body=body + "</article>") == ("Jonas Beispiel",)
    picture = "<figure><img src='a.jpg'><p>© 2019 Jonas Beispiel</p></figure>"
    assert authors(body=body.replace("<p>© 2019 Jonas Beispiel</p>", picture)) == ()
