-- Review state per flashcard (FSRS), the review log, quizzes and each student's study settings.
-- A card is keyed by its document and its stable id (a hash of the normalised front); front,
-- back and citation are copied here when the study aids are written, so the due list is one
-- indexed read. `version` grows when a regenerated card is no longer the same card: its state
-- starts over and only log rows of the current version are its history.
CREATE TABLE review_cards (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    card_id      text NOT NULL,
    front        text NOT NULL,
    back         text NOT NULL,
    section      text NOT NULL DEFAULT '',
    page         integer,
    tags         text[] NOT NULL DEFAULT '{}',
    version      integer NOT NULL DEFAULT 1,
    retired      boolean NOT NULL DEFAULT false,
    state        smallint NOT NULL DEFAULT 1 CHECK (state IN (1, 2, 3)),
    step         smallint,
    stability    double precision,
    difficulty   double precision,
    due          timestamptz NOT NULL DEFAULT now(),
    last_review  timestamptz,
    reps         integer NOT NULL DEFAULT 0,
    lapses       integer NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, document_id, card_id)
);
CREATE INDEX review_cards_due ON review_cards (user_id, due) WHERE NOT retired;

CREATE TABLE review_log (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    review_id    uuid NOT NULL,
    document_id  uuid NOT NULL,
    card_id      text NOT NULL,
    version      integer NOT NULL,
    rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms  integer CHECK (duration_ms >= 0),
    source       text NOT NULL DEFAULT 'review' CHECK (source IN ('review', 'quiz')),
    reviewed_at  timestamptz NOT NULL,
    next_due     timestamptz NOT NULL,
    next_state   smallint NOT NULL,
    PRIMARY KEY (user_id, review_id),
    FOREIGN KEY (user_id, document_id, card_id) REFERENCES review_cards ON DELETE CASCADE
);
CREATE INDEX review_log_card ON review_log (user_id, document_id, card_id, reviewed_at);

CREATE TABLE quizzes (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document_id uuid REFERENCES documents (id) ON DELETE CASCADE,
    course_id   uuid REFERENCES courses (id) ON DELETE CASCADE,
    generator   text NOT NULL,
    questions   jsonb NOT NULL,
    result      jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    graded_at   timestamptz
);
CREATE INDEX quizzes_user ON quizzes (user_id, created_at DESC);

CREATE TABLE study_settings (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    daily_minutes  integer NOT NULL DEFAULT 30 CHECK (daily_minutes BETWEEN 5 AND 600),
    digest         boolean NOT NULL DEFAULT false,
    digest_sent_on date,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Cards generated before this table existed become review items, due now.
INSERT INTO review_cards (user_id, document_id, card_id, front, back, section, page, tags)
SELECT f.user_id, f.document_id, c->>'id', c->>'front', c->>'back', coalesce(c->'source'->>'section', ''),
       (c->'source'->>'page')::integer,
       coalesce(ARRAY(SELECT jsonb_array_elements_text(c->'tags')), '{}')
FROM flashcards f, jsonb_array_elements(f.cards) AS c
ON CONFLICT DO NOTHING;
