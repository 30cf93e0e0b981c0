"""The story index against a real Redis: assignment, idempotence, merges, expiry."""

from __future__ import annotations

import time

import pytest
import redis

from tests.conftest import TEST_REDIS_URL, keys_matching
from tests.worker.dedup_texts import (
    STORM_PARAGRAPHS,
    STORM_TEXT,
    STORM_TITLE,
    mortgage_brief,
    quake_brief,
    storm_copy,
    storm_update,
)
from worker.dedup import StoryDocument, StoryIndex
from worker.dedup.index import document_id


def make_index(client: redis.Redis, namespace: str, window_s: int = 3600) -> StoryIndex:
    return StoryIndex(client, namespace=namespace, window_s=window_s, min_words=50)


def doc(key: str, text: str, title: str | None = None, **extra: str) -> StoryDocument:
    return StoryDocument(
        key=key,
        url=f"https://{key}.example/story",
        outlet=f"{key}.example",
        title=title,
        text=text,
        published=extra.get("published"),
        agency=extra.get("agency"),
    )


def test_copies_join_the_first_story(redis_client: redis.Redis, namespace: str) -> None:
    index = make_index(redis_client, namespace)
    first = index.add(doc("wire", STORM_TEXT, STORM_TITLE))
    copies = [index.add(doc(f"outlet{n}", storm_copy(n), f"Storm headline {n}")) for n in range(4)]
    assert {link.story_id for link in copies} == {first.story_id}
    assert all(link.judged and 0 < link.similarity <= 1 for link in copies)
    story = index.story(first.story_id)
    assert story is not None
    assert [member.key for member in story.members] == ["wire"] + [f"outlet{n}" for n in range(4)]


def test_adding_the_same_key_again_changes_nothing(
    redis_client: redis.Redis, namespace: str
) -> None:
    index = make_index(redis_client, namespace)
    first = index.add(doc("wire", STORM_TEXT, STORM_TITLE))
    again = index.add(doc("wire", STORM_TEXT, STORM_TITLE))
    assert again.story_id == first.story_id
    story = index.story(first.story_id)
    assert story is not None and len(story.members) == 1


def test_a_copy_matching_two_stories_merges_them(redis_client: redis.Redis, namespace: str) -> None:
    index = make_index(redis_client, namespace)
    front = index.add(doc("front", "\n\n".join(STORM_PARAGRAPHS[:4])))
    time.sleep(0.002)  # stories founded in the same millisecond are equally old
    back = index.add(doc("back", "\n\n".join(STORM_PARAGRAPHS[4:])))
    assert front.story_id != back.story_id
    whole = index.add(doc("whole", STORM_TEXT, STORM_TITLE))
    assert whole.merged_story_ids in ((front.story_id,), (back.story_id,))
    survivor = index.story(whole.story_id)
    absorbed = index.story(whole.merged_story_ids[0])
    assert survivor is not None and absorbed == survivor
    assert {member.key for member in survivor.members} == {"front", "back", "whole"}
    assert survivor.story_id == front.story_id  # the older story keeps its id


def test_short_pages_are_stored_but_never_merged(redis_client: redis.Redis, namespace: str) -> None:
    index = make_index(redis_client, namespace)
    notice = "Subscribe to our newsletter for the latest headlines, delivered every morning."
    links = [index.add(doc(f"short{n}", notice)) for n in range(2)]
    assert not any(link.judged for link in links)
    assert links[0].story_id != links[1].story_id
    assert index.story(links[1].story_id) is not None


def test_entries_expire_after_the_window(redis_client: redis.Redis, namespace: str) -> None:
    index = make_index(redis_client, namespace, window_s=1)
    first = index.add(doc("wire", STORM_TEXT, STORM_TITLE))
    time.sleep(2.2)
    later = index.add(doc("outlet", storm_copy(3)))
    assert later.story_id != first.story_id
    assert index.story(first.story_id) is None
    assert not redis_client.exists(f"{namespace}:d:{document_id('wire').hex()}")
    assert index.add(doc("wire", STORM_TEXT, STORM_TITLE)).story_id != first.story_id


def test_templated_briefs_stay_apart(redis_client: redis.Redis, namespace: str) -> None:
    index = make_index(redis_client, namespace)
    weeks = [
        mortgage_brief("6.81", "6.67", "7.09", "6.02", "Thursday"),
        mortgage_brief("6.95", "6.81", "7.22", "6.17", "Thursday"),
        mortgage_brief("7.04", "6.95", "6.90", "6.29", "Wednesday"),
    ]
    quakes = [
        quake_brief("4.6", "Ridgecrest, California", "8", "Monday"),
        quake_brief("5.1", "Hilo, Hawaii", "31", "Saturday"),
    ]
    links = [index.add(doc(f"brief{n}", text)) for n, text in enumerate(weeks + quakes)]
    assert len({link.story_id for link in links}) == len(links)
    copy = index.add(doc("reprint", weeks[1], "Mortgage rates climb again"))
    assert copy.story_id == links[1].story_id


def test_a_write_through_joins_its_story_as_an_update(
    redis_client: redis.Redis, namespace: str
) -> None:
    index = make_index(redis_client, namespace)
    first = index.add(doc("wire", STORM_TEXT, STORM_TITLE))
    update = index.add(doc("wire-update", storm_update(), "Clean-up begins after storm"))
    assert update.story_id == first.story_id and update.is_update
    copy = index.add(doc("copy", storm_copy(2), STORM_TITLE))
    assert not copy.is_update


def test_the_agency_copy_is_canonical(redis_client: redis.Redis, namespace: str) -> None:
    index = make_index(redis_client, namespace)
    index.add(doc("outlet", STORM_TEXT, STORM_TITLE, agency="AP"))
    own = StoryDocument(
        "https://apnews.com/storm", "https://apnews.com/storm", "apnews.com",
        STORM_TITLE, "\n\n".join(STORM_PARAGRAPHS[:5]), None, "AP",
    )  # fmt: skip
    link = index.add(own)
    assert link.canonical_key == own.key
    assert [story.story_id for story in index.stories()] == [link.story_id]


def test_a_decoding_client_is_refused(namespace: str) -> None:
    client = redis.Redis.from_url(TEST_REDIS_URL, decode_responses=True)
    with pytest.raises(ValueError, match="decode_responses"):
        make_index(client, namespace)
    client.close()


def test_every_key_expires(redis_client: redis.Redis, namespace: str) -> None:
    index = make_index(redis_client, namespace, window_s=600)
    for number in range(3):
        index.add(doc(f"outlet{number}", storm_copy(number)))
    index.add(doc("brief", mortgage_brief("6.81", "6.67", "7.09", "6.02", "Thursday")))
    keys = keys_matching(redis_client, f"{namespace}:*")
    assert len(keys) > 10
    assert all(0 < redis_client.ttl(key) <= 600 + 150 for key in keys)


def test_stories_come_most_recently_updated_first(
    redis_client: redis.Redis, namespace: str
) -> None:
    index = make_index(redis_client, namespace)
    storm = index.add(doc("wire", STORM_TEXT, STORM_TITLE))
    brief = index.add(doc("brief", mortgage_brief("6.81", "6.67", "7.09", "6.02", "Thursday")))
    assert [story.story_id for story in index.stories()] == [brief.story_id, storm.story_id]
    index.add(doc("outlet", storm_copy(1)))
    assert [story.story_id for story in index.stories(limit=1)] == [storm.story_id]
    assert index.story("0123456789abcdef") is None
