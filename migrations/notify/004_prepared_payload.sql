-- The `notify.request` body of a claimed reminder, built once when the claim is made (a tick
-- ahead of the window's edge): at the edge the timer reads this text instead of building
-- thousands of JSON objects while the clock runs.
ALTER TABLE notification_deliveries ADD COLUMN payload text;
