//! Edge cases of the CLI and the runner, each once a bug: statement splitting (rule action
//! lists, `BEGIN ATOMIC` bodies, trailing comments in `--sql`), failures at commit and half-applied
//! `-- no-transaction` migrations, targets at the current version, one-line usage errors,
//! passwords holding `/` or `?`, cyclic parent chains, two migrations with one version, and
//! `--json` for `show` and `generate`.

use std::path::{Path, PathBuf};
use std::process::Output;

use tests::cli::stderr as err;
use tests::cli::stdout as out;
use tests::cli::{self, migration_names as names, ok, write_sql as write};
use tests::TestDb;

/// sqlx applies the directory to one fresh database, and this runner to another.
async fn both_apply(dir: &Path) {
    let db_sqlx = TestDb::postgres().await;
    let pool = db_sqlx.pg_pool().await;
    sqlx::migrate::Migrator::new(dir)
        .await
        .unwrap()
        .run(&pool)
        .await
        .expect("sqlx applies the migration");
    let db = TestDb::postgres().await;
    ok(migrate_gen(dir, &db.url, &["upgrade"]));
}

fn migrate_gen(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(env!("CARGO_BIN_EXE_migrate-gen"), dir, url, args)
}

fn version(name: &str) -> &str {
    name.split('_').next().unwrap()
}

/// A directory with one hand-written migration (no models involved).
fn one_empty(up: &str, down: &str) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    ok(migrate_gen(&dir, "", &["--empty", "hand written"]));
    let name = names(&dir).remove(0);
    write(&dir, &name, "up", up);
    write(&dir, &name, "down", down);
    (tmp, dir, name)
}

/// PostgreSQL 14+ SQL-standard function bodies (`BEGIN ATOMIC ... END`) contain `;`. sqlx
/// sends the file as one simple query, so `sqlx migrate run` applies it; the runner's
/// splitter cuts the function at the inner `;` and the migration fails (exit 8,
/// "syntax error at end of input").
#[tokio::test]
async fn begin_atomic_function_bodies_are_not_split() {
    let (_tmp, dir, _name) = one_empty(
        "CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT i + 1;\nEND;\n",
        "DROP FUNCTION add_one(int);\n",
    );
    both_apply(&dir).await;
}

/// `CREATE RULE ... DO ALSO (a; b)`: the semicolons inside the parenthesised action list are
/// not statement ends. sqlx applies this file; the runner splits inside the parentheses.
#[tokio::test]
async fn multi_action_rules_are_not_split() {
    let (_tmp, dir, _name) = one_empty(
        "CREATE TABLE log (x int);\nCREATE TABLE t (x int);\n\
         CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (NEW.x); INSERT INTO log VALUES (NEW.x + 1));\n",
        "DROP TABLE t;\nDROP TABLE log;\n",
    );
    both_apply(&dir).await;
}

/// A statement that ends in a line comment (last statement without a `;`) gets its `;`
/// appended after the comment by `upgrade --sql`, so the terminator is commented out and the
/// bookkeeping INSERT is glued onto the statement: the offline script does not run, although
/// `upgrade` applies the same file.
#[tokio::test]
async fn offline_sql_does_not_put_the_terminator_inside_a_comment() {
    let (_tmp, dir, _name) = one_empty(
        "CREATE TABLE t (x int) -- the table\n",
        "DROP TABLE t -- the table\n",
    );
    let db = TestDb::postgres().await;
    ok(migrate_gen(&dir, &db.url, &["upgrade"]));

    let script = ok(migrate_gen(&dir, "", &["upgrade", "--sql"]));
    let offline = TestDb::postgres().await;
    let pool = offline.pg_pool().await;
    sqlx::raw_sql(&script)
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("the offline script runs: {e}\n{script}"));
}

