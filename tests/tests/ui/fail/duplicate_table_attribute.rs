use model_core::Table;

#[derive(Table)]
#[table(name = "users")]
#[table(name = "accounts")]
struct User {
    #[column(primary_key)]
    id: i64,
}

fn main() {}
