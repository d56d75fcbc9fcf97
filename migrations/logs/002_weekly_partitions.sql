-- One partition per ISO week (Monday 00:00 UTC to the next Monday), named logs_pYYYYMMDD.
-- The log_purge timer calls this ahead of time and drops whole partitions past retention.
CREATE FUNCTION logs_ensure_week_partition(week_start date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    monday date := date_trunc('week', week_start)::date;
    name   text := format('logs_p%s', to_char(monday, 'YYYYMMDD'));
BEGIN
    IF to_regclass(name) IS NULL THEN
        -- Concurrent callers take turns; the second finds the table made.
        PERFORM pg_advisory_xact_lock(hashtext('logs_ensure_week_partition'));
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF logs FOR VALUES FROM (%L) TO (%L)',
            name,
            (monday::timestamp AT TIME ZONE 'UTC'),
            ((monday + 7)::timestamp AT TIME ZONE 'UTC')
        );
    END IF;
    RETURN name;
END;
$$;

CREATE INDEX logs_request_id ON logs (request_id, ts DESC) WHERE request_id IS NOT NULL;
CREATE INDEX logs_service_ts ON logs (service, ts DESC);

-- The current week, the past 13 (retention reaches back 90 days) and 4 ahead.
SELECT logs_ensure_week_partition((now() AT TIME ZONE 'UTC')::date + 7 * offs)
FROM generate_series(-13, 4) AS offs;
