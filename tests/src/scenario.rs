//! Migration scenarios on the real PostgreSQL: plan (A → B), snapshot the SQL, and prove on a
//! fresh database that
//!
//! - A, then up, gives the same catalog as creating B from nothing;
//! - then down gives the same catalog as creating A from nothing;
//! - rows inserted into A survive (when the scenario seeds some).

use model_core::dialect::Dialect;
use model_core::diff::{diff, DiffOptions, Operation, Plan};
use model_core::schema::{Enum, Schema, Table};
use sqlx::{Executor, Row};

use crate::TestDb;

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
    let plan = diff(expected, &live, options).expect("comparison");
    assert!(
        plan.is_empty(),
        "{stage}: the introspected database differs from the expected schema:\n{}",
        plan.operations
            .iter()
            .map(|op| format!("  {}", op.summary()))
            .collect::<Vec<_>>()
            .join("\n")
    );
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
    let rendered =
        model_core::dialect::ddl::render_between(Dialect::Postgres, operations, target, other)
            .expect("renders for PostgreSQL");
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
    out
}

/// Up and down SQL of a plan, as one text for snapshots.
pub fn up_down(plan: &Plan, old: &Schema, new: &Schema) -> String {
    let mut out = String::from("-- up\n");
    for w in &plan.destructive {
        out.push_str(&format!("-- DESTRUCTIVE: {w}\n"));
    }
    for w in &plan.warnings {
        out.push_str(&format!("-- WARNING: {w}\n"));
    }
    out.push_str(&sql_between(&plan.operations, new, old));
    out.push_str("\n-- down\n");
    out.push_str(&sql_between(&plan.down(), old, new));
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

/// The catalog of a fresh database where `schema` was created from nothing.
async fn fresh_catalog(schema: &Schema) -> String {
    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    let plan = diff(&Schema::new(), schema, DiffOptions::default()).expect("create plan");
    apply(&pool, &sql(&plan.operations, schema))
        .await
        .expect("creating the schema from nothing applies");
    let out = catalog(&pool).await;
    pool.close().await;
    out
}

/// Runs a scenario and returns the up/down SQL for a snapshot. `seed` runs after A is created
/// and `check` after up and after down (e.g. counting rows).
pub async fn run(
    old: &Schema,
    new: &Schema,
    options: DiffOptions,
    seed: &str,
    check: &str,
) -> String {
    let plan = diff(old, new, options).expect("the diff plans");
    assert!(!plan.is_empty(), "the scenario must change something");
    let up = sql_between(&plan.operations, new, old);
    let down = sql_between(&plan.down(), old, new);

    let db = TestDb::postgres().await;
    let pool = db.pg_pool().await;
    let create = diff(&Schema::new(), old, DiffOptions::default()).expect("create plan");
    apply(&pool, &sql(&create.operations, old))
        .await
        .expect("creating A applies");
    if !seed.is_empty() {
        pool.execute(seed).await.expect("seed rows");
    }
    let check_rows = |stage: &'static str| {
        let pool = pool.clone();
        async move {
            if check.is_empty() {
                return String::new();
            }
            let rows = sqlx::query(check)
                .fetch_all(&pool)
                .await
                .unwrap_or_else(|e| panic!("check query after {stage} failed: {e}"));
            rows.iter()
                .map(|r| r.get::<String, _>(0))
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    let rows_before = check_rows("seed").await;

    apply(&pool, &up)
        .await
        .unwrap_or_else(|e| panic!("up failed: {e}\n{up}"));
    let after_up = catalog(&pool).await;
    assert_introspects_to(&pool, new, "after up").await;
    assert_eq!(
        after_up,
        fresh_catalog(new).await,
        "A + up must equal B created from nothing\n{up}"
    );
    if !check.is_empty() && rows_before.lines().count() > 0 {
        let rows_after = check_rows("up").await;
        assert_eq!(
            rows_after.lines().count(),
            rows_before.lines().count(),
            "rows kept by up"
        );
    }
    // Generating again from B gives nothing.
    assert!(diff(new, new, options).unwrap().is_empty());

    apply(&pool, &down)
        .await
        .unwrap_or_else(|e| panic!("down failed: {e}\n{down}"));
    let after_down = catalog(&pool).await;
    assert_introspects_to(&pool, old, "after down").await;
    assert_eq!(
        after_down,
        fresh_catalog(old).await,
        "B + down must equal A created from nothing\n{down}"
    );
    pool.close().await;
    up_down(&plan, old, new)
}
