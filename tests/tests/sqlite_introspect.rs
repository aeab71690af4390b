//! SQLite introspection: tables and indexes created on a fresh database file, read back into a
//! `Schema` and checked field by field, and compared with the models under SQLite's rules.

#![allow(dead_code)]

use model_core::dialect::Dialect;
use model_core::diff::{diff, DiffOptions};
use model_core::introspect::sqlite::introspect;
use model_core::naming;
use model_core::schema::{
    Check, ColumnDefault, ColumnType, Deferrable, ForeignKey, Identity, Index, IndexKey,
    IndexTarget, PrimaryKey, ReferentialAction, Schema, SortOrder, Unique,
};
use model_core::Table;
use sqlx::Executor;
use tests::scenario::schema;
use tests::TestDb;

/// The users and tasks tables as the SQLite renderer writes them.
const TASKS_DDL: &str = r#"
CREATE TABLE "users" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_users" PRIMARY KEY AUTOINCREMENT,
    "email" VARCHAR(320) NOT NULL
);
CREATE TABLE "tasks" (
    "id" INTEGER NOT NULL,
    "title" VARCHAR(200) NOT NULL DEFAULT 'untitled',
    "state" TEXT NOT NULL DEFAULT 'open',
    "user_id" INTEGER,
    "done" BOOLEAN NOT NULL DEFAULT 0,
    CONSTRAINT "pk_tasks" PRIMARY KEY ("id"),
    CONSTRAINT "uq_tasks_title" UNIQUE ("title"),
    CONSTRAINT "ck_tasks_title_not_blank" CHECK (length(title) > 0),
    CONSTRAINT "ck_tasks_state_values" CHECK ("state" IN ('open', 'done')),
    CONSTRAINT "fk_tasks_user_id_users" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX "ix_tasks_user_id" ON "tasks" ("user_id");
CREATE UNIQUE INDEX "ix_tasks_lower_title" ON "tasks" (lower(title)) WHERE done = 0;
"#;

mod models {
    use super::*;

    #[derive(Table)]
    #[table(name = "users")]
    pub struct User {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 320)]
        pub email: String,
    }

    #[derive(Table)]
    #[table(name = "tasks")]
    #[table(check(name = "ck_tasks_title_not_blank", expr = "length(title) > 0"))]
    #[table(check(name = "ck_tasks_state_values", expr = "\"state\" IN ('open', 'done')"))]
    #[table(index(
        name = "ix_tasks_lower_title",
        expr = "lower(title)",
        unique,
        where = "done = 0"
    ))]
    pub struct Task {
        #[column(primary_key, identity = false)]
        pub id: i64,
        #[column(unique, max_length = 200, default = "untitled")]
        pub title: String,
        #[column(default = "open")]
        pub state: String,
        #[column(references = User, on_delete = "cascade", initially_deferred, index)]
        pub user_id: Option<i64>,
        #[column(default = false)]
        pub done: bool,
    }

    /// Like [`Task`], with another default and a longer title.
    #[derive(Table)]
    #[table(name = "tasks")]
    #[table(check(name = "ck_tasks_title_not_blank", expr = "length(title) > 0"))]
    #[table(check(name = "ck_tasks_state_values", expr = "\"state\" IN ('open', 'done')"))]
    #[table(index(
        name = "ix_tasks_lower_title",
        expr = "lower(title)",
        unique,
        where = "done = 0"
    ))]
    pub struct TaskChanged {
        #[column(primary_key, identity = false)]
        pub id: i64,
        #[column(unique, max_length = 250, default = "untitled")]
        pub title: String,
        #[column(default = "done")]
        pub state: String,
        #[column(references = User, on_delete = "cascade", initially_deferred, index)]
        pub user_id: Option<i64>,
        #[column(default = false)]
        pub done: bool,
    }
}

/// A fresh database file holding `ddl`, and its schema read back.
async fn introspected(ddl: &str) -> Schema {
    let db = TestDb::sqlite().await;
    let pool = db.sqlite_pool().await;
    pool.execute(ddl).await.expect("the DDL runs");
    let mut conn = pool.acquire().await.expect("connection");
    let schema = introspect(&mut conn).await.expect("introspection");
    drop(conn);
    pool.close().await;
    schema
}

