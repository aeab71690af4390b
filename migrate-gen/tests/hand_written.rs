//! Hand-written sqlx migrations (`sqlx migrate add -r`: an up and a down file, no snapshot)
//! in a generated directory: the runner treats them like any other migration, `generate` and
//! `check` point at them, and `adopt` gives them a snapshot on the real PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::Output;

use tests::cli::stderr as err;
use tests::cli::stdout as out;
use tests::cli::{self, migration_names as names, ok};
use tests::TestDb;

fn migrate_gen(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(env!("CARGO_BIN_EXE_migrate-gen"), dir, url, args)
}

fn version(name: &str) -> String {
    name[..14].to_owned()
}

/// A URL on the test server naming a database that does not exist.
fn server_only_url() -> String {
    let base = tests::postgres_url();
    let (before, _) = base.rsplit_once('/').unwrap();
    format!("{before}/migrate_gen_no_such_database")
}

/// `create tables` and an empty `fill data` on top of it, generated.
fn generated() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    ok(migrate_gen(&dir, "", &["create tables", "-q"]));
    ok(migrate_gen(&dir, "", &["--empty", "fill data", "-q"]));
    (tmp, dir)
}

/// Writes the pair `sqlx migrate add -r` would, with this SQL.
fn hand_written(dir: &Path, version: &str, slug: &str, up: &str, down: &str) -> String {
    let name = format!("{version}_{slug}");
    std::fs::write(dir.join(format!("{name}.up.sql")), up).unwrap();
    std::fs::write(dir.join(format!("{name}.down.sql")), down).unwrap();
    name
}

/// Moves a generated migration to a later version (its three files and its snapshot's
/// `version`), leaving room before it.
fn move_to(dir: &Path, name: &str, new_version: &str) -> String {
    let slug = &name[15..];
    let new_name = format!("{new_version}_{slug}");
    for suffix in ["up.sql", "down.sql", "snapshot.json"] {
        std::fs::rename(
            dir.join(format!("{name}.{suffix}")),
            dir.join(format!("{new_name}.{suffix}")),
        )
        .unwrap();
    }
    let path = dir.join(format!("{new_name}.snapshot.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            &format!("\"version\": \"{}\"", version(name)),
            &format!("\"version\": \"{new_version}\""),
        ),
    )
    .unwrap();
    new_name
}

