-- Raw paths of deleted documents, held by a leased empty blob so an upload URL issued before the
-- delete cannot write there; the reconciler releases each one once every such URL has expired.
CREATE TABLE held_uploads (
    path       text PRIMARY KEY,
    release_at timestamptz NOT NULL
);
CREATE INDEX held_uploads_release ON held_uploads (release_at);
