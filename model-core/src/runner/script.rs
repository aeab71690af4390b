//! Migration scripts: splitting SQL into statements, and the checksums sqlx records.

use sha2::{Digest, Sha384};

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
/// dollar-quoted bodies and comments. Statements keep their text (without the final `;`);
/// comment-only and empty pieces are dropped.
pub fn statements(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut has_code = false;
    // Open brackets: `;` inside them (a rule's action list) does not end a statement.
    let mut depth: usize = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' | '[' => {
                has_code = true;
                depth += 1;
            }
            ')' | ']' => {
                has_code = true;
                depth = depth.saturating_sub(1);
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                // PostgreSQL block comments nest.
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            '\'' | '"' | '`' => {
                has_code = true;
                let escapes = c == '\''
                    && i > 0
                    && matches!(chars[i - 1], 'E' | 'e')
                    && (i < 2 || !(chars[i - 2].is_alphanumeric() || chars[i - 2] == '_'));
                i += 1;
                while i < chars.len() {
                    if escapes && chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if chars[i] == c {
                        if chars.get(i + 1) == Some(&c) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            '$' => {
                // $tag$ ... $tag$ (tag: empty or an identifier not starting with a digit).
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                let tag_ok = chars.get(j) == Some(&'$')
                    && !chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
                if tag_ok {
                    has_code = true;
                    let tag: String = chars[i..=j].iter().collect();
                    let tag_chars: Vec<char> = tag.chars().collect();
                    let mut k = j + 1;
                    while k < chars.len() {
                        if chars[k..].starts_with(&tag_chars) {
                            k += tag_chars.len();
                            break;
                        }
                        k += 1;
                    }
                    i = k;
                    continue;
                }
            }
            ';' if depth == 0 && !in_atomic_body(&chars, start, i) => {
                let text: String = chars[start..i].iter().collect();
                if has_code {
                    out.push(text.trim().to_owned());
                }
                start = i + 1;
                has_code = false;
                i += 1;
                continue;
            }
            c if !c.is_whitespace() => has_code = true,
            _ => {}
        }
        i += 1;
    }
    let text: String = chars[start.min(chars.len())..].iter().collect();
    if has_code {
        out.push(text.trim().to_owned());
    }
    out
}

/// Whether `chars[start..at]` is inside a `BEGIN ATOMIC ... END` function body (PostgreSQL's
/// SQL-standard bodies hold `;`): an unclosed `BEGIN ATOMIC`, counting `CASE ... END` pairs.
fn in_atomic_body(chars: &[char], start: usize, at: usize) -> bool {
    let text: String = chars[start..at]
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let Some(begin) = words.windows(2).position(|w| w == ["begin", "atomic"]) else {
        return false;
    };
    let mut depth = 1i32;
    for w in &words[begin + 2..] {
        match *w {
            "case" => depth += 1,
            "end" => depth -= 1,
            _ => {}
        }
    }
    depth > 0
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
