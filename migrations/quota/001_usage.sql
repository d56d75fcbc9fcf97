-- What each user has used of each metered resource, per day and per month (UTC periods);
-- a stage adds to both rows of its metric in one statement that refuses to pass the quota.
CREATE TABLE usage_counters (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    metric       text NOT NULL CHECK (metric IN ('pages', 'ai_tokens', 'speech_seconds', 'emails')),
    period       text NOT NULL CHECK (period IN ('day', 'month')),
    period_start date NOT NULL,
    amount       bigint NOT NULL DEFAULT 0 CHECK (amount >= 0),
    PRIMARY KEY (user_id, metric, period, period_start)
);
CREATE INDEX usage_counters_period_start ON usage_counters (period_start);
