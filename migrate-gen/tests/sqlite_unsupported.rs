//! What SQLite cannot express, through the CLI of a SQLite project: `generate` answers one
//! line naming the table and the column, exit 6, and writes nothing. This test binary links a
//! model with an array field and runs the CLI in a child process of itself.

use model_core::dialect::Dialect;
use model_core::Table;

const ARGS: &str = "MIGRATE_GEN_SQLITE_UNSUPPORTED_ARGS";

#[derive(Table, Debug, Clone)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    pub tags: Vec<String>,
}

/// The child: the CLI of a SQLite project, with the arguments it was given.
#[test]
fn companion_for_sqlite() {
    let config = migrate_gen::Config::new("migrations").dialect(Dialect::Sqlite);
    tests::cli::companion(ARGS, |args| migrate_gen::run(config, args));
}

#[test]
fn an_array_field_is_one_line_exit_6_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let out = tests::cli::run_companion(
        "companion_for_sqlite",
        ARGS,
        &dir,
        "",
        &["create posts"],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines,
        ["error: sqlite cannot express arrays (`TEXT[]`) (table `posts`, column `tags`)"],
        "{stderr}"
    );
    let written = std::fs::read_dir(&dir).map_or(0, |d| d.count());
    assert_eq!(written, 0, "nothing is written");
}
