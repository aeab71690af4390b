//! `check` (no database), `drift` and `verify` (real PostgreSQL), end to end.

use std::path::{Path, PathBuf};
use std::process::Output;

use tests::cli::stderr as err;
use tests::cli::stdout as out;
use tests::cli::{self, ok};
use tests::TestDb;

fn migrate_gen(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(env!("CARGO_BIN_EXE_migrate-gen"), dir, url, args)
}

fn file(dir: &Path, suffix: &str) -> PathBuf {
    let name = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(suffix))
        .unwrap_or_else(|| panic!("no file ending in {suffix}"));
    dir.join(name)
}

/// Serializes the tests that count scratch databases on the server (each would see the
/// other's while it runs). Each test has its own runtime thread, so holding the guard across
/// an `.await` blocks only the other test.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SCRATCH: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SCRATCH.lock().unwrap_or_else(|e| e.into_inner())
}

/// A fresh database with every migration of `dir` applied, which `drift` finds in agreement.
async fn upgraded_without_drift(dir: &Path) -> TestDb {
    let db = TestDb::postgres().await;
    ok(migrate_gen(dir, &db.url, &["upgrade", "-q"]));
    let clean = ok(migrate_gen(dir, &db.url, &["drift"]));
    assert!(
        clean.starts_with("No drift: the database matches the snapshot of "),
        "{clean}"
    );
    db
}

fn generated() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    ok(migrate_gen(&dir, "", &["create tables"]));
    ok(migrate_gen(&dir, "", &["--empty", "fill data"]));
    std::fs::write(
        file(&dir, "_fill_data.up.sql"),
        "UPDATE tasks SET completed = TRUE WHERE completed IS NULL;\n",
    )
    .unwrap();
    (tmp, dir)
}

