-- reminders
-- parent: 20261124073425_tags
--
-- operations:
--   1. create table reminders

-- 1. create table reminders
CREATE TABLE reminders (
    id UUID NOT NULL,
    task_id UUID NOT NULL,
    remind_at TIMESTAMPTZ NOT NULL,
    sent BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT pk_reminders PRIMARY KEY (id),
    CONSTRAINT fk_reminders_task_id_tasks FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);
CREATE INDEX ix_reminders_remind_at ON reminders (remind_at);
CREATE INDEX ix_reminders_task_id ON reminders (task_id);
