//! `DbEnum` value spelling: every `rename_all` rule, `rename` and `renamed_from`.

use model_core::schema::{ColumnDefault, ColumnType, Value};
use model_core::{DbEnum, Table};

macro_rules! rule {
    ($name:ident, $rule:literal) => {
        #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
        #[db_enum(rename_all = $rule)]
        enum $name {
            InProgress,
            Done,
        }
    };
}

rule!(Lower, "lowercase");
rule!(Upper, "UPPERCASE");
rule!(Snake, "snake_case");
rule!(ScreamingSnake, "SCREAMING_SNAKE_CASE");
rule!(Kebab, "kebab-case");
rule!(ScreamingKebab, "SCREAMING-KEBAB-CASE");
rule!(Camel, "camelCase");
rule!(Pascal, "PascalCase");

#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Verbatim {
    InProgress,
    Done,
}

#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[db_enum(name = "task_state", rename_all = "SCREAMING_SNAKE_CASE")]
enum TaskState {
    #[db_enum(renamed_from = "OPEN")]
    ToDo,
    #[db_enum(rename = "wip")]
    InProgress,
    #[db_enum(rename = "finished", renamed_from = "DONE")]
    Done,
}

#[derive(Table)]
struct Task {
    #[column(primary_key)]
    id: i64,
    #[column(default = TaskState::ToDo)]
    state: TaskState,
    previous: Option<TaskState>,
}

fn values<E: DbEnum>() -> Vec<String> {
    E::enum_def().value_names().map(str::to_owned).collect()
}

fn main() {
    assert_eq!(values::<Lower>(), ["inprogress", "done"]);
    assert_eq!(values::<Upper>(), ["INPROGRESS", "DONE"]);
    assert_eq!(values::<Snake>(), ["in_progress", "done"]);
    assert_eq!(values::<ScreamingSnake>(), ["IN_PROGRESS", "DONE"]);
    assert_eq!(values::<Kebab>(), ["in-progress", "done"]);
    assert_eq!(values::<ScreamingKebab>(), ["IN-PROGRESS", "DONE"]);
    assert_eq!(values::<Camel>(), ["inProgress", "done"]);
    assert_eq!(values::<Pascal>(), ["InProgress", "Done"]);
    assert_eq!(values::<Verbatim>(), ["InProgress", "Done"]);
    assert_eq!(<ScreamingSnake as DbEnum>::NAME, "screaming_snake");

    let state = TaskState::enum_def();
    assert_eq!(state.name, "task_state");
    assert_eq!(values::<TaskState>(), ["TO_DO", "wip", "finished"]);
    let renamed: Vec<Option<&str>> = state
        .values
        .iter()
        .map(|v| v.renamed_from.as_deref())
        .collect();
    assert_eq!(renamed, [Some("OPEN"), None, Some("DONE")]);
    assert_eq!(TaskState::InProgress.as_db_str(), "wip");
    assert_eq!(TaskState::from_db_str("finished"), Some(TaskState::Done));
    assert_eq!(TaskState::from_db_str("DONE"), None);

    let t = <Task as Table>::table_def();
    let column = t.column("state").unwrap();
    assert_eq!(
        column.ty,
        ColumnType::Enum {
            name: "task_state".into()
        }
    );
    assert_eq!(
        column.default,
        Some(ColumnDefault::Value(Value::Text("TO_DO".into())))
    );
    assert!(t.column("previous").unwrap().nullable);
}
