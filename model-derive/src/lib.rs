//! `#[derive(Table)]` and `#[derive(DbEnum)]`. Use them through `model_core`, which re-exports
//! them and holds everything the generated code refers to.
//!
//! The pipeline follows serde_derive: attributes are parsed into a typed model (`attr`, `ast`),
//! checked as a whole (`check`), and only then turned into code (`table`, `db_enum`). Every
//! mistake is collected, so one build reports all of them, each spanned on the offending token.

mod ast;
mod attr;
mod check;
mod ctxt;
mod db_enum;
mod sql;
mod symbol;
mod table;

use proc_macro::TokenStream;
use syn::parse_macro_input;

/// Declares a table.
///
/// Container attributes, `#[table(...)]` (may be repeated):
///
/// | key | meaning |
/// |---|---|
/// | `name = "tasks"` | table name (default: the struct name in snake_case) |
/// | `renamed_from = "todo_items"` | the table's previous name: a rename, not drop + create |
/// | `comment = "..."` | `COMMENT ON TABLE` |
/// | `primary_key_name = "..."` | primary key constraint name (default `pk_<table>`) |
/// | `extensions = ["citext"]` | PostgreSQL extensions created before first use |
/// | `index(columns = [...], name, unique, where = "...", method = "gin")` | an index; keys are column names or `(expressions)`, each optionally followed by an operator class, `ASC`/`DESC` and `NULLS FIRST`/`NULLS LAST`; `expr = "lower(email)"` is a single expression key |
/// | `unique(columns = [...], name = "...")` | a UNIQUE constraint |
/// | `check(expr = "...", name = "...")` | a CHECK constraint |
///
/// Field attributes, `#[column(...)]`:
///
/// | key | meaning |
/// |---|---|
/// | `primary_key` | part of the primary key (several fields: a composite key, in field order) |
/// | `name = "..."` | column name (default: the field name, without `r#`) |
/// | `renamed_from = "..."` | the column's previous name |
/// | `sql_type = "citext"` | the column's SQL type, verbatim, for any field type |
/// | `max_length = 200` | `VARCHAR(200)` instead of `TEXT` (`String` fields) |
/// | `precision = 12, scale = 2` | `NUMERIC(12, 2)` (`Decimal` fields) |
/// | `default = <expr>` | a default: any expression converting `Into` the field type (for `Option<T>`, into `T`) |
/// | `default_sql = "now()"` | a raw SQL default |
/// | `backfill_sql = "..."` | value for existing rows when the column becomes NOT NULL |
/// | `unique`, `unique = "uq_name"` | a UNIQUE constraint on this column |
/// | `index`, `index = "ix_name"` | an index on this column |
/// | `references = User` / `references = User::email` | a foreign key to the primary key / a column of another model; checked by the compiler |
/// | `on_delete = "cascade"`, `on_update = "..."` | `"cascade"`, `"set null"`, `"set default"`, `"restrict"`, `"no action"` |
/// | `deferrable`, `initially_deferred` | deferrable foreign key |
/// | `fk_name = "..."` | foreign key constraint name |
/// | `identity = false \| true \| "always"` | identity of a single integer primary key (default: by default) |
/// | `comment = "..."` | `COMMENT ON COLUMN` |
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as syn::DeriveInput);
    table::expand(&input).into()
}

/// Declares a database enum on a fieldless enum.
///
/// `#[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]` on the enum sets the
/// type name (default: the enum name in snake_case) and the spelling of values (sqlx's rules:
/// `lowercase`, `UPPERCASE`, `snake_case`, `SCREAMING_SNAKE_CASE`, `kebab-case`,
/// `SCREAMING-KEBAB-CASE`, `camelCase`, `PascalCase`; default: the variant name).
/// `#[db_enum(rename = "...")]` on a variant sets its spelling, and
/// `#[db_enum(renamed_from = "OLD")]` declares a renamed value.
///
/// The enum also gets sqlx `Type`, `Encode` and `Decode` for PostgreSQL (the named enum type),
/// SQLite (text) and MySQL (an inline `ENUM`).
#[proc_macro_derive(DbEnum, attributes(db_enum))]
pub fn derive_db_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as syn::DeriveInput);
    db_enum::expand(&input).into()
}

#[cfg(test)]
mod expand_tests;
