-- An address is verified once its owner followed the link we mailed to it (or a provider
-- vouched for it). No email but the verification itself goes to an unverified address.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

-- Single-use tokens mailed to the user: email verification and password reset. Only a hash of
-- the token is stored; the token itself exists only in the email.
CREATE TABLE account_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    email      citext NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
