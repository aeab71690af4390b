//! MariaDB introspection: tables created on a fresh database with the DDL the MySQL renderer
//! writes for a set of models, read back into a `Schema`, checked field by field, and compared
//! with the models under the MySQL rules (`Dialect::Mysql.equivalence()`, after `stored()`).
//!
//! The server is MariaDB 10.11. Where MySQL 8 differs, the introspector reads both, but only
//! MariaDB is tested here:
//! - MySQL enforces CHECK constraints only from 8.0.16 (earlier versions parse and ignore
//!   them and have no `information_schema.CHECK_CONSTRAINTS`), and names them per database,
//!   not per table.
//! - MySQL 8.0.13+ has functional index keys (`CREATE INDEX ix ON t ((lower(email)))`, read
//!   from `STATISTICS.EXPRESSION`); MariaDB 10.11 refuses that syntax.
//! - `JSON` is a real type on MySQL (no `json_valid` check is added); on MariaDB it is
//!   `LONGTEXT` with an automatic `CHECK (json_valid(col))` named after the column.
//! - MySQL 8 prints literal defaults unquoted and marks expression defaults
//!   `DEFAULT_GENERATED` in `COLUMN_DEFAULT`/`EXTRA`; MariaDB quotes literals.
//! - MySQL 8.0.19+ prints integer types without a display width (`int`, not `int(11)`),
//!   except `tinyint(1)`.

#![allow(dead_code)]

use model_core::dialect::Dialect;
use model_core::diff::{diff, DiffOptions};
use model_core::introspect::mysql::introspect;
use model_core::schema::{
    Check, ColumnDefault, ColumnType, ForeignKey, Identity, Index, IndexKey, IndexTarget,
    PrimaryKey, ReferentialAction, Schema, SortOrder, Unique, Value,
};
use model_core::{DbEnum, Table};
use sqlx::Executor;
use tests::scenario::schema;
use tests::TestDb;

mod models {
    use super::*;

