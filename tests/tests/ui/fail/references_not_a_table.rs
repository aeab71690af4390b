use model_core::Table;

struct User {
    id: i64,
}

#[derive(Table)]
struct Task {
    #[column(primary_key)]
    id: i64,
    #[column(references = User)]
    user_id: i64,
}

fn main() {}
