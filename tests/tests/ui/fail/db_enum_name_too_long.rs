use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
#[db_enum(name = "an_enum_type_name_that_is_much_longer_than_postgres_allows_for_names")]
enum Status {
    Active,
}

fn main() {}