    #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
    #[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Priority {
        High,
        Medium,
        Low,
        None,
    }

    #[derive(Table)]
    #[table(name = "users", comment = "people who sign in")]
    pub struct User {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 320, unique)]
        pub email: String,
        #[column(comment = "shown in the UI")]
        pub display_name: Option<String>,
        #[column(default = serde_json::json!({"theme": "dark"}))]
        pub settings: serde_json::Value,
        #[column(default_sql = "CURRENT_TIMESTAMP(6)")]
        pub created_at: chrono::DateTime<chrono::Utc>,
    }

    #[derive(Table)]
    #[table(name = "tasks")]
    #[table(index(name = "ix_tasks_user_priority", columns = ["user_id", "priority"]))]
    #[table(index(name = "ix_tasks_due_title", columns = ["due_date DESC", "title"]))]
    #[table(unique(columns = ["user_id", "title"]))]
    #[table(check(name = "ck_tasks_title_not_blank", expr = "length(title) > 0"))]
    #[table(check(
        name = "ck_tasks_estimate",
        expr = "estimate IS NULL OR estimate BETWEEN 0 AND 100"
    ))]
    pub struct Task {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(references = User, on_delete = "cascade")]
        pub user_id: i64,
        #[column(references = User, on_delete = "set null")]
        pub reviewer_id: Option<i64>,
        #[column(max_length = 200, default = "untitled")]
        pub title: String,
        #[column(default = "it's")]
        pub body: String,
        #[column(default = false)]
        pub completed: bool,
        #[column(default = Priority::None)]
        pub priority: Priority,
        pub due_date: Option<chrono::DateTime<chrono::Utc>>,
        #[column(precision = 12, scale = 2, default_sql = "1.50")]
        pub price: rust_decimal::Decimal,
        pub amount: Option<rust_decimal::Decimal>,
        #[column(default = 1.5)]
        pub ratio: f64,
        pub weight: Option<f32>,
        #[column(default = -4i16)]
        pub small: i16,
        pub estimate: Option<i32>,
        #[column(default_sql = "'09:30:00'")]
        pub starts_at: Option<chrono::NaiveTime>,
        #[column(default_sql = "'2026-01-01'")]
        pub on_day: chrono::NaiveDate,
        #[column(default = chrono::DateTime::from_timestamp(1_767_261_600, 0).expect("valid"))]
        pub remind_at: chrono::DateTime<chrono::Utc>,
        pub attachment: Option<Vec<u8>>,
    }

    #[derive(Table)]
    #[table(name = "task_tags")]
    pub struct TaskTag {
        #[column(primary_key, references = Task, on_delete = "cascade")]
        pub task_id: uuid::Uuid,
        #[column(primary_key, max_length = 50)]
        pub tag: String,
    }

    /// [`Task`] with another default for `title`.
    #[derive(Table)]
    #[table(name = "tasks")]
    #[table(index(name = "ix_tasks_user_priority", columns = ["user_id", "priority"]))]
    #[table(index(name = "ix_tasks_due_title", columns = ["due_date DESC", "title"]))]
    #[table(unique(columns = ["user_id", "title"]))]
    #[table(check(name = "ck_tasks_title_not_blank", expr = "length(title) > 0"))]
    #[table(check(
        name = "ck_tasks_estimate",
        expr = "estimate IS NULL OR estimate BETWEEN 0 AND 100"
    ))]
    pub struct TaskOtherDefault {
        #[column(primary_key)]
        pub id: uuid::Uuid,
        #[column(references = User, on_delete = "cascade")]
        pub user_id: i64,
        #[column(references = User, on_delete = "set null")]
        pub reviewer_id: Option<i64>,
        #[column(max_length = 200, default = "no title")]
        pub title: String,
        #[column(default = "it's")]
        pub body: String,
        #[column(default = false)]
        pub completed: bool,
        #[column(default = Priority::None)]
        pub priority: Priority,
        pub due_date: Option<chrono::DateTime<chrono::Utc>>,
        #[column(precision = 12, scale = 2, default_sql = "1.50")]
        pub price: rust_decimal::Decimal,
        pub amount: Option<rust_decimal::Decimal>,
        #[column(default = 1.5)]
        pub ratio: f64,
        pub weight: Option<f32>,
        #[column(default = -4i16)]
        pub small: i16,
        pub estimate: Option<i32>,
        #[column(default_sql = "'09:30:00'")]
        pub starts_at: Option<chrono::NaiveTime>,
        #[column(default_sql = "'2026-01-01'")]
        pub on_day: chrono::NaiveDate,
        #[column(default = chrono::DateTime::from_timestamp(1_767_261_600, 0).expect("valid"))]
        pub remind_at: chrono::DateTime<chrono::Utc>,
        pub attachment: Option<Vec<u8>>,
    }
}

/// The models' tables as the MySQL renderer writes them for MariaDB.
const DDL: &str = r#"
CREATE TABLE users (
    id BIGINT NOT NULL AUTO_INCREMENT,
    email VARCHAR(320) NOT NULL,
    display_name LONGTEXT NULL COMMENT 'shown in the UI',
    settings JSON NOT NULL DEFAULT ('{"theme":"dark"}'),
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT pk_users PRIMARY KEY (id)
) COMMENT 'people who sign in';
ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);

