//! The runner on the real MariaDB server, through the CLI of a project written for MySQL: sqlx's
//! bookkeeping and lock, a migration that fails half-way (DDL commits statement by statement)
//! shown by `current`, resumed by `upgrade` once the file is fixed, or reverted statement for
//! statement by `downgrade`; sqlx's own `Migrator` agreeing with all of it; concurrent runs.
//! This test binary runs the CLI in a child process of itself, as a companion binary would.

use std::path::{Path, PathBuf};
use std::process::Output;

use model_core::dialect::Dialect;
use sqlx::MySqlPool;
use tests::TestDb;

const ARGS: &str = "MIGRATE_GEN_MYSQL_RUNNER_ARGS";

/// The child: the CLI of a MySQL project, with the arguments it was given.
#[test]
fn companion_for_mysql() {
    let config = migrate_gen::Config::new("migrations").dialect(Dialect::Mysql);
    tests::cli::companion(ARGS, |args| migrate_gen::run(config, args));
}

const CHILD: &str = "companion_for_mysql";

fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    tests::cli::run_companion(CHILD, ARGS, dir, url, args, &[])
}

fn stdout(out: &Output) -> String {
    tests::cli::companion_stdout(CHILD, out)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// Hand-written migrations (name, up, down) in a new directory.
fn directory(migrations: &[(&str, &str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, up, down) in migrations {
        write(&dir, name, up, down);
    }
    (tmp, dir)
}

fn write(dir: &Path, name: &str, up: &str, down: &str) {
    std::fs::write(dir.join(format!("{name}.up.sql")), up).unwrap();
    std::fs::write(dir.join(format!("{name}.down.sql")), down).unwrap();
}

async fn columns(pool: &MySqlPool, table: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT CAST(COLUMN_NAME AS CHAR) FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
    )
    .bind(table)
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn versions(pool: &MySqlPool) -> Vec<(i64, bool)> {
    sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
        .fetch_all(pool)
        .await
        .unwrap()
}

const CREATE: (&str, &str, &str) = (
    "20260101000001_create_notes",
    "CREATE TABLE notes (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200) NOT NULL);\n",
    "DROP TABLE notes;\n",
);

#[tokio::test]
async fn applied_reverted_and_shared_with_sqlx() {
    let (_tmp, dir) = directory(&[
        CREATE,
        (
            "20260101000002_add_tags",
            "ALTER TABLE notes ADD COLUMN tags LONGTEXT;\n",
            "ALTER TABLE notes DROP COLUMN tags;\n",
        ),
        (
            "20260101000003_index_titles",
            "-- a comment; with a semicolon\nCREATE INDEX ix_notes_title ON notes (title);\n",
            "DROP INDEX ix_notes_title ON notes;\n",
        ),
    ]);
    let db = TestDb::mysql().await;
    let pool = db.mysql_pool().await;
    let out = ok(run(&dir, &db.url, &["upgrade"]));
    assert!(
        out.ends_with("The database is at 20260101000003_index_titles (head).\n"),
        "{out}"
    );
    assert_eq!(columns(&pool, "notes").await, ["id", "title", "tags"]);
    assert_eq!(
        versions(&pool).await,
        [
            (20260101000001, true),
            (20260101000002, true),
            (20260101000003, true)
        ]
    );
    // sqlx's Migrator accepts what this runner applied (checksums and all)...
    let migrator = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
    migrator.run(&pool).await.expect("sqlx accepts the history");
    // ... and this runner accepts what sqlx applied.
    ok(run(&dir, &db.url, &["downgrade", "base"]));
    assert_eq!(versions(&pool).await, []);
    migrator.run(&pool).await.unwrap();
    let out = ok(run(&dir, &db.url, &["upgrade"]));
    assert!(out.starts_with("Nothing to do"), "{out}");
    assert_eq!(
        ok(run(&dir, &db.url, &["current"])),
        "20260101000003_index_titles (head)\n"
    );
}

#[tokio::test]
async fn a_migration_that_fails_half_way_resumes_once_fixed() {
    let broken = "ALTER TABLE notes ADD COLUMN a INT;\n\
                  ALTER TABLE notes ADD COLUMN b INTEGR;\n\
                  ALTER TABLE notes ADD COLUMN c INT;\n";
    let down = "ALTER TABLE notes DROP COLUMN c;\nALTER TABLE notes DROP COLUMN b;\nALTER TABLE notes DROP COLUMN a;\n";
    let name = "20260101000002_three_columns";
    let (_tmp, dir) = directory(&[CREATE, (name, broken, down)]);
    let db = TestDb::mysql().await;
    let pool = db.mysql_pool().await;

    // Statement 2 fails; statement 1 stays, as MySQL committed it.
    let out = run(&dir, &db.url, &["upgrade"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "migration {name} failed at statement 2: ALTER TABLE notes ADD COLUMN b INTEGR"
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(columns(&pool, "notes").await, ["id", "title", "a"]);

    // `current` says exactly what ran.
    assert_eq!(
        ok(run(&dir, &db.url, &["current"])),
        format!(
            "20260101000001_create_notes (1 pending)\n{name} stopped half-way: statements 1 to 1 \
             of its up ran; `upgrade` continues from the next statement (edit the file first if \
             that statement failed); `downgrade` reverts the statements that ran\n"
        )
    );
    let json = ok(run(&dir, &db.url, &["current", "--json"]));
    let event: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(event["partial"]["statements"], 1);
    assert_eq!(event["partial"]["hash"].as_str().unwrap().len(), 64);

    // sqlx sees a failed version and stops, as it should.
    let migrator = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
    let err = migrator.run(&pool).await.unwrap_err().to_string();
    assert!(err.contains("partially applied"), "{err}");

    // A statement that ran may not change: refused, naming it, nothing run.
    write(
        &dir,
        name,
        &broken.replace("COLUMN a INT", "COLUMN a BIGINT"),
        down,
    );
    let out = run(&dir, &db.url, &["upgrade"]);
    assert_eq!(out.status.code(), Some(9), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("statement 1, which ran before it stopped, was edited since: ALTER TABLE notes ADD COLUMN a BIGINT"),
        "{}",
        stderr(&out)
    );
    assert_eq!(columns(&pool, "notes").await, ["id", "title", "a"]);

    // The failed statement fixed: it resumes there.
    write(&dir, name, &broken.replace("INTEGR", "INTEGER"), down);
    let out = ok(run(&dir, &db.url, &["upgrade"]));
    assert!(
        out.contains(&format!(
            "Resuming {name} from statement 2 (it stopped half-way; statements 1 to 1 ran)"
        )),
        "{out}"
    );
    assert_eq!(
        columns(&pool, "notes").await,
        ["id", "title", "a", "b", "c"]
    );
    assert_eq!(
        versions(&pool).await,
        [(20260101000001, true), (20260101000002, true)]
    );
    // sqlx accepts the completed history (the fixed file's checksum is recorded).
    let migrator = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
    migrator.run(&pool).await.expect("sqlx accepts it now");
    let progress: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _migrate_gen_progress")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(progress, 0);
}

#[tokio::test]
async fn a_half_applied_migration_is_reverted_statement_for_statement() {
    // Numbered operations, as generated migrations have them; operation 3 fails.
    let up = "-- no-transaction\n-- 1. add column notes.a\nALTER TABLE notes ADD COLUMN a INT;\n\n\
              -- 2. create index ix_notes_title\nCREATE INDEX ix_notes_title ON notes (title);\n\n\
              -- 3. add column notes.b\nALTER TABLE notes ADD COLUMN b INTEGR;\n";
    let down = "-- no-transaction\n-- revert\n\n-- 1. drop column notes.b\nALTER TABLE notes DROP COLUMN b;\n\n\
                -- 2. drop index ix_notes_title\nDROP INDEX ix_notes_title ON notes;\n\n\
                -- 3. drop column notes.a\nALTER TABLE notes DROP COLUMN a;\n";
    let name = "20260101000002_two_steps";
    let (_tmp, dir) = directory(&[CREATE, (name, up, down)]);
    let db = TestDb::mysql().await;
    let pool = db.mysql_pool().await;
    let out = run(&dir, &db.url, &["upgrade"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert_eq!(columns(&pool, "notes").await, ["id", "title", "a"]);

    // The inverse of operations 2 and 1 only: `DROP COLUMN b` would fail.
    let out = ok(run(&dir, &db.url, &["downgrade"]));
    assert!(
        out.ends_with("The database is at 20260101000001_create_notes.\n"),
        "{out}"
    );
    assert_eq!(columns(&pool, "notes").await, ["id", "title"]);
    let indexes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         AND INDEX_NAME = 'ix_notes_title'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(indexes, 0);
    assert_eq!(versions(&pool).await, [(20260101000001, true)]);

    // Without numbered operations, which down statements revert what is unknown: refused.
    let plain = "ALTER TABLE notes ADD COLUMN a INT;\nALTER TABLE notes ADD COLUMN b INTEGR;\n";
    write(
        &dir,
        name,
        plain,
        "ALTER TABLE notes DROP COLUMN b;\nALTER TABLE notes DROP COLUMN a;\n",
    );
    assert_eq!(run(&dir, &db.url, &["upgrade"]).status.code(), Some(8));
    let out = run(&dir, &db.url, &["downgrade"]);
    assert_eq!(out.status.code(), Some(9), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("migration {name} stopped after statement 1 of its up, and its files do not say which down statements revert which up ones")),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn concurrent_upgrades_apply_each_migration_once() {
    let (_tmp, dir) = directory(&[
        CREATE,
        (
            "20260101000002_add_tags",
            "ALTER TABLE notes ADD COLUMN tags LONGTEXT;\n",
            "ALTER TABLE notes DROP COLUMN tags;\n",
        ),
    ]);
    let db = TestDb::mysql().await;
    let dir_text = dir.to_str().unwrap().to_owned();
    let children: Vec<_> = (0..4)
        .map(|_| {
            let (dir, url) = (dir_text.clone(), db.url.clone());
            std::thread::spawn(move || run(Path::new(&dir), &url, &["upgrade", "-q"]))
        })
        .collect();
    for child in children {
        let out = child.join().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let pool = db.mysql_pool().await;
    assert_eq!(versions(&pool).await.len(), 2);
    assert_eq!(columns(&pool, "notes").await, ["id", "title", "tags"]);
}

#[tokio::test]
async fn databases_are_created_and_dropped() {
    let (_tmp, dir) = directory(&[CREATE]);
    let name = format!("mg_create_{}", std::process::id());
    let url = tests::mysql_url();
    let url = model_core::runner::with_database(&url, &name);
    let out = run(&dir, &url, &["current"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(stderr(&out).contains("database create"), "{}", stderr(&out));
    ok(run(&dir, &url, &["database", "create"]));
    ok(run(&dir, &url, &["upgrade"]));
    ok(run(&dir, &url, &["database", "drop", "--yes"]));
    let out = run(&dir, &url, &["current"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
}

#[tokio::test]
async fn offline_sql_is_mysql_and_does_what_upgrade_does() {
    let (_tmp, dir) = directory(&[
        CREATE,
        (
            "20260101000002_add_tags",
            "ALTER TABLE notes ADD COLUMN tags LONGTEXT;\n",
            "ALTER TABLE notes DROP COLUMN tags;\n",
        ),
    ]);
    let db = TestDb::mysql().await;
    let sql = ok(run(&dir, "", &["upgrade", "--sql"]));
    assert!(sql.contains(", TRUE, X'"), "{sql}");
    let pool = db.mysql_pool().await;
    sqlx::raw_sql(&sql)
        .execute(&pool)
        .await
        .expect("the SQL runs");
    assert_eq!(versions(&pool).await.len(), 2);
    assert_eq!(columns(&pool, "notes").await, ["id", "title", "tags"]);
    // The runner accepts what the offline SQL recorded.
    let out = ok(run(&dir, &db.url, &["upgrade"]));
    assert!(out.starts_with("Nothing to do"), "{out}");
}
