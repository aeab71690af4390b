//! How the diff tells spellings apart ([`Equivalence`]): normalized spellings of types,
//! defaults and expressions as PostgreSQL writes and prints them back (`float8` for `double
//! precision`, casts and parentheses it adds to a CHECK); SQLite's, where a column's type only
//! sets an affinity and every object's SQL is kept as written ([`Sqlite`]). MySQL uses
//! PostgreSQL's rules until it gets its own.

use crate::diff::Equivalence;
use crate::naming;
use crate::schema::{Check, ColumnDefault, ColumnType, Schema, Value};

use super::{MySql, Postgres, SqlDialect, Sqlite};

impl Equivalence for Postgres {
    fn canonical_type(&self, ty: &ColumnType) -> String {
        canonical_type(ty)
    }

    fn is_narrowing(&self, from: &ColumnType, to: &ColumnType) -> bool {
        is_narrowing(from, to)
    }

    fn normalize_expression(&self, sql: &str) -> String {
        normalize_expression(sql)
    }

    fn same_printed_expression(&self, written: &str, printed: &str) -> bool {
        same_loose_expression(written, printed)
    }

    fn canonical_default(&self, default: &ColumnDefault) -> String {
        canonical_default(default)
    }

    fn default_sql(&self, default: &ColumnDefault) -> String {
        default_sql(default)
    }
}

/// A dialect that compares as PostgreSQL does, for now.
macro_rules! compares_as_postgres {
    ($dialect:ty) => {
        impl Equivalence for $dialect {
            fn canonical_type(&self, ty: &ColumnType) -> String {
                Postgres.canonical_type(ty)
            }

            fn is_narrowing(&self, from: &ColumnType, to: &ColumnType) -> bool {
                Postgres.is_narrowing(from, to)
            }

            fn normalize_expression(&self, sql: &str) -> String {
                Postgres.normalize_expression(sql)
            }

            fn same_printed_expression(&self, written: &str, printed: &str) -> bool {
                Postgres.same_printed_expression(written, printed)
            }

            fn canonical_default(&self, default: &ColumnDefault) -> String {
                Postgres.canonical_default(default)
            }

            fn default_sql(&self, default: &ColumnDefault) -> String {
                Postgres.default_sql(default)
            }
        }
    };
}

compares_as_postgres!(MySql);

/// SQLite's rules. Types compare by the spelling the SQLite renderer writes (`INTEGER` for
/// every integer, `TEXT` for text, JSON and enums, `BLOB` for bytes and uuids, `DATETIME` for
/// timestamps), lowercased, with synonyms of the same affinity folded (`int`, `bigint` →
/// `integer`). A change of type narrows only when it changes the column's affinity from one
/// that keeps text as written (TEXT, BLOB) to a numeric one (INTEGER, REAL, NUMERIC), which
/// converts such values (`'007'` becomes `7`); SQLite does not enforce lengths, so a shorter
/// `VARCHAR` loses nothing. Defaults are compared as SQLite literals (`1`/`0` for booleans,
/// `X'..'` for bytes). SQLite keeps expressions verbatim, so an expression compares with the
/// stored one up to white space, case and identifier quoting.
impl Equivalence for Sqlite {
    fn canonical_type(&self, ty: &ColumnType) -> String {
        sqlite_canonical_type(ty)
    }

    fn is_narrowing(&self, from: &ColumnType, to: &ColumnType) -> bool {
        // An enum's CHECK admits only its values.
        if matches!(to, ColumnType::Enum { .. }) && from != to {
            return true;
        }
        let (from, to) = (sqlite_canonical_type(from), sqlite_canonical_type(to));
        if from == to {
            return false;
        }
        let (a, b) = (Affinity::of(&from), Affinity::of(&to));
        a != b
            && matches!(a, Affinity::Text | Affinity::Blob)
            && matches!(b, Affinity::Integer | Affinity::Real | Affinity::Numeric)
    }

