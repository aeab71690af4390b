use model_core::Table;

#[derive(Table)]
#[table(unique(columns = ["emial"]))]
struct User {
    #[column(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
