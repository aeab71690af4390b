//! Migration scripts: splitting SQL into statements, and the checksums sqlx records.

use sha2::{Digest, Sha384};
use sqlparser::dialect::PostgreSqlDialect;
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

    #[test]
    fn checksums_ignore_line_endings() {
        let lf = "SELECT 1;\nSELECT 2;\n";
        let crlf = "SELECT 1;\r\nSELECT 2;\r\n";
        assert!(checksum_matches(crlf, &checksum(lf)));
        assert!(checksum_matches(lf, &checksum(crlf)));
        assert!(!checksum_matches("SELECT 3;\n", &checksum(lf)));
    }

    #[test]
    fn crc32_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
