//! What a new user trips on: the directory found from any working directory, misspelled
//! commands, usage errors that name what is missing, malformed URLs, quiet output and
//! warnings, `history --verbose`, `database create`/`drop` and the README's tour, and the
//! runner's range, gap, version and bookkeeping errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tests::cli::{self, ok, stderr, stdout};
use tests::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_migrate-gen");

/// Runs the reference app's binary with `args` in `cwd`, without a database URL.
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run migrate-gen")
}

fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    cli::run_dialect(BIN, dir, url, args)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned()
}

/// A copy of the reference app's committed history.
fn reference_history() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(workspace().join("examples/todo/migrations/postgres")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    (tmp, dir)
}

/// The single error line of a failed run, and its exit code.
fn error_line(out: &Output) -> (Option<i32>, String) {
    let text = stderr(out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {text}");
    (out.status.code(), lines[0].to_owned())
}

#[test]
fn the_directory_does_not_depend_on_where_the_command_runs() {
    // From a subdirectory of the workspace, and from outside it: the companion crate's
    // configured directory, not `<cwd>/examples/todo/migrations` (which does not exist there,
    // so generate used to write a brand-new first migration re-creating every table).
    let outside = tempfile::tempdir().unwrap();
    for cwd in [
        workspace().join("examples/todo/src"),
        workspace().join("migrate-gen/src"),
        outside.path().to_owned(),
    ] {
        let out = run_in(&cwd, &["generate", "--dry-run", "from a subdirectory"]);
        let text = ok(out);
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "No changes for postgres: the models match \
                 20261201151924_timestamp_defaults_in_standard_sql.",
                "No changes for sqlite: the models match 20261201153000_baseline_sqlite.",
                "No changes for mysql: the models match 20261201160451_baseline_mysql."
            ],
            "{}",
            cwd.display()
        );
        ok(run_in(&cwd, &["check"]));
        assert!(!cwd.join("examples").exists());
    }
    // `--dir` stays relative to the working directory.
    let out = run_in(outside.path(), &["--dir", "here", "generate", "first"]);
    let text = ok(out);
    assert!(text.starts_with("Wrote here/postgres/"), "{text}");
    assert!(text.contains("Wrote here/sqlite/"), "{text}");
    assert_eq!(
        cli::migration_names(&outside.path().join("here/postgres")).len(),
        1
    );
    for dialect in ["sqlite", "mysql"] {
        let dir = outside.path().join("here").join(dialect);
        assert_eq!(cli::migration_names(&dir).len(), 1, "{dialect}");
    }
}

#[test]
fn a_misspelled_command_is_not_a_migration_message() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    for (args, word, suggestion) in [
        (&["upgrde"][..], "upgrde", "upgrade"),
        (&["upgrde", "--empty"][..], "upgrde", "upgrade"),
        (&["downgade", "-1"][..], "downgade", "downgrade"),
        (&["curent"][..], "curent", "current"),
        (&["chek"][..], "chek", "check"),
        (&["Verify"][..], "Verify", "verify"),
    ] {
        let (code, line) = error_line(&run(&dir, "", args));
        assert_eq!(code, Some(2), "{args:?}: {line}");
        assert!(
            line.contains(&format!("unknown command `{word}`"))
                && line.contains(&format!("did you mean `{suggestion}`?")),
            "{args:?}: {line}"
        );
    }
    assert!(!dir.exists(), "nothing written");
    // An explicit `generate` still takes the word as the message; other words too.
    let text = ok(run(&dir, "", &["generate", "upgrde", "--empty"]));
    assert!(text.contains("_upgrde.up.sql"), "{text}");
    let text = ok(run(&dir, "", &["users", "--empty"]));
    assert!(text.contains("_users.up.sql"), "{text}");
}

#[test]
fn usage_errors_name_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    for (args, missing) in [
        (&["stamp"][..], "<TARGET>"),
        (&["show"][..], "<VERSION>"),
        (&["generate"][..], "<MESSAGE>"),
        (&["upgrade", "--from", "1"][..], "--sql"),
        (&["upgrade", "--sql", "--from"][..], "--from <VERSION>"),
    ] {
        let (code, line) = error_line(&run(&dir, "", args));
        assert_eq!(code, Some(2), "{args:?}: {line}");
        assert!(line.contains(missing), "{args:?}: {line}");
    }
}

