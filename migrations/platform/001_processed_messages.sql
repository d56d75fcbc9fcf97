-- Dedupe keys of stream messages whose effect has been committed (at-least-once delivery,
-- effect-once processing): a handler inserts its key in the same transaction as its effect.
CREATE TABLE processed_messages (
    dedupe_key   text PRIMARY KEY,
    stream       text NOT NULL,
    message_id   uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_messages_processed_at ON processed_messages (processed_at);
