use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
}

#[derive(Table)]
struct Task {
    #[column(primary_key)]
    id: i64,
    #[column(references = User, fk_name = "fk_tasks_a_foreign_key_name_that_is_much_longer_than_postgres_allows")]
    user_id: i64,
}

fn main() {}
