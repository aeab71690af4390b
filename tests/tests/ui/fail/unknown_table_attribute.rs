use model_core::Table;

#[derive(Table)]
#[table(schema = "auth")]
struct User {
    #[column(primary_key)]
    id: i64,
}

fn main() {}
