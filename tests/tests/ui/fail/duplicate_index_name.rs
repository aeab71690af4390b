use model_core::Table;

#[derive(Table)]
#[table(index(name = "ix_same", columns = ["email"]))]
#[table(index(name = "ix_same", columns = ["name"]))]
struct User {
    #[column(primary_key)]
    id: i64,
    email: String,
    name: String,
}

fn main() {}
