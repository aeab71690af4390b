use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
enum Status {
    Active,
    #[db_enum(rename = "Active")]
    Enabled,
}

fn main() {}
