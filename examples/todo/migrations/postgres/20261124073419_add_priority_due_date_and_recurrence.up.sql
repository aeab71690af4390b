-- add priority, due date and recurrence
-- parent: 20261124073418_create_users_and_tasks
--
-- operations:
--   1. create enum priority
--   2. add column tasks.priority
--   3. add column tasks.due_date
--   4. add column tasks.is_recurring
--   5. add column tasks.recurrence_pattern
--   6. create index ix_tasks_due_date on tasks
--   7. create index ix_tasks_priority on tasks

-- 1. create enum priority
CREATE TYPE priority AS ENUM ('HIGH', 'MEDIUM', 'LOW', 'NONE');

-- 2. add column tasks.priority
ALTER TABLE tasks ADD COLUMN priority priority NOT NULL DEFAULT 'NONE';

-- 3. add column tasks.due_date
ALTER TABLE tasks ADD COLUMN due_date TIMESTAMPTZ;

-- 4. add column tasks.is_recurring
ALTER TABLE tasks ADD COLUMN is_recurring BOOLEAN NOT NULL DEFAULT FALSE;

-- 5. add column tasks.recurrence_pattern
ALTER TABLE tasks ADD COLUMN recurrence_pattern TEXT;

-- 6. create index ix_tasks_due_date on tasks
CREATE INDEX ix_tasks_due_date ON tasks (due_date);

-- 7. create index ix_tasks_priority on tasks
CREATE INDEX ix_tasks_priority ON tasks (priority);
