use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    email: String,
    #[column(name = "email")]
    backup_email: String,
}

fn main() {}
