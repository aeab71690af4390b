-- timestamp defaults in standard SQL
-- parent: 20261124073432_urgent_priority
--
-- operations:
--   1. change default of tasks.created_at
--   2. change default of user_sessions.created_at
--   3. change default of users.created_at

-- 1. change default of tasks.created_at
ALTER TABLE tasks ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;

-- 2. change default of user_sessions.created_at
ALTER TABLE user_sessions ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;

-- 3. change default of users.created_at
ALTER TABLE users ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
