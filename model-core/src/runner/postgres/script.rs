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

/// The progress of migrations run statement by statement (`-- no-transaction`), beside the
/// version table: how many statements ran, and a hash of each.
pub(super) const PROGRESS_TABLE: &str = "CREATE TABLE IF NOT EXISTS _migrate_gen_progress (
    version BIGINT PRIMARY KEY,
    direction TEXT NOT NULL,
    statements INT NOT NULL,
    statement_hashes TEXT NOT NULL,
    cumulative_hash TEXT NOT NULL,
    up_ran INT,
    updated_on TIMESTAMPTZ NOT NULL DEFAULT now()
)";

/// What a statement does to the application's writes while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// It takes a lock that blocks writes (most DDL): it waits for locks at most
    /// `lock_timeout`.
    Blocking,
    /// Writes go on while it runs and while it waits (`CREATE INDEX CONCURRENTLY`, `DROP
    /// INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`, `VALIDATE CONSTRAINT`).
    Online,
    /// A batched fill or copy (`DO $fill$ ...`, `DO $copy$ ...`): row locks only, a batch at
    /// a time.
    Fill,
}

/// The words of a statement without its comments, upper-cased and separated by one space.
fn words(statement: &str) -> String {
    statement
        .lines()
        .map(|line| line.split("--").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

/// What `statement` does to writes while it runs (see [`StatementKind`]).
pub fn statement_kind(statement: &str) -> StatementKind {
    let words = words(statement);
    if words.starts_with("DO $FILL$") || words.starts_with("DO $COPY$") {
        return StatementKind::Fill;
    }
    let concurrently = [
        "CREATE INDEX CONCURRENTLY",
        "CREATE UNIQUE INDEX CONCURRENTLY",
        "DROP INDEX CONCURRENTLY",
        "REINDEX",
    ]
    .iter()
    .any(|p| words.starts_with(p))
        && words.contains(" CONCURRENTLY");
    let validate = words.starts_with("ALTER TABLE ")
        && words.contains(" VALIDATE CONSTRAINT ")
        && !words.contains(',');
    if concurrently || validate {
        StatementKind::Online
    } else {
        StatementKind::Blocking
    }
}

/// The index a `CREATE [UNIQUE] INDEX CONCURRENTLY <name> ON ...` statement builds, as the
/// catalog spells it (a quoted name as written, an unquoted one in lower case).
pub(super) fn concurrent_index_name(statement: &str) -> Option<String> {
    let text: String = statement
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut rest = text.trim_start();
    for word in [
        "CREATE",
        "UNIQUE",
        "INDEX",
        "CONCURRENTLY",
        "IF",
        "NOT",
        "EXISTS",
    ] {
        let trimmed = rest.trim_start();
        match trimmed.get(..word.len()) {
            Some(w)
                if w.eq_ignore_ascii_case(word)
                    && trimmed[word.len()..].starts_with(char::is_whitespace) =>
            {
                rest = &trimmed[word.len()..];
            }
            _ if word == "UNIQUE" || word == "IF" || word == "NOT" || word == "EXISTS" => {}
            _ if word == "CONCURRENTLY" => return None,
            _ => return None,
        }
    }
    let rest = rest.trim_start();
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    name.push('"');
                } else {
                    return Some(name);
                }
            } else {
                name.push(c);
            }
        }
        None
    } else {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        (!name.is_empty() && !name.eq_ignore_ascii_case("ON")).then(|| name.to_lowercase())
    }
}

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
    fn statements_are_classified_by_what_they_do_to_writes() {
        use StatementKind::*;
        for (sql, kind) in [
            ("-- 1. x\nCREATE INDEX CONCURRENTLY ix ON t (a)", Online),
            (
                "create unique index concurrently if not exists ix on t (a)",
                Online,
            ),
            ("DROP INDEX CONCURRENTLY IF EXISTS ix", Online),
            ("REINDEX INDEX CONCURRENTLY ix", Online),
            ("ALTER TABLE t VALIDATE CONSTRAINT fk_t", Online),
            ("DO $fill$\nBEGIN\nEND\n$fill$", Fill),
            ("CREATE INDEX ix ON t (a)", Blocking),
            (
                "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID",
                Blocking,
            ),
            (
                "ALTER TABLE t VALIDATE CONSTRAINT a, ADD COLUMN b int",
                Blocking,
            ),
            ("-- CREATE INDEX CONCURRENTLY\nDROP TABLE t", Blocking),
        ] {
            assert_eq!(statement_kind(sql), kind, "{sql}");
        }
    }

    #[test]
    fn the_index_a_concurrent_build_makes_is_named_as_the_catalog_does() {
        for (sql, name) in [
            (
                "-- 7. x\nCREATE UNIQUE INDEX CONCURRENTLY uq_books_isbn ON books (isbn)",
                Some("uq_books_isbn"),
            ),
            (
                "create index concurrently IX_Upper on t (a)",
                Some("ix_upper"),
            ),
            (
                "CREATE INDEX CONCURRENTLY \"Mixed \"\"Case\" ON t (a)",
                Some("Mixed \"Case"),
            ),
            (
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON t (a)",
                Some("ix"),
            ),
            ("CREATE INDEX CONCURRENTLY ON t (a)", None),
            ("CREATE INDEX ix ON t (a)", None),
            ("DROP INDEX CONCURRENTLY ix", None),
        ] {
            assert_eq!(concurrent_index_name(sql).as_deref(), name, "{sql}");
        }
    }

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
