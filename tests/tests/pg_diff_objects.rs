//! Autogenerate on PostgreSQL, continued: keys, indexes, constraints, foreign keys, enums,
//! renames, long names and quoting. Each scenario is snapshotted and run up and down on a
//! fresh database (see `tests::scenario`).

#![allow(dead_code)]

use model_core::operation::Operation;
use model_core::schema::Schema;
use model_core::{DbEnum, Table};
use tests::scenario::pg_plan;
use tests::scenario::{schema, Backend, Scenario, SAFE};

mod keys_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "accounts")]
    pub struct Account {
        #[column(primary_key)]
        pub id: i64,
        pub org: i32,
        pub name: String,
    }

    #[derive(Table)]
    #[table(name = "members")]
    pub struct Member {
        #[column(primary_key)]
        pub account_id: i64,
        pub team: String,
    }

    #[derive(Table)]
    #[table(name = "logins")]
    pub struct Login {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Account, on_delete = "cascade", index)]
        pub account_id: i64,
    }
}

mod keys_v2 {
    use super::*;

    /// The primary key moves to another column.
    #[derive(Table)]
    #[table(name = "accounts")]
    pub struct Account {
        pub id: i64,
        pub org: i32,
        #[column(primary_key)]
        pub name: String,
    }

    /// A single key becomes composite.
    #[derive(Table)]
    #[table(name = "members")]
    pub struct Member {
        #[column(primary_key)]
        pub account_id: i64,
        #[column(primary_key)]
        pub team: String,
    }

    #[derive(Table)]
    #[table(name = "logins")]
    pub struct Login {
        #[column(primary_key)]
        pub id: i64,
        #[column(index)]
        pub account_id: i64,
    }
}

#[tokio::test]
async fn primary_key_changes_including_composite() {
    let old = schema(
        vec![
            keys_v1::Account::table_def(),
            keys_v1::Member::table_def(),
            keys_v1::Login::table_def(),
        ],
        vec![],
    );
    let new = schema(
        vec![
            keys_v2::Account::table_def(),
            keys_v2::Member::table_def(),
            keys_v2::Login::table_def(),
        ],
        vec![],
    );
    let seed = "INSERT INTO accounts (id, org, name) VALUES (1, 1, 'a'), (2, 1, 'b'); \
                INSERT INTO members VALUES (1, 'x'); INSERT INTO logins (account_id) VALUES (1)";
    Scenario::new("primary_key_changes_including_composite", old, new)
        .allow_destructive()
        .seed(seed)
        .rows("SELECT name FROM accounts")
        .run()
        .await;
}

mod objects_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "products")]
    #[table(check(name = "ck_products_price", expr = "price >= 0"))]
    #[table(check(expr = "length(sku) = 8"))]
    #[table(unique(columns = ["vendor", "sku"]))]
    #[table(index(columns = ["vendor", "created_at DESC"]))]
    pub struct Product {
        #[column(primary_key)]
        pub id: i32,
        pub vendor: String,
        pub sku: String,
        pub name: String,
        pub price: i32,
        #[column(index)]
        pub created_at: chrono::DateTime<chrono::Utc>,
        pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
    }
}

mod objects_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "products")]
    // Same expression as before, spelled differently: no change.
    #[table(check(name = "ck_products_price", expr = "price>=0"))]
    // Changed expression: dropped and re-added.
    #[table(check(expr = "length(sku) = 10"))]
    #[table(unique(name = "uq_vendor_sku", columns = ["vendor", "sku"]))]
    #[table(index(columns = ["vendor", "created_at DESC"], where = "deleted_at IS NULL"))]
    #[table(index(name = "ix_products_lower_name", expr = "lower(name)", unique))]
    #[table(index(columns = ["(lower(sku)) text_pattern_ops", "price DESC NULLS LAST"]))]
    pub struct Product {
        #[column(primary_key)]
        pub id: i32,
        pub vendor: String,
        pub sku: String,
        pub name: String,
        pub price: i32,
        pub created_at: chrono::DateTime<chrono::Utc>,
        pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
    }
}

#[tokio::test]
async fn indexes_uniques_and_checks() {
    let old = schema(vec![objects_v1::Product::table_def()], vec![]);
    let new = schema(vec![objects_v2::Product::table_def()], vec![]);
    let plan = pg_plan(&old, &new, SAFE).unwrap();
    // The reworded check is not touched; the unique constraint is renamed, not rebuilt.
    assert!(!plan.operations().iter().any(|op| matches!(op,
        Operation::DropCheck { check, .. } if check.name == "ck_products_price")));
    assert!(plan
        .operations()
        .iter()
        .any(|op| matches!(op, Operation::RenameConstraint { .. })));
    Scenario::new("indexes_uniques_and_checks", old, new)
        .run()
        .await;
}

