//! Autogenerate scenarios on the real servers: plan A → B once, then, on every [`Backend`] in
//! [`Backend::BUILT`], render the up and down SQL, snapshot it, and prove on fresh databases
//! that
//!
//! - A created from nothing, then up, gives the same catalog as creating B from nothing, and
//!   the introspected database equals B;
//! - the rows query returns as many rows after up as after the seed (when both are given);
//! - generating again from B gives nothing;
//! - then down gives the same catalog as creating A from nothing, and introspects to A.
//!
//! A case is written once with [`Scenario`]:
//!
//! ```ignore
//! Scenario::new("add_and_drop_columns", old, new)
//!     .allow_destructive()
//!     .seed("INSERT INTO tasks ...")
//!     .rows("SELECT id::text FROM tasks")
//!     .run()
//!     .await;
//! ```
//!
//! Snapshots: `<test file>__<case>@<backend>.snap` in `tests/tests/snapshots/`, one per case
//! and backend, holding the up and down text of [`up_down`].

use std::collections::BTreeSet;
use std::panic::Location;
use std::path::Path;
use std::sync::Mutex;

use model_core::dialect::Dialect;
use model_core::diff::{DiffError, DiffOptions};
use model_core::generate::parts;
use model_core::operation::Operation;
use model_core::plan::{plan, Part, Plan};
use model_core::schema::{Enum, Schema, Table};
use sqlx::{Executor, Row};

use crate::TestDb;

/// Options that refuse to lose data (the default of `generate`).
pub const SAFE: DiffOptions = DiffOptions {
    allow_destructive: false,
    loose_expressions: false,
};

/// Options that allow losing data (`generate --allow-destructive`).
pub const ALLOW: DiffOptions = DiffOptions {
    allow_destructive: true,
    loose_expressions: false,
};

/// Fails unless the live database, introspected, equals `expected` (no spurious differences:
/// default spellings, type synonyms, implicit indexes, enum order).
pub async fn assert_introspects_to(pool: &sqlx::PgPool, expected: &Schema, stage: &str) {
    let mut conn = pool.acquire().await.expect("connection");
    let live = model_core::introspect::postgres::introspect(&mut conn)
        .await
        .expect("introspection");
    let options = DiffOptions {
        allow_destructive: true,
        loose_expressions: true,
    };
    let plan = pg_plan(expected, &live, options).expect("comparison");
    assert!(
        plan.is_empty(),
        "{stage}: the introspected database differs from the expected schema:\n{}",
        plan.operations()
            .iter()
            .map(|op| format!("  {}", op.summary()))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Fails unless the SQLite database, read back, equals `expected` as SQLite stores it (enum
/// columns as text with their CHECK, no comments).
pub async fn assert_sqlite_introspects_to(pool: &sqlx::SqlitePool, expected: &Schema, stage: &str) {
    let mut conn = pool.acquire().await.expect("connection");
    let live = model_core::introspect::sqlite::introspect(&mut conn)
        .await
        .expect("introspection");
    assert_same_schema(Dialect::Sqlite, &live, expected, stage);
}

/// Fails unless the MySQL or MariaDB database, introspected, equals `expected` as that
/// database stores it.
pub async fn assert_mysql_introspects_to(pool: &sqlx::MySqlPool, expected: &Schema, stage: &str) {
    let mut conn = pool.acquire().await.expect("connection");
    let live = model_core::introspect::mysql::introspect(&mut conn)
        .await
        .expect("introspection");
    assert_same_schema(Dialect::Mysql, &live, expected, stage);
}

/// Fails unless `live` equals `expected` as `dialect` stores it, listing the differences (the
/// diff's own changes: a dialect's plan might fold them).
fn assert_same_schema(dialect: Dialect, live: &Schema, expected: &Schema, stage: &str) {
    let options = DiffOptions {
        allow_destructive: true,
        loose_expressions: true,
    };
    let rules = dialect.equivalence();
    let expected = rules.stored(expected);
    let changes = model_core::diff::diff(&expected, live, rules, options).expect("comparison");
    let mut differences: Vec<String> = changes
        .kept
        .iter()
        .flat_map(|t| t.changes.iter().map(|op| format!("  {}", op.summary())))
        .collect();
    differences.extend(
        changes
            .created
            .iter()
            .map(|t| format!("  unexpected table {}", t.name)),
    );
    differences.extend(
        changes
            .dropped
            .iter()
            .map(|t| format!("  missing table {}", t.name)),
    );
    assert!(
        differences.is_empty(),
        "{stage}: the database read back differs from the expected schema:\n{}",
        differences.join("\n")
    );
}

/// SQL written for PostgreSQL, for SQLite: `x::text` casts become `CAST(x AS TEXT)`, other
/// casts (`::uuid`, an enum type) are dropped (SQLite stores the value as given).
pub fn for_sqlite(sql: &str) -> String {
    rewrite_casts(sql, "TEXT")
}

/// `x::text` casts of SQL written for PostgreSQL as `CAST(x AS <text>)`; other casts dropped.
fn rewrite_casts(sql: &str, text: &str) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(at) = rest.find("::") {
        let (head, tail) = rest.split_at(at);
        let tail = &tail[2..];
        let ty_len = tail
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '[' || c == ']'))
            .unwrap_or(tail.len());
        let ty = &tail[..ty_len];
        if ty.eq_ignore_ascii_case("text") {
            // The operand: a quoted literal or a (qualified) name just before the cast.
            let start = if let Some(quoted) = head.strip_suffix('\'') {
                quoted.rfind('\'').unwrap_or(0)
            } else {
                head.rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .map_or(0, |i| i + 1)
            };
            out.push_str(&head[..start]);
            out.push_str(&format!("CAST({} AS {text})", &head[start..]));
        } else {
            out.push_str(head);
        }
        rest = &tail[ty_len..];
    }
    out.push_str(rest);
    out
}