CREATE TABLE tasks (
    id BINARY(16) NOT NULL,
    user_id BIGINT NOT NULL,
    reviewer_id BIGINT NULL,
    title VARCHAR(200) NOT NULL DEFAULT 'untitled',
    body LONGTEXT NOT NULL DEFAULT ('it''s'),
    completed BOOLEAN NOT NULL DEFAULT FALSE,
    priority ENUM('HIGH', 'MEDIUM', 'LOW', 'NONE') NOT NULL DEFAULT 'NONE',
    due_date DATETIME(6) NULL,
    price DECIMAL(12, 2) NOT NULL DEFAULT 1.50,
    amount DECIMAL(65, 30) NULL,
    ratio DOUBLE NOT NULL DEFAULT 1.5,
    weight FLOAT NULL,
    small SMALLINT NOT NULL DEFAULT -4,
    estimate INT NULL,
    starts_at TIME(6) NULL DEFAULT '09:30:00',
    on_day DATE NOT NULL DEFAULT '2026-01-01',
    remind_at DATETIME(6) NOT NULL DEFAULT '2026-01-01 10:00:00',
    attachment LONGBLOB NULL,
    CONSTRAINT pk_tasks PRIMARY KEY (id),
    CONSTRAINT ck_tasks_title_not_blank CHECK (length(title) > 0),
    CONSTRAINT ck_tasks_estimate CHECK (estimate IS NULL OR estimate BETWEEN 0 AND 100),
    CONSTRAINT fk_tasks_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_tasks_reviewer_id_users FOREIGN KEY (reviewer_id) REFERENCES users (id) ON DELETE SET NULL
);
ALTER TABLE tasks ADD CONSTRAINT uq_tasks_user_id_title UNIQUE (user_id, title);
CREATE INDEX ix_tasks_user_priority ON tasks (user_id, priority);
CREATE INDEX ix_tasks_due_title ON tasks (due_date DESC, title);

CREATE TABLE task_tags (
    task_id BINARY(16) NOT NULL,
    tag VARCHAR(50) NOT NULL,
    CONSTRAINT pk_task_tags PRIMARY KEY (task_id, tag),
    CONSTRAINT fk_task_tags_task_id_tasks FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);
"#;

/// The models the DDL is written for.
fn models() -> Schema {
    schema(
        vec![
            models::User::table_def(),
            models::Task::table_def(),
            models::TaskTag::table_def(),
        ],
        vec![models::Priority::enum_def()],
    )
}

/// A fresh MariaDB database holding `ddl`, and its schema read back.
async fn introspected(ddl: &str) -> Schema {
    let db = TestDb::mysql().await;
    let pool = db.mysql_pool().await;
    for statement in ddl.split(";\n").filter(|s| !s.trim().is_empty()) {
        pool.execute(statement)
            .await
            .unwrap_or_else(|e| panic!("the DDL runs: {e}\n{statement}"));
    }
    let mut conn = pool.acquire().await.expect("connection");
    let schema = introspect(&mut conn).await.expect("introspection");
    drop(conn);
    pool.close().await;
    schema
}

/// What differs between `models` (as MariaDB stores them) and the live schema under the
/// MySQL rules, as summaries (empty: the database matches).
fn drift(models: &Schema, live: &Schema) -> Vec<String> {
    let rules = Dialect::Mysql.equivalence();
    let expected = rules.stored(models);
    let options = DiffOptions {
        allow_destructive: true,
        loose_expressions: true,
    };
    let changes = diff(&expected, live, rules, options).expect("comparison");
    changes
        .kept
        .iter()
        .flat_map(|t| t.changes.iter().map(|op| op.summary()))
        .chain(changes.created.iter().map(|t| format!("create {}", t.name)))
        .chain(changes.dropped.iter().map(|t| format!("drop {}", t.name)))
        .chain(changes.enums.iter().map(|e| format!("{e:?}")))
        .collect()
}

#[tokio::test]
async fn tables_as_the_renderer_writes_them_match_their_models() {
    let live = introspected(DDL).await;
    assert_eq!(
        live.tables.keys().collect::<Vec<_>>(),
        ["task_tags", "tasks", "users"]
    );
    assert!(live.enums.is_empty(), "MySQL has no enum types");
    assert_eq!(drift(&models(), &live), Vec::<String>::new());

    // Without `stored()`, the names MySQL does not keep and the enum types are differences.
    let options = DiffOptions {
        allow_destructive: true,
        loose_expressions: true,
    };
    let models = models();
    let raw = diff(&models, &live, Dialect::Mysql.equivalence(), options).expect("comparison");
    let summaries: Vec<String> = raw
        .kept
        .iter()
        .flat_map(|t| t.changes.iter().map(|op| op.summary()))
        .collect();
    assert!(
        summaries.iter().any(|s| s.contains("pk_tasks")),
        "{summaries:#?}"
    );
    assert!(
        summaries.iter().any(|s| s.contains("priority")),
        "{summaries:#?}"
    );
}

