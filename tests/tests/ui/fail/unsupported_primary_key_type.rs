use model_core::Table;

struct Code(String);

#[derive(Table)]
struct Item {
    #[column(primary_key)]
    code: Code,
}

fn main() {}
