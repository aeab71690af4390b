//! Property, on the real PostgreSQL, on SQLite files and on the real MariaDB: for random
//! schema pairs (A, B), creating A then applying the generated up gives exactly B
//! (introspected), the down gives exactly A again, and the plan from B to B is empty. For
//! pairs whose migration is not destructive, rows inserted into A are all still there, with
//! equal values, after up, and after up then down.
//!
//! On SQLite, arrays (which it cannot express) become integer or text columns, and each pair
//! gets a fresh file; what it checks is the same, with the database read back as SQLite
//! stores the schema. On MariaDB, arrays become integer or `VARCHAR` columns, partial and
//! expression indexes go, `LONGTEXT`/`JSON` columns are not indexed, and each pair gets a
//! fresh database; a pair whose key falls on a `LONGTEXT` or `JSON` column (a composite
//! key) is refused by the renderer, which is counted, and any other refusal fails.
//!
//! Runs with a fixed seed; `PROPTEST_CASES=500 cargo test -p tests --test roundtrip_prop`
//! runs longer (default 24 cases, to keep CI fast), and `PROPTEST_SEED=<number>` explores
//! another sequence.

use std::collections::BTreeMap;

use model_core::diff::DiffOptions;
use model_core::schema::{
    Check, Column, ColumnDefault, ColumnType, Enum, EnumValue, ForeignKey, Index, IndexKey,
    PrimaryKey, ReferentialAction, Schema, Table, Unique, Value,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use sqlx::Executor;
use tests::scenario::pg_plan;
use tests::scenario::{apply, assert_introspects_to, sql, sql_between};
use tests::TestDb;

const ENUM_VALUES: [&str; 4] = ["a", "b", "c", "it's"];

#[derive(Debug, Clone)]
struct ColumnSpec {
    ty: u8,
    nullable: bool,
    default: bool,
    indexed: bool,
    unique: bool,
    /// Named `c<n>_new`, declared `renamed_from = "c<n>"`.
    renamed: bool,
}

#[derive(Debug, Clone)]
struct TableSpec {
    columns: Vec<Option<ColumnSpec>>,
    composite_key: bool,
    partial_index: bool,
    check: bool,
    fk: Option<u8>,
    self_fk: bool,
    identity: bool,
    comment: Option<u8>,
    /// Named `t<n>_new`, declared `renamed_from = "t<n>"`.
    renamed: bool,
    /// An expression index on the first text column, and a GIN index on the first array.
    expr_index: bool,
}

#[derive(Debug, Clone)]
struct SchemaSpec {
    enum_values: Option<Vec<usize>>,
    tables: Vec<Option<TableSpec>>,
}

fn column_spec() -> impl Strategy<Value = ColumnSpec> {
    (
        0u8..13,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::bool::weighted(0.2),
    )
        .prop_map(
            |(ty, nullable, default, indexed, unique, renamed)| ColumnSpec {
                ty,
                nullable,
                default,
                indexed,
                unique,
                renamed,
            },
        )
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        proptest::collection::vec(proptest::option::weighted(0.7, column_spec()), 4),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(0u8..5),
        any::<bool>(),
        (
            any::<bool>(),
            proptest::option::of(0u8..3),
            proptest::bool::weighted(0.2),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                columns,
                composite_key,
                partial_index,
                check,
                fk,
                self_fk,
                (identity, comment, renamed, expr_index),
            )| {
                TableSpec {
                    columns,
                    composite_key,
                    partial_index,
                    check,
                    fk,
                    self_fk,
                    identity,
                    comment,
                    renamed,
                    expr_index,
                }
            },
        )
}

fn schema_spec() -> impl Strategy<Value = SchemaSpec> {
    (
        proptest::option::of(
            Just((0..ENUM_VALUES.len()).collect::<Vec<_>>())
                .prop_shuffle()
                .prop_flat_map(|order| (Just(order), 1..=ENUM_VALUES.len()))
                .prop_map(|(order, n)| order[..n].to_vec()),
        ),
        proptest::collection::vec(proptest::option::weighted(0.8, table_spec()), 3),
    )
        .prop_map(|(enum_values, tables)| SchemaSpec {
            enum_values,
            tables,
        })
}

