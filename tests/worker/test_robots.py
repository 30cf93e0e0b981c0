"""robots.txt: what each answer means, the rules for copydesk, and the shared cache."""

from __future__ import annotations

import pytest
import redis

from tests.conftest import keys_matching
from worker.errors import RetryableError
from worker.robots import RobotsCache, RobotsRules, parsed_robots, robots_text

RULES = """\
User-agent: *
Disallow: /
Crawl-delay: 9

User-agent: copydesk
Disallow: /private/
Allow: /private/press
Crawl-delay: 2.5
"""


def test_the_copydesk_group_applies_and_wildcard_groups_do_not() -> None:
    rules = RobotsRules(RULES)
    assert rules.allows("https://example.com/news/story")
    assert not rules.allows("https://example.com/private/notes")
    assert rules.allows("https://example.com/private/press")
    assert rules.crawl_delay() == 2.5


def test_wildcard_group_applies_when_no_group_names_copydesk() -> None:
    rules = RobotsRules("User-agent: *\nDisallow: /search\nCrawl-delay: 4\n")
    assert not rules.allows("https://example.com/search?q=x")
    assert rules.allows("https://example.com/story")
    assert rules.crawl_delay() == 4.0


def test_empty_rules_allow_everything_without_delay() -> None:
    rules = RobotsRules("")
    assert rules.allows("https://example.com/anything")
    assert rules.crawl_delay() is None


def test_a_2xx_answer_carries_the_rules() -> None:
    assert robots_text(200, b"User-agent: *\nDisallow: /x\n") == "User-agent: *\nDisallow: /x\n"


@pytest.mark.parametrize("status", [401, 403, 404, 410, 429])
def test_a_4xx_answer_means_no_restrictions(status: int) -> None:
    assert robots_text(status, b"<html>not found</html>") == ""


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_answer_means_try_later(status: int) -> None:
    with pytest.raises(RetryableError, match=str(status)):
        robots_text(status, b"")


def test_the_cache_is_shared_per_origin_and_expires(
    redis_client: redis.Redis, namespace: str
) -> None:
    writer = RobotsCache(redis_client, namespace, ttl_s=60)
    reader = RobotsCache(redis_client, namespace, ttl_s=60)
    assert reader.get("https://example.com") is None
    writer.put("https://example.com", "User-agent: *\nDisallow: /private\n")
    cached = reader.get("https://example.com")
    assert cached is not None
    assert not cached.allows("https://example.com/private")
    assert reader.get("http://example.com") is None  # another scheme is another origin
    keys = keys_matching(redis_client, f"{namespace}*")
    assert len(keys) == 1
    assert 0 < redis_client.ttl(keys[0]) <= 60


def test_a_site_s_rules_are_parsed_once_for_all_its_pages(
    redis_client: redis.Redis, namespace: str
) -> None:
    cache = RobotsCache(redis_client, namespace, ttl_s=60)
    text = f"User-agent: copydesk\nDisallow: /{namespace}/private/\n"
    cache.put("https://parsed-once.example", text)
    before = parsed_robots.cache_info()
    pages = [cache.get("https://parsed-once.example") for _ in range(3)]
    after = parsed_robots.cache_info()
    assert all(rules is not None for rules in pages)
    assert not any(rules.allows(f"https://x/{namespace}/private/a") for rules in pages if rules)
    assert (after.misses - before.misses, after.hits - before.hits) == (0, 3)
