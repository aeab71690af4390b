//! The reference app's committed history, in each of its dialects: it matches the models,
//! replays up and down on the real PostgreSQL, on a SQLite file and on the real MariaDB, and
//! its data migration does what it says.

use std::path::{Path, PathBuf};
use std::process::Output;

use tests::cli::{self, ok};
use tests::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_migrate-gen");

/// The project's migrations: `postgres/` and `sqlite/`.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/todo/migrations")
}

/// The binary on the PostgreSQL migrations.
fn migrate_gen(url: &str, args: &[&str]) -> Output {
    cli::run_dialect(BIN, &root().join("postgres"), url, args)
}

#[test]
fn the_history_matches_the_models() {
    // Both directories, as `cargo run -p migrate-gen -- check` sees them.
    assert_eq!(ok(cli::run(BIN, &root(), "", &["check"])), "");
    let out = ok(cli::run(
        BIN,
        &root(),
        "",
        &["generate", "--dry-run", "anything"],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("No changes for postgres: the models match "),
        "{out}"
    );
    assert!(
        lines[1].starts_with("No changes for sqlite: the models match "),
        "{out}"
    );
    assert!(
        lines[2].starts_with("No changes for mysql: the models match "),
        "{out}"
    );
    let history = ok(migrate_gen("", &["history"]));
    assert_eq!(history.lines().count(), 11, "{history}");
    // SQLite joined later, with one migration that creates the whole schema.
    // (A file of its own: with no URL, `history` would open the embedded file, which the
    // README's test uses.)
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", tmp.path().join("app.db").display());
    let history = ok(cli::run_dialect(
        BIN,
        &root().join("sqlite"),
        &url,
        &["history"],
    ));
    assert_eq!(history.lines().count(), 1, "{history}");
    assert!(history.contains("_baseline_sqlite"), "{history}");
}

#[tokio::test]
async fn the_history_verifies_on_postgres() {
    let db = TestDb::postgres().await;
    let out = ok(migrate_gen(&db.url, &["verify"]));
    assert!(
        out.ends_with("Verified 11 migrations: every step up and down matches its snapshot.\n"),
        "{out}"
    );
}

#[tokio::test]
async fn the_history_verifies_on_mariadb() {
    let db = TestDb::mysql().await;
    let out = ok(cli::run(BIN, &root(), &db.url, &["verify"]));
    assert!(
        out.ends_with("Verified 1 migration: every step up and down matches its snapshot.\n"),
        "{out}"
    );
    ok(cli::run(BIN, &root(), &db.url, &["upgrade"]));
    let drift = ok(cli::run(BIN, &root(), &db.url, &["drift"]));
    assert!(drift.starts_with("No drift: "), "{drift}");
}

#[test]
fn the_history_verifies_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", tmp.path().join("app.db").display());
    let out = ok(cli::run(BIN, &root(), &url, &["verify"]));
    assert!(
        out.ends_with("Verified 1 migration: every step up and down matches its snapshot.\n"),
        "{out}"
    );
    // Applied for real, then checked against its snapshot.
    ok(cli::run(BIN, &root(), &url, &["upgrade"]));
    assert_eq!(
        ok(cli::run(BIN, &root(), &url, &["drift"])).lines().count(),
        1
    );
}