/// What must change to go from the live schema to `models` under SQLite's rules, as summaries.
fn drift(live: &Schema, models: &Schema) -> Vec<String> {
    let options = DiffOptions {
        allow_destructive: true,
        loose_expressions: true,
    };
    let changes = diff(live, models, Dialect::Sqlite.equivalence(), options).expect("comparison");
    changes
        .kept
        .iter()
        .flat_map(|t| t.changes.iter().map(|op| op.summary()))
        .chain(changes.created.iter().map(|t| format!("create {}", t.name)))
        .chain(changes.dropped.iter().map(|t| format!("drop {}", t.name)))
        .collect()
}

#[tokio::test]
async fn tables_as_the_renderer_writes_them_read_back() {
    let live = introspected(TASKS_DDL).await;
    assert!(live.enums.is_empty());
    assert_eq!(
        live.tables.keys().collect::<Vec<_>>(),
        ["tasks", "users"],
        "sqlite_sequence (made by AUTOINCREMENT) is SQLite's own"
    );

    let users = &live.tables["users"];
    assert_eq!(
        users.primary_key,
        PrimaryKey {
            name: "pk_users".into(),
            columns: vec!["id".into()]
        }
    );
    let id = users.column("id").expect("users.id");
    assert_eq!(id.identity, Some(Identity::ByDefault));
    assert_eq!(id.ty, ColumnType::BigInt);
    assert!(!id.nullable);
    assert_eq!(
        users.column("email").expect("email").ty,
        ColumnType::Varchar { length: 320 }
    );

    let tasks = &live.tables["tasks"];
    let names: Vec<&str> = tasks.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "title", "state", "user_id", "done"]);
    let column = |name: &str| tasks.column(name).expect("column");
    assert_eq!(column("id").ty, ColumnType::BigInt);
    assert_eq!(column("id").identity, None);
    assert!(!column("id").nullable);
    assert_eq!(column("title").ty, ColumnType::Varchar { length: 200 });
    assert!(!column("title").nullable);
    assert_eq!(
        column("title").default,
        Some(ColumnDefault::Sql("'untitled'".into()))
    );
    assert_eq!(column("state").ty, ColumnType::Text);
    assert_eq!(
        column("state").default,
        Some(ColumnDefault::Sql("'open'".into()))
    );
    assert_eq!(column("user_id").ty, ColumnType::BigInt);
    assert!(column("user_id").nullable);
    assert_eq!(column("user_id").default, None);
    assert_eq!(column("done").ty, ColumnType::Boolean);
    assert_eq!(column("done").default, Some(ColumnDefault::Sql("0".into())));
    assert!(tasks.columns.iter().all(|c| c.comment.is_none()));

    assert_eq!(
        tasks.primary_key,
        PrimaryKey {
            name: "pk_tasks".into(),
            columns: vec!["id".into()]
        }
    );
    assert_eq!(
        tasks.uniques,
        [Unique {
            name: "uq_tasks_title".into(),
            columns: vec!["title".into()]
        }]
    );
    assert_eq!(
        tasks.checks,
        [
            Check {
                name: "ck_tasks_state_values".into(),
                expr: "\"state\" IN ('open', 'done')".into()
            },
            Check {
                name: "ck_tasks_title_not_blank".into(),
                expr: "length(title) > 0".into()
            },
        ]
    );
    assert_eq!(
        tasks.foreign_keys,
        [ForeignKey {
            name: "fk_tasks_user_id_users".into(),
            columns: vec!["user_id".into()],
            ref_table: "users".into(),
            ref_columns: vec!["id".into()],
            on_delete: ReferentialAction::Cascade,
            on_update: ReferentialAction::NoAction,
            deferrable: Deferrable::InitiallyDeferred,
        }]
    );
    assert_eq!(
        tasks.indexes,
        [
            Index {
                name: "ix_tasks_lower_title".into(),
                keys: vec![IndexKey {
                    target: IndexTarget::Expression("lower(title)".into()),
                    opclass: None,
                    order: None,
                    nulls: None,
                }],
                unique: true,
                method: None,
                predicate: Some("done = 0".into()),
            },
            Index {
                name: "ix_tasks_user_id".into(),
                keys: vec![IndexKey::column("user_id")],
                unique: false,
                method: None,
                predicate: None,
            },
        ]
    );
    assert!(tasks.extensions.is_empty());
    assert!(tasks.comment.is_none());
}

