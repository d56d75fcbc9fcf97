-- A Canvas file whose document the student deleted: the next sync leaves it alone until the
-- file changes in Canvas (its version is kept to tell).
ALTER TABLE canvas_files DROP CONSTRAINT canvas_files_status_check;
ALTER TABLE canvas_files ADD CONSTRAINT canvas_files_status_check
    CHECK (status IN ('seen', 'skipped', 'ingested', 'failed', 'dismissed'));