/// A migration whose failure only shows at COMMIT (a deferred foreign key) is a failed
/// migration (exit 8, "the database stays at the previous version"), not "the database
/// cannot be reached" (exit 7, what `RunnerError::Database` maps to).
#[tokio::test]
async fn a_migration_failing_at_commit_is_exit_8() {
    let (_tmp, dir, _name) = one_empty(
        "CREATE TABLE p (id int PRIMARY KEY);\n\
         CREATE TABLE c (pid int REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED);\n\
         INSERT INTO c VALUES (1);\n",
        "DROP TABLE c;\nDROP TABLE p;\n",
    );
    let db = TestDb::postgres().await;
    let o = migrate_gen(&dir, &db.url, &["upgrade"]);
    assert_eq!(o.status.code(), Some(8), "{}", err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
}

/// A `-- no-transaction` migration that fails half-way on PostgreSQL is not silently "at the
/// previous version": its progress is recorded statement by statement, `current` says how far
/// it got, and `upgrade` resumes after the statements that ran once the file is fixed.
#[tokio::test]
async fn a_half_applied_no_transaction_migration_is_reported_and_resumed() {
    let (_tmp, dir, name) = one_empty(
        "-- no-transaction\nCREATE TABLE half_done (id int);\nSELECT 1 / 0;\n",
        "DROP TABLE IF EXISTS half_done;\n",
    );
    let db = TestDb::postgres().await;
    let o = migrate_gen(&dir, &db.url, &["upgrade"]);
    assert_eq!(o.status.code(), Some(8), "{}", err(&o));
    // half_done exists now: the database is not at the previous version, and says so.
    let o = migrate_gen(&dir, &db.url, &["current"]);
    assert!(
        out(&o).contains(&format!(
            "{name} stopped half-way: statements 1 to 1 of its up ran"
        )),
        "stdout {:?} stderr {:?}",
        out(&o),
        err(&o)
    );
    // Fixing the failed statement lets it finish; the one that ran is not run again.
    write(
        &dir,
        &name,
        "up",
        "-- no-transaction\nCREATE TABLE half_done (id int);\nSELECT 1;\n",
    );
    let o = ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    assert!(o.contains("from statement 2"), "{o}");
    assert_eq!(
        ok(migrate_gen(&dir, &db.url, &["current"])),
        format!("{name} (head)\n")
    );
}

/// In a PostgreSQL `-- no-transaction` migration, each operation of several statements runs in
/// a transaction of its own: when its second statement fails, its first is undone too, so the
/// migration stops between operations and `downgrade` reverts exactly the ones that ran.
#[tokio::test]
async fn an_operation_of_several_statements_is_applied_whole_or_not_at_all() {
    let (_tmp, dir, name) = one_empty(
        "-- no-transaction\n-- 1. create table a\nCREATE TABLE a (id int);\n\n\
         -- 2. add column a.b\nALTER TABLE a ADD COLUMN b int;\nSELECT 1 / 0;\n",
        "-- no-transaction\n-- revert\n\n-- 1. drop column a.b\nALTER TABLE a DROP COLUMN b;\n\n\
         -- 2. drop table a\nDROP TABLE a;\n",
    );
    let db = TestDb::postgres().await;
    let o = migrate_gen(&dir, &db.url, &["upgrade"]);
    assert_eq!(o.status.code(), Some(8), "{}", err(&o));
    assert!(
        err(&o).contains("at statement 3: SELECT 1 / 0"),
        "{}",
        err(&o)
    );
    let pool = db.pg_pool().await;
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'a' ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(columns, ["id"], "operation 2 was undone whole");
    let o = ok(migrate_gen(&dir, &db.url, &["current"]));
    assert!(
        o.contains(&format!(
            "{name} stopped half-way: statements 1 to 1 of its up ran"
        )),
        "{o}"
    );
    ok(migrate_gen(&dir, &db.url, &["downgrade"]));
    let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'a'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(tables, 0);
    assert!(ok(migrate_gen(&dir, &db.url, &["current"])).starts_with("base"));
}

/// The password is masked only when it contains no `/` or `?`: with `postgres://me:se/cret@...`
/// (an unencoded password, a common mistake) the "invalid database URL" error prints it.
#[test]
fn passwords_with_a_slash_are_not_printed() {
    let (_tmp, dir, _name) = one_empty("SELECT 1;\n", "SELECT 1;\n");
    let o = migrate_gen(
        &dir,
        "postgres://me:hunter/2secret@127.0.0.1:5432/db",
        &["upgrade"],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(!err(&o).contains("2secret"), "{}", err(&o));
    let o = migrate_gen(&dir, "mysql://me:hunter?2secret@127.0.0.1/db", &["upgrade"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(!err(&o).contains("2secret"), "{}", err(&o));
}

/// `downgrade <current version>` is "Nothing to do" (exit 0), but `upgrade <current
/// version>` is a usage error (exit 2, "is already applied; use `downgrade ...`" — which
/// would do nothing). Reaching the target is success ("0 ... including Nothing to do").
#[tokio::test]
async fn upgrade_to_the_current_version_is_nothing_to_do() {
    let (_tmp, dir, name) = one_empty("SELECT 1;\n", "SELECT 1;\n");
    let db = TestDb::postgres().await;
    ok(migrate_gen(&dir, &db.url, &["upgrade"]));
    let down = ok(migrate_gen(&dir, &db.url, &["downgrade", version(&name)]));
    assert!(down.starts_with("Nothing to do"), "{down}");
    let up = migrate_gen(&dir, &db.url, &["upgrade", version(&name)]);
    assert_eq!(up.status.code(), Some(0), "{}", err(&up));
}

/// A hand-edited snapshot that makes the chain a cycle (the first migration names the last as
/// its parent) leaves no head at all; `head()` then reports an *empty* directory, so
/// `generate` diffs the models against nothing and writes a migration that creates every
/// table again (with no parent). It should refuse the directory (exit 5) and write nothing.
#[test]
fn a_cyclic_parent_chain_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    ok(migrate_gen(&dir, "", &["create tables"]));
    ok(migrate_gen(&dir, "", &["--empty", "data"]));
    let names = names(&dir);
    let first = dir.join(format!("{}.snapshot.json", names[0]));
    let text = std::fs::read_to_string(&first).unwrap();
    let version_line = format!("  \"version\": \"{}\",\n", version(&names[0]));
    assert!(text.contains(&version_line));
    std::fs::write(
        &first,
        text.replacen(
            &version_line,
            &format!("{version_line}  \"parent\": \"{}\",\n", version(&names[1])),
            1,
        ),
    )
    .unwrap();
    let o = migrate_gen(&dir, "", &["again"]);
    assert_eq!(
        o.status.code(),
        Some(5),
        "stdout {} stderr {}",
        out(&o),
        err(&o)
    );
    assert_eq!(names_len(&dir), 2, "nothing written");
}

fn names_len(dir: &Path) -> usize {
    names(dir).len()
}

/// Two migrations with the same version (a rename that left the old pair behind, or two
/// branches that picked the same second) are silently merged into one: the directory reads
/// one migration and which files it uses depends on `read_dir` order. It should be refused
/// (exit 5) like an incomplete migration.
#[test]
fn two_migrations_with_one_version_are_refused() {
    let (_tmp, dir, name) = one_empty("SELECT 1;\n", "SELECT 1;\n");
    let other = format!("{}_renamed", version(&name));
    write(&dir, &other, "up", "SELECT 2;\n");
    write(&dir, &other, "down", "SELECT 2;\n");
    let o = migrate_gen(&dir, "", &["history"]);
    assert_eq!(
        o.status.code(),
        Some(5),
        "stdout {} stderr {}",
        out(&o),
        err(&o)
    );
}

/// Every command takes `--json` ("one JSON object per line"), but `show` prints plain text.
#[test]
fn show_json_is_json() {
    let (_tmp, dir, name) = one_empty("SELECT 1;\n", "SELECT 1;\n");
    let text = ok(migrate_gen(&dir, "", &["show", version(&name), "--json"]));
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("{e}: {line:?}\n{text}"));
    }
}

/// `generate --json` prints "Wrote ..." / "No changes: ..." as plain text.
#[test]
fn generate_json_is_json() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    let text = ok(migrate_gen(&dir, "", &["--empty", "data", "--json"]));
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("{e}: {line:?}\n{text}"));
    }
}

/// "Every error is one line on stderr": clap's usage errors are printed as they are, with a
/// blank line, a usage line and a hint (four lines).
#[test]
fn usage_errors_are_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let o = migrate_gen(&tmp.path().join("postgres"), "", &["current", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
}
