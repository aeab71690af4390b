//! How the diff tells spellings apart ([`Equivalence`]): normalized spellings of types,
//! defaults and expressions as PostgreSQL writes and prints them back (`float8` for `double
//! precision`, casts and parentheses it adds to a CHECK); SQLite's, where a column's type only
//! sets an affinity and every object's SQL is kept as written ([`Sqlite`]); MySQL's and
//! MariaDB's, where enum types are inline value lists and the server re-prints expressions
//! in its own words ([`MySql`]).

use crate::diff::Equivalence;
use crate::naming;
use crate::schema::{
    Check, ColumnDefault, ColumnType, Deferrable, Identity, IndexMethod, IndexTarget,
    ReferentialAction, Schema, SortOrder, Unique, Value,
};

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

    /// A `serial` column (`sql_type = "serial"`) is stored as an integer column whose default
    /// takes the next value of the sequence it owns.
    fn stored(&self, schema: &Schema) -> Schema {
        let mut out = schema.clone();
        for table in out.tables.values_mut() {
            for column in &mut table.columns {
                if let Some(ty) = super::serial_type(&column.ty) {
                    column.ty = ty;
                    column.default = Some(ColumnDefault::Sql(super::serial_default(
                        &table.name,
                        &column.name,
                    )));
                }
            }
        }
        out
    }
}

/// MySQL's and MariaDB's rules. Types compare by the spelling the MySQL renderer writes
/// (the README's type table), lowercase, with synonyms and integer display widths folded
/// (`int(11)` and `integer` are `int`, `boolean` is `tinyint(1)`, `numeric` is `decimal`):
/// both timestamp kinds are `datetime(6)`, a uuid is `binary(16)`, an unbounded decimal
/// `decimal(65,30)`, and an enum column is its inline `enum('a','b')` value list (in the
/// models, `Enum { name }` compares by name; [`MySql`]'s `stored()` lowers it to the list). A
/// change of enum values narrows when a value goes away; other changes narrow as they do on
/// PostgreSQL. Defaults compare as MySQL literals (`1`/`0` for booleans, strings with
/// MySQL's escaping), expressions as MariaDB prints them back (see
/// `mysql_canonical_tree` in `dialect::expression`).
///
/// `stored()` lowers the models to what MariaDB keeps: every primary key is called `PRIMARY`;
/// enum columns are inline `ENUM(...)` types and there are no enum types; `GENERATED ALWAYS`
/// identities are `AUTO_INCREMENT` (by default); `RESTRICT` is `NO ACTION` and no foreign key
/// is deferrable; a unique index of ascending columns is a UNIQUE constraint (MySQL has no
/// other kind); index keys lose operator classes and NULLS placement and the method `btree`
/// is the default; literal defaults of time types are spelled as MariaDB prints them;
/// extensions are PostgreSQL's only.
impl Equivalence for MySql {
    fn canonical_type(&self, ty: &ColumnType) -> String {
        mysql_canonical_type(ty)
    }

    fn is_narrowing(&self, from: &ColumnType, to: &ColumnType) -> bool {
        if mysql_canonical_type(from) == mysql_canonical_type(to) {
            return false;
        }
        if let (Some(a), Some(b)) = (mysql_enum_list(from), mysql_enum_list(to)) {
            return a.iter().any(|v| !b.contains(v));
        }
        is_narrowing(from, to)
    }

    fn normalize_expression(&self, sql: &str) -> String {
        normalize_expression(sql)
    }

    fn same_printed_expression(&self, written: &str, printed: &str) -> bool {
        match (
            super::expression::mysql_canonical_tree(written),
            super::expression::mysql_canonical_tree(printed),
        ) {
            (Some(x), Some(y)) => x == y,
            _ => mysql_tokens(written) == mysql_tokens(printed),
        }
    }

    fn canonical_default(&self, default: &ColumnDefault) -> String {
        let text = normalize_expression(&self.default_sql(default));
        match text.as_str() {
            "true" => "1".into(),
            "false" => "0".into(),
            _ if is_blob_literal(&text) => text.to_ascii_lowercase(),
            _ => text,
        }
    }

