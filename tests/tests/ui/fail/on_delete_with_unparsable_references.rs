use model_core::Table;

#[derive(Table)]
struct Task {
    #[column(primary_key)]
    id: i64,
    #[column(on_delete = "cascade", references = 5)]
    user_id: i64,
}

fn main() {}
