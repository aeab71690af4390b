//! Migrations tested with data: a task written when `tasks` was created survives every later
//! migration, up and down, and reads back through the model's own `sqlx::FromRow` at head.
//!
//! Each test runs on a scratch database made on the PostgreSQL server of `TEST_POSTGRES_URL`
//! (default: the local server) and dropped at the end.

use model_core::testing::ScratchDatabase;
use todo::{Priority, Task};

fn server() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");
const USER: &str = "5b0c5a1e-0000-4000-8000-000000000001";
const OPEN_TASK: &str = "5b0c5a1e-0000-4000-8000-0000000000a1";
const DONE_TASK: &str = "5b0c5a1e-0000-4000-8000-0000000000a2";

async fn titles(db: &ScratchDatabase) -> Vec<String> {
    sqlx::query_scalar("SELECT title FROM tasks ORDER BY title")
        .fetch_all(db.pool())
        .await
        .expect("read the tasks")
}

#[tokio::test]
async fn a_task_survives_every_later_migration_up_and_down() {
    let mut db = ScratchDatabase::new(&server(), MIGRATIONS)
        .await
        .expect("a scratch database");
    let migrations = db.migrations();
    let first = &migrations[0];
    assert!(first.ends_with("_create_users_and_tasks"), "{first}");

    db.migrate_to(first).await.unwrap();
    sqlx::query("INSERT INTO users (id, email) VALUES ($1::uuid, 'ada@example.com')")
        .bind(USER)
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO tasks (id, user_id, title, completed) VALUES \
         ($1::uuid, $3::uuid, 'write the report', FALSE), \
         ($2::uuid, $3::uuid, 'book the room', TRUE)",
    )
    .bind(OPEN_TASK)
    .bind(DONE_TASK)
    .bind(USER)
    .execute(db.pool())
    .await
    .unwrap();
    let expected = titles(&db).await;

    // Up, one migration at a time.
    for name in &migrations[1..] {
        db.migrate_to(name).await.unwrap();
        assert_eq!(titles(&db).await, expected, "after {name}");
    }
    assert_eq!(db.current().await.unwrap().as_ref(), migrations.last());

    // At head the rows read back through the model itself; the data migration gave the tasks
    // that predate priorities MEDIUM (open) and LOW (done).
    let tasks: Vec<Task> = sqlx::query_as("SELECT * FROM tasks ORDER BY title")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let summary: Vec<(&str, Priority, bool)> = tasks
        .iter()
        .map(|t| (t.title.as_str(), t.priority, t.completed))
        .collect();
    assert_eq!(
        summary,
        [
            ("book the room", Priority::Low, true),
            ("write the report", Priority::Medium, false),
        ]
    );

    // Down, one migration at a time, back to the first.
    for name in migrations[..migrations.len() - 1].iter().rev() {
        db.migrate_to(name).await.unwrap();
        assert_eq!(titles(&db).await, expected, "back at {name}");
    }
    assert_eq!(db.current().await.unwrap().as_ref(), Some(first));
    db.migrate_to("base").await.unwrap();
    assert_eq!(db.current().await.unwrap(), None);
    db.close().await.unwrap();
}

#[tokio::test]
async fn a_scratch_database_is_dropped_and_never_touches_the_named_one() {
    // A database of the user's, named in the URL: it must come out as it went in.
    let server_pool = sqlx::PgPool::connect(&server()).await.unwrap();
    let named = format!("todo_named_{}", std::process::id());
    sqlx::query(&format!("CREATE DATABASE {named}"))
        .execute(&server_pool)
        .await
        .unwrap();
    let named_url = format!("{}/{named}", server().rsplit_once('/').unwrap().0);
    let named_pool = sqlx::PgPool::connect(&named_url).await.unwrap();
    sqlx::raw_sql("CREATE TABLE keep (x INTEGER); INSERT INTO keep VALUES (1)")
        .execute(&named_pool)
        .await
        .unwrap();

    let mut db = ScratchDatabase::new(&named_url, MIGRATIONS).await.unwrap();
    db.migrate_to("head").await.unwrap();
    let scratch = db.url().rsplit('/').next().unwrap().to_owned();
    assert!(scratch.starts_with("scratch_"), "{}", db.url());
    let exists = |name: String| {
        let pool = server_pool.clone();
        async move {
            sqlx::query_scalar::<_, bool>(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
            )
            .bind(name)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert!(exists(scratch.clone()).await);
    drop(db);
    assert!(!exists(scratch).await, "dropped with the value");

    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    .fetch_all(&named_pool)
    .await
    .unwrap();
    assert_eq!(tables, ["keep"]);
    named_pool.close().await;
    sqlx::query(&format!("DROP DATABASE {named} WITH (FORCE)"))
        .execute(&server_pool)
        .await
        .unwrap();
}