mod fk_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key)]
        pub id: i32,
        #[column(unique)]
        pub handle: String,
    }

    #[derive(Table)]
    #[table(name = "posts")]
    pub struct Post {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = Author, index)]
        pub author_id: i32,
        pub editor: Option<String>,
        pub reply_to: Option<i32>,
    }
}

mod fk_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "posts")]
    pub struct Post {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = fk_v1::Author, on_delete = "cascade", on_update = "restrict", index)]
        pub author_id: i32,
        #[column(references = fk_v1::Author::handle, on_delete = "set null", initially_deferred)]
        pub editor: Option<String>,
        #[column(references = Post, on_delete = "set null", index)]
        pub reply_to: Option<i32>,
    }
}

#[tokio::test]
async fn foreign_keys_added_changed_and_self_referencing() {
    let old = schema(
        vec![fk_v1::Author::table_def(), fk_v1::Post::table_def()],
        vec![],
    );
    let new = schema(
        vec![fk_v1::Author::table_def(), fk_v2::Post::table_def()],
        vec![],
    );
    let generated = Scenario::new("foreign_keys_added_changed_and_self_referencing", old, new)
        .run()
        .await;
    assert!(generated
        .of(Backend::Postgres)
        .contains("WARNING: foreign key fk_posts_editor_authors on posts(editor) has no index"));
}

mod enum_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status")]
    pub enum Status {
        Open,
        Done,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Open)]
        pub status: Status,
        pub history: Vec<Status>,
    }
}

mod enum_added {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status")]
    pub enum Status {
        Draft,
        Open,
        #[db_enum(rename = "Waiting on 'them'")]
        Waiting,
        Done,
        Archived,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Open)]
        pub status: Status,
        pub history: Vec<Status>,
    }
}

mod enum_renamed {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status")]
    pub enum Status {
        #[db_enum(rename = "OPEN", renamed_from = "Open")]
        Open,
        Done,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Open)]
        pub status: Status,
        pub history: Vec<Status>,
    }
}

mod enum_reordered {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status")]
    pub enum Status {
        Done,
        Open,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Open)]
        pub status: Status,
        pub history: Vec<Status>,
    }
}

mod enum_removed {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "status")]
    pub enum Status {
        Open,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i32,
        #[column(default = Status::Open)]
        pub status: Status,
        pub history: Vec<Status>,
    }
}

fn jobs(table: model_core::schema::Table, e: model_core::schema::Enum) -> Schema {
    schema(vec![table], vec![e])
}

const JOB_ROWS: &str =
    "INSERT INTO jobs (id, status, history) VALUES (1, 'Open', '{Open}'), (2, 'Open', '{}')";
const JOB_STATUSES: &str = "SELECT status::text FROM jobs";

#[tokio::test]
async fn enum_values_added_in_declaration_order() {
    let old = jobs(enum_v1::Job::table_def(), enum_v1::Status::enum_def());
    let new = jobs(enum_added::Job::table_def(), enum_added::Status::enum_def());
    Scenario::new("enum_values_added_in_declaration_order", old, new)
        .seed(JOB_ROWS)
        .rows(JOB_STATUSES)
        .run()
        .await;
}

#[tokio::test]
async fn enum_value_renamed() {
    let old = jobs(enum_v1::Job::table_def(), enum_v1::Status::enum_def());
    let new = jobs(
        enum_renamed::Job::table_def(),
        enum_renamed::Status::enum_def(),
    );
    let generated = Scenario::new("enum_value_renamed", old, new)
        .seed(JOB_ROWS)
        .rows(JOB_STATUSES)
        .run()
        .await;
    assert!(generated
        .of(Backend::Postgres)
        .contains("RENAME VALUE 'Open' TO 'OPEN'"));
}

#[tokio::test]
async fn enum_reordered_through_a_type_swap() {
    let old = jobs(enum_v1::Job::table_def(), enum_v1::Status::enum_def());
    let new = jobs(
        enum_reordered::Job::table_def(),
        enum_reordered::Status::enum_def(),
    );
    let plan = pg_plan(&old, &new, SAFE).unwrap();
    assert!(plan.warnings.iter().any(|w| w.contains("reordered")));
    Scenario::new("enum_reordered_through_a_type_swap", old, new)
        .seed(JOB_ROWS)
        .rows(JOB_STATUSES)
        .run()
        .await;
}

