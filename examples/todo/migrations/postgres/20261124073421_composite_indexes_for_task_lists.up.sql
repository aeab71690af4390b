-- composite indexes for task lists
-- parent: 20261124073419_add_priority_due_date_and_recurrence
--
-- operations:
--   1. create index ix_tasks_user_completed on tasks
--   2. create index ix_tasks_user_due_date on tasks
--   3. create index ix_tasks_user_priority on tasks

-- 1. create index ix_tasks_user_completed on tasks
CREATE INDEX ix_tasks_user_completed ON tasks (user_id, completed);

-- 2. create index ix_tasks_user_due_date on tasks
CREATE INDEX ix_tasks_user_due_date ON tasks (user_id, due_date);

-- 3. create index ix_tasks_user_priority on tasks
CREATE INDEX ix_tasks_user_priority ON tasks (user_id, priority);
