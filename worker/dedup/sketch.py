"""Compact signatures of a document and the test that two of them carry one story.

A :class:`Sketch` holds a MinHash signature of the document's word shingles (the
minimum of each of ``NUM_PERM`` hash permutations), where in the text each minimum
sits, and a sample of its figure slots. From two sketches alone (no text) we
estimate resemblance (Jaccard), containment (the share of the smaller document
found in the larger, which stays high for trimmed copies), where the shared text
lies, and how many template slots the two fill differently.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from worker.dedup.text import figure_slots, normalised_words, shingle_hashes

NUM_PERM = 64
#: Figure slots kept per document: the ones with the smallest context hashes, so two
#: documents keep the same slots for the contexts they share.
MAX_SLOTS = 24
_POSITION_CAP = 255
_HEADER = struct.Struct("<HHi")
_RNG_SEED = 0x636F7079  # fixed so every worker draws the same permutations
_rng = np.random.default_rng(_RNG_SEED)
_PERM_A = _rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_PERM_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class Policy:
    """When two sketches count as one story; defaults tuned on real outlet copies."""

    #: Estimated shared shingles below which two documents are not judged the same.
    min_shared_shingles: float = 20.0
    #: Equal signature minima needed: fewer is noise from common phrases.
    min_matching_minima: int = 4
    #: Share of compared figure slots that may differ (updated tolls, trimmed tables).
    max_conflict_share: float = 0.10
    #: Differing slots always tolerated, whatever the share.
    tolerated_conflicts: int = 0
    #: Shared text starting later than this many words into both documents is
    #: background or a quote, not the story's lead.
    lead_words: int = 60
    #: Shared text starting later than this in both documents means the lead was
    #: rewritten: the later document is a write-through (an update) of the earlier.
    rewritten_lead_words: int = 15
    #: Publication dates further apart than this are different stories.
    max_days_apart: int = 3


@dataclass(frozen=True, slots=True)
class Sketch:
    """What the index keeps of a document to compare it without its text."""

    words: int
    shingles: int
    published_day: int  # days since 1970-01-01, -1 when unknown
    minima: npt.NDArray[np.uint32]
    positions: npt.NDArray[np.uint8]
    slots: npt.NDArray[np.uint32]  # context hash << 8 | figure hash, sorted

    def to_bytes(self) -> bytes:
        header = _HEADER.pack(min(self.words, 65535), min(self.shingles, 65535), self.published_day)
        return header + self.minima.tobytes() + self.positions.tobytes() + self.slots.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Sketch:
        words, shingles, day = _HEADER.unpack_from(data)
        offset = _HEADER.size
        minima = np.frombuffer(data, np.uint32, NUM_PERM, offset)
        offset += 4 * NUM_PERM
        positions = np.frombuffer(data, np.uint8, NUM_PERM, offset)
        slots = np.frombuffer(data, np.uint32, offset=offset + NUM_PERM)
        return cls(words, shingles, day, minima, positions, slots)


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a document relates to another: same story or not, and how."""

    same_story: bool
    similarity: float
    is_update: bool


def published_day(published: str | None) -> int:
    """Days since the epoch of an ISO 8601 date or date-time; -1 when absent or unreadable."""
    if not published:
        return -1
    try:
        moment = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return -1
    return moment.toordinal() - datetime(1970, 1, 1).toordinal()


def minhash(hashes: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.intp]]:
    """Each permutation's minimum over the shingle hashes and the shingle holding it."""
    if hashes.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, np.uint32), np.zeros(NUM_PERM, np.intp)
    with np.errstate(over="ignore"):
        permuted = (_PERM_A[:, None] * hashes[None, :] + _PERM_B[:, None]) >> np.uint64(32)
    where = permuted.argmin(axis=1)
    return permuted[np.arange(NUM_PERM), where].astype(np.uint32), where


def sample_slots(slots: dict[int, int]) -> npt.NDArray[np.uint32]:
    contexts = sorted(slots)[:MAX_SLOTS]
    return np.array([(context << 8) | slots[context] for context in contexts], np.uint32)


def build_sketch(text: str, published: str | None = None) -> Sketch:
    """The sketch of a document's text (title and body as one text)."""
    words = normalised_words(text)
    hashes = shingle_hashes(words)
    minima, where = minhash(hashes)
    positions = np.minimum(where, _POSITION_CAP).astype(np.uint8)
    return Sketch(
        words=len(words),
        shingles=int(np.unique(hashes).size),
        published_day=published_day(published),
        minima=minima,
        positions=positions,
        slots=sample_slots(figure_slots(words)),
    )


def slot_agreement(first: Sketch, second: Sketch) -> tuple[int, int]:
    """(agreeing, differing) figure slots among the contexts both sketches sampled."""
    first_context = first.slots >> np.uint32(8)
    second_context = second.slots >> np.uint32(8)
    common, first_at, second_at = np.intersect1d(
        first_context, second_context, assume_unique=False, return_indices=True
    )
    if common.size == 0:
        return 0, 0
    differing = int(np.count_nonzero(first.slots[first_at] != second.slots[second_at]))
    return int(common.size) - differing, differing


def _shared_shingles(resemblance: float, first: Sketch, second: Sketch) -> float:
    """|A ∩ B| from J = |A ∩ B| / |A ∪ B| and the two set sizes."""
    return resemblance * (first.shingles + second.shingles) / (1.0 + resemblance)


def _dates_far_apart(first: Sketch, second: Sketch, policy: Policy) -> bool:
    if first.published_day < 0 or second.published_day < 0:
        return False
    return abs(first.published_day - second.published_day) > policy.max_days_apart


def _figures_differ(first: Sketch, second: Sketch, policy: Policy) -> bool:
    agreeing, differing = slot_agreement(first, second)
    if differing <= policy.tolerated_conflicts:
        return False
    return differing > policy.max_conflict_share * (agreeing + differing)


def compare(first: Sketch, second: Sketch, policy: Policy) -> Verdict:
    """Whether two documents carry one story, judged on their sketches alone."""
    equal = first.minima == second.minima
    matching = int(np.count_nonzero(equal))
    resemblance = matching / NUM_PERM
    shared = _shared_shingles(resemblance, first, second)
    smaller = max(1, min(first.shingles, second.shingles))
    containment = min(1.0, shared / smaller)
    no = Verdict(same_story=False, similarity=containment, is_update=False)
    if matching < policy.min_matching_minima or shared < policy.min_shared_shingles:
        return no
    if _dates_far_apart(first, second, policy) or _figures_differ(first, second, policy):
        return no
    lead_starts = (int(first.positions[equal].min()), int(second.positions[equal].min()))
    if min(lead_starts) > policy.lead_words:
        return no
    rewritten_lead = min(lead_starts) > policy.rewritten_lead_words
    return Verdict(same_story=True, similarity=containment, is_update=rewritten_lead)
