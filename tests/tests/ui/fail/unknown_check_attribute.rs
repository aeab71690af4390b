use model_core::Table;

#[derive(Table)]
#[table(check(expr = "age >= 0", columns = ["age"]))]
struct User {
    #[column(primary_key)]
    id: i64,
    age: i32,
}

fn main() {}
