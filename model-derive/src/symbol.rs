//! Attribute keywords. Every keyword the derives accept is named here, once.

use std::fmt;

use syn::{Ident, Path};

/// An attribute keyword.
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct Symbol(pub &'static str);

// Attribute names.
pub const TABLE: Symbol = Symbol("table");
pub const COLUMN: Symbol = Symbol("column");
pub const DB_ENUM: Symbol = Symbol("db_enum");

// Shared keys.
pub const NAME: Symbol = Symbol("name");
pub const RENAMED_FROM: Symbol = Symbol("renamed_from");
pub const COMMENT: Symbol = Symbol("comment");

// `#[table(...)]`
pub const PRIMARY_KEY_NAME: Symbol = Symbol("primary_key_name");
pub const EXTENSIONS: Symbol = Symbol("extensions");
pub const INDEX: Symbol = Symbol("index");
pub const UNIQUE: Symbol = Symbol("unique");
pub const CHECK: Symbol = Symbol("check");

// `index(...)`, `unique(...)`, `check(...)`
pub const COLUMNS: Symbol = Symbol("columns");
pub const EXPR: Symbol = Symbol("expr");
pub const WHERE: Symbol = Symbol("where");
pub const METHOD: Symbol = Symbol("method");

// `#[column(...)]`
pub const PRIMARY_KEY: Symbol = Symbol("primary_key");
pub const SQL_TYPE: Symbol = Symbol("sql_type");
pub const MAX_LENGTH: Symbol = Symbol("max_length");
pub const PRECISION: Symbol = Symbol("precision");
pub const SCALE: Symbol = Symbol("scale");
pub const DEFAULT: Symbol = Symbol("default");
pub const DEFAULT_SQL: Symbol = Symbol("default_sql");
pub const BACKFILL_SQL: Symbol = Symbol("backfill_sql");
pub const REFERENCES: Symbol = Symbol("references");
pub const ON_DELETE: Symbol = Symbol("on_delete");
pub const ON_UPDATE: Symbol = Symbol("on_update");
pub const DEFERRABLE: Symbol = Symbol("deferrable");
pub const INITIALLY_DEFERRED: Symbol = Symbol("initially_deferred");
pub const FK_NAME: Symbol = Symbol("fk_name");
pub const IDENTITY: Symbol = Symbol("identity");

// `#[db_enum(...)]`
pub const RENAME_ALL: Symbol = Symbol("rename_all");
pub const RENAME: Symbol = Symbol("rename");

/// The keys of `#[table(...)]`, for "expected one of" messages.
pub const TABLE_KEYS: &[Symbol] = &[
    NAME,
    RENAMED_FROM,
    COMMENT,
    PRIMARY_KEY_NAME,
    EXTENSIONS,
    INDEX,
    UNIQUE,
    CHECK,
];
pub const INDEX_KEYS: &[Symbol] = &[NAME, COLUMNS, EXPR, UNIQUE, WHERE, METHOD];
pub const UNIQUE_KEYS: &[Symbol] = &[NAME, COLUMNS];
pub const CHECK_KEYS: &[Symbol] = &[NAME, EXPR];
pub const COLUMN_KEYS: &[Symbol] = &[
    PRIMARY_KEY,
    NAME,
    RENAMED_FROM,
    SQL_TYPE,
    MAX_LENGTH,
    PRECISION,
    SCALE,
    DEFAULT,
    DEFAULT_SQL,
    BACKFILL_SQL,
    UNIQUE,
    INDEX,
    REFERENCES,
    ON_DELETE,
    ON_UPDATE,
    DEFERRABLE,
    INITIALLY_DEFERRED,
    FK_NAME,
    IDENTITY,
    COMMENT,
];
pub const ENUM_KEYS: &[Symbol] = &[NAME, RENAME_ALL];
pub const VARIANT_KEYS: &[Symbol] = &[RENAME, RENAMED_FROM];

/// `a`, `b` or `c` as "`a`, `b`, `c`".
pub fn list(symbols: &[Symbol]) -> String {
    symbols
        .iter()
        .map(|s| format!("`{}`", s.0))
        .collect::<Vec<_>>()
        .join(", ")
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.0)
    }
}
