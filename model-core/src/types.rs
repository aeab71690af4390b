//! The Rust → SQL type mapping.
//!
//! A field's column type comes from the [`SqlType`] implementation of the field's Rust type, so
//! a type without a mapping is a compile error at that field. `Option<T>` is the nullable `T`.
//! Implement [`SqlType`] for your own types (a newtype around a string, say) to use them in a
//! model:
//!
//! ```
//! use model_core::schema::{ColumnType, Value};
//! use model_core::SqlType;
//!
//! /// An e-mail address, stored as text.
//! pub struct Email(pub String);
//!
//! impl SqlType for Email {
//!     type Value = Email;
//!     fn column_type() -> ColumnType {
//!         ColumnType::Text
//!     }
//!     fn literal(value: &Email) -> Value {
//!         Value::Text(value.0.clone())
//!     }
//! }
//!
//! #[derive(model_core::Table)]
//! struct Subscriber {
//!     #[column(primary_key)]
//!     id: i64,
//!     email: Email,
//!     backup_email: Option<Email>,
//! }
//! ```
//!
//! | Rust | PostgreSQL | SQLite | MySQL / MariaDB |
//! |---|---|---|---|
//! | `bool` | `BOOLEAN` | `BOOLEAN` | `BOOLEAN` |
//! | `i16` | `SMALLINT` | `INTEGER` | `SMALLINT` |
//! | `i32` | `INTEGER` | `INTEGER` | `INT` |
//! | `i64` | `BIGINT` | `INTEGER` | `BIGINT` |
//! | `f32` | `REAL` | `REAL` | `FLOAT` |
//! | `f64` | `DOUBLE PRECISION` | `REAL` | `DOUBLE` |
//! | `String` | `TEXT` | `TEXT` | `LONGTEXT` |
//! | `String` + `max_length = n` | `VARCHAR(n)` | `VARCHAR(n)` | `VARCHAR(n)` |
//! | `Vec<u8>` | `BYTEA` | `BLOB` | `LONGBLOB` |
//! | `uuid::Uuid` | `UUID` | `BLOB` | `BINARY(16)` |
//! | `chrono::DateTime<Utc>` | `TIMESTAMPTZ` | `DATETIME` | `DATETIME(6)` |
//! | `chrono::NaiveDateTime` | `TIMESTAMP` | `DATETIME` | `DATETIME(6)` |
//! | `chrono::NaiveDate` | `DATE` | `DATE` | `DATE` |
//! | `chrono::NaiveTime` | `TIME` | `TIME` | `TIME(6)` |
//! | `serde_json::Value` | `JSONB` | `TEXT` | `JSON` |
//! | `rust_decimal::Decimal` | `NUMERIC(p, s)` / `NUMERIC` | `NUMERIC` | `DECIMAL(p, s)` / `DECIMAL(65, 30)` |
//! | `Vec<T>` | `T[]` | (not supported) | (not supported) |
//! | `#[derive(DbEnum)]` | `CREATE TYPE ... AS ENUM` | `TEXT` + `CHECK` | `ENUM(...)` |
//!
//! The SQLite and MySQL spellings follow what sqlx encodes for each Rust type, so a derived
//! struct reads and writes its own rows on every database.

use crate::schema::{ColumnType, Value};

/// A Rust type that can be stored in a column.
///
/// `Value` is the type a `#[column(default = ...)]` expression must convert into; `literal`
/// turns such a value into the dialect-free literal that the migration renders.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no SQL column type",
    label = "this field's type has no column mapping",
    note = "implement `model_core::SqlType` for `{Self}`, or give the field `#[column(sql_type = \"...\")]`"
)]
pub trait SqlType {
    /// The type of a literal default (for `Option<T>`, the `T`).
    type Value;
    /// Whether the column accepts NULL (true only for `Option<T>`).
    const NULLABLE: bool = false;
    /// PostgreSQL extensions the type needs (e.g. `["citext"]`).
    const EXTENSIONS: &'static [&'static str] = &[];
    /// The column type.
    fn column_type() -> ColumnType;
    /// A default value as a literal.
    fn literal(value: &Self::Value) -> Value;
}

/// Element types allowed in a `Vec<T>` (PostgreSQL array) column.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an array element",
    note = "arrays (`Vec<T>`) hold booleans, integers, floats, strings, uuids, dates and times, decimals, JSON and `DbEnum` types"
)]
pub trait ArrayElement: SqlType<Value = Self> {}

