-- Hash-partition the search entries by user. A prefix query ('word':*) makes GIN gather every
-- matching lexeme's posting list into a bitmap before the user filter applies; with one index
-- per partition that bitmap covers 1/64 of the users instead of all of them. Queries always name
-- one user, so the planner prunes to a single partition.
ALTER TABLE search_entries RENAME TO search_entries_unpartitioned;
ALTER INDEX search_entries_user_tsv RENAME TO search_entries_unpartitioned_user_tsv;
ALTER INDEX search_entries_user_heading_trgm RENAME TO search_entries_unpartitioned_heading_trgm;
ALTER INDEX search_entries_document_kind RENAME TO search_entries_unpartitioned_document_kind;

CREATE TABLE search_entries (
    id           uuid NOT NULL,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    course_id    uuid,
    kind         text NOT NULL CHECK (kind IN ('section', 'key_point', 'glossary', 'flashcard')),
    position     integer NOT NULL CHECK (position >= 0),
    heading      text NOT NULL DEFAULT '',
    body         text NOT NULL DEFAULT '',
    detail       text NOT NULL DEFAULT '',
    cite_section text NOT NULL DEFAULT '',
    cite_page    integer CHECK (cite_page >= 1),
    page_unit    text CHECK (page_unit IN ('page', 'slide')),
    config       regconfig NOT NULL DEFAULT 'simple',
    tsv          tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector(config, heading), 'A')
                     || setweight(to_tsvector(config, body), 'B')
                     || setweight(to_tsvector(config, detail), 'C')
                 ) STORED,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id)
) PARTITION BY HASH (user_id);

CREATE TABLE search_entries_p00 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 0);
CREATE TABLE search_entries_p01 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 1);
CREATE TABLE search_entries_p02 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 2);
CREATE TABLE search_entries_p03 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 3);
CREATE TABLE search_entries_p04 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 4);
CREATE TABLE search_entries_p05 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 5);
CREATE TABLE search_entries_p06 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 6);
CREATE TABLE search_entries_p07 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 7);
CREATE TABLE search_entries_p08 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 8);
CREATE TABLE search_entries_p09 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 9);
CREATE TABLE search_entries_p10 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 10);
CREATE TABLE search_entries_p11 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 11);
CREATE TABLE search_entries_p12 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 12);
CREATE TABLE search_entries_p13 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 13);
CREATE TABLE search_entries_p14 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 14);
CREATE TABLE search_entries_p15 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 15);
CREATE TABLE search_entries_p16 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 16);
CREATE TABLE search_entries_p17 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 17);
CREATE TABLE search_entries_p18 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 18);
CREATE TABLE search_entries_p19 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 19);
CREATE TABLE search_entries_p20 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 20);
CREATE TABLE search_entries_p21 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 21);
CREATE TABLE search_entries_p22 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 22);
CREATE TABLE search_entries_p23 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 23);
CREATE TABLE search_entries_p24 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 24);
CREATE TABLE search_entries_p25 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 25);
CREATE TABLE search_entries_p26 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 26);
CREATE TABLE search_entries_p27 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 27);
CREATE TABLE search_entries_p28 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 28);
CREATE TABLE search_entries_p29 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 29);
CREATE TABLE search_entries_p30 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 30);
CREATE TABLE search_entries_p31 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 31);
CREATE TABLE search_entries_p32 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 32);
CREATE TABLE search_entries_p33 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 33);
CREATE TABLE search_entries_p34 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 34);
CREATE TABLE search_entries_p35 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 35);
CREATE TABLE search_entries_p36 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 36);
CREATE TABLE search_entries_p37 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 37);
CREATE TABLE search_entries_p38 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 38);
CREATE TABLE search_entries_p39 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 39);
CREATE TABLE search_entries_p40 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 40);
CREATE TABLE search_entries_p41 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 41);
CREATE TABLE search_entries_p42 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 42);
CREATE TABLE search_entries_p43 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 43);
CREATE TABLE search_entries_p44 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 44);
CREATE TABLE search_entries_p45 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 45);
CREATE TABLE search_entries_p46 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 46);
CREATE TABLE search_entries_p47 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 47);
CREATE TABLE search_entries_p48 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 48);
CREATE TABLE search_entries_p49 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 49);
CREATE TABLE search_entries_p50 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 50);
CREATE TABLE search_entries_p51 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 51);
CREATE TABLE search_entries_p52 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 52);
CREATE TABLE search_entries_p53 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 53);
CREATE TABLE search_entries_p54 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 54);
CREATE TABLE search_entries_p55 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 55);
CREATE TABLE search_entries_p56 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 56);
CREATE TABLE search_entries_p57 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 57);
CREATE TABLE search_entries_p58 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 58);
CREATE TABLE search_entries_p59 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 59);
CREATE TABLE search_entries_p60 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 60);
CREATE TABLE search_entries_p61 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 61);
CREATE TABLE search_entries_p62 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 62);
CREATE TABLE search_entries_p63 PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER 63);

INSERT INTO search_entries
    (id, user_id, document_id, course_id, kind, position, heading, body, detail, cite_section, cite_page,
     page_unit, config, created_at)
SELECT id, user_id, document_id, course_id, kind, position, heading, body, detail, cite_section, cite_page,
       page_unit, config, created_at
FROM search_entries_unpartitioned;
DROP TABLE search_entries_unpartitioned;

-- fastupdate off: a pending list would make every query scan unmerged entries until vacuum;
-- the stages that write are asynchronous and can pay for the merge at insert time instead.
CREATE INDEX search_entries_user_tsv ON search_entries USING gin (user_id, tsv) WITH (fastupdate = off);
CREATE INDEX search_entries_user_heading_trgm ON search_entries
    USING gin (user_id, heading gin_trgm_ops) WITH (fastupdate = off) WHERE kind IN ('section', 'glossary');
CREATE INDEX search_entries_document_kind ON search_entries (document_id, kind);
