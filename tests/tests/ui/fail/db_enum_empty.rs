use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
enum Status {}

fn main() {}
