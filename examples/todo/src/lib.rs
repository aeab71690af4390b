//! The reference app: the models of a small todo service.
//!
//! `cargo run -p migrate-gen -- "message"` links this crate, so every model declared here is
//! part of the schema that migrations are generated from. The history in `migrations/` was
//! generated step by step from earlier versions of this file.

use model_core::{DbEnum, Table};

/// How urgent a task is.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Priority {
    /// Drop everything else.
    Urgent,
    /// Do it first.
    High,
    /// Do it soon.
    Medium,
    /// Do it some day.
    Low,
    /// Not triaged yet.
    None,
}

/// Someone who owns tasks.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "users")]
pub struct User {
    /// Primary key.
    #[column(primary_key)]
    pub id: uuid::Uuid,
    /// Login e-mail address.
    #[column(unique, max_length = 320)]
    pub email: String,
    /// Name shown in the app.
    pub display_name: Option<String>,
    /// IANA time zone for reminders; existing users get UTC.
    #[column(max_length = 64, backfill_sql = "'UTC'")]
    pub timezone: String,
    /// When the account was created.
    #[column(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Something to do.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "tasks")]
#[table(index(name = "ix_tasks_user_priority", columns = ["user_id", "priority"]))]
#[table(index(name = "ix_tasks_user_completed", columns = ["user_id", "completed"]))]
#[table(index(name = "ix_tasks_user_due_date", columns = ["user_id", "due_date"]))]
#[table(check(name = "ck_tasks_title_not_blank", expr = "length(title) > 0"))]
pub struct Task {
    /// Primary key.
    #[column(primary_key)]
    pub id: uuid::Uuid,
    /// Owner; deleting the user deletes their tasks.
    #[column(references = User, on_delete = "cascade", index)]
    pub user_id: uuid::Uuid,
    /// Short title.
    #[column(max_length = 200)]
    pub title: String,
    /// Longer notes.
    pub description: Option<String>,
    /// Done or not.
    #[column(default = false)]
    pub completed: bool,
    /// Urgency.
    #[column(default = Priority::None, index)]
    pub priority: Priority,
    /// Deadline.
    #[column(index)]
    pub due_date: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether the task repeats.
    #[column(default = false)]
    pub is_recurring: bool,
    /// How the task repeats (an RRULE), when it does.
    #[column(renamed_from = "recurrence_pattern")]
    pub recurrence_rule: Option<String>,
    /// When it was created.
    #[column(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A signed-in browser or device.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "user_sessions")]
pub struct UserSession {
    /// Primary key.
    #[column(primary_key)]
    pub id: uuid::Uuid,
    /// Whose session; deleting the user ends their sessions.
    #[column(references = User, on_delete = "cascade", index)]
    pub user_id: uuid::Uuid,
    /// The opaque token the client presents.
    #[column(unique, max_length = 128)]
    pub token: String,
    /// When the session stops being valid.
    #[column(index)]
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// When it was created.
    #[column(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A label on tasks.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "tags")]
pub struct Tag {
    /// Primary key (an identity column).
    #[column(primary_key)]
    pub id: i64,
    /// The label, unique.
    #[column(unique, max_length = 50)]
    pub name: String,
}

/// Which tags a task has: the many-to-many join table, keyed by both sides.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "task_tags")]
pub struct TaskTag {
    /// The task.
    #[column(primary_key, references = Task, on_delete = "cascade")]
    pub task_id: uuid::Uuid,
    /// The tag; the second key column gets its own index for lookups by tag.
    #[column(primary_key, references = Tag, on_delete = "cascade", index)]
    pub tag_id: i64,
}

/// A reminder about a task.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "reminders")]
pub struct Reminder {
    /// Primary key.
    #[column(primary_key)]
    pub id: uuid::Uuid,
    /// The task; deleting it deletes its reminders.
    #[column(references = Task, on_delete = "cascade", index)]
    pub task_id: uuid::Uuid,
    /// When to remind.
    #[column(index)]
    pub remind_at: chrono::DateTime<chrono::Utc>,
    /// Whether it was sent.
    #[column(default = false)]
    pub sent: bool,
}
