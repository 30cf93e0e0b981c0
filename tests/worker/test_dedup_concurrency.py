"""Four OS processes adding twenty copies of one story at once make one story.

Every copy matches every other, so when each assignment is atomic the first copy
founds the story and all the others join it as they add: no two found a story of
their own, and nothing has to be merged afterwards (merging would heal a race,
and hide it).
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier

import redis

from tests.conftest import TEST_REDIS_URL
from tests.worker.dedup_texts import storm_copy
from worker.dedup import StoryDocument, StoryIndex

PROCESSES = 4
COPIES = 20


def add_copies(namespace: str, numbers: list[int], start: Barrier) -> list[tuple[str, int]]:
    """(story id, stories merged) for each copy, as ``add`` returned them."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    index = StoryIndex(client, namespace=namespace, window_s=3600, min_words=50)
    documents = [
        StoryDocument(f"copy{n}", None, f"outlet{n}.example", f"Headline {n}", storm_copy(n))
        for n in numbers
    ]
    start.wait()
    links = [index.add(document) for document in documents]
    client.close()
    return [(link.story_id, len(link.merged_story_ids)) for link in links]


def test_concurrent_copies_become_one_story(redis_client: redis.Redis, namespace: str) -> None:
    context = multiprocessing.get_context("fork")
    start = context.Manager().Barrier(PROCESSES)
    shares = [list(range(worker, COPIES, PROCESSES)) for worker in range(PROCESSES)]
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(add_copies, [(namespace, share, start) for share in shares])
    links = [link for share in results for link in share]
    assert len({story_id for story_id, _ in links}) == 1
    assert not any(merged for _, merged in links)
    index = StoryIndex(redis_client, namespace=namespace, window_s=3600, min_words=50)
    story = index.story(links[0][0])
    assert story is not None
    assert sorted(member.key for member in story.members) == sorted(
        f"copy{n}" for n in range(COPIES)
    )
    assert [found.story_id for found in index.stories()] == [story.story_id]
