//! MySQL/MariaDB migrations rendered, planned and run on the real server.
//!
//! Each case generates two migrations into a MySQL migration directory (A from nothing, then A
//! to B, as `generate` writes them), snapshots the second one's up and down SQL, and runs them
//! statement by statement on a fresh database: A, rows that must survive, the up, then the
//! down. The shape of the database is read from `information_schema` and compared: after the
//! up with B created from nothing, after the down with A as the first migration left it.
//!
//! Then what MySQL/MariaDB cannot express: each is a generation error naming the table (and
//! the column).

#![allow(dead_code)]

use model_core::dialect::Dialect;
use model_core::diff::DiffOptions;
use model_core::generate::{new_migrations, GenerateError, Request};
use model_core::migration::MigrationDir;
use model_core::schema::{
    Deferrable, Index, IndexKey, IndexMethod, IndexTarget, NullsOrder, ReferentialAction, Schema,
    Table as TableDef,
};
use model_core::{DbEnum, Table};
use sqlx::{Executor, MySqlPool, Row};
use tests::scenario::schema;
use tests::TestDb;

// ---------------------------------------------------------------------------------------------
// Harness.

fn request(message: &str, second: u32, allow_destructive: bool) -> Request {
    use chrono::TimeZone;
    Request {
        online: false,
        message: message.into(),
        allow_destructive,
        empty: false,
        now: chrono::Utc
            .with_ymd_and_hms(2026, 12, 1, 12, 0, second)
            .unwrap(),
    }
}

/// The statements of a migration file, in order: comment lines skipped, a statement ends with
/// the line that ends with `;`.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in sql.lines() {
        if current.is_empty() && (line.trim().is_empty() || line.trim_start().starts_with("--")) {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if line.trim_end().ends_with(';') {
            out.push(std::mem::take(&mut current));
        }
    }
    assert!(
        current.trim().is_empty(),
        "unterminated statement: {current}"
    );
    out
}

/// Runs every statement of a migration, one by one (as the runner does with a
/// `-- no-transaction` migration).
async fn run(pool: &MySqlPool, sql: &str, what: &str) {
    for statement in statements(sql) {
        pool.execute(statement.as_str())
            .await
            .unwrap_or_else(|e| panic!("{what}: {statement}\nfails: {e}"));
    }
}

/// Everything `information_schema` says about the tables of the database, in a stable order
/// (columns by name: `ADD COLUMN` appends).
async fn catalog(pool: &MySqlPool) -> String {
    let queries = [
        "SELECT CONCAT_WS(' | ', TABLE_NAME, TABLE_COMMENT) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
        "SELECT CONCAT_WS(' | ', TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, \
         COALESCE(COLUMN_DEFAULT, '<none>'), EXTRA, COLUMN_COMMENT) \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, COLUMN_NAME",
        "SELECT CONCAT_WS(' | ', TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, \
         COALESCE(COLLATION, '-')) FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        "SELECT CONCAT_WS(' | ', TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE) \
         FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE",
        "SELECT CONCAT_WS(' | ', TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE) \
         FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, CONSTRAINT_NAME",
        "SELECT CONCAT_WS(' | ', r.TABLE_NAME, r.CONSTRAINT_NAME, k.COLUMN_NAME, \
         r.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE) \
         FROM information_schema.REFERENTIAL_CONSTRAINTS r \
         JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA \
         AND k.TABLE_NAME = r.TABLE_NAME AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME \
         WHERE r.CONSTRAINT_SCHEMA = DATABASE() \
         ORDER BY r.TABLE_NAME, r.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    ];
    let mut out = String::new();
    for query in queries {
        for row in sqlx::query(query).fetch_all(pool).await.expect(query) {
            out.push_str(&row.get::<String, _>(0));
            out.push('\n');
        }
        out.push_str("--\n");
    }
    out
}

/// Strings of the first column of a query's rows.
async fn texts(pool: &MySqlPool, query: &str) -> Vec<String> {
    sqlx::query(query)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .iter()
        .map(|r| {
            r.try_get::<String, _>(0)
                .unwrap_or_else(|_| String::from_utf8(r.get::<Vec<u8>, _>(0)).expect("text"))
        })
        .collect()
}

/// The two generated migrations of a case.
struct Case {
    name: &'static str,
    /// The first migration's up (A from nothing).
    create: String,
    /// The second migration (A to B).
    up: String,
    down: String,
    new: Schema,
}

impl Case {
    /// Generates A from nothing and A to B into a MySQL directory, and snapshots A to B.
    fn generate(name: &'static str, old: &Schema, new: &Schema, allow_destructive: bool) -> Case {
        let tmp = tempfile::tempdir().unwrap();
        let mut dir = MigrationDir::open(tmp.path().join("migrations"), Dialect::Mysql).unwrap();
        let first = new_migrations(&dir, old, &request("create", 1, false)).unwrap();
        assert_eq!(first.len(), 1, "A from nothing is one migration");
        let create = first[0].up.clone();
        dir.write_all(first).unwrap();
        let second =
            new_migrations(&dir, new, &request(name, 2, allow_destructive)).expect("A to B plans");
        assert_eq!(second.len(), 1, "A to B is one migration");
        let (up, down) = (second[0].up.clone(), second[0].down.clone());
        // Every MySQL DDL statement commits on its own.
        assert!(up.starts_with("-- no-transaction\n"), "{up}");
        assert!(down.starts_with("-- no-transaction\n"), "{down}");
        dir.write_all(second).unwrap();
        // Generating again gives nothing.
        assert!(
            new_migrations(&dir, new, &request(name, 3, allow_destructive))
                .unwrap()
                .is_empty()
        );
        insta::assert_snapshot!(name, format!("{up}\n==== down ====\n{down}"));
        Case {
            name,
            create,
            up,
            down,
            new: new.clone(),
        }
    }

    /// A fresh database holding A.
    async fn start(&self) -> Live {
        let db = TestDb::mysql().await;
        let pool = db.mysql_pool().await;
        run(&pool, &self.create, "A from nothing").await;
        let a = catalog(&pool).await;
        Live {
            _db: db,
            pool,
            a,
            name: self.name,
        }
    }

    /// The catalog of B created from nothing on a fresh database.
    async fn b_from_nothing(&self) -> String {
        let tmp = tempfile::tempdir().unwrap();
        let dir = MigrationDir::open(tmp.path().join("migrations"), Dialect::Mysql).unwrap();
        let first = new_migrations(&dir, &self.new, &request("create", 1, false)).unwrap();
        let db = TestDb::mysql().await;
        let pool = db.mysql_pool().await;
        run(&pool, &first[0].up, "B from nothing").await;
        let out = catalog(&pool).await;
        pool.close().await;
        out
    }

    /// Runs A, `seed`, the up (the database must then look like B created from nothing),
    /// and returns the live database for checks.
    async fn up(&self, seed: &str) -> Live {
        let live = self.start().await;
        if !seed.is_empty() {
            live.pool
                .execute(seed)
                .await
                .unwrap_or_else(|e| panic!("seed: {e}"));
        }
        run(&live.pool, &self.up, "up").await;
        let b = self.b_from_nothing().await;
        assert_eq!(
            catalog(&live.pool).await,
            b,
            "{}: after the up the database differs from B created from nothing",
            self.name
        );
        live
    }

    /// Runs the down: the database must then look as A did.
    async fn down(&self, live: &Live) {
        run(&live.pool, &self.down, "down").await;
        assert_eq!(
            catalog(&live.pool).await,
            live.a,
            "{}: after the down the database differs from A",
            self.name
        );
    }
}

/// A database the case runs on, with the catalog of A.
struct Live {
    _db: TestDb,
    pool: MySqlPool,
    a: String,
    name: &'static str,
}

impl Live {
    async fn texts(&self, query: &str) -> Vec<String> {
        texts(&self.pool, query).await
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Tables created in foreign-key order, with a cycle closed by a later ALTER TABLE.

mod create_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "notes")]
    pub struct Note {
        #[column(primary_key)]
        pub id: i64,
    }
}

