//! `--schema`: one PostgreSQL database, a schema per tenant. Each schema has its own tables,
//! version table and lock; commands that only read never create a schema.

use std::path::Path;
use std::process::Output;

use tests::{cli, TestDb};

const BIN: &str = env!("CARGO_BIN_EXE_migrate-gen");

fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(BIN, dir, url, args)
}

async fn scalar(url: &str, sql: &str) -> i64 {
    let db = sqlx::PgPool::connect(url).await.unwrap();
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&db).await.unwrap();
    db.close().await;
    n
}

#[tokio::test]
async fn tenants_in_schemas_of_one_database() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = cli::reference_postgres_history(tmp.path());
    let db = TestDb::postgres().await;

    // Reading a schema that is not there is an error, and creates nothing.
    let out = run(&dir, &db.url, &["current", "--schema", "tenant_a"]);
    assert_eq!(out.status.code(), Some(7), "{}", cli::stderr(&out));
    assert!(
        cli::stderr(&out).contains("schema tenant_a does not exist"),
        "{}",
        cli::stderr(&out)
    );
    let schemas = "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'";
    assert_eq!(scalar(&db.url, schemas).await, 0);

    // The database's own schema is migrated too; a tenant schema never reads its version
    // table, nor falls through to its tables.
    cli::ok(run(&dir, &db.url, &["upgrade"]));
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    sqlx::query("CREATE SCHEMA tenant_x")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let out = cli::ok(run(&dir, &db.url, &["current", "--schema", "tenant_x"]));
    assert!(out.starts_with("base"), "{out}");
    let out = run(
        &dir,
        &db.url,
        &["downgrade", "base", "--schema", "tenant_x"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", cli::stderr(&out));
    let out = cli::ok(run(&dir, &db.url, &["current"]));
    assert!(out.contains("(head)"), "public still at head: {out}");

    // Two tenants, each upgraded in its own schema.
    for tenant in ["tenant_a", "tenant_b"] {
        let out = cli::ok(run(&dir, &db.url, &["upgrade", "--schema", tenant]));
        assert!(out.contains("(head)"), "{out}");
    }
    let tables = |schema: &str| {
        format!(
            "SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tablename IN ('users', 'tasks', '_sqlx_migrations')"
        )
    };
    assert_eq!(scalar(&db.url, &tables("tenant_a")).await, 3);
    assert_eq!(scalar(&db.url, &tables("tenant_b")).await, 3);
    assert_eq!(scalar(&db.url, &tables("public")).await, 3, "public kept");

    // Each reads as its own.
    let out = cli::ok(run(&dir, &db.url, &["drift", "--schema", "tenant_a"]));
    assert!(out.starts_with("No drift"), "{out}");
    let out = cli::ok(run(
        &dir,
        &db.url,
        &["downgrade", "base", "--schema", "tenant_a"],
    ));
    assert!(out.contains("base"), "{out}");
    let out = cli::ok(run(&dir, &db.url, &["current", "--schema", "tenant_a"]));
    assert!(out.contains("base"), "{out}");
    let out = cli::ok(run(&dir, &db.url, &["current", "--schema", "tenant_b"]));
    assert!(out.contains("(head)"), "{out}");
    let out = cli::ok(run(&dir, &db.url, &["current"]));
    assert!(out.contains("(head)"), "{out}");
    assert_eq!(scalar(&db.url, &tables("public")).await, 3);
    assert_eq!(scalar(&db.url, &tables("tenant_b")).await, 3);

    // A tenant's schema on its own: a table added there by hand is its drift only.
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    sqlx::query("CREATE TABLE tenant_b.notes (id int PRIMARY KEY)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let out = run(&dir, &db.url, &["drift", "--schema", "tenant_b"]);
    assert_eq!(out.status.code(), Some(1), "{}", cli::stderr(&out));
    assert!(cli::stdout(&out).contains("added: table notes"));

    // verify replays into a scratch database, in a schema of that name.
    let out = cli::ok(run(&dir, &db.url, &["verify", "--schema", "tenant_c"]));
    assert!(out.contains("Verified"), "{out}");

    // Offline SQL is the default schema's.
    let out = run(&dir, &db.url, &["upgrade", "--sql", "--schema", "tenant_a"]);
    assert_eq!(out.status.code(), Some(2), "{}", cli::stderr(&out));

    // Not a schema name, and not a PostgreSQL database.
    let out = run(&dir, &db.url, &["current", "--schema", "Tenant A"]);
    assert_eq!(out.status.code(), Some(2), "{}", cli::stderr(&out));
    let out = cli::run(
        BIN,
        &dir,
        "sqlite::memory:",
        &["current", "--schema", "tenant_a"],
    );
    assert_eq!(out.status.code(), Some(6), "{}", cli::stderr(&out));
    assert!(cli::stderr(&out).contains("schemas are PostgreSQL's"));
}
