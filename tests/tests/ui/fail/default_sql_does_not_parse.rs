use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(default_sql = "now(")]
    created_at: chrono::NaiveDateTime,
}

fn main() {}