/// The PostgreSQL plan from `old` to `new` (what the `pg_` tests compare).
pub fn pg_plan(old: &Schema, new: &Schema, options: DiffOptions) -> Result<Plan, DiffError> {
    plan(Dialect::Postgres, old, new, options)
}

/// A schema from model definitions (no registry involved, so versions of one table can live
/// side by side in a test crate).
pub fn schema(tables: Vec<Table>, enums: Vec<Enum>) -> Schema {
    model_core::registry::build(
        tables.into_iter().map(|t| ("test", t)).collect(),
        enums.into_iter().map(|e| ("test", e)).collect(),
    )
    .expect("a valid schema")
}

/// The SQL of a list of operations, one commented block per operation.
pub fn sql(operations: &[Operation], target: &Schema) -> String {
    sql_between(operations, target, target)
}

/// The SQL of operations leading from `other` to `target` (names of both may appear).
pub fn sql_between(operations: &[Operation], target: &Schema, other: &Schema) -> String {
    render(Dialect::Postgres, operations, target, other)
}

/// The SQL of operations in one dialect, one commented block per operation.
fn render(dialect: Dialect, operations: &[Operation], target: &Schema, other: &Schema) -> String {
    try_render(dialect, operations, target, other)
        .unwrap_or_else(|e| panic!("renders for {dialect:?}: {e}"))
}

