use model_core::Table;

#[derive(Table)]
#[table(name = "a_table_name_that_is_much_longer_than_postgres_allows_for_identifiers")]
struct User {
    #[column(primary_key)]
    id: i64,
}

fn main() {}
