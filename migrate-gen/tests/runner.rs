//! `upgrade`, `downgrade`, `current`, `history`, `heads`, `show`, `stamp` and `--sql`, end to
//! end through the binary, each test on its own fresh PostgreSQL database.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sqlx::Row;
use tests::cli::stderr as err;
use tests::cli::{self, migration_names as names, ok, write_sql as write};
use tests::scenario::catalog;
use tests::TestDb;

fn migrate_gen(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(env!("CARGO_BIN_EXE_migrate-gen"), dir, url, args)
}

/// A directory with three migrations: the reference app's tables, a hand-written column,
/// and an index built outside a transaction.
fn three_migrations() -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    ok(migrate_gen(&dir, "", &["create tables"]));
    ok(migrate_gen(&dir, "", &["--empty", "add notes"]));
    ok(migrate_gen(&dir, "", &["--empty", "index notes"]));
    let names = names(&dir);
    assert_eq!(names.len(), 3);
    write(
        &dir,
        &names[1],
        "up",
        "ALTER TABLE tasks ADD COLUMN notes TEXT;\n",
    );
    write(
        &dir,
        &names[1],
        "down",
        "ALTER TABLE tasks DROP COLUMN notes;\n",
    );
    write(
        &dir,
        &names[2],
        "up",
        "-- no-transaction\nCREATE INDEX CONCURRENTLY ix_tasks_notes ON tasks (notes);\n",
    );
    write(&dir, &names[2], "down", "DROP INDEX ix_tasks_notes;\n");
    (tmp, dir, names)
}

async fn versions(pool: &sqlx::PgPool) -> Vec<i64> {
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn production_flow_upgrade_current_downgrade_upgrade() {
    let (_tmp, dir, names) = three_migrations();
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;

    let out = ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    for name in &names {
        assert!(out.contains(&format!("Applying {name} ...")), "{out}");
        assert!(out.contains(&format!("Applied {name} in ")), "{out}");
    }
    assert!(
        out.ends_with(&format!("The database is at {} (head).\n", names[2])),
        "{out}"
    );
    let at_head = catalog(&pool).await;
    assert_eq!(
        ok(migrate_gen(&dir, &db.url, &["current"])),
        format!("{} (head)\n", names[2])
    );

    let out = ok(migrate_gen(&dir, &db.url, &["downgrade", "-1"]));
    assert!(out.contains(&format!("Reverted {}", names[2])), "{out}");
    assert_eq!(
        ok(migrate_gen(&dir, &db.url, &["current"])),
        format!("{} (1 pending)\n", names[1])
    );
    let history = ok(migrate_gen(&dir, &db.url, &["history"]));
    assert!(
        history.contains(&format!("{}  applied ", names[0])),
        "{history}"
    );
    assert!(
        history.contains(&format!("{}  pending", names[2])),
        "{history}"
    );

    ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    assert_eq!(
        catalog(&pool).await,
        at_head,
        "the schema is identical after down and up"
    );

    // Bare downgrade is -1; then down to a version; then base.
    ok(migrate_gen(&dir, &db.url, &["downgrade"]));
    assert_eq!(versions(&pool).await.len(), 2);
    let first_version = names[0].split('_').next().unwrap();
    ok(migrate_gen(&dir, &db.url, &["downgrade", first_version]));
    assert_eq!(versions(&pool).await.len(), 1);
    ok(migrate_gen(&dir, &db.url, &["upgrade", "+1"]));
    assert_eq!(versions(&pool).await.len(), 2);
    ok(migrate_gen(&dir, &db.url, &["downgrade", "base"]));
    assert!(versions(&pool).await.is_empty());
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' \
         AND tablename NOT IN ('_sqlx_migrations', '_migrate_gen_progress')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(tables, 0);
    let out = ok(migrate_gen(&dir, &db.url, &["upgrade", "--json"]));
    let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["event"], "done");
    assert_eq!(last["ran"], 3);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert_eq!(ok(migrate_gen(&dir, &db.url, &["upgrade", "-q"])), "");
}

#[tokio::test]
async fn sqlx_and_this_runner_agree_in_either_order() {
    let (_tmp, dir, names) = three_migrations();

    // sqlx first, then this runner sees the same state and accepts its checksums.
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    let migrator = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
    migrator.run(&pool).await.unwrap();
    assert_eq!(
        ok(migrate_gen(&dir, &db.url, &["current"])),
        format!("{} (head)\n", names[2])
    );
    let out = ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    assert!(out.starts_with("Nothing to do"), "{out}");
    ok(migrate_gen(&dir, &db.url, &["downgrade", "-1"]));

    // This runner first, then sqlx accepts what it recorded and applies the rest.
    let db2 = TestDb::postgres().await;
    let pool2 = db2.pg_pool().await;
    ok(migrate_gen(&dir, &db2.url, &["upgrade", "+2"]));
    migrator
        .run(&pool2)
        .await
        .expect("sqlx accepts our bookkeeping");
    assert_eq!(versions(&pool2).await.len(), 3);
    let rows = sqlx::query("SELECT description, success FROM _sqlx_migrations ORDER BY version")
        .fetch_all(&pool2)
        .await
        .unwrap();
    assert_eq!(rows[0].get::<String, _>("description"), "create tables");
    // sqlx reverts what this runner applied.
    migrator
        .undo(&pool2, 0)
        .await
        .expect("sqlx reverts our migrations");
    assert!(versions(&pool2).await.is_empty());
    // And the pool that sqlx left one step back is brought to head by this runner.
    ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    assert_eq!(versions(&pool).await.len(), 3);
}