mod create_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "notes")]
    pub struct Note {
        #[column(primary_key)]
        pub id: i64,
    }

    #[derive(Table)]
    #[table(name = "users", comment = "People")]
    pub struct User {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 200, unique)]
        pub email: String,
        #[column(references = Team, on_delete = "set null")]
        pub team_id: Option<i64>,
    }

    #[derive(Table)]
    #[table(name = "teams")]
    pub struct Team {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = User, index)]
        pub owner_id: Option<i64>,
    }

    #[derive(Table)]
    #[table(name = "tasks")]
    #[table(check(name = "ck_tasks_title_not_blank", expr = "length(title) > 0"))]
    pub struct Task {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = User, on_delete = "cascade", index)]
        pub user_id: i64,
        #[column(max_length = 100)]
        pub title: String,
        #[column(default = false)]
        pub done: bool,
        #[column(comment = "Free text")]
        pub body: Option<String>,
    }
}

#[tokio::test]
async fn create_tables_with_foreign_keys_and_a_cycle() {
    let old = schema(vec![create_v1::Note::table_def()], vec![]);
    let new = schema(
        vec![
            create_v2::Note::table_def(),
            create_v2::User::table_def(),
            create_v2::Team::table_def(),
            create_v2::Task::table_def(),
        ],
        vec![],
    );
    let case = Case::generate(
        "create_tables_with_foreign_keys_and_a_cycle",
        &old,
        &new,
        false,
    );
    // The cycle is closed once the tables exist.
    let at = |text: &str| case.up.find(text).unwrap_or_else(|| panic!("{text}"));
    assert!(
        at("CREATE TABLE users") < at("ADD CONSTRAINT fk_teams_owner_id_users"),
        "{}",
        case.up
    );
    let live = case.up("").await;
    live.pool
        .execute(
            "INSERT INTO teams (id) VALUES (1); \
             INSERT INTO users (id, email, team_id) VALUES (1, 'a@b.c', 1); \
             UPDATE teams SET owner_id = 1; \
             INSERT INTO tasks (user_id, title) VALUES (1, 'first')",
        )
        .await
        .unwrap();
    // The identity numbers rows, defaults apply, the cascade acts, the check holds.
    assert_eq!(
        live.texts("SELECT CONCAT(id, ':', done) FROM tasks").await,
        ["1:0"]
    );
    assert!(live
        .pool
        .execute("INSERT INTO tasks (user_id, title) VALUES (1, '')")
        .await
        .is_err());
    live.pool
        .execute("UPDATE teams SET owner_id = NULL; DELETE FROM users")
        .await
        .unwrap();
    assert!(live.texts("SELECT title FROM tasks").await.is_empty());
    case.down(&live).await;
}

// ---------------------------------------------------------------------------------------------
// 2. Columns added, dropped and renamed.

mod columns_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[column(primary_key)]
        pub id: i64,
        pub name: String,
        pub legacy: Option<i32>,
    }
}

mod columns_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "items")]
    pub struct Item {
        #[column(primary_key)]
        pub id: i64,
        #[column(renamed_from = "name", comment = "What it is called")]
        pub title: String,
        pub notes: Option<String>,
        #[column(default = 3)]
        pub stock: i32,
    }
}

#[tokio::test]
async fn columns_added_dropped_and_renamed() {
    let old = schema(vec![columns_v1::Item::table_def()], vec![]);
    let new = schema(vec![columns_v2::Item::table_def()], vec![]);
    let case = Case::generate("columns_added_dropped_and_renamed", &old, &new, true);
    let live = case
        .up("INSERT INTO items (id, name, legacy) VALUES (1, 'bolt', 7), (2, 'nut', NULL)")
        .await;
    assert_eq!(
        live.texts("SELECT CONCAT(title, ':', stock) FROM items ORDER BY id")
            .await,
        ["bolt:3", "nut:3"]
    );
    case.down(&live).await;
    assert_eq!(
        live.texts("SELECT name FROM items ORDER BY id").await,
        ["bolt", "nut"]
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Types changed, rows kept.

mod types_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "counters")]
    pub struct Counter {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = 1)]
        pub hits: i32,
        #[column(max_length = 20, comment = "Short code")]
        pub code: String,
        pub ratio: Option<f32>,
    }
}

mod types_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "counters")]
    pub struct Counter {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = 1)]
        pub hits: i64,
        #[column(max_length = 200, comment = "Short code")]
        pub code: String,
        pub ratio: Option<f64>,
    }
}

