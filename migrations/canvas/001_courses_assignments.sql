CREATE TABLE courses (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    canvas_id   bigint NOT NULL,
    name        text NOT NULL,
    course_code text NOT NULL DEFAULT '',
    term        text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, canvas_id)
);

CREATE TABLE assignments (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    canvas_id    bigint NOT NULL,
    name         text NOT NULL,
    due_at       timestamptz,
    html_url     text,
    submitted    boolean NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, canvas_id)
);
CREATE INDEX assignments_due ON assignments (due_at) WHERE NOT submitted;
