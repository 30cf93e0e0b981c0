"""Wire-agency detection on bylines and datelines as outlets print them (written for the
tests), on pages that only mention an agency, and on the republished AP example."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement

from worker.html import parse_html
from worker.metadata import extract_metadata
from worker.models import Metadata


def page(byline: str = "", head: str = "", extra: str = "") -> HtmlElement:
    root, _ = parse_html(
        f"<html><head><title>Story - Local Outlet</title>{head}</head><body><article>"
        f"<h1>Story</h1>{byline}<div class='body'><p>Text.</p></div>{extra}</article>"
        "</body></html>",
        1_000_000,
    )
    assert root is not None
    return root


def read(root: HtmlElement, body_text: str = "Text.") -> Metadata:
    return extract_metadata(root, "https://local.example/news/story", body_text)


@pytest.mark.parametrize(
    ("byline", "first_paragraph", "agency", "authors", "dateline"),
    [
        (
            '<div class="byline">By JANE DOE Associated Press</div>',
            "WASHINGTON (AP) — The Senate voted on Tuesday to extend the program.",
            "AP",
            ("Jane Doe",),
            "WASHINGTON",
        ),
        (
            '<p class="byline">By MARK LEE and SARA KIM, AP Science Writers</p>',
            "CAPE CANAVERAL, Fla. (AP) — A rocket lifted off before dawn.",
            "AP",
            ("Mark Lee", "Sara Kim"),
            "CAPE CANAVERAL, Fla.",
        ),
        (
            '<span class="author">By Reuters Staff</span>',
            "LONDON, March 4 (Reuters) - Shares in London rose on Wednesday.",
            "Reuters",
            (),
            "LONDON",
        ),
        (
            '<span class="byline">By Tom Hale | Reuters</span>',
            "FRANKFURT (Reuters) - The central bank held rates.",
            "Reuters",
            ("Tom Hale",),
            "FRANKFURT",
        ),
        (
            '<div class="author-name">Agence France-Presse</div>',
            "PARIS (AFP) - France will reopen schools next week, the minister said.",
            "AFP",
            (),
            "PARIS",
        ),
        (
            '<p class="byline">By Emma Roy The Canadian Press</p>',
            "TORONTO — Ontario reported 300 new cases on Friday.",
            "CP",
            ("Emma Roy",),
            "TORONTO",
        ),
        (
            '<div class="byline">By Sam Hart, PA Political Correspondent</div>',
            "The Prime Minister will face questions in the Commons on Wednesday.",
            "PA",
            ("Sam Hart",),
            None,
        ),
        (
            '<span class="autor">Von Lena Vogt, dpa</span>',
            "Berlin (dpa) - Die Bundesregierung will die Förderung verlängern.",
            "dpa",
            ("Lena Vogt",),
            "Berlin",
        ),
        (
            "",
            "BEIJING, March 4 (Xinhua) -- China's exports rose 5 percent in February.",
            "Xinhua",
            (),
            "BEIJING",
        ),
        (
            "",
            "(Bloomberg) -- Oil rose for a third day as supply concerns mounted.",
            "Bloomberg",
            (),
            None,
        ),
        (
            "",
            "MADRID, 4 mar (EFE).- El Gobierno aprobó este martes el nuevo plan.",
            "EFE",
            (),
            "MADRID",
        ),
    ],
)
def test_wire_copy_as_outlets_print_it(
    byline: str,
    first_paragraph: str,
    agency: str,
    authors: tuple[str, ...],
    dateline: str | None,
) -> None:
    metadata = read(page(byline), f"{first_paragraph}\n\nMore of the story.")

    assert metadata.agency == agency
    assert metadata.authors == authors
    assert metadata.dateline == dateline
    assert metadata.agency_evidence


def test_evidence_names_each_signal() -> None:
    root = page(
        '<div class="byline">By JANE DOE Associated Press</div>',
        head="""<script type="application/ld+json">{"@type": "NewsArticle",
        "author": {"@type": "Organization", "name": "The Associated Press"}}</script>""",
    )
    body = (
        "WASHINGTON (AP) — The Senate voted.\n\n"
        "Copyright 2020 The Associated Press. All rights reserved."
    )

    metadata = read(root, body)

    assert metadata.agency == "AP"
    assert set(metadata.agency_evidence) == {"json-ld author", "byline", "dateline", "copyright"}
    assert metadata.authors == ()  # the JSON-LD author is the agency, not a person


def test_canadian_press_credit_line() -> None:
    body = (
        "OTTAWA — The budget passed.\n\n"
        "This report by The Canadian Press was first published March 4, 2020."
    )
    metadata = read(page(), body)
    assert (metadata.agency, metadata.agency_evidence) == ("CP", ("credit",))


@pytest.mark.parametrize(
    "body_text",
    [
        "The mayor told The Associated Press on Tuesday that the plan would go ahead.",
        "SPRINGFIELD — Officials confirmed the figures, first reported by Reuters.\n\n"
        "An AFP photographer saw the crowd gather.",
        "Local reporters and AP style guides agree: the Oxford comma is optional.",
    ],
)
def test_a_mere_mention_is_not_wire_copy(body_text: str) -> None:
    root = page('<div class="byline">By Chris Young, Staff Writer</div>')

    metadata = read(root, body_text)

    assert metadata.agency is None
    assert metadata.agency_evidence == ()
    assert metadata.authors == ("Chris Young",)


# The opening of ../shared/examples/gvwire-ap-syria-turkey.txt, an AP story as a local
# outlet republished it: an author account slug, "By Associated Press", no (AP) dateline.
REPUBLISHED_AP_TEXT = """\
ANKARA, Turkey — Two more Turkish soldiers were killed Wednesday in a Syrian government \
attack in Syria’s northwest, the country’s Defense Ministry said, as steady clashes between \
the two national armies continued to rack up casualties.

Turkey has sent thousands of troops into the area to support Syrian insurgents holed up \
there, but hasn’t been able to stop a Russian-backed Syrian government offensive to retake \
Idlib province."""


def test_republished_ap_story_with_author_slug() -> None:
    paragraphs = "".join(f"<p>{text}</p>" for text in REPUBLISHED_AP_TEXT.split("\n\n"))
    root, _ = parse_html(
        f"""<html><head><title>Syrian, Turkish Armies Engage in New Deadly Clashes in Idlib
        - Valley News</title></head><body>
        <article><h1>Syrian, Turkish Armies Engage in New Deadly Clashes in Idlib</h1>
        <div class="post-meta">
          <a class="author-link" href="https://valley.example/author/gvw_ap_news/">gvw_ap_news</a>
          <span class="byline">By Associated Press</span>
          <span class="date">Published 5 years ago on March 4, 2020</span>
        </div>{paragraphs}</article></body></html>""",
        1_000_000,
    )
    assert root is not None

    metadata = extract_metadata(
        root, "https://valley.example/syrian-turkish-armies-clash/", REPUBLISHED_AP_TEXT
    )

    assert metadata.agency == "AP"
    assert "byline" in metadata.agency_evidence
    assert "author slug" in metadata.agency_evidence
    assert metadata.authors == ()
    assert metadata.dateline == "ANKARA, Turkey"
    assert metadata.published == "2020-03-04"
    assert metadata.title == "Syrian, Turkish Armies Engage in New Deadly Clashes in Idlib"