#[tokio::test]
async fn types_changed_keep_the_rows() {
    let old = schema(vec![types_v1::Counter::table_def()], vec![]);
    let new = schema(vec![types_v2::Counter::table_def()], vec![]);
    let case = Case::generate("types_changed_keep_the_rows", &old, &new, false);
    let live = case
        .up("INSERT INTO counters (id, hits, code, ratio) VALUES (1, 2147483647, 'abc', 0.5)")
        .await;
    live.pool
        .execute("INSERT INTO counters (id, hits, code) VALUES (2, 9000000000, 'x')")
        .await
        .unwrap();
    assert_eq!(
        live.texts(
            "SELECT CONCAT(hits, ':', code, ':', COALESCE(ratio, '-')) FROM counters ORDER BY id"
        )
        .await,
        ["2147483647:abc:0.5", "9000000000:x:-"]
    );
    live.pool
        .execute("DELETE FROM counters WHERE id = 2")
        .await
        .unwrap();
    case.down(&live).await;
    assert_eq!(
        live.texts("SELECT CONCAT(hits, ':', code) FROM counters")
            .await,
        ["2147483647:abc"]
    );
}

// ---------------------------------------------------------------------------------------------
// 4. NOT NULL with a declared backfill: a new column and an existing one.

mod not_null_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "posts")]
    pub struct Post {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 50)]
        pub author: Option<String>,
    }
}

mod not_null_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "posts")]
    pub struct Post {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 50, backfill_sql = "'anonymous'")]
        pub author: String,
        #[column(max_length = 20, backfill_sql = "'imported'")]
        pub source: String,
    }
}

#[tokio::test]
async fn not_null_with_a_backfill() {
    let old = schema(vec![not_null_v1::Post::table_def()], vec![]);
    let new = schema(vec![not_null_v2::Post::table_def()], vec![]);
    let case = Case::generate("not_null_with_a_backfill", &old, &new, false);
    let live = case
        .up("INSERT INTO posts (id, author) VALUES (1, 'ann'), (2, NULL)")
        .await;
    assert_eq!(
        live.texts("SELECT CONCAT(author, ':', source) FROM posts ORDER BY id")
            .await,
        ["ann:imported", "anonymous:imported"]
    );
    assert!(live
        .pool
        .execute("INSERT INTO posts (id, author, source) VALUES (3, NULL, 'x')")
        .await
        .is_err());
    case.down(&live).await;
    live.pool
        .execute("INSERT INTO posts (id, author) VALUES (3, NULL)")
        .await
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// 5. Defaults added, changed and dropped (text and JSON defaults are expressions).

mod defaults_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "settings")]
    pub struct Setting {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = false)]
        pub enabled: bool,
        pub label: String,
        #[column(default = 10)]
        pub size: i32,
        pub extra: Option<serde_json::Value>,
    }
}

mod defaults_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "settings")]
    pub struct Setting {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = true)]
        pub enabled: bool,
        #[column(default = "it's new")]
        pub label: String,
        pub size: i32,
        #[column(default_sql = "'{}'")]
        pub extra: Option<serde_json::Value>,
    }
}

#[tokio::test]
async fn defaults_added_changed_and_dropped() {
    let old = schema(vec![defaults_v1::Setting::table_def()], vec![]);
    let new = schema(vec![defaults_v2::Setting::table_def()], vec![]);
    let case = Case::generate("defaults_added_changed_and_dropped", &old, &new, false);
    assert!(case.up.contains("SET DEFAULT ('it''s new')"), "{}", case.up);
    let live = case.up("").await;
    live.pool
        .execute("INSERT INTO settings (id, size) VALUES (1, 5)")
        .await
        .unwrap();
    assert_eq!(
        live.texts("SELECT CONCAT(enabled, ':', label, ':', extra) FROM settings")
            .await,
        ["1:it's new:{}"]
    );
    live.pool.execute("DELETE FROM settings").await.unwrap();
    case.down(&live).await;
    live.pool
        .execute("INSERT INTO settings (id, label) VALUES (1, 'x')")
        .await
        .unwrap();
    assert_eq!(
        live.texts("SELECT CONCAT(enabled, ':', size, ':', COALESCE(extra, '-')) FROM settings")
            .await,
        ["0:10:-"]
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Indexes, uniques and checks added, dropped and renamed.

mod objects_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "products")]
    #[table(index(name = "ix_products_sku_old", columns = ["sku"]))]
    #[table(index(name = "ix_products_price", columns = ["price"]))]
    #[table(unique(name = "uq_products_name", columns = ["name"]))]
    #[table(unique(name = "uq_products_code_old", columns = ["code"]))]
    #[table(check(name = "ck_products_price_old", expr = "price >= 0"))]
    #[table(check(name = "ck_products_gone", expr = "stock < 1000000"))]
    pub struct Product {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 40)]
        pub sku: String,
        #[column(max_length = 40)]
        pub name: String,
        #[column(max_length = 40)]
        pub code: String,
        pub price: i32,
        pub stock: i32,
    }
}

mod objects_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "products")]
    #[table(index(name = "ix_products_sku", columns = ["sku"]))]
    #[table(index(name = "ix_products_stock", columns = ["stock DESC", "price"]))]
    #[table(unique(name = "uq_products_code", columns = ["code"]))]
    #[table(unique(name = "uq_products_sku_name", columns = ["sku", "name"]))]
    #[table(check(name = "ck_products_price", expr = "price >= 0"))]
    #[table(check(name = "ck_products_stock", expr = "stock >= 0"))]
    pub struct Product {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 40)]
        pub sku: String,
        #[column(max_length = 40)]
        pub name: String,
        #[column(max_length = 40)]
        pub code: String,
        pub price: i32,
        pub stock: i32,
    }
}

#[tokio::test]
async fn indexes_uniques_and_checks_added_dropped_and_renamed() {
    let old = schema(vec![objects_v1::Product::table_def()], vec![]);
    let new = schema(vec![objects_v2::Product::table_def()], vec![]);
    let case = Case::generate(
        "indexes_uniques_and_checks_added_dropped_and_renamed",
        &old,
        &new,
        false,
    );
    assert!(
        case.up
            .contains("ALTER TABLE products RENAME INDEX ix_products_sku_old TO ix_products_sku;"),
        "{}",
        case.up
    );
    let live = case
        .up("INSERT INTO products VALUES (1, 's1', 'n1', 'c1', 5, 1), (2, 's2', 'n2', 'c2', 6, 2)")
        .await;
    // The new check and unique hold; the dropped unique no longer does.
    assert!(live
        .pool
        .execute("INSERT INTO products VALUES (3, 's3', 'n3', 'c3', 1, -1)")
        .await
        .is_err());
    assert!(live
        .pool
        .execute("INSERT INTO products VALUES (3, 's3', 'n3', 'c1', 1, 1)")
        .await
        .is_err());
    assert!(live
        .pool
        .execute("INSERT INTO products VALUES (3, 's1', 'n1', 'c3', 1, 1)")
        .await
        .is_err());
    assert_eq!(
        live.texts("SELECT sku FROM products ORDER BY id").await,
        ["s1", "s2"]
    );
    live.pool
        .execute("UPDATE products SET name = CONCAT('n', id)")
        .await
        .unwrap();
    case.down(&live).await;
    assert_eq!(
        live.texts("SELECT sku FROM products ORDER BY id").await,
        ["s1", "s2"]
    );
}

