use model_core::Table;

#[derive(Table)]
union Value {
    int: i64,
    float: f64,
}

fn main() {}
