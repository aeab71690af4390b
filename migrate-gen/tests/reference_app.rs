//! The reference app's committed history: it matches the models, replays up and down on the
//! real PostgreSQL, and its data migration does what it says.

use std::path::{Path, PathBuf};
use std::process::Output;

use tests::cli::{self, ok};
use tests::TestDb;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/todo/migrations")
}

fn migrate_gen(url: &str, args: &[&str]) -> Output {
    cli::run(env!("CARGO_BIN_EXE_migrate-gen"), &dir(), url, args)
}

#[test]
fn the_history_matches_the_models() {
    assert_eq!(ok(migrate_gen("", &["check"])), "");
    let out = ok(migrate_gen("", &["generate", "--dry-run", "anything"]));
    assert!(out.starts_with("No changes: the models match "), "{out}");
    let history = ok(migrate_gen("", &["history"]));
    assert_eq!(history.lines().count(), 10, "{history}");
}

#[tokio::test]
async fn the_history_verifies_on_postgres() {
    let db = TestDb::postgres().await;
    let out = ok(migrate_gen(&db.url, &["verify"]));
    assert!(
        out.ends_with("Verified 10 migrations: every step up and down matches its snapshot.\n"),
        "{out}"
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
