//! SQL dialects: how each database spells types, identifiers and literals. Migration
//! operations are written on top of these spellings by [`crate::render`].
//!
//! [`SqlDialect`] has a default for every method (the standard SQL / PostgreSQL spelling);
//! each database overrides only what differs. An operation a database cannot express is a
//! returned [`RenderError`], never a panic.

pub mod compare;
mod expression;
pub(crate) mod mysql;
mod postgres;
mod sqlite;

pub use mysql::{
    canonical_temporal, enum_values, string_literal, MySql, PRIMARY_KEY_NAME as MYSQL_PRIMARY_KEY,
};
pub use postgres::Postgres;
pub use sqlite::Sqlite;

use crate::diff::Equivalence;
use crate::render::Render;
use crate::schema::{ColumnType, Schema, Value};

/// The databases migrations are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    /// PostgreSQL (first-class).
    Postgres,
    /// SQLite (the embedded default).
    Sqlite,
    /// MySQL and MariaDB.
    Mysql,
}

impl Dialect {
    /// Every dialect.
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql];

    /// The lowercase name used in directory names and files (`postgres`, `sqlite`, `mysql`).
    pub fn name(self) -> &'static str {
        self.sql().name()
    }

    /// The dialect called `name` (as [`Dialect::name`] spells it).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }

    /// How this dialect spells types, identifiers and literals.
    pub fn sql(self) -> &'static dyn SqlDialect {
        match self {
            Dialect::Postgres => &Postgres,
            Dialect::Sqlite => &Sqlite,
            Dialect::Mysql => &MySql,
        }
    }

    /// How this dialect writes migration operations ([`crate::render`]).
    pub fn render(self) -> &'static dyn Render {
        match self {
            Dialect::Postgres => &Postgres,
            Dialect::Sqlite => &Sqlite,
            Dialect::Mysql => &MySql,
        }
    }

    /// How the diff compares this dialect's spellings of types, defaults and expressions.
    pub fn equivalence(self) -> &'static dyn Equivalence {
        match self {
            Dialect::Postgres => &Postgres,
            Dialect::Sqlite => &Sqlite,
            Dialect::Mysql => &MySql,
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Something a dialect cannot express.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A column type the database does not have.
    #[error("{dialect} has no column type for {what}")]
    UnsupportedType {
        /// The dialect.
        dialect: &'static str,
        /// The type, described.
        what: String,
    },
    /// Migrations for this dialect are not available yet.
    #[error("migrations for {dialect} are not available yet; PostgreSQL is supported")]
    UnsupportedDialect {
        /// The dialect.
        dialect: &'static str,
    },
    /// An operation the dialect cannot express (standard SQL has no spelling for it and the
    /// dialect does not provide one).
    #[error("{dialect} cannot express {what}{}", location(.table, .column))]
    Unsupported {
        /// The dialect.
        dialect: &'static str,
        /// What cannot be expressed.
        what: String,
        /// The table concerned, when there is one.
        table: Option<String>,
        /// The column concerned, when there is one.
        column: Option<String>,
    },
    /// An enum type that the schema does not declare.
    #[error("{dialect}: enum type `{name}` is not declared in the schema")]
    UnknownEnum {
        /// The dialect.
        dialect: &'static str,
        /// The enum type name.
        name: String,
    },
}

/// The table and column an unsupported operation concerns, as the end of its message.
fn location(table: &Option<String>, column: &Option<String>) -> String {
    match (table, column) {
        (Some(t), Some(c)) => format!(" (table `{t}`, column `{c}`)"),
        (Some(t), None) => format!(" (table `{t}`)"),
        (None, Some(c)) => format!(" (column `{c}`)"),
        (None, None) => String::new(),
    }
}

/// How one database spells things. Defaults follow PostgreSQL.
pub trait SqlDialect: Sync {
    /// The lowercase dialect name.
    fn name(&self) -> &'static str;

    /// Quotes an identifier when it needs quoting (a keyword, upper case, punctuation).
    fn ident(&self, name: &str) -> String {
        if is_plain_identifier(name) && !is_reserved(name) {
            name.to_owned()
        } else {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
    }

    /// A string literal.
    fn string(&self, text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    /// A literal value.
    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Bool(true) => "TRUE".into(),
            Value::Bool(false) => "FALSE".into(),
            Value::Number(n) => n.clone(),
            Value::Text(t) => self.string(t),
            Value::Bytes(hex) => format!("'\\x{hex}'"),
            // `ARRAY[]` alone has no type; the empty array literal does.
            Value::Array(items) if items.is_empty() => "'{}'".into(),
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(|v| self.literal(v)).collect();
                format!("ARRAY[{}]", items.join(", "))
            }
        }
    }

    /// The column type's spelling.
    fn column_type(&self, ty: &ColumnType, schema: &Schema) -> Result<String, RenderError>;
}

