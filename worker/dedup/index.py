"""The story index in Redis that every worker shares.

Layout under ``{namespace}`` (all of it expires, so memory stays flat in a stream):

- ``:d:{doc}``: a document's story id and sketch (string, expires after the window).
- ``:b:{generation}:{shard}``: LSH buckets. Each of ``BANDS`` signature minima is a
  band (one row each: trimmed copies share few shingles, so a band must match on
  a single minimum); a band names a field ``band index + minimum`` in one of
  ``2**shard_bits`` hashes, holding the ids of the last few documents that had it.
  Small hashes stay in Redis's compact listpack encoding (about 20 bytes a
  field, against some 70 for a key of its own); buckets are written into the
  current time generation and a whole generation expires after the window.
- ``:s:{story}``: a story: its members, creation time, canonical version.
- ``:r:{story}``: where a merged story went.
- ``:recent``: stories by last update, capped, for :meth:`StoryIndex.stories`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import redis

from worker.dedup.scripts import COMMIT_SCRIPT, READ_SCRIPT
from worker.dedup.sketch import Policy, Sketch, Verdict, build_sketch, compare
from worker.errors import RetryableError
from worker.models import StoryLink

#: Signature minima used as LSH bands.
BANDS = 16
#: Time generations per window: buckets expire a quarter-window after their window.
GENERATIONS = 4
#: Commit attempts before giving the task back to be retried later.
MAX_ATTEMPTS = 50
_STORY_ID_CHARS = 16
_BAND_FIELD = struct.Struct(">BI")
_OUTLET_PREFIX = re.compile(r"^(?:www\d?|m|amp)\.")


@dataclass(frozen=True, slots=True)
class StoryDocument:
    """What dedup needs of an article."""

    key: str
    url: str | None
    outlet: str | None
    title: str | None
    text: str
    published: str | None = None
    agency: str | None = None


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One outlet's copy within a story."""

    key: str
    url: str | None
    outlet: str | None
    title: str | None
    similarity: float
    is_update: bool
    published: str | None