#[test]
fn a_malformed_url_is_not_a_database_url() {
    let (_tmp, dir) = reference_history();
    for url in [
        "postgres//user:secret@localhost/db",
        "http://localhost/db",
        "todo",
    ] {
        let (code, line) = error_line(&run(&dir, url, &["current"]));
        assert_eq!(code, Some(7), "{url}: {line}");
        assert!(line.contains("is not a database URL"), "{line}");
        assert!(
            line.contains("postgres://") && line.contains("sqlite:"),
            "{line}"
        );
        assert!(!line.contains("secret"), "password printed: {line}");
    }
    // A database that is not of the dialect asked for is named as such.
    let (code, line) = error_line(&run(&dir, "sqlite://x.db", &["current"]));
    assert_eq!(code, Some(6), "{line}");
    assert_eq!(
        line,
        "error: sqlite://x.db is a sqlite database, not postgres (--dialect)"
    );
}

#[test]
fn quiet_output_and_warnings_when_generating() {
    let (_tmp, dir) = reference_history();
    let out = run(&dir, "", &["-q", "generate", "nothing"]);
    assert_eq!(ok(out), "", "-q silences `No changes`");

    // A table the models lack, dropped on purpose: the file says DESTRUCTIVE, and so does the
    // command.
    let head = cli::migration_names(&dir).pop().unwrap();
    let path = dir.join(format!("{head}.snapshot.json"));
    let mut snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut legacy = snapshot["schema"]["tables"]["tags"].clone();
    legacy["name"] = "legacy".into();
    legacy["primary_key"]["name"] = "pk_legacy".into();
    legacy["indexes"] = serde_json::json!([]);
    legacy["uniques"] = serde_json::json!([]);
    snapshot["schema"]["tables"]["legacy"] = legacy;
    std::fs::write(&path, serde_json::to_string_pretty(&snapshot).unwrap()).unwrap();

    let out = run(&dir, "", &["--allow-destructive", "drop legacy"]);
    let err = stderr(&out);
    let written = ok(out);
    assert!(written.starts_with("Wrote "), "{written}");
    let file = std::fs::read_to_string(dir.join(format!(
        "{}.up.sql",
        cli::migration_names(&dir).pop().unwrap()
    )))
    .unwrap();
    let noted: Vec<&str> = file
        .lines()
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("-- DESTRUCTIVE") || l.starts_with("-- WARNING"))
        .collect();
    assert!(!noted.is_empty(), "{file}");
    for line in noted {
        let text = line.split_once(": ").unwrap().1;
        assert!(err.contains(text), "`{text}` printed: {err}");
    }
    assert!(
        err.contains("destructive: ") && err.contains("legacy"),
        "{err}"
    );
}

#[test]
fn history_verbose_shows_parents_and_operations() {
    let (_tmp, dir) = reference_history();
    let text = ok(run(&dir, "", &["history", "--verbose"]));
    let names = cli::migration_names(&dir);
    assert!(
        text.contains(&format!(
            "{}\n  parent: none (first migration)\n  operations:\n    1. create table users\n",
            names[0]
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}\n  parent: {}\n", names[1], names[0])),
        "{text}"
    );
    // The hand-written data migration lists no operations, and says why.
    assert!(
        text.contains("operations: none listed (hand-written SQL)"),
        "{text}"
    );
    let json = ok(run(&dir, "", &["history", "--verbose", "--json"]));
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["operations"][0], "1. create table users");
}

/// A sibling database of `db` on the same server, that does not exist yet.
fn sibling(db: &TestDb, suffix: &str) -> String {
    format!("{}_{suffix}", db.url)
}

