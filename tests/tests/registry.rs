//! The registry collects every linked model, and snapshots round-trip byte for byte.

use model_core::registry::{self, RegistryError};
use model_core::schema::Schema;
use model_core::snapshot::{Snapshot, SnapshotError, FORMAT_VERSION};
use model_core::Table;

// The reference app's models are linked through this use; nothing lists them by hand.
use todo as _;

#[test]
fn registry_holds_every_linked_model_sorted() {
    let schema = registry::schema().unwrap();
    let tables: Vec<&str> = schema.tables.keys().map(String::as_str).collect();
    assert_eq!(
        tables,
        [
            "reminders",
            "tags",
            "task_tags",
            "tasks",
            "user_sessions",
            "users"
        ]
    );
    let enums: Vec<&str> = schema.enums.keys().map(String::as_str).collect();
    assert_eq!(enums, ["priority"]);
    let names: Vec<&str> = registry::tables().iter().map(|(rust, _)| *rust).collect();
    assert_eq!(
        names,
        [
            "todo::Reminder",
            "todo::Tag",
            "todo::TaskTag",
            "todo::Task",
            "todo::UserSession",
            "todo::User"
        ]
    );
}

#[test]
fn registry_snapshot_of_the_reference_app() {
    let snapshot = Snapshot::new(registry::schema().unwrap());
    insta::assert_snapshot!(snapshot.to_json());
}

#[test]
fn snapshot_round_trips_to_an_equal_value_and_identical_bytes() {
    let schema = registry::schema().unwrap();
    let text = Snapshot::new(schema.clone()).to_json();
    let read = Snapshot::from_json(&text).unwrap();
    assert_eq!(read.format_version, FORMAT_VERSION);
    assert_eq!(read.schema, schema);
    assert_eq!(
        read.to_json(),
        text,
        "re-serializing must give identical bytes"
    );
    // Building the registry again gives the same bytes (no dependence on iteration order).
    assert_eq!(Snapshot::new(registry::schema().unwrap()).to_json(), text);
    assert!(text.ends_with("}\n"));
}

#[test]
fn a_future_format_version_is_refused() {
    let mut value: serde_json::Value =
        serde_json::from_str(&Snapshot::new(registry::schema().unwrap()).to_json()).unwrap();
    value["format_version"] = serde_json::json!(FORMAT_VERSION + 1);
    let err = Snapshot::from_json(&value.to_string()).unwrap_err();
    assert!(
        matches!(err, SnapshotError::FutureVersion { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "snapshot format version {} is newer than this release supports ({FORMAT_VERSION}); upgrade migrate-gen to read it",
            FORMAT_VERSION + 1
        )
    );
}

#[test]
fn malformed_snapshots_are_refused() {
    assert!(matches!(
        Snapshot::from_json("{\"schema\": {}}"),
        Err(SnapshotError::MissingVersion)
    ));
    assert!(matches!(
        Snapshot::from_json("not json"),
        Err(SnapshotError::Invalid(_))
    ));
    assert!(matches!(
        Snapshot::from_json("{\"format_version\": 1, \"schema\": {\"tables\": 3}}"),
        Err(SnapshotError::Invalid(_))
    ));
}

#[test]
fn an_empty_registry_is_an_error() {
    let err = registry::build(Vec::new(), Vec::new()).unwrap_err();
    assert_eq!(err, RegistryError::Empty);
    assert!(err.to_string().contains("no models are registered"));
}

#[test]
fn two_structs_for_one_table_are_an_error() {
    let err = registry::build(
        vec![
            ("a::Task", todo::Task::table_def()),
            ("b::Task", todo::Task::table_def()),
        ],
        vec![(
            "todo::Priority",
            <todo::Priority as model_core::DbEnum>::enum_def(),
        )],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "table `tasks` is declared twice: by `a::Task` and by `b::Task`; give one of them another `#[table(name = \"...\")]`"
    );
}

#[test]
fn a_missing_enum_or_reference_is_an_error() {
    let err =
        registry::build(vec![("todo::Task", todo::Task::table_def())], Vec::new()).unwrap_err();
    // Without the users table and the priority enum, the tasks table cannot stand.
    assert!(
        matches!(
            err,
            RegistryError::UnknownEnum { .. } | RegistryError::UnknownReference { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn tables_missing_from_the_registry_are_named() {
    let current = registry::schema().unwrap();
    let mut last = current.clone();
    let mut gone = last.tables["users"].clone();
    gone.name = "archived_users".into();
    last.tables.insert(gone.name.clone(), gone.clone());
    gone.name = "audit_log".into();
    last.tables.insert(gone.name.clone(), gone);
    let err = registry::check_against(&last, &current).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2 tables of the last snapshot are missing from the models: `archived_users`, `audit_log`; \
         if they are meant to be dropped, pass --allow-destructive, otherwise make sure the crate \
         that defines them is linked"
    );
    registry::check_against(&current, &current).unwrap();
    registry::check_against(&Schema::new(), &current).unwrap();
}

#[test]
fn a_declared_rename_covers_the_old_table_name() {
    let mut current = registry::schema().unwrap();
    let mut last = current.clone();
    let users = last.tables.remove("users").unwrap();
    last.tables
        .insert("people".into(), renamed(users, "people"));
    current.tables.get_mut("users").unwrap().renamed_from = Some("people".into());
    registry::check_against(&last, &current).unwrap();
}

fn renamed(mut table: model_core::schema::Table, name: &str) -> model_core::schema::Table {
    table.name = name.into();
    table
}
