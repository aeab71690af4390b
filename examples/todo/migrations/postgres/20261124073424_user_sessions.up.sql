-- user sessions
-- parent: 20261124073422_set_priorities_of_existing_tasks
--
-- operations:
--   1. create table user_sessions

-- 1. create table user_sessions
CREATE TABLE user_sessions (
    id UUID NOT NULL,
    user_id UUID NOT NULL,
    token VARCHAR(128) NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT pk_user_sessions PRIMARY KEY (id),
    CONSTRAINT uq_user_sessions_token UNIQUE (token),
    CONSTRAINT fk_user_sessions_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_user_sessions_expires_at ON user_sessions (expires_at);
CREATE INDEX ix_user_sessions_user_id ON user_sessions (user_id);