    fn normalize_expression(&self, sql: &str) -> String {
        normalize_expression(sql)
    }

    fn same_printed_expression(&self, written: &str, printed: &str) -> bool {
        sqlite_tokens(written) == sqlite_tokens(printed)
    }

    fn canonical_default(&self, default: &ColumnDefault) -> String {
        let text = normalize_expression(&self.default_sql(default));
        // The digits of a blob literal ignore case.
        if is_blob_literal(&text) {
            return text.to_ascii_lowercase();
        }
        text
    }

    fn default_sql(&self, default: &ColumnDefault) -> String {
        match default {
            ColumnDefault::Value(v) => self.literal(v),
            ColumnDefault::Sql(sql) => sql.clone(),
        }
    }

    fn stored(&self, schema: &Schema) -> Schema {
        let mut out = schema.clone();
        for table in out.tables.values_mut() {
            table.comment = None;
            table.extensions.clear();
            let mut checks = Vec::new();
            for column in &mut table.columns {
                column.comment = None;
                if let ColumnType::Enum { name } = &column.ty {
                    if let Some(definition) = schema.enums.get(name) {
                        checks.push(Check {
                            name: naming::enum_check(&table.name, &column.name),
                            expr: Sqlite.enum_check_expr(&column.name, definition.value_names()),
                        });
                    }
                    column.ty = ColumnType::Text;
                }
            }
            table.checks.extend(checks);
        }
        out.enums.clear();
        out
    }
}

