"""The cleaning stage on leads set apart from the body and on the furniture inside it:
pages written for these tests, one test per rule."""

from __future__ import annotations

import pytest

from tests.worker.test_clean import PROSE, article, assert_all_prose, clean

HEADLINE = "<h1>Council Votes to Rebuild the River Bridge</h1>"
#: A standfirst: longer than a title, and without the full stop of the body's prose.
LEAD = (
    "Two years of roadworks, a temporary footbridge and trams on the new span: what the "
    "council decided on Tuesday and what it means for the town, its shops and its commuters"
)


# --- leads ------------------------------------------------------------------------


def test_heading_as_long_as_prose_above_the_body_is_its_lead() -> None:
    page = article().replace(HEADLINE, f"{HEADLINE}<h2>{LEAD}.</h2>")
    assert clean(page).text == "\n\n".join([f"{LEAD}.", *PROSE])


def test_short_heading_above_the_body_is_not_a_lead() -> None:
    subtitle = "The river bridge will carry trams and cars after two years of works."
    page = article().replace(HEADLINE, f"{HEADLINE}<h2>{subtitle}</h2>")
    assert clean(page).text == "\n\n".join(PROSE)


def test_lead_in_a_header_beside_the_article_is_kept() -> None:
    header = f"<header><h1>Council Votes</h1><p class='standfirst'>{LEAD}</p></header>"
    page = (
        article()
        .replace("<article>", f"<main>{header}<article>")
        .replace("</article>", "</article></main>")
    )
    assert clean(page).text == "\n\n".join([LEAD, *PROSE])


def test_teaser_cut_short_beside_the_article_is_no_lead() -> None:
    teaser = (
        "<p>Harbour cranes return to the port after the storm that closed it for a week, "
        "and dock workers say the repairs to the quays will take until the end of the...</p>"
    )
    page = (
        article()
        .replace("<article>", f"<main><header>{teaser}</header><article>")
        .replace("</article>", "</article></main>")
    )
    assert clean(page).text == "\n\n".join(PROSE)


def test_teaser_cut_short_below_the_body_is_another_story() -> None:
    teaser = (
        "<div class='next'><p>The regional orchestra announced its new season, which opens "
        "with a free concert in the park and closes with a gala in June…</p></div>"
    )
    page = article().replace("</div></article>", f"</div>{teaser}</article>")
    assert clean(page).text == "\n\n".join(PROSE)


# --- sections and headings ----------------------------------------------------------


def test_heading_over_a_heading_long_as_prose_is_kept() -> None:
    prose_heading = (
        "<h4>Draw a poster about the river: the best three will hang in the town hall, and "
        "their makers will open the footbridge with the mayor.</h4>"
    )
    body = clean(article("<h3>A poster contest for children</h3>", prose_heading))
    assert "A poster contest for children" in body.text
    assert "Draw a poster about the river" in body.text
    assert_all_prose(body)


def test_sub_head_set_in_a_box_within_its_heading_is_kept() -> None:
    body = clean(article("<h2><div>Funding applied for</div></h2>"))
    assert "Funding applied for" in body.text


# --- furniture inside the article ---------------------------------------------------


@pytest.mark.parametrize(
    "box_class",
    [
        "author-box",
        "entry-author-info",
        "entry-footer",
        "press-contact",
        "post-meta",
        "postmetadata",
    ],
)
def test_author_contact_and_meta_boxes_are_not_part_of_the_body(box_class: str) -> None:
    box = (
        f"<div class='{box_class}'><p>Jane Roe has covered the town hall since 2010 and "
        "writes about transport, housing and the river.</p></div>"
    )
    body = clean(article().replace("</div></article>", f"{box}</div></article>"))
    assert "Jane Roe" not in body.text
    assert_all_prose(body)


@pytest.mark.parametrize(
    ("box", "words"),
    [
        ("<div class='image-legend'><p>{}</p></div>", "The old bridge in its first winter"),
        ("<form><div class='review-captcha'><p>{}</p></div></form>", "Type the digits shown"),
        ("<div class='news-letter-box'><p>{}</p></div>", "Our stories in your mail"),
    ],
)
def test_legends_captchas_and_mail_sign_ups_are_not_part_of_the_body(box: str, words: str) -> None:
    body = clean(article(box.format(f"{words}, every morning and free of charge, from our desk.")))
    assert words not in body.text
    assert_all_prose(body)


@pytest.mark.parametrize(
    "pitch",
    [
        "For all the news as it breaks, download the Town Herald app for iOS and Android.",
        "Have our headlines sent straight to your phone every morning.",
        "Submit your own photos of the bridge through the reader form.",
        "Werden Sie Mitglied und erhalten Sie exklusive Angebote!",
        "Zapraszamy do subskrypcji naszego tygodnika.",
        "Abonnez-vous à notre lettre du matin.",
        "Hazte miembro y recibe la revista en casa.",
        "Suscríbete a nuestra revista.",
        "Zamów prenumeratę tygodnika.",
        "Exclusive offers for readers of the Town Herald.",
        "Les opinions exprimées dans ce blog sont celles de leurs auteurs.",
        "Dieser Beitrag gibt die Meinung des Autors wieder.",
        "Alle Termine ohne Gewähr.",
        "Klicken Sie hier, um die Karte der Baustelle zu laden.",
        "Lesen Sie das Heft in unserer App (iTunes und Google Play).",
        "Bauplan der Brücke PDF | 38 KB",
    ],
)
def test_appeals_disclaimers_and_download_links_are_removed(pitch: str) -> None:
    body = clean(article(f"<p>{pitch}</p>"))
    assert pitch not in body.text
    assert_all_prose(body)


@pytest.mark.parametrize(
    "caption",
    [
        "Abbildung 4: Die Brücke im Bau, von Süden gesehen.",
        "Abbildung: Die Brücke im Bau, von Süden gesehen.",
        "Fig. 2. The old bridge in its first winter.",
        "Enlarge The old bridge in its first winter.",
    ],
)
def test_captions_opened_by_a_figure_label_are_removed(caption: str) -> None:
    body = clean(article(f"<p>{caption}</p>"))
    assert caption not in body.text
    assert_all_prose(body)


def test_a_figure_word_opening_prose_is_no_caption() -> None:
    skating = "<p>Figure skating returns to the town rink this winter, the council said.</p>"
    assert "Figure skating returns" in clean(article(skating)).text
