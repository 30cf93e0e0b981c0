"""The values that flow between pipeline stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page as fetched or handed in: bytes plus what the transport said of them."""

    url: str | None
    body: bytes
    content_type: str | None = None
    fetched_at: str | None = None


class BodyStatus(StrEnum):
    """What the cleaning stage found on a page."""

    OK = "ok"
    NO_ARTICLE = "no_article"
    EMPTY_PAGE = "empty_page"


@dataclass(frozen=True, slots=True)
class Body:
    """The article body a page carries, as text and as minimal HTML."""

    text: str
    html: str
    status: BodyStatus
    truncated: bool = False

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a page says about its article; a field the page does not give is None."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    outlet: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    description: str | None = None
    image: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    dateline: str | None = None
    agency: str | None = None
    agency_evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryLink:
    """Where dedup placed an article: its story cluster and how it relates to it."""

    story_id: str
    canonical_key: str
    similarity: float
    is_update: bool = False
    merged_story_ids: tuple[str, ...] = ()
    judged: bool = True


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned page with its metadata: what extraction yields and stores keep."""

    url: str | None
    metadata: Metadata
    body: Body
    story: StoryLink | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str | None:
        """The identity under which stores keep the article."""
        return self.metadata.canonical_url or self.url

    def to_dict(self) -> dict[str, Any]:
        """A flat JSON-ready record, the shape of ``copydesk extract --json``."""
        record: dict[str, Any] = {"url": self.url, **asdict(self.metadata)}
        record["authors"] = list(self.metadata.authors)
        record["tags"] = list(self.metadata.tags)
        record["agency_evidence"] = list(self.metadata.agency_evidence)
        record["text"] = self.body.text
        record["html"] = self.body.html
        record["status"] = str(self.body.status)
        record["truncated"] = self.body.truncated
        record["story"] = asdict(self.story) if self.story else None
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Article:
        """The article :meth:`to_dict` described (a queue message, a stored record)."""
        meta: dict[str, Any] = {name: record.get(name) for name in Metadata.__dataclass_fields__}
        for name in ("authors", "tags", "agency_evidence"):
            meta[name] = tuple(record.get(name) or ())
        body = Body(
            text=record.get("text", ""),
            html=record.get("html", ""),
            status=BodyStatus(record.get("status", BodyStatus.OK)),
            truncated=bool(record.get("truncated")),
        )
        story = record.get("story")
        link = None
        if story:
            link = StoryLink(
                **{**story, "merged_story_ids": tuple(story.get("merged_story_ids", ()))}
            )
        return cls(url=record.get("url"), metadata=Metadata(**meta), body=body, story=link)
