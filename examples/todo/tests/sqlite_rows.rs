//! The same models on SQLite: sqlx's own `Migrator` applies the SQLite history to a file, the
//! models write and read their rows through `sqlx::FromRow` (UUIDs, timestamps, the priority
//! enum), the database enforces what the models declare, and the history reverts to nothing.

use std::path::Path;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use todo::{Priority, Task, User};

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");

#[tokio::test]
async fn the_models_write_and_read_their_rows_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(tmp.path().join("todo.db"))
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePool::connect_with(options).await.unwrap();
    let migrator = Migrator::new(Path::new(MIGRATIONS)).await.unwrap();
    migrator.run(&pool).await.expect("sqlx applies the history");

    let user = uuid::Uuid::parse_str("5b0c5a1e-0000-4000-8000-000000000001").unwrap();
    let task = uuid::Uuid::parse_str("5b0c5a1e-0000-4000-8000-0000000000a1").unwrap();
    let before = chrono::Utc::now() - chrono::Duration::seconds(2);
    sqlx::query("INSERT INTO users (id, email, timezone) VALUES (?, 'ada@example.com', 'UTC')")
        .bind(user)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO tasks (id, user_id, title, priority) VALUES (?, ?, 'write', ?)")
        .bind(task)
        .bind(user)
        .bind(Priority::High)
        .execute(&pool)
        .await
        .unwrap();

    // Read back through the models, defaults filled in by the database.
    let users: Vec<User> = sqlx::query_as("SELECT * FROM users")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id, user);
    assert!(
        users[0].created_at >= before && users[0].created_at <= chrono::Utc::now(),
        "CURRENT_TIMESTAMP reads back as the time of the insert: {}",
        users[0].created_at
    );
    let tasks: Vec<Task> = sqlx::query_as("SELECT * FROM tasks")
        .fetch_all(&pool)
        .await
        .unwrap();
    let t = &tasks[0];
    assert_eq!(
        (t.id, t.user_id, t.title.as_str(), t.priority, t.completed),
        (task, user, "write", Priority::High, false)
    );

    // The database holds what the models declare: the enum's values, the check, the key.
    for (sql, what) in [
        (
            "UPDATE tasks SET priority = 'SOMEDAY'",
            "ck_tasks_priority_enum",
        ),
        ("UPDATE tasks SET title = ''", "ck_tasks_title_not_blank"),
        (
            "INSERT INTO users (id, email, timezone) VALUES (x'01', 'ada@example.com', 'UTC')",
            "UNIQUE",
        ),
    ] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains(what), "{sql}: {err}");
    }
    // Deleting the user deletes their tasks (ON DELETE CASCADE).
    sqlx::query("DELETE FROM users")
        .execute(&pool)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);

    // And back to nothing.
    migrator
        .undo(&pool, 0)
        .await
        .expect("sqlx reverts the history");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' \
         AND name <> 'sqlite_sequence'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(tables, Vec::<String>::new());
}
