use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(default = "x")]
    age: i32,
}

fn main() {}
