use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(name = "mail")]
    #[column(name = "email")]
    email: String,
}

fn main() {}
