//! A split generation (new enum values used at once: two migrations) is written whole or not
//! at all.

use std::path::Path;
use std::process::Output;

use tests::cli::stderr as err;
use tests::cli::stdout as out;
use tests::cli::{self, migration_names as names, ok};

fn migrate_gen(dir: &Path, args: &[&str]) -> Output {
    cli::run_dialect(env!("CARGO_BIN_EXE_migrate-gen"), dir, "", args)
}

/// The files of a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A directory whose only migration is at a fixed version far ahead, so that the next two
/// versions are known, and whose snapshot lacks the enum value `NONE` that the models use as
/// the default of `tasks.priority`: generating adds the value in a first migration and sets
/// the default in a second.
fn before_a_split(dir: &Path) -> String {
    ok(migrate_gen(dir, &["create tables", "-q"]));
    let name = names(dir).remove(0);
    let version = "29990101000000";
    let renamed = format!("{version}_create_tables");
    for suffix in ["up.sql", "down.sql"] {
        std::fs::rename(
            dir.join(format!("{name}.{suffix}")),
            dir.join(format!("{renamed}.{suffix}")),
        )
        .unwrap();
    }
    let old = dir.join(format!("{name}.snapshot.json"));
    let mut snap: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&old).unwrap()).unwrap();
    std::fs::remove_file(&old).unwrap();
    snap["version"] = version.into();
    snap["schema"]["enums"]["priority"]["values"]
        .as_array_mut()
        .unwrap()
        .retain(|v| v["name"] != "NONE");
    for column in snap["schema"]["tables"]["tasks"]["columns"]
        .as_array_mut()
        .unwrap()
    {
        if column["name"] == "priority" {
            column.as_object_mut().unwrap().remove("default");
        }
    }
    std::fs::write(
        dir.join(format!("{renamed}.snapshot.json")),
        serde_json::to_string_pretty(&snap).unwrap(),
    )
    .unwrap();
    renamed
}

#[test]
fn a_split_generation_is_written_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    before_a_split(&dir);
    let planned = ok(migrate_gen(&dir, &["--dry-run", "default priority"]));
    assert!(
        planned.contains("==> 29990101000001_default_priority_enum_values.up.sql"),
        "{planned}"
    );
    assert!(
        planned.contains("==> 29990101000002_default_priority.up.sql"),
        "{planned}"
    );
    let text = ok(migrate_gen(&dir, &["default priority"]));
    assert_eq!(text.lines().count(), 2, "{text}");
    assert_eq!(names(&dir).len(), 3);
}

/// Today the first migration is renamed into place before the second is written: when the
/// second fails, the first stays behind alone (exit 74 with half of the change on disk).
#[test]
fn a_failure_writing_the_second_half_leaves_nothing_of_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    before_a_split(&dir);
    // The second migration's down file cannot be written: a directory holds its place.
    std::fs::create_dir(dir.join(".29990101000002_default_priority.down.sql.tmp")).unwrap();
    let before = listing(&dir);
    let o = migrate_gen(&dir, &["default priority"]);
    assert_eq!(o.status.code(), Some(74), "{}{}", out(&o), err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert_eq!(
        listing(&dir),
        before,
        "nothing written, nothing left behind"
    );
}
