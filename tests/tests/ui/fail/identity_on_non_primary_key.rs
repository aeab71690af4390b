use model_core::Table;

#[derive(Table)]
struct Task {
    #[column(primary_key)]
    id: uuid::Uuid,
    #[column(identity = "always")]
    number: i64,
}

fn main() {}
