use model_core::Table;

#[derive(Table)]
struct User(i64, String);

fn main() {}
