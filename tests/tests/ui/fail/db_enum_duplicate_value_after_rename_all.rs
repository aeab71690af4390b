use model_core::DbEnum;

#[derive(DbEnum, Clone, Copy)]
#[db_enum(rename_all = "lowercase")]
enum Status {
    InReview,
    Inreview,
}

fn main() {}
