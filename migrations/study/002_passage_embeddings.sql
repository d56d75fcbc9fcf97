-- Embeddings of search passages for `POST /v1/ask`, only where Azure OpenAI embeddings are
-- configured: computed the first time a passage is retrieved, kept per model, dropped with the
-- passage (search entries are replaced when a document is indexed again). A plain array column:
-- the vectors rerank a few dozen full-text candidates, so no vector index is needed.
CREATE TABLE passage_embeddings (
    user_id    uuid NOT NULL,
    entry_id   uuid NOT NULL,
    model      text NOT NULL,
    embedding  real[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, entry_id, model),
    FOREIGN KEY (user_id, entry_id) REFERENCES search_entries (user_id, id) ON DELETE CASCADE
);
