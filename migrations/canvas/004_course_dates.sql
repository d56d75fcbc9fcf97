-- The specification's course dates: Canvas's course start_at/end_at, else its term's.
ALTER TABLE courses
    ADD COLUMN start_date timestamptz,
    ADD COLUMN end_date   timestamptz;
