use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(index(name = "ix_users_email"))]
    email: String,
}

fn main() {}
