//! Big schemas apply on a default-configured PostgreSQL server: a first migration that would
//! create more relations than the server's shared lock table holds in one transaction
//! (`max_locks_per_transaction` × `max_connections`; a 1,000-table schema fails with "out of
//! shared memory" as one migration) is written as several, each atomic and within
//! `LOCKS_PER_MIGRATION`.

use model_core::dialect::Dialect;
use model_core::diff::DiffOptions;
use model_core::generate::{new_migrations, Request, LOCKS_PER_MIGRATION};
use model_core::migration::MigrationDir;
use model_core::runner::Database;
use model_core::schema::Schema;
use model_core::synthetic;
use model_core::testing::ScratchDatabase;

fn generate(dir: &std::path::Path, schema: &Schema, message: &str) -> Vec<String> {
    let mut migrations = MigrationDir::open(dir, Dialect::Postgres).unwrap();
    let request = Request {
        online: false,
        message: message.into(),
        allow_destructive: false,
        empty: false,
        now: chrono::Utc::now(),
    };
    let new = new_migrations(&migrations, schema, &request).unwrap();
    let names = new
        .iter()
        .map(|m| format!("{}_{}", m.version, m.slug))
        .collect();
    migrations.write_all(new).unwrap();
    names
}

/// Relations the tables a snapshot adds over its parent's create (as the generator counts).
fn created_relations(before: &Schema, after: &Schema) -> usize {
    after
        .tables
        .iter()
        .filter(|(name, _)| !before.tables.contains_key(*name))
        .map(|(_, t)| {
            4 + t.indexes.len()
                + t.uniques.len()
                + t.columns.iter().filter(|c| c.identity.is_some()).count()
        })
        .sum()
}

#[test]
fn a_change_that_fits_is_one_migration() {
    let tmp = tempfile::tempdir().unwrap();
    let names = generate(tmp.path(), &synthetic::schema(100, None), "create");
    assert_eq!(names.len(), 1, "{names:?}");
}

#[tokio::test]
async fn a_thousand_tables_apply_on_a_default_server_and_revert() {
    applies_and_reverts(1000, 5).await;
}

#[tokio::test]
async fn five_thousand_tables_apply_on_a_default_server_and_revert() {
    applies_and_reverts(5000, 23).await;
}

async fn applies_and_reverts(tables: usize, parts: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let schema = synthetic::schema(tables, None);
    let names = generate(tmp.path(), &schema, "create everything");
    assert_eq!(names.len(), parts, "{names:?}");
    assert!(
        names[0].ends_with(&format!("_create_everything_part_1_of_{parts}")),
        "{names:?}"
    );

    // Every part stays within the budget, and the last one leaves the whole schema.
    let dir = MigrationDir::open(tmp.path(), Dialect::Postgres).unwrap();
    let mut before = Schema::new();
    for files in dir.migrations() {
        let after = files.snapshot().unwrap().schema;
        let relations = created_relations(&before, &after);
        assert!(
            relations <= LOCKS_PER_MIGRATION,
            "{}: {relations} relations",
            files.name()
        );
        before = after;
    }
    assert_eq!(before, schema);

    // The server here runs PostgreSQL's defaults: 64 locks per transaction, 100 connections.
    let mut db = ScratchDatabase::new(&tests::postgres_url(), tmp.path())
        .await
        .unwrap();
    let locks: String = sqlx::query_scalar("SHOW max_locks_per_transaction")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(locks, "64", "the test is about a default-configured server");
    // As one transaction, the change would not fit the server's shared lock table (filling it
    // here would fail whatever else runs on the server, so this is counted, not run).
    let connections: String = sqlx::query_scalar("SHOW max_connections")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let capacity = 64 * connections.parse::<usize>().unwrap();
    assert!(
        created_relations(&Schema::new(), &schema) > capacity,
        "{} relations fit in {capacity} locks",
        created_relations(&Schema::new(), &schema)
    );
    db.migrate_to("head").await.unwrap();
    let mut database = Database::connect(db.url()).await.unwrap();
    let live = database.introspect().await.unwrap();
    let differences = model_core::plan::plan(
        Dialect::Postgres,
        &Dialect::Postgres.equivalence().stored(&schema),
        &live,
        DiffOptions {
            allow_destructive: true,
            loose_expressions: true,
        },
    )
    .unwrap();
    assert!(
        differences.is_empty(),
        "{:?}",
        differences
            .operations()
            .iter()
            .take(5)
            .map(|o| o.summary())
            .collect::<Vec<_>>()
    );
    drop(database);
    db.migrate_to("base").await.unwrap();
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> '_sqlx_migrations'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(count, 0);
    db.close().await.unwrap();
}

/// New tables of an early part may use what the change does to an existing enum (a new
/// value as a default) and an extension another new table declares: both come first.
#[tokio::test]
async fn early_parts_see_the_changes_new_tables_use() {
    use model_core::schema::{ColumnDefault, ColumnType, Value};
    let tmp = tempfile::tempdir().unwrap();
    let mut schema = synthetic::schema(1000, None);
    // The last table declares citext; the first one uses its type.
    let last_name = synthetic::table_name(999);
    schema
        .tables
        .get_mut(&last_name)
        .unwrap()
        .extensions
        .push("citext".into());
    let first = schema.tables.get_mut(&synthetic::table_name(0)).unwrap();
    first.columns[2].ty = ColumnType::Custom {
        sql: "citext".into(),
    };
    // An enum that exists before the change gains a value, which the first table's default
    // uses.
    let mut before = Schema::new();
    let mut state = schema.enums["state_00000"].clone();
    state.values.retain(|v| v.name != "archived");
    before.enums.insert(state.name.clone(), state);
    let first = schema.tables.get_mut(&synthetic::table_name(0)).unwrap();
    let column = first
        .columns
        .iter_mut()
        .find(|c| c.name == "state")
        .unwrap();
    column.default = Some(ColumnDefault::Value(Value::Text("archived".into())));

    // The enum exists first (a migration of its own), then the tables.
    let mut dir = MigrationDir::open(tmp.path(), Dialect::Postgres).unwrap();
    let first_migration = new_migrations(
        &dir,
        &before,
        &Request {
            online: false,
            message: "states".into(),
            allow_destructive: false,
            empty: false,
            now: chrono::Utc::now() - chrono::Duration::hours(1),
        },
    )
    .unwrap();
    dir.write_all(first_migration).unwrap();
    let names = generate(tmp.path(), &schema, "create everything");
    assert!(names.len() > 5, "{names:?}");

    let mut db = ScratchDatabase::new(&tests::postgres_url(), tmp.path())
        .await
        .unwrap();
    db.migrate_to("head").await.unwrap();
    db.migrate_to("base").await.unwrap();
    db.close().await.unwrap();
}
