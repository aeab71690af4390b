//! The dialect-free description of a database schema.
//!
//! A [`Schema`] is what the registry builds from the linked models, what a snapshot file stores,
//! and (later in the pipeline) what the diff compares. Every collection is ordered
//! deterministically: tables and enums by name in ordered maps, columns in declaration order,
//! and indexes, unique constraints, checks and foreign keys sorted by their name when the
//! table is finished ([`Table::normalize`]). Same models, same value, byte for byte.
//!
//! Hints (`renamed_from`, `backfill_sql`) are part of the value because they are part of what
//! the models say; comparisons that decide whether the database must change ignore them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole schema: every table and every enum type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
    /// Enum types by name.
    pub enums: BTreeMap<String, Enum>,
}

impl Schema {
    /// An empty schema (the state before the first migration).
    pub fn new() -> Self {
        Self::default()
    }

    /// True when the schema holds neither tables nor enums.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.enums.is_empty()
    }
}

/// One table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The table name in the database.
    pub name: String,
    /// The table's previous name, when the models declare a rename.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// `COMMENT ON TABLE` text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// The primary key.
    pub primary_key: PrimaryKey,
    /// Indexes, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// UNIQUE constraints, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<Unique>,
    /// CHECK constraints, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// Foreign keys, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// PostgreSQL extensions the table needs, sorted and without duplicates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<String>,
}

impl Table {
    /// The column called `name`, if there is one.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Sorts the named collections so that equal tables serialize identically.
    pub fn normalize(&mut self) {
        self.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        self.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        self.checks.sort_by(|a, b| a.name.cmp(&b.name));
        self.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        self.extensions.sort();
        self.extensions.dedup();
    }
}

/// One column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The column name in the database.
    pub name: String,
    /// The column's type.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// Whether the column accepts NULL.
    pub nullable: bool,
    /// The server-side default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ColumnDefault>,
    /// Identity generation for integer keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The column's previous name, when the models declare a rename.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// A one-time SQL value for existing rows when the column becomes NOT NULL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill_sql: Option<String>,
    /// `COMMENT ON COLUMN` text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Column {
    /// A column with no default, identity, hints or comment.
    pub fn new(name: impl Into<String>, ty: ColumnType, nullable: bool) -> Self {
        Self {
            name: name.into(),
            ty,
            nullable,
            default: None,
            identity: None,
            renamed_from: None,
            backfill_sql: None,
            comment: None,
        }
    }
}

/// A column type, independent of any SQL dialect. Each dialect renders it
/// (see [`crate::dialect`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnType {
    /// `bool`
    Boolean,
    /// `i16`
    SmallInt,
    /// `i32`
    Integer,
    /// `i64`
    BigInt,
    /// `f32`
    Real,
    /// `f64`
    Double,
    /// `String` without a length limit.
    Text,
    /// `String` with `max_length`.
    Varchar {
        /// Maximum length in characters.
        length: u32,
    },
    /// `Vec<u8>`
    Bytes,
    /// `uuid::Uuid`
    Uuid,
    /// `chrono::NaiveDateTime`: a timestamp without time zone.
    Timestamp,
    /// `chrono::DateTime<Utc>`: a timestamp with time zone.
    TimestampTz,
    /// `chrono::NaiveDate`
    Date,
    /// `chrono::NaiveTime`
    Time,
    /// `serde_json::Value`
    Json,
    /// `rust_decimal::Decimal`
    Decimal {
        /// Total number of digits.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        /// Digits after the decimal point.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scale: Option<u32>,
    },
    /// `Vec<T>`: an array of `T` (PostgreSQL only).
    Array {
        /// The element type.
        element: Box<ColumnType>,
    },
    /// A `#[derive(DbEnum)]` type.
    Enum {
        /// The enum type's name.
        name: String,
    },
    /// A raw SQL type from `#[column(sql_type = "...")]`, copied verbatim.
    Custom {
        /// The SQL spelling.
        sql: String,
    },
}

/// A server-side column default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ColumnDefault {
    /// A typed literal from `default = <expr>`, rendered and escaped per dialect.
    Value(Value),
    /// A raw SQL expression from `default_sql = "..."`, copied verbatim.
    Sql(String),
}

/// A literal value, as written in a `default`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// `TRUE` / `FALSE`
    Bool(bool),
    /// A number, kept in its decimal spelling so no precision is lost.
    Number(String),
    /// A string literal (also used for enum values, uuids, dates and times).
    Text(String),
    /// Bytes, as lowercase hexadecimal.
    Bytes(String),
    /// An array literal (PostgreSQL).
    Array(Vec<Value>),
}

/// Identity generation of an integer primary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// `GENERATED BY DEFAULT AS IDENTITY`: the database numbers rows unless a value is given.
    ByDefault,
    /// `GENERATED ALWAYS AS IDENTITY`: the database always numbers rows.
    Always,
}

