use model_core::Table;

#[derive(Table)]
struct User {
    id: i64,
    email: String,
}

fn main() {}
