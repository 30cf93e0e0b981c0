"""Dedup: syndicated copies of one story become one story, shared across workers.

Documents are sketched (MinHash over normalised word shingles, plus where the shared
text lies and which figures fill the text's template slots), banded into an LSH
index in Redis, and judged against their candidates on the sketches alone; the
assignment to a story is committed atomically by a Lua script.
"""

from worker.dedup.index import Story, StoryDocument, StoryIndex, StoryMember
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
]
