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

from worker.dedup.text import (
    figure_slots,
    normalised_words,
    shingle_hashes,
    without_enumerations,
    without_quotes,
)

NUM_PERM = 128
#: Leading minima kept at full width to serve as LSH bands.
BANDS = 16
#: Figure slots kept per document: the ones with the smallest context hashes, so two
#: documents keep the same slots for the contexts they share.
MAX_SLOTS = 24
#: Where a minimum sits is kept in 4 bits, in steps of 8 words (0 to 120+): enough
#: to tell a copy's lead from a rewritten one.
_POSITION_STEP = 8
#: Bits kept of each minimum (b-bit MinHash).
MINIMUM_BITS = 10
_MINIMA_BYTES = (NUM_PERM * MINIMUM_BITS + 7) // 8
_POSITION_CODES = 15
_HEADER = struct.Struct("<HHi")
_RNG_SEED = 0x636F7079  # fixed so every worker draws the same permutations
_rng = np.random.default_rng(_RNG_SEED)
_PERM_A = _rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_PERM_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class Policy:
    """When two sketches count as one story.

    The defaults were tuned on real outlet copies (``python -m worker.bench.dedup``);
    |A ∩ B| is estimated from the resemblance J and the set sizes, as
    J (|A| + |B|) / (1 + J).
    """

    #: Shared text, by resemblance: estimated shared shingles (outside quotes)
    #: needed, about two sentences...
    min_shared_shingles: float = 25.0
    #: ...and equal signature minima (a resemblance of about 0.09): fewer is noise
    #: from common phrases and from the estimate's own spread.
    min_matching_minima: int = 12
    #: Or by containment: the share of the smaller document found in the larger
    #: (a trimmed copy, whose resemblance to the full one is low)...
    min_containment: float = 0.3
    #: ...resting on at least this many equal minima.
    min_matching_contained: int = 8
    #: Share of the compared figures that may differ (an updated toll may).
    max_conflict_share: float = 0.2
    #: Differing figures always tolerated, whatever the share.
    tolerated_conflicts: int = 1
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
    #: b-bit minima (Li and König): the low MINIMUM_BITS (10) bits of each
    #: permutation's minimum. Unequal minima collide with odds 1/1024, some 0.1
    #: false matches a comparison, which the thresholds can ignore, and a sketch
    #: stays small enough to keep in Redis for every document.
    minima: npt.NDArray[np.uint16]
    positions: npt.NDArray[np.uint8]  # word offset // _POSITION_STEP, at most 15
    slots: npt.NDArray[np.uint32]  # context hash << 8 | figure hash, sorted; 3 bytes each
    #: The first BANDS minima at full width, for the LSH buckets; not stored.
    bands: tuple[int, ...] = ()

    def to_bytes(self) -> bytes:
        header = _HEADER.pack(min(self.words, 65535), min(self.shingles, 65535), self.published_day)
        nibbles = (self.positions[0::2] << 4) | self.positions[1::2]
        slots = self.slots.astype("<u4").view(np.uint8).reshape(-1, 4)[:, :3]
        return header + _pack_bits(self.minima) + nibbles.tobytes() + slots.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Sketch:
        words, shingles, day = _HEADER.unpack_from(data)
        offset = _HEADER.size
        minima = _unpack_bits(data[offset : offset + _MINIMA_BYTES])
        offset += _MINIMA_BYTES
        nibbles = np.frombuffer(data, np.uint8, NUM_PERM // 2, offset)
        positions = np.empty(NUM_PERM, np.uint8)
        positions[0::2], positions[1::2] = nibbles >> 4, nibbles & 0x0F
        packed = np.frombuffer(data, np.uint8, offset=offset + NUM_PERM // 2).reshape(-1, 3)
        widened = np.zeros((packed.shape[0], 4), np.uint8)
        widened[:, :3] = packed
        slots = widened.view("<u4").ravel().astype(np.uint32)
        return cls(words, shingles, day, minima, positions, slots)


def _pack_bits(values: npt.NDArray[np.uint16]) -> bytes:
    """The low MINIMUM_BITS bits of each value, end to end."""
    bits = (values[:, None] >> np.arange(MINIMUM_BITS, dtype=np.uint16)) & 1
    return np.packbits(bits.astype(np.uint8).ravel()).tobytes()


def _unpack_bits(data: bytes) -> npt.NDArray[np.uint16]:
    bits = np.unpackbits(np.frombuffer(data, np.uint8))[: NUM_PERM * MINIMUM_BITS]
    weights = np.uint16(1) << np.arange(MINIMUM_BITS, dtype=np.uint16)
    weighted = bits.reshape(NUM_PERM, MINIMUM_BITS).astype(np.uint16) * weights
    values: npt.NDArray[np.uint16] = weighted.sum(axis=1, dtype=np.uint16)
    return values


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
    """The MAX_SLOTS slots with the smallest context hashes, packed and sorted."""
    contexts = sorted(slots)[:MAX_SLOTS]
    return np.array([(context << 8) | slots[context] for context in contexts], np.uint32)


def build_sketch(text: str, published: str | None = None) -> Sketch:
    """The sketch of a document's text (title and body as one text)."""
    words = normalised_words(without_enumerations(without_quotes(text)))
    hashes = shingle_hashes(words)
    minima, where = minhash(hashes)
    return Sketch(
        words=len(words),
        shingles=int(np.unique(hashes).size),
        published_day=published_day(published),
        minima=(minima & ((1 << MINIMUM_BITS) - 1)).astype(np.uint16),
        positions=np.minimum(where // _POSITION_STEP, _POSITION_CODES).astype(np.uint8),
        slots=sample_slots(figure_slots(words)),
        bands=tuple(minima[:BANDS].tolist()),
    )


def slot_agreement(first: Sketch, second: Sketch) -> tuple[int, int]:
    """Figures filling the slots both sketches sampled: (agreeing, differing).

    Counted once per figure, not per slot: one updated toll ("at least 50" now "52")
    that a story repeats in its headline and its lead is one difference.
    """
    _, first_at, second_at = np.intersect1d(
        first.slots >> np.uint32(8), second.slots >> np.uint32(8), return_indices=True
    )
    mask = np.uint32(0xFF)
    pairs = set(
        zip(
            (first.slots[first_at] & mask).tolist(),
            (second.slots[second_at] & mask).tolist(),
            strict=True,
        )
    )
    agreeing = {value for value, other in pairs if value == other}
    differing = {(value, other) for value, other in pairs if value != other}
    return len(agreeing), len(differing)


def _dates_far_apart(first: Sketch, second: Sketch, policy: Policy) -> bool:
    if first.published_day < 0 or second.published_day < 0:
        return False
    return abs(first.published_day - second.published_day) > policy.max_days_apart


def _figures_differ(first: Sketch, second: Sketch, policy: Policy) -> bool:
    agreeing, differing = slot_agreement(first, second)
    if differing <= policy.tolerated_conflicts:
        return False
    return differing > policy.max_conflict_share * (agreeing + differing)


def _shared_text(first: Sketch, second: Sketch, policy: Policy) -> tuple[bool, float]:
    """Whether the two share enough text, by resemblance or containment, and the
    containment: the estimated share of the smaller document found in the larger."""
    matching = int(np.count_nonzero(first.minima == second.minima))
    resemblance = matching / NUM_PERM
    shared = resemblance * (first.shingles + second.shingles) / (1.0 + resemblance)
    containment = min(1.0, shared / min(first.shingles, second.shingles))
    resembling = matching >= policy.min_matching_minima and shared >= policy.min_shared_shingles
    contained = matching >= policy.min_matching_contained and containment >= policy.min_containment
    return resembling or contained, containment


def compare(first: Sketch, second: Sketch, policy: Policy) -> Verdict:
    """Whether two documents carry one story, judged on their sketches alone."""
    if not (first.shingles and second.shingles):
        return Verdict(same_story=False, similarity=0.0, is_update=False)
    enough, containment = _shared_text(first, second, policy)
    if not enough or _dates_far_apart(first, second, policy):
        return Verdict(same_story=False, similarity=containment, is_update=False)
    if _figures_differ(first, second, policy):
        return Verdict(same_story=False, similarity=containment, is_update=False)
    equal = first.minima == second.minima
    lead_starts = (int(first.positions[equal].min()), int(second.positions[equal].min()))
    rewritten_lead = min(lead_starts) * _POSITION_STEP > policy.rewritten_lead_words
    return Verdict(same_story=True, similarity=containment, is_update=rewritten_lead)
