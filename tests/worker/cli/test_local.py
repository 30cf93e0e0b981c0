"""``extract``, ``dedup`` and ``stories``: stages run in the command's own process."""

from __future__ import annotations

import json
from pathlib import Path

import redis

from tests.conftest import TEST_REDIS_URL, keys_matching
from tests.workers import copydesk
from worker.cli.run import sample_manifest

SAMPLES = sample_manifest().parent
FIELDS = {
    "url",
    "title",
    "authors",
    "published",
    "modified",
    "outlet",
    "canonical_url",
    "language",
    "dateline",
    "agency",
    "text",
}


def test_extract_json_prints_one_object_per_page(tmp_path: Path) -> None:
    page = SAMPLES / "valley-courier-levee.html"
    result = copydesk({}, "extract", str(page), "--url", "https://example.com/levee", "--json")
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(record) >= FIELDS
    assert record["url"] == "https://example.com/levee"
    assert record["agency"] == "AP" and record["authors"] == ["Jane Marlowe"]
    assert record["dateline"] == "PORT WENDELL"
    assert record["text"].startswith("PORT WENDELL (AP) —")
    assert "Please ensure Javascript" not in record["text"]


def test_extract_names_unreadable_inputs_and_goes_on(tmp_path: Path) -> None:
    result = copydesk(
        {},
        "extract",
        str(tmp_path / "missing.html"),
        str(SAMPLES / "valley-courier-library.html"),
        "--json",
    )
    assert result.returncode == 1
    assert "missing.html" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_dedup_clusters_a_batch_in_a_namespace_of_its_own(tmp_path: Path) -> None:
    lines = [json.loads(line) for line in sample_manifest().read_text().splitlines()]
    manifest = tmp_path / "batch.jsonl"
    manifest.write_text(
        "\n".join(
            json.dumps({"id": str(number), "url": line["url"], "path": str(SAMPLES / line["path"])})
            for number, line in enumerate(lines)
        )
    )
    result = copydesk({"COPYDESK_REDIS_URL": TEST_REDIS_URL}, "dedup", "--manifest", str(manifest))
    assert result.returncode == 0, result.stderr
    placed = {item["id"]: item for item in map(json.loads, result.stdout.splitlines())}
    wire = {
        str(n)
        for n, line in enumerate(lines)
        if "reuters" not in line["path"] and "library" not in line["path"]
    }
    assert len({placed[doc]["story"] for doc in wire}) == 1
    assert sum(placed[doc]["canonical"] for doc in wire) == 1
    assert len({item["story"] for item in placed.values()}) == 3


def test_dedup_names_bad_lines_and_leaves_no_keys_behind(tmp_path: Path) -> None:
    manifest = tmp_path / "batch.jsonl"
    text = "word " * 80
    manifest.write_text(
        "\n".join([json.dumps({"id": "a", "text": text}), "{broken", json.dumps({"text": "no id"})])
    )
    client = redis.Redis.from_url(TEST_REDIS_URL)
    before = set(keys_matching(client, "batch-*"))
    result = copydesk({"COPYDESK_REDIS_URL": TEST_REDIS_URL}, "dedup", "--manifest", str(manifest))
    assert result.returncode == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    assert f"{manifest}:2" in result.stderr and f"{manifest}:3" in result.stderr
    assert set(keys_matching(client, "batch-*")) == before
    client.close()