/// B grown from A without losing anything: new tables and columns (never unique, so that
/// existing rows fit), nullable columns, wider types, new indexes, checks and references,
/// new enum values. Half the pairs are made this way, so that rows can be checked.
fn grow(a: &SchemaSpec, r: &SchemaSpec) -> SchemaSpec {
    let enum_values = match (&a.enum_values, &r.enum_values) {
        (Some(av), Some(rv)) => {
            let mut values = av.clone();
            for (i, v) in rv.iter().enumerate() {
                if !values.contains(v) {
                    // Alternate between the front and the end: ADD VALUE BEFORE and AFTER.
                    if i % 2 == 0 {
                        values.insert(0, *v);
                    } else {
                        values.push(*v);
                    }
                }
            }
            Some(values)
        }
        (Some(av), None) => Some(av.clone()),
        (None, other) => other.clone(),
    };
    let tables = a
        .tables
        .iter()
        .zip(&r.tables)
        .map(|(at, rt)| match (at, rt) {
            (Some(at), rt) => {
                let mut t = at.clone();
                if let Some(rt) = rt {
                    for (c, rc) in t.columns.iter_mut().zip(&rt.columns) {
                        match (c.as_mut(), rc) {
                            (None, Some(rc)) => {
                                *c = Some(ColumnSpec {
                                    unique: false,
                                    ..rc.clone()
                                })
                            }
                            (Some(col), Some(rc)) => {
                                col.renamed |= rc.renamed;
                                col.nullable |= rc.nullable;
                                col.indexed |= rc.indexed;
                                if col.ty == 3 && rc.ty % 2 == 0 {
                                    col.ty = 4;
                                }
                                if col.ty == 0 && rc.ty % 2 == 1 {
                                    col.ty = 1;
                                }
                            }
                            _ => {}
                        }
                    }
                    t.partial_index |= rt.partial_index;
                    t.renamed |= rt.renamed;
                    t.expr_index |= rt.expr_index;
                    t.fk = t.fk.or(rt.fk);
                }
                Some(t)
            }
            (None, rt) => rt.clone(),
        })
        .collect();
    SchemaSpec {
        enum_values,
        tables,
    }
}

/// The column type for a spec; the enum type only when the schema has one.
fn column_type(ty: u8, has_enum: bool) -> ColumnType {
    match ty {
        0 => ColumnType::Integer,
        1 => ColumnType::BigInt,
        2 => ColumnType::Text,
        3 => ColumnType::Varchar { length: 10 },
        4 => ColumnType::Varchar { length: 20 },
        5 => ColumnType::Boolean,
        6 => ColumnType::TimestampTz,
        7 if has_enum => ColumnType::Enum {
            name: "mood".into(),
        },
        7 => ColumnType::Double,
        8 => ColumnType::Decimal {
            precision: Some(12),
            scale: Some(2),
        },
        9 => ColumnType::Array {
            element: Box::new(ColumnType::Integer),
        },
        10 if has_enum => ColumnType::Array {
            element: Box::new(ColumnType::Enum {
                name: "mood".into(),
            }),
        },
        10 => ColumnType::Array {
            element: Box::new(ColumnType::Text),
        },
        11 => ColumnType::Json,
        _ => ColumnType::Uuid,
    }
}

/// A literal of the type, used for defaults, backfills and rows.
fn literal(ty: &ColumnType, n: i64, enum_def: Option<&Enum>) -> Value {
    match ty {
        ColumnType::Integer | ColumnType::BigInt => Value::Number((n + 1).to_string()),
        ColumnType::Double => Value::Number(format!("{}.5", n + 1)),
        ColumnType::Text => Value::Text(format!("text '{n}'")),
        ColumnType::Varchar { .. } => Value::Text(format!("v{n}")),
        ColumnType::Boolean => Value::Bool(n % 2 == 0),
        ColumnType::TimestampTz => Value::Text(format!("2026-01-{:02} 10:00:00+00:00", n % 28 + 1)),
        ColumnType::Enum { .. } => {
            let values = &enum_def.expect("enum type").values;
            Value::Text(values[(n as usize) % values.len()].name.clone())
        }
        ColumnType::Decimal { .. } => Value::Number(format!("{}.25", n + 1)),
        ColumnType::Array { element } if n % 3 == 0 => {
            let _ = element;
            Value::Array(Vec::new())
        }
        ColumnType::Array { element } => Value::Array(vec![
            literal(element, n, enum_def),
            literal(element, n + 1, enum_def),
        ]),
        ColumnType::Json => Value::Text(format!("{{\"n\":{n},\"s\":\"it's\"}}")),
        ColumnType::Uuid => Value::Text(format!("00000000-0000-0000-0000-{:012x}", n + 1)),
        _ => unreachable!("not generated"),
    }
}

/// A literal as SQL text, arrays cast to their column type.
fn sql_value(ty: &ColumnType, value: &Value) -> String {
    let text = model_core::dialect::Dialect::Postgres.sql().literal(value);
    match ty {
        ColumnType::Array { element } => {
            let element = match &**element {
                ColumnType::Enum { .. } => "mood",
                ColumnType::Integer => "integer",
                _ => "text",
            };
            format!("{text}::{element}[]")
        }
        _ => text,
    }
}

fn table_name(spec: &SchemaSpec, t: usize) -> String {
    match &spec.tables[t] {
        Some(ts) if ts.renamed => format!("t{t}_new"),
        _ => format!("t{t}"),
    }
}

