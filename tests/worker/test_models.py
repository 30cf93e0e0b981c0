from __future__ import annotations

import json

from worker.models import Article, Body, BodyStatus, Metadata, StoryLink


def test_an_article_survives_a_json_round_trip() -> None:
    article = Article(
        url="https://example.com/a",
        metadata=Metadata(
            title="T",
            authors=("Ann Lee",),
            agency="AP",
            agency_evidence=("byline",),
            tags=("flood",),
            canonical_url="https://example.com/a",
        ),
        body=Body(text="Body.", html="<p>Body.</p>", status=BodyStatus.OK, truncated=True),
        story=StoryLink(
            "s1", "https://example.com/a", 0.9, is_update=True, merged_story_ids=("s2",)
        ),
    )
    assert Article.from_dict(json.loads(json.dumps(article.to_dict()))) == article


def test_the_key_prefers_the_canonical_url() -> None:
    body = Body(text="", html="", status=BodyStatus.EMPTY_PAGE)
    assert (
        Article("https://x.com/a?utm=1", Metadata(canonical_url="https://x.com/a"), body).key
        == "https://x.com/a"
    )
    assert Article("https://x.com/a", Metadata(), body).key == "https://x.com/a"
