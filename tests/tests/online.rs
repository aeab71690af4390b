//! Online migrations on PostgreSQL: a change to tables that hold rows is generated in the forms
//! that let writes go on (indexes built CONCURRENTLY, constraints added NOT VALID and validated
//! on their own, NOT NULL through a validated check), applied on the real server while another
//! connection keeps writing, and read back exactly as the models say; a failed concurrent build
//! is rebuilt when the migration resumes; a lock held by a long transaction is waited for with
//! a bounded `lock_timeout` and retries.

#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, Request};
use model_core::migration::MigrationDir;
use model_core::runner::{
    load, Database, DownTarget, LockPolicy, MigrationScript, Runner, RunnerError, UpTarget,
};
use model_core::schema::Schema;
use model_core::Table;
use tests::scenario::{assert_introspects_to, schema};
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
        pub author_id: i64,
        #[column(max_length = 200)]
        pub title: Option<String>,
        #[column(max_length = 20)]
        pub isbn: String,
        #[column(index)]
        pub pages: i32,
    }
}

mod v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 100)]
        pub name: String,
    }

    /// A foreign key, an index, a unique and a check are added, an index dropped, and the
    /// title made NOT NULL (NULLs filled first).
    #[derive(Table)]
    #[table(name = "books", check(name = "ck_books_pages", expr = "pages > 0"))]
    pub struct Book {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Author, on_delete = "cascade", index)]
        pub author_id: i64,
        #[column(max_length = 200, backfill_sql = "'untitled'")]
        pub title: String,
        #[column(max_length = 20, unique)]
        pub isbn: String,
        pub pages: i32,
    }

    /// A new table: created as it is, with its index, in the same migration.
    #[derive(Table)]
    #[table(name = "reviews")]
    pub struct Review {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Book, index)]
        pub book_id: i64,
    }
}

fn schemas() -> (Schema, Schema) {
    (
        schema(vec![v1::Author::table_def(), v1::Book::table_def()], vec![]),
        schema(
            vec![
                v2::Author::table_def(),
                v2::Book::table_def(),
                v2::Review::table_def(),
            ],
            vec![],
        ),
    )
}

fn request(message: &str, second: u32, online: bool) -> Request {
    use chrono::TimeZone;
    Request {
        message: message.into(),
        allow_destructive: false,
        empty: false,
        now: chrono::Utc
            .with_ymd_and_hms(2026, 12, 1, 12, 0, second)
            .unwrap(),
        online,
    }
}

/// The two migrations (A from nothing, A to B) in `dir`, the second online or not; returns
/// the second's up and down.
fn generate(dir: &Path, online: bool) -> (String, String) {
    let (a, b) = schemas();
    let mut migrations = MigrationDir::open(dir, Dialect::Postgres).unwrap();
    let first = new_migrations(&migrations, &a, &request("create", 1, online)).unwrap();
    assert!(
        !first[0].up.starts_with("-- no-transaction"),
        "a migration that only creates tables needs nothing online:\n{}",
        first[0].up
    );
    migrations.write_all(first).unwrap();
    let second = new_migrations(&migrations, &b, &request("constraints", 2, online)).unwrap();
    assert_eq!(second.len(), 1);
    let files = (second[0].up.clone(), second[0].down.clone());
    migrations.write_all(second).unwrap();
    files
}

/// The migrations of `dir`.
fn load_scripts(dir: &Path) -> Vec<MigrationScript> {
    load(&MigrationDir::open(dir, Dialect::Postgres).unwrap()).unwrap()
}

/// A runner of `scripts` (from `dir`) on `db`, waiting for locks as `policy` says.
async fn runner_on<'m>(
    db: &TestDb,
    scripts: &'m [MigrationScript],
    dir: &Path,
    policy: LockPolicy,
) -> Runner<'m, Database> {
    let mut database = Database::connect(&db.url).await.unwrap();
    database.set_lock_policy(policy);
    Runner::new(database, scripts, dir.display().to_string())
}

