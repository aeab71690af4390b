//! PostgreSQL scripts without a connection: splitting a migration into statements, and the SQL
//! `--sql` prints for review (the migrations with sqlx's bookkeeping).

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::runner::script::{hex, is_no_transaction};
use crate::runner::{Direction, MigrationScript, Offline};

/// PostgreSQL's offline half: its splitter and its `--sql` text.
#[derive(Debug, Clone, Copy, Default)]
pub struct PgOffline;

impl Offline for PgOffline {
    fn statements(&self, sql: &str) -> Vec<String> {
        statements(sql)
    }

    fn offline_sql(&self, migrations: &[&MigrationScript], direction: Direction) -> String {
        offline_sql(migrations, direction)
    }
}

/// Splits a script into statements at `;`, outside string literals, quoted identifiers,
/// dollar-quoted bodies and comments (as sqlparser's PostgreSQL tokenizer reads them), brackets
/// (a rule's action list) and `BEGIN ATOMIC ... END` function bodies. Statements keep their text
/// (without the final `;`); comment-only and empty pieces are dropped. Text the tokenizer
/// cannot read (an unterminated string) is left whole, for the server to report.
pub fn statements(sql: &str) -> Vec<String> {
    let dialect = PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, sql).tokenize_with_location() else {
        return piece(sql).into_iter().collect();
    };
    // Byte offset of each line's start: the tokenizer gives lines and columns (in characters).
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(sql.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |line: u64, column: u64| {
        let start = usize::try_from(line.saturating_sub(1))
            .ok()
            .and_then(|l| line_starts.get(l))
            .copied()
            .unwrap_or(sql.len());
        let column = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        sql[start..]
            .char_indices()
            .nth(column)
            .map_or(sql.len(), |(i, _)| start + i)
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth: usize = 0;
    // Open `BEGIN ATOMIC` bodies and `CASE` expressions inside them, each closed by `END`.
    let mut atomic: usize = 0;
    let mut previous_word = Keyword::NoKeyword;
    for token in &tokens {
        match &token.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Word(word) if word.quote_style.is_none() => {
                match word.keyword {
                    Keyword::ATOMIC if previous_word == Keyword::BEGIN => atomic += 1,
                    Keyword::CASE if atomic > 0 => atomic += 1,
                    Keyword::END => atomic = atomic.saturating_sub(1),
                    _ => {}
                }
                previous_word = word.keyword;
            }
            Token::SemiColon if depth == 0 && atomic == 0 => {
                let at = offset(token.span.start.line, token.span.start.column);
                out.extend(piece(&sql[start..at]));
                start = at + 1;
            }
            _ => {}
        }
    }
    out.extend(piece(&sql[start.min(sql.len())..]));
    out
}

/// A statement's text, trimmed, unless it holds nothing but white space and comments.
fn piece(text: &str) -> Option<String> {
    let dialect = PostgreSqlDialect {};
    let has_code = match Tokenizer::new(&dialect, text).tokenize() {
        Ok(tokens) => tokens
            .iter()
            .any(|t| !matches!(t, Token::Whitespace(_) | Token::EOF)),
        Err(_) => true,
    };
    has_code.then(|| text.trim().to_owned())
}

/// The SQL that `upgrade`/`downgrade` would run, with the version bookkeeping, for offline
/// review (`--sql`). PostgreSQL syntax.
fn offline_sql(migrations: &[&MigrationScript], direction: Direction) -> String {
    let mut out = String::from(
        "CREATE TABLE IF NOT EXISTS _sqlx_migrations (\n    version BIGINT PRIMARY KEY,\n    \
         description TEXT NOT NULL,\n    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),\n    \
         success BOOLEAN NOT NULL,\n    checksum BYTEA NOT NULL,\n    execution_time BIGINT NOT NULL\n);\n",
    );
    for m in migrations {
        let (sql, verb) = match direction {
            Direction::Up => (&m.up, "apply"),
            Direction::Down => (&m.down, "revert"),
        };
        let tx = !is_no_transaction(sql);
        out.push_str(&format!("\n-- {verb} {}\n", m.name));
        if tx {
            out.push_str("BEGIN;\n");
        }
        for statement in statements(sql) {
            out.push_str(&statement);
            // A statement ending in a line comment gets its `;` on the next line.
            if statement.lines().last().is_some_and(|l| l.contains("--")) {
                out.push('\n');
            }
            out.push_str(";\n");
        }
        match direction {
            Direction::Up => out.push_str(&format!(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ({}, '{}', TRUE, '\\x{}', -1);\n",
                m.version,
                m.description.replace('\'', "''"),
                hex(&m.checksum())
            )),
            Direction::Down => out.push_str(&format!(
                "DELETE FROM _sqlx_migrations WHERE version = {};\n",
                m.version
            )),
        }
        if tx {
            out.push_str("COMMIT;\n");
        }
    }
    out
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
