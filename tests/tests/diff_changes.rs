//! The diff alone: what changed, grouped per table, with no order and no dialect; and the
//! planner that turns it into PostgreSQL's ordered steps and boundaries.

#![allow(dead_code)]

use model_core::dialect::Dialect;
use model_core::diff::{diff, EnumChange, Equivalence};
use model_core::operation::Operation;
use model_core::plan::planner;
use model_core::schema::{ColumnDefault, ColumnType};
use model_core::{DbEnum, Table};
use tests::scenario::{schema, ALLOW, SAFE};

mod v1 {
    use super::*;

    #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
    #[db_enum(name = "state")]
    pub enum State {
        Open,
        Done,
    }

    #[derive(Table)]
    #[table(name = "users")]
    pub struct User {
        #[column(primary_key)]
        pub id: i64,
        pub email: String,
    }

    #[derive(Table)]
    #[table(name = "tasks")]
    pub struct Task {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = User)]
        pub user_id: i64,
        pub state: State,
    }

    #[derive(Table)]
    #[table(name = "logs")]
    pub struct Log {
        #[column(primary_key)]
        pub id: i64,
    }
}

mod v2 {
    use super::*;

    #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
    #[db_enum(name = "state")]
    pub enum State {
        Open,
        Blocked,
        Done,
    }

    #[derive(Table)]
    #[table(name = "accounts", renamed_from = "users")]
    pub struct Account {
        #[column(primary_key)]
        pub id: i64,
        #[column(renamed_from = "email")]
        pub address: String,
        pub note: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "tasks")]
    pub struct Task {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Account, index)]
        pub user_id: i64,
        #[column(default = State::Blocked)]
        pub state: State,
    }

    #[derive(Table)]
    #[table(name = "projects")]
    pub struct Project {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Account)]
        pub owner_id: i64,
    }
}

/// Spellings compared verbatim: the diff needs no dialect's rules to group changes.
struct Verbatim;

impl Equivalence for Verbatim {
    fn canonical_type(&self, ty: &ColumnType) -> String {
        format!("{ty:?}")
    }
    fn is_narrowing(&self, _: &ColumnType, _: &ColumnType) -> bool {
        false
    }
    fn normalize_expression(&self, sql: &str) -> String {
        sql.to_owned()
    }
    fn same_printed_expression(&self, written: &str, printed: &str) -> bool {
        written == printed
    }
    fn canonical_default(&self, default: &ColumnDefault) -> String {
        format!("{default:?}")
    }
    fn default_sql(&self, default: &ColumnDefault) -> String {
        format!("{default:?}")
    }
}

fn schemas() -> (model_core::schema::Schema, model_core::schema::Schema) {
    (
        schema(
            vec![
                v1::User::table_def(),
                v1::Task::table_def(),
                v1::Log::table_def(),
            ],
            vec![v1::State::enum_def()],
        ),
        schema(
            vec![
                v2::Account::table_def(),
                v2::Task::table_def(),
                v2::Project::table_def(),
            ],
            vec![v2::State::enum_def()],
        ),
    )
}