    fn default_sql(&self, default: &ColumnDefault) -> String {
        match default {
            ColumnDefault::Value(Value::Bool(b)) => u8::from(*b).to_string(),
            ColumnDefault::Value(v) => self.literal(v),
            ColumnDefault::Sql(sql) => sql.clone(),
        }
    }

    fn stored(&self, schema: &Schema) -> Schema {
        let mut out = schema.clone();
        for table in out.tables.values_mut() {
            table.extensions.clear();
            table.primary_key.name = super::mysql::PRIMARY_KEY_NAME.into();
            for column in &mut table.columns {
                if let ColumnType::Enum { name } = &column.ty {
                    if let Some(definition) = schema.enums.get(name) {
                        column.ty = ColumnType::Custom {
                            sql: self.enum_type(definition.value_names()),
                        };
                    }
                }
                if column
                    .default
                    .as_ref()
                    .is_some_and(|d| super::mysql::is_current_timestamp_default(&column.ty, d))
                {
                    column.default = Some(ColumnDefault::Sql("current_timestamp(6)".into()));
                }
                if let Some(ColumnDefault::Value(Value::Text(text))) = &column.default {
                    if let Some(sql) = super::mysql::uuid_default(&column.ty, text) {
                        column.default = Some(ColumnDefault::Sql(sql));
                    }
                }
                if column.ty == ColumnType::TimestampTz {
                    column.ty = ColumnType::Timestamp;
                }
                if column.identity.is_some() {
                    column.identity = Some(Identity::ByDefault);
                }
                // A time literal, typed or written as SQL, as MariaDB prints it back.
                let literal = match &column.default {
                    Some(ColumnDefault::Value(Value::Text(text))) => Some(text.clone()),
                    Some(ColumnDefault::Sql(sql)) => super::mysql::string_literal(sql.trim())
                        .filter(|(_, rest)| rest.trim().is_empty())
                        .map(|(text, _)| text),
                    _ => None,
                };
                if let Some(canonical) =
                    literal.and_then(|text| super::mysql::canonical_temporal(&column.ty, &text))
                {
                    column.default = Some(ColumnDefault::Value(Value::Text(canonical)));
                }
            }
            let mut indexes = Vec::new();
            for mut index in std::mem::take(&mut table.indexes) {
                if index.method == Some(IndexMethod::Btree) {
                    index.method = None;
                }
                for key in &mut index.keys {
                    key.opclass = None;
                    key.nulls = None;
                    if key.order == Some(SortOrder::Asc) {
                        key.order = None;
                    }
                }
                let columns: Option<Vec<String>> = index
                    .keys
                    .iter()
                    .map(|k| match (&k.target, k.order) {
                        (IndexTarget::Column(c), None) => Some(c.clone()),
                        _ => None,
                    })
                    .collect();
                match columns {
                    Some(columns)
                        if index.unique && index.predicate.is_none() && index.method.is_none() =>
                    {
                        table.uniques.push(Unique {
                            name: index.name,
                            columns,
                        });
                    }
                    _ => indexes.push(index),
                }
            }
            table.indexes = indexes;
            for fk in &mut table.foreign_keys {
                fk.deferrable = Deferrable::No;
                for action in [&mut fk.on_delete, &mut fk.on_update] {
                    if *action == ReferentialAction::Restrict {
                        *action = ReferentialAction::NoAction;
                    }
                }
            }
            table.normalize();
        }
        out.enums.clear();
        out
    }
}

/// The values of an inline enum type (`Custom { sql: "ENUM('a', 'b')" }`), if `ty` is one.
fn mysql_enum_list(ty: &ColumnType) -> Option<Vec<String>> {
    match ty {
        ColumnType::Custom { sql } => super::mysql::enum_values(sql),
        _ => None,
    }
}