/// The integer type a PostgreSQL `serial` pseudo-type (`sql_type = "serial"`, `bigserial`,
/// `smallserial` and their `serialN` synonyms) creates, if `ty` is one.
pub fn serial_type(ty: &ColumnType) -> Option<ColumnType> {
    let ColumnType::Custom { sql } = ty else {
        return None;
    };
    match sql.trim().to_ascii_lowercase().as_str() {
        "serial" | "serial4" => Some(ColumnType::Integer),
        "bigserial" | "serial8" => Some(ColumnType::BigInt),
        "smallserial" | "serial2" => Some(ColumnType::SmallInt),
        _ => None,
    }
}

/// The default PostgreSQL gives a `serial` column `column` of `table`, as it prints it back:
/// the next value of the sequence the column owns, `<table>_<column>_seq`.
pub fn serial_default(table: &str, column: &str) -> String {
    let sequence = format!("{table}_{column}_seq");
    let name = if is_plain_identifier(&sequence) && !is_reserved(&sequence) {
        sequence
    } else {
        format!("\"{}\"", sequence.replace('"', "\"\""))
    };
    format!("nextval('{}'::regclass)", name.replace('\'', "''"))
}

/// Lowercase ASCII letters, digits and underscores, not starting with a digit.
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Words that must be quoted as identifiers in at least one supported database. Quoting a
/// word that did not need it is harmless, so one list serves all dialects.
const RESERVED: &[&str] = &[
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "database",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "rows",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// Names of built-in PostgreSQL types: an enum type called like one must be quoted, or the
/// built-in type is meant.
const BUILTIN_TYPES: &[&str] = &[
    "bigint",
    "bit",
    "bool",
    "boolean",
    "box",
    "bytea",
    "char",
    "character",
    "cidr",
    "circle",
    "date",
    "decimal",
    "double",
    "float",
    "inet",
    "int",
    "integer",
    "interval",
    "json",
    "jsonb",
    "line",
    "lseg",
    "macaddr",
    "money",
    "name",
    "numeric",
    "oid",
    "path",
    "point",
    "polygon",
    "real",
    "record",
    "smallint",
    "text",
    "time",
    "timestamp",
    "timestamptz",
    "timetz",
    "tsquery",
    "tsvector",
    "uuid",
    "varchar",
    "xml",
];

/// A user-defined type's name: quoted when it needs quoting or names a built-in type.
pub fn type_name(dialect: &dyn SqlDialect, name: &str) -> String {
    if BUILTIN_TYPES.binary_search(&name).is_ok() {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        dialect.ident(name)
    }
}

/// True for words in the reserved list.
pub fn is_reserved(name: &str) -> bool {
    RESERVED.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_sorted() {
        assert!(RESERVED.windows(2).all(|w| w[0] < w[1]));
        assert!(BUILTIN_TYPES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(type_name(&Postgres, "interval"), "\"interval\"");
        assert_eq!(type_name(&Postgres, "priority"), "priority");
    }

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        for d in Dialect::ALL {
            let sql = d.sql();
            assert_eq!(sql.ident("tasks"), "tasks");
            assert_ne!(sql.ident("order"), "order");
            assert_ne!(sql.ident("Mixed"), "Mixed");
        }
        assert_eq!(Postgres.ident("user"), "\"user\"");
        assert_eq!(Postgres.ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(MySql.ident("order"), "`order`");
        assert_eq!(MySql.ident("we`ird"), "`we``ird`");
    }

    #[test]
    fn literals_are_escaped() {
        assert_eq!(Postgres.string("it's"), "'it''s'");
        assert_eq!(MySql.string("a\\'b"), "'a\\\\''b'");
        assert_eq!(Sqlite.literal(&Value::Bool(true)), "1");
        assert_eq!(Postgres.literal(&Value::Bytes("00ff".into())), "'\\x00ff'");
        assert_eq!(Sqlite.literal(&Value::Bytes("00ff".into())), "X'00ff'");
    }
}
