//! `migrate-gen lint`, and the lint in `check` and `generate`: findings name the file, the
//! line and the rule; an allow comment with a reason silences one statement's finding, the
//! directory's `lint_allow` a migration's; `--json` is one object.

use std::path::{Path, PathBuf};
use std::process::Output;

use tests::cli::stderr as err;
use tests::cli::stdout as out;
use tests::cli::{self, migration_names as names, ok, write_sql as write};

const BIN: &str = env!("CARGO_BIN_EXE_migrate-gen");

fn migrate_gen(dir: &Path, args: &[&str]) -> Output {
    cli::run_dialect(BIN, dir, "", args)
}

/// A PostgreSQL directory with one hand-written migration of `up`.
fn one_migration(up: &str) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    ok(migrate_gen(&dir, &["--empty", "hand written"]));
    let name = names(&dir).remove(0);
    write(&dir, &name, "up", up);
    write(&dir, &name, "down", "SELECT 1;\n");
    (tmp, dir, name)
}

const HAZARDS: &str = "-- a migration written by hand\n\
CREATE INDEX ix_tasks_title ON tasks (title);\n\
-- migrate-gen: allow(create-index-blocking) tasks is empty in every environment\n\
CREATE INDEX ix_tasks_due ON tasks (due);\n\
ALTER TABLE tasks RENAME COLUMN notes TO body;\n\
ALTER TABLE tasks ADD CONSTRAINT fk_tasks_user FOREIGN KEY (user_id) REFERENCES users (id);\n";

#[test]
fn findings_name_the_file_line_and_rule() {
    let (_tmp, dir, name) = one_migration(HAZARDS);
    let o = migrate_gen(&dir, &["lint"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let file = dir.join(format!("{name}.up.sql"));
    let text = out(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with(&format!(
            "{}:2: create-index-blocking: CREATE INDEX on tasks, which exists before this migration, without CONCURRENTLY; instead: CREATE INDEX CONCURRENTLY",
            file.display()
        )),
        "{text}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "{}:5: rename-column: renames column tasks.notes",
            file.display()
        )),
        "{text}"
    );
    assert!(
        lines[2].starts_with(&format!(
            "{}:6: constraint-validated-under-lock:",
            file.display()
        )),
        "{text}"
    );
    assert!(lines[3].starts_with("3 findings."), "{text}");

    let o = migrate_gen(&dir, &["lint", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(out(&o).trim()).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3);
    assert_eq!(findings[1]["rule"], "rename-column");
    assert_eq!(findings[1]["line"], 5);
    assert!(findings[1]["safe"]
        .as_str()
        .unwrap()
        .contains("expand/contract"));

    // `check` lists them too.
    let o = migrate_gen(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("rename-column"), "{}", out(&o));
}

#[test]
fn the_directory_accepts_a_migrations_findings_with_a_reason() {
    let (_tmp, dir, name) = one_migration(HAZARDS);
    let version = name.split('_').next().unwrap();
    let config = dir.join("migrate-gen.json");
    std::fs::write(
        &config,
        format!(
            r#"{{"dialect": "postgres", "lint_allow": [
                {{"migration": "{version}", "rule": "create-index-blocking", "reason": "empty table"}},
                {{"migration": "{version}", "rule": "rename-column", "reason": "the app is stopped for this deploy"}},
                {{"migration": "{version}", "rule": "constraint-validated-under-lock", "reason": "small table"}}
            ]}}"#
        ),
    )
    .unwrap();
    assert_eq!(
        ok(migrate_gen(&dir, &["lint"])),
        "No findings in 1 migration.\n"
    );
    // (`check` still finds that the models differ: this directory is not theirs.)
    assert!(!out(&migrate_gen(&dir, &["check"])).contains("rename-column"));

    // A reason is required.
    std::fs::write(
        &config,
        format!(r#"{{"dialect": "postgres", "lint_allow": [{{"migration": "{version}", "rule": "rename-column", "reason": " "}}]}}"#),
    )
    .unwrap();
    let o = migrate_gen(&dir, &["lint"]);
    assert_eq!(o.status.code(), Some(5), "{}", err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert!(err(&o).contains("has no reason"), "{}", err(&o));
}

/// `generate` lints what it writes: the reference history's column rename, generated again,
/// is reported on stderr; the migration is written all the same.
#[test]
fn generate_reports_the_findings_of_what_it_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = cli::reference_postgres_history(tmp.path());
    let all = names(&dir);
    let rename = all
        .iter()
        .position(|n| n.contains("rename_recurrence_pattern"))
        .unwrap();
    for name in &all[rename..] {
        for ext in ["up.sql", "down.sql", "snapshot.json"] {
            let _ = std::fs::remove_file(dir.join(format!("{name}.{ext}")));
        }
    }
    let o = migrate_gen(&dir, &["generate", "the rest"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        err(&o).contains("lint: ")
            && err(&o).contains(": rename-column: renames column tasks.recurrence_pattern"),
        "{}",
        err(&o)
    );
    assert!(out(&o).contains("Wrote "), "{}", out(&o));
}
