//! The migration lint: hazards of a PostgreSQL migration for an application that keeps running
//! while it is applied (the ones squawk and strong_migrations know), in any migration file,
//! generated or written by hand.
//!
//! Each [`Finding`] names its rule ([`RULES`]), the line, why it is a hazard and the safe form.
//! A comment `-- migrate-gen: allow(<rule>) <reason>` among the comments before a statement,
//! or after it on its last line, silences that rule for that statement; the reason is
//! required.
//!
//! Tables created earlier in the same file have no rows and no readers yet: what would lock
//! or rewrite an existing table is not a hazard on them. The contract migration of an
//! expand/contract change (`-- phase: contract`) runs after the deploy: its drops are not
//! hazards either.

use std::collections::{BTreeMap, BTreeSet};

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use crate::runner::script::is_no_transaction;

/// One hazard in a migration file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The 1-based line of the statement (its first line that is not a comment).
    pub line: usize,
    /// The rule's id, as `allow(...)` names it.
    pub rule: &'static str,
    /// What the statement does and why it is a hazard.
    pub message: String,
    /// What to write instead.
    pub safe: &'static str,
}

/// The rules: id, what they flag, and the safe form.
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "create-index-blocking",
        "CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built",
        "CREATE INDEX CONCURRENTLY in a `-- no-transaction` migration",
    ),
    (
        "drop-index-blocking",
        "DROP INDEX without CONCURRENTLY waits for every query on the table and blocks them meanwhile",
        "DROP INDEX CONCURRENTLY in a `-- no-transaction` migration",
    ),
    (
        "concurrently-in-transaction",
        "CONCURRENTLY cannot run inside a transaction: the migration fails",
        "start the file with `-- no-transaction`",
    ),
    (
        "constraint-validated-under-lock",
        "ADD FOREIGN KEY / CHECK reads the whole table under a lock that blocks writes",
        "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction",
    ),
    (
        "validate-in-same-transaction",
        "VALIDATE CONSTRAINT in the transaction that added the constraint holds that statement's lock while it reads the table",
        "a `-- no-transaction` migration (each statement commits on its own) or a later migration",
    ),
    (
        "unique-blocking",
        "ADD UNIQUE / PRIMARY KEY builds its index under a lock that blocks writes",
        "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX",
    ),
    (
        "set-not-null-scan",
        "SET NOT NULL reads the whole table under a lock that blocks reads and writes",
        "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (which uses the check) and drop the check",
    ),
    (
        "column-type-change",
        "ALTER COLUMN ... TYPE rewrites the table (and its indexes) under a lock that blocks reads and writes",
        "add a column of the new type, backfill it in batches, switch the application, then drop the old one (expand/contract)",
    ),
    (
        "volatile-default",
        "ADD COLUMN with a volatile default (or a serial or stored generated column) rewrites the table under a lock that blocks reads and writes",
        "add the column without a default (or with a constant one), then backfill it in batches",
    ),
    (
        "add-value-used-in-transaction",
        "a new enum value cannot be used in the transaction that added it: the migration fails",
        "add the value in a migration of its own (or a `-- no-transaction` one)",
    ),
    (
        "rename-column",
        "renaming a column breaks the version of the application that is still running during the deploy",
        "add the new column, sync and backfill it, switch the application, then drop the old one (expand/contract)",
    ),
    (
        "rename-table",
        "renaming a table breaks the version of the application that is still running during the deploy",
        "create the new table (or a view under the old name) and switch the application before the old name goes",
    ),
    (
        "drop-column",
        "the version of the application that is still running during the deploy may read or write the column",
        "stop using the column in one deploy, drop it in a later one",
    ),
    (
        "drop-table",
        "the version of the application that is still running during the deploy may read or write the table",
        "stop using the table in one deploy, drop it in a later one",
    ),
    (
        "table-rewrite",
        "VACUUM FULL, CLUSTER and REFRESH MATERIALIZED VIEW without CONCURRENTLY hold a lock that blocks reads while they rewrite",
        "pg_repack, or REFRESH MATERIALIZED VIEW CONCURRENTLY (with a unique index)",
    ),
];

