"""Dedup at scale: fill the story index with synthetic story families in real Redis.

Reports insert+query latency per document (p50, p99), throughput, Redis memory per
document and how well the families were recovered, then runs datasketch's
Redis-backed MinHashLSH (threshold 0.5, 128 permutations) on a subset of the same
documents, and compares the cost of computing signatures both ways.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import redis
from datasketch import MinHash, MinHashLSH

from worker.bench.dedup import Scores, delete_keys, score
from worker.dedup import StoryDocument, StoryIndex, build_sketch, sketch_of
from worker.dedup.sketch import BANDS, minhash
from worker.dedup.text import SHINGLE_WORDS, normalised_words, shingle_hashes
from worker.models import StoryLink

_T = TypeVar("_T")
_ENTRIES_PER_SHARD = 100  # well inside Redis's compact listpack encoding
_SCORED_DOCS = 20_000
_PROGRESS_EVERY = 100_000
_SYLLABLES = tuple("bcdfghjklmnprstvwxyz")


@dataclass(frozen=True, slots=True)
class Family:
    """A base story and the edits outlets made of it."""

    family_id: int
    sentences: tuple[str, ...]
    headline: str


def _vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    return [
        "".join(rng.choice(_SYLLABLES) + rng.choice("aeiou") for _ in range(rng.randint(1, 4)))
        for _ in range(size)
    ]


def _sentence(rng: random.Random, words: list[str]) -> str:
    body = " ".join(rng.choice(words) for _ in range(rng.randint(12, 28)))
    figure = f" {rng.randint(2, 9999)}" if rng.random() < 0.3 else ""
    return body.capitalize() + figure + "."


def _edited(rng: random.Random, family: Family, words: list[str]) -> str:
    """A copy as an outlet runs it: trimmed, maybe a local intro, a few words changed."""
    kept = list(family.sentences[: rng.randint(max(4, len(family.sentences) // 2), 20)])
    for _ in range(rng.randint(0, 3)):
        position = rng.randrange(len(kept))
        changed = kept[position].split()
        changed[rng.randrange(len(changed))] = rng.choice(words)
        kept[position] = " ".join(changed)
    if rng.random() < 0.4:
        kept.insert(0, _sentence(rng, words))
    return " ".join(kept)


def _copy(rng: random.Random, family: Family, words: list[str], number: int) -> StoryDocument:
    """One outlet's page: its own URL (about 100 characters, as news URLs run) and
    headline, so the memory figure counts realistic metadata too."""
    outlet = f"www.outlet{rng.randrange(977)}.example"
    title = family.sentences[0][: rng.randint(50, 90)] if rng.random() < 0.5 else family.headline
    slug = "-".join(family.headline.lower().split()[:8])
    url = f"https://{outlet}/news/world/2024/07/02/{slug}-{number}"
    return StoryDocument(url, url, outlet, title, _edited(rng, family, words),
                         "2024-07-02T09:30:00Z")  # fmt: skip


def documents(count: int, seed: int = 7) -> Iterator[tuple[int, StoryDocument]]:
    """(family, document) pairs: families of 1 to 6 copies of ~300-word stories."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    words = _vocabulary(rng)
    made = 0
    while made < count:
        sentences = tuple(_sentence(rng, words) for _ in range(15))
        family = Family(made, sentences, _sentence(rng, words)[:70])
        for _ in range(min(rng.choice((1, 1, 2, 3, 4, 6)), count - made)):
            yield family.family_id, _copy(rng, family, words, made)
            made += 1


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _spread(latencies: list[float]) -> str:
    return f"p50 {_percentile(latencies, 0.5):.2f} ms, p99 {_percentile(latencies, 0.99):.2f} ms"


def memory_of(client: redis.Redis, pattern: str) -> int:
    """Bytes Redis spends on the keys matching ``pattern`` (MEMORY USAGE, summed).

    Per key rather than ``used_memory`` deltas, which other users of a shared
    Redis would distort.
    """
    total = 0
    keys = client.scan_iter(match=pattern, count=2000)
    while batch := list(itertools.islice(keys, 2000)):
        pipe = client.pipeline(transaction=False)
        for key in batch:
            pipe.memory_usage(key, samples=0)
        total += sum(usage or 0 for usage in pipe.execute())
    return total


def _timed(action: Callable[[_T], object], argument: _T) -> float:
    """Milliseconds ``action(argument)`` takes."""
    started = time.perf_counter()
    action(argument)
    return (time.perf_counter() - started) * 1000


def _mean_ms(action: Callable[[_T], object], arguments: list[_T]) -> float:
    return statistics.fmean(_timed(action, argument) for argument in arguments)


@dataclass(slots=True)
class _Fill:
    """What filling the index measured, document by document."""

    index_ms: list[float] = field(default_factory=list)
    sketch_ms: list[float] = field(default_factory=list)
    families: list[int] = field(default_factory=list)
    links: list[StoryLink] = field(default_factory=list)

    def add(self, index: StoryIndex, family: int, doc: StoryDocument) -> None:
        started = time.perf_counter()
        sketch = sketch_of(doc)
        sketched = time.perf_counter()
        self.links.append(index.add(doc, sketch))
        self.index_ms.append((time.perf_counter() - sketched) * 1000)
        self.sketch_ms.append((sketched - started) * 1000)
        self.families.append(family)
        if len(self.links) % _PROGRESS_EVERY == 0:
            print(f"  ... {len(self.links):,} documents: {_spread(self.index_ms)}", flush=True)


