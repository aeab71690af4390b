-- revert: create users and tasks

-- 1. drop table tasks
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE tasks;

-- 2. drop table users
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE users;