/// The SQL of operations in one dialect, or what the dialect cannot express.
fn try_render(
    dialect: Dialect,
    operations: &[Operation],
    target: &Schema,
    other: &Schema,
) -> Result<String, model_core::dialect::RenderError> {
    let rendered = model_core::render::render_between(dialect, operations, target, other)?;
    let mut out = String::new();
    for op in rendered {
        out.push_str(&format!("-- {}\n", op.summary));
        for note in op.notes {
            out.push_str(&format!("-- {note}\n"));
        }
        for statement in op.statements {
            out.push_str(&statement);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The first thing `dialect` cannot express in creating `old` from nothing or in `parts` (up
/// or down), if any.
fn refusal(dialect: Dialect, old: &Schema, parts: &[Part]) -> Option<String> {
    let create = plan(dialect, &Schema::new(), old, DiffOptions::default()).ok()?;
    if let Err(e) = try_render(dialect, &create.operations(), old, old) {
        return Some(e.to_string());
    }
    let mut before = old;
    for part in parts {
        let up = try_render(dialect, &part.plan.operations(), &part.schema, before);
        let down = try_render(dialect, &part.plan.down(), before, &part.schema);
        if let Err(e) = up.and(down) {
            return Some(e.to_string());
        }
        before = &part.schema;
    }
    None
}

/// Up and down SQL of a plan for PostgreSQL, as one text for snapshots.
pub fn up_down(plan: &Plan, old: &Schema, new: &Schema) -> String {
    up_down_in(Dialect::Postgres, plan, old, new)
}

/// Up and down SQL of a plan in one dialect, as one text for snapshots.
fn up_down_in(dialect: Dialect, plan: &Plan, old: &Schema, new: &Schema) -> String {
    let mut out = String::from("-- up\n");
    for w in &plan.destructive {
        out.push_str(&format!("-- DESTRUCTIVE: {w}\n"));
    }
    for w in &plan.warnings {
        out.push_str(&format!("-- WARNING: {w}\n"));
    }
    out.push_str(&render(dialect, &plan.operations(), new, old));
    out.push_str("\n-- down\n");
    out.push_str(&render(dialect, &plan.down(), old, new));
    out
}

/// Everything the catalog says about the public schema that a migration may change, in a
/// stable order (column order in a table is not compared: PostgreSQL appends columns).
pub async fn catalog(pool: &sqlx::PgPool) -> String {
    let mut out = String::new();
    let queries = [
        "SELECT t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) \
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
         JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' \
         GROUP BY t.typname ORDER BY 1",
        "SELECT c.table_name || '.' || c.column_name || ' ' || \
         format_type(a.atttypid, a.atttypmod) || \
         CASE WHEN c.is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END || \
         COALESCE(' DEFAULT ' || c.column_default, '') || \
         CASE WHEN c.is_identity = 'YES' THEN ' IDENTITY ' || c.identity_generation ELSE '' END || \
         COALESCE(' COMMENT ' || col_description(a.attrelid, a.attnum), '') \
         FROM information_schema.columns c \
         JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_name))::regclass \
              AND a.attname = c.column_name \
         WHERE c.table_schema = 'public' ORDER BY c.table_name, c.column_name",
        "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) \
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace \
         AND contype <> 'n' ORDER BY 1",
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
        "SELECT c.relname || ' COMMENT ' || obj_description(c.oid, 'pg_class') FROM pg_class c \
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' \
         AND obj_description(c.oid, 'pg_class') IS NOT NULL ORDER BY 1",
    ];
    for query in queries {
        for row in sqlx::query(query)
            .fetch_all(pool)
            .await
            .expect("catalog query")
        {
            out.push_str(&row.get::<String, _>(0));
            out.push('\n');
        }
        out.push_str("--\n");
    }
    out
}

/// Applies SQL in one transaction, as the runner will.
pub async fn apply(pool: &sqlx::PgPool, sql: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    tx.execute(sql).await?;
    tx.commit().await
}

/// Applies SQL to a SQLite database as this runner does: foreign keys off before the
/// transaction (SQLite ignores the pragma inside one), on again after; a migration that
/// breaks a foreign key is refused.
pub async fn apply_sqlite(pool: &sqlx::SqlitePool, sql: &str) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    let result = async {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        tx.execute(sql).await?;
        let broken: Vec<String> =
            sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&mut *tx)
                .await?;
        if !broken.is_empty() {
            return Err(sqlx::Error::Protocol(format!(
                "foreign keys broken in {broken:?}"
            )));
        }
        tx.commit().await
    }
    .await;
    conn.execute("PRAGMA foreign_keys = ON").await?;
    result
}

/// What a SQLite database says about its schema, from its pragmas, in a stable order: per
/// table its columns (by name: `ADD COLUMN` appends), indexes with their keys, foreign keys,
/// and the names and kinds of its named constraints.
pub async fn sqlite_catalog(pool: &sqlx::SqlitePool) -> String {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("sqlite_master");
    let mut out = String::new();
    for (table, sql) in tables {
        out.push_str(&format!("table {table}\n"));
        let columns: Vec<(String, String, i64, Option<String>, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?1) ORDER BY name",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("table_xinfo");
        for (name, ty, not_null, default, pk) in columns {
            out.push_str(&format!(
                "  column {name} {ty}{}{}{}\n",
                if not_null == 1 { " NOT NULL" } else { "" },
                default.map(|d| format!(" DEFAULT {d}")).unwrap_or_default(),
                if pk > 0 {
                    format!(" pk{pk}")
                } else {
                    String::new()
                }
            ));
        }
        let indexes: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("index_list");
        for (name, unique, origin, partial) in indexes {
            let keys: Vec<(Option<String>, i64)> = sqlx::query_as(
                "SELECT name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&name)
            .fetch_all(pool)
            .await
            .expect("index_xinfo");
            let keys: Vec<String> = keys
                .into_iter()
                .map(|(k, desc)| {
                    format!(
                        "{}{}",
                        k.unwrap_or_else(|| "<expression>".into()),
                        if desc == 1 { " DESC" } else { "" }
                    )
                })
                .collect();
            // Automatic indexes (uniques, primary keys) are named by SQLite after the table.
            let name = if origin == "c" {
                name
            } else {
                format!("<{origin}>")
            };
            out.push_str(&format!(
                "  index {name}{} ({}){}\n",
                if unique == 1 { " UNIQUE" } else { "" },
                keys.join(", "),
                if partial == 1 { " partial" } else { "" }
            ));
        }
        let fks: Vec<(String, String, Option<String>, String, String)> = sqlx::query_as(
            "SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?1) \
             ORDER BY 1, 2",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("foreign_key_list");
        for (to, from, column, update, delete) in fks {
            out.push_str(&format!(
                "  foreign key ({from}) -> {to}({}) ON UPDATE {update} ON DELETE {delete}\n",
                column.unwrap_or_default()
            ));
        }
        let mut constraints: Vec<String> = Vec::new();
        let words: Vec<&str> = sql
            .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        for pair in words.windows(3) {
            if pair[0].eq_ignore_ascii_case("CONSTRAINT") {
                constraints.push(format!(
                    "{} {}",
                    pair[2].to_ascii_uppercase(),
                    pair[1].trim_matches('"')
                ));
            }
        }
        constraints.sort();
        for constraint in constraints {
            out.push_str(&format!("  constraint {constraint}\n"));
        }
    }
    out
}

/// SQL written for PostgreSQL, for MySQL and MariaDB: `x::text` casts become `CAST(x AS
/// CHAR)`, other casts are dropped, UUID literals become the 16 bytes MySQL stores
/// (`BINARY(16)`), UTC times lose their `+00:00`, and double-quoted identifiers are
/// backquoted.
pub fn for_mysql(sql: &str) -> String {
    let out = rewrite_casts(sql, "CHAR").replace(" AS TEXT)", " AS CHAR)");
    // '7f1b6a3e-1111-4c2b-9a55-0123456789ab' -> UNHEX('7f1b6a3e11114c2b9a550123456789ab'):
    // between quotes (odd pieces of a split at `'`), a UUID's text.
    let is_uuid = |piece: &str| {
        piece.len() == 36
            && piece.char_indices().all(|(j, c)| {
                if [8, 13, 18, 23].contains(&j) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    };
    let pieces: Vec<&str> = out.split('\'').collect();
    let mut text = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        if i % 2 == 1 {
            if is_uuid(piece) {
                text.push_str(&format!("UNHEX('{}')", piece.replace('-', "")));
            } else if let Some(utc) = piece.strip_suffix("+00:00").filter(|t| t.len() == 19) {
                // A UTC time: MySQL's DATETIME takes no offset.
                text.push('\'');
                text.push_str(utc);
                text.push('\'');
            } else {
                text.push('\'');
                text.push_str(piece);
                text.push('\'');
            }
        } else {
            text.push_str(&piece.replace('"', "`"));
        }
    }
    text
}

/// Applies MySQL SQL statement by statement, as the runner does (each DDL statement commits
/// on its own there).
pub async fn apply_mysql(pool: &sqlx::MySqlPool, sql: &str) -> Result<(), sqlx::Error> {
    use model_core::runner::Offline;
    let mut conn = pool.acquire().await?;
    for statement in model_core::runner::MySqlOffline.statements(sql) {
        conn.execute(statement.as_str()).await?;
    }
    Ok(())
}

/// A text column of a MySQL row, whatever its type (`information_schema` answers in binary
/// strings on some servers).
fn mysql_text(row: &sqlx::mysql::MySqlRow, i: usize) -> String {
    row.try_get::<Option<String>, _>(i)
        .ok()
        .flatten()
        .or_else(|| {
            row.try_get::<Option<Vec<u8>>, _>(i)
                .ok()
                .flatten()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        })
        .or_else(|| {
            row.try_get::<Option<i64>, _>(i)
                .ok()
                .flatten()
                .map(|n| n.to_string())
        })
        .unwrap_or_else(|| "NULL".into())
}

/// What a MySQL or MariaDB database says about its schema, from `information_schema`, in a
/// stable order: per table its comment, columns (by name), indexes with their keys, foreign
/// keys and checks.
pub async fn mysql_catalog(pool: &sqlx::MySqlPool) -> String {
    const COLUMNS: &str = "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, \
        COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND \
        TABLE_NAME = ? ORDER BY COLUMN_NAME";
    const INDEXES: &str = "SELECT INDEX_NAME, NON_UNIQUE = 0, GROUP_CONCAT(CONCAT(COALESCE(\
        COLUMN_NAME, '<expression>'), ' ', COALESCE(COLLATION, '')) ORDER BY SEQ_IN_INDEX \
        SEPARATOR ', ') FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND \
        TABLE_NAME = ? GROUP BY INDEX_NAME, NON_UNIQUE ORDER BY INDEX_NAME";
    const FOREIGN_KEYS: &str = "SELECT k.CONSTRAINT_NAME, GROUP_CONCAT(k.COLUMN_NAME ORDER BY \
        k.ORDINAL_POSITION), k.REFERENCED_TABLE_NAME, GROUP_CONCAT(k.REFERENCED_COLUMN_NAME \
        ORDER BY k.ORDINAL_POSITION), r.UPDATE_RULE, r.DELETE_RULE \
        FROM information_schema.KEY_COLUMN_USAGE k JOIN \
        information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = \
        k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = \
        k.TABLE_NAME WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? \
        GROUP BY k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME, r.UPDATE_RULE, r.DELETE_RULE \
        ORDER BY k.CONSTRAINT_NAME";
    const CHECKS: &str = "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM \
        information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND \
        TABLE_NAME = ? ORDER BY CONSTRAINT_NAME";
    // Every row of `sql` about `table`, each column as text.
    let rows = |sql: &'static str, table: String| async move {
        let rows = sqlx::query(sql)
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
        rows.iter()
            .map(|r| (0..r.len()).map(|i| mysql_text(r, i)).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let tables = sqlx::query(
        "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT IN ('_sqlx_migrations', \
         '_migrate_gen_progress') ORDER BY TABLE_NAME",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut out = String::new();
    for table in tables {
        let name = mysql_text(&table, 0);
        out.push_str(&format!(
            "table {name} comment {:?}\n",
            mysql_text(&table, 1)
        ));
        for r in rows(COLUMNS, name.clone()).await {
            out.push_str(&format!(
                "  column {} {} null={} default={} {} comment {:?}\n",
                r[0], r[1], r[2], r[3], r[4], r[5]
            ));
        }
        for r in rows(INDEXES, name.clone()).await {
            out.push_str(&format!("  index {} unique={} ({})\n", r[0], r[1], r[2]));
        }
        for r in rows(FOREIGN_KEYS, name.clone()).await {
            out.push_str(&format!(
                "  foreign key {} ({}) -> {}({}) ON UPDATE {} ON DELETE {}\n",
                r[0], r[1], r[2], r[3], r[4], r[5]
            ));
        }
        for r in rows(CHECKS, name.clone()).await {
            out.push_str(&format!("  check {} {}\n", r[0], r[1]));
        }
    }
    out
}

/// A database kind that scenarios run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// A SQLite file.
    Sqlite,
    /// A MariaDB (or MySQL) database.
    Mysql,
}

impl Backend {
    /// Every backend that has a migration renderer and runner: each scenario runs on all of
    /// them, in this order. A backend is listed here once it can run scenarios, never skipped.
    pub const BUILT: &'static [Backend] = &[Backend::Postgres, Backend::Sqlite, Backend::Mysql];

    /// The name in snapshot file names (`<file>__<case>@<name>.snap`).
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
            Backend::Mysql => "mysql",
        }
    }

    /// The SQL dialect migrations for this backend are written in.
    pub fn dialect(self) -> Dialect {
        match self {
            Backend::Postgres => Dialect::Postgres,
            Backend::Sqlite => Dialect::Sqlite,
            Backend::Mysql => Dialect::Mysql,
        }
    }
}

/// A fresh database on one backend where a schema was created from nothing, dropped with this
/// value. Scenarios use it for every stage; a test that applies migrations its own way (such
/// as the steps of a split) starts from it too.
pub enum Database {
    /// A PostgreSQL database and a pool on it.
    Postgres {
        /// Connections to the database.
        pool: sqlx::PgPool,
        /// Drops the database with this value.
        _db: TestDb,
    },
    /// A SQLite file and a pool on it.
    Sqlite {
        /// Connections to the database.
        pool: sqlx::SqlitePool,
        /// Removes the file with this value.
        _db: TestDb,
    },
    /// A MariaDB database and a pool on it.
    Mysql {
        /// Connections to the database.
        pool: sqlx::MySqlPool,
        /// Drops the database with this value.
        _db: TestDb,
    },
}

impl Database {
    /// A fresh database where `schema` was created from nothing, as the first migration of
    /// an empty directory would create it.
    pub async fn create(backend: Backend, schema: &Schema) -> Database {
        let live = match backend {
            Backend::Postgres => {
                let db = TestDb::postgres().await;
                let pool = db.pg_pool().await;
                Database::Postgres { pool, _db: db }
            }
            Backend::Sqlite => {
                let db = TestDb::sqlite().await;
                let pool = db.sqlite_pool().await;
                Database::Sqlite { pool, _db: db }
            }
            Backend::Mysql => {
                let db = TestDb::mysql().await;
                let pool = db.mysql_pool().await;
                Database::Mysql { pool, _db: db }
            }
        };
        let create = plan(
            backend.dialect(),
            &Schema::new(),
            schema,
            DiffOptions::default(),
        )
        .expect("create plan");
        live.apply(&render(
            backend.dialect(),
            &create.operations(),
            schema,
            schema,
        ))
        .await
        .expect("creating the schema from nothing applies");
        live
    }

    /// Applies SQL in one transaction, as the runner will.
    pub async fn apply(&self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Database::Postgres { pool, .. } => apply(pool, sql).await,
            Database::Sqlite { pool, .. } => apply_sqlite(pool, sql).await,
            Database::Mysql { pool, .. } => apply_mysql(pool, sql).await,
        }
    }

    /// Runs statements outside a transaction (seed rows).
    pub async fn execute(&self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Database::Postgres { pool, .. } => pool.execute(sql).await.map(|_| ()),
            Database::Sqlite { pool, .. } => {
                pool.execute(for_sqlite(sql).as_str()).await.map(|_| ())
            }
            Database::Mysql { pool, .. } => sqlx::raw_sql(&for_mysql(sql))
                .execute(pool)
                .await
                .map(|_| ()),
        }
    }

    /// The first column of every row a query returns, as text.
    pub async fn rows(&self, query: &str) -> Result<Vec<String>, sqlx::Error> {
        match self {
            Database::Postgres { pool, .. } => Ok(sqlx::query(query)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect()),
            Database::Sqlite { pool, .. } => Ok(sqlx::query(&for_sqlite(query))
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect()),
            Database::Mysql { pool, .. } => Ok(sqlx::raw_sql(&for_mysql(query))
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| mysql_text(r, 0))
                .collect()),
        }
    }

    /// What the catalog says about the schema (see [`catalog`]).
    pub async fn catalog(&self) -> String {
        match self {
            Database::Postgres { pool, .. } => catalog(pool).await,
            Database::Sqlite { pool, .. } => sqlite_catalog(pool).await,
            Database::Mysql { pool, .. } => mysql_catalog(pool).await,
        }
    }

    /// Fails unless the database, introspected, equals `expected`.
    pub async fn assert_introspects_to(&self, expected: &Schema, stage: &str) {
        match self {
            Database::Postgres { pool, .. } => assert_introspects_to(pool, expected, stage).await,
            Database::Sqlite { pool, .. } => {
                assert_sqlite_introspects_to(pool, expected, stage).await
            }
            Database::Mysql { pool, .. } => {
                assert_mysql_introspects_to(pool, expected, stage).await
            }
        }
    }

    /// Closes the connections (the database is dropped with the value).
    pub async fn close(self) {
        match self {
            Database::Postgres { pool, .. } => pool.close().await,
            Database::Sqlite { pool, .. } => pool.close().await,
            Database::Mysql { pool, .. } => pool.close().await,
        }
    }
}

/// The catalog of a fresh database where `schema` was created from nothing.
async fn fresh_catalog(backend: Backend, schema: &Schema) -> String {
    let live = Database::create(backend, schema).await;
    let out = live.catalog().await;
    live.close().await;
    out
}

/// One autogenerate case: two versions of the models, what the database holds before the
/// migration, and what must survive it. Built with [`Scenario::new`], run with
/// [`Scenario::run`].
#[derive(Debug)]
#[must_use = "a scenario does nothing until it is run"]
pub struct Scenario {
    /// The test file declaring the case, as the compiler names it.
    source: &'static str,
    /// Its stem, which starts the snapshot names.
    file: String,
    case: String,
    old: Schema,
    new: Schema,
    options: DiffOptions,
    seed: Option<String>,
    rows: Option<String>,
    only: Option<Backend>,
    not: Vec<Backend>,
}

impl Scenario {
    /// A case named `case` (unique in its test file; it names the snapshots) migrating `old`
    /// to `new`, refusing to lose data unless [`Scenario::allow_destructive`] is called.
    #[track_caller]
    pub fn new(case: &str, old: Schema, new: Schema) -> Scenario {
        let caller = Location::caller().file();
        let file = Path::new(caller)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_else(|| panic!("a test file name: {caller}"))
            .to_owned();
        // Two cases with one name would share (and overwrite) each other's snapshots.
        static NAMES: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
        let fresh = NAMES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(format!("{file}__{case}"));
        assert!(fresh, "two scenarios of {caller} are named `{case}`");
        Scenario {
            source: caller,
            file,
            case: case.to_owned(),
            old,
            new,
            options: SAFE,
            seed: None,
            rows: None,
            only: None,
            not: Vec::new(),
        }
    }

    /// Plans with `--allow-destructive`.
    pub fn allow_destructive(mut self) -> Scenario {
        self.options.allow_destructive = true;
        self
    }

    /// SQL run on A (created from nothing) before the up, e.g. inserting rows.
    pub fn seed(mut self, sql: &str) -> Scenario {
        self.seed = Some(sql.to_owned());
        self
    }

    /// Runs the case on `backend` only, because its models hold SQL of that database (a
    /// `default_sql`, a check): `reason` says which.
    pub fn only_on(mut self, backend: Backend, reason: &str) -> Scenario {
        assert!(
            !reason.is_empty(),
            "say why the case runs on {} only",
            backend.name()
        );
        self.only = Some(backend);
        self
    }

    /// Leaves `backend` out, because the case's models hold SQL or types of other databases
    /// (a `sql_type`, a `default_sql`, a check): `reason` says which.
    pub fn not_on(mut self, backend: Backend, reason: &str) -> Scenario {
        assert!(
            !reason.is_empty(),
            "say why the case does not run on {}",
            backend.name()
        );
        self.not.push(backend);
        self
    }

    /// A query returning one text column: it runs after the seed and after the up, and the up
    /// must keep as many rows as the seed left.
    pub fn rows(mut self, query: &str) -> Scenario {
        self.rows = Some(query.to_owned());
        self
    }

    /// Plans the migration (one, or several where the planner declares a boundary, as
    /// `generate` writes them), then proves and snapshots it on every backend of
    /// [`Backend::BUILT`] in turn; panics at the first check that fails.
    pub async fn run(self) -> Generated {
        let mut generated = Vec::new();
        for &backend in Backend::BUILT {
            if self.only.is_some_and(|only| only != backend) || self.not.contains(&backend) {
                continue;
            }
            let dialect = backend.dialect();
            let parts = parts(dialect, &self.old, &self.new, self.options).expect("the diff plans");
            assert!(!parts.is_empty(), "the scenario must change something");
            // Generating again from B gives nothing.
            assert!(plan(dialect, &self.new, &self.new, self.options)
                .expect("B against itself plans")
                .is_empty());
            // What a dialect cannot express is an error naming it, never a panic: the case's
            // snapshot for that backend records the refusal.
            if let Some(refusal) = refusal(dialect, &self.old, &parts) {
                let text = format!("-- {} refuses this migration: {refusal}\n", backend.name());
                self.assert_snapshot(backend, &text);
                generated.push((backend, text));
                continue;
            }
            self.prove(backend, &parts).await;
            let migrations = self.migrations(&parts);
            let text = match &parts[..] {
                [one] => up_down_in(dialect, &one.plan, &self.old, &self.new),
                _ => {
                    let mut text = String::new();
                    for (i, (part, (before, after))) in parts.iter().zip(&migrations).enumerate() {
                        let reason = part
                            .reason
                            .as_ref()
                            .map(|(r, _)| format!(" ({r})"))
                            .unwrap_or_default();
                        text.push_str(&format!(
                            "-- migration {} of {}{reason}\n",
                            i + 1,
                            parts.len()
                        ));
                        text.push_str(&up_down_in(dialect, &part.plan, before, after));
                        text.push('\n');
                    }
                    text
                }
            };
            self.assert_snapshot(backend, &text);
            generated.push((backend, text));
        }
        Generated(generated)
    }

    /// Each part's schemas before and after it.
    fn migrations<'p>(&'p self, parts: &'p [Part]) -> Vec<(&'p Schema, &'p Schema)> {
        let mut before = &self.old;
        parts
            .iter()
            .map(|part| {
                let pair = (before, &part.schema);
                before = &part.schema;
                pair
            })
            .collect()
    }

    /// Applies A, the seed, the ups (each migration on its own, as the runner does) and the
    /// downs (in reverse) on a fresh database of `backend`, checking each stage.
    async fn prove(&self, backend: Backend, parts: &[Part]) {
        let dialect = backend.dialect();
        let (old, new) = (&self.old, &self.new);
        let migrations = self.migrations(parts);
        let ups: Vec<String> = parts
            .iter()
            .zip(&migrations)
            .map(|(part, (before, after))| render(dialect, &part.plan.operations(), after, before))
            .collect();
        let downs: Vec<String> = parts
            .iter()
            .zip(&migrations)
            .map(|(part, (before, after))| render(dialect, &part.plan.down(), before, after))
            .collect();
        let up = ups.join("\n");
        let down = downs.iter().rev().cloned().collect::<Vec<_>>().join("\n");
        let name = backend.name();

        let live = Database::create(backend, old).await;
        if let Some(seed) = &self.seed {
            live.execute(seed).await.expect("seed rows");
        }
        let rows_before = match &self.rows {
            Some(query) => live
                .rows(query)
                .await
                .unwrap_or_else(|e| panic!("{name}: rows query after seed failed: {e}")),
            None => Vec::new(),
        };

        for (i, (part, (_, after))) in ups.iter().zip(&migrations).enumerate() {
            live.apply(part)
                .await
                .unwrap_or_else(|e| panic!("{name}: up failed: {e}\n{part}"));
            // Each migration leaves what its snapshot says (as `verify` checks).
            if ups.len() > 1 {
                live.assert_introspects_to(after, &format!("{name}: after migration {}", i + 1))
                    .await;
            }
        }
        let after_up = live.catalog().await;
        live.assert_introspects_to(new, &format!("{name}: after up"))
            .await;
        assert_eq!(
            after_up,
            fresh_catalog(backend, new).await,
            "{name}: A + up must equal B created from nothing\n{up}"
        );
        if let Some(query) = self.rows.as_deref().filter(|_| !rows_before.is_empty()) {
            let rows_after = live
                .rows(query)
                .await
                .unwrap_or_else(|e| panic!("{name}: rows query after up failed: {e}"));
            assert_eq!(
                rows_after.len(),
                rows_before.len(),
                "{name}: rows kept by up"
            );
        }

        for (i, (part, (before, _))) in downs.iter().zip(&migrations).enumerate().rev() {
            live.apply(part)
                .await
                .unwrap_or_else(|e| panic!("{name}: down failed: {e}\n{part}"));
            if downs.len() > 1 {
                live.assert_introspects_to(
                    before,
                    &format!("{name}: after reverting migration {}", i + 1),
                )
                .await;
            }
        }
        let after_down = live.catalog().await;
        live.assert_introspects_to(old, &format!("{name}: after down"))
            .await;
        assert_eq!(
            after_down,
            fresh_catalog(backend, old).await,
            "{name}: B + down must equal A created from nothing\n{down}"
        );
        live.close().await;
    }

    /// Compares `text` with `tests/tests/snapshots/<file>__<case>@<backend>.snap`.
    fn assert_snapshot(&self, backend: Backend, text: &str) {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_suffix(backend.name());
        settings.set_input_file(self.source);
        let name = format!("{}__{}", self.file, self.case);
        settings.bind(|| insta::assert_snapshot!(name.as_str(), text));
    }
}

/// The up and down text a scenario generated, per backend, as snapshotted.
#[derive(Debug)]
pub struct Generated(Vec<(Backend, String)>);

impl Generated {
    /// The text generated for `backend`; panics if the scenario did not run on it.
    pub fn of(&self, backend: Backend) -> &str {
        self.0
            .iter()
            .find(|(b, _)| *b == backend)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("the scenario did not run on {}", backend.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_seeds_read_as_mysql() {
        assert_eq!(
            for_mysql(
                "INSERT INTO \"user\" VALUES ('7f1b6a3e-1111-4c2b-9a55-0123456789ab', 'a''b'); \
                 SELECT id::text || 'x' FROM t WHERE s = 'open'::state"
            ),
            "INSERT INTO `user` VALUES (UNHEX('7f1b6a3e11114c2b9a550123456789ab'), 'a''b'); \
             SELECT CAST(id AS CHAR) || 'x' FROM t WHERE s = 'open'"
        );
    }
}
