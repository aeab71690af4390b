use model_core::Table;

struct User {
    email: String,
}

#[derive(Table)]
struct Task {
    #[column(primary_key)]
    id: i64,
    #[column(references = User::email)]
    user_email: String,
}

fn main() {}
