-- Full-text search over what a user owns: document sections and study aids (key points,
-- glossary terms, flashcards). Filled by the ingestion and study-aid stages, replaced per
-- document and kind on every re-run, removed with the document (ON DELETE CASCADE).
-- Both extensions are trusted (PostgreSQL 13+) and available on Neon.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- btree_gin lets one GIN index hold (user_id, lexeme) pairs, so a query for one user never
-- walks the posting lists of every other user who owns a copy of the same course pack.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE search_entries (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    course_id    uuid,
    kind         text NOT NULL CHECK (kind IN ('section', 'key_point', 'glossary', 'flashcard')),
    position     integer NOT NULL CHECK (position >= 0),
    -- heading: section heading or glossary term (weight A); body: section text, key point,
    -- definition or card front (B); detail: card back (C).
    heading      text NOT NULL DEFAULT '',
    body         text NOT NULL DEFAULT '',
    detail       text NOT NULL DEFAULT '',
    -- The citation: the section the hit comes from and its page or slide number.
    cite_section text NOT NULL DEFAULT '',
    cite_page    integer CHECK (cite_page >= 1),
    page_unit    text CHECK (page_unit IN ('page', 'slide')),
    -- The text-search configuration of the document's language ('simple' when unknown).
    config       regconfig NOT NULL DEFAULT 'simple',
    tsv          tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector(config, heading), 'A')
                     || setweight(to_tsvector(config, body), 'B')
                     || setweight(to_tsvector(config, detail), 'C')
                 ) STORED,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX search_entries_user_tsv ON search_entries USING gin (user_id, tsv);
CREATE INDEX search_entries_user_heading_trgm ON search_entries
    USING gin (user_id, heading gin_trgm_ops) WHERE kind IN ('section', 'glossary');
CREATE INDEX search_entries_document_kind ON search_entries (document_id, kind);
CREATE INDEX search_entries_user_config ON search_entries (user_id, config);