/// The safe form of rule `id`.
fn safe(id: &str) -> &'static str {
    RULES
        .iter()
        .find(|(rule, _, _)| *rule == id)
        .map_or("", |(_, _, safe)| safe)
}

/// Functions whose value differs per row: a default calling one is computed for every existing
/// row, which rewrites the table.
const VOLATILE: &[&str] = &[
    "RANDOM",
    "GEN_RANDOM_UUID",
    "UUID_GENERATE_V1",
    "UUID_GENERATE_V1MC",
    "UUID_GENERATE_V4",
    "CLOCK_TIMESTAMP",
    "TIMEOFDAY",
    "NEXTVAL",
    "TXID_CURRENT",
];

/// A token of a statement, without white space and comments.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A word: upper-cased for keywords, and the name as the catalog spells it.
    Word {
        upper: String,
        name: String,
        quoted: bool,
    },
    /// A string literal's value.
    Str(String),
    /// Anything else, as written.
    Other(String),
}

impl Tok {
    fn is(&self, keyword: &str) -> bool {
        matches!(self, Tok::Word { upper, quoted: false, .. } if upper == keyword)
    }

    fn name(&self) -> Option<&str> {
        match self {
            Tok::Word { name, .. } => Some(name),
            _ => None,
        }
    }
}

fn tokens(statement: &str) -> Vec<Tok> {
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, statement).tokenize() else {
        return Vec::new();
    };
    tokens
        .into_iter()
        .filter_map(|t| match t {
            Token::Whitespace(_) | Token::EOF => None,
            Token::Word(w) => Some(Tok::Word {
                upper: w.value.to_ascii_uppercase(),
                name: if w.quote_style.is_some() {
                    w.value.clone()
                } else {
                    w.value.to_lowercase()
                },
                quoted: w.quote_style.is_some(),
            }),
            Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => Some(Tok::Str(s)),
            other => Some(Tok::Other(other.to_string())),
        })
        .collect()
}

/// The comments of a statement's text.
fn comments(statement: &str) -> Vec<String> {
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, statement).tokenize() else {
        return Vec::new();
    };
    tokens
        .into_iter()
        .filter_map(|t| match t {
            Token::Whitespace(Whitespace::SingleLineComment { comment, .. }) => Some(comment),
            Token::Whitespace(Whitespace::MultiLineComment(comment)) => Some(comment),
            _ => None,
        })
        .collect()
}

/// The rules `-- migrate-gen: allow(<rules>) <reason>` comments allow (with a reason).
fn allowed(comments: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for comment in comments {
        let Some(rest) = comment.trim().strip_prefix("migrate-gen:") else {
            continue;
        };
        let Some(rest) = rest.trim().strip_prefix("allow(") else {
            continue;
        };
        let Some((rules, reason)) = rest.split_once(')') else {
            continue;
        };
        if reason.trim().is_empty() {
            continue;
        }
        out.extend(rules.split(',').map(|r| r.trim().to_owned()));
    }
    out
}

/// A table name from a possibly schema-qualified name starting at token `i`; the index after.
fn qualified(toks: &[Tok], mut i: usize) -> Option<(String, usize)> {
    let mut name = toks.get(i)?.name()?.to_owned();
    i += 1;
    while matches!(toks.get(i), Some(Tok::Other(p)) if p == ".") {
        name = toks.get(i + 1)?.name()?.to_owned();
        i += 2;
    }
    Some((name, i))
}

/// Skips the optional keywords `words` (in order) from token `i`.
fn skip(toks: &[Tok], mut i: usize, words: &[&str]) -> usize {
    for word in words {
        if toks.get(i).is_some_and(|t| t.is(word)) {
            i += 1;
        }
    }
    i
}

