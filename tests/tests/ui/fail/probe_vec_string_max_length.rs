use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(default_sql = "  ")]
    nick: String,
}

fn main() {}