fn build(spec: &SchemaSpec) -> Schema {
    let mut schema = Schema::new();
    let enum_def = spec.enum_values.as_ref().map(|order| Enum {
        name: "mood".into(),
        values: order
            .iter()
            .map(|i| EnumValue {
                name: ENUM_VALUES[*i].into(),
                renamed_from: None,
            })
            .collect(),
    });
    if let Some(e) = &enum_def {
        schema.enums.insert(e.name.clone(), e.clone());
    }
    let present: Vec<usize> = (0..spec.tables.len())
        .filter(|i| spec.tables[*i].is_some())
        .collect();
    for (t, table_spec) in spec.tables.iter().enumerate() {
        let Some(ts) = table_spec else { continue };
        let name = table_name(spec, t);
        let mut columns = vec![Column {
            name: "id".into(),
            ty: ColumnType::BigInt,
            nullable: false,
            default: None,
            identity: None,
            renamed_from: None,
            backfill_sql: None,
            comment: None,
        }];
        let mut indexes = Vec::new();
        let mut uniques = Vec::new();
        for (c, col) in ts.columns.iter().enumerate() {
            let Some(cs) = col else { continue };
            let ty = column_type(cs.ty, enum_def.is_some());
            let col_name = if cs.renamed {
                format!("c{c}_new")
            } else {
                format!("c{c}")
            };
            let lit = literal(&ty, c as i64, enum_def.as_ref());
            // A raw backfill must carry its type, as a user would write it.
            let sql_lit = sql_value(&ty, &lit);
            columns.push(Column {
                name: col_name.clone(),
                ty: ty.clone(),
                nullable: cs.nullable,
                default: cs.default.then(|| ColumnDefault::Value(lit.clone())),
                identity: None,
                renamed_from: cs.renamed.then(|| format!("c{c}")),
                // Existing rows get a value when the column is added NOT NULL.
                backfill_sql: (!cs.nullable).then_some(sql_lit),
                comment: None,
            });
            if cs.indexed {
                indexes.push(Index {
                    name: format!("ix_{name}_{col_name}"),
                    keys: vec![IndexKey::column(col_name.clone())],
                    unique: false,
                    method: None,
                    predicate: None,
                });
            }
            if cs.unique
                && matches!(
                    ty,
                    ColumnType::Integer | ColumnType::BigInt | ColumnType::Varchar { .. }
                )
            {
                uniques.push(Unique {
                    name: format!("uq_{name}_{col_name}"),
                    columns: vec![col_name.clone()],
                });
            }
        }
        let first_int = columns
            .iter()
            .find(|c| c.name != "id" && matches!(c.ty, ColumnType::Integer | ColumnType::BigInt))
            .map(|c| c.name.clone());
        let mut key = vec!["id".to_string()];
        if ts.composite_key {
            if let Some(c) = columns
                .iter()
                .find(|c| c.name != "id" && !c.nullable && !matches!(c.ty, ColumnType::Double))
            {
                key.push(c.name.clone());
            }
        }
        if ts.expr_index {
            if let Some(c) = columns
                .iter()
                .find(|c| matches!(c.ty, ColumnType::Text | ColumnType::Varchar { .. }))
            {
                indexes.push(Index {
                    name: format!("ix_{name}_lower"),
                    keys: vec![IndexKey {
                        target: model_core::schema::IndexTarget::Expression(format!(
                            "lower({})",
                            c.name
                        )),
                        opclass: None,
                        order: Some(model_core::schema::SortOrder::Desc),
                        nulls: None,
                    }],
                    unique: false,
                    method: None,
                    predicate: None,
                });
            }
            if let Some(c) = columns
                .iter()
                .find(|c| matches!(c.ty, ColumnType::Array { .. }))
            {
                indexes.push(Index {
                    name: format!("ix_{name}_gin"),
                    keys: vec![IndexKey::column(c.name.clone())],
                    unique: false,
                    method: Some(model_core::schema::IndexMethod::Gin),
                    predicate: None,
                });
            }
        }
        if ts.partial_index {
            indexes.push(Index {
                name: format!("ix_{name}_partial"),
                keys: vec![IndexKey::column("id")],
                unique: false,
                method: None,
                predicate: columns.get(1).map(|c| format!("{} IS NOT NULL", c.name)),
            });
        }
        let mut checks = Vec::new();
        if ts.check {
            if let Some(c) = &first_int {
                checks.push(Check {
                    name: format!("ck_{name}_positive"),
                    expr: format!("{c} > 0"),
                });
            }
        }
        let mut foreign_keys = Vec::new();
        if let Some(target) = ts.fk {
            let target = present[(target as usize) % present.len()];
            if target != t {
                columns.push(Column {
                    name: "ref_id".into(),
                    ty: ColumnType::BigInt,
                    nullable: true,
                    default: None,
                    identity: None,
                    renamed_from: None,
                    backfill_sql: None,
                    comment: None,
                });
                foreign_keys.push(ForeignKey {
                    name: format!("fk_{name}_ref_id"),
                    columns: vec!["ref_id".into()],
                    ref_table: table_name(spec, target),
                    ref_columns: vec!["id".into()],
                    on_delete: if t % 2 == 0 {
                        ReferentialAction::Cascade
                    } else {
                        ReferentialAction::SetNull
                    },
                    on_update: ReferentialAction::NoAction,
                    deferrable: Default::default(),
                });
                uniques.retain(|u| u.columns != ["ref_id"]);
            }
        }
        if ts.self_fk && key.len() == 1 {
            columns.push(Column {
                name: "parent_id".into(),
                ty: ColumnType::BigInt,
                nullable: true,
                default: None,
                identity: None,
                renamed_from: None,
                backfill_sql: None,
                comment: None,
            });
            foreign_keys.push(ForeignKey {
                name: format!("fk_{name}_parent"),
                columns: vec!["parent_id".into()],
                ref_table: name.clone(),
                ref_columns: vec!["id".into()],
                on_delete: ReferentialAction::Cascade,
                on_update: ReferentialAction::NoAction,
                deferrable: Default::default(),
            });
        }
        if ts.identity && key.len() == 1 {
            columns[0].identity = Some(model_core::schema::Identity::ByDefault);
        }
        if let Some(n) = ts.comment {
            if let Some(c) = columns.last_mut() {
                c.comment = Some(format!("column note {n}"));
            }
        }
        let mut table = Table {
            name: name.clone(),
            renamed_from: ts.renamed.then(|| format!("t{t}")),
            comment: ts.comment.map(|n| format!("it's table note {n}")),
            columns,
            primary_key: PrimaryKey {
                name: format!("pk_{name}"),
                columns: key,
            },
            indexes,
            uniques,
            checks,
            foreign_keys,
            extensions: Vec::new(),
        };
        table.normalize();
        schema.tables.insert(name, table);
    }
    // Foreign keys must target a primary key alone: a composite key drops references to it.
    let composite: Vec<String> = schema
        .tables
        .values()
        .filter(|t| t.primary_key.columns.len() > 1)
        .map(|t| t.name.clone())
        .collect();
    for table in schema.tables.values_mut() {
        table
            .foreign_keys
            .retain(|fk| !composite.contains(&fk.ref_table));
    }
    schema
}

