use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(sql_type = "citext", max_length = 100)]
    email: String,
}

fn main() {}
