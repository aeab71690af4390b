use super::postgres::numeric;
use super::{RenderError, SqlDialect};
use crate::schema::{ColumnType, Schema, Value};

/// MySQL and MariaDB.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySql;

impl SqlDialect for MySql {
    fn name(&self) -> &'static str {
        "mysql"
    }

    fn ident(&self, name: &str) -> String {
        if super::is_plain_identifier(name) && !super::is_reserved(name) {
            name.to_owned()
        } else {
            format!("`{}`", name.replace('`', "``"))
        }
    }

    fn string(&self, text: &str) -> String {
        // MySQL treats backslash as an escape character inside string literals by default.
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    }

    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Bool(true) => "TRUE".into(),
            Value::Bool(false) => "FALSE".into(),
            Value::Number(n) => n.clone(),
            Value::Text(t) => self.string(t),
            Value::Bytes(hex) => format!("X'{hex}'"),
            Value::Array(_) => self.string(&serde_json::to_string(&value).unwrap_or_default()),
        }
    }

    fn column_type(&self, ty: &ColumnType, schema: &Schema) -> Result<String, RenderError> {
        Ok(match ty {
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::SmallInt => "SMALLINT".into(),
            ColumnType::Integer => "INT".into(),
            ColumnType::BigInt => "BIGINT".into(),
            ColumnType::Real => "FLOAT".into(),
            ColumnType::Double => "DOUBLE".into(),
            ColumnType::Text => "LONGTEXT".into(),
            ColumnType::Varchar { length } => format!("VARCHAR({length})"),
            ColumnType::Bytes => "LONGBLOB".into(),
            ColumnType::Uuid => "BINARY(16)".into(),
            ColumnType::Timestamp | ColumnType::TimestampTz => "DATETIME(6)".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time => "TIME(6)".into(),
            ColumnType::Json => "JSON".into(),
            ColumnType::Decimal { precision, scale } => numeric("DECIMAL", *precision, *scale),
            ColumnType::Enum { name } => match schema.enums.get(name) {
                Some(def) => self.enum_type(def.value_names()),
                None => {
                    return Err(RenderError::UnknownEnum {
                        dialect: "mysql",
                        name: name.clone(),
                    })
                }
            },
            ColumnType::Array { element } => {
                return Err(RenderError::UnsupportedType {
                    dialect: "mysql",
                    what: format!("arrays (`{}[]`)", self.column_type(element, schema)?),
                })
            }
            ColumnType::Custom { sql } => sql.clone(),
        })
    }
}

impl MySql {
    /// The inline `ENUM('A', 'B')` type for an enum's values.
    pub fn enum_type<'a>(&self, values: impl IntoIterator<Item = &'a str>) -> String {
        let values: Vec<String> = values.into_iter().map(|v| self.string(v)).collect();
        format!("ENUM({})", values.join(", "))
    }
}