/// `x'0a1B'`: a blob literal (after [`normalize_expression`]).
fn is_blob_literal(text: &str) -> bool {
    text.strip_prefix("x'")
        .and_then(|t| t.strip_suffix('\''))
        .is_some_and(|hex| hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// SQLite's column affinities (section 3.1 of its datatype documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

impl Affinity {
    /// The affinity of a declared type, by SQLite's rules (first match wins).
    fn of(declared: &str) -> Self {
        let t = declared.to_ascii_lowercase();
        if t.contains("int") {
            Affinity::Integer
        } else if ["char", "clob", "text"].iter().any(|w| t.contains(w)) {
            Affinity::Text
        } else if t.contains("blob") || t.trim().is_empty() {
            Affinity::Blob
        } else if ["real", "floa", "doub"].iter().any(|w| t.contains(w)) {
            Affinity::Real
        } else {
            Affinity::Numeric
        }
    }
}

/// Spellings SQLite treats alike, mapped to the one the SQLite renderer writes.
const SQLITE_TYPE_SYNONYMS: &[(&str, &str)] = &[
    ("int", "integer"),
    ("int2", "integer"),
    ("int4", "integer"),
    ("int8", "integer"),
    ("smallint", "integer"),
    ("bigint", "integer"),
    ("tinyint", "integer"),
    ("mediumint", "integer"),
    ("unsigned big int", "integer"),
    ("bool", "boolean"),
    ("double", "real"),
    ("double precision", "real"),
    ("float", "real"),
    ("float4", "real"),
    ("float8", "real"),
    ("clob", "text"),
    ("timestamp", "datetime"),
    ("decimal", "numeric"),
    ("character varying", "varchar"),
];

/// The SQLite spelling of a column type, lowercased (see [`Sqlite`]'s rules).
pub fn sqlite_canonical_type(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Boolean => "boolean".into(),
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => "integer".into(),
        ColumnType::Real | ColumnType::Double => "real".into(),
        ColumnType::Text | ColumnType::Json => "text".into(),
        // Text with a CHECK listing the values: another type as far as changes go (the
        // database reads it back as text and a check; see `stored`).
        ColumnType::Enum { name } => format!("text enum {name}"),
        ColumnType::Varchar { length } => format!("varchar({length})"),
        ColumnType::Bytes | ColumnType::Uuid => "blob".into(),
        ColumnType::Timestamp | ColumnType::TimestampTz => "datetime".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Time => "time".into(),
        ColumnType::Decimal { .. } => "numeric".into(),
        ColumnType::Array { element } => format!("{}[]", sqlite_canonical_type(element)),
        ColumnType::Custom { sql } => {
            let text = normalize_expression(sql);
            // `decimal(10,2)` and `numeric(10,2)` are NUMERIC, as the renderer writes it.
            let (word, args) = match text.find('(') {
                Some(i) => (text[..i].trim_end(), &text[i..]),
                None => (text.as_str(), ""),
            };
            let word = SQLITE_TYPE_SYNONYMS
                .iter()
                .find(|(from, _)| *from == word)
                .map_or(word, |(_, to)| to);
            match word {
                "numeric" => "numeric".into(),
                "varchar" => format!("varchar{args}"),
                _ => format!("{word}{args}"),
            }
        }
    }
}

/// An expression as tokens the way SQLite reads it: white space and comments dropped, words
/// lowercased, quoted identifiers (`"x"`, `` `x` ``, `[x]`) unquoted and lowercased (SQLite
/// identifiers ignore case), string literals kept; parentheses around the whole expression
/// are dropped.
fn sqlite_tokens(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if matches!(c, '\'' | '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            i += 1;
            let mut text = String::new();
            while i < chars.len() {
                if chars[i] == close {
                    if close != ']' && chars.get(i + 1) == Some(&close) {
                        text.push(close);
                        i += 2;
                        continue;
                    }
                    break;
                }
                text.push(chars[i]);
                i += 1;
            }
            i += 1;
            if c == '\'' && tokens.last().is_some_and(|t| t == "x") {
                // The digits of a blob literal ignore case.
                tokens.push(format!("'{}'", text.to_ascii_lowercase()));
            } else if c == '\'' {
                tokens.push(format!("'{}'", text.replace('\'', "''")));
            } else {
                tokens.push(text.to_lowercase());
            }
        } else if c.is_alphanumeric() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect::<String>().to_lowercase());
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    // `(a) OR (b)` keeps its parentheses: only a pair around everything is dropped.
    while tokens.len() >= 2 && tokens[0] == "(" && tokens[tokens.len() - 1] == ")" {
        let mut depth = 0usize;
        let encloses = tokens.iter().enumerate().all(|(k, t)| {
            match t.as_str() {
                "(" => depth += 1,
                ")" => depth -= 1,
                _ => {}
            }
            depth > 0 || k == tokens.len() - 1
        });
        if !encloses {
            break;
        }
        tokens.remove(0);
        tokens.pop();
    }
    tokens
}

