//! Autogenerate on PostgreSQL: every kind of change, planned from two versions of the models,
//! snapshotted (up and down SQL), and run on a fresh database: A + up must equal B created
//! from nothing, and B + down must equal A (compared through the catalog).

#![allow(dead_code)]

use model_core::diff::DiffError;
use model_core::schema::Schema;
use model_core::{DbEnum, Table};
use tests::scenario::pg_plan;
use tests::scenario::{schema, Scenario, ALLOW, SAFE};

mod v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "users")]
    pub struct User {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(unique, max_length = 320)]
        pub email: String,
    }

    #[derive(Table)]
    #[table(name = "tasks")]
    pub struct Task {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(references = User, on_delete = "cascade")]
        pub user_id: uuid::Uuid,
        #[column(max_length = 200)]
        pub title: String,
        pub description: Option<String>,
        pub completed: bool,
    }
}

mod seed_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Priority {
        High,
        Medium,
        Low,
        None,
    }

    #[derive(Table)]
    #[table(name = "tasks")]
    pub struct Task {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(references = v1::User, on_delete = "cascade")]
        pub user_id: uuid::Uuid,
        #[column(max_length = 200)]
        pub title: String,
        pub description: Option<String>,
        pub completed: bool,
        #[column(default = Priority::None, index)]
        pub priority: Priority,
        #[column(index)]
        pub due_date: Option<chrono::DateTime<chrono::Utc>>,
        #[column(default = false)]
        pub is_recurring: bool,
        pub recurrence_pattern: Option<String>,
    }
}

fn seed_v1() -> Schema {
    schema(vec![v1::User::table_def(), v1::Task::table_def()], vec![])
}

const SEED_ROWS: &str = "
INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com');
INSERT INTO tasks (id, user_id, title, description, completed) VALUES
  ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'one', NULL, false),
  ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-000000000001', 'two', 'x', true);
";
const TASK_ROWS: &str = "SELECT id::text || title || completed::text FROM tasks ORDER BY id";

/// The seed scenario: priority (enum, default NONE, indexed), due_date (nullable, indexed),
/// is_recurring (default false), recurrence_pattern, on a table holding rows.
#[tokio::test]
async fn seed_add_priority() {
    let new = schema(
        vec![v1::User::table_def(), seed_v2::Task::table_def()],
        vec![seed_v2::Priority::enum_def()],
    );
    Scenario::new("seed_add_priority", seed_v1(), new)
        .seed(SEED_ROWS)
        .rows(TASK_ROWS)
        .run()
        .await;
}

mod tables_v2 {
    use super::*;

    /// A self-reference.
    #[derive(Table)]
    #[table(name = "folders")]
    pub struct Folder {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Folder, on_delete = "cascade", index)]
        pub parent_id: Option<i64>,
        pub name: String,
    }

    /// `teams` and `people` reference each other: a cycle.
    #[derive(Table)]
    #[table(name = "teams")]
    pub struct Team {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = Person, on_delete = "set null", index)]
        pub lead_id: Option<i32>,
    }

    #[derive(Table)]
    #[table(name = "people")]
    pub struct Person {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = Team, index)]
        pub team_id: i32,
    }
}

fn with_tables() -> Schema {
    schema(
        vec![
            v1::User::table_def(),
            v1::Task::table_def(),
            tables_v2::Folder::table_def(),
            tables_v2::Team::table_def(),
            tables_v2::Person::table_def(),
        ],
        vec![],
    )
}

#[tokio::test]
async fn create_tables_in_dependency_order_with_a_cycle() {
    Scenario::new(
        "create_tables_in_dependency_order_with_a_cycle",
        seed_v1(),
        with_tables(),
    )
    .run()
    .await;
}

#[tokio::test]
async fn drop_tables_in_reverse_order() {
    Scenario::new("drop_tables_in_reverse_order", with_tables(), seed_v1())
        .allow_destructive()
        .run()
        .await;
}

#[test]
fn dropping_tables_is_refused_and_names_them() {
    let err = pg_plan(&with_tables(), &seed_v1(), SAFE).unwrap_err();
    assert_eq!(
        err.to_string(),
        "3 tables of the last snapshot are missing from the models: `folders`, `people`, `teams`; \
         if they are meant to be dropped, pass --allow-destructive, otherwise make sure the crate \
         that defines them is linked"
    );
}

mod columns_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "tasks")]
    pub struct Task {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(references = v1::User, on_delete = "cascade")]
        pub user_id: uuid::Uuid,
        #[column(max_length = 200)]
        pub title: String,
        pub completed: bool,
        #[column(default = 0)]
        pub position: i32,
        #[column(backfill_sql = "'imported'")]
        pub source: String,
        pub note: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "tasks")]
    pub struct TaskWithoutBackfill {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(references = v1::User, on_delete = "cascade")]
        pub user_id: uuid::Uuid,
        #[column(max_length = 200)]
        pub title: String,
        pub description: Option<String>,
        pub completed: bool,
        pub source: String,
    }
}

