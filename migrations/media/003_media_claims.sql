-- A media run claims its document for the length of an encode without holding a database
-- connection (or a transaction) across ffmpeg. A claim past its expiry belongs to a worker that
-- died, and the next run takes it over. `message_id` tells another delivery of the same message
-- that its effect is already being produced.
CREATE TABLE media_claims (
    document_id uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    token       uuid NOT NULL,
    message_id  uuid NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
