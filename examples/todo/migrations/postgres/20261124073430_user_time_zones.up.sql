-- user time zones
-- parent: 20261124073428_rename_recurrence_pattern_to_recurrence_rule
--
-- operations:
--   1. add column users.timezone

-- 1. add column users.timezone
-- Added as nullable, filled for existing rows, then made NOT NULL.
ALTER TABLE users ADD COLUMN timezone VARCHAR(64);
UPDATE users SET timezone = 'UTC';
ALTER TABLE users ALTER COLUMN timezone SET NOT NULL;