/// Two rows per table, respecting keys, uniques, checks and foreign keys (references point at
/// row 1 of the target, inserted first).
fn rows(schema: &Schema) -> String {
    let mut out = String::new();
    // Referenced tables first.
    let mut order: Vec<&Table> = schema.tables.values().collect();
    order.sort_by_key(|t| {
        t.foreign_keys
            .iter()
            .filter(|f| f.ref_table != t.name)
            .count()
    });
    for table in order {
        for n in 0..2i64 {
            let mut names = Vec::new();
            let mut values = Vec::new();
            for c in &table.columns {
                let value = match c.name.as_str() {
                    "id" => (n + 1).to_string(),
                    "ref_id" | "parent_id" => "NULL".into(),
                    _ => sql_value(
                        &c.ty,
                        &literal(&c.ty, n + 10 * names.len() as i64, schema.enums.get("mood")),
                    ),
                };
                names.push(format!("\"{}\"", c.name));
                values.push(value);
            }
            out.push_str(&format!(
                "INSERT INTO {} ({}) VALUES ({});\n",
                table.name,
                names.join(", "),
                values.join(", ")
            ));
        }
    }
    out
}

/// The query of each table of `schema` (by name) that reads every row as one text, its
/// `keep` columns each read by `column` and joined by `row`, ordered by id.
fn dump_queries(
    schema: &Schema,
    keep: impl Fn(&str, &Column) -> bool,
    column: impl Fn(&str) -> String,
    row: impl Fn(&[String]) -> String,
) -> Vec<(String, String)> {
    schema
        .tables
        .values()
        .map(|table| {
            let columns: Vec<String> = table
                .columns
                .iter()
                .filter(|c| keep(&table.name, c))
                .map(|c| column(&c.name))
                .collect();
            let sql = format!("SELECT {} FROM {} ORDER BY id", row(&columns), table.name);
            (table.name.clone(), sql)
        })
        .collect()
}

/// Every row of every table, as text, keyed by table and id, limited to `keep` columns.
async fn dump(
    pool: &sqlx::PgPool,
    schema: &Schema,
    keep: impl Fn(&str, &Column) -> bool,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let queries = dump_queries(
        schema,
        keep,
        |c| format!("COALESCE(\"{c}\"::text, 'NULL')"),
        |cs| cs.join(" || '|' || "),
    );
    for (table, sql) in queries {
        let rows = sqlx::query_scalar(&sql)
            .fetch_all(pool)
            .await
            .expect("dump rows");
        out.insert(table, rows);
    }
    out
}

/// The table of A that table `name` of B is (the same name, or the one it is renamed from).
fn old_table<'a>(a: &'a Schema, b: &Schema, name: &str) -> Option<&'a Table> {
    a.tables.get(name).or_else(|| {
        b.tables
            .get(name)
            .and_then(|bt| bt.renamed_from.as_ref())
            .and_then(|from| a.tables.get(from))
    })
}

/// The tables of A that B keeps under the same name.
fn kept_tables(a: &Schema, b: &Schema) -> Schema {
    Schema {
        tables: a
            .tables
            .iter()
            .filter(|(n, _)| b.tables.contains_key(*n))
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect(),
        enums: a.enums.clone(),
    }
}

/// Whether column `c` of table `t` of A is in B with the same type (as `dialect` stores it,
/// and as declared), so that its values must survive the up unchanged.
fn same_column(dialect: model_core::dialect::Dialect, b: &Schema, t: &str, c: &Column) -> bool {
    let rules = dialect.equivalence();
    b.tables
        .get(t)
        .and_then(|bt| bt.column(&c.name))
        .is_some_and(|bc| {
            rules.canonical_type(&bc.ty) == rules.canonical_type(&c.ty) && bc.ty == c.ty
        })
}