/// The actions of `ALTER TABLE` from token `i`: split at commas outside parentheses.
fn actions(toks: &[Tok], i: usize) -> Vec<&[Tok]> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, i);
    for (k, t) in toks.iter().enumerate().skip(i) {
        match t {
            Tok::Other(p) if p == "(" => depth += 1,
            Tok::Other(p) if p == ")" => depth = depth.saturating_sub(1),
            Tok::Other(p) if p == "," && depth == 0 => {
                out.push(&toks[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    out.push(&toks[start.min(toks.len())..]);
    out
}

/// What the lint knows about a file as it reads it.
#[derive(Default)]
struct State {
    /// Whether the file runs in one transaction.
    transactional: bool,
    /// Tables created earlier in the file.
    created: BTreeSet<String>,
    /// Constraints added NOT VALID earlier in the file: name → (table, the column a
    /// `col IS NOT NULL` check is about).
    not_valid: BTreeMap<String, (String, Option<String>)>,
    /// (table, column) with a validated `IS NOT NULL` check.
    validated_not_null: BTreeSet<(String, String)>,
    /// Enum values added earlier in a transactional file.
    new_values: BTreeSet<String>,
}

/// Lints one PostgreSQL migration file (its text).
pub fn lint_postgres(sql: &str) -> Vec<Finding> {
    let mut state = State {
        transactional: !is_no_transaction(sql),
        ..State::default()
    };
    // The contract half of an expand/contract change runs after the deploy: what it drops,
    // no running version uses.
    let contract = sql
        .lines()
        .take_while(|l| l.starts_with("--"))
        .any(|l| l.starts_with(crate::generate::PHASE_CONTRACT));
    let mut findings = Vec::new();
    let mut cursor = 0;
    for statement in crate::runner::Offline::statements(&crate::runner::PgOffline, sql) {
        let at = sql[cursor..]
            .find(&statement)
            .map_or(cursor, |k| cursor + k);
        let end = at + statement.len();
        cursor = end;
        let code_offset = statement
            .lines()
            .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
            .map(|l| l.len() + 1)
            .sum::<usize>()
            .min(statement.len());
        let line = sql[..at + code_offset].matches('\n').count() + 1;
        // Comments in the statement (but not one on the previous statement's last line,
        // which is that statement's), and after it on its last line.
        let after_previous = sql[..at]
            .rsplit('\n')
            .next()
            .is_some_and(|l| !l.trim().is_empty());
        let own = if after_previous {
            statement.split_once('\n').map_or("", |(_, rest)| rest)
        } else {
            statement.as_str()
        };
        let mut notes = comments(own);
        let rest_of_line = sql[end..].split('\n').next().unwrap_or_default();
        notes.extend(comments(rest_of_line.trim_start_matches(';')));
        let allow = allowed(&notes);
        for (rule, message) in check(&mut state, &tokens(&statement)) {
            let after_deploy = contract && matches!(rule, "drop-column" | "drop-table");
            if !allow.contains(rule) && !after_deploy {
                findings.push(Finding {
                    line,
                    rule,
                    message,
                    safe: safe(rule),
                });
            }
        }
    }
    findings
}

/// The hazards of one statement, updating what the file has done so far.
fn check(state: &mut State, toks: &[Tok]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is(w));
    let has = |w: &str| toks.iter().any(|t| t.is(w));
    let existing = |state: &State, table: &str| !state.created.contains(table);
    // A new enum value used later in the same transaction.
    if state.transactional {
        if let Some(value) = toks.iter().find_map(|t| match t {
            Tok::Str(v) if state.new_values.contains(v) => Some(v.clone()),
            _ => None,
        }) {
            if !(word(0, "ALTER") && word(1, "TYPE")) {
                out.push((
                    "add-value-used-in-transaction",
                    format!("uses the enum value '{value}' that this migration added"),
                ));
            }
        }
    }
    if word(0, "CREATE") && (word(1, "INDEX") || (word(1, "UNIQUE") && word(2, "INDEX"))) {
        let i = if word(1, "UNIQUE") { 3 } else { 2 };
        let concurrently = word(i, "CONCURRENTLY");
        let on = toks.iter().position(|t| t.is("ON"));
        let table = on
            .and_then(|k| qualified(toks, skip(toks, k + 1, &["ONLY"])))
            .map(|(t, _)| t);
        if concurrently && state.transactional {
            out.push((
                "concurrently-in-transaction",
                "CREATE INDEX CONCURRENTLY in a migration that runs in a transaction".into(),
            ));
        }
        if let Some(table) = table {
            if !concurrently && existing(state, &table) {
                out.push(("create-index-blocking", format!("CREATE INDEX on {table}, which exists before this migration, without CONCURRENTLY")));
            }
        }
    } else if word(0, "DROP") && word(1, "INDEX") {
        let concurrently = word(2, "CONCURRENTLY");
        if concurrently && state.transactional {
            out.push((
                "concurrently-in-transaction",
                "DROP INDEX CONCURRENTLY in a migration that runs in a transaction".into(),
            ));
        }
        if !concurrently {
            out.push((
                "drop-index-blocking",
                "DROP INDEX without CONCURRENTLY".into(),
            ));
        }
    } else if word(0, "REINDEX") && has("CONCURRENTLY") && state.transactional {
        out.push((
            "concurrently-in-transaction",
            "REINDEX CONCURRENTLY in a migration that runs in a transaction".into(),
        ));
    } else if word(0, "CREATE")
        && (word(1, "TABLE")
            || (word(2, "TABLE")
                && (word(1, "UNLOGGED") || word(1, "TEMP") || word(1, "TEMPORARY"))))
    {
        let i = skip(
            toks,
            if word(1, "TABLE") { 2 } else { 3 },
            &["IF", "NOT", "EXISTS"],
        );
        if let Some((table, _)) = qualified(toks, i) {
            state.created.insert(table);
        }
    } else if word(0, "DROP") && word(1, "TABLE") {
        let mut i = skip(toks, 2, &["IF", "EXISTS"]);
        while let Some((table, next)) = qualified(toks, i) {
            if existing(state, &table) {
                out.push(("drop-table", format!("drops table {table}")));
            }
            if !matches!(toks.get(next), Some(Tok::Other(p)) if p == ",") {
                break;
            }
            i = next + 1;
        }
    } else if word(0, "ALTER") && word(1, "TYPE") {
        if let Some(k) = toks.iter().position(|t| t.is("VALUE")) {
            if word(k - 1, "ADD") && state.transactional {
                if let Some(Tok::Str(v)) = toks.get(skip(toks, k + 1, &["IF", "NOT", "EXISTS"])) {
                    state.new_values.insert(v.clone());
                }
            }
        }
    } else if word(0, "ALTER") && word(1, "TABLE") {
        let i = skip(toks, 2, &["IF", "EXISTS", "ONLY"]);
        if let Some((table, next)) = qualified(toks, i) {
            for action in actions(toks, next) {
                out.extend(alter_action(state, &table, action));
            }
        }
    } else if (word(0, "VACUUM") && (word(1, "FULL") || has("FULL"))) || word(0, "CLUSTER") {
        out.push((
            "table-rewrite",
            "rewrites the table under an ACCESS EXCLUSIVE lock".into(),
        ));
    } else if word(0, "REFRESH") && word(1, "MATERIALIZED") && !word(3, "CONCURRENTLY") {
        out.push((
            "table-rewrite",
            "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view".into(),
        ));
    }
    out
}

/// The hazards of one action of `ALTER TABLE table`.
fn alter_action(state: &mut State, table: &str, a: &[Tok]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let word = |i: usize, w: &str| a.get(i).is_some_and(|t| t.is(w));
    let has = |w: &str| a.iter().any(|t| t.is(w));
    let existing = !state.created.contains(table);
    if word(0, "ADD") {
        // ADD [CONSTRAINT name] FOREIGN KEY | CHECK | UNIQUE | PRIMARY KEY, or a column.
        let (name, i) = if word(1, "CONSTRAINT") {
            (a.get(2).and_then(Tok::name).map(str::to_owned), 3)
        } else {
            (None, 1)
        };
        let not_valid = a.windows(2).any(|w| w[0].is("NOT") && w[1].is("VALID"));
        if word(i, "FOREIGN") || word(i, "CHECK") {
            if not_valid {
                if let Some(name) = name {
                    // `CHECK (col IS NOT NULL)`: the column a later SET NOT NULL may rely on.
                    let column = match a.get(i + 1..i + 6) {
                        Some([Tok::Other(open), col, is, not, null])
                            if open == "(" && is.is("IS") && not.is("NOT") && null.is("NULL") =>
                        {
                            col.name().map(str::to_owned)
                        }
                        _ => None,
                    };
                    state.not_valid.insert(name, (table.to_owned(), column));
                }
            } else if existing {
                let kind = if word(i, "CHECK") {
                    "a check"
                } else {
                    "a foreign key"
                };
                out.push((
                    "constraint-validated-under-lock",
                    format!("adds {kind} to {table} without NOT VALID"),
                ));
            }
        } else if word(i, "UNIQUE") || (word(i, "PRIMARY") && word(i + 1, "KEY")) {
            if existing && !has("USING") {
                out.push((
                    "unique-blocking",
                    format!("adds a unique or primary key to {table} without USING INDEX"),
                ));
            }
        } else if existing {
            // A column.
            let k = skip(a, skip(a, 1, &["COLUMN"]), &["IF", "NOT", "EXISTS"]);
            let column = a.get(k).and_then(Tok::name).unwrap_or_default().to_owned();
            let volatile = a.windows(2).any(|w| {
                matches!(&w[0], Tok::Word { upper, quoted: false, .. } if VOLATILE.contains(&upper.as_str()))
                    && matches!(&w[1], Tok::Other(p) if p == "(")
            });
            let serial = a
                .get(k + 1)
                .is_some_and(|t| t.is("SERIAL") || t.is("BIGSERIAL") || t.is("SMALLSERIAL"));
            let generated = has("GENERATED") && has("STORED");
            if volatile || serial || generated {
                out.push(("volatile-default", format!("adds column {table}.{column}, whose value is computed for every existing row")));
            }
        }
    } else if word(0, "ALTER") {
        let k = skip(a, 1, &["COLUMN"]);
        let column = a.get(k).and_then(Tok::name).unwrap_or_default().to_owned();
        if word(k + 1, "SET") && word(k + 2, "NOT") && word(k + 3, "NULL") {
            if existing
                && !state
                    .validated_not_null
                    .contains(&(table.to_owned(), column.clone()))
            {
                out.push(("set-not-null-scan", format!("makes {table}.{column} NOT NULL without a validated CHECK ({column} IS NOT NULL)")));
            }
        } else if existing
            && (word(k + 1, "TYPE")
                || (word(k + 1, "SET") && word(k + 2, "DATA") && word(k + 3, "TYPE")))
        {
            out.push((
                "column-type-change",
                format!("changes the type of {table}.{column}"),
            ));
        }
    } else if word(0, "VALIDATE") && word(1, "CONSTRAINT") {
        if let Some(name) = a.get(2).and_then(Tok::name) {
            if let Some((on, column)) = state.not_valid.get(name) {
                if state.transactional {
                    out.push((
                        "validate-in-same-transaction",
                        format!("validates {name}, which this migration's transaction added"),
                    ));
                }
                if let Some(column) = column {
                    state
                        .validated_not_null
                        .insert((on.clone(), column.clone()));
                }
            }
        }
    } else if word(0, "RENAME") && existing {
        if word(1, "TO") {
            out.push(("rename-table", format!("renames table {table}")));
        } else if !word(1, "CONSTRAINT") {
            let k = skip(a, 1, &["COLUMN"]);
            let column = a.get(k).and_then(Tok::name).unwrap_or_default();
            out.push(("rename-column", format!("renames column {table}.{column}")));
        }
    } else if word(0, "DROP") && !word(1, "CONSTRAINT") && !word(1, "DEFAULT") && existing {
        let k = skip(a, skip(a, 1, &["COLUMN"]), &["IF", "EXISTS"]);
        let column = a.get(k).and_then(Tok::name).unwrap_or_default();
        out.push(("drop-column", format!("drops column {table}.{column}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(sql: &str) -> Vec<(usize, &'static str)> {
        lint_postgres(sql)
            .into_iter()
            .map(|f| (f.line, f.rule))
            .collect()
    }

    #[test]
    fn blocking_forms_on_existing_tables_are_flagged() {
        let sql = "-- header\nCREATE TABLE fresh (id int);\nCREATE INDEX ix_fresh ON fresh (id);\n\
                   CREATE INDEX ix_old ON public.old (a);\n\
                   ALTER TABLE old ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES fresh (id);\n\
                   ALTER TABLE old ADD CONSTRAINT ck CHECK (a > 0) NOT VALID;\n\
                   ALTER TABLE old VALIDATE CONSTRAINT ck;\n\
                   ALTER TABLE old ADD CONSTRAINT uq UNIQUE (a), ALTER COLUMN b SET NOT NULL;\n\
                   ALTER TABLE old ALTER COLUMN c TYPE bigint;\n\
                   ALTER TABLE old ADD COLUMN d uuid DEFAULT gen_random_uuid();\n\
                   ALTER TABLE old ADD COLUMN e int DEFAULT 0;\n\
                   ALTER TABLE old RENAME COLUMN f TO g;\n\
                   ALTER TABLE old DROP COLUMN h;\n\
                   DROP INDEX ix_x;\nDROP TABLE fresh, old;\nVACUUM FULL old;\n";
        assert_eq!(
            rules(sql),
            [
                (4, "create-index-blocking"),
                (5, "constraint-validated-under-lock"),
                (7, "validate-in-same-transaction"),
                (8, "unique-blocking"),
                (8, "set-not-null-scan"),
                (9, "column-type-change"),
                (10, "volatile-default"),
                (12, "rename-column"),
                (13, "drop-column"),
                (14, "drop-index-blocking"),
                (15, "drop-table"),
                (16, "table-rewrite"),
            ]
        );
    }

    #[test]
    fn the_online_forms_pass() {
        let sql = "-- no-transaction\n-- 1. x\nCREATE INDEX CONCURRENTLY ix ON old (a);\n\
                   DROP INDEX CONCURRENTLY IF EXISTS ix_y;\n\
                   CREATE UNIQUE INDEX CONCURRENTLY uq ON old (a);\n\
                   ALTER TABLE old ADD CONSTRAINT uq UNIQUE USING INDEX uq;\n\
                   ALTER TABLE old ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES t (id) NOT VALID;\n\
                   ALTER TABLE old VALIDATE CONSTRAINT fk;\n\
                   ALTER TABLE old ADD CONSTRAINT ck_nn CHECK (\"B\" IS NOT NULL) NOT VALID;\n\
                   ALTER TABLE old VALIDATE CONSTRAINT ck_nn;\n\
                   ALTER TABLE old ALTER COLUMN \"B\" SET NOT NULL;\n\
                   ALTER TABLE old DROP CONSTRAINT IF EXISTS ck_nn;\n";
        assert_eq!(rules(sql), []);
    }

    #[test]
    fn concurrently_and_new_enum_values_in_a_transaction_fail() {
        let sql = "CREATE INDEX CONCURRENTLY ix ON old (a);\n\
                   ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok';\n\
                   ALTER TABLE old ALTER COLUMN m SET DEFAULT 'meh';\n";
        assert_eq!(
            rules(sql),
            [
                (1, "concurrently-in-transaction"),
                (3, "add-value-used-in-transaction")
            ]
        );
        // In a migration of its own, or without a transaction, the value may be used.
        assert_eq!(rules(&format!("-- no-transaction\n{sql}")), []);
    }

    #[test]
    fn an_allow_comment_with_a_reason_silences_one_rule_of_one_statement() {
        let sql = "-- migrate-gen: allow(create-index-blocking) the table is empty in every environment\n\
                   CREATE INDEX ix ON old (a);\n\
                   CREATE INDEX ix2 ON old (b); -- migrate-gen: allow(create-index-blocking) small table\n\
                   CREATE INDEX ix3 ON old (c);\n\
                   -- migrate-gen: allow(create-index-blocking)\n\
                   CREATE INDEX ix4 ON old (d);\n\
                   -- migrate-gen: allow(drop-column) not this rule\n\
                   CREATE INDEX ix5 ON old (e);\n";
        assert_eq!(
            rules(sql),
            [
                (4, "create-index-blocking"),
                (6, "create-index-blocking"),
                (8, "create-index-blocking")
            ]
        );
    }
}
