use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
enum Status {
    Active,
    Suspended(u32),
}

fn main() {}
