use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
enum Status {
    Active = 1,
    Suspended = 2,
}

fn main() {}
