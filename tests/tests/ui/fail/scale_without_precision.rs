use model_core::Table;

#[derive(Table)]
struct Invoice {
    #[column(primary_key)]
    id: i64,
    #[column(scale = 2)]
    total: rust_decimal::Decimal,
}

fn main() {}