#[test]
fn the_diff_groups_changes_per_table() {
    let (old, new) = schemas();
    let changes = diff(&old, &new, &Verbatim, ALLOW).unwrap();

    let created: Vec<&str> = changes.created.iter().map(|t| t.name.as_str()).collect();
    let dropped: Vec<&str> = changes.dropped.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(created, ["projects"]);
    assert_eq!(dropped, ["logs"]);
    assert_eq!(changes.destructive, ["drop table logs and all its rows"]);

    // The enum gains a value: the diff says so, and nothing about how a database does it.
    match &changes.enums[..] {
        [EnumChange::Altered {
            renamed,
            removed,
            reordered,
            ..
        }] => {
            assert!(renamed.is_empty() && removed.is_empty() && !reordered);
        }
        other => panic!("one altered enum expected: {other:?}"),
    }

    // Kept tables by new name, each with its own changes only.
    let kept: Vec<(&str, &str)> = changes
        .kept
        .iter()
        .map(|t| (t.old.name.as_str(), t.new.name.as_str()))
        .collect();
    assert_eq!(kept, [("users", "accounts"), ("tasks", "tasks")]);
    let accounts: Vec<String> = changes.kept[0]
        .changes
        .iter()
        .map(Operation::summary)
        .collect();
    assert_eq!(
        accounts,
        [
            "rename table users to accounts",
            "rename column accounts.email to address",
            "rename constraint pk_users on accounts to pk_accounts",
            "add column accounts.note",
        ]
    );
    assert_eq!(
        changes.kept[0]
            .old_column("address")
            .map(|c| c.name.as_str()),
        Some("email")
    );
    let tasks = &changes.kept[1].changes;
    assert!(tasks.iter().all(|op| !matches!(
        op,
        Operation::AddEnumValue { .. } | Operation::RecreateEnum { .. }
    )));
    assert!(tasks
        .iter()
        .any(|op| matches!(op, Operation::CreateIndex { table, .. } if table == "tasks")));
    assert!(tasks
        .iter()
        .any(|op| matches!(op, Operation::AlterDefault { table, .. } if table == "tasks")));
}

#[test]
fn without_permission_the_diff_refuses_what_loses_data() {
    let (old, new) = schemas();
    let err = diff(&old, &new, &Verbatim, SAFE).unwrap_err().to_string();
    assert!(err.contains("logs"), "{err}");
}

#[test]
fn postgres_plans_new_enum_values_used_at_once_behind_a_boundary() {
    let (old, new) = schemas();
    let changes = diff(&old, &new, Dialect::Postgres.equivalence(), ALLOW).unwrap();
    let plan = planner(Dialect::Postgres).plan(&changes, &old, &new);

    // The new value comes first and is committed before the default that uses it.
    assert!(
        matches!(
            plan.steps[0].operation,
            Operation::AddEnumValue { ref value, .. } if value == "Blocked"
        ),
        "{:?}",
        plan.steps[0].operation.summary()
    );
    assert_eq!(plan.boundaries.len(), 1);
    let boundary = &plan.boundaries[0];
    assert_eq!(boundary.after, 1);
    assert_eq!(
        boundary.schema.enums["state"]
            .value_names()
            .collect::<Vec<_>>(),
        ["Open", "Blocked", "Done"]
    );
    assert_eq!(boundary.schema.tables.len(), old.tables.len());

    // Every step has its exact inverse, and only the dropped table loses data.
    assert!(plan.steps.iter().all(|s| s.transactional));
    let destructive: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| s.destructive)
        .map(|s| s.operation.summary())
        .collect();
    assert_eq!(destructive, ["drop table logs"]);

    let parts = plan.split(&new);
    assert_eq!(parts.len(), 2);
    assert_eq!(
        parts[0].reason.as_ref().map(|(r, _)| r.as_str()),
        Some("new enum values")
    );
    assert_eq!(parts[1].schema, new);
    assert_eq!(
        parts[1].plan.destructive,
        ["drop table logs and all its rows"]
    );
}

#[test]
fn postgres_orders_drops_before_renames_and_new_tables_after_columns() {
    let (old, new) = schemas();
    let changes = diff(&old, &new, Dialect::Postgres.equivalence(), ALLOW).unwrap();
    let plan = planner(Dialect::Postgres).plan(&changes, &old, &new);
    let position = |wanted: &str| {
        plan.steps
            .iter()
            .position(|s| s.operation.summary() == wanted)
            .unwrap_or_else(|| panic!("no step {wanted}"))
    };
    assert!(position("drop table logs") < position("rename table users to accounts"));
    assert!(position("rename table users to accounts") < position("add column accounts.note"));
    assert!(position("add column accounts.note") < position("create table projects"));
}