macro_rules! sql_type {
    ($($ty:ty => $col:expr, |$v:ident| $lit:expr;)*) => {$(
        impl SqlType for $ty {
            type Value = $ty;
            fn column_type() -> ColumnType {
                $col
            }
            fn literal($v: &$ty) -> Value {
                $lit
            }
        }
        impl ArrayElement for $ty {}
    )*};
}

/// Spells a float the way SQL reads it back; NaN and infinities become the strings PostgreSQL
/// accepts.
fn float_literal(v: f64) -> Value {
    if v.is_finite() {
        Value::Number(format!("{v:?}"))
    } else if v.is_nan() {
        Value::Text("NaN".into())
    } else if v > 0.0 {
        Value::Text("Infinity".into())
    } else {
        Value::Text("-Infinity".into())
    }
}

sql_type! {
    bool => ColumnType::Boolean, |v| Value::Bool(*v);
    i16 => ColumnType::SmallInt, |v| Value::Number(v.to_string());
    i32 => ColumnType::Integer, |v| Value::Number(v.to_string());
    i64 => ColumnType::BigInt, |v| Value::Number(v.to_string());
    f32 => ColumnType::Real, |v| float_literal(f64::from(*v));
    f64 => ColumnType::Double, |v| float_literal(*v);
    String => ColumnType::Text, |v| Value::Text(v.clone());
    uuid::Uuid => ColumnType::Uuid, |v| Value::Text(v.hyphenated().to_string());
    chrono::DateTime<chrono::Utc> => ColumnType::TimestampTz,
        |v| Value::Text(v.format("%Y-%m-%d %H:%M:%S%.f+00:00").to_string());
    chrono::NaiveDateTime => ColumnType::Timestamp,
        |v| Value::Text(v.format("%Y-%m-%d %H:%M:%S%.f").to_string());
    chrono::NaiveDate => ColumnType::Date, |v| Value::Text(v.format("%Y-%m-%d").to_string());
    chrono::NaiveTime => ColumnType::Time, |v| Value::Text(v.format("%H:%M:%S%.f").to_string());
    serde_json::Value => ColumnType::Json, |v| Value::Text(v.to_string());
    rust_decimal::Decimal => ColumnType::Decimal { precision: None, scale: None },
        |v| Value::Number(v.to_string());
}

impl SqlType for Vec<u8> {
    type Value = Vec<u8>;
    fn column_type() -> ColumnType {
        ColumnType::Bytes
    }
    fn literal(value: &Vec<u8>) -> Value {
        Value::Bytes(value.iter().map(|b| format!("{b:02x}")).collect())
    }
}

impl<T: ArrayElement> SqlType for Vec<T> {
    type Value = Vec<T>;
    const EXTENSIONS: &'static [&'static str] = T::EXTENSIONS;
    fn column_type() -> ColumnType {
        ColumnType::Array {
            element: Box::new(T::column_type()),
        }
    }
    fn literal(value: &Vec<T>) -> Value {
        Value::Array(value.iter().map(T::literal).collect())
    }
}

impl<T: SqlType> SqlType for Option<T> {
    type Value = T::Value;
    const NULLABLE: bool = true;
    const EXTENSIONS: &'static [&'static str] = T::EXTENSIONS;
    fn column_type() -> ColumnType {
        T::column_type()
    }
    fn literal(value: &T::Value) -> Value {
        T::literal(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(i32::literal(&-4), Value::Number("-4".into()));
        assert_eq!(f64::literal(&1.0), Value::Number("1.0".into()));
        assert_eq!(f64::literal(&f64::NAN), Value::Text("NaN".into()));
        assert_eq!(
            <Vec<u8>>::literal(&vec![0, 255]),
            Value::Bytes("00ff".into())
        );
        assert_eq!(
            <Option<String>>::literal(&"x".to_string()),
            Value::Text("x".into())
        );
        const { assert!(<Option<bool>>::NULLABLE) };
        const { assert!(!bool::NULLABLE) };
        assert_eq!(
            <Vec<i64>>::column_type(),
            ColumnType::Array {
                element: Box::new(ColumnType::BigInt)
            }
        );
    }
}
