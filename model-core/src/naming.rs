//! Deterministic names for constraints and indexes.
//!
//! Every constraint and index the models do not name explicitly gets a name built from the
//! table and the columns it covers, with a fixed prefix:
//!
//! | object | name |
//! |---|---|
//! | primary key | `pk_<table>` |
//! | foreign key | `fk_<table>_<columns>_<referenced table>` |
//! | unique constraint | `uq_<table>_<columns>` |
//! | index | `ix_<table>_<keys>` (`ux_` is not used: a unique index is still `ix_`) |
//! | check | `ck_<table>_<hash of the expression>` |
//!
//! Names longer than [`MAX_IDENTIFIER_LEN`] bytes (PostgreSQL's limit, one less than MySQL's)
//! are cut at a character boundary and end in `_` plus eight hexadecimal digits of a stable
//! hash (FNV-1a) of the full name, so two long names that share a prefix stay distinct and the
//! same input always gives the same name.

/// The longest identifier, in bytes, that every supported database keeps intact.
pub const MAX_IDENTIFIER_LEN: usize = 63;

/// FNV-1a, 64 bits. Stable across platforms and releases, unlike `std`'s hashers.
pub fn stable_hash(data: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in data.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Eight hexadecimal digits of [`stable_hash`].
pub fn short_hash(data: &str) -> String {
    format!("{:08x}", stable_hash(data) >> 32)
}

/// Shortens `name` to fit [`MAX_IDENTIFIER_LEN`] bytes; names that fit are returned unchanged.
pub fn fit(name: &str) -> String {
    if name.len() <= MAX_IDENTIFIER_LEN {
        return name.to_owned();
    }
    let suffix = format!("_{}", short_hash(name));
    let mut cut = MAX_IDENTIFIER_LEN - suffix.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = name[..cut].trim_end_matches('_');
    format!("{head}{suffix}")
}

/// Turns an SQL fragment into identifier-friendly words: `lower(email) DESC` → `lower_email_desc`.
pub fn words(fragment: &str) -> String {
    let mut out = String::new();
    for part in fragment
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&part.to_lowercase());
    }
    out
}

/// `pk_<table>`
pub fn primary_key(table: &str) -> String {
    fit(&format!("pk_{table}"))
}

/// `fk_<table>_<columns>_<referenced table>`
pub fn foreign_key(table: &str, columns: &[String], ref_table: &str) -> String {
    fit(&format!("fk_{table}_{}_{ref_table}", columns.join("_")))
}

/// `uq_<table>_<columns>`
pub fn unique(table: &str, columns: &[String]) -> String {
    fit(&format!("uq_{table}_{}", columns.join("_")))
}

/// `ix_<table>_<keys>`, where each key is reduced to [`words`].
pub fn index(table: &str, keys: &[String]) -> String {
    let keys: Vec<String> = keys.iter().map(|k| words(k)).collect();
    fit(&format!("ix_{table}_{}", keys.join("_")))
}

/// `ck_<table>_<hash of the whitespace-normalized expression>`
pub fn check(table: &str, expr: &str) -> String {
    let normalized = expr.split_whitespace().collect::<Vec<_>>().join(" ");
    fit(&format!("ck_{table}_{}", short_hash(&normalized)))
}

/// `ck_<table>_<column>_enum`: the CHECK that stands in for an enum type on SQLite.
pub fn enum_check(table: &str, column: &str) -> String {
    fit(&format!("ck_{table}_{column}_enum"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_kept() {
        assert_eq!(primary_key("tasks"), "pk_tasks");
        assert_eq!(
            foreign_key("tasks", &["user_id".into()], "users"),
            "fk_tasks_user_id_users"
        );
        assert_eq!(
            index("tasks", &["user_id".into(), "lower(title) DESC".into()]),
            "ix_tasks_user_id_lower_title_desc"
        );
    }

    #[test]
    fn long_names_are_cut_with_a_stable_hash() {
        let long = "x".repeat(80);
        let name = unique(&long, &["a".into()]);
        assert_eq!(name.len(), MAX_IDENTIFIER_LEN);
        assert_eq!(name, unique(&long, &["a".into()]));
        assert_ne!(name, unique(&long, &["b".into()]));
        assert!(name.starts_with("uq_xxx"));
        // The value is part of the file format: it must never change between releases.
        assert_eq!(short_hash("hello"), "a430d846");
    }

    #[test]
    fn cutting_respects_character_boundaries() {
        let long = "é".repeat(40);
        let name = fit(&long);
        assert!(name.len() <= MAX_IDENTIFIER_LEN);
        assert!(name.is_char_boundary(name.len() - 9));
    }

    #[test]
    fn check_names_ignore_whitespace() {
        assert_eq!(
            check("t", "length(title)  >\n0"),
            check("t", "length(title) > 0")
        );
    }
}
