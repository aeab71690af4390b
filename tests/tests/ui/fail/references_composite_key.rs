use model_core::Table;

#[derive(Table)]
struct Membership {
    #[column(primary_key)]
    org_id: i64,
    #[column(primary_key)]
    user_id: i64,
}

#[derive(Table)]
struct Invite {
    #[column(primary_key)]
    id: i64,
    #[column(references = Membership)]
    membership_id: i64,
}

fn main() {}
