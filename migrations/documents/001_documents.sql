CREATE TABLE documents (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id     uuid,
    title         text NOT NULL,
    filename      text NOT NULL,
    kind          text NOT NULL,
    size_bytes    bigint NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    source        text NOT NULL DEFAULT 'upload' CHECK (source IN ('upload', 'canvas')),
    raw_blob_path text NOT NULL,
    markdown_path text,
    structure_path text,
    page_count    integer,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_user_created ON documents (user_id, created_at DESC, id);

-- Pipeline state per stage; Postgres is the source of truth, Redis only carries the work.
CREATE TABLE document_stages (
    document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    stage        text NOT NULL CHECK (stage IN ('ingest', 'ai', 'media')),
    status       text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     integer NOT NULL DEFAULT 0,
    error_code   text,
    error_message text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, stage)
);
CREATE INDEX document_stages_status_updated ON document_stages (status, updated_at);
