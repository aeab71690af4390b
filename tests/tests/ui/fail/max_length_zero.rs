use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(max_length = 0)]
    email: String,
}

fn main() {}
