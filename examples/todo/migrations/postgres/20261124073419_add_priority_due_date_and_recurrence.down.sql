-- revert: add priority, due date and recurrence

-- 1. drop index ix_tasks_priority on tasks
DROP INDEX ix_tasks_priority;

-- 2. drop index ix_tasks_due_date on tasks
DROP INDEX ix_tasks_due_date;

-- 3. drop column tasks.recurrence_pattern
-- DESTRUCTIVE: the column and its data are deleted.
ALTER TABLE tasks DROP COLUMN recurrence_pattern;

-- 4. drop column tasks.is_recurring
-- DESTRUCTIVE: the column and its data are deleted.
ALTER TABLE tasks DROP COLUMN is_recurring;

-- 5. drop column tasks.due_date
-- DESTRUCTIVE: the column and its data are deleted.
ALTER TABLE tasks DROP COLUMN due_date;

-- 6. drop column tasks.priority
-- DESTRUCTIVE: the column and its data are deleted.
ALTER TABLE tasks DROP COLUMN priority;

-- 7. drop enum priority
DROP TYPE priority;
