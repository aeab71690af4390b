use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key, identity = "sometimes")]
    id: i64,
}

fn main() {}
