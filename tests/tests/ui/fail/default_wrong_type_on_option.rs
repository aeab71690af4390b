use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(default = true)]
    nickname: Option<String>,
}

fn main() {}
