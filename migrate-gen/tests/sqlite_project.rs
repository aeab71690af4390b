//! A project that targets SQLite: its companion binary says `.dialect(Dialect::Sqlite)`, and
//! `generate`, `upgrade`, `current`, `check`, `drift`, `verify` and `downgrade` work on a
//! SQLite file with no server. This test binary links its own models (below) and runs the CLI
//! in a child process of itself, as a companion binary would.

use std::path::Path;
use std::process::Output;

use model_core::dialect::Dialect;
use model_core::{DbEnum, Table};

const ARGS: &str = "MIGRATE_GEN_SQLITE_PROJECT_ARGS";

#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[db_enum(name = "note_state", rename_all = "lowercase")]
pub enum NoteState {
    Draft,
    Published,
}

#[derive(Table, Debug, Clone)]
#[table(name = "authors")]
pub struct Author {
    #[column(primary_key)]
    pub id: i64,
    #[column(unique, max_length = 100)]
    pub name: String,
}

#[derive(Table, Debug, Clone)]
#[table(name = "notes")]
#[table(check(name = "ck_notes_title_not_blank", expr = "length(title) > 0"))]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = Author, on_delete = "cascade", index)]
    pub author_id: i64,
    pub title: String,
    #[column(default = NoteState::Draft)]
    pub state: NoteState,
    pub body: Option<String>,
}

/// The child: the CLI of a SQLite project, with the arguments it was given.
#[test]
fn companion_for_sqlite() {
    let config = migrate_gen::Config::new("migrations").dialect(Dialect::Sqlite);
    tests::cli::companion(ARGS, |args| migrate_gen::run(config, args));
}

const CHILD: &str = "companion_for_sqlite";

fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    tests::cli::run_companion(CHILD, ARGS, dir, url, args, &[])
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

fn stdout(out: &Output) -> String {
    tests::cli::companion_stdout(CHILD, out)
}

#[tokio::test]
async fn a_sqlite_project_generates_applies_checks_and_reverts_with_no_server() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let url = format!("sqlite://{}", tmp.path().join("app.db").display());

    let out = ok(run(&dir, &url, &["create notes"]));
    assert!(
        out.starts_with("Wrote migrations") || out.contains("Wrote "),
        "{out}"
    );
    let up = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".up.sql"))
        .expect("an up file");
    let sql = std::fs::read_to_string(up).unwrap();
    assert!(sql.contains("PRIMARY KEY AUTOINCREMENT"), "{sql}");
    assert!(
        sql.contains("CONSTRAINT ck_notes_state_enum CHECK (state IN ('draft', 'published'))"),
        "{sql}"
    );
    assert!(!sql.contains("CREATE TYPE"), "{sql}");
    let again = ok(run(&dir, &url, &["again"]));
    assert!(again.starts_with("No changes"), "{again}");

    ok(run(&dir, &url, &["database", "create"]));
    let out = ok(run(&dir, &url, &["upgrade"]));
    assert!(out.contains("(head)"), "{out}");
    assert!(ok(run(&dir, &url, &["current"])).contains("(head)"));
    ok(run(&dir, &url, &["check"]));
    let out = ok(run(&dir, &url, &["drift"]));
    assert!(out.starts_with("No drift"), "{out}");
    let out = ok(run(&dir, &url, &["verify"]));
    assert!(out.contains("Verified 1 migration"), "{out}");

    // A table made by hand is drift.
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("CREATE TABLE stray (id INTEGER PRIMARY KEY)")
        .execute(&pool)
        .await
        .unwrap();
    let out = run(&dir, &url, &["drift"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("stray"), "{}", stdout(&out));
    sqlx::query("DROP TABLE stray")
        .execute(&pool)
        .await
        .unwrap();

    let out = ok(run(&dir, &url, &["downgrade", "base"]));
    assert!(out.contains("Reverted"), "{out}");
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('notes', 'authors')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(tables, 0);
}

#[test]
fn with_no_database_given_a_sqlite_project_uses_development_db_beside_its_migrations() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    // An empty DATABASE_URL is no database at all.
    ok(run(&dir, "", &["create notes"]));
    let out = ok(run(&dir, "", &["upgrade"]));
    assert!(out.contains("(head)"), "{out}");
    let file = tmp.path().join("development.db");
    assert!(
        file.exists(),
        "the embedded database is created on first use"
    );
    assert!(ok(run(&dir, "", &["current"])).contains("(head)"));
    assert!(ok(run(&dir, "", &["history"])).contains("create_notes"));
    let out = ok(run(&dir, "", &["downgrade", "base"]));
    assert!(out.contains("Reverted"), "{out}");
    assert!(ok(run(&dir, "", &["current"])).contains("base"));
}
