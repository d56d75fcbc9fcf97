-- The slides as data (the API serves them and a redelivered message re-publishes the narration
-- script from them), and what each document's generation cost: model, requests, tokens.
ALTER TABLE slide_decks ADD COLUMN slides jsonb NOT NULL DEFAULT '[]'::jsonb;

CREATE TABLE ai_usage (
    document_id       uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    generator         text NOT NULL,
    model             text,
    requests          integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
    prompt_tokens     integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    retries           integer NOT NULL DEFAULT 0 CHECK (retries >= 0),
    invalid_outputs   integer NOT NULL DEFAULT 0 CHECK (invalid_outputs >= 0),
    truncated         boolean NOT NULL DEFAULT false,
    duration_ms       integer NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
    runs              integer NOT NULL DEFAULT 1 CHECK (runs >= 1),
    lifetime_tokens   bigint NOT NULL DEFAULT 0 CHECK (lifetime_tokens >= 0),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_usage_user ON ai_usage (user_id, updated_at DESC);
