-- Accounts signed in through Google or Microsoft, keyed by the provider's stable subject:
-- Google `sub`; Microsoft `tid:oid`. Never keyed by an email claim (those are mutable).
CREATE TABLE user_identities (
    provider      text NOT NULL CHECK (provider IN ('google', 'microsoft')),
    subject       text NOT NULL,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issuer        text NOT NULL,
    email         citext,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- How a session was opened (audit): password, google or microsoft.
ALTER TABLE sessions ADD COLUMN auth_method text NOT NULL DEFAULT 'password';