#[tokio::test]
async fn tables_as_the_renderer_writes_them_read_back() {
    let live = introspected(DDL).await;

    let users = &live.tables["users"];
    assert_eq!(users.comment.as_deref(), Some("people who sign in"));
    assert_eq!(
        users.primary_key,
        PrimaryKey {
            name: "PRIMARY".into(),
            columns: vec!["id".into()]
        },
        "MySQL names every primary key PRIMARY"
    );
    let id = users.column("id").expect("users.id");
    assert_eq!(id.ty, ColumnType::BigInt);
    assert_eq!(id.identity, Some(Identity::ByDefault));
    assert!(!id.nullable);
    assert_eq!(
        users.column("email").expect("email").ty,
        ColumnType::Varchar { length: 320 }
    );
    let display_name = users.column("display_name").expect("display_name");
    assert_eq!(display_name.ty, ColumnType::Text);
    assert!(display_name.nullable);
    assert_eq!(display_name.default, None, "MariaDB's 'NULL' is no default");
    assert_eq!(display_name.comment.as_deref(), Some("shown in the UI"));
    // A JSON column: its automatic json_valid check is how it is told from LONGTEXT.
    let settings = users.column("settings").expect("settings");
    assert_eq!(settings.ty, ColumnType::Json);
    assert_eq!(
        settings.default,
        Some(ColumnDefault::Sql("'{\"theme\":\"dark\"}'".into()))
    );
    assert!(users.checks.is_empty(), "{:?}", users.checks);
    let created_at = users.column("created_at").expect("created_at");
    assert_eq!(created_at.ty, ColumnType::Timestamp);
    assert_eq!(
        created_at.default,
        Some(ColumnDefault::Sql("current_timestamp(6)".into()))
    );
    assert_eq!(
        users.uniques,
        [Unique {
            name: "uq_users_email".into(),
            columns: vec!["email".into()]
        }]
    );
    assert!(users.indexes.is_empty());

    let tasks = &live.tables["tasks"];
    let column = |name: &str| tasks.column(name).expect("column");
    assert_eq!(column("id").ty, ColumnType::Uuid);
    assert_eq!(column("id").identity, None);
    assert_eq!(column("completed").ty, ColumnType::Boolean);
    assert_eq!(
        column("completed").default,
        Some(ColumnDefault::Sql("0".into()))
    );
    assert_eq!(
        column("body").default,
        Some(ColumnDefault::Sql("'it''s'".into())),
        "MariaDB's 'it\\'s' read as the renderer quotes it"
    );
    // An inline enum: its values, as the renderer spells the type.
    assert_eq!(
        column("priority").ty,
        ColumnType::Custom {
            sql: "ENUM('HIGH', 'MEDIUM', 'LOW', 'NONE')".into()
        }
    );
    let ColumnType::Custom { sql } = &column("priority").ty else {
        unreachable!()
    };
    assert_eq!(
        model_core::dialect::enum_values(sql).expect("an enum"),
        ["HIGH", "MEDIUM", "LOW", "NONE"]
    );
    assert_eq!(
        column("priority").default,
        Some(ColumnDefault::Sql("'NONE'".into()))
    );
    assert_eq!(
        column("price").ty,
        ColumnType::Decimal {
            precision: Some(12),
            scale: Some(2)
        }
    );
    assert_eq!(
        column("amount").ty,
        ColumnType::Decimal {
            precision: None,
            scale: None
        },
        "DECIMAL(65, 30) is the unbounded decimal"
    );
    assert_eq!(column("ratio").ty, ColumnType::Double);
    assert_eq!(column("weight").ty, ColumnType::Real);
    assert_eq!(column("small").ty, ColumnType::SmallInt);
    assert_eq!(
        column("small").default,
        Some(ColumnDefault::Sql("-4".into()))
    );
    assert_eq!(column("estimate").ty, ColumnType::Integer);
    assert_eq!(column("starts_at").ty, ColumnType::Time);
    assert_eq!(
        column("starts_at").default,
        Some(ColumnDefault::Value(Value::Text("09:30:00".into())))
    );
    assert_eq!(column("on_day").ty, ColumnType::Date);
    assert_eq!(
        column("remind_at").default,
        Some(ColumnDefault::Value(Value::Text(
            "2026-01-01 10:00:00".into()
        )))
    );
    assert_eq!(column("attachment").ty, ColumnType::Bytes);

    assert_eq!(tasks.primary_key.columns, ["id"]);
    assert_eq!(
        tasks.uniques,
        [Unique {
            name: "uq_tasks_user_id_title".into(),
            columns: vec!["user_id".into(), "title".into()]
        }]
    );
    // MariaDB re-prints checks in its own words.
    assert_eq!(
        tasks.checks,
        [
            Check {
                name: "ck_tasks_estimate".into(),
                expr: "`estimate` is null or `estimate` between 0 and 100".into()
            },
            Check {
                name: "ck_tasks_title_not_blank".into(),
                expr: "octet_length(`title`) > 0".into()
            },
        ]
    );
    assert_eq!(
        tasks.foreign_keys,
        [
            ForeignKey {
                name: "fk_tasks_reviewer_id_users".into(),
                columns: vec!["reviewer_id".into()],
                ref_table: "users".into(),
                ref_columns: vec!["id".into()],
                on_delete: ReferentialAction::SetNull,
                on_update: ReferentialAction::NoAction,
                deferrable: Default::default(),
            },
            ForeignKey {
                name: "fk_tasks_user_id_users".into(),
                columns: vec!["user_id".into()],
                ref_table: "users".into(),
                ref_columns: vec!["id".into()],
                on_delete: ReferentialAction::Cascade,
                on_update: ReferentialAction::NoAction,
                deferrable: Default::default(),
            },
        ]
    );
    // MariaDB made an index `fk_tasks_reviewer_id_users` for the foreign key; it is not one of
    // the models' (user_id's is covered by the unique key and needed none).
    assert_eq!(
        tasks.indexes,
        [
            Index {
                name: "ix_tasks_due_title".into(),
                keys: vec![
                    IndexKey {
                        target: IndexTarget::Column("due_date".into()),
                        opclass: None,
                        order: Some(SortOrder::Desc),
                        nulls: None,
                    },
                    IndexKey::column("title"),
                ],
                unique: false,
                method: None,
                predicate: None,
            },
            Index {
                name: "ix_tasks_user_priority".into(),
                keys: vec![IndexKey::column("user_id"), IndexKey::column("priority")],
                unique: false,
                method: None,
                predicate: None,
            },
        ]
    );

    let tags = &live.tables["task_tags"];
    assert_eq!(tags.primary_key.columns, ["task_id", "tag"]);
    assert!(tags.indexes.is_empty(), "the key covers the foreign key");
    assert_eq!(tags.foreign_keys[0].columns, ["task_id"]);
    assert_eq!(tags.foreign_keys[0].ref_table, "tasks");
}

