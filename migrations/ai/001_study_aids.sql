CREATE TABLE notes (
    document_id  uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    summary      jsonb NOT NULL,
    markdown_url text,
    generator    text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE flashcards (
    document_id uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cards       jsonb NOT NULL,
    generator   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE slide_decks (
    document_id  uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    markdown_url text NOT NULL,
    slide_count  integer NOT NULL,
    generator    text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