// ---------------------------------------------------------------------------------------------
// 7. The primary key changes.

mod pk_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "memberships")]
    pub struct Membership {
        #[column(primary_key)]
        pub user_id: i32,
        pub team_id: i32,
    }
}

mod pk_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "memberships")]
    pub struct Membership {
        #[column(primary_key)]
        pub user_id: i32,
        #[column(primary_key)]
        pub team_id: i32,
    }
}

#[tokio::test]
async fn primary_key_changed() {
    let old = schema(vec![pk_v1::Membership::table_def()], vec![]);
    let new = schema(vec![pk_v2::Membership::table_def()], vec![]);
    let case = Case::generate("primary_key_changed", &old, &new, false);
    let live = case
        .up("INSERT INTO memberships VALUES (1, 1), (2, 1)")
        .await;
    live.pool
        .execute("INSERT INTO memberships VALUES (1, 2)")
        .await
        .unwrap();
    assert!(live
        .pool
        .execute("INSERT INTO memberships VALUES (1, 2)")
        .await
        .is_err());
    live.pool
        .execute("DELETE FROM memberships WHERE team_id = 2")
        .await
        .unwrap();
    case.down(&live).await;
    assert!(live
        .pool
        .execute("INSERT INTO memberships VALUES (1, 3)")
        .await
        .is_err());
}

// ---------------------------------------------------------------------------------------------
// 8. Foreign keys added (without an index: InnoDB's own is made explicit), dropped, and given
//    another ON DELETE.

mod fk_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "owners")]
    pub struct Owner {
        #[column(primary_key)]
        pub id: i64,
    }

    #[derive(Table)]
    #[table(name = "cars")]
    pub struct Car {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Owner, index)]
        pub owner_id: i64,
        pub driver_id: Option<i64>,
        #[column(references = Owner)]
        pub seller_id: Option<i64>,
    }
}

mod fk_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "owners")]
    pub struct Owner {
        #[column(primary_key)]
        pub id: i64,
    }

    #[derive(Table)]
    #[table(name = "cars")]
    pub struct Car {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Owner, on_delete = "cascade", index)]
        pub owner_id: i64,
        #[column(references = Owner, on_delete = "set null")]
        pub driver_id: Option<i64>,
        pub seller_id: Option<i64>,
    }
}

#[tokio::test]
async fn foreign_keys_added_dropped_and_changed() {
    let old = schema(
        vec![fk_v1::Owner::table_def(), fk_v1::Car::table_def()],
        vec![],
    );
    let new = schema(
        vec![fk_v2::Owner::table_def(), fk_v2::Car::table_def()],
        vec![],
    );
    let case = Case::generate("foreign_keys_added_dropped_and_changed", &old, &new, false);
    let live = case
        .up("INSERT INTO owners VALUES (1), (2); INSERT INTO cars VALUES (1, 1, 2, 2), (2, 2, NULL, NULL)")
        .await;
    live.pool
        .execute("DELETE FROM owners WHERE id = 2")
        .await
        .unwrap();
    assert_eq!(
        live.texts("SELECT CONCAT(id, ':', COALESCE(driver_id, '-'), ':', COALESCE(seller_id, '-')) FROM cars")
            .await,
        ["1:-:2"]
    );
    live.pool
        .execute("UPDATE cars SET seller_id = NULL")
        .await
        .unwrap();
    case.down(&live).await;
    assert!(live
        .pool
        .execute("DELETE FROM owners WHERE id = 1")
        .await
        .is_err());
}

// ---------------------------------------------------------------------------------------------
// 9-12. Enum values added, renamed (rows follow), removed, reordered.

mod enum_v1 {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Priority {
        High,
        Low,
    }

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "stage", rename_all = "lowercase")]
    pub enum Stage {
        Draft,
        Review,
        Live,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Priority::Low, comment = "How urgent")]
        pub priority: Priority,
        pub fallback: Option<Priority>,
        #[column(default = Stage::Review)]
        pub stage: Stage,
    }
}

mod enum_added {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Priority {
        High,
        Medium,
        Low,
    }

    pub use super::enum_v1::Stage;

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Priority::Medium, comment = "How urgent")]
        pub priority: Priority,
        pub fallback: Option<Priority>,
        #[column(default = Stage::Review)]
        pub stage: Stage,
    }
}

mod enum_renamed {
    use super::*;

    pub use super::enum_v1::Priority;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "stage", rename_all = "lowercase")]
    pub enum Stage {
        Draft,
        #[db_enum(rename = "in_review", renamed_from = "review")]
        InReview,
        Live,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Priority::Low, comment = "How urgent")]
        pub priority: Priority,
        pub fallback: Option<Priority>,
        #[column(default = Stage::InReview)]
        pub stage: Stage,
    }
}

mod enum_removed {
    use super::*;

    pub use super::enum_v1::Priority;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "stage", rename_all = "lowercase")]
    pub enum Stage {
        Draft,
        Review,
    }

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Priority::Low, comment = "How urgent")]
        pub priority: Priority,
        pub fallback: Option<Priority>,
        #[column(default = Stage::Review)]
        pub stage: Stage,
    }
}

mod enum_reordered {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "priority", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Priority {
        Low,
        High,
    }

    pub use super::enum_v1::Stage;

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Priority::Low, comment = "How urgent")]
        pub priority: Priority,
        pub fallback: Option<Priority>,
        #[column(default = Stage::Review)]
        pub stage: Stage,
    }
}

fn jobs_v1() -> Schema {
    schema(
        vec![enum_v1::Job::table_def()],
        vec![enum_v1::Priority::enum_def(), enum_v1::Stage::enum_def()],
    )
}

