//! `generate --phased`: a column rename, a column made NOT NULL and a dropped column, written
//! as an expand migration and a contract one; `upgrade --phase expand` applies only the
//! first, the previous and the next version of the application both write while the database
//! is between phases (the renamed column's copies stay equal), `current` says where it is,
//! `upgrade` contracts, and both revert with the data.

use std::path::Path;
use std::process::Output;

use model_core::dialect::Dialect;
use model_core::generate::{new_migrations, new_phased_migrations, Request};
use model_core::migration::MigrationDir;
use model_core::schema::Schema;
use model_core::Table;
use tests::cli::{self, ok};
use tests::scenario::{assert_introspects_to, schema};
use tests::TestDb;

mod v1 {
    use super::*;

    #[allow(dead_code)]
    #[derive(Table)]
    #[table(name = "users")]
    pub struct User {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 100, index, default = "anonymous")]
        pub name: String,
        pub nick: Option<String>,
        pub legacy: Option<String>,
    }
}

mod v2 {
    use super::*;

    #[allow(dead_code)]
    #[derive(Table)]
    #[table(name = "users")]
    pub struct User {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 100, index, renamed_from = "name", default = "anonymous")]
        pub full_name: String,
        #[column(backfill_sql = "'none'")]
        pub nick: String,
    }
}

fn request(message: &str, second: u32) -> Request {
    Request {
        message: message.into(),
        allow_destructive: true,
        empty: false,
        now: chrono::DateTime::from_timestamp(1_767_225_600 + i64::from(second), 0).unwrap(),
        online: true,
    }
}

fn migrate_gen(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(env!("CARGO_BIN_EXE_migrate-gen"), dir, url, args)
}

async fn rows(pool: &sqlx::PgPool, query: &str) -> Vec<String> {
    sqlx::query_scalar(query).fetch_all(pool).await.unwrap()
}

