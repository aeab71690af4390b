-- revert: composite indexes for task lists

-- 1. drop index ix_tasks_user_priority on tasks
DROP INDEX ix_tasks_user_priority;

-- 2. drop index ix_tasks_user_due_date on tasks
DROP INDEX ix_tasks_user_due_date;

-- 3. drop index ix_tasks_user_completed on tasks
DROP INDEX ix_tasks_user_completed;
