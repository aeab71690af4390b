-- no-transaction
-- baseline mysql
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
    id BIGINT NOT NULL AUTO_INCREMENT,
    name VARCHAR(50) NOT NULL,
    CONSTRAINT pk_tags PRIMARY KEY (id),
    CONSTRAINT uq_tags_name UNIQUE (name)
);

-- 2. create table users
CREATE TABLE users (
    id BINARY(16) NOT NULL,
    email VARCHAR(320) NOT NULL,
    display_name LONGTEXT,
    timezone VARCHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

-- 3. create table tasks
CREATE TABLE tasks (
    id BINARY(16) NOT NULL,
    user_id BINARY(16) NOT NULL,
    title VARCHAR(200) NOT NULL,
    description LONGTEXT,
    completed BOOLEAN NOT NULL DEFAULT FALSE,
    priority ENUM('URGENT', 'HIGH', 'MEDIUM', 'LOW', 'NONE') NOT NULL DEFAULT 'NONE',
    due_date DATETIME(6),
    is_recurring BOOLEAN NOT NULL DEFAULT FALSE,
    recurrence_rule LONGTEXT,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT pk_tasks PRIMARY KEY (id),
    INDEX ix_tasks_due_date (due_date),
    INDEX ix_tasks_priority (priority),
    INDEX ix_tasks_user_completed (user_id, completed),
    INDEX ix_tasks_user_due_date (user_id, due_date),
    INDEX ix_tasks_user_id (user_id),
    INDEX ix_tasks_user_priority (user_id, priority),
    CONSTRAINT ck_tasks_title_not_blank CHECK (length(title) > 0),
    CONSTRAINT fk_tasks_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- 4. create table reminders
CREATE TABLE reminders (
    id BINARY(16) NOT NULL,
    task_id BINARY(16) NOT NULL,
    remind_at DATETIME(6) NOT NULL,
    sent BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT pk_reminders PRIMARY KEY (id),
    INDEX ix_reminders_remind_at (remind_at),
    INDEX ix_reminders_task_id (task_id),
    CONSTRAINT fk_reminders_task_id_tasks FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);

-- 5. create table task_tags
CREATE TABLE task_tags (
    task_id BINARY(16) NOT NULL,
    tag_id BIGINT NOT NULL,
    CONSTRAINT pk_task_tags PRIMARY KEY (task_id, tag_id),
    INDEX ix_task_tags_tag_id (tag_id),
    CONSTRAINT fk_task_tags_tag_id_tags FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_tags_task_id_tasks FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);

-- 6. create table user_sessions
CREATE TABLE user_sessions (
    id BINARY(16) NOT NULL,
    user_id BINARY(16) NOT NULL,
    token VARCHAR(128) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT pk_user_sessions PRIMARY KEY (id),
    CONSTRAINT uq_user_sessions_token UNIQUE (token),
    INDEX ix_user_sessions_expires_at (expires_at),
    INDEX ix_user_sessions_user_id (user_id),
    CONSTRAINT fk_user_sessions_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
