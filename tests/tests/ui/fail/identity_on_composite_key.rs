use model_core::Table;

#[derive(Table)]
struct Membership {
    #[column(primary_key, identity = "always")]
    org_id: i64,
    #[column(primary_key)]
    user_id: i64,
}

fn main() {}
