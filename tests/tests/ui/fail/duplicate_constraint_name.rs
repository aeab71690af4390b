use model_core::Table;

#[derive(Table)]
#[table(check(name = "users_email", expr = "length(email) > 3"))]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(unique = "users_email")]
    email: String,
}

fn main() {}