#[tokio::test]
async fn tables_as_the_renderer_writes_them_match_their_models() {
    let live = introspected(TASKS_DDL).await;
    let models = schema(
        vec![models::User::table_def(), models::Task::table_def()],
        vec![],
    );
    assert_eq!(drift(&live, &models), Vec::<String>::new());

    // And a difference is still one.
    let changed = schema(
        vec![models::User::table_def(), models::TaskChanged::table_def()],
        vec![],
    );
    let found = drift(&live, &changed);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().any(|s| s.contains("title")), "{found:#?}");
    assert!(found.iter().any(|s| s.contains("state")), "{found:#?}");
}

#[tokio::test]
async fn hand_written_tables_with_lowercase_keywords_and_unnamed_constraints() {
    let live = introspected(
        "create table teams (id integer primary key, name text not null);
         create table people (id integer not null primary key autoincrement);
         create table memberships (
             team_id integer not null references teams(id) on delete cascade,
             person_id integer references people on delete set null on update cascade deferrable initially immediate,
             role text not null default 'member' check (role <> ''),
             joined_at datetime default current_timestamp,
             score real default (1.5),
             primary key (team_id, person_id),
             unique (person_id, role)
         );
         create index ix_memberships_joined on memberships (joined_at desc, role);
         create table tags (a text, b integer, primary key (a, b)) without rowid;",
    )
    .await;
    assert_eq!(
        live.tables.keys().collect::<Vec<_>>(),
        ["memberships", "people", "tags", "teams"]
    );
    // A table without rowid keeps NULL out of every key column.
    let tags = &live.tables["tags"];
    assert_eq!(tags.primary_key.columns, ["a", "b"]);
    assert!(tags.columns.iter().all(|c| !c.nullable));

    // `integer primary key` is the rowid: never NULL; without AUTOINCREMENT, no identity.
    let teams = &live.tables["teams"];
    assert_eq!(teams.primary_key.name, naming::primary_key("teams"));
    assert_eq!(teams.primary_key.columns, ["id"]);
    assert!(!teams.column("id").expect("id").nullable);
    assert_eq!(teams.column("id").expect("id").identity, None);
    assert_eq!(
        live.tables["people"].column("id").expect("id").identity,
        Some(Identity::ByDefault)
    );

    let m = &live.tables["memberships"];
    assert_eq!(
        m.primary_key,
        PrimaryKey {
            name: "pk_memberships".into(),
            columns: vec!["team_id".into(), "person_id".into()]
        }
    );
    // Only a rowid key is NOT NULL without saying so.
    assert!(!m.column("team_id").expect("team_id").nullable);
    assert!(m.column("person_id").expect("person_id").nullable);
    assert_eq!(
        m.column("role").expect("role").default,
        Some(ColumnDefault::Sql("'member'".into()))
    );
    assert_eq!(
        m.column("joined_at").expect("joined_at").ty,
        ColumnType::Timestamp
    );
    assert_eq!(
        m.column("joined_at").expect("joined_at").default,
        Some(ColumnDefault::Sql("current_timestamp".into()))
    );
    assert_eq!(m.column("score").expect("score").ty, ColumnType::Double);
    assert_eq!(
        m.column("score").expect("score").default,
        Some(ColumnDefault::Sql("1.5".into()))
    );
    assert_eq!(
        m.uniques,
        [Unique {
            name: "uq_memberships_person_id_role".into(),
            columns: vec!["person_id".into(), "role".into()]
        }]
    );
    assert_eq!(
        m.checks,
        [Check {
            name: naming::check("memberships", "role <> ''"),
            expr: "role <> ''".into()
        }]
    );
    assert_eq!(
        m.foreign_keys,
        [
            ForeignKey {
                name: "fk_memberships_person_id_people".into(),
                columns: vec!["person_id".into()],
                ref_table: "people".into(),
                // No columns named: the referenced table's primary key.
                ref_columns: vec!["id".into()],
                on_delete: ReferentialAction::SetNull,
                on_update: ReferentialAction::Cascade,
                deferrable: Deferrable::InitiallyImmediate,
            },
            ForeignKey {
                name: "fk_memberships_team_id_teams".into(),
                columns: vec!["team_id".into()],
                ref_table: "teams".into(),
                ref_columns: vec!["id".into()],
                on_delete: ReferentialAction::Cascade,
                on_update: ReferentialAction::NoAction,
                deferrable: Deferrable::No,
            },
        ]
    );
    assert_eq!(
        m.indexes,
        [Index {
            name: "ix_memberships_joined".into(),
            keys: vec![
                IndexKey {
                    target: IndexTarget::Column("joined_at".into()),
                    opclass: None,
                    order: Some(SortOrder::Desc),
                    nulls: None,
                },
                IndexKey::column("role"),
            ],
            unique: false,
            method: None,
            predicate: None,
        }]
    );
}

