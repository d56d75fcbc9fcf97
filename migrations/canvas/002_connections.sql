-- One Canvas connection per user. Tokens are AES-GCM ciphertexts (nonce || ciphertext || tag)
-- under the key named by key_id; the associated data binds each one to its user and field.
CREATE TABLE canvas_connections (
    user_id            uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    base_url           text NOT NULL,
    canvas_user_id     bigint,
    canvas_user_name   text NOT NULL DEFAULT '',
    key_id             text NOT NULL,
    access_token_ct    bytea NOT NULL,
    refresh_token_ct   bytea,
    access_expires_at  timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX canvas_connections_key ON canvas_connections (key_id);

-- Encryptions made under each key, so a key is rotated long before random nonces could repeat.
CREATE TABLE token_key_usage (
    key_id       text PRIMARY KEY,
    encryptions  bigint NOT NULL DEFAULT 0
);

-- OAuth `state` values in flight: only a hash is kept; single use, short-lived.
CREATE TABLE canvas_oauth_states (
    state_hash  bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX canvas_oauth_states_user ON canvas_oauth_states (user_id);
