use model_core::Table;

#[derive(Table)]
#[table(name = users)]
struct User {
    #[column(primary_key)]
    id: i64,
}

fn main() {}