/// Spellings MySQL treats alike, mapped to the one the MySQL renderer writes.
const MYSQL_TYPE_SYNONYMS: &[(&str, &str)] = &[
    ("integer", "int"),
    ("int4", "int"),
    ("int8", "bigint"),
    ("int2", "smallint"),
    ("bool", "tinyint(1)"),
    ("boolean", "tinyint(1)"),
    ("double precision", "double"),
    ("real", "double"),
    ("float8", "double"),
    ("float4", "float"),
    ("dec", "decimal"),
    ("numeric", "decimal"),
    ("fixed", "decimal"),
    ("character varying", "varchar"),
];

/// The MySQL spelling of a column type, lowercased (see [`MySql`]'s rules).
pub fn mysql_canonical_type(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Enum { name } => format!("enum {name}"),
        ColumnType::Array { element } => format!("{}[]", mysql_canonical_type(element)),
        ColumnType::Custom { sql } => mysql_canonical_sql_type(sql),
        other => match MySql.column_type(other, &Schema::new()) {
            Ok(sql) => mysql_canonical_sql_type(&sql),
            Err(_) => canonical_type(other),
        },
    }
}

fn mysql_canonical_sql_type(sql: &str) -> String {
    if let Some(values) = super::mysql::enum_values(sql) {
        let values: Vec<String> = values.iter().map(|v| MySql.string(v)).collect();
        return format!("enum({})", values.join(","));
    }
    let text = normalize_expression(sql);
    let (word, args) = match text.find('(') {
        Some(i) => (text[..i].trim_end().to_owned(), text[i..].to_owned()),
        None => (text.clone(), String::new()),
    };
    // `int(11) unsigned`: the arguments end at the closing parenthesis.
    let (args, tail) = match args.find(')') {
        Some(i) => (args[..=i].to_owned(), args[i + 1..].to_owned()),
        None => (args, String::new()),
    };
    let word = MYSQL_TYPE_SYNONYMS
        .iter()
        .find(|(from, _)| *from == word)
        .map_or(word.clone(), |(_, to)| (*to).to_owned());
    let tail = if tail.is_empty() || tail.starts_with(' ') {
        tail
    } else {
        format!(" {tail}")
    };
    let is_integer = ["tinyint", "smallint", "mediumint", "int", "bigint"].contains(&word.as_str());
    match word.as_str() {
        // Booleans are `tinyint(1)`: that display width is the type.
        "tinyint(1)" => format!("tinyint(1){tail}"),
        "tinyint" if args == "(1)" => format!("tinyint(1){tail}"),
        // Other display widths change nothing.
        _ if is_integer => format!("{word}{tail}"),
        "decimal" => {
            let inner = args.trim_start_matches('(').trim_end_matches(')');
            let mut parts = inner.split(',').filter(|p| !p.is_empty());
            let p = parts.next().unwrap_or("10");
            let s = parts.next().unwrap_or("0");
            format!("decimal({p},{s}){tail}")
        }
        _ => format!("{word}{args}{tail}"),
    }
}

