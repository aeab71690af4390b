//! Deterministic synthetic schemas, for benchmarks and scale tests: `n` tables shaped like an
//! application's, the same value for the same arguments on every machine.
//!
//! Each table `t_00042` has 12 columns of mixed types (a `BIGINT` identity key, text, a
//! bounded string, a decimal, timestamps, a boolean with a default, a uuid, JSON, an integer and
//! two nullable foreign-key columns), 3 indexes, a UNIQUE constraint, and 1 or 2 foreign keys
//! with `ON DELETE` actions to earlier tables (the first table has none). One table in five has
//! a column of the enum type `state_<n>`, one enum per such table.

use crate::naming;
use crate::schema::{
    Column, ColumnDefault, ColumnType, Enum, EnumValue, ForeignKey, Identity, Index, IndexKey,
    PrimaryKey, ReferentialAction, Schema, Table, Unique, Value,
};

fn column(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column::new(name, ty, nullable)
}

/// The name of table `i`.
pub fn table_name(i: usize) -> String {
    format!("t_{i:05}")
}

/// A schema of `tables` tables. With `changed_every = Some(k)`, every `k`-th table (the first
/// included) differs as a model change would: a wider type, a new default and a new column.
pub fn schema(tables: usize, changed_every: Option<usize>) -> Schema {
    let mut schema = Schema::new();
    for t in 0..tables {
        let name = table_name(t);
        let mut columns = vec![
            column("id", ColumnType::BigInt, false),
            column("name", ColumnType::Varchar { length: 200 }, false),
            column("description", ColumnType::Text, true),
            column(
                "amount",
                ColumnType::Decimal {
                    precision: Some(12),
                    scale: Some(2),
                },
                false,
            ),
            column("created_at", ColumnType::TimestampTz, false),
            column("updated_at", ColumnType::TimestampTz, true),
            column("active", ColumnType::Boolean, false),
            column("code", ColumnType::Uuid, false),
            column("payload", ColumnType::Json, true),
            column("counter", ColumnType::Integer, false),
            column("parent_id", ColumnType::BigInt, true),
            column("other_id", ColumnType::BigInt, true),
        ];
        columns[0].identity = Some(Identity::ByDefault);
        columns[4].default = Some(ColumnDefault::Sql("CURRENT_TIMESTAMP".into()));
        columns[6].default = Some(ColumnDefault::Value(Value::Bool(true)));
        if t % 5 == 0 {
            let enum_name = format!("state_{t:05}");
            schema.enums.insert(
                enum_name.clone(),
                Enum {
                    name: enum_name.clone(),
                    values: ["draft", "active", "archived"]
                        .iter()
                        .map(|v| EnumValue {
                            name: (*v).into(),
                            renamed_from: None,
                        })
                        .collect(),
                },
            );
            let mut state = column("state", ColumnType::Enum { name: enum_name }, false);
            state.default = Some(ColumnDefault::Value(Value::Text("draft".into())));
            columns.push(state);
        }
        if changed_every.is_some_and(|k| k > 0 && t % k == 0) {
            columns[9].ty = ColumnType::BigInt;
            columns[9].default = Some(ColumnDefault::Value(Value::Number("0".into())));
            columns.push(column("note", ColumnType::Text, true));
        }
        let mut foreign_keys = Vec::new();
        let mut reference = |column: &str, to: usize, on_delete: ReferentialAction| {
            let columns = vec![column.to_owned()];
            let ref_table = table_name(to);
            foreign_keys.push(ForeignKey {
                name: naming::foreign_key(&name, &columns, &ref_table),
                columns,
                ref_table,
                ref_columns: vec!["id".into()],
                on_delete,
                on_update: ReferentialAction::NoAction,
                deferrable: Default::default(),
            });
        };
        if t > 0 {
            reference("parent_id", t - 1, ReferentialAction::Cascade);
        }
        if t > 1 && t % 2 == 0 {
            reference("other_id", t / 2, ReferentialAction::SetNull);
        }
        let index = |keys: &[&str]| Index {
            name: naming::index(
                &name,
                &keys.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>(),
            ),
            keys: keys.iter().map(|k| IndexKey::column(*k)).collect(),
            unique: false,
            method: None,
            predicate: None,
        };
        let mut table = Table {
            name: name.clone(),
            renamed_from: None,
            comment: None,
            columns,
            primary_key: PrimaryKey {
                name: naming::primary_key(&name),
                columns: vec!["id".into()],
            },
            indexes: vec![
                index(&["parent_id"]),
                index(&["other_id"]),
                index(&["name", "created_at"]),
            ],
            uniques: vec![Unique {
                name: naming::unique(&name, &["code".to_owned()]),
                columns: vec!["code".into()],
            }],
            checks: vec![],
            foreign_keys,
            extensions: vec![],
        };
        table.normalize();
        schema.tables.insert(name, table);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        let s = schema(10, None);
        assert_eq!(s.tables.len(), 10);
        assert_eq!(s.enums.len(), 2);
        let t = &s.tables["t_00004"];
        assert_eq!(t.columns.len(), 12);
        assert_eq!(
            (t.indexes.len(), t.uniques.len(), t.foreign_keys.len()),
            (3, 1, 2)
        );
        assert_eq!(schema(10, None), s, "deterministic");
        let changed = schema(10, Some(10));
        assert_ne!(changed.tables["t_00000"], s.tables["t_00000"]);
        assert_eq!(changed.tables["t_00001"], s.tables["t_00001"]);
    }
}
