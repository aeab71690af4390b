use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
#[db_enum(rename_all = "snake")]
enum Status {
    Active,
    Suspended,
}

fn main() {}
