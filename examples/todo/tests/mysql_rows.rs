//! The same models on MariaDB (or MySQL): sqlx's own `Migrator` applies the MySQL history to a
//! fresh database on the server of `TEST_MYSQL_URL` (default: the local one), the models write
//! and read their rows through `sqlx::FromRow` (UUIDs as `BINARY(16)`, timestamps, the
//! priority enum as an inline `ENUM`), the database enforces what the models declare, and the
//! history reverts to nothing.

use std::path::Path;

use sqlx::migrate::Migrator;
use sqlx::{Connection, Executor, MySqlPool};
use todo::{Priority, Task, User};

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/mysql");

fn server() -> String {
    std::env::var("TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}

#[tokio::test]
async fn the_models_write_and_read_their_rows_on_mysql() {
    let name = format!("todo_rows_{}", std::process::id());
    let mut admin = sqlx::MySqlConnection::connect(&server())
        .await
        .expect("MariaDB/MySQL server");
    admin
        .execute(format!("CREATE DATABASE `{name}`").as_str())
        .await
        .unwrap();
    let url = model_core::runner::with_database(&server(), &name);
    let pool = MySqlPool::connect(&url).await.unwrap();
    let result = exercise(&pool).await;
    pool.close().await;
    admin
        .execute(format!("DROP DATABASE `{name}`").as_str())
        .await
        .unwrap();
    result.unwrap();
}

async fn exercise(pool: &MySqlPool) -> Result<(), String> {
    let migrator = Migrator::new(Path::new(MIGRATIONS))
        .await
        .map_err(|e| e.to_string())?;
    migrator
        .run(pool)
        .await
        .map_err(|e| format!("sqlx applies the history: {e}"))?;

    let user = uuid::Uuid::parse_str("5b0c5a1e-0000-4000-8000-000000000001").unwrap();
    let task = uuid::Uuid::parse_str("5b0c5a1e-0000-4000-8000-0000000000a1").unwrap();
    let before = chrono::Utc::now() - chrono::Duration::seconds(2);
    sqlx::query("INSERT INTO users (id, email, timezone) VALUES (?, 'ada@example.com', 'UTC')")
        .bind(user)
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query("INSERT INTO tasks (id, user_id, title, priority) VALUES (?, ?, 'write', ?)")
        .bind(task)
        .bind(user)
        .bind(Priority::High)
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;

    // Read back through the models, defaults filled in by the database.
    let users: Vec<User> = sqlx::query_as("SELECT * FROM users")
        .fetch_all(pool)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id, user);
    assert!(
        users[0].created_at >= before && users[0].created_at <= chrono::Utc::now(),
        "CURRENT_TIMESTAMP(6) reads back as the time of the insert: {}",
        users[0].created_at
    );
    let tasks: Vec<Task> = sqlx::query_as("SELECT * FROM tasks")
        .fetch_all(pool)
        .await
        .map_err(|e| e.to_string())?;
    let t = &tasks[0];
    assert_eq!(
        (t.id, t.user_id, t.title.as_str(), t.priority, t.completed),
        (task, user, "write", Priority::High, false)
    );

    // The database holds what the models declare: the enum's values, the check, the key.
    for (sql, what) in [
        ("UPDATE tasks SET priority = 'SOMEDAY'", "priority"),
        ("UPDATE tasks SET title = ''", "ck_tasks_title_not_blank"),
        (
            "INSERT INTO users (id, email, timezone) VALUES (x'01', 'ada@example.com', 'UTC')",
            "uq_users_email",
        ),
    ] {
        let err = sqlx::query(sql).execute(pool).await.unwrap_err();
        assert!(err.to_string().contains(what), "{sql}: {err}");
    }
    // Deleting the user deletes their tasks (ON DELETE CASCADE).
    sqlx::query("DELETE FROM users")
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(left, 0);

    // And back to nothing.
    migrator
        .undo(pool, 0)
        .await
        .map_err(|e| format!("sqlx reverts the history: {e}"))?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    assert_eq!(tables, Vec::<String>::new());
    Ok(())
}
