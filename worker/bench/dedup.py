"""Dedup quality on ``shared/eval/syndication`` beside reference methods, in one run.

Prints pairwise precision/recall and ARI for copies (write-throughs left out) and with
write-throughs counted as the same story, for copydesk's index (real Redis, a fresh
namespace) and for: exact hash of the normalised text, datasketch's MinHashLSH at
its default threshold 0.5, and all-pairs shingle containment >= 30% (quadratic).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import uuid
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from math import comb
from typing import Any

import redis

from worker.bench.evalsets import syndication_documents
from worker.dedup import StoryDocument, StoryIndex
from worker.dedup.text import SHINGLE_WORDS, normalised_words

Clustering = Callable[[list[dict[str, Any]]], list[Hashable]]


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    ari: float


def _pair_counts(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[int, int, int]:
    """(pairs together in both, pairs together in truth, pairs together in prediction)."""
    both = sum(comb(n, 2) for n in Counter(zip(truth, predicted, strict=True)).values())
    true_pairs = sum(comb(n, 2) for n in Counter(truth).values())
    predicted_pairs = sum(comb(n, 2) for n in Counter(predicted).values())
    return both, true_pairs, predicted_pairs


def pair_precision_recall(
    truth: Sequence[Hashable], predicted: Sequence[Hashable]
) -> tuple[float, float]:
    """Pairwise precision and recall; a measure with nothing to measure scores 1."""
    both, true_pairs, predicted_pairs = _pair_counts(truth, predicted)
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return precision, recall


def adjusted_rand_index(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Hubert and Arabie's ARI: pair agreement corrected for chance (1 = identical)."""
    both, true_pairs, predicted_pairs = _pair_counts(truth, predicted)
    all_pairs = comb(len(truth), 2)
    if all_pairs == 0:
        return 1.0
    expected = true_pairs * predicted_pairs / all_pairs
    ceiling = (true_pairs + predicted_pairs) / 2
    if ceiling == expected:
        return 1.0
    return (both - expected) / (ceiling - expected)


def score(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> Scores:
    precision, recall = pair_precision_recall(truth, predicted)
    return Scores(precision, recall, adjusted_rand_index(truth, predicted))


def _text(doc: dict[str, Any]) -> str:
    title = doc.get("title") or ""
    return f"{title}\n{doc['text']}" if title else str(doc["text"])


def _shingles(doc: dict[str, Any]) -> set[str]:
    words = normalised_words(_text(doc))
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _union_find(size: int, pairs: list[tuple[int, int]]) -> list[Hashable]:
    parent = list(range(size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, second in pairs:
        parent[root(first)] = root(second)
    return [root(node) for node in range(size)]


def exact_hash(docs: list[dict[str, Any]]) -> list[Hashable]:
    return [
        hashlib.blake2b(" ".join(normalised_words(_text(d))).encode()).hexdigest() for d in docs
    ]


def datasketch_lsh(docs: list[dict[str, Any]]) -> list[Hashable]:
    from datasketch import MinHash, MinHashLSH  # the optional bench extra

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    pairs: list[tuple[int, int]] = []
    for position, doc in enumerate(docs):
        signature = MinHash(num_perm=128)
        signature.update_batch([shingle.encode() for shingle in _shingles(doc)])
        pairs.extend((position, int(other)) for other in lsh.query(signature))
        lsh.insert(str(position), signature)
    return _union_find(len(docs), pairs)


def all_pairs_containment(docs: list[dict[str, Any]], share: float = 0.3) -> list[Hashable]:
    shingles = [_shingles(doc) for doc in docs]
    pairs = [
        (first, second)
        for first, second in itertools.combinations(range(len(docs)), 2)
        if len(shingles[first] & shingles[second])
        >= share * max(1, min(len(shingles[first]), len(shingles[second])))
    ]
    return _union_find(len(docs), pairs)


def story_document(doc: dict[str, Any]) -> StoryDocument:
    """An eval document as the pipeline would hand it to dedup (no labels)."""
    return StoryDocument(
        key=str(doc["url"] or doc["id"]),
        url=doc.get("url"),
        outlet=doc.get("outlet"),
        title=doc.get("title") or None,
        text=str(doc["text"]),
    )


def copydesk_index(client: redis.Redis, docs: list[dict[str, Any]]) -> list[Hashable]:
    """Stories copydesk's index assigns, in a fresh namespace removed afterwards."""
    namespace = f"bench-dedup-{uuid.uuid4().hex[:12]}"
    index = StoryIndex(client, namespace=namespace, window_s=3600, min_words=50)
    try:
        links = [index.add(story_document(doc)) for doc in docs]
        final = {link.story_id: index.story(link.story_id) for link in links}
        return [getattr(final[link.story_id], "story_id", link.story_id) for link in links]
    finally:
        delete_keys(client, f"{namespace}:*")


def delete_keys(client: redis.Redis, pattern: str) -> None:
    """Remove every key matching ``pattern``, a scan batch per round trip."""
    batch: list[Any] = []
    for key in client.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            client.delete(*batch)
            batch.clear()
    if batch:
        client.delete(*batch)


def evaluate(
    docs: list[dict[str, Any]], methods: dict[str, Clustering]
) -> dict[str, tuple[Scores, Scores]]:
    """Each method's scores on copies alone and with write-throughs included."""
    copies = [doc for doc in docs if doc.get("variant") != "writethru"]
    results: dict[str, tuple[Scores, Scores]] = {}
    for name, method in methods.items():
        on_copies = score([d["cluster"] for d in copies], method(copies))
        with_updates = score([d["cluster"] for d in docs], method(docs))
        results[name] = (on_copies, with_updates)
    return results


def _table(results: dict[str, tuple[Scores, Scores]]) -> str:
    lines = [
        f"{'method':<34} {'P':>6} {'R':>6} {'ARI':>6}   with write-throughs: P, R, ARI",
    ]
    for name, (copies, updates) in results.items():
        lines.append(
            f"{name:<34} {copies.precision:6.3f} {copies.recall:6.3f} {copies.ari:6.3f}"
            f"   {updates.precision:6.3f} {updates.recall:6.3f} {updates.ari:6.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args(argv)
    docs = syndication_documents()
    client = redis.Redis.from_url(args.redis_url)
    methods: dict[str, Clustering] = {
        "copydesk StoryIndex": lambda batch: copydesk_index(client, batch),
        "exact hash": exact_hash,
        "datasketch MinHashLSH (0.5)": datasketch_lsh,
        "all-pairs containment >= 30%": all_pairs_containment,
    }
    print(f"{len(docs)} documents from the syndication set")
    print(_table(evaluate(docs, methods)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
