-- create users and tasks
-- parent: none (first migration)
--
-- operations:
--   1. create table users
--   2. create table tasks

-- 1. create table users
CREATE TABLE users (
    id UUID NOT NULL,
    email VARCHAR(320) NOT NULL,
    display_name TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

-- 2. create table tasks
CREATE TABLE tasks (
    id UUID NOT NULL,
    user_id UUID NOT NULL,
    title VARCHAR(200) NOT NULL,
    description TEXT,
    completed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT pk_tasks PRIMARY KEY (id),
    CONSTRAINT ck_tasks_title_not_blank CHECK (length(title) > 0),
    CONSTRAINT fk_tasks_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_tasks_user_id ON tasks (user_id);
