use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
enum Status {
    #[db_enum(name = "ACTIVE")]
    Active,
}

fn main() {}
