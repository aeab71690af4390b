use model_core::Table;

#[derive(Table)]
enum User {
    Admin,
    Guest,
}

fn main() {}
