//! What SQLite or MySQL cannot express, through the CLI of a project written for it:
//! `generate` answers one line naming the table and the column, exit 6, and writes nothing.
//! This test binary links a model with an array field and a unique on an unbounded string,
//! and runs the CLI in a child process of itself.

use model_core::dialect::Dialect;
use model_core::Table;

const ARGS: &str = "MIGRATE_GEN_UNSUPPORTED_ARGS";
const DIALECT: &str = "MIGRATE_GEN_UNSUPPORTED_DIALECT";

#[derive(Table, Debug, Clone)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    #[column(unique)]
    pub slug: String,
    pub tags: Vec<String>,
}

/// The child: the CLI of a project written for the dialect it is told.
#[test]
fn companion_for_one_dialect() {
    let dialect = std::env::var(DIALECT)
        .ok()
        .and_then(|d| Dialect::from_name(&d))
        .unwrap_or(Dialect::Sqlite);
    let config = migrate_gen::Config::new("migrations").dialect(dialect);
    tests::cli::companion(ARGS, |args| migrate_gen::run(config, args));
}

/// `generate` for `dialect`: its one line on stderr, after checking exit 6 and nothing written.
fn refusal(dialect: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let out = tests::cli::run_companion(
        "companion_for_one_dialect",
        ARGS,
        &dir,
        "",
        &["create posts"],
        &[(DIALECT, dialect)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    let written = std::fs::read_dir(&dir).map_or(0, |d| d.count());
    assert_eq!(written, 0, "nothing is written");
    lines[0].to_owned()
}

#[test]
fn an_array_field_is_one_line_exit_6_and_nothing_written() {
    assert_eq!(
        refusal("sqlite"),
        "error: sqlite cannot express arrays (`TEXT[]`) (table `posts`, column `tags`)"
    );
}

#[test]
fn mysql_says_what_it_cannot_key_or_express() {
    // The first thing it cannot hold: the unique on `slug` (the array comes after it).
    assert_eq!(
        refusal("mysql"),
        "error: mysql cannot express a unique on a LONGTEXT column (MySQL keys such a column \
         only by a prefix; give the field a max_length) (table `posts`, column `slug`)"
    );
}
