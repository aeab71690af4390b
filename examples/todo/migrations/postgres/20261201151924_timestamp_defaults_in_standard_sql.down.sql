-- revert: timestamp defaults in standard SQL

-- 1. change default of users.created_at
ALTER TABLE users ALTER COLUMN created_at SET DEFAULT now();

-- 2. change default of user_sessions.created_at
ALTER TABLE user_sessions ALTER COLUMN created_at SET DEFAULT now();

-- 3. change default of tasks.created_at
ALTER TABLE tasks ALTER COLUMN created_at SET DEFAULT now();
