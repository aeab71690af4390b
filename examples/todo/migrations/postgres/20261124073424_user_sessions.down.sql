-- revert: user sessions

-- 1. drop table user_sessions
-- DESTRUCTIVE: the table and all its rows are deleted.
DROP TABLE user_sessions;
