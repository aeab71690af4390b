use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(nullable)]
    email: String,
}

fn main() {}
