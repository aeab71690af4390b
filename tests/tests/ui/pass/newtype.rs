//! A user type implementing `SqlType` is a column, nullable in `Option`, an array element and a
//! foreign key; `sql_type` works with a type that has no mapping at all.

use model_core::schema::{ColumnDefault, ColumnType, Value};
use model_core::{ArrayElement, SqlType, Table};

/// A case-insensitive e-mail address.
#[derive(Debug, Clone, PartialEq)]
struct Email(String);

impl SqlType for Email {
    type Value = Email;
    const EXTENSIONS: &'static [&'static str] = &["citext"];
    fn column_type() -> ColumnType {
        ColumnType::Custom {
            sql: "citext".into(),
        }
    }
    fn literal(value: &Email) -> Value {
        Value::Text(value.0.clone())
    }
}

impl ArrayElement for Email {}

/// A type without any mapping, stored through `sql_type`.
struct LabelPath(#[allow(dead_code)] String);

#[derive(Table)]
struct Subscriber {
    #[column(primary_key)]
    id: i64,
    #[column(unique, default = Email("nobody@example.com".into()))]
    email: Email,
    backup_email: Option<Email>,
    aliases: Vec<Email>,
    #[column(references = Subscriber::email)]
    referred_by: Option<Email>,
    #[column(sql_type = "ltree")]
    path: Option<LabelPath>,
}

fn main() {
    let t = <Subscriber as Table>::table_def();
    assert_eq!(t.columns.len(), 6);
    assert_eq!(t.extensions, ["citext"]);
    let email = t.column("email").unwrap();
    assert_eq!(
        email.ty,
        ColumnType::Custom {
            sql: "citext".into()
        }
    );
    assert!(!email.nullable);
    assert_eq!(
        email.default,
        Some(ColumnDefault::Value(Value::Text(
            "nobody@example.com".into()
        )))
    );
    assert!(t.column("backup_email").unwrap().nullable);
    assert_eq!(
        t.column("aliases").unwrap().ty,
        ColumnType::Array {
            element: Box::new(ColumnType::Custom {
                sql: "citext".into()
            })
        }
    );
    assert_eq!(t.foreign_keys[0].ref_columns, ["email"]);
    let path = t.column("path").unwrap();
    assert_eq!(
        path.ty,
        ColumnType::Custom {
            sql: "ltree".into()
        }
    );
    assert!(path.nullable);
}
