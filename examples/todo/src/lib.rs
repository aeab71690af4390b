//! The reference app: the models of a small todo service.
//!
//! `cargo run -p migrate-gen -- "message"` links this crate, so every model declared here is
//! part of the schema that migrations are generated from.

use model_core::{DbEnum, Table};

/// How urgent a task is.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Priority {
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
    /// When the account was created.
    #[column(default_sql = "now()")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Something to do.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(name = "tasks")]
#[table(index(name = "ix_tasks_user_priority", columns = ["user_id", "priority"]))]
#[table(unique(columns = ["user_id", "title"]))]
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
    #[column(renamed_from = "recurring")]
    pub is_recurring: bool,
    /// When it was created.
    #[column(default_sql = "now()")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}
