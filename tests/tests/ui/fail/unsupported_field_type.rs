use model_core::Table;

struct Address {
    street: String,
}

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    address: Address,
}

fn main() {}