#[tokio::test]
async fn a_failing_statement_leaves_the_previous_version() {
    let (_tmp, dir, names) = three_migrations();
    write(
        &dir,
        &names[1],
        "up",
        "ALTER TABLE tasks ADD COLUMN notes TEXT;\nCREATE TABLE half_done (id INT);\nSELECT 1 / 0;\n",
    );
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    let out = migrate_gen(&dir, &db.url, &["upgrade"]);
    assert_eq!(out.status.code(), Some(8), "{}", err(&out));
    let message = err(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains(&format!(
            "migration {} failed at statement 3: SELECT 1 / 0",
            names[1]
        )),
        "{message}"
    );
    assert!(message.contains("division by zero"), "{message}");
    // The first migration stays applied; nothing of the second remains.
    assert_eq!(versions(&pool).await.len(), 1);
    let half: Option<String> = sqlx::query_scalar("SELECT to_regclass('half_done')::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(half, None);
    let notes: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'tasks' AND column_name = 'notes'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(notes, 0);
}

#[tokio::test]
async fn edited_migrations_are_detected_but_line_endings_are_not_edits() {
    let (_tmp, dir, names) = three_migrations();
    let db = TestDb::postgres().await;
    ok(migrate_gen(&dir, &db.url, &["upgrade", "+2"]));

    let path = dir.join(format!("{}.up.sql", names[1]));
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, original.replace('\n', "\r\n")).unwrap();
    ok(migrate_gen(&dir, &db.url, &["upgrade"]));

    std::fs::write(&path, "ALTER TABLE tasks ADD COLUMN notes VARCHAR(10);\n").unwrap();
    let out = migrate_gen(&dir, &db.url, &["current"]);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        err(&out).contains(&format!(
            "migration {} was edited after it was applied",
            names[1]
        )),
        "{}",
        err(&out)
    );
}

#[tokio::test]
async fn unknown_versions_missing_directories_and_bad_servers_are_one_line_errors() {
    let (_tmp, dir, _names) = three_migrations();
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    ok(migrate_gen(&dir, &db.url, &["upgrade", "+1"]));
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'elsewhere', TRUE, '\\x00', 0)")
        .execute(&pool)
        .await
        .unwrap();
    let out = migrate_gen(&dir, &db.url, &["upgrade"]);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        err(&out).contains("the database is at version 99990101000000, which is not in"),
        "{}",
        err(&out)
    );

    let nope = dir.parent().unwrap().join("nope").join("postgres");
    let out = migrate_gen(&nope, &db.url, &["upgrade"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(err(&out).contains("does not exist"));

    let out = migrate_gen(
        &dir,
        "postgres://someone:hunter2@127.0.0.1:1/db",
        &["upgrade"],
    );
    assert_eq!(out.status.code(), Some(7));
    assert!(
        err(&out).contains("postgres://someone:***@127.0.0.1:1/db"),
        "{}",
        err(&out)
    );
    assert!(!err(&out).contains("hunter2"));
    assert_eq!(err(&out).lines().count(), 1);

    let out = migrate_gen(
        &dir,
        "postgres://someone:hunter2@127.0.0.1:5432/db?sslmode=bogus",
        &["upgrade"],
    );
    assert_eq!(out.status.code(), Some(7), "{}", err(&out));
    assert!(!err(&out).contains("hunter2"), "{}", err(&out));

    let out = migrate_gen(&dir, "", &["upgrade"]);
    assert_eq!(out.status.code(), Some(6), "{}", err(&out));
}

#[tokio::test]
async fn concurrent_upgrades_apply_each_migration_once() {
    let (_tmp, dir, _names) = three_migrations();
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_migrate-gen"))
                .args(["upgrade", "-q", "--dialect", "postgres", "--dir"])
                .arg(dir.parent().unwrap())
                .env("DATABASE_URL", &db.url)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", err(&out));
    }
    assert_eq!(versions(&pool).await.len(), 3);
}