/// Whether no table of A gets a unique it lacked: rows can then be kept through the up (a
/// backfill gives every existing row one value, which a new unique would refuse).
fn no_new_unique(a: &Schema, b: &Schema) -> bool {
    b.tables.iter().all(|(name, bt)| {
        let Some(at) = old_table(a, b, name) else {
            return true;
        };
        bt.uniques
            .iter()
            .all(|u| at.uniques.iter().any(|x| x.columns == u.columns))
            && bt
                .indexes
                .iter()
                .filter(|i| i.unique)
                .all(|i| at.indexes.iter().any(|x| x.unique && x.keys == i.keys))
    })
}

/// A runner with a fixed seed: `PROPTEST_CASES` cases (24 by default), and
/// `PROPTEST_SEED=<number>` for another fixed sequence.
fn test_runner() -> TestRunner {
    let cases: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = match std::env::var("PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
        }
        None => TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    };
    TestRunner::new_with_rng(config, rng)
}

#[test]
fn random_schema_pairs_round_trip_on_postgres() {
    round_trip_on_postgres(false);
}

/// The same, with the online forms `generate` writes by default (indexes built concurrently,
/// constraints validated on their own, NOT NULL through a validated check), applied statement
/// by statement outside a transaction as the runner applies them.
#[test]
fn random_schema_pairs_round_trip_on_postgres_online() {
    round_trip_on_postgres(true);
}

/// Applies a migration's SQL as the runner does: in one transaction, or, for a plan with steps
/// that may not run in one, statement by statement, each committed on its own.
async fn apply_plan(
    pool: &sqlx::PgPool,
    sql: &str,
    transactional: bool,
) -> Result<(), sqlx::Error> {
    if transactional {
        return apply(pool, sql).await;
    }
    use model_core::runner::Offline;
    for statement in model_core::runner::PgOffline.statements(sql) {
        pool.execute(statement.as_str()).await?;
    }
    Ok(())
}

/// The lint rules whose hazards the online forms avoid (a column added NOT NULL with a
/// backfill is still filled and made NOT NULL in one step, so `set-not-null-scan` is not one).
const ONLINE_RULES: &[&str] = &[
    "create-index-blocking",
    "drop-index-blocking",
    "concurrently-in-transaction",
    "constraint-validated-under-lock",
    "validate-in-same-transaction",
    "unique-blocking",
];