def _recovery(index: StoryIndex, fill: _Fill) -> Scores:
    """How well the families of the last documents came out (reading every story of a
    million documents back would take longer than filling the index)."""
    links, families = fill.links[-_SCORED_DOCS:], fill.families[-_SCORED_DOCS:]
    final = {link.story_id: index.story(link.story_id) for link in links}
    return score(families, [getattr(final[link.story_id], "story_id", link.story_id)
                            for link in links])  # fmt: skip


def run_copydesk(client: redis.Redis, count: int, shard_bits: int) -> None:
    namespace = f"bs-{uuid.uuid4().hex[:8]}"
    index = StoryIndex(client, namespace=namespace, window_s=7 * 24 * 3600, min_words=50,
                       shard_bits=shard_bits)  # fmt: skip
    fill = _Fill()
    print(f"copydesk StoryIndex, {count:,} documents, shard_bits={shard_bits}", flush=True)
    started = time.perf_counter()
    try:
        for family, doc in documents(count):
            fill.add(index, family, doc)
        elapsed = time.perf_counter() - started
        memory = memory_of(client, f"{namespace}:*")
        quality = _recovery(index, fill)
    finally:
        delete_keys(client, f"{namespace}:*")
    whole = [a + b for a, b in zip(fill.index_ms, fill.sketch_ms, strict=True)]
    print(f"  query+insert+assign (from the sketch, as datasketch's figure starts from its "
          f"MinHash): {_spread(fill.index_ms)}")  # fmt: skip
    print(f"  sketch from text: {_spread(fill.sketch_ms)}; both: {_spread(whole)}; "
          f"{count / elapsed:,.0f} docs/s")  # fmt: skip
    print(f"  Redis memory: {memory / count:,.0f} bytes per document")
    print(f"  families of the last {min(count, _SCORED_DOCS):,} documents recovered: "
          f"P {quality.precision:.3f} R {quality.recall:.3f} ARI {quality.ari:.3f}")  # fmt: skip


def _datasketch_signature(doc: StoryDocument) -> MinHash:
    words = normalised_words(doc.text)
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - 4)}
    signature = MinHash(num_perm=128)
    signature.update_batch([shingle.encode() for shingle in shingles])
    return signature


def run_datasketch(client: redis.Redis, host: str, port: int, count: int) -> None:
    basename = f"bench-datasketch-{uuid.uuid4().hex[:10]}"
    lsh = MinHashLSH(threshold=0.5, num_perm=128, storage_config={
        "type": "redis", "basename": basename.encode(), "redis": {"host": host, "port": port},
    })  # fmt: skip
    latencies: list[float] = []
    try:
        for _, doc in documents(count):
            signature = _datasketch_signature(doc)
            started = time.perf_counter()
            lsh.query(signature)
            lsh.insert(doc.key, signature)
            latencies.append((time.perf_counter() - started) * 1000)
        memory = memory_of(client, f"{basename}*")
    finally:
        delete_keys(client, f"{basename}*")
    print(f"datasketch MinHashLSH (Redis storage), {count:,} documents")
    print(f"  query+insert: {_spread(latencies)}, "
          f"{1000 / statistics.fmean(latencies):,.0f} docs/s")  # fmt: skip
    print(f"  Redis memory: {memory / count:,.0f} bytes per document")


def compare_signature_cost(count: int) -> None:
    """Whole sketches, and the MinHash step alone on the same shingles, both ways."""
    docs = [doc for _, doc in documents(count, seed=11)]
    ours = _mean_ms(build_sketch, [doc.text for doc in docs])
    theirs = _mean_ms(_datasketch_signature, docs)
    shingled = [shingle_hashes(normalised_words(doc.text)) for doc in docs]
    our_step = _mean_ms(minhash, shingled)
    their_step = _mean_ms(_datasketch_minhash, shingled)
    print(f"per ~300-word document, from text: copydesk sketch (numpy: 128 minima, positions, "
          f"figure slots) {ours:.3f} ms; datasketch MinHash(128) {theirs:.3f} ms")  # fmt: skip
    print(f"  the MinHash step alone, same shingles: copydesk (numpy) {our_step:.3f} ms; "
          f"datasketch update_batch {their_step:.3f} ms")  # fmt: skip


def _datasketch_minhash(hashes: npt.NDArray[np.uint64]) -> MinHash:
    signature = MinHash(num_perm=128)
    signature.update_batch(
        hashes.tobytes()[start : start + 8] for start in range(0, 8 * hashes.size, 8)
    )
    return signature


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--datasketch-docs", type=int, default=5_000)
    parser.add_argument("--redis-host", default="127.0.0.1")
    parser.add_argument("--redis-port", type=int, default=6379)
    args = parser.parse_args(argv)
    client = redis.Redis(host=args.redis_host, port=args.redis_port)
    shard_bits = max(8, math.ceil(math.log2(args.docs * BANDS / _ENTRIES_PER_SHARD)))
    compare_signature_cost(500)
    run_copydesk(client, args.docs, shard_bits)
    if (datasketch_docs := min(args.docs, args.datasketch_docs)) > 0:
        run_datasketch(client, args.redis_host, args.redis_port, datasketch_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
