use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(unique = "uq_users_a_unique_name_that_is_much_longer_than_postgres_allows_here")]
    email: String,
}

fn main() {}
