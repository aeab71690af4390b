-- revert: tags

-- 1. drop table task_tags
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE task_tags;

-- 2. drop table tags
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE tags;