/// An expression as MySQL reads it, as tokens, when it does not parse as a tree: white
/// space and comments dropped, words lowercased (function synonyms folded, `true`/`false` as
/// `1`/`0`), identifiers in backticks unquoted and lowercased, strings by their value
/// (MySQL's backslash escapes read), parentheses around the whole expression dropped.
fn mysql_tokens(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if let Some(after) = past_comment(&chars, i, true) {
            i = after;
        } else if c == '`' {
            let (text, after) = quoted(&chars, i, '`');
            i = after;
            tokens.push(text.to_lowercase());
        } else if c == '\'' || c == '"' {
            let rest: String = chars[i..].iter().collect();
            match super::mysql::string_literal(&rest) {
                Some((value, after)) => {
                    let value = if tokens.last().is_some_and(|t| t == "x") {
                        value.to_ascii_lowercase()
                    } else {
                        value
                    };
                    tokens.push(format!("'{}'", value.replace('\'', "''")));
                    i = chars.len() - after.chars().count();
                }
                None => {
                    tokens.push(rest);
                    i = chars.len();
                }
            }
        } else if is_word_char(c) {
            let (word, after) = word_at(&chars, i);
            i = after;
            tokens.push(match word.as_str() {
                "true" => "1".into(),
                "false" => "0".into(),
                w => super::expression::mysql_function_name(w),
            });
        } else if c == '!' && chars.get(i + 1) == Some(&'=') {
            tokens.extend(["<".into(), ">".into()]);
            i += 2;
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    unwrap_parentheses(tokens)
}

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
        } else if let Some(after) = past_comment(&chars, i, false) {
            i = after;
        } else if matches!(c, '\'' | '"' | '`' | '[') {
            let (text, after) = quoted(&chars, i, if c == '[' { ']' } else { c });
            i = after;
            if c == '\'' && tokens.last().is_some_and(|t| t == "x") {
                // The digits of a blob literal ignore case.
                tokens.push(format!("'{}'", text.to_ascii_lowercase()));
            } else if c == '\'' {
                tokens.push(format!("'{}'", text.replace('\'', "''")));
            } else {
                tokens.push(text.to_lowercase());
            }
        } else if is_word_char(c) {
            let (word, after) = word_at(&chars, i);
            i = after;
            tokens.push(word);
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    unwrap_parentheses(tokens)
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

/// Where a comment that starts at `i` ends (`--` to the end of the line, `#` too when
/// `hash`, `/* ... */`), if one starts there.
fn past_comment(chars: &[char], i: usize, hash: bool) -> Option<usize> {
    let c = chars[i];
    if c == '-' && chars.get(i + 1) == Some(&'-') || hash && c == '#' {
        let mut i = i;
        while i < chars.len() && chars[i] != '\n' {
            i += 1;
        }
        Some(i)
    } else if c == '/' && chars.get(i + 1) == Some(&'*') {
        let mut i = i + 2;
        while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
            i += 1;
        }
        Some(i + 2)
    } else {
        None
    }
}

