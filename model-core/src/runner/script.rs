//! Migration scripts, whatever the database: the checksums and lock ids sqlx records, and the
//! `-- no-transaction` directive; and the splitter each backend runs with its own tokenizer
//! ([`split`]). The SQL `--sql` prints is each backend's.

use sha2::{Digest, Sha384};

use super::{Direction, MigrationScript};
use sqlparser::dialect::Dialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer};

/// The checksum sqlx records for a migration: SHA-384 of the file's text.
pub fn checksum(sql: &str) -> Vec<u8> {
    Sha384::digest(sql.as_bytes()).to_vec()
}

/// Whether `recorded` is the checksum of `sql`, allowing for line endings: a file checked out
/// with CRLF instead of LF (or the reverse) is not an edit.
pub fn checksum_matches(sql: &str, recorded: &[u8]) -> bool {
    if checksum(sql) == recorded {
        return true;
    }
    let lf = sql.replace("\r\n", "\n");
    let crlf = lf.replace('\n', "\r\n");
    checksum(&lf) == recorded || checksum(&crlf) == recorded
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the script opts out of a transaction (sqlx's convention: it starts with
/// `-- no-transaction`).
pub fn is_no_transaction(sql: &str) -> bool {
    sql.starts_with("-- no-transaction")
}

/// Where a statement has a body of statements of its own, whose `;` do not end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// PostgreSQL: `BEGIN ATOMIC ... END` function bodies.
    BeginAtomic,
    /// SQLite: `CREATE TRIGGER ... BEGIN ... END`.
    TriggerBegin,
}

/// Splits a script into statements at `;`, outside what `dialect`'s tokenizer reads as string
/// literals, quoted identifiers, dollar-quoted bodies and comments, outside brackets, and
/// outside `bodies` (with the `CASE ... END` inside them). Statements keep their text (without
/// the final `;`); comment-only and empty pieces are dropped. Text the tokenizer cannot read
/// (an unterminated string) is left whole, for the server to report.
pub fn split(sql: &str, dialect: &dyn Dialect, bodies: Bodies) -> Vec<String> {
    let Ok(tokens) = Tokenizer::new(dialect, sql).tokenize_with_location() else {
        return piece(sql, dialect).into_iter().collect();
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
    // Open bodies and `CASE` expressions inside them, each closed by `END`.
    let mut atomic: usize = 0;
    let mut previous_word = Keyword::NoKeyword;
    // The statement's first keyword, and whether it has said TRIGGER (SQLite's bodies).
    let mut first_word = Keyword::NoKeyword;
    let mut trigger = false;
    for token in &tokens {
        match &token.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Word(word) if word.quote_style.is_none() => {
                if first_word == Keyword::NoKeyword {
                    first_word = word.keyword;
                }
                trigger |= word.keyword == Keyword::TRIGGER && first_word == Keyword::CREATE;
                match word.keyword {
                    Keyword::ATOMIC
                        if bodies == Bodies::BeginAtomic && previous_word == Keyword::BEGIN =>
                    {
                        atomic += 1
                    }
                    Keyword::BEGIN if bodies == Bodies::TriggerBegin && trigger && atomic == 0 => {
                        atomic += 1
                    }
                    Keyword::CASE if atomic > 0 => atomic += 1,
                    Keyword::END => atomic = atomic.saturating_sub(1),
                    _ => {}
                }
                previous_word = word.keyword;
            }
            Token::SemiColon if depth == 0 && atomic == 0 => {
                let at = offset(token.span.start.line, token.span.start.column);
                out.extend(piece(&sql[start..at], dialect));
                start = at + 1;
                first_word = Keyword::NoKeyword;
                trigger = false;
            }
            _ => {}
        }
    }
    out.extend(piece(&sql[start.min(sql.len())..], dialect));
    out
}

/// A statement's text, trimmed, unless it holds nothing but white space and comments.
fn piece(text: &str, dialect: &dyn Dialect) -> Option<String> {
    let has_code = match Tokenizer::new(dialect, text).tokenize() {
        Ok(tokens) => tokens
            .iter()
            .any(|t| !matches!(t, Token::Whitespace(_) | Token::EOF)),
        Err(_) => true,
    };
    has_code.then(|| text.trim().to_owned())
}

/// The SQL that `upgrade`/`downgrade` would run, with sqlx's bookkeeping, for offline review
/// (`--sql`): `version_table` creates the version table, `blob` writes a checksum literal from
/// its hex digits, `statements` splits a script.
pub(crate) fn offline_text(
    migrations: &[&MigrationScript],
    direction: Direction,
    version_table: &str,
    blob: impl Fn(&str) -> String,
    statements: impl Fn(&str) -> Vec<String>,
) -> String {
    let mut out = format!("{version_table};\n");
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
                 VALUES ({}, '{}', TRUE, {}, -1);\n",
                m.version,
                m.description.replace('\'', "''"),
                blob(&hex(&m.checksum()))
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

/// The operation each statement of a generated migration belongs to: its number in the
/// file's `-- N. <description>` comments (a statement without one belongs to the operation
/// before it; 0 before the first). Hand-written files usually have none: all zeros.
pub fn operation_numbers(statements: &[String]) -> Vec<usize> {
    let mut current = 0;
    statements
        .iter()
        .map(|statement| {
            let header = statement.lines().rev().find_map(|line| {
                let rest = line.trim().strip_prefix("-- ")?;
                let (number, after) = rest.split_once(". ")?;
                (!after.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
                    .then(|| number.parse::<usize>().ok())
                    .flatten()
            });
            if let Some(number) = header {
                current = number;
            }
            current
        })
        .collect()
}

/// The statements of a migration's down that revert exactly the first `ran` statements of its
/// up, when those are whole operations of a generated migration (the down lists the inverse
/// of each up operation, numbered from the last one): the indexes of those down statements,
/// in order. `Err` says why it cannot be known: an operation only partly run (its number), or
/// a file without numbered operations (0).
pub fn partial_down(up: &[String], down: &[String], ran: usize) -> Result<Vec<usize>, usize> {
    let up_ops = operation_numbers(up);
    let down_ops = operation_numbers(down);
    let count = up_ops.iter().copied().max().unwrap_or(0);
    if count == 0 || up_ops.contains(&0) || down_ops.contains(&0) {
        return Err(0);
    }
    // Down operations that undo nothing have no statements: the last (undoing up operation
    // 1) may be one of them.
    if down_ops.iter().copied().max().unwrap_or(0) > count {
        return Err(0);
    }
    // The operation of the first statement that did not run must start there.
    if let Some(next) = up_ops.get(ran) {
        if ran > 0 && up_ops[ran - 1] == *next {
            return Err(*next);
        }
    }
    let done = up_ops.get(ran).map_or(count, |next| next - 1);
    // Down operation k reverts up operation count + 1 - k.
    Ok(down_ops
        .iter()
        .enumerate()
        .filter(|(_, k)| count + 1 - **k <= done)
        .map(|(i, _)| i)
        .collect())
}

/// A running SHA-256 over statements, for progress records: the hash after a statement is
/// SHA-256 of the previous hash's hex digits followed by the statement's text.
pub fn cumulative_hash(previous: &str, statement: &str) -> String {
    use sha2::Sha256;
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(statement.as_bytes());
    hex(&hasher.finalize())
}

/// SHA-256 of one statement, as hex.
pub fn statement_hash(statement: &str) -> String {
    hex(&sha2::Sha256::digest(statement.as_bytes()))
}

/// CRC-32 (ISO-HDLC, the common one): sqlx derives its advisory lock id from it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// The advisory lock id sqlx takes for a database, so that sqlx and this runner exclude each
/// other.
pub fn lock_id(database: &str) -> i64 {
    0x3d32_ad9e * i64::from(crc32(database.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_ignore_line_endings() {
        let lf = "SELECT 1;\nSELECT 2;\n";
        let crlf = "SELECT 1;\r\nSELECT 2;\r\n";
        assert!(checksum_matches(crlf, &checksum(lf)));
        assert!(checksum_matches(lf, &checksum(crlf)));
        assert!(!checksum_matches("SELECT 3;\n", &checksum(lf)));
    }

    #[test]
    fn a_partly_run_migration_is_reverted_by_whole_operations() {
        let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let up = v(&[
            "-- 1. create table a\nCREATE TABLE a (x INT)",
            "-- 2. rename enum value\nALTER TABLE a MODIFY x INT",
            "UPDATE a SET x = 1",
            "-- 3. add column a.y\nALTER TABLE a ADD y INT",
        ]);
        let down = v(&[
            "-- revert: m\n\n-- 1. drop column a.y\nALTER TABLE a DROP y",
            "-- 2. rename enum value back\nUPDATE a SET x = 0",
            "ALTER TABLE a MODIFY x INT",
            "-- 3. drop table a\nDROP TABLE a",
        ]);
        assert_eq!(operation_numbers(&up), [1, 2, 2, 3]);
        assert_eq!(operation_numbers(&down), [1, 2, 2, 3]);
        // Nothing ran: nothing to revert; operation 1 ran: its inverse, the last down one.
        assert_eq!(partial_down(&up, &down, 0), Ok(vec![]));
        assert_eq!(partial_down(&up, &down, 1), Ok(vec![3]));
        // Operation 2 stopped after its first statement: unknown.
        assert_eq!(partial_down(&up, &down, 2), Err(2));
        assert_eq!(partial_down(&up, &down, 3), Ok(vec![1, 2, 3]));
        assert_eq!(partial_down(&up, &down, 4), Ok(vec![0, 1, 2, 3]));
        // A hand-written file has no operations.
        assert_eq!(
            partial_down(&v(&["SELECT 1"]), &v(&["SELECT 2"]), 0),
            Err(0)
        );
    }

    #[test]
    fn cumulative_hashes_chain() {
        let one = cumulative_hash("", "CREATE TABLE a (x INT)");
        let two = cumulative_hash(&one, "DROP TABLE a");
        assert_eq!(one.len(), 64);
        assert_ne!(one, two);
        assert_eq!(
            two,
            cumulative_hash(
                &cumulative_hash("", "CREATE TABLE a (x INT)"),
                "DROP TABLE a"
            )
        );
    }

    #[test]
    fn crc32_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
