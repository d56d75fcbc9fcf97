CREATE TABLE media_assets (
    id            uuid PRIMARY KEY,
    document_id   uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('image', 'audio', 'video', 'captions')),
    blob_url      text NOT NULL,
    thumbnail_url text,
    duration_ms   integer,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_assets_document ON media_assets (document_id, kind);
