use model_core::Table;

#[derive(Table)]
struct Invoice {
    #[column(primary_key)]
    id: i64,
    #[column(precision = 12)]
    total: f64,
}

fn main() {}