/// Lowercases SQL outside string literals and quoted identifiers, and folds white space:
/// removed next to punctuation, a single space between words.
pub fn normalize_expression(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut pending_space = false;
    let is_punct = |c: char| !(c.is_alphanumeric() || c == '_' || c == '\'' || c == '"');
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev_punct = out.chars().last().is_none_or(is_punct);
            if !prev_punct && !is_punct(c) {
                out.push(' ');
            }
            pending_space = false;
        }
        if c == '\'' || c == '"' {
            out.push(c);
            while let Some(d) = chars.next() {
                out.push(d);
                if d == c {
                    if chars.peek() == Some(&c) {
                        out.push(chars.next().expect("peeked"));
                    } else {
                        break;
                    }
                }
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether an expression of the models and the database's re-printing of it are the same:
/// both parse, and their trees are equal once the casts, parentheses and spellings PostgreSQL
/// adds are folded. When either side does not parse, their [`loose_expression`] token forms
/// are compared instead.
pub fn same_loose_expression(a: &str, b: &str) -> bool {
    match (
        super::expression::canonical_tree(a),
        super::expression::canonical_tree(b),
    ) {
        (Some(x), Some(y)) => x == y,
        _ => loose_expression(a) == loose_expression(b),
    }
}

/// A token normal form for comparing an expression with the database's re-printing of it
/// when the expression does not parse: PostgreSQL adds casts and parentheses (`lower(email)`
/// comes back as `lower((email)::text)`), so casts to a type name and all parentheses are
/// dropped. This loses the grouping (`(a OR b) AND c` equals `a OR (b AND c)` here), which is
/// why it is only the fallback of [`same_loose_expression`].
pub fn loose_expression(sql: &str) -> String {
    // Tokens: quoted strings and identifiers, words, numbers, and single punctuation.
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() {
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
            let text: String = chars[start..i.min(chars.len())].iter().collect();
            // A quoted identifier that needs no quotes is the same as the bare word.
            if c == '"'
                && text.len() > 2
                && text[1..text.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                tokens.push(text[1..text.len() - 1].to_owned());
            } else {
                tokens.push(text);
            }
        } else if c.is_alphanumeric() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect::<String>().to_lowercase());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".into());
            i += 2;
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    const TYPE_WORDS: &[&str] = &["precision", "varying", "with", "without", "time", "zone"];
    const TYPED_LITERALS: &[&str] = &[
        "interval",
        "date",
        "timestamp",
        "timestamptz",
        "time",
        "uuid",
        "jsonb",
        "json",
    ];
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let t = &tokens[k];
        if t == "::" {
            // Skip the type name, its modifiers and array brackets.
            k += 1;
            if k < tokens.len() {
                k += 1;
            }
            loop {
                match tokens.get(k).map(String::as_str) {
                    Some(w) if TYPE_WORDS.contains(&w) => k += 1,
                    Some("(") => {
                        while k < tokens.len() && tokens[k] != ")" {
                            k += 1;
                        }
                        k += 1;
                    }
                    Some("[") if tokens.get(k + 1).map(String::as_str) == Some("]") => k += 2,
                    _ => break,
                }
            }
            continue;
        }
        // A typed literal (`interval '1 day'`) is printed as a cast, which is dropped above.
        if TYPED_LITERALS.contains(&t.as_str())
            && tokens.get(k + 1).is_some_and(|n| n.starts_with('\''))
        {
            k += 1;
            continue;
        }
        // PostgreSQL's spellings of LIKE, ILIKE and != .
        match t.as_str() {
            "like" => {
                out.extend(["~".into(), "~".into()]);
                k += 1;
                continue;
            }
            "ilike" => {
                out.extend(["~".into(), "~".into(), "*".into()]);
                k += 1;
                continue;
            }
            "!" if tokens.get(k + 1).map(String::as_str) == Some("=") => {
                out.push("<".into());
                out.push(">".into());
                k += 2;
                continue;
            }
            "not" if tokens.get(k + 1).map(String::as_str) == Some("like") => {
                out.extend(["!".into(), "~".into(), "~".into()]);
                k += 2;
                continue;
            }
            "not" if tokens.get(k + 1).map(String::as_str) == Some("ilike") => {
                out.extend(["!".into(), "~".into(), "~".into(), "*".into()]);
                k += 2;
                continue;
            }
            "not" if tokens.get(k + 1).map(String::as_str) == Some("in") => {
                out.push("not_in".into());
                k += 2;
                continue;
            }
            // `x BETWEEN a AND b` is printed `x >= a AND x <= b` (simple operands).
            "between" if !out.is_empty() && k + 3 < tokens.len() && tokens[k + 2] == "and" => {
                let x = out.last().cloned().unwrap_or_default();
                out.extend([
                    ">".into(),
                    "=".into(),
                    tokens[k + 1].clone(),
                    "and".into(),
                    x,
                ]);
                out.extend(["<".into(), "=".into(), tokens[k + 3].clone()]);
                k += 4;
                continue;
            }
            _ => {}
        }
        // `x <> ALL (ARRAY[...])` is how PostgreSQL prints `x NOT IN (...)`.
        if t == "<"
            && tokens.get(k + 1).map(String::as_str) == Some(">")
            && tokens.get(k + 2).map(String::as_str) == Some("all")
        {
            let mut j = k + 3;
            while tokens.get(j).map(String::as_str) == Some("(") {
                j += 1;
            }
            if tokens.get(j).map(String::as_str) == Some("array") {
                out.push("not_in".into());
                k = j + 1;
                continue;
            }
        }
        // `x = ANY (ARRAY[...])` is how PostgreSQL prints `x IN (...)`.
        if t == "=" && tokens.get(k + 1).map(String::as_str) == Some("any") {
            let mut j = k + 2;
            while tokens.get(j).map(String::as_str) == Some("(") {
                j += 1;
            }
            if tokens.get(j).map(String::as_str) == Some("array") {
                out.push("in".into());
                k = j + 1;
                continue;
            }
        }
        if !matches!(t.as_str(), "(" | ")" | "[" | "]") {
            out.push(t.clone());
        }
        k += 1;
    }
    out.join(" ")
}

