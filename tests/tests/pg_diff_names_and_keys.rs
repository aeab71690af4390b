//! Generated index names never collide (indexes on the same keys that differ in predicate,
//! method, operator class, NULLS order or uniqueness get distinct, stable names), and a change
//! to a referenced table rebuilds only the foreign keys whose referenced key changes.

#![allow(dead_code)]

use model_core::registry;
use model_core::schema::Schema;
use model_core::Table;
use tests::scenario::pg_plan;
use tests::scenario::{schema, Backend, Scenario, SAFE};

fn index_names(table: &model_core::schema::Table) -> Vec<String> {
    table.indexes.iter().map(|i| i.name.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// Names.

mod soft_delete_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "users")]
    pub struct User {
        #[column(primary_key)]
        pub id: i64,
        #[column(index)]
        pub email: String,
        pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
    }
}

mod soft_delete_v2 {
    use super::*;

    /// The case: a plain index and a partial one on the same column, neither named.
    #[derive(Table)]
    #[table(name = "users")]
    #[table(index(columns = ["email"], where = "deleted_at IS NULL"))]
    #[table(index(columns = ["email"], unique, where = "deleted_at IS NULL"))]
    pub struct User {
        #[column(primary_key)]
        pub id: i64,
        #[column(index)]
        pub email: String,
        pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
    }
}

mod many_kinds {
    use super::*;

    #[derive(Table)]
    #[table(name = "docs")]
    #[table(index(columns = ["title"], method = "hash"))]
    #[table(index(columns = ["title text_pattern_ops"]))]
    #[table(index(columns = ["title NULLS FIRST"]))]
    #[table(index(columns = ["title"], unique))]
    #[table(index(columns = ["title DESC"]))]
    #[table(index(name = "ix_docs_body", columns = ["body"], where = "body <> ''"))]
    pub struct Doc {
        #[column(primary_key)]
        pub id: i64,
        #[column(index)]
        pub title: String,
        #[column(index)]
        pub body: String,
    }
}

#[test]
fn indexes_on_the_same_keys_get_distinct_generated_names() {
    let users = soft_delete_v2::User::table_def();
    assert_eq!(
        index_names(&users),
        [
            "ix_users_email",
            "ix_users_email_unique_where_deleted_at_is_null",
            "ix_users_email_where_deleted_at_is_null",
        ]
    );
    // The registry accepts the models (it used to ask the user to name one of them).
    let built = registry::build(vec![("User", users)], vec![]).expect("the models are accepted");
    assert_eq!(built.tables["users"].indexes.len(), 3);

    let docs = many_kinds::Doc::table_def();
    assert_eq!(
        index_names(&docs),
        [
            // Explicitly named: kept as written; the plain index on `body` yields its short
            // name and says what it is.
            "ix_docs_body",
            "ix_docs_body_btree",
            "ix_docs_title",
            "ix_docs_title_desc",
            "ix_docs_title_hash",
            "ix_docs_title_nulls_first",
            "ix_docs_title_text_pattern_ops",
            "ix_docs_title_unique",
        ]
    );
    registry::build(vec![("Doc", docs)], vec![]).expect("the models are accepted");
}

#[test]
fn an_index_alone_with_its_name_keeps_the_short_name() {
    // Existing histories do not change: a partial index alone on its keys is still
    // `ix_<table>_<keys>`, as it always was.
    let table = soft_delete_v1::User::table_def();
    assert_eq!(index_names(&table), ["ix_users_email"]);
    let todo = registry::build(
        vec![
            ("User", todo::User::table_def()),
            ("Task", todo::Task::table_def()),
        ],
        vec![(
            "Priority",
            <todo::Priority as model_core::DbEnum>::enum_def(),
        )],
    )
    .unwrap();
    assert!(todo.tables["tasks"]
        .indexes
        .iter()
        .any(|i| i.name == "ix_tasks_user_priority"));
}

// Two explicit equal names stay an error naming both: a compile error spanned on the second
// name (tests/tests/ui/fail/duplicate_index_name.rs), and across tables a registry error
// (tests/tests/registry_errors.rs).

