use model_core::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(name = "a_column_name_that_is_much_longer_than_postgres_allows_for_identifiers")]
    email: String,
}

fn main() {}
