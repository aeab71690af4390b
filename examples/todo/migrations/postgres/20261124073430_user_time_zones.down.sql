-- revert: user time zones

-- 1. drop column users.timezone
-- DESTRUCTIVE: the column and its data are deleted.
ALTER TABLE users DROP COLUMN timezone;
