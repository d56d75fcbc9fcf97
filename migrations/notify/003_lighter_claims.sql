-- The reminder claim inserts thousands of rows a minute at window edges; every index and
-- foreign-key trigger on the table is paid per row. A deleted assignment is already handled
-- by the handler (its LEFT JOIN finds nothing and the reminder is skipped), and status is
-- looked up by id, so the assignment foreign key and the per-user index go.
ALTER TABLE notification_deliveries DROP CONSTRAINT notification_deliveries_assignment_id_fkey;
DROP INDEX notification_deliveries_user;