/// Synonyms of SQL type spellings, mapped to one form.
const TYPE_SYNONYMS: &[(&str, &str)] = &[
    ("character varying", "varchar"),
    ("timestamp with time zone", "timestamptz"),
    ("timestamp without time zone", "timestamp"),
    ("time without time zone", "time"),
    ("time with time zone", "timetz"),
    ("double precision", "float8"),
    ("double", "float8"),
    ("int", "integer"),
    ("int4", "integer"),
    ("int8", "bigint"),
    ("int2", "smallint"),
    ("bool", "boolean"),
    ("float4", "real"),
    ("decimal", "numeric"),
    ("character", "char"),
];

/// A canonical spelling of a column type (PostgreSQL's words, lowercase, synonyms folded).
pub fn canonical_type(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Boolean => "boolean".into(),
        ColumnType::SmallInt => "smallint".into(),
        ColumnType::Integer => "integer".into(),
        ColumnType::BigInt => "bigint".into(),
        ColumnType::Real => "real".into(),
        ColumnType::Double => "float8".into(),
        ColumnType::Text => "text".into(),
        ColumnType::Varchar { length } => format!("varchar({length})"),
        ColumnType::Bytes => "bytea".into(),
        ColumnType::Uuid => "uuid".into(),
        ColumnType::Timestamp => "timestamp".into(),
        ColumnType::TimestampTz => "timestamptz".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Time => "time".into(),
        ColumnType::Json => "jsonb".into(),
        ColumnType::Decimal { precision, scale } => match (precision, scale) {
            (Some(p), Some(s)) => format!("numeric({p},{s})"),
            (Some(p), None) => format!("numeric({p},0)"),
            (None, Some(s)) => format!("numeric(38,{s})"),
            (None, None) => "numeric".into(),
        },
        ColumnType::Array { element } => format!("{}[]", canonical_type(element)),
        ColumnType::Enum { name } => format!("enum {name}"),
        ColumnType::Custom { sql } => canonical_sql_type(sql),
    }
}

fn canonical_sql_type(sql: &str) -> String {
    let mut text = normalize_expression(sql);
    // Longest synonyms first, at word boundaries.
    for (from, to) in TYPE_SYNONYMS {
        if text == *from
            || text.starts_with(&format!("{from}("))
            || text.starts_with(&format!("{from}["))
        {
            text = format!("{to}{}", &text[from.len()..]);
            break;
        }
    }
    // `timestamp(3) with time zone` → `timestamptz(3)`, and the like.
    for (suffix, short) in [("with time zone", "tz"), ("without time zone", "")] {
        if let Some(head) = text.strip_suffix(suffix).map(str::trim_end) {
            if head.starts_with("timestamp(") || head.starts_with("time(") {
                let (word, args) = head.split_at(head.find('(').expect("checked"));
                text = format!("{word}{short}{args}");
                break;
            }
        }
    }
    if let Some(rest) = text.strip_prefix("numeric(") {
        if !rest.contains(',') {
            text = format!("numeric({},0)", rest.trim_end_matches(')'));
        }
    }
    text
}