#[tokio::test]
async fn the_tour_works_on_a_server_where_it_never_ran() {
    let (_tmp, dir) = reference_history();
    let db = TestDb::postgres().await;
    let url = sibling(&db, "tour");

    // Before `database create`: the error says what to do.
    let (code, line) = error_line(&run(&dir, &url, &["upgrade"]));
    assert_eq!(code, Some(7), "{line}");
    assert!(
        line.contains("does not exist") && line.contains("database create"),
        "{line}"
    );

    assert!(ok(run(&dir, &url, &["database", "create"])).starts_with("Created database"));
    assert!(ok(run(&dir, &url, &["database", "create"])).contains("already exists"));
    ok(run(&dir, &url, &["upgrade"]));
    let head = cli::migration_names(&dir).pop().unwrap();
    assert_eq!(
        ok(run(&dir, &url, &["current"])),
        format!("{head} (head)\n")
    );
    ok(run(&dir, &url, &["downgrade", "-1"]));
    assert!(ok(run(&dir, &url, &["current"])).contains("(1 pending)"));

    // Dropping asks; without a terminal it needs --yes.
    let (code, line) = error_line(&run(&dir, &url, &["database", "drop"]));
    assert_eq!(code, Some(2), "{line}");
    assert!(line.contains("--yes"), "{line}");
    assert!(ok(run(&dir, &url, &["database", "drop", "--yes"])).starts_with("Dropped database"));
    assert!(ok(run(&dir, &url, &["database", "drop", "--yes"])).contains("does not exist"));
    let (code, _) = error_line(&run(&dir, &url, &["current"]));
    assert_eq!(code, Some(7));
}

#[tokio::test]
async fn database_drop_refuses_a_database_in_use_unless_forced() {
    let (_tmp, dir) = reference_history();
    let db = TestDb::postgres().await;
    let url = sibling(&db, "busy");
    ok(run(&dir, &url, &["database", "create"]));
    let mut holder = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let (code, line) = error_line(&run(&dir, &url, &["database", "drop", "--yes"]));
    assert_eq!(code, Some(7), "{line}");
    assert!(line.contains("--force"), "{line}");
    ok(run(&dir, &url, &["database", "drop", "--yes", "--force"]));
    assert!(sqlx::query("SELECT 1").execute(&mut holder).await.is_err());
}

#[test]
fn an_offline_range_in_the_wrong_direction_is_a_usage_error() {
    let (_tmp, dir) = reference_history();
    let names = cli::migration_names(&dir);
    let version = |i: usize| names[i].split('_').next().unwrap().to_owned();
    let (code, line) = error_line(&run(
        &dir,
        "",
        &["upgrade", "--sql", &version(1), "--from", &version(3)],
    ));
    assert_eq!(code, Some(2), "{line}");
    assert!(line.contains("use `downgrade --sql"), "{line}");
    let (code, line) = error_line(&run(
        &dir,
        "",
        &["downgrade", "--sql", &version(3), "--from", &version(1)],
    ));
    assert_eq!(code, Some(2), "{line}");
    assert!(line.contains("use `upgrade --sql"), "{line}");
}

#[tokio::test]
async fn upgrading_to_a_version_below_a_gap_says_it_is_a_gap() {
    let (_tmp, dir) = reference_history();
    let db = TestDb::postgres().await;
    ok(run(&dir, &db.url, &["upgrade"]));
    let names = cli::migration_names(&dir);
    let gap = names[3].split('_').next().unwrap().to_owned();
    // As if the migration had arrived from another branch after later ones were applied.
    let pool = db.pg_pool().await;
    sqlx::query(&format!(
        "DELETE FROM _sqlx_migrations WHERE version = {gap}"
    ))
    .execute(&pool)
    .await
    .unwrap();
    let (code, line) = error_line(&run(&dir, &db.url, &["upgrade", &gap]));
    assert_eq!(code, Some(2), "{line}");
    assert!(
        line.contains("is not applied") && line.contains("gap"),
        "{line}"
    );
    assert!(!line.contains("already applied"), "{line}");
}

