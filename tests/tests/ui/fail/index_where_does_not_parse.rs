use model_core::Table;

#[derive(Table)]
#[table(index(columns = ["email"], where = "deleted_at IS NULL deleted"))]
struct User {
    #[column(primary_key)]
    id: i64,
    email: String,
    deleted_at: Option<chrono::NaiveDateTime>,
}

fn main() {}