/// The primary key of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    /// Constraint name.
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// Key parts in order.
    pub keys: Vec<IndexKey>,
    /// A unique index.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// Access method (`btree` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<IndexMethod>,
    /// The predicate of a partial index.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "where")]
    pub predicate: Option<String>,
}

/// Index access methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexMethod {
    /// B-tree (the default).
    Btree,
    /// Hash.
    Hash,
    /// GIN.
    Gin,
    /// GiST.
    Gist,
    /// BRIN.
    Brin,
}

impl IndexMethod {
    /// Every method, in the order the attribute documentation lists them.
    pub const ALL: [IndexMethod; 5] = [
        IndexMethod::Btree,
        IndexMethod::Hash,
        IndexMethod::Gin,
        IndexMethod::Gist,
        IndexMethod::Brin,
    ];

    /// The SQL keyword (`btree`, `gin`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::Brin => "brin",
        }
    }

    /// Parses the SQL keyword, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// One key part of an index: a column or an expression, with options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    /// What is indexed.
    #[serde(flatten)]
    pub target: IndexTarget,
    /// Operator class, such as `gin_trgm_ops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// Sort order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
    /// Where NULLs sort.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls: Option<NullsOrder>,
}

impl IndexKey {
    /// A plain ascending key on one column.
    pub fn column(name: impl Into<String>) -> Self {
        Self {
            target: IndexTarget::Column(name.into()),
            opclass: None,
            order: None,
            nulls: None,
        }
    }
}

/// The thing an index key covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexTarget {
    /// A column by name.
    Column(String),
    /// An SQL expression (without the surrounding parentheses).
    Expression(String),
}

/// `ASC` / `DESC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// `ASC`
    Asc,
    /// `DESC`
    Desc,
}

/// `NULLS FIRST` / `NULLS LAST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NullsOrder {
    /// `NULLS FIRST`
    First,
    /// `NULLS LAST`
    Last,
}

/// A UNIQUE constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unique {
    /// Constraint name.
    pub name: String,
    /// Columns in order.
    pub columns: Vec<String>,
}

/// A CHECK constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Constraint name.
    pub name: String,
    /// The boolean SQL expression.
    pub expr: String,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: String,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns, in the same order.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action.
    #[serde(default, skip_serializing_if = "ReferentialAction::is_default")]
    pub on_delete: ReferentialAction,
    /// `ON UPDATE` action.
    #[serde(default, skip_serializing_if = "ReferentialAction::is_default")]
    pub on_update: ReferentialAction,
    /// Deferrability.
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
}

/// `ON DELETE` / `ON UPDATE` actions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    /// `NO ACTION` (the SQL default).
    #[default]
    NoAction,
    /// `RESTRICT`
    Restrict,
    /// `CASCADE`
    Cascade,
    /// `SET NULL`
    SetNull,
    /// `SET DEFAULT`
    SetDefault,
}

impl ReferentialAction {
    /// Every action, with its attribute spelling.
    pub const ALL: [(ReferentialAction, &'static str); 5] = [
        (ReferentialAction::Cascade, "cascade"),
        (ReferentialAction::SetNull, "set null"),
        (ReferentialAction::SetDefault, "set default"),
        (ReferentialAction::Restrict, "restrict"),
        (ReferentialAction::NoAction, "no action"),
    ];

    /// True for `NO ACTION`.
    pub fn is_default(&self) -> bool {
        *self == ReferentialAction::NoAction
    }

    /// The SQL spelling (`CASCADE`, `SET NULL`, ...).
    pub fn as_sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }

    /// Parses the attribute spelling (`"cascade"`, `"set null"`, ...), ignoring case and
    /// extra spaces.
    pub fn parse(s: &str) -> Option<Self> {
        let norm = s.split_whitespace().collect::<Vec<_>>().join(" ");
        Self::ALL
            .into_iter()
            .find(|(_, spelling)| spelling.eq_ignore_ascii_case(&norm))
            .map(|(action, _)| action)
    }
}

/// Whether a foreign key is deferrable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    /// `NOT DEFERRABLE` (the SQL default).
    #[default]
    No,
    /// `DEFERRABLE INITIALLY IMMEDIATE`
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`
    InitiallyDeferred,
}

impl Deferrable {
    /// True for `NOT DEFERRABLE`.
    pub fn is_default(&self) -> bool {
        *self == Deferrable::No
    }
}

/// An enum type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enum {
    /// The type name.
    pub name: String,
    /// Values in declaration order.
    pub values: Vec<EnumValue>,
}

impl Enum {
    /// The database spellings of the values, in order.
    pub fn value_names(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(|v| v.name.as_str())
    }
}

/// One value of an enum type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumValue {
    /// The database spelling.
    pub name: String,
    /// The value's previous spelling, when the models declare a rename.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}
