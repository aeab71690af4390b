-- no-transaction
-- revert: baseline mysql

-- 1. drop table user_sessions
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE user_sessions;

-- 2. drop table task_tags
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE task_tags;

-- 3. drop table reminders
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE reminders;

-- 4. drop table tasks
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE tasks;

-- 5. drop table users
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE users;

-- 6. drop table tags
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE tags;
