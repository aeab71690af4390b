use model_core::Table;

#[derive(Table)]
struct User<T> {
    #[column(primary_key)]
    id: i64,
    payload: T,
}

fn main() {}
