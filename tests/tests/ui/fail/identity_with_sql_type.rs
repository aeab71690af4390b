use model_core::Table;

#[derive(Table)]
struct Item {
    #[column(primary_key, sql_type = "serial", identity = true)]
    id: i64,
}

fn main() {}