#[tokio::test]
async fn the_foreign_key_index_mariadb_adds_is_not_reported() {
    let live = introspected(
        "CREATE TABLE a (id INT NOT NULL, x INT NOT NULL, CONSTRAINT pk_a PRIMARY KEY (id, x));
CREATE TABLE b (id INT NOT NULL AUTO_INCREMENT, a_id INT NULL, a_x INT NULL, CONSTRAINT pk_b PRIMARY KEY (id), CONSTRAINT fk_b_a FOREIGN KEY (a_id, a_x) REFERENCES a (id, x) ON UPDATE CASCADE);
",
    )
    .await;
    let statistics = &live.tables["b"];
    assert!(statistics.indexes.is_empty(), "{:?}", statistics.indexes);
    assert!(statistics.uniques.is_empty());
    let fk = &statistics.foreign_keys[0];
    assert_eq!(fk.columns, ["a_id", "a_x"], "columns in key order");
    assert_eq!(fk.ref_columns, ["id", "x"]);
    assert_eq!(fk.on_update, ReferentialAction::Cascade);
    assert_eq!(
        fk.on_delete,
        ReferentialAction::NoAction,
        "an omitted clause (reported RESTRICT) is NO ACTION"
    );
}

#[tokio::test]
async fn differences_are_reported() {
    // The database's `title` default differs from the models'.
    let live = introspected(DDL).await;
    let other_default = schema(
        vec![
            models::User::table_def(),
            models::TaskOtherDefault::table_def(),
            models::TaskTag::table_def(),
        ],
        vec![models::Priority::enum_def()],
    );
    let found = drift(&other_default, &live);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("title"), "{found:#?}");

    // A dropped index, an extra column, a changed check and an enum with another value.
    let changed = DDL
        .replace(
            "CREATE INDEX ix_tasks_user_priority ON tasks (user_id, priority);\n",
            "",
        )
        .replace(
            "attachment LONGBLOB NULL,",
            "attachment LONGBLOB NULL,\n    extra INT NULL,",
        )
        .replace("CHECK (length(title) > 0)", "CHECK (length(title) > 1)")
        .replace("'LOW', 'NONE')", "'LOW', 'NONE', 'URGENT')");
    let live = introspected(&changed).await;
    let found = drift(&models(), &live);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(
        found.iter().any(|s| s.contains("ix_tasks_user_priority")),
        "{found:#?}"
    );
    assert!(found.iter().any(|s| s.contains("extra")), "{found:#?}");
    assert!(
        found.iter().any(|s| s.contains("ck_tasks_title_not_blank")),
        "{found:#?}"
    );
    assert!(found.iter().any(|s| s.contains("priority")), "{found:#?}");
}

