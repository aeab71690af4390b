-- revert: urgent priority

-- 1. recreate enum priority (HIGH, MEDIUM, LOW, NONE)
-- The type is swapped: every column of type priority is rewritten; rows holding a value that no longer exists make this migration fail.
ALTER TYPE priority RENAME TO priority__old;
CREATE TYPE priority AS ENUM ('HIGH', 'MEDIUM', 'LOW', 'NONE');
ALTER TABLE tasks ALTER COLUMN priority DROP DEFAULT;
ALTER TABLE tasks ALTER COLUMN priority TYPE priority USING priority::text::priority;
ALTER TABLE tasks ALTER COLUMN priority SET DEFAULT 'NONE';
DROP TYPE priority__old;