#[tokio::test]
async fn enum_value_removed_only_when_allowed() {
    let old = jobs(enum_v1::Job::table_def(), enum_v1::Status::enum_def());
    let new = jobs(
        enum_removed::Job::table_def(),
        enum_removed::Status::enum_def(),
    );
    let err = pg_plan(&old, &new, SAFE).unwrap_err().to_string();
    assert!(err.contains("remove \"Done\" from enum status"), "{err}");
    Scenario::new("enum_value_removed_only_when_allowed", old, new)
        .allow_destructive()
        .seed(JOB_ROWS)
        .rows(JOB_STATUSES)
        .run()
        .await;
}

mod rename_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "writers", renamed_from = "authors")]
    pub struct Writer {
        #[column(primary_key)]
        pub id: i32,
        #[column(unique, renamed_from = "handle")]
        pub pen_name: String,
    }

    #[derive(Table)]
    #[table(name = "posts")]
    pub struct Post {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = Writer, index, renamed_from = "author_id")]
        pub writer_id: i32,
        pub editor: Option<String>,
        pub reply_to: Option<i32>,
    }
}

#[tokio::test]
async fn declared_renames_keep_the_data() {
    let old = schema(
        vec![fk_v1::Author::table_def(), fk_v1::Post::table_def()],
        vec![],
    );
    let new = schema(
        vec![rename_v2::Writer::table_def(), rename_v2::Post::table_def()],
        vec![],
    );
    let seed = "INSERT INTO authors (id, handle) VALUES (1, 'ada'); \
                INSERT INTO posts (id, author_id) VALUES (10, 1)";
    let plan = pg_plan(&old, &new, SAFE).expect("renames are not destructive");
    assert!(!plan.operations().iter().any(|op| matches!(
        op,
        Operation::DropTable { .. } | Operation::DropColumn { .. } | Operation::CreateTable { .. }
    )));
    Scenario::new("declared_renames_keep_the_data", old, new)
        .seed(seed)
        .rows("SELECT id::text FROM posts")
        .run()
        .await;
}

#[test]
fn a_stale_rename_hint_changes_nothing() {
    let new = schema(
        vec![rename_v2::Writer::table_def(), rename_v2::Post::table_def()],
        vec![],
    );
    assert!(pg_plan(&new, &new, SAFE).unwrap().is_empty());
}

mod long_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "a_table_with_a_really_quite_long_name_for_testing_limits")]
    pub struct Long {
        #[column(primary_key)]
        pub id: i32,
        pub another_fairly_long_column_name_for_testing: i32,
        pub yet_another_fairly_long_column_name_here: i32,
    }
}

mod long_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "a_table_with_a_really_quite_long_name_for_testing_limits")]
    #[table(unique(columns = ["another_fairly_long_column_name_for_testing", "yet_another_fairly_long_column_name_here"]))]
    #[table(index(columns = ["yet_another_fairly_long_column_name_here", "another_fairly_long_column_name_for_testing"]))]
    pub struct Long {
        #[column(primary_key)]
        pub id: i32,
        pub another_fairly_long_column_name_for_testing: i32,
        pub yet_another_fairly_long_column_name_here: i32,
    }
}

#[tokio::test]
async fn long_names_are_hashed_to_fit() {
    let old = schema(vec![long_v1::Long::table_def()], vec![]);
    let new = schema(vec![long_v2::Long::table_def()], vec![]);
    let table = &new.tables["a_table_with_a_really_quite_long_name_for_testing_limits"];
    assert!(table.uniques[0].name.len() <= 63);
    assert!(table.indexes[0].name.len() <= 63);
    Scenario::new("long_names_are_hashed_to_fit", old, new)
        .run()
        .await;
}

mod quoting_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "user")]
    pub struct User {
        #[column(primary_key)]
        pub id: i32,
    }
}

mod quoting_v2 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "select")]
    pub enum Select {
        #[db_enum(rename = "it's")]
        Its,
        #[db_enum(rename = "Mixed Case")]
        Mixed,
    }

    #[derive(Table)]
    #[table(name = "order")]
    #[table(check(expr = "\"from\" <> 'x'"))]
    pub struct Order {
        #[column(primary_key)]
        pub id: i32,
        #[column(references = quoting_v1::User, index)]
        pub user: i32,
        #[column(default = "it's \"quoted\" \\ ok")]
        pub from: String,
        #[column(default = Select::Its)]
        pub r#select: Select,
        #[column(name = "Group")]
        pub group: Option<String>,
    }
}

#[tokio::test]
async fn reserved_words_and_quotes_are_escaped() {
    let old = schema(vec![quoting_v1::User::table_def()], vec![]);
    let new = schema(
        vec![
            quoting_v1::User::table_def(),
            quoting_v2::Order::table_def(),
        ],
        vec![quoting_v2::Select::enum_def()],
    );
    Scenario::new("reserved_words_and_quotes_are_escaped", old, new)
        .seed("INSERT INTO \"user\" (id) VALUES (1)")
        .run()
        .await;
}
