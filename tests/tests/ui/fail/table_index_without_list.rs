use model_core::Table;

#[derive(Table)]
#[table(index)]
struct User {
    #[column(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
