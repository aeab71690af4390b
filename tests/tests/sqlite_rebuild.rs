//! The data-loss proof on SQLite. A parent table is rebuilt (SQLite cannot add a CHECK in
//! place) while child tables reference it with `ON DELETE CASCADE` and `ON DELETE SET NULL`
//! and hold rows. The generated migration keeps every child row unchanged, under this runner
//! and under sqlx's own `Migrator`; the naive procedure (the pragma inside the transaction, as
//! a migration tool that trusts sqlx's transaction would write it) loses them. Views and
//! triggers on the rebuilt table are kept by this runner; under sqlx, a rebuild that would drop
//! a trigger stops before anything changed.

#![allow(dead_code)]

use std::path::Path;

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, Request};
use model_core::migration::MigrationDir;
use model_core::runner::{load, Database, Runner, UpTarget};
use model_core::schema::Schema;
use model_core::Table;
use sqlx::SqlitePool;
use tests::scenario::schema;
use tests::TestDb;

mod v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "parents")]
    pub struct Parent {
        #[column(primary_key)]
        pub id: i64,
        pub name: String,
    }

    #[derive(Table)]
    #[table(name = "kids")]
    pub struct Kid {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Parent, on_delete = "cascade", index)]
        pub parent_id: i64,
    }

    #[derive(Table)]
    #[table(name = "pets")]
    pub struct Pet {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Parent, on_delete = "set null", index)]
        pub parent_id: Option<i64>,
    }
}

mod v2 {
    use super::*;

    /// Gains a CHECK, renames a column and makes it nullable: one rebuild of `parents`.
    #[derive(Table)]
    #[table(name = "parents")]
    #[table(check(name = "ck_parents_id_positive", expr = "id > 0"))]
    pub struct Parent {
        #[column(primary_key)]
        pub id: i64,
        #[column(renamed_from = "name")]
        pub full_name: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "kids")]
    pub struct Kid {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Parent, on_delete = "cascade", index)]
        pub parent_id: i64,
    }

    #[derive(Table)]
    #[table(name = "pets")]
    pub struct Pet {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Parent, on_delete = "set null", index)]
        pub parent_id: Option<i64>,
    }
}

fn schemas() -> (Schema, Schema) {
    (
        schema(
            vec![
                v1::Parent::table_def(),
                v1::Kid::table_def(),
                v1::Pet::table_def(),
            ],
            vec![],
        ),
        schema(
            vec![
                v2::Parent::table_def(),
                v2::Kid::table_def(),
                v2::Pet::table_def(),
            ],
            vec![],
        ),
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

/// Generates the two migrations (create A, then A → B) into `dir`; returns the second's up SQL.
fn generate(dir: &Path) -> String {
    let (a, b) = schemas();
    let mut migrations = MigrationDir::open(dir, Dialect::Sqlite).unwrap();
    let first = new_migrations(&migrations, &a, &request("create", 1)).unwrap();
    migrations.write_all(first).unwrap();
    let second = new_migrations(&migrations, &b, &request("rebuild parents", 2)).unwrap();
    assert_eq!(second.len(), 1);
    let up = second[0].up.clone();
    migrations.write_all(second).unwrap();
    up
}

/// The two generated migrations (plus `extra` hand-written ones: name, up, down) in a
/// directory, and a fresh SQLite file to run them on.
struct History {
    _tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    scripts: Vec<model_core::runner::MigrationScript>,
    db: TestDb,
}

impl History {
    async fn new(extra: &[(&str, &str, &str)]) -> History {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("migrations");
        generate(&dir);
        for (name, up, down) in extra {
            std::fs::write(dir.join(format!("{name}.up.sql")), up).unwrap();
            std::fs::write(dir.join(format!("{name}.down.sql")), down).unwrap();
        }
        let scripts = load(&MigrationDir::open(&dir, Dialect::Sqlite).unwrap()).unwrap();
        History {
            _tmp: tmp,
            dir,
            scripts,
            db: TestDb::sqlite().await,
        }
    }

    /// This runner on the file.
    async fn runner(&self) -> Runner<'_, Database> {
        Runner::new(
            Database::connect(&self.db.url).await.unwrap(),
            &self.scripts,
            self.dir.display().to_string(),
        )
    }

    /// This runner, after applying the first migration (the tables, before the rebuild).
    async fn at_first_migration(&self) -> Runner<'_, Database> {
        let mut runner = self.runner().await;
        runner
            .upgrade(
                &UpTarget::Version(self.scripts[0].version.to_string()),
                |_| {},
            )
            .await
            .unwrap();
        runner
    }
}

