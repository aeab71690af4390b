use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(unique)]
    email: String,
}

#[derive(Table)]
struct Task {
    #[column(primary_key)]
    id: i64,
    #[column(references = User::email)]
    user_email: i64,
}

fn main() {}
