//! The runner on SQLite files, end to end through the binary: hand-written migrations applied,
//! reverted, shared with sqlx's own `Migrator`, run concurrently, printed with `--sql`; and the
//! files themselves made and removed with `database create` / `database drop`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tests::cli::stderr as err;
use tests::cli::{self, ok};
use tests::TestDb;

fn migrate_gen(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(env!("CARGO_BIN_EXE_migrate-gen"), dir, url, args)
}

const NAMES: [&str; 3] = [
    "20260101000001_create_notes",
    "20260101000002_add_tags",
    "20260101000003_index_titles",
];

/// Three hand-written sqlx migrations: a table with a trigger (whose body has `;`), a column,
/// and an index built outside a transaction.
fn three_migrations() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, direction: &str, sql: &str| {
        std::fs::write(dir.join(format!("{name}.{direction}.sql")), sql).unwrap();
    };
    write(
        NAMES[0],
        "up",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, \
         edited INTEGER NOT NULL DEFAULT 0);\n\
         CREATE TRIGGER notes_edited AFTER UPDATE OF title ON notes BEGIN\n  \
         UPDATE notes SET edited = edited + 1 WHERE id = NEW.id;\nEND;\n",
    );
    write(NAMES[0], "down", "DROP TABLE notes;\n");
    write(NAMES[1], "up", "ALTER TABLE notes ADD COLUMN tags TEXT;\n");
    write(NAMES[1], "down", "ALTER TABLE notes DROP COLUMN tags;\n");
    write(
        NAMES[2],
        "up",
        "-- no-transaction\nCREATE INDEX ix_notes_title ON notes (title);\n",
    );
    write(NAMES[2], "down", "DROP INDEX ix_notes_title;\n");
    (tmp, dir)
}

async fn versions(pool: &sqlx::SqlitePool) -> Vec<i64> {
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// A URL for a database file that does not exist yet, in its own directory.
fn new_file() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("app.db");
    let url = format!("sqlite://{}", path.display());
    (tmp, path, url)
}

#[tokio::test]
async fn create_upgrade_current_downgrade_upgrade_drop() {
    let (_tmp, dir) = three_migrations();
    let (_files, path, url) = new_file();

    // Like sqlx: a missing file is an error naming `database create`, never created silently.
    let out = migrate_gen(&dir, &url, &["upgrade"]);
    assert_eq!(out.status.code(), Some(7), "{}", err(&out));
    assert!(err(&out).contains("database create"), "{}", err(&out));
    assert!(!path.exists());

    let out = ok(migrate_gen(&dir, &url, &["database", "create"]));
    assert!(out.starts_with("Created database"), "{out}");
    assert!(path.exists());

    let out = ok(migrate_gen(&dir, &url, &["upgrade"]));
    assert!(
        out.ends_with(&format!("The database is at {} (head).\n", NAMES[2])),
        "{out}"
    );
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    // The trigger came through whole.
    sqlx::query("INSERT INTO notes (title) VALUES ('a')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE notes SET title = 'b'")
        .execute(&pool)
        .await
        .unwrap();
    let edited: i64 = sqlx::query_scalar("SELECT edited FROM notes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(edited, 1);
    assert_eq!(
        ok(migrate_gen(&dir, &url, &["current"])),
        format!("{} (head)\n", NAMES[2])
    );

    let out = ok(migrate_gen(&dir, &url, &["downgrade", "-2"]));
    assert!(out.contains(&format!("Reverted {}", NAMES[1])), "{out}");
    assert_eq!(versions(&pool).await.len(), 1);
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('notes')")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(columns, ["id", "title", "edited"]);

    ok(migrate_gen(&dir, &url, &["upgrade"]));
    assert_eq!(versions(&pool).await.len(), 3);
    let history = ok(migrate_gen(&dir, &url, &["history"]));
    assert!(history.contains(NAMES[0]), "{history}");
    pool.close().await;

    let out = ok(migrate_gen(&dir, &url, &["database", "drop", "--yes"]));
    assert!(out.starts_with("Dropped database"), "{out}");
    assert!(!path.exists());
}

#[tokio::test]
async fn sqlx_and_this_runner_agree_in_either_order() {
    let (_tmp, dir) = three_migrations();
    let migrator = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();

    // sqlx first: this runner reads its bookkeeping and has nothing to do.
    let db = TestDb::sqlite().await;
    let pool = db.sqlite_pool().await;
    migrator.run(&pool).await.unwrap();
    assert_eq!(
        ok(migrate_gen(&dir, &db.url, &["current"])),
        format!("{} (head)\n", NAMES[2])
    );
    let out = ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    assert!(out.starts_with("Nothing to do"), "{out}");
    ok(migrate_gen(&dir, &db.url, &["downgrade", "-1"]));
    assert_eq!(versions(&pool).await.len(), 2);

    // This runner first: sqlx accepts what it recorded, applies the rest, and reverts all.
    let db2 = TestDb::sqlite().await;
    let pool2 = db2.sqlite_pool().await;
    ok(migrate_gen(&dir, &db2.url, &["upgrade", "+2"]));
    migrator
        .run(&pool2)
        .await
        .expect("sqlx accepts our bookkeeping");
    assert_eq!(versions(&pool2).await.len(), 3);
    migrator
        .undo(&pool2, 0)
        .await
        .expect("sqlx reverts our migrations");
    assert!(versions(&pool2).await.is_empty());
}

#[tokio::test]
async fn a_failing_statement_leaves_the_previous_version() {
    let (_tmp, dir) = three_migrations();
    std::fs::write(
        dir.join(format!("{}.up.sql", NAMES[1])),
        "ALTER TABLE notes ADD COLUMN tags TEXT;\nINSERT INTO missing VALUES (1);\n",
    )
    .unwrap();
    let db = TestDb::sqlite().await;
    let out = migrate_gen(&dir, &db.url, &["upgrade"]);
    assert_eq!(out.status.code(), Some(8), "{}", err(&out));
    assert!(
        err(&out).contains("no such table: missing"),
        "{}",
        err(&out)
    );
    let pool = db.sqlite_pool().await;
    assert_eq!(versions(&pool).await, [20260101000001]);
    // The statement before the failing one was rolled back with it.
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('notes')")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(!columns.contains(&"tags".to_owned()), "{columns:?}");
}

#[tokio::test]
async fn concurrent_upgrades_apply_each_migration_once() {
    let (_tmp, dir) = three_migrations();
    let db = TestDb::sqlite().await;
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_migrate-gen"))
                .args(["upgrade", "-q", "--dialect", "sqlite", "--dir"])
                .arg(dir.parent().unwrap())
                .env("DATABASE_URL", &db.url)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", err(&out));
    }
    let pool = db.sqlite_pool().await;
    assert_eq!(versions(&pool).await.len(), 3);
}

#[tokio::test]
async fn offline_sql_is_sqlite_and_does_what_upgrade_does() {
    let (_tmp, dir) = three_migrations();
    let db = TestDb::sqlite().await;
    let sql = ok(migrate_gen(&dir, &db.url, &["upgrade", "--sql"]));
    assert!(sql.contains("installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"));
    assert!(sql.contains(", TRUE, X'"), "{sql}");
    let pool = db.sqlite_pool().await;
    sqlx::raw_sql(&sql)
        .execute(&pool)
        .await
        .expect("the SQL runs");
    assert_eq!(versions(&pool).await.len(), 3);
    // The runner accepts what the offline SQL recorded.
    let out = ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    assert!(out.starts_with("Nothing to do"), "{out}");
}
