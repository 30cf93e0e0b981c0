"""The story index in Redis that every worker shares.

Adding a document takes one or two round trips: a read script returns what the
document's LSH buckets hold (and the sketches of the documents they name), or, when
they name none, founds the document's story at once; Python judges the candidates on
their sketches; a commit script then checks the buckets are unchanged and, in one
atomic step, joins the document to the stories it matched (merging them when there
are several) or founds a new one. A commit that finds the buckets changed is retried
from the read, so concurrent copies of one story meet.

Layout under ``{namespace}`` (all of it expires, so memory stays flat in a stream):

- ``:d:{doc id, 8 raw bytes}``: the document's story id (8 bytes) and sketch (about
  300 bytes).
- ``:b:{generation}:{shard}``: LSH buckets. Each of the first ``BANDS`` signature
  minima is a band of one row (trimmed copies share few shingles, so a band must
  match on a single minimum); a band is a field ``band index + minimum`` in one of
  ``2**shard_bits`` hashes, holding the ids of the last few documents that had it.
  Small hashes stay in Redis's compact listpack encoding (about 15 bytes a field,
  against some 70 for a key of its own); buckets are written into the current time
  generation, and a generation expires as a whole once the window has passed it.
- ``:s:{story}``: a story, as a list (compact whatever the URLs' length): a header
  ``created|rank|canonical index``, then each member as a JSON array.
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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, cast

import redis

from worker.dedup.scripts import ARGUMENTS, COMMIT_SCRIPT, READ_SCRIPT
from worker.dedup.sketch import Policy, Sketch, Verdict, build_sketch, compare
from worker.errors import RetryableError
from worker.models import StoryLink

#: Time generations per window: buckets expire a quarter-window after their window.
GENERATIONS = 4
#: Where the commit's own arguments go among the read's (see ``StoryIndex._commit``).
_DIGEST_AT, _MEMBER_AT = ARGUMENTS.index("digest"), ARGUMENTS.index("member")
#: Commit attempts before giving the task back to be retried later.
MAX_ATTEMPTS = 50
_STORY_ID_BYTES = 8  # a record starts with its story's id, raw
_MAX_SHARD_BITS = 24  # shards travel to the scripts as 6 hex digits
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


#: Stands in for a member a story no longer holds (it expired meanwhile).
_NO_MEMBER = StoryMember("", None, None, None, similarity=1.0, is_update=False, published=None)


@dataclass(frozen=True, slots=True)
class _Buckets:
    """A document's LSH buckets: its bands in each live time generation."""

    first_generation: int = 1
    last_generation: int = 0  # none, for a document too short to judge
    shards: str = ""  # 6 hex digits per band
    fields: bytes = b""  # 5 bytes per band: band index, minimum
    write_generation: int = 0
    expire_at: int = 0


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a read found: the buckets' digest and the stories the document matched."""

    digest: bytes
    matches: dict[str, Verdict] = field(default_factory=dict)

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


def sketch_of(doc: StoryDocument) -> Sketch:
    """The sketch the index compares a document by: its title and text as one text."""
    text = f"{doc.title}\n{doc.text}" if doc.title else doc.text
    return build_sketch(text, doc.published)


def canonical_rank(doc: StoryDocument, sketch: Sketch) -> str:
    """Orders copies for the canonical version: agency's own, most complete, earliest."""
    own = "1" if is_agency_own(doc.outlet, doc.agency) else "0"
    earliness = 999_999 - sketch.published_day if sketch.published_day >= 0 else 0
    return f"{own}{min(sketch.words, 999_999):06d}{earliness:06d}"


def _member_record(doc: StoryDocument, verdict: Verdict | None) -> str:
    """A member as a JSON array (the key first: the commit script reads it), url omitted
    when it is the key, to keep Redis memory per document small."""
    similarity = round(verdict.similarity, 3) if verdict else 1.0
    is_update = verdict.is_update if verdict else False
    url = None if doc.url == doc.key else doc.url
    fields = [doc.key, url, doc.outlet, doc.title, similarity, is_update, doc.published]
    return json.dumps(fields, separators=(",", ":"))