fn canonical_value(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.clone(),
        Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
        Value::Bytes(hex) => format!("'\\x{hex}'"),
        Value::Array(items) if items.is_empty() => "'{}'".into(),
        Value::Array(items) => format!(
            "array[{}]",
            items
                .iter()
                .map(canonical_value)
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// A default's SQL as written (`default_sql`) or rendered (`default`), not normalized.
pub fn default_sql(default: &ColumnDefault) -> String {
    match default {
        ColumnDefault::Value(v) => canonical_value(v),
        ColumnDefault::Sql(sql) => sql.clone(),
    }
}

/// A default's SQL, normalized: a typed `default` and an equivalent `default_sql` are equal.
pub fn canonical_default(default: &ColumnDefault) -> String {
    match default {
        ColumnDefault::Value(v) => canonical_value(v),
        ColumnDefault::Sql(sql) => normalize_expression(sql),
    }
}

fn integer_rank(ty: &ColumnType) -> Option<u8> {
    match ty {
        ColumnType::SmallInt => Some(1),
        ColumnType::Integer => Some(2),
        ColumnType::BigInt => Some(3),
        _ => None,
    }
}

/// Whether converting `from` to `to` can lose information or fail for existing values.
pub fn is_narrowing(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    if canonical_type(from) == canonical_type(to) {
        return false;
    }
    match (from, to) {
        (_, Text) => false,
        (Varchar { .. }, Varchar { length: b }) => match from {
            Varchar { length: a } => b < a,
            _ => true,
        },
        (a, b) if integer_rank(a).is_some() && integer_rank(b).is_some() => {
            integer_rank(b) < integer_rank(a)
        }
        (a, Real | Double | Decimal { .. }) if integer_rank(a).is_some() => false,
        (Real, Double) => false,
        (Timestamp, TimestampTz) | (TimestampTz, Timestamp) => false,
        (Date, Timestamp | TimestampTz) => false,
        (
            Decimal {
                precision: p1,
                scale: s1,
            },
            Decimal {
                precision: p2,
                scale: s2,
            },
        ) => match (p2, p1) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(p2), Some(p1)) => {
                p2 < p1
                    || s2.unwrap_or(0) < s1.unwrap_or(0)
                    || (p2 - s2.unwrap_or(0)) < (p1 - s1.unwrap_or(0))
            }
        },
        // Custom types are the user's to judge; the cast is shown in the file.
        (Custom { .. }, _) | (_, Custom { .. }) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        assert_eq!(
            normalize_expression("length( title )  >  0"),
            "length(title)>0"
        );
        assert_eq!(normalize_expression("A AND  b"), "a and b");
        assert_eq!(normalize_expression("x = 'It''s  A'"), "x='It''s  A'");
    }

    #[test]
    fn loose_expressions() {
        assert_eq!(
            loose_expression("length(title) > 0"),
            loose_expression("(length((title)::text) > 0)")
        );
        assert_eq!(
            loose_expression("lower(email)"),
            loose_expression("lower((email)::character varying)")
        );
        assert_eq!(
            loose_expression("status IN ('a', 'b')"),
            loose_expression("(status = ANY (ARRAY['a'::text, 'b'::text]))")
        );
        assert_eq!(
            loose_expression("\"from\" <> 'x'"),
            loose_expression("from <> 'x'::text")
        );
        assert_ne!(loose_expression("a > 1"), loose_expression("a > 2"));
    }

    #[test]
    fn loose_comparison_keeps_grouping() {
        // The token form alone cannot tell these apart; the trees can.
        assert_eq!(
            loose_expression("(a OR b) AND c"),
            loose_expression("a OR (b AND c)")
        );
        assert!(!same_loose_expression("(a OR b) AND c", "a OR (b AND c)"));
        assert!(same_loose_expression(
            "(a OR b) AND c",
            "(((a OR b)) AND c)"
        ));
        // A side that does not parse is compared by tokens.
        assert!(same_loose_expression(
            "\"from\" <> 'x'",
            "from <> 'x'::text"
        ));
    }

    #[test]
    fn types() {
        let custom = |s: &str| ColumnType::Custom { sql: s.into() };
        assert_eq!(
            canonical_type(&custom("Character Varying(20)")),
            "varchar(20)"
        );
        assert_eq!(
            canonical_type(&custom("character varying(20)")),
            canonical_type(&ColumnType::Varchar { length: 20 })
        );
        assert_eq!(
            canonical_type(&custom("INT")),
            canonical_type(&ColumnType::Integer)
        );
        assert_eq!(
            canonical_type(&custom("timestamp with time zone")),
            canonical_type(&ColumnType::TimestampTz)
        );
        assert_eq!(canonical_type(&custom("citext")), "citext");
        assert_eq!(
            canonical_type(&custom("decimal(10, 2)")),
            canonical_type(&ColumnType::Decimal {
                precision: Some(10),
                scale: Some(2)
            })
        );
    }

    #[test]
    fn defaults() {
        assert_eq!(
            canonical_default(&ColumnDefault::Value(Value::Bool(false))),
            canonical_default(&ColumnDefault::Sql("FALSE".into()))
        );
        assert_eq!(
            canonical_default(&ColumnDefault::Value(Value::Text("it's".into()))),
            canonical_default(&ColumnDefault::Sql("'it''s'".into()))
        );
    }

    #[test]
    fn narrowing() {
        use ColumnType::*;
        assert!(is_narrowing(&BigInt, &Integer));
        assert!(!is_narrowing(&Integer, &BigInt));
        assert!(is_narrowing(&Text, &Varchar { length: 10 }));
        assert!(!is_narrowing(&Varchar { length: 10 }, &Text));
        assert!(is_narrowing(
            &Varchar { length: 10 },
            &Varchar { length: 5 }
        ));
        assert!(!is_narrowing(
            &Varchar { length: 5 },
            &Varchar { length: 10 }
        ));
        assert!(!is_narrowing(&Timestamp, &TimestampTz));
        assert!(is_narrowing(&Text, &Integer));
    }
}