#[tokio::test]
async fn stamp_baselines_an_existing_database() {
    let (_tmp, dir, names) = three_migrations();
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    // The schema exists already, created by other means.
    for name in &names[..2] {
        let sql = std::fs::read_to_string(dir.join(format!("{name}.up.sql"))).unwrap();
        sqlx::raw_sql(&sql).execute(&pool).await.unwrap();
    }
    let out = ok(migrate_gen(&dir, &db.url, &["stamp", &names[1]]));
    assert_eq!(
        out,
        format!("Stamped: the database is recorded at {}.\n", names[1])
    );
    let out = ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    assert!(out.contains(&format!("Applying {} ...", names[2])));
    assert!(!out.contains(&format!("Applying {} ...", names[0])));
    ok(migrate_gen(&dir, &db.url, &["stamp", "base"]));
    assert!(versions(&pool).await.is_empty());
}

#[tokio::test]
async fn offline_sql_does_what_upgrade_does() {
    let (_tmp, dir, names) = three_migrations();
    let online = TestDb::postgres().await;
    ok(migrate_gen(&dir, &online.url, &["upgrade", "+2"]));
    let offline = TestDb::postgres().await;
    let sql = ok(migrate_gen(&dir, "", &["upgrade", "--sql", "+2"]));
    assert!(sql.contains("INSERT INTO _sqlx_migrations"), "{sql}");
    let offline_pool = offline.pg_pool().await;
    sqlx::raw_sql(&sql).execute(&offline_pool).await.unwrap();
    let online_pool = online.pg_pool().await;
    assert_eq!(catalog(&offline_pool).await, catalog(&online_pool).await);
    let rows = |pool: sqlx::PgPool| async move {
        sqlx::query("SELECT version, description, checksum FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.get::<i64, _>(0),
                    r.get::<String, _>(1),
                    r.get::<Vec<u8>, _>(2),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rows(offline_pool.clone()).await,
        rows(online_pool.clone()).await
    );

    let down = ok(migrate_gen(
        &dir,
        "",
        &["downgrade", "--sql", "base", "--from", &names[1]],
    ));
    sqlx::raw_sql(&down).execute(&offline_pool).await.unwrap();
    assert!(versions(&offline_pool).await.is_empty());
}

#[test]
fn several_heads_stop_upgrade_with_both_named() {
    let (_tmp, dir, names) = three_migrations();
    // A second child of the first migration, as after merging two branches.
    let version_b: u64 = names[2].split('_').next().unwrap().parse::<u64>().unwrap() + 100;
    let parent = names[0].split('_').next().unwrap();
    let snapshot = std::fs::read_to_string(dir.join(format!("{}.snapshot.json", names[1])))
        .unwrap()
        .replace(names[1].split('_').next().unwrap(), &version_b.to_string());
    assert!(snapshot.contains(&format!("\"parent\": \"{parent}\"")));
    std::fs::write(
        dir.join(format!("{version_b}_other_branch.snapshot.json")),
        snapshot,
    )
    .unwrap();
    write(
        &dir,
        &format!("{version_b}_other_branch"),
        "up",
        "SELECT 1;\n",
    );
    write(
        &dir,
        &format!("{version_b}_other_branch"),
        "down",
        "SELECT 1;\n",
    );
    let out = migrate_gen(&dir, "postgres://127.0.0.1:1/x", &["upgrade"]);
    assert_eq!(out.status.code(), Some(5));
    let message = err(&out);
    assert!(
        message.contains(&format!(
            "2 heads ({}, {version_b})",
            names[2].split('_').next().unwrap()
        )),
        "{message}"
    );
    assert!(message.contains("regenerate one of them"), "{message}");
    let heads = ok(migrate_gen(&dir, "", &["heads"]));
    assert_eq!(heads.lines().count(), 2, "{heads}");
}

#[test]
fn show_prints_a_migration() {
    let (_tmp, dir, names) = three_migrations();
    let out = ok(migrate_gen(
        &dir,
        "",
        &["show", names[1].split('_').next().unwrap()],
    ));
    assert!(
        out.starts_with(&format!(
            "migration: {}\nparent: {}\n",
            names[1],
            names[0].split('_').next().unwrap()
        )),
        "{out}"
    );
    assert!(out.contains("ALTER TABLE tasks ADD COLUMN notes TEXT;"));
}

#[test]
fn an_unreadable_migration_file_is_a_directory_error() {
    let (_tmp, dir, names) = three_migrations();
    std::fs::write(dir.join(format!("{}.up.sql", names[1])), [0xff, 0xfe, 0x00]).unwrap();
    let out = migrate_gen(&dir, "postgres://127.0.0.1:1/x", &["upgrade"]);
    assert_eq!(out.status.code(), Some(5), "{}", err(&out));
    assert_eq!(err(&out).lines().count(), 1, "{}", err(&out));
    assert!(
        err(&out).contains(&format!("{}.up.sql", names[1])),
        "{}",
        err(&out)
    );
}
