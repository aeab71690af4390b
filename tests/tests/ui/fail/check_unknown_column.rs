use model_core::Table;

#[derive(Table)]
#[table(check(name = "ck_users_age", expr = "years >= 0"))]
struct User {
    #[column(primary_key)]
    id: i64,
    age: i32,
}

fn main() {}
