use super::{RenderError, SqlDialect};
use crate::schema::{ColumnType, Schema};

/// PostgreSQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

impl SqlDialect for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn column_type(&self, ty: &ColumnType, schema: &Schema) -> Result<String, RenderError> {
        if let ColumnType::Enum { name } = ty {
            if !schema.enums.contains_key(name) {
                return Err(RenderError::UnknownEnum {
                    dialect: "postgres",
                    name: name.clone(),
                });
            }
        }
        Ok(match ty {
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::SmallInt => "SMALLINT".into(),
            ColumnType::Integer => "INTEGER".into(),
            ColumnType::BigInt => "BIGINT".into(),
            ColumnType::Real => "REAL".into(),
            ColumnType::Double => "DOUBLE PRECISION".into(),
            ColumnType::Text => "TEXT".into(),
            ColumnType::Varchar { length } => format!("VARCHAR({length})"),
            ColumnType::Bytes => "BYTEA".into(),
            ColumnType::Uuid => "UUID".into(),
            ColumnType::Timestamp => "TIMESTAMP".into(),
            ColumnType::TimestampTz => "TIMESTAMPTZ".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time => "TIME".into(),
            ColumnType::Json => "JSONB".into(),
            ColumnType::Decimal { precision, scale } => numeric("NUMERIC", *precision, *scale),
            ColumnType::Array { element } => format!("{}[]", self.column_type(element, schema)?),
            ColumnType::Enum { name } => super::type_name(self, name),
            ColumnType::Custom { sql } => sql.clone(),
        })
    }
}

/// `NUMERIC`, `NUMERIC(p)` or `NUMERIC(p, s)`.
pub(super) fn numeric(keyword: &str, precision: Option<u32>, scale: Option<u32>) -> String {
    match (precision, scale) {
        (Some(p), Some(s)) => format!("{keyword}({p}, {s})"),
        (Some(p), None) => format!("{keyword}({p})"),
        (None, Some(s)) => format!("{keyword}(38, {s})"),
        (None, None) => keyword.to_owned(),
    }
}