#[tokio::test]
async fn json_without_its_check_is_text_and_bookkeeping_tables_are_skipped() {
    let live = introspected(
        "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL);
CREATE TABLE _migrate_gen_lock (id INT PRIMARY KEY);
CREATE TABLE docs (id INT NOT NULL PRIMARY KEY, body LONGTEXT NULL, note LONGTEXT NULL, CONSTRAINT note CHECK (note <> ''));
CREATE VIEW doc_ids AS SELECT id FROM docs;
",
    )
    .await;
    assert_eq!(live.tables.keys().collect::<Vec<_>>(), ["docs"]);
    let docs = &live.tables["docs"];
    assert_eq!(
        docs.column("body").expect("body").ty,
        ColumnType::Text,
        "without json_valid, LONGTEXT is text"
    );
    // A check named after a column that is not json_valid stays a check.
    assert_eq!(docs.column("note").expect("note").ty, ColumnType::Text);
    assert_eq!(docs.checks.len(), 1);
    assert_eq!(docs.checks[0].name, "note");
    // No name was given: the key is still PRIMARY.
    assert_eq!(docs.primary_key.name, "PRIMARY");
}

#[tokio::test]
async fn unique_indexes_and_constraints_read_alike() {
    // MySQL has one kind of unique key: however it was made, ascending columns read as a
    // UNIQUE constraint, and a unique index of the models compares equal with it.
    #[derive(Table)]
    #[table(name = "codes")]
    #[table(index(name = "ix_codes_code", columns = ["code"], unique))]
    #[table(index(name = "ix_codes_rank_desc", columns = ["rank DESC"], unique))]
    struct Code {
        #[column(primary_key)]
        id: i32,
        #[column(max_length = 20)]
        code: String,
        rank: i32,
    }
    let live = introspected(
        "CREATE TABLE codes (id INT NOT NULL AUTO_INCREMENT, code VARCHAR(20) NOT NULL, `rank` INT NOT NULL, CONSTRAINT pk_codes PRIMARY KEY (id));
CREATE UNIQUE INDEX ix_codes_code ON codes (code);
CREATE UNIQUE INDEX ix_codes_rank_desc ON codes (`rank` DESC);
",
    )
    .await;
    let codes = &live.tables["codes"];
    assert_eq!(
        codes.uniques,
        [Unique {
            name: "ix_codes_code".into(),
            columns: vec!["code".into()]
        }]
    );
    assert_eq!(codes.indexes.len(), 1);
    assert!(codes.indexes[0].unique);
    assert_eq!(codes.indexes[0].keys[0].order, Some(SortOrder::Desc));
    let models = schema(vec![Code::table_def()], vec![]);
    assert_eq!(drift(&models, &live), Vec::<String>::new());
}

