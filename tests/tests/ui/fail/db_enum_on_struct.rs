use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
struct Status {
    active: bool,
}

fn main() {}
