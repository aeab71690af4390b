use model_core::Table;

#[derive(Table)]
#[table(index(
    name = "ix_users_an_index_name_that_is_much_longer_than_postgres_allows_here",
    columns = ["email"]
))]
struct User {
    #[column(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
