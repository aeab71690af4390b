use model_core::Table;

#[derive(Table)]
#[table(check(name = "ck_users_age", expr = "age >= 0 AND"))]
struct User {
    #[column(primary_key)]
    id: i64,
    age: i32,
}

fn main() {}
