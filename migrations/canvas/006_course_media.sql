-- Videos for files synced from a Canvas course are opt-in per course: every video costs
-- narration time, and a course can bring hundreds of files.
ALTER TABLE courses ADD COLUMN media_opt_in boolean NOT NULL DEFAULT false;