const JOBS: &str = "INSERT INTO jobs (id, priority, fallback, stage) VALUES \
                    (1, 'HIGH', 'LOW', 'review'), (2, 'LOW', NULL, 'draft'), (3, 'LOW', 'HIGH', 'live')";

async fn jobs(live: &Live) -> Vec<String> {
    live.texts(
        "SELECT CONCAT(id, ':', priority, ':', COALESCE(fallback, '-'), ':', stage) FROM jobs ORDER BY id",
    )
    .await
}

#[tokio::test]
async fn enum_value_added() {
    let new = schema(
        vec![enum_added::Job::table_def()],
        vec![
            enum_added::Priority::enum_def(),
            enum_added::Stage::enum_def(),
        ],
    );
    let case = Case::generate("enum_value_added", &jobs_v1(), &new, false);
    let live = case.up(JOBS).await;
    live.pool
        .execute("INSERT INTO jobs (id, fallback) VALUES (4, 'MEDIUM')")
        .await
        .unwrap();
    assert_eq!(
        jobs(&live).await,
        [
            "1:HIGH:LOW:review",
            "2:LOW:-:draft",
            "3:LOW:HIGH:live",
            "4:MEDIUM:MEDIUM:review"
        ]
    );
    live.pool
        .execute("DELETE FROM jobs WHERE id = 4")
        .await
        .unwrap();
    case.down(&live).await;
    assert_eq!(
        jobs(&live).await,
        ["1:HIGH:LOW:review", "2:LOW:-:draft", "3:LOW:HIGH:live"]
    );
}

#[tokio::test]
async fn enum_value_renamed_with_rows() {
    let new = schema(
        vec![enum_renamed::Job::table_def()],
        vec![
            enum_renamed::Priority::enum_def(),
            enum_renamed::Stage::enum_def(),
        ],
    );
    let case = Case::generate("enum_value_renamed_with_rows", &jobs_v1(), &new, false);
    let live = case.up(JOBS).await;
    assert_eq!(
        jobs(&live).await,
        ["1:HIGH:LOW:in_review", "2:LOW:-:draft", "3:LOW:HIGH:live"]
    );
    case.down(&live).await;
    assert_eq!(
        jobs(&live).await,
        ["1:HIGH:LOW:review", "2:LOW:-:draft", "3:LOW:HIGH:live"]
    );
}

#[tokio::test]
async fn enum_value_removed() {
    let new = schema(
        vec![enum_removed::Job::table_def()],
        vec![
            enum_removed::Priority::enum_def(),
            enum_removed::Stage::enum_def(),
        ],
    );
    let case = Case::generate("enum_value_removed", &jobs_v1(), &new, true);
    // A row holding the removed value stops the up.
    {
        let live = case.start().await;
        live.pool.execute(JOBS).await.unwrap();
        let mut failed = false;
        for statement in statements(&case.up) {
            if live.pool.execute(statement.as_str()).await.is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed, "the up must fail on a row holding `live`");
        assert_eq!(
            jobs(&live).await,
            ["1:HIGH:LOW:review", "2:LOW:-:draft", "3:LOW:HIGH:live"]
        );
    }
    let live = case
        .up("INSERT INTO jobs (id, priority, stage) VALUES (1, 'HIGH', 'review'), (2, 'LOW', 'draft')")
        .await;
    assert_eq!(jobs(&live).await, ["1:HIGH:-:review", "2:LOW:-:draft"]);
    case.down(&live).await;
    live.pool
        .execute("INSERT INTO jobs (id, stage) VALUES (3, 'live')")
        .await
        .unwrap();
}

#[tokio::test]
async fn enum_values_reordered() {
    let new = schema(
        vec![enum_reordered::Job::table_def()],
        vec![
            enum_reordered::Priority::enum_def(),
            enum_reordered::Stage::enum_def(),
        ],
    );
    let case = Case::generate("enum_values_reordered", &jobs_v1(), &new, false);
    let live = case.up(JOBS).await;
    assert_eq!(
        jobs(&live).await,
        ["1:HIGH:LOW:review", "2:LOW:-:draft", "3:LOW:HIGH:live"]
    );
    // ENUM values sort in declaration order.
    assert_eq!(
        live.texts("SELECT CAST(id AS CHAR) FROM jobs ORDER BY priority, id")
            .await,
        ["2", "3", "1"]
    );
    case.down(&live).await;
    assert_eq!(
        live.texts("SELECT CAST(id AS CHAR) FROM jobs ORDER BY priority, id")
            .await,
        ["1", "2", "3"]
    );
}

mod enum_renamed_table_renamed {
    use super::*;

    pub use super::enum_renamed::{Priority, Stage};

    #[derive(Table)]
    #[table(name = "work", renamed_from = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Priority::Low, comment = "How urgent")]
        pub priority: Priority,
        pub fallback: Option<Priority>,
        #[column(renamed_from = "stage", default = Stage::InReview)]
        pub phase: Stage,
    }
}

#[tokio::test]
async fn enum_value_renamed_in_a_renamed_table_and_column() {
    let new = schema(
        vec![enum_renamed_table_renamed::Job::table_def()],
        vec![
            enum_renamed_table_renamed::Priority::enum_def(),
            enum_renamed_table_renamed::Stage::enum_def(),
        ],
    );
    let case = Case::generate(
        "enum_value_renamed_in_a_renamed_table_and_column",
        &jobs_v1(),
        &new,
        false,
    );
    let live = case.up(JOBS).await;
    assert_eq!(
        live.texts("SELECT CONCAT(id, ':', phase) FROM work ORDER BY id")
            .await,
        ["1:in_review", "2:draft", "3:live"]
    );
    case.down(&live).await;
    assert_eq!(
        jobs(&live).await,
        ["1:HIGH:LOW:review", "2:LOW:-:draft", "3:LOW:HIGH:live"]
    );
}

mod enum_renamed_not_null {
    use super::*;

    pub use super::enum_renamed::{Priority, Stage};

    /// The column whose enum value is renamed also becomes nullable and gets a comment: the
    /// down restates it with the renamed values until the rename is undone last.
    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Priority::Low, comment = "How urgent")]
        pub priority: Priority,
        pub fallback: Option<Priority>,
        #[column(default = Stage::InReview, comment = "Where it stands")]
        pub stage: Option<Stage>,
    }
}

