//! A raw identifier field `r#type` is the column `type`.

use model_core::Table;

#[derive(Table)]
#[table(index(columns = ["type"]), check(expr = "type <> ''"))]
struct Item {
    #[column(primary_key)]
    id: i64,
    #[column(unique, max_length = 20)]
    r#type: String,
    #[column(references = Item::r#type, index)]
    r#ref: Option<String>,
}

fn main() {
    let t = <Item as Table>::table_def();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "type", "ref"]);
    assert_eq!(t.uniques[0].name, "uq_item_type");
    assert_eq!(t.foreign_keys[0].ref_columns, ["type"]);
    assert_eq!(t.foreign_keys[0].name, "fk_item_ref_item");
    assert!(t.indexes.iter().any(|i| i.name == "ix_item_type"));
    assert!(t.indexes.iter().any(|i| i.name == "ix_item_ref"));
    assert_eq!(<Item as Table>::COLUMNS.r#type.name(), "type");
}
