-- baseline sqlite
-- parent: none (first migration)
--
-- operations:
--   1. create table tags
--   2. create table users
--   3. create table tasks
--   4. create table reminders
--   5. create table task_tags
--   6. create table user_sessions

-- 1. create table tags
CREATE TABLE tags (
    id INTEGER NOT NULL CONSTRAINT pk_tags PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(50) NOT NULL,
    CONSTRAINT uq_tags_name UNIQUE (name)
);

-- 2. create table users
CREATE TABLE users (
    id BLOB NOT NULL,
    email VARCHAR(320) NOT NULL,
    display_name TEXT,
    timezone VARCHAR(64) NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

-- 3. create table tasks
CREATE TABLE tasks (
    id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    title VARCHAR(200) NOT NULL,
    description TEXT,
    completed BOOLEAN NOT NULL DEFAULT 0,
    priority TEXT NOT NULL DEFAULT 'NONE',
    due_date DATETIME,
    is_recurring BOOLEAN NOT NULL DEFAULT 0,
    recurrence_rule TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT pk_tasks PRIMARY KEY (id),
    CONSTRAINT ck_tasks_title_not_blank CHECK (length(title) > 0),
    CONSTRAINT ck_tasks_priority_enum CHECK (priority IN ('URGENT', 'HIGH', 'MEDIUM', 'LOW', 'NONE')),
    CONSTRAINT fk_tasks_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_tasks_due_date ON tasks (due_date);
CREATE INDEX ix_tasks_priority ON tasks (priority);
CREATE INDEX ix_tasks_user_completed ON tasks (user_id, completed);
CREATE INDEX ix_tasks_user_due_date ON tasks (user_id, due_date);
CREATE INDEX ix_tasks_user_id ON tasks (user_id);
CREATE INDEX ix_tasks_user_priority ON tasks (user_id, priority);

-- 4. create table reminders
CREATE TABLE reminders (
    id BLOB NOT NULL,
    task_id BLOB NOT NULL,
    remind_at DATETIME NOT NULL,
    sent BOOLEAN NOT NULL DEFAULT 0,
    CONSTRAINT pk_reminders PRIMARY KEY (id),
    CONSTRAINT fk_reminders_task_id_tasks FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);
CREATE INDEX ix_reminders_remind_at ON reminders (remind_at);
CREATE INDEX ix_reminders_task_id ON reminders (task_id);

-- 5. create table task_tags
CREATE TABLE task_tags (
    task_id BLOB NOT NULL,
    tag_id INTEGER NOT NULL,
    CONSTRAINT pk_task_tags PRIMARY KEY (task_id, tag_id),
    CONSTRAINT fk_task_tags_tag_id_tags FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_tags_task_id_tasks FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);
CREATE INDEX ix_task_tags_tag_id ON task_tags (tag_id);

-- 6. create table user_sessions
CREATE TABLE user_sessions (
    id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    token VARCHAR(128) NOT NULL,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT pk_user_sessions PRIMARY KEY (id),
    CONSTRAINT uq_user_sessions_token UNIQUE (token),
    CONSTRAINT fk_user_sessions_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_user_sessions_expires_at ON user_sessions (expires_at);
CREATE INDEX ix_user_sessions_user_id ON user_sessions (user_id);