#[cfg(test)]
mod precision_tests {
    use super::*;

    #[test]
    fn timestamp_precision_spellings() {
        let custom = |s: &str| ColumnType::Custom { sql: s.into() };
        assert_eq!(
            canonical_type(&custom("timestamp(3) with time zone")),
            canonical_type(&custom("timestamptz(3)"))
        );
    }
}

#[cfg(test)]
mod sqlite_tests {
    use super::*;

    fn custom(sql: &str) -> ColumnType {
        ColumnType::Custom { sql: sql.into() }
    }

    #[test]
    fn sqlite_types_compare_by_spelling() {
        let s = Sqlite;
        assert_eq!(
            s.canonical_type(&custom("INTEGER")),
            s.canonical_type(&ColumnType::BigInt)
        );
        assert_eq!(
            s.canonical_type(&ColumnType::SmallInt),
            s.canonical_type(&ColumnType::BigInt)
        );
        assert_eq!(
            s.canonical_type(&custom("bigint")),
            s.canonical_type(&ColumnType::Integer)
        );
        assert_eq!(
            s.canonical_type(&ColumnType::Text),
            s.canonical_type(&ColumnType::Json)
        );
        // An enum is text with a CHECK: a change to or from it rebuilds the table.
        assert_ne!(
            s.canonical_type(&ColumnType::Text),
            s.canonical_type(&ColumnType::Enum {
                name: "state".into()
            })
        );
        assert!(s.is_narrowing(
            &ColumnType::Text,
            &ColumnType::Enum {
                name: "state".into()
            }
        ));
        assert_eq!(
            s.canonical_type(&ColumnType::Uuid),
            s.canonical_type(&ColumnType::Bytes)
        );
        assert_eq!(
            s.canonical_type(&ColumnType::Timestamp),
            s.canonical_type(&ColumnType::TimestampTz)
        );
        assert_eq!(
            s.canonical_type(&custom("Varchar ( 20 )")),
            s.canonical_type(&ColumnType::Varchar { length: 20 })
        );
        assert_eq!(
            s.canonical_type(&custom("decimal(10, 2)")),
            s.canonical_type(&ColumnType::Decimal {
                precision: Some(10),
                scale: Some(2)
            })
        );
        assert_eq!(s.canonical_type(&custom("DOUBLE PRECISION")), "real");
        assert_ne!(
            s.canonical_type(&ColumnType::Varchar { length: 20 }),
            s.canonical_type(&ColumnType::Text)
        );
        assert_ne!(
            s.canonical_type(&ColumnType::Boolean),
            s.canonical_type(&ColumnType::Integer)
        );
        // PostgreSQL keeps them apart.
        assert_ne!(
            Postgres.canonical_type(&ColumnType::Text),
            Postgres.canonical_type(&ColumnType::Json)
        );
    }