/// The text quoted from `i` (its opening quote) to `close`, a doubled `close` standing for
/// itself (not for `]`), and where it ends.
fn quoted(chars: &[char], i: usize, close: char) -> (String, usize) {
    let mut i = i + 1;
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
    (text, i + 1)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// The word (letters, digits, `_`, `.`) from `i`, lowercased, and where it ends.
fn word_at(chars: &[char], i: usize) -> (String, usize) {
    let end = (i..chars.len())
        .find(|&j| !is_word_char(chars[j]))
        .unwrap_or(chars.len());
    (chars[i..end].iter().collect::<String>().to_lowercase(), end)
}

/// `tokens` without the pairs of parentheses around all of them: `(a) OR (b)` keeps its own.
fn unwrap_parentheses(mut tokens: Vec<String>) -> Vec<String> {
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

#[cfg(test)]
mod mysql_tests {
    use super::*;
    use crate::schema::{
        Column, Enum, EnumValue, ForeignKey, Index, IndexKey, NullsOrder, PrimaryKey, Table,
    };

    fn custom(sql: &str) -> ColumnType {
        ColumnType::Custom { sql: sql.into() }
    }

    #[test]
    fn mysql_types_compare_by_the_renderers_spelling() {
        let m = MySql;
        let same = |a: &ColumnType, b: &ColumnType| m.canonical_type(a) == m.canonical_type(b);
        assert!(same(&custom("int(11)"), &ColumnType::Integer));
        assert!(same(&custom("INTEGER"), &ColumnType::Integer));
        assert!(same(&custom("bigint(20)"), &ColumnType::BigInt));
        assert!(same(&custom("tinyint(1)"), &ColumnType::Boolean));
        assert!(same(&custom("BOOL"), &ColumnType::Boolean));
        assert!(!same(&custom("tinyint(4)"), &ColumnType::Boolean));
        assert!(same(&ColumnType::Timestamp, &ColumnType::TimestampTz));
        assert!(same(&custom("DATETIME(6)"), &ColumnType::TimestampTz));
        assert!(!same(&custom("datetime"), &ColumnType::Timestamp));
        assert!(same(&custom("binary(16)"), &ColumnType::Uuid));
        assert!(same(&custom("LONGTEXT"), &ColumnType::Text));
        assert!(!same(&custom("text"), &ColumnType::Text));
        assert!(same(&custom("numeric(12, 2)"), &custom("decimal(12,2)")));
        assert!(same(
            &custom("DECIMAL(65, 30)"),
            &ColumnType::Decimal {
                precision: None,
                scale: None
            }
        ));
        assert!(same(&custom("decimal"), &custom("decimal(10,0)")));
        assert!(same(&custom("int(10) unsigned"), &custom("INT UNSIGNED")));
        assert!(!same(&custom("int unsigned"), &ColumnType::Integer));
        assert!(same(
            &custom("ENUM('a', 'it''s')"),
            &custom("enum('a','it\\'s')")
        ));
        assert!(!same(&custom("enum('a','b')"), &custom("enum('b','a')")));
        assert!(!same(&ColumnType::Json, &ColumnType::Text));
    }

    #[test]
    fn mysql_narrowing() {
        let m = MySql;
        assert!(!m.is_narrowing(&custom("enum('a')"), &custom("enum('a','b')")));
        assert!(m.is_narrowing(&custom("enum('a','b')"), &custom("enum('a')")));
        assert!(!m.is_narrowing(&custom("enum('a','b')"), &custom("enum('b','a')")));
        assert!(!m.is_narrowing(&ColumnType::Timestamp, &ColumnType::TimestampTz));
        assert!(!m.is_narrowing(&custom("int(11)"), &ColumnType::Integer));
        assert!(m.is_narrowing(&ColumnType::BigInt, &ColumnType::Integer));
        assert!(!m.is_narrowing(&ColumnType::Integer, &ColumnType::BigInt));
    }

    #[test]
    fn mysql_defaults() {
        let m = MySql;
        let value = |v: Value| ColumnDefault::Value(v);
        let sql = |t: &str| ColumnDefault::Sql(t.into());
        let same = |a: &ColumnDefault, b: &ColumnDefault| {
            m.canonical_default(a) == m.canonical_default(b)
                || m.same_printed_expression(&m.default_sql(a), &m.default_sql(b))
        };
        assert!(same(&value(Value::Bool(false)), &sql("0")));
        assert!(same(&value(Value::Bool(true)), &sql("TRUE")));
        assert!(same(&sql("FALSE"), &sql("0")));
        assert!(same(&value(Value::Text("it's".into())), &sql("'it\\'s'")));
        assert!(same(&value(Value::Text("a\\b".into())), &sql("'a\\\\b'")));
        assert!(same(&value(Value::Bytes("00ff".into())), &sql("X'00FF'")));
        assert!(same(
            &sql("CURRENT_TIMESTAMP(6)"),
            &sql("current_timestamp(6)")
        ));
        assert!(same(&sql("('x')"), &sql("'x'")));
        assert!(!same(&value(Value::Text("x".into())), &sql("'y'")));
        assert!(!same(&value(Value::Bool(true)), &sql("0")));
        assert_eq!(m.default_sql(&value(Value::Bool(true))), "1");
    }

    #[test]
    fn mysql_stored_lowers_what_mariadb_does_not_keep() {
        let column = |name: &str, ty: ColumnType| Column {
            name: name.into(),
            ty,
            nullable: false,
            default: None,
            identity: None,
            renamed_from: None,
            backfill_sql: None,
            comment: None,
        };
        let mut id = column("id", ColumnType::BigInt);
        id.identity = Some(Identity::Always);
        let mut state = column(
            "state",
            ColumnType::Enum {
                name: "state".into(),
            },
        );
        state.default = Some(ColumnDefault::Value(Value::Text("open".into())));
        let mut at = column("at", ColumnType::TimestampTz);
        at.default = Some(ColumnDefault::Value(Value::Text(
            "2026-01-01 12:00:00+02:00".into(),
        )));
        let mut schema = Schema::new();
        schema.enums.insert(
            "state".into(),
            Enum {
                name: "state".into(),
                values: ["open", "it's"]
                    .into_iter()
                    .map(|v| EnumValue {
                        name: v.into(),
                        renamed_from: None,
                    })
                    .collect(),
            },
        );
        let mut desc = IndexKey::column("at");
        desc.order = Some(SortOrder::Desc);
        desc.nulls = Some(NullsOrder::Last);
        schema.tables.insert(
            "t".into(),
            Table {
                name: "t".into(),
                renamed_from: None,
                comment: Some("kept".into()),
                columns: vec![id, state, at],
                primary_key: PrimaryKey {
                    name: "pk_t".into(),
                    columns: vec!["id".into()],
                },
                indexes: vec![
                    Index {
                        name: "ix_t_at".into(),
                        keys: vec![desc],
                        unique: false,
                        method: Some(IndexMethod::Btree),
                        predicate: None,
                    },
                    Index {
                        name: "ix_t_state".into(),
                        keys: vec![IndexKey::column("state")],
                        unique: true,
                        method: None,
                        predicate: None,
                    },
                ],
                uniques: vec![],
                checks: vec![],
                foreign_keys: vec![ForeignKey {
                    name: "fk".into(),
                    columns: vec!["id".into()],
                    ref_table: "t".into(),
                    ref_columns: vec!["id".into()],
                    on_delete: ReferentialAction::Restrict,
                    on_update: ReferentialAction::Cascade,
                    deferrable: Deferrable::InitiallyDeferred,
                }],
                extensions: vec!["citext".into()],
            },
        );
        let stored = MySql.stored(&schema);
        assert!(stored.enums.is_empty());
        let t = &stored.tables["t"];
        assert_eq!(t.primary_key.name, "PRIMARY");
        assert_eq!(t.comment.as_deref(), Some("kept"));
        assert!(t.extensions.is_empty());
        assert_eq!(t.columns[0].identity, Some(Identity::ByDefault));
        assert_eq!(t.columns[1].ty, custom("ENUM('open', 'it''s')"));
        assert_eq!(t.columns[2].ty, ColumnType::Timestamp);
        assert_eq!(
            t.columns[2].default,
            Some(ColumnDefault::Value(Value::Text(
                "2026-01-01 10:00:00".into()
            )))
        );
        let mut written = schema.clone();
        written.tables.get_mut("t").expect("t").columns[2].default =
            Some(ColumnDefault::Sql("'2026-01-01 10:00:00.000'".into()));
        assert_eq!(
            MySql.stored(&written).tables["t"].columns[2].default,
            Some(ColumnDefault::Value(Value::Text(
                "2026-01-01 10:00:00".into()
            )))
        );
        assert_eq!(t.indexes.len(), 1);
        assert_eq!(t.indexes[0].method, None);
        assert_eq!(t.indexes[0].keys[0].nulls, None);
        assert_eq!(t.indexes[0].keys[0].order, Some(SortOrder::Desc));
        assert_eq!(
            t.uniques,
            [Unique {
                name: "ix_t_state".into(),
                columns: vec!["state".into()]
            }]
        );
        let fk = &t.foreign_keys[0];
        assert_eq!(fk.on_delete, ReferentialAction::NoAction);
        assert_eq!(fk.on_update, ReferentialAction::Cascade);
        assert_eq!(fk.deferrable, Deferrable::No);
        // The models' own schema is not touched.
        assert_eq!(schema.tables["t"].primary_key.name, "pk_t");
    }

    #[test]
    fn mysql_expressions_compare_as_mariadb_prints_them() {
        let m = MySql;
        assert!(m.same_printed_expression("length(title) > 0", "octet_length(`title`) > 0"));
        assert!(m.same_printed_expression("NOT done", "`done` = 0"));
        assert!(!m.same_printed_expression("a > 1", "`a` > 2"));
        // Text that does not parse is compared by tokens.
        assert!(m.same_printed_expression("a >> ", "`A` >>"));
        assert!(!m.same_printed_expression("a >> ", "`b` >>"));
    }
}
