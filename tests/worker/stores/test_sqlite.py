from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from worker.models import Article, Body, BodyStatus, Metadata, StoryLink
from worker.stores import SaveOutcome
from worker.stores.sqlite import SQLiteStore


def _article(text: str, story: str = "s1") -> Article:
    return Article(
        url="https://example.com/story?utm_source=x",
        metadata=Metadata(
            title="Headline", canonical_url="https://example.com/story", outlet="Example"
        ),
        body=Body(text=text, html=f"<p>{text}</p>", status=BodyStatus.OK),
        story=StoryLink(story_id=story, canonical_key="https://example.com/story", similarity=1.0),
    )


def test_same_article_twice_is_stored_once(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "a.db"))
    assert store.save(_article("First text.")) is SaveOutcome.CREATED
    assert store.save(_article("First text.")) is SaveOutcome.UNCHANGED
    assert len(list(store.articles())) == 1


def test_changed_text_updates_and_keeps_the_earlier_version(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    store = SQLiteStore(str(path))
    store.save(_article("First text."))
    assert store.save(_article("Updated text.")) is SaveOutcome.UPDATED
    record = store.get("https://example.com/story")
    assert record is not None and record["text"] == "Updated text."
    versions = sqlite3.connect(path).execute("SELECT record FROM article_versions").fetchall()
    assert len(versions) == 1 and "First text." in versions[0][0]


def test_story_merge_moves_members(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "a.db"))
    other = replace(
        _article("Other."),
        url="https://example.org/copy",
        metadata=Metadata(canonical_url="https://example.org/copy"),
    )
    store.save(_article("Text.", story="s1"))
    store.save(replace(other, story=StoryLink("s2", "https://example.org/copy", 1.0)))
    store.merge_stories("s1", ["s2"])
    stories = (
        sqlite3.connect(tmp_path / "a.db")
        .execute("SELECT DISTINCT story_id FROM articles")
        .fetchall()
    )
    assert stories == [("s1",)]


def test_two_connections_share_the_file(tmp_path: Path) -> None:
    first, second = SQLiteStore(str(tmp_path / "a.db")), SQLiteStore(str(tmp_path / "a.db"))
    assert first.save(_article("Text.")) is SaveOutcome.CREATED
    assert second.save(_article("Text.")) is SaveOutcome.UNCHANGED
