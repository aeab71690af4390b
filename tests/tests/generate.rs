//! Generation into a migration directory, applied on the real PostgreSQL in order, each
//! migration in its own transaction as a runner applies them.

#![allow(dead_code)]

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, Request};
use model_core::migration::MigrationDir;
use model_core::{DbEnum, Table};
use tests::scenario::{apply, catalog, schema};
use tests::TestDb;

mod v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status", rename_all = "lowercase")]
    pub enum Status {
        Open,
        Done,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Open)]
        pub status: Status,
    }
}

mod v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status", rename_all = "lowercase")]
    pub enum Status {
        Draft,
        Open,
        Done,
    }

    /// The new value is used at once: as the default, and by a new column's backfill.
    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Draft)]
        pub status: Status,
        #[column(backfill_sql = "'draft'")]
        pub initial: Status,
    }
}

fn request(message: &str, seconds: u32) -> Request {
    use chrono::TimeZone;
    Request {
        online: false,
        message: message.into(),
        allow_destructive: false,
        empty: false,
        now: chrono::Utc
            .with_ymd_and_hms(2026, 11, 24, 12, 0, seconds)
            .unwrap(),
    }
}

#[tokio::test]
async fn an_enum_value_added_and_used_is_split_into_two_migrations_that_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let mut dir = MigrationDir::open(tmp.path(), Dialect::Postgres).unwrap();

    let first = schema(vec![v1::Job::table_def()], vec![v1::Status::enum_def()]);
    for m in new_migrations(&dir, &first, &request("create jobs", 0)).unwrap() {
        dir.write(m).unwrap();
    }
    let second = schema(vec![v2::Job::table_def()], vec![v2::Status::enum_def()]);
    // Generated in the same second as the first: versions still increase.
    let migrations = new_migrations(&dir, &second, &request("draft status", 0)).unwrap();
    assert_eq!(migrations.len(), 2, "split in two");
    assert_eq!(migrations[0].slug, "draft_status_enum_values");
    assert!(migrations[0]
        .up
        .contains("ALTER TYPE status ADD VALUE 'draft' BEFORE 'open';"));
    assert!(!migrations[0].up.contains("ALTER TABLE"));
    assert!(migrations[1].up.contains("SET DEFAULT 'draft'"));
    assert_eq!(migrations[0].version, "20261124120001");
    assert_eq!(migrations[1].version, "20261124120002");
    assert_eq!(
        migrations[1].snapshot.parent.as_deref(),
        Some("20261124120001")
    );
    insta::assert_snapshot!(format!(
        "{}\n{}\n{}\n{}",
        migrations[0].up, migrations[0].down, migrations[1].up, migrations[1].down
    ));
    for m in migrations {
        dir.write(m).unwrap();
    }
    assert!(new_migrations(&dir, &second, &request("again", 5))
        .unwrap()
        .is_empty());

    // Apply every up, one transaction each, on a table holding rows; then every down.
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    let all = dir.migrations().to_vec();
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    apply(&pool, &read(&all[0].up)).await.unwrap();
    let empty_catalog = {
        let fresh = TestDb::postgres().await;
        let fresh_pool = fresh.pg_pool().await;
        apply(&fresh_pool, &read(&all[0].up)).await.unwrap();
        catalog(&fresh_pool).await
    };
    sqlx::query("INSERT INTO jobs (id) VALUES (1), (2)")
        .execute(&pool)
        .await
        .unwrap();
    for m in &all[1..] {
        apply(&pool, &read(&m.up))
            .await
            .unwrap_or_else(|e| panic!("{} failed: {e}", m.version));
    }
    let initial: Vec<String> = sqlx::query_scalar("SELECT initial::text FROM jobs ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(initial, ["draft", "draft"]);
    for m in all[1..].iter().rev() {
        apply(&pool, &read(&m.down))
            .await
            .unwrap_or_else(|e| panic!("down {} failed: {e}", m.version));
    }
    assert_eq!(catalog(&pool).await, empty_catalog);
}
