//! The reference models read and write their own rows through sqlx on the real PostgreSQL,
//! against tables created with hand-written DDL (independent of any SQL the tool renders).

use chrono::{TimeZone, Utc};
use sqlx::Executor;
use tests::TestDb;
use todo::{Priority, Task, User};

const DDL: &str = r#"
CREATE TYPE priority AS ENUM ('URGENT', 'HIGH', 'MEDIUM', 'LOW', 'NONE');
CREATE TABLE users (
    id UUID PRIMARY KEY,
    email VARCHAR(320) NOT NULL UNIQUE,
    display_name TEXT,
    timezone VARCHAR(64) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE tasks (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title VARCHAR(200) NOT NULL CHECK (length(title) > 0),
    description TEXT,
    completed BOOLEAN NOT NULL DEFAULT FALSE,
    priority priority NOT NULL DEFAULT 'NONE',
    due_date TIMESTAMPTZ,
    is_recurring BOOLEAN NOT NULL DEFAULT FALSE,
    recurrence_rule TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
"#;

#[tokio::test]
async fn task_round_trips_through_sqlx_on_postgres() {
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    pool.execute(DDL).await.expect("hand-written DDL applies");

    let user = User {
        id: uuid::Uuid::new_v4(),
        email: "ada@example.com".into(),
        display_name: None,
        timezone: "Europe/Paris".into(),
        created_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
    };
    sqlx::query(
        "INSERT INTO users (id, email, display_name, timezone, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
        .bind(user.id)
        .bind(&user.email)
        .bind(&user.display_name)
        .bind(&user.timezone)
        .bind(user.created_at)
        .execute(&pool)
        .await
        .unwrap();

    let due = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 0).unwrap();
    let tasks = [
        Task {
            id: uuid::Uuid::new_v4(),
            user_id: user.id,
            title: "write the report".into(),
            description: Some("it's due \"soon\"".into()),
            completed: false,
            priority: Priority::High,
            due_date: Some(due),
            is_recurring: true,
            recurrence_rule: Some("FREQ=WEEKLY".into()),
            created_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
        },
        Task {
            id: uuid::Uuid::new_v4(),
            user_id: user.id,
            title: "nothing to add".into(),
            description: None,
            completed: true,
            priority: Priority::None,
            due_date: None,
            is_recurring: false,
            recurrence_rule: None,
            created_at: Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap(),
        },
    ];
    for task in &tasks {
        sqlx::query(
            "INSERT INTO tasks (id, user_id, title, description, completed, priority, due_date, \
             is_recurring, recurrence_rule, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(task.id)
        .bind(task.user_id)
        .bind(&task.title)
        .bind(&task.description)
        .bind(task.completed)
        .bind(task.priority)
        .bind(task.due_date)
        .bind(task.is_recurring)
        .bind(&task.recurrence_rule)
        .bind(task.created_at)
        .execute(&pool)
        .await
        .unwrap();
    }

    let read: Vec<Task> = sqlx::query_as("SELECT * FROM tasks ORDER BY created_at")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(read, tasks);

    let read_user: User = sqlx::query_as("SELECT * FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(read_user, user);

    // The enum is the native PostgreSQL type, usable in a typed filter.
    let high: Vec<Task> = sqlx::query_as("SELECT * FROM tasks WHERE priority = $1")
        .bind(Priority::High)
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(high, tasks[..1]);

    // A value outside the Rust enum is a decode error, not a panic.
    pool.execute("ALTER TYPE priority ADD VALUE 'SOMEDAY'")
        .await
        .unwrap();
    sqlx::query("UPDATE tasks SET priority = 'SOMEDAY' WHERE id = $1")
        .bind(tasks[0].id)
        .execute(&pool)
        .await
        .unwrap();
    let err = sqlx::query_as::<_, Task>("SELECT * FROM tasks WHERE id = $1")
        .bind(tasks[0].id)
        .fetch_one(&pool)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid value \"SOMEDAY\" for enum `priority`"),
        "{err}"
    );
}
