-- Ingest bookkeeping: the message that asked for the current ingest (re-published unchanged by the
-- reconciler, so effect-once dedupe catches a duplicate), the raw blob version that was ingested,
-- and what the file really was.
ALTER TABLE documents
    ADD COLUMN ingest_message_id uuid,
    ADD COLUMN ai_message_id uuid,
    ADD COLUMN raw_etag text,
    ADD COLUMN detected_kind text;