#[tokio::test]
async fn quoted_and_unquoted_identifiers() {
    let live = introspected(
        r#"CREATE TABLE "Order Items" (
               "Item Id" INTEGER NOT NULL,
               [qty] int NOT NULL DEFAULT -1,
               `Price` Real,
               note varchar ( 20 ),
               CONSTRAINT "PK Items" PRIMARY KEY ("Item Id"),
               CONSTRAINT [ck qty] CHECK ([qty] <> 0)
           );
           CREATE INDEX "ix ""q""" ON "Order Items" ("qty" DESC, `Price`);
           CREATE INDEX Ix_Plain ON "Order Items" ((qty + 1), note COLLATE NOCASE)
               WHERE "Price"   IS NOT NULL;"#,
    )
    .await;
    let t = &live.tables["Order Items"];
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Item Id", "qty", "Price", "note"]);
    assert_eq!(t.primary_key.name, "PK Items");
    assert_eq!(t.primary_key.columns, ["Item Id"]);
    assert_eq!(
        t.column("qty").expect("qty").ty,
        ColumnType::Custom { sql: "INT".into() }
    );
    assert_eq!(
        t.column("qty").expect("qty").default,
        Some(ColumnDefault::Sql("-1".into()))
    );
    assert_eq!(t.column("Price").expect("Price").ty, ColumnType::Double);
    assert_eq!(
        t.column("note").expect("note").ty,
        ColumnType::Varchar { length: 20 }
    );
    assert_eq!(
        t.checks,
        [Check {
            name: "ck qty".into(),
            expr: "[qty] <> 0".into()
        }]
    );
    assert_eq!(
        t.indexes,
        [
            Index {
                name: "Ix_Plain".into(),
                keys: vec![
                    IndexKey {
                        target: IndexTarget::Expression("qty + 1".into()),
                        opclass: None,
                        order: None,
                        nulls: None,
                    },
                    IndexKey::column("note"),
                ],
                unique: false,
                method: None,
                predicate: Some("\"Price\"   IS NOT NULL".into()),
            },
            Index {
                name: "ix \"q\"".into(),
                keys: vec![
                    IndexKey {
                        target: IndexTarget::Column("qty".into()),
                        opclass: None,
                        order: Some(SortOrder::Desc),
                        nulls: None,
                    },
                    IndexKey::column("Price"),
                ],
                unique: false,
                method: None,
                predicate: None,
            },
        ]
    );
}

#[tokio::test]
async fn bookkeeping_tables_views_and_automatic_indexes_are_skipped() {
    let live = introspected(
        "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL);
         CREATE TABLE _migrate_gen_lock (id INTEGER PRIMARY KEY);
         CREATE TABLE kept (id INTEGER NOT NULL CONSTRAINT pk_kept PRIMARY KEY AUTOINCREMENT, code TEXT UNIQUE);
         CREATE VIEW kept_codes AS SELECT code FROM kept;",
    )
    .await;
    assert_eq!(live.tables.keys().collect::<Vec<_>>(), ["kept"]);
    let kept = &live.tables["kept"];
    // The UNIQUE constraint is one; its automatic index is not an index of the models.
    assert!(kept.indexes.is_empty());
    assert_eq!(
        kept.uniques,
        [Unique {
            name: "uq_kept_code".into(),
            columns: vec!["code".into()]
        }]
    );
}

#[tokio::test]
async fn database_introspect_reads_a_sqlite_file() {
    let db = TestDb::sqlite().await;
    let pool = db.sqlite_pool().await;
    pool.execute(TASKS_DDL).await.expect("the DDL runs");
    pool.close().await;
    let mut database = model_core::runner::Database::connect(&db.url)
        .await
        .expect("connects");
    let live = database.introspect().await.expect("introspection");
    assert_eq!(live.tables.keys().collect::<Vec<_>>(), ["tasks", "users"]);
    assert_eq!(live.tables["tasks"].indexes.len(), 2);
}
