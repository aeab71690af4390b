//! Enum value changes on every backend, with rows: values added in the middle, renamed (the
//! rows follow), and removed (allowed as destructive; no row holds the value). PostgreSQL
//! changes the type; SQLite, which has none, rebuilds the tables whose CHECK lists the values.

#![allow(dead_code)]

use model_core::{DbEnum, Table};
use tests::scenario::{schema, Scenario};

mod v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "stage", rename_all = "lowercase")]
    pub enum Stage {
        Draft,
        Review,
        Live,
        Retired,
    }

    #[derive(Table)]
    #[table(name = "docs")]
    pub struct Doc {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Stage::Draft)]
        pub stage: Stage,
        pub previous: Option<Stage>,
    }
}

mod v2 {
    use super::*;

    /// `review` becomes `in_review`, `approved` is new between it and `live`, `retired` goes.
    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "stage", rename_all = "lowercase")]
    pub enum Stage {
        Draft,
        #[db_enum(rename = "in_review", renamed_from = "review")]
        InReview,
        Approved,
        Live,
    }

    #[derive(Table)]
    #[table(name = "docs")]
    pub struct Doc {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Stage::InReview)]
        pub stage: Stage,
        pub previous: Option<Stage>,
    }
}

#[tokio::test]
async fn values_added_renamed_and_removed_keep_the_rows() {
    let old = schema(vec![v1::Doc::table_def()], vec![v1::Stage::enum_def()]);
    let new = schema(vec![v2::Doc::table_def()], vec![v2::Stage::enum_def()]);
    let generated = Scenario::new("values_added_renamed_and_removed", old, new)
        .allow_destructive()
        .seed(
            "INSERT INTO docs (id, stage, previous) VALUES \
             (1, 'draft', NULL), (2, 'review', 'draft'), (3, 'live', 'review')",
        )
        .rows("SELECT CAST(stage AS TEXT) || '/' || COALESCE(CAST(previous AS TEXT), '-') FROM docs ORDER BY id")
        .run()
        .await;
    // SQLite maps the renamed value while copying the rows.
    let sqlite = generated.of(tests::scenario::Backend::Sqlite);
    assert!(
        sqlite.contains("CASE stage WHEN 'review' THEN 'in_review' ELSE stage END"),
        "{sqlite}"
    );
}