#[tokio::test]
async fn enum_value_renamed_while_its_column_changes() {
    let new = schema(
        vec![enum_renamed_not_null::Job::table_def()],
        vec![
            enum_renamed_not_null::Priority::enum_def(),
            enum_renamed_not_null::Stage::enum_def(),
        ],
    );
    let case = Case::generate(
        "enum_value_renamed_while_its_column_changes",
        &jobs_v1(),
        &new,
        false,
    );
    let live = case.up(JOBS).await;
    assert_eq!(
        jobs(&live).await,
        ["1:HIGH:LOW:in_review", "2:LOW:-:draft", "3:LOW:HIGH:live"]
    );
    case.down(&live).await;
    assert_eq!(
        jobs(&live).await,
        ["1:HIGH:LOW:review", "2:LOW:-:draft", "3:LOW:HIGH:live"]
    );
}

// ---------------------------------------------------------------------------------------------
// 13. An enum type renamed: MySQL has no enum types, so there is nothing to do.

mod enum_type_renamed {
    use super::*;

    #[derive(DbEnum, Clone, Copy)]
    #[db_enum(name = "urgency", rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Priority {
        High,
        Low,
    }

    pub use super::enum_v1::Stage;

    #[derive(Table)]
    #[table(name = "jobs")]
    pub struct Job {
        #[column(primary_key)]
        pub id: i64,
        #[column(default = Priority::Low, comment = "How urgent")]
        pub priority: Priority,
        pub fallback: Option<Priority>,
        #[column(default = Stage::Review)]
        pub stage: Stage,
    }
}

#[test]
fn enum_type_renamed_is_no_migration() {
    let new = schema(
        vec![enum_type_renamed::Job::table_def()],
        vec![
            enum_type_renamed::Priority::enum_def(),
            enum_type_renamed::Stage::enum_def(),
        ],
    );
    // The diff calls a change of a column's enum type narrowing (its rules compare types
    // without the enums' values), so this needs the flag, though MySQL changes nothing.
    let options = DiffOptions {
        allow_destructive: true,
        loose_expressions: false,
    };
    let plan = model_core::plan::plan(Dialect::Mysql, &jobs_v1(), &new, options).unwrap();
    assert!(plan.is_empty(), "{:?}", plan.operations());
}

// ---------------------------------------------------------------------------------------------
// 14. A table renamed (a foreign key follows it) while one of its columns changes.

mod rename_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "people")]
    pub struct Person {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 30)]
        pub nick: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "pets")]
    pub struct Pet {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Person, index)]
        pub person_id: i64,
    }
}

mod rename_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "members", renamed_from = "people", comment = "Club members")]
    pub struct Person {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 60, renamed_from = "nick")]
        pub nickname: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "pets")]
    pub struct Pet {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Person, index)]
        pub person_id: i64,
    }
}

#[tokio::test]
async fn table_renamed_with_a_column_change() {
    let old = schema(
        vec![rename_v1::Person::table_def(), rename_v1::Pet::table_def()],
        vec![],
    );
    let new = schema(
        vec![rename_v2::Person::table_def(), rename_v2::Pet::table_def()],
        vec![],
    );
    let case = Case::generate("table_renamed_with_a_column_change", &old, &new, false);
    assert!(
        case.up.contains("RENAME TABLE people TO members;"),
        "{}",
        case.up
    );
    let live = case
        .up("INSERT INTO people VALUES (1, 'ann'); INSERT INTO pets VALUES (1, 1)")
        .await;
    assert_eq!(live.texts("SELECT nickname FROM members").await, ["ann"]);
    case.down(&live).await;
    assert_eq!(live.texts("SELECT nick FROM people").await, ["ann"]);
}

mod rename_bare_v1 {
    use super::*;

    pub use super::rename_v1::Person;

    /// No index on the foreign key: InnoDB's own index is named after the foreign key.
    #[derive(Table)]
    #[table(name = "pets")]
    pub struct Pet {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Person)]
        pub person_id: i64,
    }
}

mod rename_bare_v2 {
    use super::*;

    pub use super::rename_v2::Person;

    #[derive(Table)]
    #[table(name = "pets")]
    pub struct Pet {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Person)]
        pub person_id: i64,
    }
}

#[tokio::test]
async fn table_renamed_under_an_unindexed_foreign_key() {
    let old = schema(
        vec![
            rename_bare_v1::Person::table_def(),
            rename_bare_v1::Pet::table_def(),
        ],
        vec![],
    );
    let new = schema(
        vec![
            rename_bare_v2::Person::table_def(),
            rename_bare_v2::Pet::table_def(),
        ],
        vec![],
    );
    let case = Case::generate(
        "table_renamed_under_an_unindexed_foreign_key",
        &old,
        &new,
        false,
    );
    assert!(
        case.up
            .contains("RENAME INDEX fk_pets_person_id_people TO fk_pets_person_id_members"),
        "{}",
        case.up
    );
    let live = case
        .up("INSERT INTO people VALUES (1, 'ann'); INSERT INTO pets VALUES (1, 1)")
        .await;
    case.down(&live).await;
}

// ---------------------------------------------------------------------------------------------
// 15. Comments set, changed and cleared.

mod comments_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "books", comment = "Books")]
    pub struct Book {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 100, comment = "The title")]
        pub title: String,
        #[column(default = 0)]
        pub pages: i32,
    }
}

mod comments_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "books")]
    pub struct Book {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 100, comment = "The book's title")]
        pub title: String,
        #[column(default = 0, comment = "Page count")]
        pub pages: i32,
    }
}

#[tokio::test]
async fn comments_set_changed_and_cleared() {
    let old = schema(vec![comments_v1::Book::table_def()], vec![]);
    let new = schema(vec![comments_v2::Book::table_def()], vec![]);
    let case = Case::generate("comments_set_changed_and_cleared", &old, &new, false);
    let live = case
        .up("INSERT INTO books (id, title) VALUES (1, 'Dune')")
        .await;
    assert_eq!(
        live.texts("SELECT CONCAT(title, ':', pages) FROM books")
            .await,
        ["Dune:0"]
    );
    case.down(&live).await;
}

// ---------------------------------------------------------------------------------------------
// 16. Tables dropped: referencing first, a cycle opened first; the down creates them again.

#[tokio::test]
async fn tables_dropped_with_a_cycle() {
    let old = schema(
        vec![
            create_v2::Note::table_def(),
            create_v2::User::table_def(),
            create_v2::Team::table_def(),
            create_v2::Task::table_def(),
        ],
        vec![],
    );
    let new = schema(vec![create_v1::Note::table_def()], vec![]);
    let case = Case::generate("tables_dropped_with_a_cycle", &old, &new, true);
    let live = case.up("").await;
    case.down(&live).await;
}

