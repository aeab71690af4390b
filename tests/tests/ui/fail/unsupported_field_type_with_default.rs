use model_core::Table;

mod money {
    pub struct Cents<T>(pub T);
}

#[derive(Table)]
struct Order {
    #[column(primary_key)]
    id: i64,
    #[column(default = 0)]
    total: money::Cents<i64>,
}

fn main() {}
