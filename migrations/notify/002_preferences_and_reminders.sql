-- Notification preferences per user; NULL windows or time zone mean "the defaults"
-- (REMINDER_WINDOWS_HOURS, users.time_zone).
CREATE TABLE notify_preferences (
    user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    windows_hours integer[] CHECK (windows_hours IS NULL OR cardinality(windows_hours) BETWEEN 1 AND 6),
    time_zone     text,
    opted_out     boolean NOT NULL DEFAULT false,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A delivery row is both the claim (its unique dedupe_key) and the record of what happened.
ALTER TABLE notification_deliveries
    ADD COLUMN kind          text NOT NULL DEFAULT 'reminder' CHECK (kind IN ('reminder', 'custom', 'test')),
    ADD COLUMN assignment_id uuid REFERENCES assignments (id) ON DELETE SET NULL,
    ADD COLUMN window_hours  integer,
    ADD COLUMN subject       text,
    ADD COLUMN body_text     text,
    ADD COLUMN send_at       timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN claimed_at    timestamptz,
    ADD COLUMN published_at  timestamptz,
    ADD COLUMN sent_at       timestamptz,
    ADD COLUMN provider      text,
    ADD COLUMN provider_id   text,
    ADD COLUMN request_id    text;

ALTER TABLE notification_deliveries DROP CONSTRAINT notification_deliveries_status_check;
ALTER TABLE notification_deliveries
    ADD CONSTRAINT notification_deliveries_status_check
    CHECK (status IN ('queued', 'sent', 'failed', 'skipped'));

-- Custom reminders wait here until their time; unpublished claims are found again after a crash.
CREATE INDEX notification_deliveries_unpublished ON notification_deliveries (send_at)
    WHERE published_at IS NULL AND status = 'queued';
CREATE INDEX notification_deliveries_user ON notification_deliveries (user_id, created_at DESC);
