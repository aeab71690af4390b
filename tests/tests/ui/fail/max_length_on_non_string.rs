use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(max_length = 3)]
    age: i32,
}

fn main() {}
