use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: uuid::Uuid,
}

#[derive(Table)]
struct Task {
    #[column(primary_key)]
    id: i64,
    #[column(references = User)]
    user_id: String,
}

fn main() {}