fn round_trip_on_postgres(online: bool) {
    let mut runner = test_runner();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(TestDb::postgres());
    let pool = runtime.block_on(db.pg_pool());
    let counts = std::cell::RefCell::new((0u32, 0u32));
    // Plain migrations in which the lint found a hazard the online forms avoid.
    let flagged = std::cell::RefCell::new(0u32);
    // Operations run in their online forms.
    let online_steps = std::cell::RefCell::new(std::collections::BTreeMap::<String, u32>::new());

    let pairs = (schema_spec(), schema_spec(), any::<bool>()).prop_map(|(a, r, grown)| {
        let b = if grown { grow(&a, &r) } else { r };
        (a, b)
    });
    let result = runner.run(&pairs, |(spec_a, spec_b)| {
        let a = build(&spec_a);
        let b = build(&spec_b);
        runtime.block_on(async {
            pool.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                .await
                .unwrap();
            let allow = DiffOptions {
                allow_destructive: true,
                loose_expressions: false,
            };
            let create = pg_plan(&Schema::new(), &a, allow).unwrap();
            apply(&pool, &sql(&create.operations(), &a))
                .await
                .map_err(|e| TestCaseError::fail(format!("creating A failed: {e}")))?;
            // Rows are checked when nothing is lost, and no new unique constraint would meet the
            // one value a backfill gives every existing row (a failure the database is right
            // to raise).
            let safe = pg_plan(
                &a,
                &b,
                DiffOptions {
                    allow_destructive: false,
                    loose_expressions: false,
                },
            )
            .is_ok_and(|plan| {
                !plan.operations().iter().any(|op| match op {
                    model_core::operation::Operation::AddUnique { table, .. } => {
                        old_table(&a, &b, table).is_some()
                    }
                    model_core::operation::Operation::CreateIndex { table, index } => {
                        index.unique && old_table(&a, &b, table).is_some()
                    }
                    _ => false,
                })
            });
            if safe {
                pool.execute(rows(&a).as_str())
                    .await
                    .map_err(|e| TestCaseError::fail(format!("seeding A: {e}")))?;
            }
            let before = dump(&pool, &a, |_, _| true).await;
            // Columns that exist in A and B with the same type, in tables B keeps.
            let kept = kept_tables(&a, &b);
            let shared = |t: &str, c: &Column| {
                b.tables
                    .get(t)
                    .and_then(|bt| bt.column(&c.name))
                    .is_some_and(|bc| {
                        model_core::dialect::compare::canonical_type(&bc.ty)
                            == model_core::dialect::compare::canonical_type(&c.ty)
                    })
            };
            let before_shared = dump(&pool, &kept, shared).await;

            // As `generate` writes them: one migration, or two when new enum values are used.
            let steps =
                model_core::generate::parts(model_core::dialect::Dialect::Postgres, &a, &b, allow)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut downs = Vec::new();
            let mut before_step = a.clone();
            for part in &steps {
                let after = &part.schema;
                let plan = if online {
                    model_core::plan::online(part.plan.clone(), &before_step)
                } else {
                    part.plan.clone()
                };
                for step in &plan.steps {
                    let kind = serde_json::to_value(&step.operation).unwrap()["op"]
                        .as_str()
                        .unwrap()
                        .to_owned();
                    if !part.plan.steps.iter().any(|s| {
                        serde_json::to_value(&s.operation).unwrap()["op"].as_str()
                            == Some(kind.as_str())
                    }) {
                        *online_steps.borrow_mut().entry(kind).or_default() += 1;
                    }
                }
                let up = sql_between(&plan.operations(), after, &before_step);
                let swaps_an_enum = plan.steps.iter().any(|s| {
                    matches!(
                        s.operation,
                        model_core::operation::Operation::RecreateEnum { .. }
                    )
                });
                if !online && !swaps_an_enum {
                    // The plain forms: the lint must see their hazards (counted below).
                    let text = up.clone();
                    if model_core::lint::lint_postgres(&text)
                        .iter()
                        .any(|f| ONLINE_RULES.contains(&f.rule))
                    {
                        *flagged.borrow_mut() += 1;
                    }
                }
                if online && !swaps_an_enum {
                    // The lint finds none of the hazards the online forms avoid (an enum type
                    // swap rewrites its tables, and re-creates their indexes, under a lock).
                    let text = if plan.transactional() {
                        up.clone()
                    } else {
                        format!("-- no-transaction\n{up}")
                    };
                    let hazards: Vec<String> = model_core::lint::lint_postgres(&text)
                        .into_iter()
                        .filter(|f| ONLINE_RULES.contains(&f.rule))
                        .map(|f| format!("line {}: {}: {}", f.line, f.rule, f.message))
                        .collect();
                    prop_assert!(hazards.is_empty(), "{:?}\n{}", hazards, text);
                }
                apply_plan(&pool, &up, plan.transactional())
                    .await
                    .map_err(|e| TestCaseError::fail(format!("up failed: {e}\n{up}")))?;
                downs.push((
                    sql_between(&plan.down(), &before_step, after),
                    plan.transactional(),
                ));
                before_step = after.clone();
            }
            assert_introspects_to(&pool, &b, "after up").await;
            prop_assert!(pg_plan(&b, &b, allow).unwrap().is_empty());
            if safe {
                let after_shared = dump(&pool, &kept, shared).await;
                prop_assert_eq!(
                    &after_shared,
                    &before_shared,
                    "rows and shared values after up"
                );
            }

            for (down, transactional) in downs.iter().rev() {
                apply_plan(&pool, down, *transactional)
                    .await
                    .map_err(|e| TestCaseError::fail(format!("down failed: {e}\n{down}")))?;
            }
            assert_introspects_to(&pool, &a, "after down").await;
            if safe {
                let restored = dump(&pool, &a, |_, _| true).await;
                prop_assert_eq!(&restored, &before, "rows after up then down");
                counts.borrow_mut().1 += 1;
            }
            counts.borrow_mut().0 += 1;
            Ok(())
        })
    });
    let (ran, with_rows) = *counts.borrow();
    println!("{ran} schema pairs round-tripped; {with_rows} of them with rows checked");
    if let Err(err) = result {
        panic!("{err}");
    }
    let online_steps = online_steps.into_inner();
    println!("online steps: {online_steps:?}");
    if !online {
        assert!(
            *flagged.borrow() > 0,
            "the lint flagged no plain migration of {ran} pairs"
        );
    }
    if online {
        // The random pairs reach the online forms of indexes and constraints.
        for kind in ["create_index_concurrently", "validate_constraint"] {
            assert!(
                online_steps.contains_key(kind),
                "no {kind} step in {ran} pairs: {online_steps:?}"
            );
        }
    }
}

/// The same schema without what SQLite cannot express (arrays, and so GIN indexes):
/// array columns become integer or text ones.
fn for_sqlite(spec: &SchemaSpec) -> SchemaSpec {
    without_arrays(spec, 2)
}

/// `spec` with its array columns (types 9 and 10) as integer and `text` (a type number)
/// columns.
fn without_arrays(spec: &SchemaSpec, text: u8) -> SchemaSpec {
    let mut spec = spec.clone();
    for column in spec
        .tables
        .iter_mut()
        .flatten()
        .flat_map(|t| t.columns.iter_mut().flatten())
    {
        column.ty = match column.ty {
            9 => 0,
            10 => text,
            other => other,
        };
    }
    spec
}

/// Every row of every table of a SQLite database, as text, keyed by table and id.
async fn dump_sqlite(
    pool: &sqlx::SqlitePool,
    schema: &Schema,
    keep: impl Fn(&str, &Column) -> bool,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let queries = dump_queries(
        schema,
        keep,
        |c| format!("COALESCE(CAST(\"{c}\" AS TEXT), 'NULL')"),
        |cs| cs.join(" || '|' || "),
    );
    for (table, sql) in queries {
        let rows = sqlx::query_scalar(&sql)
            .fetch_all(pool)
            .await
            .expect("dump rows");
        out.insert(table, rows);
    }
    out
}

