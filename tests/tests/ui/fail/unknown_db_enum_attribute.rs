use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
#[db_enum(schema = "app")]
enum Status {
    Active,
}

fn main() {}
