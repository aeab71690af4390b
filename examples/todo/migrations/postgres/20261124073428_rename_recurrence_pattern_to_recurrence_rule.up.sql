-- rename recurrence pattern to recurrence rule
-- parent: 20261124073427_reminders
--
-- operations:
--   1. rename column tasks.recurrence_pattern to recurrence_rule

-- 1. rename column tasks.recurrence_pattern to recurrence_rule
ALTER TABLE tasks RENAME COLUMN recurrence_pattern TO recurrence_rule;
