-- revert: rename recurrence pattern to recurrence rule

-- 1. rename column tasks.recurrence_rule to recurrence_pattern
ALTER TABLE tasks RENAME COLUMN recurrence_rule TO recurrence_pattern;