#[tokio::test]
async fn indexes_with_distinct_names_apply_on_postgres() {
    let old = schema(vec![soft_delete_v1::User::table_def()], vec![]);
    let new = schema(vec![soft_delete_v2::User::table_def()], vec![]);
    let seed = "INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com')";
    let generated = Scenario::new("indexes_with_distinct_names_apply_on_postgres", old, new)
        .seed(seed)
        .rows("SELECT email FROM users")
        .run()
        .await;
    let text = generated.of(Backend::Postgres);
    assert!(
        text.contains(
            "CREATE INDEX ix_users_email_where_deleted_at_is_null ON users (email) WHERE"
        ) && text.contains("CREATE UNIQUE INDEX ix_users_email_unique_where_deleted_at_is_null"),
        "{text}"
    );
    let docs = schema(vec![many_kinds::Doc::table_def()], vec![]);
    Scenario::new("index_names_of_many_kinds_created", Schema::new(), docs)
        .run()
        .await;
}

// ---------------------------------------------------------------------------------------------
// Foreign keys around changes to the referenced table.

mod email_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "users")]
    pub struct User {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(unique, max_length = 255)]
        pub email: String,
    }

    #[derive(Table)]
    #[table(name = "sessions")]
    pub struct Session {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = User, on_delete = "cascade", index)]
        pub user_id: uuid::Uuid,
    }

    #[derive(Table)]
    #[table(name = "invites")]
    pub struct Invite {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = User::email, index)]
        pub email: String,
    }
}

mod email_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "users")]
    pub struct User {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(unique, max_length = 320)]
        pub email: String,
    }

    #[derive(Table)]
    #[table(name = "sessions")]
    pub struct Session {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = User, on_delete = "cascade", index)]
        pub user_id: uuid::Uuid,
    }

    #[derive(Table)]
    #[table(name = "invites")]
    pub struct Invite {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = User::email, index)]
        pub email: String,
    }
}

fn email_schemas() -> (Schema, Schema) {
    let old = schema(
        vec![
            email_v1::User::table_def(),
            email_v1::Session::table_def(),
            email_v1::Invite::table_def(),
        ],
        vec![],
    );
    let new = schema(
        vec![
            email_v2::User::table_def(),
            email_v2::Session::table_def(),
            email_v2::Invite::table_def(),
        ],
        vec![],
    );
    (old, new)
}

#[test]
fn a_change_to_a_non_key_column_leaves_foreign_keys_to_the_primary_key_alone() {
    let (old, new) = email_schemas();
    let plan = pg_plan(&old, &new, SAFE).unwrap();
    let summaries: Vec<String> = plan.operations().iter().map(|o| o.summary()).collect();
    // The session's key to users(id) is untouched; the invite's key to users(email), whose
    // referenced column changes type, is rebuilt around the change.
    assert!(
        !summaries.iter().any(|s| s.contains("fk_sessions")),
        "{summaries:#?}"
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("drop foreign key fk_invites_email_users")),
        "{summaries:#?}"
    );
}

#[tokio::test]
async fn widening_a_unique_column_applies_with_rows_in_both_referencing_tables() {
    let (old, new) = email_schemas();
    let seed = "INSERT INTO users VALUES ('7f1b6a3e-1111-4c2b-9a55-0123456789ab', 'a@example.com'); \
                INSERT INTO sessions (id, user_id) VALUES (1, '7f1b6a3e-1111-4c2b-9a55-0123456789ab'); \
                INSERT INTO invites (id, email) VALUES (1, 'a@example.com')";
    let generated = Scenario::new(
        "widening_a_unique_column_applies_with_rows_in_both_referencing_tables",
        old,
        new,
    )
    .seed(seed)
    .rows("SELECT s.id::text || i.email FROM sessions s, invites i")
    .run()
    .await;
    let text = generated.of(Backend::Postgres);
    assert!(!text.contains("fk_sessions_user_id_users"), "{text}");
}