#[test]
fn check_is_silent_when_all_agrees() {
    let (_tmp, dir) = generated();
    let o = migrate_gen(&dir, "", &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert_eq!(out(&o), "");
    assert_eq!(err(&o), "");
}

#[test]
fn check_lists_pending_model_changes() {
    let (_tmp, dir) = generated();
    // The last snapshot lacks a column the models have.
    let path = file(&dir, "_fill_data.snapshot.json");
    let mut snap: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let columns = snap["schema"]["tables"]["users"]["columns"]
        .as_array_mut()
        .unwrap();
    columns.retain(|c| c["name"] != "display_name");
    std::fs::write(&path, serde_json::to_string_pretty(&snap).unwrap()).unwrap();
    let o = migrate_gen(&dir, "", &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(text.contains("the models differ from"), "{text}");
    assert!(
        text.contains("1 pending operation:\n  add column users.display_name"),
        "{text}"
    );
}

#[test]
fn check_detects_an_edited_migration_and_several_heads() {
    let (_tmp, dir) = generated();
    // The first migration was edited after the second was generated on top of it.
    let up = file(&dir, "_create_tables.up.sql");
    let text = std::fs::read_to_string(&up).unwrap();
    std::fs::write(&up, text.replace("NOT NULL", "NULL")).unwrap();
    let o = migrate_gen(&dir, "", &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("_create_tables was edited after"),
        "{}",
        out(&o)
    );
    std::fs::write(&up, &text).unwrap();
    // Line endings alone are not an edit.
    std::fs::write(&up, text.replace('\n', "\r\n")).unwrap();
    assert_eq!(migrate_gen(&dir, "", &["check"]).status.code(), Some(0));

    // A second child of the first migration.
    let first = file(&dir, "_create_tables.snapshot.json");
    let first_version = first.file_name().unwrap().to_string_lossy()[..14].to_owned();
    let other: u64 = first_version.parse::<u64>().unwrap() + 500;
    let second = std::fs::read_to_string(file(&dir, "_fill_data.snapshot.json")).unwrap();
    let second_version = file(&dir, "_fill_data.snapshot.json")
        .file_name()
        .unwrap()
        .to_string_lossy()[..14]
        .to_owned();
    std::fs::write(
        dir.join(format!("{other}_other.snapshot.json")),
        second.replace(&second_version, &other.to_string()),
    )
    .unwrap();
    std::fs::write(dir.join(format!("{other}_other.up.sql")), "SELECT 1;\n").unwrap();
    std::fs::write(dir.join(format!("{other}_other.down.sql")), "SELECT 1;\n").unwrap();
    let o = migrate_gen(&dir, "", &["check", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert!(
        report["problems"][0].as_str().unwrap().contains("2 heads"),
        "{report}"
    );
}

#[tokio::test]
async fn drift_catches_an_index_a_dropped_column_and_a_changed_default() {
    let (_tmp, dir) = generated();
    let db = upgraded_without_drift(&dir).await;

    let pool = db.pg_pool().await;
    sqlx::raw_sql(
        "CREATE INDEX ix_by_hand ON tasks (title); \
         ALTER TABLE users DROP COLUMN display_name; \
         ALTER TABLE tasks ALTER COLUMN completed SET DEFAULT TRUE;",
    )
    .execute(&pool)
    .await
    .unwrap();
    let o = migrate_gen(&dir, &db.url, &["drift"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("  added: index ix_by_hand on tasks"),
        "{text}"
    );
    assert!(
        text.contains("  removed: column users.display_name"),
        "{text}"
    );
    assert!(
        text.contains("  changed: default of tasks.completed"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 4, "{text}");

    let o = migrate_gen(&dir, &db.url, &["drift", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(report["drift"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn drift_compares_the_grouping_of_a_check() {
    let (_tmp, dir) = generated();
    // The data migration also adds a check, and its snapshot records it.
    let model = "(completed OR title <> '') AND length(title) < 500";
    std::fs::write(
        file(&dir, "_fill_data.up.sql"),
        format!("ALTER TABLE tasks ADD CONSTRAINT ck_tasks_grouped CHECK ({model});\n"),
    )
    .unwrap();
    std::fs::write(
        file(&dir, "_fill_data.down.sql"),
        "ALTER TABLE tasks DROP CONSTRAINT ck_tasks_grouped;\n",
    )
    .unwrap();
    let path = file(&dir, "_fill_data.snapshot.json");
    let mut snap: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    snap["schema"]["tables"]["tasks"]["checks"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({ "name": "ck_tasks_grouped", "expr": model }));
    std::fs::write(&path, serde_json::to_string_pretty(&snap).unwrap()).unwrap();

    // PostgreSQL prints the check back with its own casts and parentheses: no drift.
    let db = upgraded_without_drift(&dir).await;

    // Same words, other grouping: a different constraint.
    let pool = db.pg_pool().await;
    sqlx::raw_sql(
        "ALTER TABLE tasks DROP CONSTRAINT ck_tasks_grouped; \
         ALTER TABLE tasks ADD CONSTRAINT ck_tasks_grouped \
         CHECK (completed OR (title <> '' AND length(title) < 500));",
    )
    .execute(&pool)
    .await
    .unwrap();
    let o = migrate_gen(&dir, &db.url, &["drift"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(
        text.contains("  removed: check ck_tasks_grouped on tasks"),
        "{text}"
    );
    assert!(
        text.contains("  added: check ck_tasks_grouped on tasks"),
        "{text}"
    );
}

#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn verify_replays_every_step_and_catches_an_unsnapshotted_change() {
    let _serial = serial();
    let (_tmp, dir) = generated();
    let db = TestDb::postgres().await;
    let text = ok(migrate_gen(&dir, &db.url, &["verify"]));
    assert!(text.contains("up   "), "{text}");
    assert!(
        text.ends_with("Verified 2 migrations: every step up and down matches its snapshot.\n"),
        "{text}"
    );
    // The target database itself is untouched.
    let pool = db.pg_pool().await;
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(tables, 0);

    // A hand-written change that the snapshot does not know about.
    std::fs::write(
        file(&dir, "_fill_data.up.sql"),
        "ALTER TABLE tasks ADD COLUMN sneaky INT;\n",
    )
    .unwrap();
    let o = migrate_gen(&dir, &db.url, &["verify"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(
        text.contains(
            "_fill_data, the database differs from the snapshot:\n  added: column tasks.sneaky"
        ),
        "{text}"
    );
    // No scratch database is left behind.
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'migrate_gen_verify_%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(left, 0);
}

/// `verify` needs only a server: the database in the URL may not exist (today: "cannot
/// connect", exit 7), and one that exists is left exactly as it was.
#[tokio::test]
#[allow(clippy::await_holding_lock)]
async fn verify_needs_only_a_server_and_leaves_the_named_database_alone() {
    let _serial = serial();
    let (_tmp, dir) = generated();
    let base = tests::postgres_url();
    let (server, _) = base.rsplit_once('/').unwrap();
    let missing = format!("{server}/migrate_gen_verify_no_such_database");
    let text = ok(migrate_gen(&dir, &missing, &["verify"]));
    assert!(
        text.ends_with("Verified 2 migrations: every step up and down matches its snapshot.\n"),
        "{text}"
    );

    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    sqlx::raw_sql(
        "CREATE TABLE precious (id int PRIMARY KEY, note text); \
         INSERT INTO precious VALUES (1, 'one'), (2, 'two');",
    )
    .execute(&pool)
    .await
    .unwrap();
    ok(migrate_gen(&dir, &db.url, &["verify", "-q"]));
    let rows: Vec<(i32, String)> = sqlx::query_as("SELECT id, note FROM precious ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows, [(1, "one".to_owned()), (2, "two".to_owned())]);
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(tables, ["precious"]);
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'migrate_gen_verify_%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(left, 0, "scratch databases are dropped");
}

/// A migration deleted from the middle of the chain leaves its child naming a parent that is
/// gone, which also makes the migration before it a second head. `check` names the missing
/// migration (today it leads with "the directory has 2 heads").
#[test]
fn check_names_a_deleted_middle_migration() {
    let (_tmp, dir) = generated();
    ok(migrate_gen(&dir, "", &["--empty", "third"]));
    let middle = file(&dir, "_fill_data.up.sql");
    let middle_name = middle.file_name().unwrap().to_string_lossy().into_owned();
    let middle_version = middle_name[..14].to_owned();
    for suffix in ["up.sql", "down.sql", "snapshot.json"] {
        std::fs::remove_file(file(&dir, &format!("_fill_data.{suffix}"))).unwrap();
    }
    let third = file(&dir, "_third.up.sql");
    let third_name = third.file_name().unwrap().to_string_lossy();
    let third_name = third_name.trim_end_matches(".up.sql");

    let o = migrate_gen(&dir, "", &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(
        text.contains(&format!(
            "migration {third_name} in {} names parent {middle_version}, which is not in the directory — was {middle_version} deleted?",
            dir.display()
        )),
        "{text}"
    );
    assert!(!text.contains("heads"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");

    // Commands that need the chain say the same.
    let o = migrate_gen(&dir, "", &["history"]);
    assert_eq!(o.status.code(), Some(5), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("was "), "{}", err(&o));
}
