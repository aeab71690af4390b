//! PostgreSQL scripts without a connection: splitting a migration into statements, and the SQL
//! `--sql` prints for review (the migrations with sqlx's bookkeeping).

use sqlparser::dialect::PostgreSqlDialect;

use crate::runner::script::{offline_text, split, Bodies};
use crate::runner::{Direction, MigrationScript, Offline};

/// The version table, as sqlx's PostgreSQL driver creates it (so either tool may create it).
pub(super) const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
)";

/// PostgreSQL's offline half: its splitter and its `--sql` text.
#[derive(Debug, Clone, Copy, Default)]
pub struct PgOffline;

impl Offline for PgOffline {
    fn statements(&self, sql: &str) -> Vec<String> {
        statements(sql)
    }

    fn offline_sql(&self, migrations: &[&MigrationScript], direction: Direction) -> String {
        offline_text(
            migrations,
            direction,
            VERSION_TABLE,
            |hex| format!("'\\x{hex}'"),
            statements,
        )
    }
}

/// Splits a script into statements at `;`, outside string literals, quoted identifiers,
/// dollar-quoted bodies and comments (as sqlparser's PostgreSQL tokenizer reads them), brackets
/// (a rule's action list) and `BEGIN ATOMIC ... END` function bodies. Statements keep their text
/// (without the final `;`); comment-only and empty pieces are dropped. Text the tokenizer
/// cannot read (an unterminated string) is left whole, for the server to report.
pub fn statements(sql: &str) -> Vec<String> {
    split(sql, &PostgreSqlDialect {}, Bodies::BeginAtomic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements() {
        let sql = "-- header; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\
                   /* block; /* nested; */ */ INSERT INTO \"we;ird\" VALUES (E'it\\'s;');\n\
                   CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n\
                   SELECT $$;$$\n-- trailing comment";
        assert_eq!(
            statements(sql),
            [
                // Comments stay with the statement they precede.
                "-- header; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT 'a;b')",
                "/* block; /* nested; */ */ INSERT INTO \"we;ird\" VALUES (E'it\\'s;')",
                "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
                "SELECT $$;$$\n-- trailing comment",
            ]
        );
        assert!(statements("-- only a comment\n").is_empty());
        assert_eq!(
            statements("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1;"),
            [
                "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
                "SELECT 1"
            ]
        );
        assert_eq!(
            statements("CREATE FUNCTION f(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END; SELECT i + 1; END; SELECT 2;"),
            [
                "CREATE FUNCTION f(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END; SELECT i + 1; END",
                "SELECT 2"
            ]
        );
        assert_eq!(statements("SELECT 1"), ["SELECT 1"]);
    }

    #[test]
    fn splits_at_the_right_byte() {
        // Multi-byte characters and CRLF line ends before a `;`.
        assert_eq!(
            statements("COMMENT ON TABLE t IS 'été ☕';\r\nSELECT 'ü'; -- ß\r\nSELECT 2;"),
            [
                "COMMENT ON TABLE t IS 'été ☕'",
                "SELECT 'ü'",
                "-- ß\r\nSELECT 2"
            ]
        );
        // A word in a string or a quoted name is not a keyword.
        assert_eq!(
            statements("CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT 'end'; SELECT \"case\"; END; SELECT 3"),
            [
                "CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT 'end'; SELECT \"case\"; END",
                "SELECT 3"
            ]
        );
        // Text the tokenizer cannot read goes to the server whole, which reports it.
        assert_eq!(
            statements("SELECT 1; SELECT 'open"),
            ["SELECT 1; SELECT 'open"]
        );
        assert!(statements("/* only */ -- comments\n;;").is_empty());
    }
}
