-- Articles keyed by canonical URL, the story clusters they belong to, and the
-- earlier versions of articles whose text changed. See worker/stores/SCHEMA.md.

CREATE TABLE stories (
    story_id      text PRIMARY KEY,
    -- The key (canonical URL) of the story's canonical version, as dedup last chose it.
    canonical_url text,
    -- Set when the story was absorbed by another one in a merge.
    merged_into   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE articles (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_url text NOT NULL UNIQUE,
    url           text,
    title         text,
    outlet        text,
    agency        text,
    published     timestamptz,
    language      text,
    story_id      text REFERENCES stories (story_id),
    content_hash  text NOT NULL,
    record        jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX articles_story_id ON articles (story_id);
CREATE INDEX articles_outlet_published ON articles (outlet, published DESC);
CREATE INDEX articles_published ON articles (published DESC);
CREATE INDEX articles_agency_published ON articles (agency, published DESC)
    WHERE agency IS NOT NULL;

CREATE TABLE article_versions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id   bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    content_hash text NOT NULL,
    record       jsonb NOT NULL,
    -- When this version was stored, and when a newer text replaced it.
    stored_at    timestamptz NOT NULL,
    replaced_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX article_versions_article ON article_versions (article_id, replaced_at);