#[test]
fn random_schema_pairs_round_trip_on_sqlite() {
    use model_core::dialect::Dialect;
    use tests::scenario::{apply_sqlite, assert_sqlite_introspects_to};

    let mut runner = test_runner();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let counts = std::cell::RefCell::new((0u32, 0u32));
    let render = |ops: &[model_core::operation::Operation], target: &Schema, other: &Schema| {
        model_core::render::render_between(Dialect::Sqlite, ops, target, other)
            .map(|rendered| {
                rendered
                    .into_iter()
                    .flat_map(|op| op.statements)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .map_err(|e| TestCaseError::fail(format!("rendering: {e}")))
    };
    let plan = |a: &Schema, b: &Schema, allow_destructive: bool| {
        model_core::plan::plan(
            Dialect::Sqlite,
            a,
            b,
            DiffOptions {
                allow_destructive,
                loose_expressions: false,
            },
        )
    };

    let pairs = (schema_spec(), schema_spec(), any::<bool>()).prop_map(|(a, r, grown)| {
        let b = if grown { grow(&a, &r) } else { r };
        (for_sqlite(&a), for_sqlite(&b))
    });
    let result = runner.run(&pairs, |(spec_a, spec_b)| {
        let a = build(&spec_a);
        let b = build(&spec_b);
        runtime.block_on(async {
            let db = TestDb::sqlite().await;
            let pool = db.sqlite_pool().await;
            let create = plan(&Schema::new(), &a, true).unwrap();
            apply_sqlite(&pool, &render(&create.operations(), &a, &a)?)
                .await
                .map_err(|e| TestCaseError::fail(format!("creating A failed: {e}")))?;
            // Rows are checked when nothing is lost and no new unique would meet the one value
            // a backfill gives every existing row.
            let safe = plan(&a, &b, false).is_ok_and(|_| no_new_unique(&a, &b));
            if safe {
                pool.execute(rows(&a).as_str())
                    .await
                    .map_err(|e| TestCaseError::fail(format!("seeding A: {e}")))?;
            }
            let before = dump_sqlite(&pool, &a, |_, _| true).await;
            let kept = kept_tables(&a, &b);
            let shared = |t: &str, c: &Column| same_column(Dialect::Sqlite, &b, t, c);
            let before_shared = dump_sqlite(&pool, &kept, shared).await;

            let up_plan = plan(&a, &b, true).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let up = render(&up_plan.operations(), &b, &a)?;
            apply_sqlite(&pool, &up)
                .await
                .map_err(|e| TestCaseError::fail(format!("up failed: {e}\n{up}")))?;
            assert_sqlite_introspects_to(&pool, &b, "after up").await;
            prop_assert!(plan(&b, &b, true).unwrap().is_empty());
            if safe {
                let after_shared = dump_sqlite(&pool, &kept, shared).await;
                prop_assert_eq!(&after_shared, &before_shared, "rows after up");
            }
            let down = render(&up_plan.down(), &a, &b)?;
            apply_sqlite(&pool, &down)
                .await
                .map_err(|e| TestCaseError::fail(format!("down failed: {e}\n{down}")))?;
            assert_sqlite_introspects_to(&pool, &a, "after down").await;
            if safe {
                let restored = dump_sqlite(&pool, &a, |_, _| true).await;
                prop_assert_eq!(&restored, &before, "rows after up then down");
                counts.borrow_mut().1 += 1;
            }
            counts.borrow_mut().0 += 1;
            pool.close().await;
            Ok(())
        })
    });
    let (ran, with_rows) = *counts.borrow();
    println!("{ran} schema pairs round-tripped on SQLite; {with_rows} of them with rows checked");
    if let Err(err) = result {
        panic!("{err}");
    }
}

/// The spec for MySQL: arrays (which it cannot express) become integer or `VARCHAR` columns,
/// partial and expression indexes go (MariaDB has neither), and `LONGTEXT`/`JSON` columns
/// are not indexed (MySQL keys them only by a prefix).
fn for_mysql(spec: &SchemaSpec) -> SchemaSpec {
    let mut spec = without_arrays(spec, 4);
    for table in spec.tables.iter_mut().flatten() {
        table.partial_index = false;
        table.expr_index = false;
        for column in table.columns.iter_mut().flatten() {
            if matches!(column.ty, 2 | 11) {
                column.indexed = false;
            }
        }
    }
    spec
}

/// Every row of every table of a MySQL database, as hexadecimal text (binary UUIDs
/// included), keyed by table and id.
async fn dump_mysql(
    pool: &sqlx::MySqlPool,
    schema: &Schema,
    keep: impl Fn(&str, &Column) -> bool,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let queries = dump_queries(
        schema,
        keep,
        |c| format!("COALESCE(HEX(`{c}`), 'NULL')"),
        |cs| format!("CAST(CONCAT_WS('|', {}) AS CHAR)", cs.join(", ")),
    );
    for (table, sql) in queries {
        let rows = sqlx::query_scalar(&sql)
            .fetch_all(pool)
            .await
            .expect("dump rows");
        out.insert(table, rows);
    }
    out
}

#[test]
fn random_schema_pairs_round_trip_on_mariadb() {
    use model_core::dialect::{Dialect, RenderError};
    use tests::scenario::{apply_mysql, assert_mysql_introspects_to};

    let mut runner = test_runner();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // (ran, rows checked, refused: a key on a LONGTEXT/JSON column)
    let counts = std::cell::RefCell::new((0u32, 0u32, 0u32));
    let render = |ops: &[model_core::operation::Operation], target: &Schema, other: &Schema| {
        model_core::render::render_between(Dialect::Mysql, ops, target, other).map(|rendered| {
            rendered
                .into_iter()
                .flat_map(|op| op.statements)
                .collect::<Vec<_>>()
                .join("\n")
        })
    };
    let plan = |a: &Schema, b: &Schema, allow_destructive: bool| {
        model_core::plan::plan(
            Dialect::Mysql,
            a,
            b,
            DiffOptions {
                allow_destructive,
                loose_expressions: false,
            },
        )
    };
    // What MySQL refuses here is a key on a column it keys only by a prefix: anything else
    // is a failure.
    let refused = |e: &RenderError| {
        let text = e.to_string();
        (text.contains("on a LONGTEXT column") || text.contains("on a JSON column"))
            .then_some(())
            .ok_or_else(|| TestCaseError::fail(format!("rendering: {text}")))
    };

    let pairs = (schema_spec(), schema_spec(), any::<bool>()).prop_map(|(a, r, grown)| {
        let b = if grown { grow(&a, &r) } else { r };
        (for_mysql(&a), for_mysql(&b))
    });
    // Backfills are raw SQL, written as a MySQL user would write them.
    let build_mysql = |spec: &SchemaSpec| {
        let mut schema = build(spec);
        for table in schema.tables.values_mut() {
            for column in &mut table.columns {
                if let Some(sql) = &column.backfill_sql {
                    column.backfill_sql = Some(tests::scenario::for_mysql(sql));
                }
            }
        }
        schema
    };
    let result = runner.run(&pairs, |(spec_a, spec_b)| {
        let a = build_mysql(&spec_a);
        let b = build_mysql(&spec_b);
        let create = plan(&Schema::new(), &a, true).unwrap();
        let up_plan = plan(&a, &b, true).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let sql = render(&create.operations(), &a, &a)
            .and_then(|create| Ok((create, render(&up_plan.operations(), &b, &a)?)))
            .and_then(|(create, up)| Ok((create, up, render(&up_plan.down(), &a, &b)?)));
        let (create, up, down) = match sql {
            Ok(sql) => sql,
            Err(e) => {
                refused(&e)?;
                counts.borrow_mut().2 += 1;
                return Ok(());
            }
        };
        runtime.block_on(async {
            let db = TestDb::mysql().await;
            let pool = db.mysql_pool().await;
            apply_mysql(&pool, &create)
                .await
                .map_err(|e| TestCaseError::fail(format!("creating A failed: {e}\n{create}")))?;
            // Rows are checked when nothing is lost and no new unique would meet the one value
            // a backfill gives every existing row.
            let safe = plan(&a, &b, false).is_ok_and(|_| no_new_unique(&a, &b));
            if safe && !a.tables.is_empty() {
                sqlx::raw_sql(&tests::scenario::for_mysql(&rows(&a)))
                    .execute(&pool)
                    .await
                    .map_err(|e| TestCaseError::fail(format!("seeding A: {e}")))?;
            }
            let before = dump_mysql(&pool, &a, |_, _| true).await;
            let kept = kept_tables(&a, &b);
            let shared = |t: &str, c: &Column| same_column(Dialect::Mysql, &b, t, c);
            let before_shared = dump_mysql(&pool, &kept, shared).await;

            apply_mysql(&pool, &up)
                .await
                .map_err(|e| TestCaseError::fail(format!("up failed: {e}\n{up}")))?;
            assert_mysql_introspects_to(&pool, &b, "after up").await;
            prop_assert!(plan(&b, &b, true).unwrap().is_empty());
            if safe {
                let after_shared = dump_mysql(&pool, &kept, shared).await;
                prop_assert_eq!(&after_shared, &before_shared, "rows after up");
            }
            apply_mysql(&pool, &down)
                .await
                .map_err(|e| TestCaseError::fail(format!("down failed: {e}\n{down}")))?;
            assert_mysql_introspects_to(&pool, &a, "after down").await;
            if safe {
                let restored = dump_mysql(&pool, &a, |_, _| true).await;
                prop_assert_eq!(&restored, &before, "rows after up then down");
                counts.borrow_mut().1 += 1;
            }
            counts.borrow_mut().0 += 1;
            pool.close().await;
            Ok(())
        })
    });
    let (ran, with_rows, refusals) = *counts.borrow();
    println!(
        "{ran} schema pairs round-tripped on MariaDB; {with_rows} of them with rows checked; \
         {refusals} refused (a key on a LONGTEXT or JSON column)"
    );
    if let Err(err) = result {
        panic!("{err}");
    }
}
