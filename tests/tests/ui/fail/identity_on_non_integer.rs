use model_core::Table;

#[derive(Table)]
struct Item {
    #[column(primary_key, identity = "always")]
    id: uuid::Uuid,
}

fn main() {}
