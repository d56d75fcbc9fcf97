-- Partitioned by week; the purge timer drops whole partitions past retention.
CREATE TABLE logs (
    id         bigint GENERATED ALWAYS AS IDENTITY,
    ts         timestamptz NOT NULL,
    service    text NOT NULL,
    level      text NOT NULL,
    message    text NOT NULL,
    context    jsonb NOT NULL DEFAULT '{}'::jsonb,
    request_id text,
    PRIMARY KEY (ts, id)
) PARTITION BY RANGE (ts);
