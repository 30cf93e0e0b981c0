"""Dedup: syndicated copies of one story become one story, shared across workers.

Documents are sketched (128 MinHash minima over normalised word shingles of the
text outside quoted speech, where in the text the minima sit, and which figures
fill the text's template slots), banded into an LSH index in Redis and judged
against their candidates on the sketches alone, for both resemblance and
containment. A Lua script commits each assignment atomically, checking that the
buckets read are unchanged, so concurrent workers cannot split a story.
"""

from worker.dedup.index import Story, StoryDocument, StoryIndex, StoryMember, sketch_of
from worker.dedup.sketch import Policy, Sketch, Verdict, build_sketch, compare

__all__ = [
    "Policy",
    "Sketch",
    "Story",
    "StoryDocument",
    "StoryIndex",
    "StoryMember",
    "Verdict",
    "build_sketch",
    "compare",
    "sketch_of",
]