#[tokio::test]
async fn add_and_drop_columns() {
    let new = schema(
        vec![v1::User::table_def(), columns_v2::Task::table_def()],
        vec![],
    );
    Scenario::new("add_and_drop_columns", seed_v1(), new)
        .allow_destructive()
        .seed(SEED_ROWS)
        .rows(TASK_ROWS)
        .run()
        .await;
}

#[test]
fn dropping_a_column_is_refused_without_permission() {
    let new = schema(
        vec![v1::User::table_def(), columns_v2::Task::table_def()],
        vec![],
    );
    let err = pg_plan(&seed_v1(), &new, SAFE).unwrap_err();
    assert!(matches!(err, DiffError::Destructive { .. }));
    assert_eq!(
        err.to_string(),
        "refusing to lose data without --allow-destructive: drop column tasks.description and its \
         data; pass --allow-destructive if this is intended, or declare a rename with \
         #[column(renamed_from = \"...\")]"
    );
}

#[test]
fn not_null_without_default_or_backfill_is_refused() {
    let new = schema(
        vec![
            v1::User::table_def(),
            columns_v2::TaskWithoutBackfill::table_def(),
        ],
        vec![],
    );
    let err = pg_plan(&seed_v1(), &new, ALLOW).unwrap_err();
    assert_eq!(
        err.to_string(),
        "column `tasks.source` is NOT NULL and `tasks` already exists, so its rows need a value: \
         give the field a `default = ...`, make it an `Option<...>`, or declare \
         `#[column(backfill_sql = \"<SQL value>\")]` to fill existing rows once"
    );
}

mod types_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "events")]
    pub struct Event {
        #[column(primary_key)]
        pub id: i32,
        pub counter: i32,
        pub title: String,
        #[column(max_length = 10)]
        pub code: String,
        #[column(max_length = 50)]
        pub label: String,
        pub at: chrono::NaiveDateTime,
        pub maybe: Option<String>,
        pub required: String,
        #[column(default = 1)]
        pub weight: i32,
        #[column(default_sql = "'draft'")]
        pub status: String,
        pub plain: bool,
    }
}

mod types_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "events")]
    pub struct Event {
        #[column(primary_key)]
        pub id: i32,
        pub counter: i64,
        #[column(max_length = 100)]
        pub title: String,
        #[column(max_length = 20)]
        pub code: String,
        pub label: String,
        pub at: chrono::DateTime<chrono::Utc>,
        #[column(backfill_sql = "'n/a'")]
        pub maybe: String,
        pub required: Option<String>,
        #[column(default = 2)]
        pub weight: i32,
        pub status: String,
        #[column(default_sql = "true")]
        pub plain: bool,
    }
}

#[tokio::test]
async fn type_nullability_and_default_changes() {
    let old = schema(vec![types_v1::Event::table_def()], vec![]);
    let new = schema(vec![types_v2::Event::table_def()], vec![]);
    let seed = "INSERT INTO events (id, counter, title, code, label, at, maybe, required, plain) \
                VALUES (1, 7, 'short', 'abc', 'label', '2026-01-01 12:00:00', NULL, 'r', false)";
    let check = "SELECT id::text || counter::text || title || code || at::text FROM events";
    Scenario::new("type_nullability_and_default_changes", old, new)
        .allow_destructive()
        .seed(seed)
        .rows(check)
        .run()
        .await;
}

#[test]
fn narrowing_is_destructive() {
    let old = schema(vec![types_v2::Event::table_def()], vec![]);
    let new = schema(vec![types_v1::Event::table_def()], vec![]);
    let err = pg_plan(&old, &new, SAFE).unwrap_err().to_string();
    assert!(
        err.contains("narrow events.counter from bigint to integer"),
        "{err}"
    );
    assert!(
        err.contains("narrow events.code from varchar(20) to varchar(10)"),
        "{err}"
    );
    assert!(
        err.contains("narrow events.label from text to varchar(50)"),
        "{err}"
    );
    assert!(
        !err.contains("events.title"),
        "text is wider than varchar: {err}"
    );
}

#[test]
fn equivalent_default_and_default_sql_are_no_change() {
    mod a {
        use super::*;
        #[derive(Table)]
        #[table(name = "t")]
        pub struct T {
            #[column(primary_key)]
            pub id: i32,
            #[column(default = false)]
            pub flag: bool,
            #[column(sql_type = "character varying(20)")]
            pub name: String,
        }
    }
    mod b {
        use super::*;
        #[derive(Table)]
        #[table(name = "t")]
        pub struct T {
            #[column(primary_key)]
            pub id: i32,
            #[column(default_sql = "FALSE")]
            pub flag: bool,
            #[column(max_length = 20)]
            pub name: String,
        }
    }
    let a = schema(vec![a::T::table_def()], vec![]);
    let b = schema(vec![b::T::table_def()], vec![]);
    assert!(pg_plan(&a, &b, SAFE).unwrap().is_empty());
}
