use model_core::Table;

#[derive(Table)]
#[table(index(columns = ["(lower(email) ||) DESC"]))]
#[table(index(expr = "lower(email) = 'it's'"))]
struct User {
    #[column(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
