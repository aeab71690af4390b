//! SQLite scripts without a connection: splitting a migration into statements (trigger bodies
//! kept whole), and the SQL `--sql` prints for review (the migrations with sqlx's bookkeeping).

use sqlparser::dialect::SQLiteDialect;

use crate::runner::script::{offline_text, split, Bodies};
use crate::runner::{Direction, MigrationScript, Offline};

/// The version table, as sqlx's SQLite driver creates it (so either tool may create it).
pub(super) const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
)";

/// SQLite's offline half: its splitter and its `--sql` text.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteOffline;

impl Offline for SqliteOffline {
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

/// Splits a script into statements at `;`, outside string literals, quoted identifiers and
/// comments (as sqlparser's SQLite tokenizer reads them), brackets and `CREATE TRIGGER ...
/// BEGIN ... END` bodies.
pub fn statements(sql: &str) -> Vec<String> {
    split(sql, &SQLiteDialect {}, Bodies::TriggerBegin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_bodies_stay_whole() {
        let sql = "CREATE TABLE t (x TEXT DEFAULT 'a;b');\n\
                   CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = CASE WHEN x = 'a' THEN 'b' ELSE x END;\n  DELETE FROM t WHERE x = ';';\nEND;\n\
                   -- a comment; with a semicolon\nINSERT INTO \"we;ird\" VALUES (1);\nBEGIN TRANSACTION";
        assert_eq!(
            statements(sql),
            [
                "CREATE TABLE t (x TEXT DEFAULT 'a;b')",
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = CASE WHEN x = 'a' THEN 'b' ELSE x END;\n  DELETE FROM t WHERE x = ';';\nEND",
                "-- a comment; with a semicolon\nINSERT INTO \"we;ird\" VALUES (1)",
                "BEGIN TRANSACTION",
            ]
        );
    }
}