#[tokio::test]
async fn the_data_migration_sets_priorities_of_existing_tasks() {
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    ok(migrate_gen(&db.url, &["upgrade", "+3"]));
    sqlx::raw_sql(
        "INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com');
         INSERT INTO tasks (id, user_id, title, completed) VALUES
           ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'open', false),
           ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-000000000001', 'done', true);",
    )
    .execute(&pool)
    .await
    .unwrap();
    ok(migrate_gen(&db.url, &["upgrade"]));
    let priorities: Vec<String> =
        sqlx::query_scalar("SELECT priority::text FROM tasks ORDER BY title")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(priorities, ["LOW", "MEDIUM"]);
    let timezone: String = sqlx::query_scalar("SELECT timezone FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(timezone, "UTC", "the NOT NULL column was backfilled");
    // The rows survive the way back to the first migration.
    ok(migrate_gen(&db.url, &["downgrade", "20261124073418"]));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

/// `generate` writes the online forms by default: regenerating the reference history's later
/// changes on top of its first two migrations builds the new indexes of `tasks` (which has
/// rows by then) concurrently, in a `-- no-transaction` migration that `upgrade` applies and
/// `drift` then finds equal to the models; `--blocking` writes plain DDL in one transaction.
#[tokio::test]
async fn generate_writes_online_ddl_for_existing_tables_unless_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = cli::reference_postgres_history(tmp.path());
    for name in cli::migration_names(&dir).into_iter().skip(2) {
        for ext in ["up.sql", "down.sql", "snapshot.json"] {
            let _ = std::fs::remove_file(dir.join(format!("{name}.{ext}")));
        }
    }
    let blocking = ok(cli::run_dialect(
        BIN,
        &dir,
        "",
        &["generate", "--dry-run", "--blocking", "the rest"],
    ));
    assert!(!blocking.contains("-- no-transaction"), "{blocking}");
    assert!(!blocking.contains("CONCURRENTLY"), "{blocking}");
    assert!(
        blocking.contains("CREATE INDEX ix_tasks_user_completed ON tasks"),
        "{blocking}"
    );

    ok(cli::run_dialect(BIN, &dir, "", &["generate", "the rest"]));
    let names = cli::migration_names(&dir);
    assert_eq!(names.len(), 3, "{names:?}");
    let up = std::fs::read_to_string(dir.join(format!("{}.up.sql", names[2]))).unwrap();
    assert!(up.starts_with("-- no-transaction\n"), "{up}");
    assert!(
        up.contains("CREATE INDEX CONCURRENTLY ix_tasks_user_completed ON tasks"),
        "{up}"
    );
    // New tables are created as they are, with plain indexes.
    assert!(up.contains("CREATE TABLE tags"), "{up}");
    assert!(!up.contains("CREATE INDEX CONCURRENTLY ix_tags"), "{up}");

    let db = TestDb::postgres().await;
    ok(cli::run_dialect(BIN, &dir, &db.url, &["upgrade", "+2"]));
    let pool = db.pg_pool().await;
    sqlx::raw_sql(
        "INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com');
         INSERT INTO tasks (id, user_id, title, completed) VALUES
           ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'open', false);",
    )
    .execute(&pool)
    .await
    .unwrap();
    ok(cli::run_dialect(BIN, &dir, &db.url, &["upgrade"]));
    let drift = ok(cli::run_dialect(BIN, &dir, &db.url, &["drift"]));
    assert!(drift.starts_with("No drift: "), "{drift}");
    // `check` agrees with the models, and lists what the lint finds in the regenerated change:
    // the column rename, and the column added, filled and made NOT NULL in one step.
    let o = cli::run_dialect(BIN, &dir, "", &["check"]);
    let text = cli::stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    let rules: Vec<&str> = text
        .lines()
        .map(|l| l.split(": ").nth(1).unwrap_or(l))
        .collect();
    assert_eq!(rules, ["rename-column", "set-not-null-scan"], "{text}");
    // And back, statement by statement.
    ok(cli::run_dialect(BIN, &dir, &db.url, &["downgrade"]));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

/// `generate --phased` in a project that also targets SQLite and MySQL: expand/contract is
/// PostgreSQL's; the other dialects' migrations of the change are written as one, with a note.
#[test]
fn phased_is_for_postgres_and_other_dialects_get_one_migration() {
    let tmp = tempfile::tempdir().unwrap();
    for dialect in ["postgres", "sqlite", "mysql"] {
        let to = tmp.path().join(dialect);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(root().join(dialect)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    let o = cli::run(BIN, tmp.path(), "", &["generate", "--phased", "anything"]);
    assert!(o.status.success(), "{}", cli::stderr(&o));
    assert_eq!(cli::stdout(&o).matches("No changes for ").count(), 3);
    let err = cli::stderr(&o);
    for dialect in ["sqlite", "mysql"] {
        assert!(
            err.contains(&format!(
                "note: --phased splits PostgreSQL migrations; the {dialect} migration is written as one"
            )),
            "{err}"
        );
    }
    assert!(!err.contains("postgres migration"), "{err}");
}