fn snapshot(dir: &Path, name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join(format!("{name}.snapshot.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn files_checksum(dir: &Path, name: &str) -> String {
    let up = std::fs::read_to_string(dir.join(format!("{name}.up.sql"))).unwrap();
    let down = std::fs::read_to_string(dir.join(format!("{name}.down.sql"))).unwrap();
    model_core::migration::files_checksum(&up, &down)
}

async fn tables(pool: &sqlx::PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// A hand-written pair after the generated ones: today the directory is refused as
/// "incomplete" (exit 5) by every command.
#[tokio::test]
async fn the_runner_applies_and_reverts_a_hand_written_pair() {
    let (_tmp, dir) = generated();
    let last = version(names(&dir).last().unwrap());
    let v = (last.parse::<u64>().unwrap() + 100).to_string();
    let notes = hand_written(
        &dir,
        &v,
        "add_notes",
        "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);\n",
        "DROP TABLE notes;\n",
    );

    let history = ok(migrate_gen(&dir, "", &["history"]));
    assert!(history.lines().last().unwrap() == notes, "{history}");
    let shown = ok(migrate_gen(&dir, "", &["show", &v]));
    assert!(shown.contains("CREATE TABLE notes"), "{shown}");
    assert!(shown.contains("parent: none (hand-written"), "{shown}");
    let up_sql = ok(migrate_gen(&dir, "", &["upgrade", "--sql"]));
    assert!(up_sql.contains(&format!("-- apply {notes}\n")), "{up_sql}");
    let down_sql = ok(migrate_gen(
        &dir,
        "",
        &["downgrade", "--sql", "-1", "--from", "head"],
    ));
    assert!(down_sql.contains("DROP TABLE notes"), "{down_sql}");

    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    ok(migrate_gen(&dir, &db.url, &["upgrade", "-q"]));
    assert!(tables(&pool).await.contains(&"notes".to_owned()));
    let current = ok(migrate_gen(&dir, &db.url, &["current"]));
    assert_eq!(current, format!("{notes} (head)\n"));
    ok(migrate_gen(&dir, &db.url, &["downgrade", "-1", "-q"]));
    assert!(!tables(&pool).await.contains(&"notes".to_owned()));
    let history = ok(migrate_gen(&dir, &db.url, &["history"]));
    assert!(history.contains(&format!("{notes}  pending")), "{history}");

    // sqlx reads the same directory (it ignores the snapshots) and agrees.
    let other = TestDb::postgres().await;
    let other_pool = other.pg_pool().await;
    sqlx::migrate::Migrator::new(dir.as_path())
        .await
        .unwrap()
        .run(&other_pool)
        .await
        .expect("sqlx applies the directory");
    let current = ok(migrate_gen(&dir, &other.url, &["current"]));
    assert_eq!(current, format!("{notes} (head)\n"));
}

/// `generate` must not diff against a head snapshot that does not know what the hand-written
/// migration did, and `check` must not call such a directory clean.
#[test]
fn generate_refuses_and_check_reports_a_migration_without_a_snapshot() {
    let (_tmp, dir) = generated();
    let last = version(names(&dir).last().unwrap());
    let v = (last.parse::<u64>().unwrap() + 100).to_string();
    let name = hand_written(&dir, &v, "by_hand", "SELECT 1;\n", "SELECT 1;\n");

    let o = migrate_gen(&dir, "", &["next change"]);
    assert_eq!(o.status.code(), Some(5), "{}{}", out(&o), err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert!(err(&o).contains(&name), "{}", err(&o));
    assert!(
        err(&o).contains(&format!("`migrate-gen adopt {v}`")),
        "{}",
        err(&o)
    );
    assert_eq!(names(&dir).len(), 3, "nothing written");

    let o = migrate_gen(&dir, "", &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains(&format!("migration {name} in ")),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("has no snapshot"), "{}", out(&o));
}

/// Shapes migrate-gen does not run are refused with what to do, never skipped silently:
/// today a one-way `<version>_<slug>.sql` is ignored (and sqlx would apply it).
#[test]
fn one_way_migrations_and_missing_down_files_are_refused() {
    let (_tmp, dir) = generated();
    let last = version(names(&dir).last().unwrap());
    let v = (last.parse::<u64>().unwrap() + 100).to_string();
    std::fs::write(dir.join(format!("{v}_one_way.sql")), "SELECT 1;\n").unwrap();
    let o = migrate_gen(&dir, "", &["history"]);
    assert_eq!(o.status.code(), Some(5), "{}{}", out(&o), err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert!(err(&o).contains("one-way sqlx migration"), "{}", err(&o));
    assert!(
        err(&o).contains(&format!("rename it to {v}_one_way.up.sql")),
        "{}",
        err(&o)
    );

    std::fs::rename(
        dir.join(format!("{v}_one_way.sql")),
        dir.join(format!("{v}_one_way.up.sql")),
    )
    .unwrap();
    let o = migrate_gen(&dir, "", &["upgrade", "--sql"]);
    assert_eq!(o.status.code(), Some(5), "{}{}", out(&o), err(&o));
    assert!(
        err(&o).contains(&format!("has no down file ({v}_one_way.down.sql)")),
        "{}",
        err(&o)
    );
}

/// A data migration written by hand after the head: `adopt` replays it on the server of a URL
/// whose database does not exist, and writes a snapshot whose parent is the head; afterwards
/// `check` and `verify` are clean and `generate` works again.
#[tokio::test]
async fn adopt_after_the_head() {
    let (_tmp, dir) = generated();
    let head = names(&dir).last().unwrap().clone();
    let v = (version(&head).parse::<u64>().unwrap() + 100).to_string();
    let name = hand_written(
        &dir,
        &v,
        "complete_all",
        "UPDATE tasks SET completed = TRUE;\n",
        "SELECT 1;\n",
    );
    let o = migrate_gen(&dir, &server_only_url(), &["adopt", &v]);
    let text = ok(o);
    assert!(
        text.contains(&format!(
            "{name}.snapshot.json (parent: {})",
            version(&head)
        )),
        "{text}"
    );
    let snap = snapshot(&dir, &name);
    assert_eq!(snap["parent"], version(&head));
    assert_eq!(snap["parent_checksum"], files_checksum(&dir, &head));
    assert_eq!(snap["version"], v);
    // A data migration leaves its parent's schema, spelled as the parent spelled it.
    assert_eq!(snap["schema"], snapshot(&dir, &head)["schema"]);

    let o = migrate_gen(&dir, "", &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert_eq!(out(&o), "");
    let verified = ok(migrate_gen(&dir, &server_only_url(), &["verify"]));
    assert!(verified.contains("Verified 3 migrations"), "{verified}");
    let o = migrate_gen(&dir, "", &["no changes expected"]);
    assert!(ok(o).starts_with(&format!("No changes: the models match {name}.")));

    // Adopting it again is a usage error.
    let o = migrate_gen(&dir, &server_only_url(), &["adopt", &v]);
    assert_eq!(o.status.code(), Some(2), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("already has a snapshot"), "{}", err(&o));
}

/// A hand-written migration between two generated ones (two branches merged): its parent is
/// the migration before it, and the one after it now names it as its parent, with the
/// checksum of its files, so the chain stays one line.
#[tokio::test]
async fn adopt_in_the_middle_reparents_the_next_migration() {
    let (_tmp, dir) = generated();
    let all = names(&dir);
    let first = all[0].clone();
    let second = move_to(
        &dir,
        &all[1],
        &(version(&first).parse::<u64>().unwrap() + 1000).to_string(),
    );
    let v = (version(&first).parse::<u64>().unwrap() + 500).to_string();
    let middle = hand_written(
        &dir,
        &v,
        "title_case",
        "UPDATE tasks SET title = initcap(title);\n",
        "SELECT 1;\n",
    );
    assert_eq!(snapshot(&dir, &second)["parent"], version(&first));

    let text = ok(migrate_gen(&dir, &server_only_url(), &["adopt", &v]));
    assert!(
        text.contains(&format!("Re-parented {second} onto {middle}")),
        "{text}"
    );
    let snap = snapshot(&dir, &middle);
    assert_eq!(snap["parent"], version(&first));
    assert_eq!(snap["parent_checksum"], files_checksum(&dir, &first));
    let next = snapshot(&dir, &second);
    assert_eq!(next["parent"], v);
    assert_eq!(next["parent_checksum"], files_checksum(&dir, &middle));

    assert_eq!(ok(migrate_gen(&dir, "", &["heads"])), format!("{second}\n"));
    let o = migrate_gen(&dir, "", &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let verified = ok(migrate_gen(&dir, &server_only_url(), &["verify"]));
    assert!(verified.contains("Verified 3 migrations"), "{verified}");

    // An edit to the adopted migration is now caught like any other.
    std::fs::write(
        dir.join(format!("{middle}.up.sql")),
        "UPDATE tasks SET title = upper(title);\n",
    )
    .unwrap();
    let o = migrate_gen(&dir, "", &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains(&format!("migration {middle} was edited after {second}")),
        "{}",
        out(&o)
    );
}

/// A hand-written migration older than every generated one (a project that adopted
/// migrate-gen late): it becomes the root, and the first generated migration its child. Its
/// snapshot is read from the database.
#[tokio::test]
async fn adopt_before_the_first_migration() {
    let (_tmp, dir) = generated();
    let first = names(&dir)[0].clone();
    let v = "20200101000000";
    let legacy = hand_written(
        &dir,
        v,
        "legacy",
        "CREATE TABLE legacy_notes (id bigint PRIMARY KEY, body text DEFAULT 'none'::text);\n",
        "DROP TABLE legacy_notes;\n",
    );
    let text = ok(migrate_gen(&dir, &server_only_url(), &["adopt", v]));
    assert!(text.contains("(parent: none)"), "{text}");
    assert!(
        text.contains(&format!("Re-parented {first} onto {legacy}")),
        "{text}"
    );
    let snap = snapshot(&dir, &legacy);
    assert!(snap.get("parent").is_none(), "{snap}");
    let columns = &snap["schema"]["tables"]["legacy_notes"]["columns"];
    assert_eq!(columns.as_array().unwrap().len(), 2, "{snap}");
    assert_eq!(snapshot(&dir, &first)["parent"], v);
    assert_eq!(ok(migrate_gen(&dir, "", &["heads"])).lines().count(), 1);
    // The generated migrations never knew about legacy_notes, so verify says so at the first
    // of them: the adopted snapshot is right, the later ones predate it.
    let o = migrate_gen(&dir, &server_only_url(), &["verify"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains(&format!("up   {legacy} ok")),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("added: table legacy_notes"), "{}", out(&o));
}

/// `verify` applies and reverts a migration without a snapshot and says it compared nothing
/// there (today the directory is refused).
#[test]
fn verify_runs_a_migration_without_a_snapshot_and_says_so() {
    let (_tmp, dir) = generated();
    let last = version(names(&dir).last().unwrap());
    let v = (last.parse::<u64>().unwrap() + 100).to_string();
    let name = hand_written(&dir, &v, "by_hand", "SELECT 1;\n", "SELECT 1;\n");
    let text = ok(migrate_gen(&dir, &server_only_url(), &["verify"]));
    assert!(
        text.contains(&format!("up   {name} applied (no snapshot to compare)")),
        "{text}"
    );
    assert!(
        text.ends_with("(1 without a snapshot applied and reverted, not compared).\n"),
        "{text}"
    );
}

/// A hand-written migration that fails on replay is a failed migration (exit 8, one line),
/// and nothing is written; without a database URL, adopt says what it needs.
#[test]
fn adopt_writes_nothing_when_the_replay_fails() {
    let (_tmp, dir) = generated();
    let last = version(names(&dir).last().unwrap());
    let v = (last.parse::<u64>().unwrap() + 100).to_string();
    let name = hand_written(
        &dir,
        &v,
        "broken",
        "ALTER TABLE no_such_table ADD COLUMN x int;\n",
        "SELECT 1;\n",
    );
    let o = migrate_gen(&dir, &server_only_url(), &["adopt", &v]);
    assert_eq!(o.status.code(), Some(8), "{}{}", out(&o), err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert!(err(&o).contains(&name), "{}", err(&o));
    assert!(!dir.join(format!("{name}.snapshot.json")).exists());

    let o = migrate_gen(&dir, "", &["adopt", &v]);
    assert_eq!(o.status.code(), Some(6), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("--database-url"), "{}", err(&o));
}
