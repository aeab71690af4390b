use super::{RenderError, SqlDialect};
use crate::schema::{ColumnType, Schema, Value};

/// SQLite.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

impl Sqlite {
    /// The expression of the CHECK that keeps a column to an enum's values (SQLite has no
    /// enum types): `state IN ('open', 'done')`.
    pub fn enum_check_expr<'v>(
        &self,
        column: &str,
        values: impl IntoIterator<Item = &'v str>,
    ) -> String {
        let values: Vec<String> = values.into_iter().map(|v| self.string(v)).collect();
        format!("{} IN ({})", self.ident(column), values.join(", "))
    }
}

impl SqlDialect for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Bool(true) => "1".into(),
            Value::Bool(false) => "0".into(),
            Value::Number(n) => n.clone(),
            Value::Text(t) => self.string(t),
            Value::Bytes(hex) => format!("X'{hex}'"),
            Value::Array(_) => self.string(&serde_json::to_string(&value).unwrap_or_default()),
        }
    }

    fn column_type(&self, ty: &ColumnType, schema: &Schema) -> Result<String, RenderError> {
        // The spellings sqlx reports for each Rust type, so that decoding checks agree.
        if let ColumnType::Enum { name } = ty {
            if !schema.enums.contains_key(name) {
                return Err(RenderError::UnknownEnum {
                    dialect: "sqlite",
                    name: name.clone(),
                });
            }
        }
        Ok(match ty {
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => "INTEGER".into(),
            ColumnType::Real | ColumnType::Double => "REAL".into(),
            ColumnType::Text | ColumnType::Json => "TEXT".into(),
            ColumnType::Varchar { length } => format!("VARCHAR({length})"),
            ColumnType::Bytes | ColumnType::Uuid => "BLOB".into(),
            ColumnType::Timestamp | ColumnType::TimestampTz => "DATETIME".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time => "TIME".into(),
            ColumnType::Decimal { .. } => "NUMERIC".into(),
            ColumnType::Enum { .. } => "TEXT".into(),
            ColumnType::Array { element } => {
                return Err(RenderError::UnsupportedType {
                    dialect: "sqlite",
                    what: format!("arrays (`{}[]`)", self.column_type(element, schema)?),
                })
            }
            ColumnType::Custom { sql } => sql.clone(),
        })
    }
}
