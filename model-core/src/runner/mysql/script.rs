//! MySQL and MariaDB scripts without a connection: splitting a migration into statements, and
//! the SQL `--sql` prints for review (the migrations with sqlx's bookkeeping).

use sqlparser::dialect::MySqlDialect;

use crate::runner::script::{offline_text, split, Bodies};
use crate::runner::{Direction, MigrationScript, Offline};

/// The version table, as sqlx's MySQL driver creates it (so either tool may create it).
pub(super) const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
)";

/// How far a migration that stopped half-way got: one row per such migration, written after
/// every statement, removed when the migration completes. sqlx knows nothing of it; its own
/// row for the version says `success = FALSE` meanwhile, so sqlx stops there too.
pub(super) const PROGRESS_TABLE: &str = "CREATE TABLE IF NOT EXISTS _migrate_gen_progress (
    version BIGINT PRIMARY KEY,
    direction VARCHAR(4) NOT NULL,
    statements INT NOT NULL,
    statement_hashes LONGTEXT NOT NULL,
    cumulative_hash CHAR(64) NOT NULL,
    up_ran INT NULL,
    updated_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
)";

/// MySQL's offline half: its splitter and its `--sql` text.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySqlOffline;

impl Offline for MySqlOffline {
    fn statements(&self, sql: &str) -> Vec<String> {
        statements(sql)
    }

    fn offline_sql(&self, migrations: &[&MigrationScript], direction: Direction) -> String {
        offline_text(
            migrations,
            direction,
            VERSION_TABLE,
            |hex| format!("X'{hex}'"),
            statements,
        )
    }
}

/// Splits a script into statements at `;`, outside string literals, backquoted identifiers
/// and comments (as sqlparser's MySQL tokenizer reads them), brackets and `BEGIN ... END`
/// bodies of triggers.
pub fn statements(sql: &str) -> Vec<String> {
    split(sql, &MySqlDialect {}, Bodies::TriggerBegin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backquotes_strings_and_comments_keep_their_semicolons() {
        let sql = "-- no-transaction\n-- 1. create table a\nCREATE TABLE `a;b` (x VARCHAR(3) DEFAULT 'a;b' COMMENT 'c\\';d');\n\
                   # a comment; with a semicolon\nINSERT INTO t VALUES (1);\n/* x; */ DROP TABLE t";
        assert_eq!(
            statements(sql),
            [
                "-- no-transaction\n-- 1. create table a\nCREATE TABLE `a;b` (x VARCHAR(3) DEFAULT 'a;b' COMMENT 'c\\';d')",
                "# a comment; with a semicolon\nINSERT INTO t VALUES (1)",
                "/* x; */ DROP TABLE t",
            ]
        );
    }
}
