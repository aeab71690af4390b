use model_core::Table;

type MaybeId = Option<i64>;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: MaybeId,
}

fn main() {}