#[tokio::test]
async fn a_rename_is_expanded_and_contracted_while_both_versions_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    let (a, b): (Schema, Schema) = (
        schema(vec![v1::User::table_def()], vec![]),
        schema(vec![v2::User::table_def()], vec![]),
    );
    let mut migrations = MigrationDir::open(&dir, Dialect::Postgres).unwrap();
    let first = new_migrations(&migrations, &a, &request("create", 1)).unwrap();
    migrations.write_all(first).unwrap();
    let phases = new_phased_migrations(&migrations, &b, &request("rename name", 2)).unwrap();
    assert_eq!(phases.len(), 2);
    let (expand, contract) = (&phases[0], &phases[1]);
    let mid = expand.snapshot.schema.clone();
    assert!(expand.slug.ends_with("_expand") && contract.slug.ends_with("_contract"));
    assert!(expand.up.contains("\n-- phase: expand"), "{}", expand.up);
    assert!(
        expand
            .up
            .contains("add column users.full_name as a synced copy of name"),
        "{}",
        expand.up
    );
    assert!(
        expand
            .up
            .contains("CREATE INDEX CONCURRENTLY ix_users_full_name"),
        "{}",
        expand.up
    );
    assert!(!expand.up.contains("DROP COLUMN"), "{}", expand.up);
    assert!(
        contract.up.contains("\n-- phase: contract"),
        "{}",
        contract.up
    );
    for expected in [
        "DROP COLUMN name",
        "DROP COLUMN legacy",
        "ALTER COLUMN full_name SET NOT NULL",
        "ALTER COLUMN nick SET NOT NULL",
    ] {
        assert!(
            contract.up.contains(expected),
            "{expected}:\n{}",
            contract.up
        );
    }
    insta::assert_snapshot!("phased_expand_up", expand.up);
    insta::assert_snapshot!("phased_expand_down", expand.down);
    insta::assert_snapshot!("phased_contract_up", contract.up);
    insta::assert_snapshot!("phased_contract_down", contract.down);
    // The lint finds nothing: the drops come after the deploy.
    for m in [expand, contract] {
        let findings = model_core::lint::lint_postgres(&m.up);
        assert!(findings.is_empty(), "{findings:?}\n{}", m.up);
    }
    migrations.write_all(phases).unwrap();

    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    ok(migrate_gen(&dir, &db.url, &["upgrade", "+1"]));
    sqlx::raw_sql("INSERT INTO users (id, name, nick, legacy) VALUES (1, 'ann', NULL, 'x'), (2, 'bob', 'b', NULL)")
        .execute(&pool)
        .await
        .unwrap();

    // Before the deploy: only the expand migration.
    let o = ok(migrate_gen(
        &dir,
        &db.url,
        &["upgrade", "--phase", "expand"],
    ));
    assert!(o.contains("_expand"), "{o}");
    assert!(!o.contains("_contract"), "{o}");
    assert_introspects_to(&pool, &mid, "between phases").await;
    let current = ok(migrate_gen(&dir, &db.url, &["current"]));
    assert!(
        current.contains("between phases") && current.contains("_contract waits"),
        "{current}"
    );
    // Nothing more to expand.
    let o = ok(migrate_gen(
        &dir,
        &db.url,
        &["upgrade", "--phase", "expand"],
    ));
    assert!(!o.contains("_contract"), "{o}");

    // Existing rows were copied; the previous version writes `name`, the next `full_name`.
    assert_eq!(
        rows(&pool, "SELECT full_name FROM users ORDER BY id").await,
        ["ann", "bob"]
    );
    sqlx::raw_sql(
        "INSERT INTO users (id, name, legacy) VALUES (3, 'cy', 'old app');
         INSERT INTO users (id, full_name, nick) VALUES (4, 'di', 'd');
         INSERT INTO users (id) VALUES (5);
         UPDATE users SET name = 'anna' WHERE id = 1;
         UPDATE users SET full_name = 'bobby' WHERE id = 2;",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(
        rows(
            &pool,
            "SELECT name || '=' || full_name FROM users ORDER BY id"
        )
        .await,
        [
            "anna=anna",
            "bobby=bobby",
            "cy=cy",
            "di=di",
            "anonymous=anonymous"
        ]
    );

    // After the deploy: the contract.
    ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    assert_introspects_to(&pool, &b, "after the contract").await;
    assert_eq!(
        rows(
            &pool,
            "SELECT full_name || ':' || nick FROM users ORDER BY id"
        )
        .await,
        ["anna:none", "bobby:b", "cy:none", "di:d", "anonymous:none"]
    );
    let current = ok(migrate_gen(&dir, &db.url, &["current"]));
    assert!(!current.contains("between phases"), "{current}");

    // Both revert, with the data.
    ok(migrate_gen(&dir, &db.url, &["downgrade"]));
    assert_introspects_to(&pool, &mid, "after reverting the contract").await;
    // The previous version's inserts work again, its default included.
    sqlx::query("INSERT INTO users (id) VALUES (6)")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        rows(
            &pool,
            "SELECT name || '=' || full_name FROM users ORDER BY id"
        )
        .await,
        [
            "anna=anna",
            "bobby=bobby",
            "cy=cy",
            "di=di",
            "anonymous=anonymous",
            "anonymous=anonymous"
        ]
    );
    ok(migrate_gen(&dir, &db.url, &["downgrade"]));
    assert_introspects_to(&pool, &a, "after reverting the expand").await;
    assert_eq!(
        rows(&pool, "SELECT name FROM users ORDER BY id").await,
        ["anna", "bobby", "cy", "di", "anonymous", "anonymous"]
    );
}

#[test]
fn a_type_change_is_not_split_and_other_dialects_are_refused() {
    mod t2 {
        use super::*;

        #[allow(dead_code)]
        #[derive(Table)]
        #[table(name = "users")]
        pub struct User {
            #[column(primary_key)]
            pub id: i64,
            #[column(max_length = 100, index)]
            pub name: String,
            pub nick: Option<String>,
            pub legacy: Option<i64>,
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let a = schema(vec![v1::User::table_def()], vec![]);
    let mut migrations = MigrationDir::open(tmp.path().join("pg"), Dialect::Postgres).unwrap();
    let first = new_migrations(&migrations, &a, &request("create", 1)).unwrap();
    migrations.write_all(first).unwrap();
    let err = new_phased_migrations(
        &migrations,
        &schema(vec![t2::User::table_def()], vec![]),
        &request("legacy is a number", 2),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "--phased cannot split this change: the type of users.legacy changes; a type change is not split yet (generate it without --phased)"
    );
    // Nothing that breaks the running version: one migration, as without --phased.
    let same = new_phased_migrations(&migrations, &a, &request("nothing", 3)).unwrap();
    assert!(same.is_empty());

    let sqlite = MigrationDir::open(tmp.path().join("sqlite"), Dialect::Sqlite).unwrap();
    let err = new_phased_migrations(&sqlite, &a, &request("create", 1)).unwrap_err();
    assert!(err.to_string().contains("written for PostgreSQL"), "{err}");
}
