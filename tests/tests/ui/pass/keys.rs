//! Composite primary keys, a nullable foreign key to a non-null key, and self-references.

use model_core::schema::{Identity, ReferentialAction};
use model_core::Table;

#[derive(Table)]
#[table(name = "users")]
struct User {
    #[column(primary_key)]
    id: uuid::Uuid,
}

#[derive(Table)]
#[table(name = "orgs")]
struct Org {
    #[column(primary_key)]
    id: i64,
}

#[derive(Table)]
#[table(name = "memberships")]
struct Membership {
    #[column(primary_key, references = Org, on_delete = "cascade")]
    org_id: i64,
    #[column(primary_key, references = User, on_delete = "cascade")]
    user_id: uuid::Uuid,
    #[column(references = User, on_delete = "set null")]
    invited_by: Option<uuid::Uuid>,
}

#[derive(Table)]
#[table(name = "categories")]
struct Category {
    #[column(primary_key)]
    id: i32,
    #[column(references = Category, on_delete = "cascade")]
    parent_id: Option<i32>,
    #[column(references = Category::id)]
    canonical_id: Option<i32>,
}

fn main() {
    let orgs = <Org as Table>::table_def();
    assert_eq!(
        orgs.column("id").unwrap().identity,
        Some(Identity::ByDefault)
    );

    let t = <Membership as Table>::table_def();
    assert_eq!(t.primary_key.name, "pk_memberships");
    assert_eq!(t.primary_key.columns, ["org_id", "user_id"]);
    assert_eq!(t.column("org_id").unwrap().identity, None);
    assert!(t.column("invited_by").unwrap().nullable);
    let names: Vec<&str> = t.foreign_keys.iter().map(|fk| fk.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "fk_memberships_invited_by_users",
            "fk_memberships_org_id_orgs",
            "fk_memberships_user_id_users",
        ]
    );
    assert_eq!(t.foreign_keys[0].on_delete, ReferentialAction::SetNull);
    assert_eq!(<Membership as Table>::PRIMARY_KEY, ["org_id", "user_id"]);

    let c = <Category as Table>::table_def();
    assert_eq!(c.column("id").unwrap().identity, Some(Identity::ByDefault));
    assert_eq!(c.foreign_keys.len(), 2);
    for fk in &c.foreign_keys {
        assert_eq!(fk.ref_table, "categories");
        assert_eq!(fk.ref_columns, ["id"]);
    }
}
