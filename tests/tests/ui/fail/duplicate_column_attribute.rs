use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(max_length = 100, max_length = 200)]
    email: String,
}

fn main() {}
