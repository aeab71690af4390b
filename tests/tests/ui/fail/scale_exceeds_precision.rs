use model_core::Table;

#[derive(Table)]
struct Invoice {
    #[column(primary_key)]
    id: i64,
    #[column(precision = 4, scale = 6)]
    total: rust_decimal::Decimal,
}

fn main() {}