def _member(record: bytes) -> StoryMember:
    key, url, outlet, title, similarity, is_update, published = json.loads(record)
    return StoryMember(
        key=key,
        url=url if url is not None else key,
        outlet=outlet,
        title=title,
        similarity=float(similarity),
        is_update=bool(is_update),
        published=published,
    )


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
        recent_cap: int = 1_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._ns = namespace
        self._window_s = window_s
        self._min_words = min_words
        self._policy = policy or Policy()
        if client.get_connection_kwargs().get("decode_responses"):
            raise ValueError("the story index keeps binary sketches: use decode_responses=False")
        if not 0 < shard_bits <= _MAX_SHARD_BITS:
            raise ValueError(f"shard_bits must be 1 to {_MAX_SHARD_BITS}, not {shard_bits}")
        self._shard_mask = (1 << shard_bits) - 1
        self._max_candidates = max_candidates
        self._bucket_depth = bucket_depth
        self._recent_cap = recent_cap
        self._clock = clock
        self._generation_s = max(1, math.ceil(window_s / GENERATIONS))
        self._read = client.register_script(READ_SCRIPT)
        self._write = client.register_script(COMMIT_SCRIPT)

    # --- public -------------------------------------------------------------

    def add(self, doc: StoryDocument, sketch: Sketch | None = None) -> StoryLink:
        """Place a document in its story; adding the same key again changes nothing.

        ``sketch`` is the document's :func:`sketch_of`, when the caller has it already.
        """
        sketch = sketch or sketch_of(doc)
        judged = sketch.words >= self._min_words
        arguments = self._arguments(doc, sketch, self._buckets(sketch) if judged else _Buckets())
        for _ in range(MAX_ATTEMPTS):
            plan = self._plan(doc, sketch, arguments)
            link = plan if isinstance(plan, StoryLink) else self._commit(doc, arguments, plan)
            if link is not None:
                return link if judged else replace(link, judged=False)
        raise RetryableError("story index too contended; retry the document later", retry_after=1)

    def story(self, story_id: str) -> Story | None:
        """The story under this id, following merges to the story that absorbed it."""
        resolved = self._resolve(story_id)
        if resolved is None:
            return None
        canonical, members = self._read_story(resolved)
        return Story(resolved, canonical.key, tuple(members)) if members else None

    def stories(self, limit: int = 100) -> list[Story]:
        """Live stories, most recently updated first."""
        ids = cast(list[bytes], self._client.zrevrange(f"{self._ns}:recent", 0, limit - 1))
        found = (self.story(_raw(story_id).decode()) for story_id in ids)
        return [story for story in found if story is not None]

    # --- reading -------------------------------------------------------------

    def _buckets(self, sketch: Sketch) -> _Buckets:
        current = int(self._clock() // self._generation_s)
        fields = [_BAND_FIELD.pack(band, minimum) for band, minimum in enumerate(sketch.bands)]
        shards = (zlib.crc32(band_field) & self._shard_mask for band_field in fields)
        return _Buckets(
            # the window's generations and the next: another worker's clock may run ahead
            first_generation=current - math.ceil(self._window_s / self._generation_s),
            last_generation=current + 1,
            shards="".join(f"{shard:06x}" for shard in shards),
            fields=b"".join(fields),
            write_generation=current,
            expire_at=(current + 1) * self._generation_s + self._window_s,
        )

    def _plan(self, doc: StoryDocument, sketch: Sketch, arguments: list[Any]) -> _Plan | StoryLink:
        """Candidates judged, or the link of a document indexed already or just founded."""
        reply = [_raw(part) for part in cast(list[Any], self._read(keys=[], args=arguments))]
        if reply[0] != b"fresh":
            return self._link(doc, reply, best=None)
        plan = _Plan(digest=reply[1])
        for record in reply[2:]:
            verdict = compare(sketch, Sketch.from_bytes(record[_STORY_ID_BYTES:]), self._policy)
            story_id = record[:_STORY_ID_BYTES].hex()
            known = plan.matches.get(story_id)
            if verdict.same_story and (known is None or verdict.similarity > known.similarity):
                plan.matches[story_id] = verdict
        return plan

    def _resolve(self, story_id: str) -> str | None:
        for _ in range(64):
            successor = self._client.get(f"{self._ns}:r:{story_id}")
            if successor is None:
                break
            story_id = _raw(successor).decode()
        return story_id if self._client.exists(self._story_key(story_id)) else None

    def _read_story(self, story_id: str) -> tuple[StoryMember, list[StoryMember]]:
        """A story's canonical member and its members, in the order they joined
        (the members of a story merged in follow those of the story that absorbed it).

        A story is a list: a header ``created|rank|canonical index``, then its members.
        """
        entries = cast(list[Any], self._client.lrange(self._story_key(story_id), 0, -1))
        if not entries:
            return _NO_MEMBER, []
        canonical_index = int(_raw(entries[0]).rsplit(b"|", 1)[1])
        members = [_member(_raw(entry)) for entry in entries[1:]]
        return members[canonical_index - 1], members

    def _existing_link(self, doc_key: str, record: bytes) -> StoryLink:
        story_id = record[:_STORY_ID_BYTES].hex()
        resolved = self._resolve(story_id) or story_id
        canonical, members = self._read_story(resolved)
        own = next((member for member in members if member.key == doc_key), _NO_MEMBER)
        return StoryLink(
            story_id=resolved,
            canonical_key=canonical.key,
            similarity=own.similarity,
            is_update=own.is_update,
        )

    # --- writing -------------------------------------------------------------

    def _commit(self, doc: StoryDocument, arguments: list[Any], plan: _Plan) -> StoryLink | None:
        """The document committed to its story; None when the buckets moved meanwhile."""
        best = plan.best()
        args = [*arguments, *plan.matches]
        args[_DIGEST_AT], args[_MEMBER_AT] = plan.digest, _member_record(doc, best)
        reply = [_raw(part) for part in cast(list[Any], self._write(keys=[], args=args))]
        return None if reply[0] == b"retry" else self._link(doc, reply, best)

    def _arguments(self, doc: StoryDocument, sketch: Sketch, buckets: _Buckets) -> list[Any]:
        """The read script's arguments, in :data:`~worker.dedup.scripts.ARGUMENTS` order
        (the commit script's differ only in the digest and the member's similarity)."""
        doc_id = document_id(doc.key)
        values = {
            "namespace": self._ns, "first_generation": buckets.first_generation,
            "last_generation": buckets.last_generation, "shards": buckets.shards,
            "fields": buckets.fields, "digest": b"", "doc": doc_id.hex(), "doc_raw": doc_id,
            "record_tail": sketch.to_bytes(), "member": _member_record(doc, None),
            "rank": canonical_rank(doc, sketch), "window": self._window_s,
            "now": int(self._clock() * 1000), "recent_cap": self._recent_cap,
            "depth": self._bucket_depth, "write_generation": buckets.write_generation,
            "expire_at": buckets.expire_at, "max_candidates": self._max_candidates,
        }  # fmt: skip
        return [values[name] for name in ARGUMENTS]

    def _link(self, doc: StoryDocument, reply: list[bytes], best: Verdict | None) -> StoryLink:
        """The link a script's ``held`` or ``ok`` reply gives."""
        if reply[0] == b"held":
            return self._existing_link(doc.key, reply[1])
        return StoryLink(
            story_id=reply[1].decode(),
            canonical_key=reply[2].decode(),
            similarity=best.similarity if best else 1.0,
            is_update=best.is_update if best else False,
            merged_story_ids=tuple(story.decode() for story in reply[3:]),
        )

    # --- key names -------------------------------------------------------------

    def _story_key(self, story_id: str) -> str:
        return f"{self._ns}:s:{story_id}"


def _raw(value: bytes | str) -> bytes:
    """A reply as bytes: redis-py types replies ``bytes | str``; without
    ``decode_responses`` (which the index requires) they are bytes."""
    return value.encode() if isinstance(value, str) else value
