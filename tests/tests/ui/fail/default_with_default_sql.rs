use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(default = 0, default_sql = "0")]
    logins: i32,
}

fn main() {}
