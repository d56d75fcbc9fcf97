-- The text-search configurations each user's entries use. A query builds one tsquery per
-- configuration in this list (usually one or two), instead of scanning the user's entries for
-- their distinct configurations on every request. A stale row costs one empty index probe.
CREATE TABLE search_user_configs (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    config  regconfig NOT NULL,
    PRIMARY KEY (user_id, config)
);

INSERT INTO search_user_configs (user_id, config)
SELECT DISTINCT user_id, config FROM search_entries
ON CONFLICT DO NOTHING;

DROP INDEX search_entries_user_config;
