//! Migration scripts, whatever the database: the checksums and lock ids sqlx records, and the
//! `-- no-transaction` directive. Splitting a script into statements is each backend's (its
//! tokenizer knows its quoting), as is the SQL `--sql` prints.

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
    fn crc32_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
