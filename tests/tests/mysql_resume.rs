//! A generated MySQL migration that stops half-way on the real MariaDB (its second statement
//! meets rows it cannot convert), then finishes after the rows are fixed, or is reverted
//! statement for statement: the database ends exactly as the models say, read back by
//! introspection.

#![allow(dead_code)]

use std::path::Path;

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, Request};
use model_core::migration::MigrationDir;
use model_core::runner::{load, Database, DownTarget, Runner, RunnerError, UpTarget};
use model_core::schema::Schema;
use model_core::Table;
use tests::scenario::{assert_mysql_introspects_to, schema};
use tests::TestDb;

mod v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 100)]
        pub name: String,
    }

    #[derive(Table)]
    #[table(name = "books")]
    pub struct Book {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 200)]
        pub title: Option<String>,
    }
}

mod v2 {
    use super::*;

    /// Gains a column (operation 1) and an index (operation 3).
    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 100, index)]
        pub name: String,
        pub born: Option<i32>,
    }

    /// The title becomes NOT NULL (operation 2): rows without one stop the migration there.
    #[derive(Table)]
    #[table(name = "books")]
    pub struct Book {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 200)]
        pub title: String,
    }
}

fn schemas() -> (Schema, Schema) {
    (
        schema(vec![v1::Author::table_def(), v1::Book::table_def()], vec![]),
        schema(vec![v2::Author::table_def(), v2::Book::table_def()], vec![]),
    )
}

fn request(message: &str, second: u32) -> Request {
    use chrono::TimeZone;
    Request {
        online: false,
        message: message.into(),
        allow_destructive: false,
        empty: false,
        now: chrono::Utc
            .with_ymd_and_hms(2026, 12, 1, 12, 0, second)
            .unwrap(),
    }
}

/// The two generated migrations (A from nothing, A to B) in `dir`; returns the second's up.
fn generate(dir: &Path) -> String {
    let (a, b) = schemas();
    let mut migrations = MigrationDir::open(dir, Dialect::Mysql).unwrap();
    let first = new_migrations(&migrations, &a, &request("create", 1)).unwrap();
    migrations.write_all(first).unwrap();
    let second = new_migrations(&migrations, &b, &request("titles required", 2)).unwrap();
    assert_eq!(second.len(), 1);
    let up = second[0].up.clone();
    migrations.write_all(second).unwrap();
    up
}

/// A database at the first migration, with a book that has no title, and the second
/// migration stopped at its second statement.
async fn stopped_half_way(
    dir: &Path,
    db: &TestDb,
    scripts: &[model_core::runner::MigrationScript],
) -> sqlx::MySqlPool {
    let pool = db.mysql_pool().await;
    let mut runner = Runner::new(
        Database::connect(&db.url).await.unwrap(),
        scripts,
        dir.display().to_string(),
    );
    runner.upgrade(&UpTarget::Steps(1), |_| {}).await.unwrap();
    sqlx::raw_sql("INSERT INTO authors (id, name) VALUES (1, 'ann'); INSERT INTO books (id, title) VALUES (1, 'one'), (2, NULL)")
        .execute(&pool)
        .await
        .unwrap();
    let err = runner
        .upgrade(&UpTarget::Head, |_| {})
        .await
        .expect_err("the NULL title stops it");
    assert!(
        matches!(err, RunnerError::Statement { index: 2, .. }),
        "{err}"
    );
    let status = runner.status().await.unwrap();
    let (index, progress) = status.partial.expect("a migration stopped half-way");
    assert_eq!(index, 1);
    assert_eq!(progress.statements, 1);
    pool
}

#[tokio::test]
async fn it_finishes_once_the_rows_are_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let up = generate(&dir);
    assert!(up.starts_with("-- no-transaction\n"), "{up}");
    let scripts = load(&MigrationDir::open(&dir, Dialect::Mysql).unwrap()).unwrap();
    let db = TestDb::mysql().await;
    let pool = stopped_half_way(&dir, &db, &scripts).await;
    // Operation 1 ran: the column is there.
    let (_, b) = schemas();
    let born: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME = 'authors' AND COLUMN_NAME = 'born'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(born, 1);

    // Fix the rows, not the file: it continues at statement 2.
    sqlx::query("UPDATE books SET title = 'untitled' WHERE title IS NULL")
        .execute(&pool)
        .await
        .unwrap();
    let mut runner = Runner::new(
        Database::connect(&db.url).await.unwrap(),
        &scripts,
        dir.display().to_string(),
    );
    let mut resumed = None;
    runner
        .upgrade(&UpTarget::Head, |event| {
            if let model_core::runner::Event::Resume(_, _, ran) = event {
                resumed = Some(ran);
            }
        })
        .await
        .unwrap();
    assert_eq!(resumed, Some(1));
    assert_mysql_introspects_to(&pool, &b, "after finishing").await;
    let titles: Vec<String> = sqlx::query_scalar("SELECT title FROM books ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(titles, ["one", "untitled"]);
    // sqlx agrees that both are applied.
    sqlx::migrate::Migrator::new(dir.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .expect("sqlx accepts the history");
}

#[tokio::test]
async fn it_is_reverted_statement_for_statement() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    generate(&dir);
    let scripts = load(&MigrationDir::open(&dir, Dialect::Mysql).unwrap()).unwrap();
    let db = TestDb::mysql().await;
    let pool = stopped_half_way(&dir, &db, &scripts).await;
    let mut runner = Runner::new(
        Database::connect(&db.url).await.unwrap(),
        &scripts,
        dir.display().to_string(),
    );
    runner
        .downgrade(&DownTarget::Steps(1), |_| {})
        .await
        .unwrap();
    // Exactly the first migration's schema, rows included.
    let (a, _) = schemas();
    assert_mysql_introspects_to(&pool, &a, "after reverting what ran").await;
    let books: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM books")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(books, 2);
    let status = runner.status().await.unwrap();
    assert!(status.partial.is_none());
    assert_eq!(status.current, Some(0));
}
