-- Scheduled syncs: each connection has its own next sync time (spread over the period so
-- students are not all synced in one burst) and a status; a connection whose tokens Canvas
-- refused is `needs_reconnect` and is skipped until the student connects again.
ALTER TABLE canvas_connections
    ADD COLUMN status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reconnect')),
    ADD COLUMN status_reason text,
    ADD COLUMN next_sync_at  timestamptz;
UPDATE canvas_connections SET next_sync_at = now() + random() * interval '6 hours';
CREATE INDEX canvas_connections_next_sync ON canvas_connections (next_sync_at) WHERE status = 'active';

-- A Canvas file whose document the student deleted is `dismissed`: later syncs leave it alone.
ALTER TABLE canvas_files DROP CONSTRAINT canvas_files_status_check;
ALTER TABLE canvas_files ADD CONSTRAINT canvas_files_status_check
    CHECK (status IN ('seen', 'skipped', 'ingested', 'failed', 'dismissed'));