    #[test]
    fn sqlite_narrowing_is_a_change_of_affinity() {
        use ColumnType::*;
        let s = Sqlite;
        assert!(!s.is_narrowing(&BigInt, &Integer));
        assert!(!s.is_narrowing(&Varchar { length: 10 }, &Varchar { length: 5 }));
        assert!(!s.is_narrowing(&Text, &Varchar { length: 5 }));
        assert!(!s.is_narrowing(&Integer, &Text));
        assert!(!s.is_narrowing(&Integer, &Double));
        assert!(s.is_narrowing(&Text, &Integer));
        assert!(s.is_narrowing(&Varchar { length: 5 }, &Boolean));
        assert!(s.is_narrowing(
            &Bytes,
            &Decimal {
                precision: None,
                scale: None
            }
        ));
    }

    #[test]
    fn sqlite_defaults_are_literals() {
        let s = Sqlite;
        let value = |v: Value| ColumnDefault::Value(v);
        let sql = |t: &str| ColumnDefault::Sql(t.into());
        assert_eq!(
            s.canonical_default(&value(Value::Text("x".into()))),
            s.canonical_default(&sql("'x'"))
        );
        assert_eq!(
            s.canonical_default(&value(Value::Text("it's".into()))),
            s.canonical_default(&sql("'it''s'"))
        );
        assert_eq!(
            s.canonical_default(&value(Value::Bool(false))),
            s.canonical_default(&sql("0"))
        );
        assert_eq!(
            s.canonical_default(&value(Value::Bool(true))),
            s.canonical_default(&sql("1"))
        );
        assert_eq!(
            s.canonical_default(&value(Value::Bytes("ab01".into()))),
            s.canonical_default(&sql("X'ab01'"))
        );
        assert_eq!(
            s.canonical_default(&value(Value::Bytes("ab01".into()))),
            s.canonical_default(&sql("x'AB01'"))
        );
        assert!(s.same_printed_expression("X'ab01'", "x'AB01'"));
        assert!(!s.same_printed_expression("'ab'", "'AB'"));
        assert_eq!(s.default_sql(&value(Value::Bool(true))), "1");
        assert!(s.same_printed_expression(&s.default_sql(&value(Value::Text("x".into()))), "'x'"));
    }

    #[test]
    fn sqlite_expressions_compare_as_stored() {
        let s = Sqlite;
        assert!(s.same_printed_expression("length(title) > 0", "LENGTH( \"title\" )>0"));
        assert!(
            s.same_printed_expression("\"state\" IN ('open', 'done')", "state in ('open','done')")
        );
        assert!(s.same_printed_expression("[done] = 0", "(`done` = 0)"));
        assert!(!s.same_printed_expression("state = 'Open'", "state = 'open'"));
        assert!(!s.same_printed_expression("(a) OR (b)", "a OR b"));
        assert!(!s.same_printed_expression("a > 1", "a > 2"));
    }
}
