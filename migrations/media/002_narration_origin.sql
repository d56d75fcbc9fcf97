-- The ingestion stage stores a document's extracted images in media_assets too. Narrated media
-- (audio, video, captions) is marked 'narration' so a re-run replaces only its own rows.
ALTER TABLE media_assets
    ADD COLUMN origin text NOT NULL DEFAULT 'document' CHECK (origin IN ('document', 'narration')),
    ADD COLUMN content_type text,
    ADD COLUMN size_bytes bigint CHECK (size_bytes >= 0);
CREATE INDEX media_assets_document_origin ON media_assets (document_id, origin);