// ---------------------------------------------------------------------------------------------
// 17. One column changes type, becomes NOT NULL (NULLs backfilled) and gets a comment in one
//     migration: the type change restates it nullable until the backfill ran.

mod combined_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "scores")]
    pub struct Score {
        #[column(primary_key)]
        pub id: i64,
        pub points: Option<i32>,
    }
}

mod combined_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "scores")]
    pub struct Score {
        #[column(primary_key)]
        pub id: i64,
        #[column(backfill_sql = "0", comment = "Total points")]
        pub points: i64,
    }
}

#[tokio::test]
async fn type_nullability_and_comment_of_one_column() {
    let old = schema(vec![combined_v1::Score::table_def()], vec![]);
    let new = schema(vec![combined_v2::Score::table_def()], vec![]);
    let case = Case::generate(
        "type_nullability_and_comment_of_one_column",
        &old,
        &new,
        false,
    );
    let live = case.up("INSERT INTO scores VALUES (1, 7), (2, NULL)").await;
    assert_eq!(
        live.texts("SELECT CAST(points AS CHAR) FROM scores ORDER BY id")
            .await,
        ["7", "0"]
    );
    case.down(&live).await;
    assert_eq!(
        live.texts("SELECT CAST(points AS CHAR) FROM scores ORDER BY id")
            .await,
        ["7", "0"]
    );
}

// ---------------------------------------------------------------------------------------------
// 18. The only index covering a foreign key that stays is dropped: InnoDB needs one, so the
//     index it would make for the foreign key is made first (and dropped again by the down).

mod fk_index_v1 {
    use super::*;

    pub use super::fk_v1::Owner;

    #[derive(Table)]
    #[table(name = "bikes")]
    pub struct Bike {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Owner, index)]
        pub owner_id: i64,
    }
}

mod fk_index_v2 {
    use super::*;

    pub use super::fk_v1::Owner;

    #[derive(Table)]
    #[table(name = "bikes")]
    pub struct Bike {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Owner)]
        pub owner_id: i64,
    }
}

#[tokio::test]
async fn last_index_of_a_foreign_key_dropped() {
    let old = schema(
        vec![
            fk_index_v1::Owner::table_def(),
            fk_index_v1::Bike::table_def(),
        ],
        vec![],
    );
    let new = schema(
        vec![
            fk_index_v2::Owner::table_def(),
            fk_index_v2::Bike::table_def(),
        ],
        vec![],
    );
    let case = Case::generate("last_index_of_a_foreign_key_dropped", &old, &new, false);
    let live = case
        .up("INSERT INTO owners VALUES (1); INSERT INTO bikes VALUES (1, 1)")
        .await;
    assert!(live
        .pool
        .execute("INSERT INTO bikes VALUES (2, 5)")
        .await
        .is_err());
    case.down(&live).await;
}

#[tokio::test]
async fn index_added_under_a_foreign_key() {
    // The reverse: the foreign key's own index goes once the new index covers it.
    let old = schema(
        vec![
            fk_index_v2::Owner::table_def(),
            fk_index_v2::Bike::table_def(),
        ],
        vec![],
    );
    let new = schema(
        vec![
            fk_index_v1::Owner::table_def(),
            fk_index_v1::Bike::table_def(),
        ],
        vec![],
    );
    let case = Case::generate("index_added_under_a_foreign_key", &old, &new, false);
    assert!(
        case.create
            .contains("INDEX fk_bikes_owner_id_owners (owner_id),"),
        "{}",
        case.create
    );
    let live = case
        .up("INSERT INTO owners VALUES (1); INSERT INTO bikes VALUES (1, 1)")
        .await;
    case.down(&live).await;
}

// ---------------------------------------------------------------------------------------------
// 19. A primary key moves to an integer column, which becomes the identity: AUTO_INCREMENT
//     only after the key exists (and, in the down, removed before the key goes).

mod identity_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "tickets")]
    pub struct Ticket {
        #[column(primary_key)]
        #[column(max_length = 20)]
        pub code: String,
        pub number: i64,
    }
}

mod identity_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "tickets")]
    pub struct Ticket {
        #[column(max_length = 20)]
        pub code: String,
        #[column(primary_key)]
        pub number: i64,
    }
}

#[tokio::test]
async fn primary_key_moved_to_an_identity_column() {
    let old = schema(vec![identity_v1::Ticket::table_def()], vec![]);
    let new = schema(vec![identity_v2::Ticket::table_def()], vec![]);
    let case = Case::generate("primary_key_moved_to_an_identity_column", &old, &new, false);
    let live = case
        .up("INSERT INTO tickets VALUES ('a', 10), ('b', 20)")
        .await;
    // Numbering continues after the existing rows.
    live.pool
        .execute("INSERT INTO tickets (code) VALUES ('c')")
        .await
        .unwrap();
    assert_eq!(
        live.texts("SELECT CONCAT(code, ':', number) FROM tickets ORDER BY number")
            .await,
        ["a:10", "b:20", "c:21"]
    );
    case.down(&live).await;
    assert!(live
        .pool
        .execute("INSERT INTO tickets VALUES ('a', 30)")
        .await
        .is_err());
}

// ---------------------------------------------------------------------------------------------
// 21. A referenced key and the foreign key column referencing it are widened together: the
//     foreign key is dropped first and added again after both columns changed.

mod retype_v1 {
    use super::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key, identity = false)]
        pub id: i32,
    }

    #[derive(Table)]
    #[table(name = "books")]
    pub struct Book {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Author, on_delete = "cascade")]
        pub author_id: i32,
    }
}

mod retype_v2 {
    use super::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key, identity = false)]
        pub id: i64,
    }

    #[derive(Table)]
    #[table(name = "books")]
    pub struct Book {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Author, on_delete = "cascade")]
        pub author_id: i64,
    }
}