/// A database at the first migration holding `rows` books (every tenth without a title).
async fn at_first(db: &TestDb, dir: &Path, rows: i64) -> sqlx::PgPool {
    let scripts = load_scripts(dir);
    let mut runner = runner_on(db, &scripts, dir, LockPolicy::default()).await;
    runner.upgrade(&UpTarget::Steps(1), |_| {}).await.unwrap();
    let pool = db.pg_pool().await;
    sqlx::raw_sql(&format!(
        "INSERT INTO authors SELECT a, 'author ' || a FROM generate_series(1, 100) a;
         INSERT INTO books SELECT b, 1 + b % 100, CASE WHEN b % 10 = 0 THEN NULL ELSE 'book ' || b END,
           'isbn-' || b, 1 + b % 500 FROM generate_series(1, {rows}) b;"
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool
}

/// No constraint left NOT VALID and no index left invalid.
async fn all_valid(pool: &sqlx::PgPool) {
    let not_valid: Vec<String> = sqlx::query_scalar(
        "SELECT conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE n.nspname = 'public' AND NOT c.convalidated",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(
        not_valid.is_empty(),
        "constraints not validated: {not_valid:?}"
    );
    let invalid: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT i.indisvalid",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(invalid.is_empty(), "invalid indexes: {invalid:?}");
}

#[test]
fn the_online_forms_are_generated_for_existing_tables_only() {
    let tmp = tempfile::tempdir().unwrap();
    let (up, down) = generate(&tmp.path().join("migrations"), true);
    insta::assert_snapshot!("online_up", up);
    insta::assert_snapshot!("online_down", down);
    // The same change with --blocking: today's plain DDL, in one transaction.
    let tmp = tempfile::tempdir().unwrap();
    let (up, _) = generate(&tmp.path().join("migrations"), false);
    assert!(!up.starts_with("-- no-transaction"), "{up}");
    assert!(
        !up.contains("CONCURRENTLY") && !up.contains("NOT VALID"),
        "{up}"
    );
}

#[tokio::test]
async fn an_online_migration_applies_and_reverts_while_writes_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    generate(&dir, true);
    let db = TestDb::postgres().await;
    let pool = at_first(&db, &dir, 20_000).await;

    // A writer inserts and updates books for as long as the migration runs.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (pool, stop) = (pool.clone(), stop.clone());
        tokio::spawn(async move {
            let mut id = 1_000_000i64;
            let mut slowest = Duration::ZERO;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                id += 1;
                let start = Instant::now();
                sqlx::query(
                    "INSERT INTO books (id, author_id, title, isbn, pages) VALUES ($1, 1, 'new', 'isbn-' || $1, 10)",
                )
                .bind(id)
                .execute(&pool)
                .await
                .expect("writes go on");
                sqlx::query("UPDATE books SET pages = pages + 1 WHERE id = $1")
                    .bind(id % 20_000 + 1)
                    .execute(&pool)
                    .await
                    .expect("updates go on");
                slowest = slowest.max(start.elapsed());
            }
            (id - 1_000_000, slowest)
        })
    };

    let scripts = load_scripts(&dir);
    let mut runner = runner_on(&db, &scripts, &dir, LockPolicy::default()).await;
    runner.upgrade(&UpTarget::Head, |_| {}).await.unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (writes, _slowest) = writer.await.unwrap();
    assert!(
        writes > 0,
        "the writer wrote nothing while the migration ran"
    );

    let (a, b) = schemas();
    assert_introspects_to(&pool, &b, "after the online migration").await;
    all_valid(&pool).await;
    let untitled: i64 = sqlx::query_scalar("SELECT count(*) FROM books WHERE title = 'untitled'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(untitled, 2_000, "NULL titles are filled");
    let progress: i64 = sqlx::query_scalar("SELECT count(*) FROM _migrate_gen_progress")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(progress, 0, "a finished migration leaves no progress row");
    // sqlx agrees that both are applied.
    sqlx::migrate::Migrator::new(dir.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .expect("sqlx accepts the history");

    runner
        .downgrade(&DownTarget::Steps(1), |_| {})
        .await
        .unwrap();
    assert_introspects_to(&pool, &a, "after reverting").await;
    all_valid(&pool).await;
}

#[tokio::test]
async fn a_failed_concurrent_build_is_rebuilt_when_the_migration_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let (up, _) = generate(&dir, true);
    let db = TestDb::postgres().await;
    let pool = at_first(&db, &dir, 1_000).await;
    // Two books share an ISBN: the unique index cannot be built.
    sqlx::query("UPDATE books SET isbn = 'isbn-1' WHERE id = 2")
        .execute(&pool)
        .await
        .unwrap();
    let scripts = load_scripts(&dir);
    let mut runner = runner_on(&db, &scripts, &dir, LockPolicy::default()).await;
    let err = runner
        .upgrade(&UpTarget::Head, |_| {})
        .await
        .expect_err("the duplicate stops it");
    let RunnerError::Statement {
        index, statement, ..
    } = &err
    else {
        panic!("{err}");
    };
    assert!(
        statement.starts_with("CREATE UNIQUE INDEX CONCURRENTLY uq_books_isbn"),
        "{err}"
    );
    // PostgreSQL leaves the index behind, invalid; the runner drops it (writes would keep it
    // up to date, and a unique one would reject duplicates, until the next run).
    let left: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_class WHERE relname = 'uq_books_isbn'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(left, 0);
    // A build interrupted another way (a killed process, a build by hand) leaves one too.
    sqlx::query("CREATE UNIQUE INDEX CONCURRENTLY uq_books_isbn ON books (isbn)")
        .execute(&pool)
        .await
        .expect_err("the duplicate is still there");
    let invalid: bool = sqlx::query_scalar(
        "SELECT NOT indisvalid FROM pg_index WHERE indexrelid = 'uq_books_isbn'::regclass",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(invalid);
    let status = runner.status().await.unwrap();
    let (_, progress) = status.partial.expect("stopped half-way");
    assert_eq!(progress.statements, index - 1);
    assert!(
        up.contains("CREATE UNIQUE INDEX CONCURRENTLY uq_books_isbn"),
        "{up}"
    );

    // Fix the row; the next upgrade drops the invalid index, builds it again and goes on.
    sqlx::query("UPDATE books SET isbn = 'isbn-2' WHERE id = 2")
        .execute(&pool)
        .await
        .unwrap();
    let mut resumed = None;
    runner
        .upgrade(&UpTarget::Head, |event| {
            if let model_core::runner::Event::Resume(_, _, ran) = event {
                resumed = Some(ran);
            }
        })
        .await
        .unwrap();
    assert_eq!(resumed, Some(index - 1));
    let (_, b) = schemas();
    assert_introspects_to(&pool, &b, "after resuming").await;
    all_valid(&pool).await;
}

#[tokio::test]
async fn a_half_applied_online_migration_is_reverted_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    generate(&dir, true);
    let db = TestDb::postgres().await;
    let pool = at_first(&db, &dir, 1_000).await;
    // A book without an author: the foreign key is added NOT VALID, then its validation fails.
    sqlx::query("UPDATE books SET author_id = 999 WHERE id = 5")
        .execute(&pool)
        .await
        .unwrap();
    let scripts = load_scripts(&dir);
    let mut runner = runner_on(&db, &scripts, &dir, LockPolicy::default()).await;
    let err = runner
        .upgrade(&UpTarget::Head, |_| {})
        .await
        .expect_err("the orphan stops it");
    assert!(
        err.to_string()
            .contains("VALIDATE CONSTRAINT fk_books_author_id_authors"),
        "{err}"
    );
    runner
        .downgrade(&DownTarget::Steps(1), |_| {})
        .await
        .unwrap();
    let (a, _) = schemas();
    assert_introspects_to(&pool, &a, "after reverting what ran").await;
    all_valid(&pool).await;
    let status = runner.status().await.unwrap();
    assert!(status.partial.is_none());
    assert_eq!(status.current, Some(0));
}

#[tokio::test]
async fn a_lock_held_by_a_long_transaction_is_waited_for_in_bounded_attempts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let (up, _) = generate(&dir, true);
    let db = TestDb::postgres().await;
    let pool = at_first(&db, &dir, 100).await;
    let scripts = load_scripts(&dir);
    let policy = LockPolicy {
        lock_timeout: Some(Duration::from_millis(200)),
        retries: 2,
        online_timeout: Some(Duration::from_secs(30)),
        ..LockPolicy::default()
    };

    // A transaction that wrote to authors stays open: adding the foreign key to authors
    // (operation 13) needs a lock that conflicts with its writes. The migration gives up after
    // its retries, each attempt having queued the application's writes for at most 200 ms.
    let fk = "-- 13. add foreign key fk_books_author_id_authors on books (NOT VALID)";
    assert!(up.contains(fk), "{up}");
    let mut holder = pool.acquire().await.unwrap();
    sqlx::raw_sql("BEGIN; UPDATE authors SET name = name WHERE id = 1")
        .execute(&mut *holder)
        .await
        .unwrap();
    let mut runner = runner_on(&db, &scripts, &dir, policy).await;
    let start = Instant::now();
    let err = runner
        .upgrade(&UpTarget::Head, |_| {})
        .await
        .expect_err("the lock is never granted");
    let took = start.elapsed();
    assert!(
        err.to_string().contains("lock timeout")
            && err.to_string().contains("fk_books_author_id_authors"),
        "the error says what and why: {err}"
    );
    // Three attempts of 200 ms, with pauses of at least 0.5 s and 1 s between them.
    assert!(
        took >= Duration::from_millis(2_100) && took < Duration::from_secs(20),
        "{took:?}"
    );
    let (_, progress) = runner
        .status()
        .await
        .unwrap()
        .partial
        .expect("stopped half-way");
    // Operations 1 to 12 ran: 13 statements (creating reviews is two).
    assert_eq!(progress.statements, 13, "stopped at operation 13");

    // Released while the runner waits between attempts: it resumes, waits, and finishes.
    let mut runner = runner_on(
        &db,
        &scripts,
        &dir,
        LockPolicy {
            retries: 10,
            ..policy
        },
    )
    .await;
    let release = async move {
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        sqlx::raw_sql("COMMIT").execute(&mut *holder).await.unwrap();
    };
    let (upgraded, ()) = tokio::join!(runner.upgrade(&UpTarget::Head, |_| {}), release);
    upgraded.unwrap();
    let (_, b) = schemas();
    assert_introspects_to(&pool, &b, "after the lock was released").await;
    all_valid(&pool).await;
}