const SEED: &str = "INSERT INTO parents (id, name) VALUES (1, 'ann'), (2, 'bob');\n\
                    INSERT INTO kids (id, parent_id) VALUES (10, 1), (11, 2), (12, 2);\n\
                    INSERT INTO pets (id, parent_id) VALUES (20, 1), (21, 2);";

/// Every child row, as (table, id, parent_id).
async fn children(pool: &SqlitePool) -> Vec<(String, i64, Option<i64>)> {
    sqlx::query_as(
        "SELECT 'kids', id, parent_id FROM kids UNION ALL SELECT 'pets', id, parent_id FROM pets \
         ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

fn all_children() -> Vec<(String, i64, Option<i64>)> {
    vec![
        ("kids".into(), 10, Some(1)),
        ("kids".into(), 11, Some(2)),
        ("kids".into(), 12, Some(2)),
        ("pets".into(), 20, Some(1)),
        ("pets".into(), 21, Some(2)),
    ]
}

#[test]
fn the_rebuild_is_guarded_and_keeps_the_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let up = generate(&tmp.path().join("migrations"));
    // A plain migration: it runs in the runner's (or sqlx's) transaction.
    assert!(!up.starts_with("-- no-transaction"), "{up}");
    let at = |text: &str| {
        up.find(text)
            .unwrap_or_else(|| panic!("no {text:?} in\n{up}"))
    };
    let guard = at(
        "INSERT INTO _migrate_gen_foreign_keys_off SELECT foreign_keys FROM pragma_foreign_keys;",
    );
    let create = at("CREATE TABLE _migrate_gen_new_parents (");
    let copy =
        at("INSERT INTO _migrate_gen_new_parents (id, full_name) SELECT id, name FROM parents;");
    let drop = at("DROP TABLE parents;");
    let rename = at("ALTER TABLE _migrate_gen_new_parents RENAME TO parents;");
    assert!(
        guard < create && create < copy && copy < drop && drop < rename,
        "{up}"
    );
    assert!(at("PRAGMA legacy_alter_table = ON;") < rename, "{up}");
}

#[tokio::test]
async fn every_child_row_survives_under_this_runner() {
    let history = History::new(&[]).await;
    let mut runner = history.at_first_migration().await;
    let pool = history.db.sqlite_pool().await;
    sqlx::raw_sql(SEED).execute(&pool).await.unwrap();
    runner.upgrade(&UpTarget::Head, |_| {}).await.unwrap();

    assert_eq!(children(&pool).await, all_children());
    let names: Vec<Option<String>> =
        sqlx::query_scalar("SELECT full_name FROM parents ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(names, [Some("ann".into()), Some("bob".into())]);
    // The foreign keys still hold, and act, after the rebuild.
    let violations: Vec<String> =
        sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(violations.is_empty(), "{violations:?}");
    sqlx::query("DELETE FROM parents WHERE id = 2")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        children(&pool).await,
        [
            ("kids".into(), 10, Some(1)),
            ("pets".into(), 20, Some(1)),
            ("pets".into(), 21, None),
        ]
    );

    // And back: the down rebuilds it again, rows kept.
    let mut runner = history.runner().await;
    runner
        .downgrade(&model_core::runner::DownTarget::Steps(1), |_| {})
        .await
        .unwrap();
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM parents ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(names, ["ann"]);
    assert_eq!(children(&pool).await.len(), 3);
}

/// The two generated migrations for sqlx's `Migrator`: the directory holding both, and one
/// holding only the first (the tables before the rebuild).
struct SqlxDirs {
    _tmp: tempfile::TempDir,
    both: std::path::PathBuf,
    first: std::path::PathBuf,
}

impl SqlxDirs {
    fn new() -> SqlxDirs {
        let tmp = tempfile::tempdir().unwrap();
        let both = tmp.path().join("migrations");
        generate(&both);
        let first = tmp.path().join("first");
        std::fs::create_dir_all(&first).unwrap();
        let scripts = load(&MigrationDir::open(&both, Dialect::Sqlite).unwrap()).unwrap();
        for direction in ["up", "down"] {
            let name = format!("{}.{direction}.sql", scripts[0].name);
            std::fs::copy(both.join(&name), first.join(&name)).unwrap();
        }
        SqlxDirs {
            _tmp: tmp,
            both,
            first,
        }
    }

    /// A pool on `db` (foreign keys as given) where sqlx applied the first migration and
    /// the seed rows were inserted.
    async fn at_first_migration(&self, db: &TestDb, foreign_keys: bool) -> SqlitePool {
        let options: sqlx::sqlite::SqliteConnectOptions = db.url.parse().unwrap();
        let pool = SqlitePool::connect_with(options.foreign_keys(foreign_keys))
            .await
            .unwrap();
        sqlx::migrate::Migrator::new(self.first.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::raw_sql(SEED).execute(&pool).await.unwrap();
        pool
    }

    /// sqlx's `Migrator` on both migrations.
    async fn run_both(&self, pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
        sqlx::migrate::Migrator::new(self.both.as_path())
            .await
            .unwrap()
            .run(pool)
            .await
    }
}

#[tokio::test]
async fn every_child_row_survives_under_sqlx_with_foreign_keys_off_and_nothing_changes_with_them_on(
) {
    // sqlx applies the first migration alone (a directory holding only it), then both.
    let dirs = SqlxDirs::new();
    for foreign_keys in [true, false] {
        let db = TestDb::sqlite().await;
        let pool = dirs.at_first_migration(&db, foreign_keys).await;
        let result = dirs.run_both(&pool).await;
        if foreign_keys {
            // sqlx's transaction cannot switch them off: the guard stops the migration
            // before anything changed.
            let err = result.expect_err("the guard refuses").to_string();
            assert!(err.contains("foreign_keys_must_be_off"), "{err}");
            let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
                .fetch_all(&pool)
                .await
                .unwrap();
            assert_eq!(versions.len(), 1);
        } else {
            result.expect("applies with foreign keys off");
        }
        assert_eq!(children(&pool).await, all_children());
    }
}

#[tokio::test]
async fn this_runner_refuses_a_migration_that_breaks_a_foreign_key() {
    let history = History::new(&[(
        "20261201120003_forget_bob",
        "DELETE FROM parents WHERE id = 2;\n",
        "SELECT 1;\n",
    )])
    .await;
    let mut runner = history.at_first_migration().await;
    let pool = history.db.sqlite_pool().await;
    sqlx::raw_sql(SEED).execute(&pool).await.unwrap();
    let err = runner
        .upgrade(&UpTarget::Head, |_| {})
        .await
        .expect_err("a broken foreign key is refused")
        .to_string();
    assert!(
        err.contains("breaks a foreign key: row 11 of kids references a missing row of parents (3 rows in all)"),
        "{err}"
    );
    // The rebuild before it was applied; the delete was not; foreign keys are on again.
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(children(&pool).await, all_children());
    let backend = runner.backend();
    let Database::Sqlite(sqlite) = backend else {
        panic!("a SQLite backend")
    };
    let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(sqlite.connection())
        .await
        .unwrap();
    assert_eq!(on, 1);
}

#[tokio::test]
async fn the_naive_procedure_would_have_lost_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let up = generate(&dir);
    let scripts = load(&MigrationDir::open(&dir, Dialect::Sqlite).unwrap()).unwrap();
    let db = TestDb::sqlite().await;
    let pool = db.sqlite_pool().await;
    sqlx::raw_sql(&scripts[0].up).execute(&pool).await.unwrap();
    sqlx::raw_sql(SEED).execute(&pool).await.unwrap();

    // The same rebuild with the pragma inside the migration's transaction, where SQLite
    // ignores it: DROP TABLE deletes the kids and nulls the pets.
    let body: String = up
        .lines()
        .filter(|l| !l.contains("_migrate_gen_foreign_keys_off"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut tx = pool.begin().await.unwrap();
    sqlx::raw_sql(&format!("PRAGMA foreign_keys = OFF;\n{body}"))
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        children(&pool).await,
        [("pets".into(), 20, None), ("pets".into(), 21, None),],
        "the naive rebuild should have deleted the kids and nulled the pets"
    );
}

#[tokio::test]
async fn autoincrement_numbers_continue_after_a_rebuild() {
    let history = History::new(&[]).await;
    let mut runner = history.at_first_migration().await;
    let pool = history.db.sqlite_pool().await;
    // Number 3 was given, then its row deleted: it is never given again.
    sqlx::raw_sql(
        "INSERT INTO parents (name) VALUES ('ann'), ('bob'), ('cy');\n\
         DELETE FROM parents WHERE id = 3;",
    )
    .execute(&pool)
    .await
    .unwrap();
    runner.upgrade(&UpTarget::Head, |_| {}).await.unwrap();
    let id: i64 = sqlx::query_scalar("INSERT INTO parents (full_name) VALUES ('dee') RETURNING id")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(id, 4);
}

#[tokio::test]
async fn a_trigger_on_the_rebuilt_table_is_kept_by_this_runner() {
    let history = History::new(&[]).await;
    let mut runner = history.at_first_migration().await;
    let pool = history.db.sqlite_pool().await;
    // A trigger made by hand (the models know nothing of it), and one dropped on purpose.
    sqlx::raw_sql(
        "CREATE TABLE audit (what TEXT NOT NULL);\n\
         CREATE TRIGGER parents_deleted AFTER DELETE ON parents BEGIN\n  \
         INSERT INTO audit (what) VALUES ('deleted ' || OLD.id);\nEND;",
    )
    .execute(&pool)
    .await
    .unwrap();
    runner.upgrade(&UpTarget::Head, |_| {}).await.unwrap();
    sqlx::raw_sql(SEED.replace("(id, name)", "(id, full_name)").as_str())
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM parents WHERE id = 1")
        .execute(&pool)
        .await
        .unwrap();
    let audit: Vec<String> = sqlx::query_scalar("SELECT what FROM audit")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(audit, ["deleted 1"]);
}

#[tokio::test]
async fn views_on_the_rebuilt_table_keep_working() {
    let history = History::new(&[]).await;
    let mut runner = history.at_first_migration().await;
    let pool = history.db.sqlite_pool().await;
    // Views made by hand over the table that is rebuilt: SQLite's own RENAME refuses to run
    // while a view names a table that is gone, unless the rebuild is written for it.
    sqlx::raw_sql(
        "CREATE VIEW parent_ids AS SELECT id FROM parents;\n\
         CREATE VIEW kids_with_parents AS SELECT kids.id AS kid, parents.id AS parent \
         FROM kids JOIN parents ON parents.id = kids.parent_id;",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::raw_sql(SEED).execute(&pool).await.unwrap();
    runner.upgrade(&UpTarget::Head, |_| {}).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM parent_ids ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(ids, [1, 2]);
    let pairs: i64 = sqlx::query_scalar("SELECT count(*) FROM kids_with_parents")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pairs, 3);
    // And back down.
    runner
        .downgrade(&model_core::runner::DownTarget::Base, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A trigger made by hand on the rebuilt table: sqlx's `Migrator` would drop it with the old
/// table and never re-create it, so the migration stops before anything changed; this runner
/// applies it and keeps the trigger (above).
#[tokio::test]
async fn sqlx_stops_before_a_rebuild_would_drop_a_trigger() {
    let dirs = SqlxDirs::new();
    let db = TestDb::sqlite().await;
    let pool = dirs.at_first_migration(&db, false).await;
    sqlx::raw_sql(
        "CREATE TABLE audit (what TEXT NOT NULL);\n\
         CREATE TRIGGER parents_deleted AFTER DELETE ON parents BEGIN\n  \
         INSERT INTO audit (what) VALUES ('deleted ' || OLD.id);\nEND;",
    )
    .execute(&pool)
    .await
    .unwrap();
    let err = dirs
        .run_both(&pool)
        .await
        .expect_err("the guard refuses")
        .to_string();
    assert!(
        err.contains("triggers_are_kept_only_by_migrate_gen_upgrade"),
        "{err}"
    );
    let triggers: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(triggers, ["parents_deleted"]);
    assert_eq!(children(&pool).await, all_children());
    // Without the trigger, sqlx applies it.
    sqlx::raw_sql("DROP TRIGGER parents_deleted")
        .execute(&pool)
        .await
        .unwrap();
    dirs.run_both(&pool)
        .await
        .expect("applies without triggers");
}

#[tokio::test]
async fn a_table_left_by_an_unfinished_rebuild_stops_this_runner() {
    let history = History::new(&[]).await;
    let mut runner = history.at_first_migration().await;
    let pool = history.db.sqlite_pool().await;
    // The rebuild's SQL run by hand, outside a transaction, and stopped after its copy.
    sqlx::raw_sql(
        "CREATE TABLE _migrate_gen_new_parents (id INTEGER PRIMARY KEY, full_name TEXT);\n\
         INSERT INTO _migrate_gen_new_parents SELECT id, name FROM parents;",
    )
    .execute(&pool)
    .await
    .unwrap();
    let err = runner
        .upgrade(&UpTarget::Head, |_| {})
        .await
        .expect_err("a left table is reported")
        .to_string();
    assert!(
        err.contains(
            "table _migrate_gen_new_parents is left from a table rebuild that did not finish"
        ),
        "{err}"
    );
    sqlx::query("DROP TABLE _migrate_gen_new_parents")
        .execute(&pool)
        .await
        .unwrap();
    runner.upgrade(&UpTarget::Head, |_| {}).await.unwrap();
}
