-- What a sync brings in beyond courses and assignments, and the state of each sync run.
ALTER TABLE courses
    ADD COLUMN workflow_state text NOT NULL DEFAULT 'available',
    ADD COLUMN synced_at      timestamptz;

ALTER TABLE assignments
    ADD COLUMN submission_state  text,
    ADD COLUMN submitted_at      timestamptz,
    ADD COLUMN points_possible   double precision,
    ADD COLUMN canvas_updated_at timestamptz;
CREATE INDEX assignments_user_course_due ON assignments (user_id, course_id, due_at, id);

CREATE TABLE canvas_modules (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id  uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    canvas_id  bigint NOT NULL,
    name       text NOT NULL,
    position   integer,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, canvas_id)
);

CREATE TABLE canvas_module_items (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    module_id   uuid NOT NULL REFERENCES canvas_modules (id) ON DELETE CASCADE,
    canvas_id   bigint NOT NULL,
    type        text NOT NULL,
    title       text NOT NULL DEFAULT '',
    position    integer,
    content_id  bigint,
    html_url    text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, canvas_id)
);

-- Canvas files: updated_at / modified_at / etag decide whether a file is fetched again.
CREATE TABLE canvas_files (
    id                 uuid PRIMARY KEY,
    user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id          uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    canvas_id          bigint NOT NULL,
    display_name       text NOT NULL,
    filename           text NOT NULL DEFAULT '',
    content_type       text,
    size_bytes         bigint,
    canvas_updated_at  timestamptz,
    canvas_modified_at timestamptz,
    etag               text,
    document_id        uuid REFERENCES documents (id) ON DELETE SET NULL,
    status             text NOT NULL DEFAULT 'seen'
                       CHECK (status IN ('seen', 'skipped', 'ingested', 'failed')),
    error              text,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, canvas_id)
);

CREATE TABLE canvas_sync_runs (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress     jsonb NOT NULL DEFAULT '{}'::jsonb,
    result       jsonb,
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz
);
CREATE INDEX canvas_sync_runs_user_created ON canvas_sync_runs (user_id, created_at DESC);