#[test]
fn a_version_too_large_for_sqlx_is_a_directory_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    ok(run(&dir, "", &["--empty", "huge"]));
    let name = cli::migration_names(&dir).remove(0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let file = entry.file_name().to_string_lossy().into_owned();
        if let Some(rest) = file.strip_prefix(name.split('_').next().unwrap()) {
            std::fs::rename(
                entry.path(),
                dir.join(format!("99999999999999999999{rest}")),
            )
            .unwrap();
        }
    }
    let (code, line) = error_line(&run(&dir, "", &["upgrade", "--sql"]));
    assert_eq!(code, Some(5), "{line}");
    assert!(line.contains("does not fit a 64-bit integer"), "{line}");
}

#[tokio::test]
async fn an_unusable_version_table_is_a_state_error() {
    let (_tmp, dir) = reference_history();
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    sqlx::query("CREATE TABLE _sqlx_migrations (x INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    for args in [&["current"][..], &["upgrade"][..]] {
        let (code, line) = error_line(&run(&dir, &db.url, args));
        assert_eq!(code, Some(9), "{args:?}: {line}");
        assert!(line.contains("_sqlx_migrations"), "{line}");
    }
    let _ = stdout;
}

/// The reference history without its newest `count` migrations: the models are then ahead of
/// the directory's head.
fn history_without_newest(count: usize) -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = reference_history();
    for name in cli::migration_names(&dir).iter().rev().take(count) {
        for ext in ["up.sql", "down.sql", "snapshot.json"] {
            std::fs::remove_file(dir.join(format!("{name}.{ext}"))).unwrap();
        }
    }
    (tmp, dir)
}

fn file(dir: &Path, name: &str, ext: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap()
}

#[tokio::test]
async fn amend_folds_model_changes_into_the_newest_migration() {
    let (_tmp, dir) = history_without_newest(2);
    let before = cli::migration_names(&dir);
    let head = before.last().unwrap().clone();
    assert!(head.ends_with("_user_time_zones"), "{head}");

    // --dry-run writes nothing.
    let planned = ok(run(&dir, "", &["--amend", "--dry-run"]));
    assert!(planned.contains("ADD VALUE 'URGENT'"), "{planned}");
    assert_eq!(file(&dir, &head, "up.sql"), {
        let (_t, original) = history_without_newest(2);
        file(&original, &head, "up.sql")
    });

    let text = ok(run(&dir, "", &["--amend"]));
    assert_eq!(
        text,
        format!("Amended {}\n", dir.join(format!("{head}.up.sql")).display())
    );
    assert_eq!(
        cli::migration_names(&dir),
        before,
        "same migrations, same names"
    );
    let up = file(&dir, &head, "up.sql");
    assert!(
        up.contains("timezone") && up.contains("ADD VALUE 'URGENT'"),
        "{up}"
    );
    assert!(ok(run(&dir, "", &["generate", "again"])).starts_with("No changes"));
    ok(run(&dir, "", &["check"]));

    // The amended history applies and reverts on PostgreSQL.
    let db = TestDb::postgres().await;
    ok(run(&dir, &db.url, &["upgrade"]));
    assert_eq!(
        ok(run(&dir, &db.url, &["current"])),
        format!("{head} (head)\n")
    );
    ok(run(&dir, &db.url, &["downgrade", "base"]));
}

#[test]
fn amend_with_a_message_renames_the_files() {
    let (_tmp, dir) = history_without_newest(2);
    let head = cli::migration_names(&dir).pop().unwrap();
    let version = head.split('_').next().unwrap().to_owned();
    let text = ok(run(&dir, "", &["--amend", "time zones and urgency"]));
    let renamed = format!("{version}_time_zones_and_urgency");
    assert!(text.contains(&format!("(was {head})")), "{text}");
    assert_eq!(cli::migration_names(&dir).pop().unwrap(), renamed);
    assert!(!dir.join(format!("{head}.snapshot.json")).exists());
    assert!(file(&dir, &renamed, "up.sql").starts_with("-- time zones and urgency\n"));
    ok(run(&dir, "", &["check"]));
}

