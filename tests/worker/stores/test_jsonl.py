from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

from config import Settings
from worker.models import Article, Body, BodyStatus, Metadata, StoryLink
from worker.stores import SaveOutcome, content_hash, open_stores
from worker.stores.jsonl import JsonlStore

MAX_BYTES = 64 * 1024


def _article(text: str, key: str = "https://example.com/story", story: str = "s1") -> Article:
    return Article(
        url=key,
        metadata=Metadata(title="Headline", canonical_url=key, outlet="Example"),
        body=Body(text=text, html=f"<p>{text}</p>", status=BodyStatus.OK),
        story=StoryLink(story_id=story, canonical_key=key, similarity=1.0),
    )


def _events(directory: Path) -> list[dict[str, Any]]:
    lines = []
    for path in sorted(directory.glob("articles-*.jsonl")):
        lines += path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_same_article_twice_is_written_once(tmp_path: Path) -> None:
    store = JsonlStore(tmp_path, MAX_BYTES)
    assert store.save(_article("First text.")) is SaveOutcome.CREATED
    assert store.save(_article("First text.")) is SaveOutcome.UNCHANGED
    [event] = _events(tmp_path)
    assert event["event"] == "article.created"
    assert event["key"] == "https://example.com/story"
    assert event["content_hash"] == content_hash(_article("First text."))
    assert event["story_id"] == "s1" and event["article"]["text"] == "First text."


def test_changed_article_is_written_as_an_update(tmp_path: Path) -> None:
    store = JsonlStore(tmp_path, MAX_BYTES)
    store.save(_article("First text."))
    assert store.save(_article("Updated text.")) is SaveOutcome.UPDATED
    events = _events(tmp_path)
    assert [event["event"] for event in events] == ["article.created", "article.updated"]
    assert [event["article"]["text"] for event in events] == ["First text.", "Updated text."]


def test_index_survives_a_restart(tmp_path: Path) -> None:
    JsonlStore(tmp_path, MAX_BYTES).save(_article("Text."))
    assert JsonlStore(tmp_path, MAX_BYTES).save(_article("Text.")) is SaveOutcome.UNCHANGED
    assert len(_events(tmp_path)) == 1


def test_story_merge_is_one_line(tmp_path: Path) -> None:
    store = JsonlStore(tmp_path, MAX_BYTES)
    store.merge_stories("s1", ["s2", "s3"])
    [event] = _events(tmp_path)
    assert event["event"] == "story.merged"
    assert event["story_id"] == "s1" and event["absorbed_story_ids"] == ["s2", "s3"]


def test_files_rotate_by_size_without_splitting_lines(tmp_path: Path) -> None:
    store = JsonlStore(tmp_path, max_bytes=2000)
    for index in range(10):
        store.save(_article("Words " * 40, key=f"https://example.com/{index}"))
    files = sorted(tmp_path.glob("articles-*.jsonl"))
    assert len(files) > 1
    # Each part holds whole lines and stays under the cap (each line is well under it).
    assert all(path.stat().st_size <= 2000 for path in files)
    assert [event["key"] for event in _events(tmp_path)] == [
        f"https://example.com/{index}" for index in range(10)
    ]


def test_a_line_larger_than_the_cap_gets_a_part_of_its_own(tmp_path: Path) -> None:
    store = JsonlStore(tmp_path, max_bytes=100)
    store.save(_article("Long text " * 50, key="https://example.com/a"))
    store.save(_article("Long text " * 50, key="https://example.com/b"))
    assert len(list(tmp_path.glob("articles-*.jsonl"))) == 2


def test_files_rotate_by_day(tmp_path: Path) -> None:
    days = iter([date(2026, 3, 4), date(2026, 3, 4), date(2026, 3, 5)])
    store = JsonlStore(tmp_path, MAX_BYTES, today=lambda: next(days))
    for index in range(3):
        store.save(_article("Text.", key=f"https://example.com/{index}"))
    sizes = {path.name: len(path.read_text().splitlines()) for path in tmp_path.glob("*.jsonl")}
    assert sizes == {"articles-2026-03-04-0001.jsonl": 2, "articles-2026-03-05-0001.jsonl": 1}


def test_concurrent_writers_write_each_article_once(tmp_path: Path) -> None:
    articles = [
        _article(f"Text {index}.", key=f"https://example.com/{index}") for index in range(40)
    ]

    def write_all() -> None:
        # Its own store, as in another worker process: the index file is the only shared part.
        store = JsonlStore(tmp_path, max_bytes=4000)
        for article in articles:
            store.save(article)
        store.close()

    threads = [threading.Thread(target=write_all) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    keys = [event["key"] for event in _events(tmp_path)]
    assert sorted(keys) == sorted(article.key for article in articles if article.key)


def test_store_comes_from_settings(tmp_path: Path) -> None:
    settings = Settings(stores=("jsonl",), data_dir=tmp_path)
    [store] = open_stores(settings)
    store.save(_article("Text."))
    store.close()
    assert len(_events(tmp_path / "jsonl")) == 1
