use model_core::Table;

#[derive(Table)]
#[table(unique(name = "uq_users_email"))]
struct User {
    #[column(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