#[test]
fn amend_refuses_hand_written_sql_and_changes_nothing() {
    // An edited generated migration.
    let (_tmp, dir) = history_without_newest(2);
    let head = cli::migration_names(&dir).pop().unwrap();
    let edited = file(&dir, &head, "up.sql") + "\nUPDATE users SET timezone = 'Europe/Paris';\n";
    cli::write_sql(&dir, &head, "up", &edited);
    let (code, line) = error_line(&run(&dir, "", &["--amend"]));
    assert_eq!(code, Some(4), "{line}");
    assert!(
        line.contains("by hand") && line.contains(&format!("{head}.up.sql")),
        "{line}"
    );
    assert_eq!(file(&dir, &head, "up.sql"), edited, "kept as it was");

    // A data migration made with --empty is hand-written through and through.
    let (_tmp, dir) = history_without_newest(7);
    let head = cli::migration_names(&dir).pop().unwrap();
    assert!(
        head.ends_with("_set_priorities_of_existing_tasks"),
        "{head}"
    );
    let (code, line) = error_line(&run(&dir, "", &["--amend"]));
    assert_eq!(code, Some(4), "{line}");
    assert!(line.contains("by hand"), "{line}");
}

#[tokio::test]
async fn amend_refuses_a_migration_the_database_has_applied() {
    let (_tmp, dir) = history_without_newest(2);
    let head = cli::migration_names(&dir).pop().unwrap();
    let original = file(&dir, &head, "up.sql");
    let db = TestDb::postgres().await;
    ok(run(&dir, &db.url, &["upgrade"]));
    let (code, line) = error_line(&run(&dir, &db.url, &["--amend"]));
    assert_eq!(code, Some(4), "{line}");
    assert!(
        line.contains("is applied") && line.contains("downgrade -1"),
        "{line}"
    );
    assert_eq!(file(&dir, &head, "up.sql"), original);
    // After reverting it, amending works.
    ok(run(&dir, &db.url, &["downgrade", "-1"]));
    ok(run(&dir, &db.url, &["--amend"]));
    ok(run(&dir, &db.url, &["upgrade"]));
}

#[test]
fn amend_with_nothing_to_amend_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations").join("postgres");
    let (code, line) = error_line(&run(&dir, "", &["--amend"]));
    assert_eq!(code, Some(5), "{line}");
    assert!(line.contains("no migration to amend"), "{line}");
    let (code, line) = error_line(&run(&dir, "", &["--amend", "--empty"]));
    assert_eq!(code, Some(2), "{line}");
    // Models that match the newest migration leave nothing to fold in.
    let (_tmp, dir) = reference_history();
    let text = ok(run(&dir, "", &["--amend"]));
    assert!(
        text.starts_with("No changes: the models match ") && text.contains("nothing to amend"),
        "{text}"
    );
}

#[test]
fn amend_refuses_a_migration_with_a_successor() {
    // A hand-written pair (as `sqlx migrate add -r` writes it) after the newest generated one.
    let (_tmp, dir) = history_without_newest(2);
    let head = cli::migration_names(&dir).pop().unwrap();
    let original = file(&dir, &head, "up.sql");
    let later = "29991231000000_backfill";
    cli::write_sql(&dir, later, "up", "UPDATE users SET timezone = 'UTC';\n");
    cli::write_sql(&dir, later, "down", "SELECT 1;\n");
    let (code, line) = error_line(&run(&dir, "", &["--amend"]));
    assert_eq!(code, Some(5), "{line}");
    assert!(line.contains(&head) && line.contains(later), "{line}");
    assert_eq!(file(&dir, &head, "up.sql"), original);
}

#[test]
fn quiet_silences_progress_but_not_answers_and_json_wins() {
    let (_tmp, dir) = reference_history();
    // What was asked for is printed with -q; progress and "No changes" are not.
    assert_eq!(ok(run(&dir, "", &["-q", "heads"])).lines().count(), 1);
    assert_eq!(ok(run(&dir, "", &["-q", "history"])).lines().count(), 11);
    assert_eq!(ok(run(&dir, "", &["-q", "generate", "x"])), "");
    // --json is an explicit request for machine output: one object per line, even with -q.
    let text = ok(run(&dir, "", &["-q", "--json", "generate", "x"]));
    let event: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(event["event"], "no_changes");
    for line in ok(run(&dir, "", &["--json", "history"])).lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
}