@dataclass(frozen=True, slots=True)
class Story:
    """Copies of one story, with the version that stands for it."""

    story_id: str
    canonical_key: str
    members: tuple[StoryMember, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a read found: the buckets as seen, where to write, the stories matched."""

    generations: list[int] = field(default_factory=list)
    bands: list[tuple[int, bytes]] = field(default_factory=list)  # (shard, field)
    observed: list[bytes] = field(default_factory=list)  # per generation, per band
    write_generation: int = 0
    expire_at: int = 0
    matches: dict[str, Verdict] = field(default_factory=dict)

    def arguments(self) -> list[Any]:
        """The plan as the commit script reads it."""
        args: list[Any] = [self.write_generation, self.expire_at, len(self.generations)]
        args.extend(self.generations)
        args.append(len(self.bands))
        for shard, band_field in self.bands:
            args.extend((shard, band_field))
        args.extend(self.observed)
        args.extend(self.matches)
        return args

    def best(self) -> Verdict | None:
        return max(self.matches.values(), key=lambda verdict: verdict.similarity, default=None)


def document_id(key: str) -> bytes:
    """Eight bytes naming a document; collisions are negligible below billions of keys."""
    return hashlib.blake2b(key.encode(), digest_size=8).digest()


def is_agency_own(outlet: str | None, agency: str | None) -> bool:
    """True when the outlet is the agency's own site (``apnews.com`` for AP)."""
    if not outlet or not agency:
        return False
    name = re.sub(r"[^a-z0-9]", "", agency.lower())
    label = _OUTLET_PREFIX.sub("", outlet.lower()).split(".")[0]
    return bool(name) and label in {name, f"{name}news"}


def canonical_rank(doc: StoryDocument, sketch: Sketch) -> str:
    """Orders copies for the canonical version: agency's own, most complete, earliest."""
    own = "1" if is_agency_own(doc.outlet, doc.agency) else "0"
    earliness = 999_999 - sketch.published_day if sketch.published_day >= 0 else 0
    return f"{own}{min(sketch.words, 999_999):06d}{earliness:06d}"


def _member_record(doc: StoryDocument, verdict: Verdict | None, added: float) -> str:
    """A member as a JSON array (the key first: the commit script reads it), url omitted
    when it is the key, to keep Redis memory per document small."""
    similarity = round(verdict.similarity, 3) if verdict else 1.0
    is_update = verdict.is_update if verdict else False
    url = None if doc.url == doc.key else doc.url
    fields = [doc.key, url, doc.outlet, doc.title, similarity, is_update, doc.published, added]
    return json.dumps(fields, separators=(",", ":"))


def _member(record: bytes) -> tuple[float, StoryMember]:
    key, url, outlet, title, similarity, is_update, published, added = json.loads(record)
    member = StoryMember(
        key=key,
        url=url if url is not None else key,
        outlet=outlet,
        title=title,
        similarity=float(similarity),
        is_update=bool(is_update),
        published=published,
    )
    return float(added), member


class StoryIndex:
    """Assigns documents to stories, shared by every worker through one Redis."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        namespace: str,
        window_s: int,
        min_words: int,
        policy: Policy | None = None,
        shard_bits: int = 16,
        max_candidates: int = 24,
        bucket_depth: int = 4,
        recent_cap: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._ns = namespace
        self._window_s = window_s
        self._min_words = min_words
        self._policy = policy or Policy()
        self._shard_mask = (1 << shard_bits) - 1
        self._max_candidates = max_candidates
        self._bucket_depth = bucket_depth
        self._recent_cap = recent_cap
        self._clock = clock
        self._generation_s = max(1, math.ceil(window_s / GENERATIONS))
        self._read = client.register_script(READ_SCRIPT)
        self._commit = client.register_script(COMMIT_SCRIPT)

    # --- public -------------------------------------------------------------

    def add(self, doc: StoryDocument) -> StoryLink:
        """Place a document in its story; adding the same key again changes nothing."""
        doc_id = document_id(doc.key)
        held = self._client.get(self._doc_key(doc_id.hex()))
        if held is not None:
            return self._existing_link(doc_id.hex(), held[:_STORY_ID_CHARS].decode())
        text = f"{doc.title}\n{doc.text}" if doc.title else doc.text
        sketch = build_sketch(text, doc.published)
        judged = sketch.words >= self._min_words
        for _ in range(MAX_ATTEMPTS):
            plan = self._plan(doc_id, sketch) if judged else _Plan()
            link = self._try_commit(doc, doc_id, sketch, plan, judged)
            if link is not None:
                return link
        raise RetryableError("story index too contended; retry the document later", retry_after=1)

    def story(self, story_id: str) -> Story | None:
        """The story under this id, following merges to the story that absorbed it."""
        resolved = self._resolve(story_id)
        if resolved is None:
            return None
        fields: dict[bytes, bytes] = self._client.hgetall(self._story_key(resolved))
        if not fields:
            return None
        members = sorted(
            _member(value) for name, value in fields.items() if name.startswith(b"m:")
        )
        canonical = _member(fields[b"m:" + fields[b"canon"]])[1].key
        return Story(resolved, canonical, tuple(member for _, member in members))

    def stories(self, limit: int = 100) -> list[Story]:
        """Live stories, most recently updated first."""
        ids: list[bytes] = self._client.zrevrange(f"{self._ns}:recent", 0, limit - 1)
        found = (self.story(story_id.decode()) for story_id in ids)
        return [story for story in found if story is not None]

    # --- reading -------------------------------------------------------------

    def _plan(self, doc_id: bytes, sketch: Sketch) -> _Plan:
        current = int(self._clock() // self._generation_s)
        fields = [_BAND_FIELD.pack(band, int(sketch.minima[band])) for band in range(BANDS)]
        plan = _Plan(
            generations=list(self._live_generations(current)),
            bands=[(zlib.crc32(band_field) & self._shard_mask, band_field) for band_field in fields],
            write_generation=current,
            expire_at=(current + 1) * self._generation_s + self._window_s,
        )
        reply = self._read(keys=[], args=[self._ns, *plan.arguments()[2:]])
        plan.observed.extend(reply)
        votes: Counter[bytes] = Counter()
        for value in plan.observed:
            votes.update(_doc_ids(value))
        votes.pop(doc_id, None)
        self._judge_candidates(plan, sketch, [doc for doc, _ in votes.most_common(self._max_candidates)])
        return plan

    def _judge_candidates(self, plan: _Plan, sketch: Sketch, candidates: list[bytes]) -> None:
        if not candidates:
            return
        records: list[bytes | None] = self._client.mget(
            [self._doc_key(candidate.hex()) for candidate in candidates]
        )
        for record in records:
            if record is None:
                continue  # expired since its bucket was written
            verdict = compare(sketch, Sketch.from_bytes(record[_STORY_ID_CHARS:]), self._policy)
            story_id = record[:_STORY_ID_CHARS].decode()
            known = plan.matches.get(story_id)
            if verdict.same_story and (known is None or verdict.similarity > known.similarity):
                plan.matches[story_id] = verdict

    def _live_generations(self, current: int) -> Iterable[int]:
        # one generation ahead too, so a worker whose clock just crossed into it is seen
        oldest = current - math.ceil(self._window_s / self._generation_s)
        return range(oldest, current + 2)

    def _resolve(self, story_id: str) -> str | None:
        for _ in range(64):
            successor = self._client.get(f"{self._ns}:r:{story_id}")
            if successor is None:
                break
            story_id = successor.decode()
        return story_id if self._client.exists(self._story_key(story_id)) else None

    def _existing_link(self, doc_hex: str, story_id: str) -> StoryLink:
        resolved = self._resolve(story_id) or story_id
        story_key = self._story_key(resolved)
        canon, record = self._client.hmget(story_key, ["canon", f"m:{doc_hex}"])
        canonical = self._client.hget(story_key, b"m:" + canon) if canon else None
        _, member = _member(record) if record else (0.0, None)
        return StoryLink(
            story_id=resolved,
            canonical_key=_member(canonical)[1].key if canonical else "",
            similarity=member.similarity if member else 1.0,
            is_update=member.is_update if member else False,
        )

    # --- writing -------------------------------------------------------------

    def _try_commit(
        self, doc: StoryDocument, doc_id: bytes, sketch: Sketch, plan: _Plan, judged: bool
    ) -> StoryLink | None:
        now = self._clock()
        best = plan.best()
        args: list[Any] = [
            self._ns, doc_id.hex(), doc_id, sketch.to_bytes(),
            _member_record(doc, best, now), canonical_rank(doc, sketch),
            self._window_s, repr(now), self._recent_cap, self._bucket_depth,
            *plan.arguments(),
        ]  # fmt: skip
        reply: list[bytes] = self._commit(keys=[], args=args)
        status = reply[0].decode()
        if status == "retry":
            return None
        if status == "dup":
            return self._existing_link(doc_id.hex(), reply[1].decode())
        return StoryLink(
            story_id=reply[1].decode(),
            canonical_key=reply[2].decode(),
            similarity=best.similarity if best else 1.0,
            is_update=best.is_update if best else False,
            merged_story_ids=tuple(story.decode() for story in reply[3:]),
            judged=judged,
        )

    # --- key names -------------------------------------------------------------

    def _doc_key(self, doc_hex: str) -> str:
        return f"{self._ns}:d:{doc_hex}"

    def _story_key(self, story_id: str) -> str:
        return f"{self._ns}:s:{story_id}"


def _doc_ids(entries: bytes) -> Iterable[bytes]:
    return (entries[start : start + 8] for start in range(0, len(entries), 8))
