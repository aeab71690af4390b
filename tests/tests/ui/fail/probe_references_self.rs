use model_core::Table;

#[derive(Table)]
struct Node {
    #[column(primary_key)]
    id: i64,
    #[column(references = Self, on_delete = "set null")]
    parent_id: Option<i64>,
}

fn main() {}
