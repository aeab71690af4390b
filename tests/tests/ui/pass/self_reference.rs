//! `references = Self` and `references = Self::field` name the struct being derived.

use model_core::Table;

#[derive(Table)]
#[table(name = "nodes")]
struct Node {
    #[column(primary_key)]
    id: i64,
    #[column(references = Self, on_delete = "set null")]
    parent_id: Option<i64>,
    #[column(unique)]
    code: String,
    #[column(references = Self::code)]
    alias_of: Option<String>,
}

fn main() {
    let t = <Node as Table>::table_def();
    assert_eq!(t.foreign_keys.len(), 2);
    for fk in &t.foreign_keys {
        assert_eq!(fk.ref_table, "nodes");
    }
    let parent = t
        .foreign_keys
        .iter()
        .find(|fk| fk.columns == ["parent_id"])
        .unwrap();
    assert_eq!(parent.ref_columns, ["id"]);
    let alias = t
        .foreign_keys
        .iter()
        .find(|fk| fk.columns == ["alias_of"])
        .unwrap();
    assert_eq!(alias.ref_columns, ["code"]);
}