#[tokio::test]
async fn referenced_key_and_foreign_key_widened_together() {
    let old = schema(
        vec![retype_v1::Author::table_def(), retype_v1::Book::table_def()],
        vec![],
    );
    let new = schema(
        vec![retype_v2::Author::table_def(), retype_v2::Book::table_def()],
        vec![],
    );
    let case = Case::generate(
        "referenced_key_and_foreign_key_widened_together",
        &old,
        &new,
        false,
    );
    let live = case
        .up("INSERT INTO authors VALUES (1); INSERT INTO books VALUES (1, 1)")
        .await;
    live.pool
        .execute(
            "INSERT INTO authors VALUES (5000000000); INSERT INTO books VALUES (2, 5000000000)",
        )
        .await
        .unwrap();
    live.pool
        .execute("DELETE FROM authors WHERE id = 5000000000")
        .await
        .unwrap();
    assert_eq!(
        live.texts("SELECT CAST(id AS CHAR) FROM books").await,
        ["1"]
    );
    case.down(&live).await;
}

// ---------------------------------------------------------------------------------------------
// What MySQL/MariaDB cannot express: one error naming the table (and column), nothing written.

mod refused {
    use super::*;

    #[derive(Table)]
    #[table(name = "things")]
    pub struct Thing {
        #[column(primary_key)]
        pub id: i64,
        #[column(max_length = 50)]
        pub name: String,
        pub body: String,
        pub other_id: Option<i64>,
    }

    #[derive(Table)]
    #[table(name = "arrays")]
    pub struct Arrays {
        #[column(primary_key)]
        pub id: i64,
        pub numbers: Vec<i64>,
    }
}

fn things() -> TableDef {
    refused::Thing::table_def()
}

fn index_on(key: IndexKey) -> Index {
    Index {
        name: "ix_things_x".into(),
        keys: vec![key],
        unique: false,
        method: None,
        predicate: None,
    }
}

/// The error generating `table` (from nothing) for MySQL.
fn refusal(table: TableDef) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("migrations");
    let dir = MigrationDir::open(&path, Dialect::Mysql).unwrap();
    let target = schema(vec![table], vec![]);
    let err = match new_migrations(&dir, &target, &request("refused", 1, false)) {
        Err(e @ GenerateError::Render(_)) => e.to_string(),
        other => panic!("expected a render error, got {other:?}"),
    };
    assert!(
        std::fs::read_dir(&path).map_or(true, |d| d.count() == 0),
        "nothing is written"
    );
    err
}

#[test]
fn arrays_are_refused_naming_the_column() {
    let err = refusal(refused::Arrays::table_def());
    assert_eq!(
        err,
        "mysql cannot express arrays (`BIGINT[]`) (table `arrays`, column `numbers`)"
    );
}

#[test]
fn unsupported_index_features_are_refused_naming_the_table() {
    let cases: Vec<(Index, &str)> = vec![
        (
            Index {
                predicate: Some("name <> ''".into()),
                ..index_on(IndexKey::column("name"))
            },
            "mysql cannot express partial indexes (index `ix_things_x` has a WHERE) (table `things`)",
        ),
        (
            Index {
                method: Some(IndexMethod::Gin),
                ..index_on(IndexKey::column("name"))
            },
            "mysql cannot express index method gin (index `ix_things_x`) (table `things`)",
        ),
        (
            Index {
                method: Some(IndexMethod::Gist),
                ..index_on(IndexKey::column("name"))
            },
            "mysql cannot express index method gist (index `ix_things_x`) (table `things`)",
        ),
        (
            Index {
                method: Some(IndexMethod::Brin),
                ..index_on(IndexKey::column("name"))
            },
            "mysql cannot express index method brin (index `ix_things_x`) (table `things`)",
        ),
        (
            Index {
                method: Some(IndexMethod::Hash),
                ..index_on(IndexKey::column("name"))
            },
            "mysql cannot express index method hash, which InnoDB ignores (index `ix_things_x`) (table `things`)",
        ),
        (
            index_on(IndexKey {
                opclass: Some("text_pattern_ops".into()),
                ..IndexKey::column("name")
            }),
            "mysql cannot express operator class text_pattern_ops (index `ix_things_x`) (table `things`, column `name`)",
        ),
        (
            index_on(IndexKey {
                nulls: Some(NullsOrder::Last),
                ..IndexKey::column("name")
            }),
            "mysql cannot express NULLS FIRST/LAST in an index key (index `ix_things_x`) (table `things`, column `name`)",
        ),
        (
            index_on(IndexKey {
                target: IndexTarget::Expression("lower(name)".into()),
                ..IndexKey::column("name")
            }),
            "mysql cannot express expression index keys (`lower(name)` in index `ix_things_x`; MariaDB has no expression indexes) (table `things`)",
        ),
        (
            index_on(IndexKey::column("body")),
            "mysql cannot express an index on a LONGTEXT column without a key length (index `ix_things_x`; give the field a max_length) (table `things`, column `body`)",
        ),
    ];
    for (index, expected) in cases {
        let mut table = things();
        table.indexes.push(index);
        assert_eq!(refusal(table), expected);
    }
}

#[test]
fn extensions_are_refused_naming_the_table() {
    let mut table = things();
    table.extensions.push("citext".into());
    assert_eq!(
        refusal(table),
        "mysql cannot express extension `citext` (extensions are PostgreSQL's) (table `things`)"
    );
}

#[test]
fn deferrable_and_set_default_foreign_keys_are_refused() {
    let fk = model_core::schema::ForeignKey {
        name: "fk_things_other_id_things".into(),
        columns: vec!["other_id".into()],
        ref_table: "things".into(),
        ref_columns: vec!["id".into()],
        on_delete: ReferentialAction::NoAction,
        on_update: ReferentialAction::NoAction,
        deferrable: Deferrable::InitiallyDeferred,
    };
    let mut table = things();
    table.foreign_keys.push(fk.clone());
    assert_eq!(
        refusal(table),
        "mysql cannot express deferrable foreign keys (foreign key `fk_things_other_id_things`) (table `things`, column `other_id`)"
    );
    let mut table = things();
    table.foreign_keys.push(model_core::schema::ForeignKey {
        deferrable: Deferrable::No,
        on_delete: ReferentialAction::SetDefault,
        ..fk
    });
    assert_eq!(
        refusal(table),
        "mysql cannot express ON DELETE/UPDATE SET DEFAULT, which InnoDB rejects (foreign key `fk_things_other_id_things`) (table `things`, column `other_id`)"
    );
}

#[test]
fn identity_always_is_refused_naming_the_column() {
    let mut table = things();
    table.columns[0].identity = Some(model_core::schema::Identity::Always);
    assert_eq!(
        refusal(table),
        "mysql cannot express GENERATED ALWAYS identity (AUTO_INCREMENT numbers by default) (table `things`, column `id`)"
    );
}
