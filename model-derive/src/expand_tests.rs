//! Expansion snapshots: what the derives generate, pretty-printed in-process.

use quote::quote;

fn pretty(tokens: proc_macro2::TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as items");
    prettyplease::unparse(&file)
}

fn table(input: proc_macro2::TokenStream) -> String {
    pretty(crate::table::expand(&syn::parse2(input).unwrap()))
}

fn db_enum(input: proc_macro2::TokenStream) -> String {
    pretty(crate::db_enum::expand(&syn::parse2(input).unwrap()))
}

#[test]
fn spec_task() {
    insta::assert_snapshot!(table(quote! {
        #[table(name = "tasks")]
        #[table(index(name = "ix_tasks_user_priority", columns = ["user_id", "priority"]))]
        #[table(unique(columns = ["user_id", "title"]))]
        #[table(check(name = "ck_tasks_title_not_blank", expr = "length(title) > 0"))]
        pub struct Task {
            #[column(primary_key)]
            pub id: uuid::Uuid,
            #[column(references = User, on_delete = "cascade", index)]
            pub user_id: uuid::Uuid,
            #[column(max_length = 200)]
            pub title: String,
            pub description: Option<String>,
            #[column(default = false)]
            pub completed: bool,
            #[column(default = Priority::None, index)]
            pub priority: Priority,
            #[column(index)]
            pub due_date: Option<chrono::DateTime<chrono::Utc>>,
            #[column(renamed_from = "recurring")]
            pub is_recurring: bool,
            #[column(default_sql = "now()")]
            pub created_at: chrono::DateTime<chrono::Utc>,
        }
    }));
}

#[test]
fn every_table_attribute_form() {
    insta::assert_snapshot!(table(quote! {
        #[table(name = "accounts", renamed_from = "users", comment = "people", primary_key_name = "accounts_pkey")]
        #[table(extensions = ["citext", "pg_trgm"])]
        #[table(index(expr = "lower(email)", unique, name = "ix_accounts_email_lower"))]
        #[table(index(columns = ["(lower(display_name)) text_pattern_ops DESC NULLS LAST", "org_id"], where = "deleted_at IS NULL", method = "btree"))]
        #[table(index(columns = ["display_name gin_trgm_ops"], method = "gin"))]
        #[table(check(expr = "balance >= 0"))]
        struct Account {
            #[column(primary_key, identity = "always")]
            id: i64,
            org_id: i32,
            #[column(sql_type = "citext", unique = "uq_accounts_email", comment = "login")]
            email: String,
            #[column(name = "display_name", index = "ix_accounts_display")]
            name: Option<String>,
            #[column(references = Account::id, on_delete = "set null", on_update = "cascade", deferrable, fk_name = "fk_parent")]
            parent_id: Option<i64>,
            #[column(references = Org, initially_deferred)]
            org_ref: i32,
            #[column(precision = 12, scale = 2, default = 0, backfill_sql = "0")]
            balance: rust_decimal::Decimal,
            r#type: String,
            deleted_at: Option<chrono::NaiveDateTime>,
        }
    }));
}

#[test]
fn db_enum_with_renames() {
    insta::assert_snapshot!(db_enum(quote! {
        #[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum Priority {
            High,
            #[db_enum(renamed_from = "NORMAL")]
            Medium,
            #[db_enum(rename = "low")]
            Low,
            None,
        }
    }));
}

#[test]
fn errors_expand_to_compile_errors_and_a_stub() {
    insta::assert_snapshot!(table(quote! {
        struct Broken {
            #[column(idx)]
            id: i32,
        }
    }));
}
