-- revert: reminders

-- 1. drop table reminders
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE reminders;