#[tokio::test]
async fn type_changes_with_modify_column_read_back() {
    // The renderer changes a type with MODIFY COLUMN, restating the whole column: MariaDB adds
    // the json_valid check when a column becomes JSON and drops it when it stops being JSON.
    let live = introspected(
        "CREATE TABLE notes (id INT NOT NULL AUTO_INCREMENT, a LONGTEXT NULL, b JSON NULL, c INT NULL DEFAULT 3, CONSTRAINT pk_notes PRIMARY KEY (id));
ALTER TABLE notes MODIFY COLUMN a JSON NULL;
ALTER TABLE notes MODIFY COLUMN b LONGTEXT NULL;
ALTER TABLE notes MODIFY COLUMN c BIGINT NOT NULL DEFAULT 4 COMMENT 'counted';
",
    )
    .await;
    let notes = &live.tables["notes"];
    assert_eq!(notes.column("a").expect("a").ty, ColumnType::Json);
    assert_eq!(notes.column("b").expect("b").ty, ColumnType::Text);
    assert!(notes.checks.is_empty(), "{:?}", notes.checks);
    let c = notes.column("c").expect("c");
    assert_eq!(c.ty, ColumnType::BigInt);
    assert!(!c.nullable);
    assert_eq!(c.default, Some(ColumnDefault::Sql("4".into())));
    assert_eq!(c.comment.as_deref(), Some("counted"));
}

#[tokio::test]
async fn hand_written_ddl_with_backticks_inline_keys_and_reserved_names() {
    let live = introspected(
        "CREATE TABLE `Order` (
    `id` int(11) NOT NULL AUTO_INCREMENT,
    `key` varchar(40) NOT NULL,
    `order` TINYINT(1) DEFAULT NULL,
    `Placed At` datetime(6) DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6),
    note text CHECK (note <> ''),
    PRIMARY KEY (`id`),
    UNIQUE KEY `uq_order_key` (`key`),
    KEY `ix_order_placed` (`Placed At` DESC, `order`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='orders';
",
    )
    .await;
    let order = &live.tables["Order"];
    assert_eq!(order.comment.as_deref(), Some("orders"));
    assert_eq!(order.primary_key.columns, ["id"]);
    let id = order.column("id").expect("id");
    assert_eq!(id.ty, ColumnType::Integer);
    assert_eq!(id.identity, Some(Identity::ByDefault));
    let flag = order.column("order").expect("order");
    assert_eq!(flag.ty, ColumnType::Boolean);
    assert!(flag.nullable);
    assert_eq!(flag.default, None);
    let placed = order.column("Placed At").expect("Placed At");
    assert_eq!(placed.ty, ColumnType::Timestamp);
    assert_eq!(
        placed.default,
        Some(ColumnDefault::Sql("current_timestamp(6)".into()))
    );
    assert_eq!(
        order.column("note").expect("note").ty,
        ColumnType::Custom { sql: "text".into() }
    );
    // A column-level CHECK is named after its column, like the JSON one, but is kept.
    assert_eq!(order.checks.len(), 1);
    assert_eq!(order.checks[0].name, "note");
    assert!(Dialect::Mysql
        .equivalence()
        .same_printed_expression("note <> ''", &order.checks[0].expr));
    assert_eq!(
        order.uniques,
        [Unique {
            name: "uq_order_key".into(),
            columns: vec!["key".into()]
        }]
    );
    assert_eq!(order.indexes.len(), 1);
    assert_eq!(
        order.indexes[0].keys[0].target,
        IndexTarget::Column("Placed At".into())
    );
    assert_eq!(order.indexes[0].keys[0].order, Some(SortOrder::Desc));
    assert_eq!(order.indexes[0].keys[1], IndexKey::column("order"));
}
