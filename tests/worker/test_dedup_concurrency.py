"""Four OS processes adding twenty copies of one story at once make one story."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier

import redis

from tests.conftest import TEST_REDIS_URL
from tests.worker.dedup_texts import storm_copy
from worker.dedup import StoryDocument, StoryIndex

PROCESSES = 4
COPIES = 20


def add_copies(namespace: str, numbers: list[int], start: Barrier) -> list[str]:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    index = StoryIndex(client, namespace=namespace, window_s=3600, min_words=50)
    documents = [
        StoryDocument(f"copy{n}", None, f"outlet{n}.example", f"Headline {n}", storm_copy(n))
        for n in numbers
    ]
    start.wait()
    story_ids = [index.add(document).story_id for document in documents]
    client.close()
    return story_ids


def test_concurrent_copies_become_one_story(redis_client: redis.Redis, namespace: str) -> None:
    context = multiprocessing.get_context("fork")
    start = context.Manager().Barrier(PROCESSES)
    shares = [list(range(worker, COPIES, PROCESSES)) for worker in range(PROCESSES)]
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(add_copies, [(namespace, share, start) for share in shares])
    index = StoryIndex(redis_client, namespace=namespace, window_s=3600, min_words=50)
    stories = {index.story(story_id) for ids in results for story_id in ids}
    assert len(stories) == 1
    (story,) = stories
    assert story is not None
    assert sorted(member.key for member in story.members) == sorted(
        f"copy{n}" for n in range(COPIES)
    )
    assert [found.story_id for found in index.stories()] == [story.story_id]
