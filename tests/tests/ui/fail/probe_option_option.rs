use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    nick: Option<Option<String>>,
}

fn main() {}
